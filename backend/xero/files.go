package xero

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"

	"chase.md/backend/rest"
	"chase.md/backend/xero/api"
)

// MaxFileSize is the Files API's limit per file.
const MaxFileSize = 10 << 20

// associationsPageSize is the most GET /Associations/{ObjectId} returns a page.
const associationsPageSize = 100

// UploadRequest describes one file to upload.
type UploadRequest struct {
	FolderID string // "" = the Inbox
	Name     string // as shown in Xero, with its extension
	// Body is the content. An io.ReaderAt (an *os.File, a *bytes.Reader) is
	// read afresh for each attempt; anything else is read into memory first
	// so that a retry can resend it.
	Body     io.Reader
	Size     int64  // Body's length in bytes
	MimeType string // "" lets Xero work it out from the name
	// IdempotencyKey (≤ 128 chars) makes a retried upload create one file.
	// Without one a lost answer is rest.ErrUnknownOutcome.
	IdempotencyKey string
	// Progress is told how many of the file's bytes have been sent (from 0
	// again if a retry resends it).
	Progress func(sent int64)
}

// UploadFile uploads a file to the Inbox or a folder.
func (c *Client) UploadFile(ctx context.Context, r UploadRequest) (*api.FileObject, error) {
	if r.Name == "" {
		return nil, fmt.Errorf("xero: upload: no file name")
	}
	content, size, err := rereadable(r.Body, r.Size)
	if err != nil {
		return nil, fmt.Errorf("xero: upload %s: %w", r.Name, err)
	}
	prefix, suffix, contentType := multipartFrame(r.Name, r.MimeType)
	opts := &rest.Opts{
		Method: http.MethodPost, Path: filesPath + "/Files", Tenant: c.tenant,
		GetBody: func() (io.Reader, error) {
			body, err := content()
			if err != nil {
				return nil, err
			}
			return io.MultiReader(bytes.NewReader(prefix), body, bytes.NewReader(suffix)), nil
		},
		ContentType: contentType, ContentLength: int64(len(prefix)) + size + int64(len(suffix)),
		IdempotencyKey: r.IdempotencyKey,
	}
	if r.FolderID != "" {
		opts.Path += "/" + url.PathEscape(r.FolderID)
	}
	if r.Progress != nil {
		head := int64(len(prefix))
		opts.Progress = func(sent int64) { r.Progress(min(max(sent-head, 0), size)) }
	}
	var out api.FileObject
	if _, err := c.rc.CallJSON(ctx, opts, nil, &out); err != nil {
		return nil, fmt.Errorf("xero: upload %s: %w", r.Name, err)
	}
	return &out, nil
}

// rereadable returns a function giving the content from its start for each
// attempt, and its size.
func rereadable(body io.Reader, size int64) (func() (io.Reader, error), int64, error) {
	if body == nil {
		return nil, 0, fmt.Errorf("no content")
	}
	if ra, ok := body.(io.ReaderAt); ok && size > 0 {
		return func() (io.Reader, error) { return io.NewSectionReader(ra, 0, size), nil }, size, nil
	}
	b, err := io.ReadAll(io.LimitReader(body, MaxFileSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("read content: %w", err)
	}
	if len(b) > MaxFileSize {
		return nil, 0, fmt.Errorf("larger than Xero's %d MB limit", MaxFileSize>>20)
	}
	return func() (io.Reader, error) { return bytes.NewReader(b), nil }, int64(len(b)), nil
}

// multipartFrame builds the form around the file's bytes: the fields name,
// filename and mimeType, then the part "body" holding the file, so the file
// can stream from disk between prefix and suffix.
func multipartFrame(name, mimeType string) (prefix, suffix []byte, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("name", name)
	_ = mw.WriteField("filename", name)
	if mimeType != "" {
		_ = mw.WriteField("mimeType", mimeType)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="body"; filename="%s"`, quoteEscaper.Replace(name)))
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	h.Set("Content-Type", mimeType)
	_, _ = mw.CreatePart(h)
	prefix = bytes.Clone(buf.Bytes())
	buf.Reset()
	_ = mw.Close()
	return prefix, bytes.Clone(buf.Bytes()), mw.FormDataContentType()
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

// AssociationRequest links a file to an object; for a contact, ObjectGroup
// is "Contact" and ObjectType "Business" or "Person".
type AssociationRequest struct {
	ObjectID    string
	ObjectGroup string // default "Contact"
	ObjectType  string // default "Business"
}

// Associate links fileID to an object. Pass the idempotency key kept with
// the upload so that a retry after a lost answer creates one association.
func (c *Client) Associate(ctx context.Context, fileID string, a AssociationRequest, idempotencyKey string) (*api.Association, error) {
	in := api.Association{ObjectID: a.ObjectID, ObjectGroup: a.ObjectGroup, ObjectType: a.ObjectType}
	if in.ObjectGroup == "" {
		in.ObjectGroup = "Contact"
	}
	if in.ObjectType == "" {
		in.ObjectType = "Business"
	}
	var out api.Association
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Method: http.MethodPost, Tenant: c.tenant,
		Path:           filesPath + "/Files/" + url.PathEscape(fileID) + "/Associations",
		IdempotencyKey: idempotencyKey}, in, &out)
	if err != nil {
		return nil, fmt.Errorf("xero: associate file %s with %s %s: %w", fileID, in.ObjectGroup, a.ObjectID, err)
	}
	return &out, nil
}

// AssociationsPage is one page (from 1, up to 100 a page) of the files
// associated with an object, newest first.
func (c *Client) AssociationsPage(ctx context.Context, objectID string, page int) ([]api.Association, error) {
	q := url.Values{"page": {strconv.Itoa(max(page, 1))}, "pagesize": {strconv.Itoa(associationsPageSize)},
		"sort": {"CreatedDateUtc"}, "direction": {"DESC"}}
	var out []api.Association
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Path: filesPath + "/Associations/" + url.PathEscape(objectID),
		Query: q, Tenant: c.tenant}, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("xero: associations of %s page %d: %w", objectID, page, err)
	}
	return out, nil
}

// AssociationsFor is every association of an object, paging until a short page.
func (c *Client) AssociationsFor(ctx context.Context, objectID string) ([]api.Association, error) {
	var all []api.Association
	for page := 1; ; page++ {
		got, err := c.AssociationsPage(ctx, objectID, page)
		if err != nil {
			return nil, err
		}
		all = append(all, got...)
		if len(got) < associationsPageSize {
			return all, nil
		}
	}
}

// FileAssociations lists what a file is associated with.
func (c *Client) FileAssociations(ctx context.Context, fileID string) ([]api.Association, error) {
	var out []api.Association
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Path: filesPath + "/Files/" + url.PathEscape(fileID) + "/Associations",
		Tenant: c.tenant}, nil, &out)
	if err != nil {
		return nil, fmt.Errorf("xero: associations of file %s: %w", fileID, err)
	}
	return out, nil
}

// GetFile fetches a file's details.
func (c *Client) GetFile(ctx context.Context, fileID string) (*api.FileObject, error) {
	var out api.FileObject
	if _, err := c.rc.CallJSON(ctx, &rest.Opts{Path: filesPath + "/Files/" + url.PathEscape(fileID), Tenant: c.tenant}, nil, &out); err != nil {
		return nil, fmt.Errorf("xero: get file %s: %w", fileID, err)
	}
	return &out, nil
}

// ListFiles is one page (from 1, 100 a page) of the organisation's files,
// newest first.
func (c *Client) ListFiles(ctx context.Context, page int) (*api.Files, error) {
	q := url.Values{"page": {strconv.Itoa(max(page, 1))}, "pagesize": {"100"}, "sort": {"CreatedDateUTC"}, "direction": {"DESC"}}
	var out api.Files
	if _, err := c.rc.CallJSON(ctx, &rest.Opts{Path: filesPath + "/Files", Query: q, Tenant: c.tenant}, nil, &out); err != nil {
		return nil, fmt.Errorf("xero: list files page %d: %w", page, err)
	}
	return &out, nil
}

// Folders lists the organisation's folders, the Inbox among them.
func (c *Client) Folders(ctx context.Context) ([]api.Folder, error) {
	var out []api.Folder
	if _, err := c.rc.CallJSON(ctx, &rest.Opts{Path: filesPath + "/Folders", Tenant: c.tenant}, nil, &out); err != nil {
		return nil, fmt.Errorf("xero: list folders: %w", err)
	}
	return out, nil
}

// Inbox is the organisation's Inbox folder.
func (c *Client) Inbox(ctx context.Context) (*api.Folder, error) {
	var out api.Folder
	if _, err := c.rc.CallJSON(ctx, &rest.Opts{Path: filesPath + "/Inbox", Tenant: c.tenant}, nil, &out); err != nil {
		return nil, fmt.Errorf("xero: inbox: %w", err)
	}
	return &out, nil
}

// CreateFolder creates a folder; with the same idempotency key a retry
// returns the folder the first attempt made.
func (c *Client) CreateFolder(ctx context.Context, name, idempotencyKey string) (*api.Folder, error) {
	var out api.Folder
	_, err := c.rc.CallJSON(ctx, &rest.Opts{Method: http.MethodPost, Path: filesPath + "/Folders", Tenant: c.tenant,
		IdempotencyKey: idempotencyKey}, api.Folder{Name: name}, &out)
	if err != nil {
		return nil, fmt.Errorf("xero: create folder %q: %w", name, err)
	}
	return &out, nil
}

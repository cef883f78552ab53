package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"chase.md/backend/activity"
	"chase.md/backend/opener"
	"chase.md/backend/rest"
	"chase.md/backend/store"
	"chase.md/backend/xero"
)

// Documents: open and preview the local files chase.md knows (a queued
// item's, a Review file's: never a path the page names), move a filed
// document to another client or remove it from Xero, and link to Xero.

// openLocal opens a file with the system's viewer; tests replace it.
var openLocal = opener.Open

// maxPreviewBytes bounds a preview (Xero takes files up to 10 MB).
const maxPreviewBytes = 10 << 20

// Preview is a local file's bytes for the page to show: an image for <img>,
// a PDF for an <iframe>; Kind "none" with Note for anything else.
type Preview struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"` // image, pdf, none
	MimeType string `json:"mimeType,omitempty"`
	DataURL  string `json:"dataUrl,omitempty"`
	Size     int64  `json:"size"`
	Note     string `json:"note,omitempty"`
}

var previewTypes = map[string]struct{ kind, mime string }{
	".pdf": {"pdf", "application/pdf"}, ".png": {"image", "image/png"}, ".jpg": {"image", "image/jpeg"},
	".jpeg": {"image", "image/jpeg"}, ".gif": {"image", "image/gif"}, ".webp": {"image", "image/webp"},
	".bmp": {"image", "image/bmp"},
}

// previewFile reads path for a Preview.
func previewFile(path string) (Preview, error) {
	p := Preview{Name: filepath.Base(path), Kind: "none"}
	f, err := os.Open(path)
	if err != nil {
		return p, goneError(p.Name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return p, goneError(p.Name, err)
	}
	p.Size = st.Size()
	t, ok := previewTypes[strings.ToLower(filepath.Ext(path))]
	switch {
	case !ok:
		p.Note = "chase.md shows PDFs and pictures here. Open it to see it in the program your computer uses for it."
		return p, nil
	case p.Size > maxPreviewBytes:
		p.Note = "This file is too big to show here. Open it to see it."
		return p, nil
	}
	b, err := io.ReadAll(io.LimitReader(f, maxPreviewBytes+1))
	if err != nil {
		return p, goneError(p.Name, err)
	}
	p.Kind, p.MimeType = t.kind, t.mime
	p.DataURL = "data:" + t.mime + ";base64," + base64.StdEncoding.EncodeToString(b)
	return p, nil
}

func goneError(name string, err error) error {
	if errors.Is(err, os.ErrNotExist) {
		return &UIError{Code: "file_gone", Message: fmt.Sprintf("%s is no longer where chase.md last saw it (it may have been filed, moved or deleted).", name)}
	}
	return &UIError{Code: "file_unreadable", Message: fmt.Sprintf("chase.md can't read %s. Check that no other program has it locked, then try again.", name)}
}

func openKnown(path string) error {
	if err := openLocal(path); err != nil {
		if _, serr := os.Stat(path); serr != nil {
			return goneError(filepath.Base(path), serr)
		}
		return &UIError{Code: "no_viewer", Message: fmt.Sprintf("Your computer has no program set to open %s. Open it from its folder: %s", filepath.Base(path), path)}
	}
	return nil
}

// Preview shows a queued file.
func (s *UploadsService) Preview(id int64) (Preview, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return Preview{}, err
	}
	defer done()
	it, err := c.Uploads.Item(ctx, id)
	if err != nil {
		return Preview{}, err
	}
	return previewFile(it.Path)
}

// OpenFile opens a queued file with the system's viewer.
func (s *UploadsService) OpenFile(id int64) error {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return err
	}
	defer done()
	it, err := c.Uploads.Item(ctx, id)
	if err != nil {
		return err
	}
	return openKnown(it.Path)
}

func (s *FoldersService) reviewPath(id int64) (string, error) {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return "", err
	}
	defer done()
	rs, err := f.Reviews(ctx, 0)
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.ID == id {
			return r.Path, nil
		}
	}
	return "", &UIError{Code: "not_found", Message: "That file is no longer waiting for review."}
}

// PreviewReview shows a file waiting in Review.
func (s *FoldersService) PreviewReview(id int64) (Preview, error) {
	p, err := s.reviewPath(id)
	if err != nil {
		return Preview{}, err
	}
	return previewFile(p)
}

// OpenReview opens a file waiting in Review with the system's viewer.
func (s *FoldersService) OpenReview(id int64) error {
	p, err := s.reviewPath(id)
	if err != nil {
		return err
	}
	return openKnown(p)
}

// XeroLink is where "Open in Xero" goes for a client; Note says why there is none.
type XeroLink struct {
	URL  string `json:"url,omitempty"`
	Note string `json:"note,omitempty"`
}

// ContactLink is Xero's page for a contact, where its files are listed too.
// It opens in the organisation last open in Xero in the browser (a link
// naming the organisation needs its short code, which needs a scope
// chase.md does not ask for). The demo Xero has no web pages.
func (s *ClientsService) ContactLink(id string) (XeroLink, error) {
	_, c, done, err := s.app.backend()
	if err != nil {
		return XeroLink{}, err
	}
	defer done()
	if c.Sandbox != nil {
		return XeroLink{Note: "The demo Xero has no web pages. With your own Xero, this opens the client's page in Xero, with its files."}, nil
	}
	return XeroLink{URL: "https://go.xero.com/Contacts/View/" + url.PathEscape(strings.ToLower(strings.TrimSpace(id)))}, nil
}

// OpenInXero opens a client's page in Xero in the browser.
func (s *ClientsService) OpenInXero(id string) error {
	l, err := s.ContactLink(id)
	if err != nil {
		return err
	}
	if l.URL == "" {
		return &UIError{Code: "demo", Message: l.Note}
	}
	return s.app.browserOpenURL(l.URL)
}

// localCopy is where the file Xero keeps as fileID was sent from, when
// chase.md sent it (a file added in Xero itself has no copy here).
func (s *ClientsService) localCopy(fileID string) (string, error) {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		return "", err
	}
	defer done()
	p, err := c.Uploads.SentFrom(ctx, t.ID, fileID)
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", &UIError{Code: "no_local_copy", Message: "chase.md did not send this file, so there is no copy of it on this computer. Open the client in Xero to see it there."}
	}
	return p, nil
}

// PreviewFile shows this computer's copy of a file filed to a client.
func (s *ClientsService) PreviewFile(fileID string) (Preview, error) {
	p, err := s.localCopy(fileID)
	if err != nil {
		return Preview{}, err
	}
	return previewFile(p)
}

// OpenFile opens this computer's copy of a file filed to a client with the system's viewer.
func (s *ClientsService) OpenFile(fileID string) error {
	p, err := s.localCopy(fileID)
	if err != nil {
		return err
	}
	return openKnown(p)
}

// MoveFile moves a document filed to one client in Xero to another: it is
// linked to the new client, then unlinked from the old one, so it is never
// on neither.
func (s *ClientsService) MoveFile(fileID, fromContactID, toContactID string) error {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		return err
	}
	defer done()
	if t.ID == "" {
		return &UIError{Code: "no_org", Message: "Sign in to Xero and choose your organisation first."}
	}
	fromContactID, toContactID = strings.ToLower(strings.TrimSpace(fromContactID)), strings.ToLower(strings.TrimSpace(toContactID))
	if toContactID == "" || toContactID == fromContactID {
		return &InputError{Field: "contactId", Message: "Choose the client the document should go to."}
	}
	to, err := c.UploadContact(ctx, t.ID, toContactID)
	if errors.Is(err, store.ErrNotFound) {
		return &UIError{Code: "no_client", Message: "chase.md doesn't know that client. Sync contacts, then try again."}
	}
	if err != nil {
		return err
	}
	from := contactName(ctx, c.DB, t.ID, fromContactID)
	ctx, cancel := context.WithTimeout(rest.WithPriority(ctx, rest.Interactive), clientFilesTimeout)
	defer cancel()
	x := c.Xero(t.ID)
	name := fileName(ctx, x, fileID)
	if err := x.MoveFile(ctx, fileID, fromContactID, xero.AssociationRequest{ObjectID: to.ID, ObjectGroup: "Contact", ObjectType: string(to.Type)},
		"chase-mv-"+randomHex()); err != nil {
		return filesError("move "+name, err)
	}
	c.Log(activity.Entry{Kind: activity.Moved, TenantID: t.ID, ContactID: to.ID, Client: to.Name, Subject: name, XeroID: fileID,
		Detail: fmt.Sprintf("Moved from %s (%s) to %s.", from, fromContactID, to.Name)})
	return nil
}

// RemoveFile deletes a filed document from Xero (the page asks first).
func (s *ClientsService) RemoveFile(fileID, contactID string) error {
	ctx, c, t, done, err := s.mainTenant()
	if err != nil {
		return err
	}
	defer done()
	if t.ID == "" {
		return &UIError{Code: "no_org", Message: "Sign in to Xero and choose your organisation first."}
	}
	contactID = strings.ToLower(strings.TrimSpace(contactID))
	ctx, cancel := context.WithTimeout(rest.WithPriority(ctx, rest.Interactive), clientFilesTimeout)
	defer cancel()
	x := c.Xero(t.ID)
	name := fileName(ctx, x, fileID)
	if err := x.DeleteFile(ctx, fileID); err != nil && !errors.Is(err, rest.ErrNotFound) {
		return filesError("remove "+name, err)
	}
	c.Log(activity.Entry{Kind: activity.Removed, TenantID: t.ID, ContactID: contactID, Client: contactName(ctx, c.DB, t.ID, contactID),
		Subject: name, XeroID: fileID, Detail: "Removed from Xero Files."})
	return nil
}

func fileName(ctx context.Context, x *xero.Client, fileID string) string {
	if fo, err := x.GetFile(ctx, fileID); err == nil && fo.Name != "" {
		return fo.Name
	}
	return "the document"
}

func filesError(what string, err error) error {
	if errors.Is(err, rest.ErrNotFound) {
		return &UIError{Code: "not_found", Message: "Xero no longer has that document or client link (it may have been changed in Xero). Refresh the list."}
	}
	return fmt.Errorf("could not %s in Xero: %w", what, err)
}

func randomHex() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

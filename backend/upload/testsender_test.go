package upload

// TEMPORARY: a minimal Files client over real HTTP to the sandbox, used until
// backend/xero lands; then the tests use xero.Client.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"

	"chase.md/backend/rest"
	"chase.md/backend/xero/api"
)

type httpSender struct {
	base, token, tenant string
	hc                  *http.Client
}

func (s *httpSender) do(ctx context.Context, method, path, ctype string, body []byte, key string, out any) error {
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequestWithContext(ctx, method, s.base+"/files.xro/1.0"+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.token)
		req.Header.Set("xero-tenant-id", s.tenant)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		resp, err := s.hc.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if attempt < 5 {
				continue
			}
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			if (resp.StatusCode >= 500 || resp.StatusCode == 429 || resp.StatusCode == 409) && attempt < 5 {
				continue
			}
			return &rest.APIError{Method: method, Path: path, Status: resp.StatusCode, Body: b}
		}
		return json.Unmarshal(b, out)
	}
}

func (s *httpSender) UploadFile(ctx context.Context, r UploadRequest) (*api.FileObject, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("name", r.Name)
	mw.WriteField("filename", r.Name)
	mw.WriteField("mimeType", r.MimeType)
	fw, _ := mw.CreateFormFile("body", r.Name)
	n, _ := io.Copy(fw, r.Body)
	mw.Close()
	if r.Progress != nil {
		r.Progress(n)
	}
	path := "/Files"
	if r.FolderID != "" {
		path += "/" + r.FolderID
	}
	var f api.FileObject
	if err := s.do(ctx, "POST", path, mw.FormDataContentType(), buf.Bytes(), r.IdempotencyKey, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

func (s *httpSender) Associate(ctx context.Context, fileID string, r AssociationRequest, key string) (*api.Association, error) {
	b, _ := json.Marshal(map[string]string{"ObjectId": r.ObjectID, "ObjectGroup": r.ObjectGroup, "ObjectType": r.ObjectType})
	var a api.Association
	if err := s.do(ctx, "POST", fmt.Sprintf("/Files/%s/Associations", fileID), "application/json", b, key, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

func (s *httpSender) Folders(ctx context.Context) ([]api.Folder, error) {
	var out []api.Folder
	err := s.do(ctx, "GET", "/Folders", "", nil, "", &out)
	return out, err
}

func (s *httpSender) CreateFolder(ctx context.Context, name, key string) (*api.Folder, error) {
	b, _ := json.Marshal(map[string]string{"Name": name})
	var f api.Folder
	if err := s.do(ctx, "POST", "/Folders", "application/json", b, key, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

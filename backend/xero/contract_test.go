package xero

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/xerospec"
)

// TestRequestsMatchTheOfficialSpecs sends each kind of request the client
// makes to the sandbox and validates what went on the wire against Xero's
// own OpenAPI documents (backend/xerospec): paths, query parameters, headers,
// JSON bodies and the upload form.
func TestRequestsMatchTheOfficialSpecs(t *testing.T) {
	t.Parallel() // parsing the 20,000-line Accounting spec is the slow part: overlap it with the other tests
	type specsOrErr struct {
		specs []*xerospec.Spec
		err   error
	}
	specs := make(chan specsOrErr, 1)
	go func() { s, err := xerospec.Xero(); specs <- specsOrErr{s, err} }()
	sb := sandbox.New(sandbox.Options{Contacts: 20, LimitScale: 600})
	rec := &xerospec.Recorder{}
	srv := newServer(t, sb)
	access, _ := sb.IssueToken()
	base := &http.Client{Transport: rec}
	hc := oauth2.NewClient(context.WithValue(context.Background(), oauth2.HTTPClient, base),
		oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	rc, err := rest.New(hc, srv, rest.WithPacers(rest.NewPacers(rest.WithMinute(100*time.Millisecond))))
	if err != nil {
		t.Fatal(err)
	}
	var tenant string
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			tenant = tn.ID
			break
		}
	}
	x := New(rc, tenant)
	ctx := context.Background()
	contact := sb.Contacts(tenant)[0]

	steps := []func() error{
		func() error {
			_, err := x.ListContacts(ctx, ListOptions{Page: 2, PageSize: 5, IncludeArchived: true, SummaryOnly: true,
				ModifiedSince: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC), Order: "Name ASC", Where: `ContactStatus=="ACTIVE"`})
			return err
		},
		func() error {
			_, err := x.ListContacts(ctx, ListOptions{Page: 1, IDs: []string{contact.ContactID}, SearchTerm: "a"})
			return err
		},
		func() error { _, err := x.GetContact(ctx, contact.ContactID); return err },
		func() error {
			fo, err := x.UploadFile(ctx, UploadRequest{Name: "a.pdf", Body: strings.NewReader("%PDF"), Size: 4, MimeType: "application/pdf", IdempotencyKey: "k1"})
			if err != nil {
				return err
			}
			if _, err := x.Associate(ctx, fo.ID, AssociationRequest{ObjectID: contact.ContactID}, "k2"); err != nil {
				return err
			}
			_, err = x.FileAssociations(ctx, fo.ID)
			return err
		},
		func() error { _, err := x.AssociationsFor(ctx, contact.ContactID); return err },
		func() error {
			f, err := x.CreateFolder(ctx, "Docs", "k3")
			if err != nil {
				return err
			}
			_, err = x.UploadFile(ctx, UploadRequest{FolderID: f.ID, Name: "b.txt", Body: strings.NewReader("b"), Size: 1, IdempotencyKey: "k4"})
			return err
		},
		func() error { _, err := x.Folders(ctx); return err },
		func() error { _, err := x.Inbox(ctx); return err },
		func() error { _, err := x.ListFiles(ctx, 1); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}

	loaded := <-specs
	if loaded.err != nil {
		t.Fatal(loaded.err)
	}
	// validate checks one request against its operation; "" when the spec has none.
	validate := func(req *http.Request, body []byte) (op string, err error) {
		sp := xerospec.Owner(loaded.specs, req.URL.Path)
		if sp == nil {
			return "", nil
		}
		if strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data") {
			checkMultipart(t, req, body)
		}
		route, err := sp.ValidateRequest(req, body)
		if route == nil {
			return "", nil
		}
		return route.Operation.OperationID, err
	}
	checked := map[string]bool{}
	for _, r := range rec.Requests() {
		req := r.Req
		op, err := validate(req, r.Body)
		switch {
		case op == "":
			t.Errorf("%s %s: no such operation in the spec", req.Method, req.URL)
		case err != nil:
			t.Errorf("%s %s does not match %s: %v", req.Method, req.URL, op, err)
		}
		checked[op] = true
	}
	// The validator can fail: requests our client must never send are caught.
	for _, bad := range []struct{ method, url, body string }{
		{http.MethodGet, "/api.xro/2.0/Contacts?page=first", ""},
		{http.MethodGet, "/api.xro/2.0/Contacts?includeArchived=maybe", ""},
		{http.MethodPost, "/files.xro/1.0/Files/" + contact.ContactID + "/Associations", `{"ObjectId":"not-a-guid","ObjectGroup":"Contact","ObjectType":"Business"}`},
	} {
		req, _ := http.NewRequest(bad.method, srv+bad.url, strings.NewReader(bad.body))
		req.Header.Set("xero-tenant-id", tenant)
		if bad.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if op, err := validate(req, []byte(bad.body)); op == "" || err == nil {
			t.Errorf("%s %s %s passed the request validator (operation %q)", bad.method, bad.url, bad.body, op)
		}
	}
	for _, op := range []string{"getContacts", "getContact", "uploadFile", "uploadFileToFolder", "createFileAssociation",
		"getFileAssociations", "getAssociationsByObject", "createFolder", "getFolders", "getInbox", "getFiles"} {
		if !checked[op] {
			t.Errorf("operation %s was not exercised (checked: %v)", op, checked)
		}
	}
}

// checkMultipart checks the upload form has the fields the spec's
// UploadObject requires, and the file's bytes raw in "body".
func checkMultipart(t *testing.T, req *http.Request, body []byte) {
	t.Helper()
	r := req.Clone(context.Background())
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		t.Errorf("upload form: %v", err)
		return
	}
	for _, f := range []string{"name", "filename"} {
		if r.MultipartForm.Value[f] == nil {
			t.Errorf("upload form lacks %q", f)
		}
	}
	if len(r.MultipartForm.File["body"]) != 1 {
		t.Errorf("upload form lacks the file part \"body\"")
	}
	if req.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length %d, body %d bytes", req.ContentLength, len(body))
	}
}

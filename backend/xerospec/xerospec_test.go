package xerospec

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
)

func TestRouteAndUploadForm(t *testing.T) {
	specs, err := Xero()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := Load(AccountingFile); again != specs[0] {
		t.Fatal("the Accounting spec was loaded twice")
	}
	const guid = "8d3b3f3c-4f3a-4b5e-9c3e-2f1a0b9c8d7e"
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/api.xro/2.0/Contacts/" + guid, "/Contacts/{ContactID}"},
		{"GET", "/api.xro/2.0/Contacts/C-0042", "/Contacts/{ContactNumber}"},
		{"GET", "/api.xro/2.0/contacts", "/Contacts"},
		{"POST", "/files.xro/1.0/Files/" + guid, "/Files/{FileId}"}, // upload to a folder, after the clash is tolerated
		{"GET", "/files.xro/1.0/Associations/Count", "/Associations/Count"},
		{"DELETE", "/connections/" + guid, "/Connections/{id}"},
	} {
		req, _ := http.NewRequest(tc.method, "http://x"+tc.path, nil)
		sp := Owner(specs, req.URL.Path)
		if sp == nil {
			t.Errorf("%s: no spec owns it", tc.path)
			continue
		}
		route, _, err := sp.Route(req)
		if err != nil || route.Path != tc.want {
			t.Errorf("%s %s: route %v %v, want %s", tc.method, tc.path, route, err, tc.want)
		}
	}
	if Owner(specs, "/connect/token") != nil {
		t.Error("the token endpoint is not in the identity spec")
	}

	// The upload form validates with the file's raw bytes (format: byte is
	// tolerated), and still fails without a field UploadObject requires.
	upload := func(fields ...string) (*http.Request, []byte) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		for i := 0; i+1 < len(fields); i += 2 {
			_ = w.WriteField(fields[i], fields[i+1])
		}
		fw, _ := w.CreateFormFile("body", "a.pdf")
		_, _ = fw.Write([]byte{0x25, 0x50, 0x44, 0x46, 0xff, 0x00})
		_ = w.Close()
		req, _ := http.NewRequest("POST", "http://x/files.xro/1.0/Files", bytes.NewReader(b.Bytes()))
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("xero-tenant-id", guid)
		return req, b.Bytes()
	}
	if _, err := specs[1].ValidateRequest(upload("name", "a.pdf", "filename", "a.pdf")); err != nil {
		t.Errorf("upload form: %v", err)
	}
	if _, err := specs[1].ValidateRequest(upload("name", "a.pdf")); err == nil {
		t.Error("an upload form without filename validated")
	}
}

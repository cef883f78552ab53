package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The Files lists' default page size is the spec's 50 (maximum 100).
func TestFilesDefaultPageSizeIs50(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	contact := e.s.Contacts(e.org)[0].ContactID
	for i := 0; i < 120; i++ {
		status, f, raw := e.upload("/files.xro/1.0/Files", "python", fmt.Sprintf("p%03d.pdf", i), []byte{byte(i)})
		if status != 201 {
			t.Fatalf("upload %d: %d %s", i, status, raw)
		}
		if i < 60 {
			if resp, raw := e.call("POST", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org,
				map[string]string{"ObjectId": contact, "ObjectGroup": "Contact", "ObjectType": "Business"}, nil); resp.StatusCode != 201 {
				t.Fatalf("associate %d: %d %s", i, resp.StatusCode, raw)
			}
		}
	}
	var page struct {
		TotalCount, Page, PerPage int
		Items                     []json.RawMessage
	}
	for _, tc := range []struct {
		query        string
		perPage, got int
	}{{"", 50, 50}, {"?page=3", 50, 20}, {"?pagesize=100", 100, 100}, {"?pagesize=500", 100, 100}, {"?pagesize=7", 7, 7}} {
		if resp, raw := e.call("GET", "/files.xro/1.0/Files"+tc.query, e.org, nil, &page); resp.StatusCode != 200 ||
			page.TotalCount != 120 || page.PerPage != tc.perPage || len(page.Items) != tc.got {
			t.Errorf("GET /Files%s: %d total %d perPage %d items %d, want %d of %d: %.200s",
				tc.query, resp.StatusCode, page.TotalCount, page.PerPage, len(page.Items), tc.got, tc.perPage, raw)
		}
	}
	var assocs []json.RawMessage
	if resp, raw := e.call("GET", "/files.xro/1.0/Associations/"+contact, e.org, nil, &assocs); resp.StatusCode != 200 || len(assocs) != 50 {
		t.Errorf("GET /Associations/{id}: %d, %d associations, want the default 50 of 60: %.200s", resp.StatusCode, len(assocs), raw)
	}
}

// A method Xero does not have on a resource it has is 501 Not Implemented
// (Xero's error table); a resource it does not have stays 404.
func TestUnimplementedMethodIs501(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"DELETE", "/api.xro/2.0/Contacts", 501},
		{"PATCH", "/api.xro/2.0/Contacts/" + e.s.Contacts(e.org)[0].ContactID, 501},
		{"PATCH", "/files.xro/1.0/Files", 501},
		{"POST", "/files.xro/1.0/Inbox", 501},
		{"PUT", "/files.xro/1.0/Associations/Count", 501},
		{"GET", "/api.xro/2.0/Organisations", 404},
		{"GET", "/files.xro/1.0/Files/x/Bogus", 404},
	} {
		resp, raw := e.call(tc.method, tc.path, e.org, bytes.NewReader(nil), nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, resp.StatusCode, raw, tc.status)
		}
		if tc.status == 501 && !strings.Contains(string(raw), "The method has not been implemented") {
			t.Errorf("%s %s: body %s", tc.method, tc.path, raw)
		}
	}
}

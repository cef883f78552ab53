package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/xerospec"
)

// validatingTransport checks every request and response against the specs.
type validatingTransport struct {
	t     testing.TB
	base  http.RoundTripper
	specs []*xerospec.Spec
	mu    sync.Mutex
	seen  map[string]bool // "METHOD specPath status" validated
}

func (v *validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	if err := v.check(req, reqBody, resp, respBody); err != nil {
		v.t.Errorf("contract: %v", err)
	}
	return resp, nil
}

// check validates one exchange and notes which route and status it covered.
func (v *validatingTransport) check(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	sp := xerospec.Owner(v.specs, req.URL.Path)
	if sp == nil {
		return nil // not a path of the specs (sign-in pages, the token endpoint)
	}
	route, err := sp.ValidateExchange(req, reqBody, resp.StatusCode, resp.Header, respBody)
	if route == nil {
		return fmt.Errorf("%s %s: no route in the spec: %w", req.Method, req.URL.Path, err)
	}
	v.mu.Lock()
	v.seen[fmt.Sprintf("%s %s %d", req.Method, route.Path, resp.StatusCode)] = true
	v.mu.Unlock()
	return err
}

// TestContractCatchesBadResponses makes sure the validator is not vacuous.
func TestContractCatchesBadResponses(t *testing.T) {
	sp, err := xerospec.Xero()
	if err != nil {
		t.Fatal(err)
	}
	v := &validatingTransport{t: t, specs: sp, seen: map[string]bool{}}
	req, _ := http.NewRequest("GET", "http://x/api.xro/2.0/Contacts", nil)
	req.Header.Set("xero-tenant-id", "t")
	hdr := http.Header{"Content-Type": {"application/json"}}
	for _, body := range []string{
		`{"Contacts":[{"ContactStatus":"BOGUS"}]}`,
		`{"Contacts":[{"ContactID":"not-a-uuid"}]}`,
		`{"Contacts":[{"Phones":[{"PhoneType":"PAGER"}]}]}`,
		`{"pagination":{"page":"1"}}`,
	} {
		if err := v.check(req, nil, &http.Response{StatusCode: 200, Header: hdr}, []byte(body)); err == nil {
			t.Errorf("%s validated", body)
		}
	}
	req, _ = http.NewRequest("GET", "http://x/files.xro/1.0/Files/"+newUUID(nil), nil)
	req.Header.Set("xero-tenant-id", "t")
	if err := v.check(req, nil, &http.Response{StatusCode: 200, Header: hdr}, []byte(`{"Size":"big"}`)); err == nil {
		t.Error("a FileObject with a string Size validated")
	}

	// Error answers: each declared shape, then what breaks it.
	contacts, _ := http.NewRequest("GET", "http://x/api.xro/2.0/Contacts/"+newUUID(nil), nil)
	contacts.Header.Set("xero-tenant-id", "t")
	text := http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
	unauthorized := http.Header{"Content-Type": {"application/json"}, "Www-Authenticate": {`Bearer error="invalid_token"`}}
	limited := http.Header{"Retry-After": {"12"}, "X-Rate-Limit-Problem": {"minute"}}
	for _, tc := range []struct {
		name   string
		req    *http.Request
		status int
		header http.Header
		body   string
		ok     bool
	}{
		{"401", contacts, 401, unauthorized, `{"Type":null,"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 03/01/2026 09:30:00","Instance":"x","Extensions":{}}`, true},
		{"401 without WWW-Authenticate", contacts, 401, hdr, `{"Title":"Unauthorized","Status":401,"Detail":"AuthenticationUnsuccessful"}`, false},
		{"401 with a string status", contacts, 401, unauthorized, `{"Title":"Unauthorized","Status":"401","Detail":"x"}`, false},
		{"403 documented form", req, 403, hdr, `{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful","instance":"x"}`, true},
		{"403 without a detail", req, 403, hdr, `{"title":"Forbidden","status":403}`, false},
		{"403 with an unknown field", req, 403, hdr, `{"title":"Forbidden","status":403,"detail":"x","message":"y"}`, false},
		{"404 Accounting", contacts, 404, text, `The resource you're looking for cannot be found`, true},
		{"404 Accounting as JSON", contacts, 404, hdr, `{"Title":"NotFound"}`, false},
		{"404 Files", req, 404, hdr, `[{"type":"NotFound","title":"Not found","detail":"File not found"}]`, true},
		{"404 Files as an object", req, 404, hdr, `{"type":"NotFound","title":"Not found","detail":"File not found"}`, false},
		{"429", contacts, 429, limited, ``, true},
		{"429 without Retry-After", contacts, 429, http.Header{"X-Rate-Limit-Problem": {"minute"}}, ``, false},
		{"429 with a date for Retry-After", contacts, 429, http.Header{"Retry-After": {"Sun, 01 Mar 2026 09:00:00 GMT"}, "X-Rate-Limit-Problem": {"day"}}, ``, false},
		{"a status Xero does not send", contacts, 418, hdr, `{}`, false},
	} {
		err := v.check(tc.req, nil, &http.Response{StatusCode: tc.status, Header: tc.header}, []byte(tc.body))
		if (err == nil) != tc.ok {
			t.Errorf("%s: validation error %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestContract(t *testing.T) {
	sp, err := xerospec.Xero()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Options{DisableLimits: true, Contacts: 120})
	vt := &validatingTransport{t: t, base: e.c.Transport, specs: sp, seen: map[string]bool{}}
	e.c = &http.Client{Transport: vt, CheckRedirect: e.c.CheckRedirect}

	// Identity.
	var conns []connection
	e.call("GET", "/connections", "", nil, &conns)
	e.call("GET", "/connections?authEventId="+conns[0].AuthEventID, "", nil, nil)

	// Accounting contacts: every query form.
	for _, q := range []string{"", "page=1", "page=2&pageSize=50", "includeArchived=true&order=UpdatedDateUTC%20DESC",
		"summaryOnly=true&page=1", "searchTerm=smith", "where=" + url.QueryEscape(`ContactStatus=="ACTIVE" AND IsCustomer==true`),
		"IDs=" + e.s.Contacts(e.org)[0].ContactID + "," + e.s.Contacts(e.org)[1].ContactID} {
		if resp, _ := e.call("GET", "/api.xro/2.0/Contacts?"+q, e.org, nil, nil); resp.StatusCode != 200 {
			t.Errorf("contacts?%s: %d", q, resp.StatusCode)
		}
	}
	e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil, "If-Modified-Since", "Sun, 01 Mar 2026 08:00:00 GMT")
	e.call("GET", "/api.xro/2.0/Contacts/"+e.s.Contacts(e.org)[0].ContactID, e.org, nil, nil)
	var created contactsResp
	e.call("PUT", "/api.xro/2.0/Contacts", e.org, map[string]any{"Contacts": []map[string]any{{"Name": "Contract Test Ltd",
		"EmailAddress": "c@t.nz", "Phones": []map[string]string{{"PhoneType": "MOBILE", "PhoneNumber": "021 555"}}}}}, &created)
	e.call("POST", "/api.xro/2.0/Contacts", e.org, map[string]any{"Contacts": []map[string]any{{"ContactID": created.Contacts[0].ContactID, "Name": "Contract Test Limited"}}}, nil)
	e.call("POST", "/api.xro/2.0/Contacts/"+created.Contacts[0].ContactID, e.org, map[string]any{"Contacts": []map[string]any{{"IsSupplier": true}}}, nil)

	e.call("POST", "/api.xro/2.0/Contacts?summarizeErrors=false", e.org, map[string]any{"Contacts": []map[string]any{{"Name": "Batch One"}, {"EmailAddress": "x@y.z"}}}, nil)

	// Files.
	var inbox, folder map[string]any
	e.call("GET", "/files.xro/1.0/Inbox", e.org, nil, &inbox)
	e.call("GET", "/files.xro/1.0/Folders", e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Folders?sort=Name", e.org, nil, nil)
	e.call("POST", "/files.xro/1.0/Folders", e.org, map[string]string{"Name": "Contract"}, &folder, "Idempotency-Key", "f1")
	e.call("GET", "/files.xro/1.0/Folders/"+folder["Id"].(string), e.org, nil, nil)
	e.call("PUT", "/files.xro/1.0/Folders/"+folder["Id"].(string), e.org, map[string]string{"Name": "Contract 2"}, nil)
	_, f, _ := e.upload("/files.xro/1.0/Files", "node", "a.pdf", []byte("%PDF a"), "Idempotency-Key", "u1")
	e.upload("/files.xro/1.0/Files", "node", "a.pdf", []byte("%PDF a"), "Idempotency-Key", "u1") // replay
	_, f2, _ := e.upload("/files.xro/1.0/Files/"+folder["Id"].(string), "python", "b.png", []byte("png"))
	e.upload("/files.xro/1.0/Files", "node", "c.exe", []byte("MZ")) // 400
	e.call("GET", "/files.xro/1.0/Files", e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Files?pagesize=1&page=2&sort=Name&direction=DESC", e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Files/"+f.Id, e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Files/"+f.Id+"/Content", e.org, nil, nil)
	e.call("PUT", "/files.xro/1.0/Files/"+f2.Id, e.org, map[string]string{"Name": "b2.png"}, nil)
	c := e.s.Contacts(e.org)[0].ContactID
	e.call("POST", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org,
		map[string]string{"ObjectId": c, "ObjectGroup": "Contact", "ObjectType": "Business"}, nil, "Idempotency-Key", "a1")
	e.call("GET", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Associations/"+c, e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Associations/"+c+"?pagesize=10&page=1&sort=AssociationDateUtc&direction=DESC", e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Associations/Count?ObjectIds="+c+","+e.s.Contacts(e.org)[1].ContactID, e.org, nil, nil)
	e.call("DELETE", "/files.xro/1.0/Files/"+f.Id+"/Associations/"+c, e.org, nil, nil)
	e.call("DELETE", "/files.xro/1.0/Files/"+f2.Id, e.org, nil, nil)
	e.call("DELETE", "/files.xro/1.0/Folders/"+folder["Id"].(string), e.org, nil, nil)
	e.call("DELETE", "/connections/"+conns[1].ID, "", nil, nil)

	// Error answers. 404: ids that do not exist.
	missing := newUUID(nil)
	e.call("GET", "/api.xro/2.0/Contacts/"+missing, e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Files/"+missing, e.org, nil, nil)
	e.call("GET", "/files.xro/1.0/Folders/"+missing, e.org, nil, nil)
	e.call("DELETE", "/connections/"+missing, "", nil, nil)
	// 403: a tenant this sign-in never connected; 401 AuthorizationUnsuccessful: a scope it lacks.
	e.call("GET", "/api.xro/2.0/Contacts", missing, nil, nil)
	e.call("GET", "/files.xro/1.0/Files", missing, nil, nil)
	access := e.access
	e.access, _ = e.s.IssueToken("offline_access", "accounting.contacts.read", "files.read")
	e.call("PUT", "/api.xro/2.0/Contacts", e.org, map[string]any{"Contacts": []map[string]any{{"Name": "Read Only Ltd"}}}, nil)
	e.access = access
	// 429: a fault on uploads, then the real per-minute limit.
	if err := e.s.SetFault("POST /files.xro/1.0/Files", "429@n1"); err != nil {
		t.Fatal(err)
	}
	e.upload("/files.xro/1.0/Files", "node", "limited.pdf", []byte("%PDF"))
	limited := newEnv(t, Options{Contacts: 5})
	limited.c = e.c
	for i := 0; i <= 60; i++ {
		limited.call("GET", "/api.xro/2.0/Contacts", limited.org, nil, nil)
	}
	// 401: the access token has expired (Xero's detail says so).
	e.s.Advance(31 * time.Minute)
	if _, body := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil); !strings.Contains(string(body), "TokenExpired") {
		t.Errorf("expired token: %s", body)
	}
	e.call("GET", "/files.xro/1.0/Inbox", e.org, nil, nil)
	e.call("GET", "/connections", "", nil, nil)

	for _, want := range []string{"GET /Connections 200", "GET /Contacts 200", "PUT /Contacts 200", "POST /Contacts 200",
		"POST /Files 201", "POST /Files/{FileId} 201", "POST /Files 400", "GET /Files 200", "GET /Files/{FileId} 200",
		"GET /Files/{FileId}/Content 200", "PUT /Files/{FileId} 200", "DELETE /Files/{FileId} 204",
		"POST /Files/{FileId}/Associations 201", "GET /Files/{FileId}/Associations 200", "GET /Associations/{ObjectId} 200",
		"GET /Associations/Count 200", "DELETE /Files/{FileId}/Associations/{ObjectId} 204", "GET /Folders 200",
		"POST /Folders 200", "GET /Folders/{FolderId} 200", "PUT /Folders/{FolderId} 200", "DELETE /Folders/{FolderId} 204",
		"GET /Inbox 200", "DELETE /Connections/{id} 204",
		"GET /Contacts/{ContactID} 404", "GET /Files/{FileId} 404", "GET /Folders/{FolderId} 404", "DELETE /Connections/{id} 404",
		"GET /Contacts 403", "GET /Files 403", "PUT /Contacts 401", "POST /Files 429", "GET /Contacts 429",
		"GET /Contacts 401", "GET /Inbox 401", "GET /Connections 401"} {
		if !vt.seen[want] {
			t.Errorf("contract: %s was never validated (seen %v)", want, vt.seen)
		}
	}
}

package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	rules, err := parseFaults("POST /files.xro/1.0/Files*=500@p0.1; GET /api.xro/2.0/Contacts=drop@n3;/connect/token=slow:50ms@f2;/x=offline@e4")
	if err != nil || len(rules) != 4 {
		t.Fatalf("%v %d", err, len(rules))
	}
	if r := rules[0]; r.method != "POST" || r.action != "500" || r.trigger != 'p' || r.p != 0.1 {
		t.Errorf("rule 0 %+v", r)
	}
	if r := rules[2]; r.method != "" || r.action != "slow" || r.delay.Milliseconds() != 50 || r.trigger != 'f' || r.n != 2 {
		t.Errorf("rule 2 %+v", r)
	}
	for _, bad := range []string{"/x", "x=500", "/x=teapot", "/x=500@n0", "/x=500@p2", "/x=500@q1", "/x=slow:soon"} {
		if _, err := parseFaults(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"/files.xro/1.0/files*", "/files.xro/1.0/files/abc/associations", true},
		{"/files.xro/1.0/files", "/files.xro/1.0/files/abc", false},
		{"*/associations", "/files.xro/1.0/files/abc/associations", true},
		{"/a*c*e", "/abcde", true},
		{"/a*c*e", "/abcd", false},
	} {
		if got := globMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestTriggers(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	statuses := func(n int) []int {
		var out []int
		for i := 0; i < n; i++ {
			resp, _ := e.call("GET", "/files.xro/1.0/Inbox", e.org, nil, nil)
			out = append(out, resp.StatusCode)
		}
		return out
	}
	for spec, want := range map[string][]int{
		"500@n2": {200, 500, 200, 200},
		"500@e2": {200, 500, 200, 500},
		"500@f2": {500, 500, 200, 200},
		"500":    {500, 500, 500, 500},
		"500@p0": {200, 200, 200, 200},
		"500@p1": {500, 500, 500, 500},
	} {
		if err := e.s.SetFault("GET /files.xro/1.0/Inbox", spec); err != nil {
			t.Fatal(err)
		}
		if got := statuses(4); !equalInts(got, want) {
			t.Errorf("%s: %v, want %v", spec, got, want)
		}
	}
	e.s.ClearFaults()
	if got := statuses(1); got[0] != 200 {
		t.Errorf("after ClearFaults: %v", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEachFault(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true, LimitScale: 60})
	route := "GET /api.xro/2.0/Contacts"
	set := func(spec string) {
		t.Helper()
		if err := e.s.SetFault(route, spec); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("500", func(t *testing.T) {
		set("500@n1")
		if resp, _ := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil); resp.StatusCode != 500 {
			t.Errorf("%d", resp.StatusCode)
		}
	})
	t.Run("400 refused for good", func(t *testing.T) {
		set("400@n1")
		resp, body := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil)
		if resp.StatusCode != 400 || !strings.Contains(string(body), "Validation") {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("503 maintenance", func(t *testing.T) {
		set("503@n1")
		resp, body := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil)
		if resp.StatusCode != 503 || !strings.Contains(string(body), "maintenance") {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("503 organisation offline", func(t *testing.T) {
		set("offline@n1")
		resp, body := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil)
		if resp.StatusCode != 503 || string(body) != "The Organisation is offline" || resp.Header.Get("Retry-After") != "5" {
			t.Errorf("%d %s Retry-After %q (300 s scaled by 60)", resp.StatusCode, body, resp.Header.Get("Retry-After"))
		}
	})
	t.Run("429", func(t *testing.T) {
		set("429@n1")
		resp, _ := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil)
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || resp.Header.Get("X-Rate-Limit-Problem") != "minute" {
			t.Errorf("%d %v", resp.StatusCode, resp.Header)
		}
	})
	t.Run("503 rate limit, older form", func(t *testing.T) {
		set("503rate@n1")
		resp, body := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil)
		if resp.StatusCode != 503 || !strings.Contains(string(body), "oauth_problem=rate%20limit%20exceeded") {
			t.Errorf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("slow", func(t *testing.T) {
		const delay = 60 * time.Millisecond
		set("slow:" + delay.String() + "@n1")
		start := time.Now()
		if resp, _ := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil); resp.StatusCode != 200 {
			t.Errorf("%d", resp.StatusCode)
		}
		if took := time.Since(start); took < delay {
			t.Errorf("slow:%s answered in %s", delay, took)
		}
		reqs := e.s.Requests()
		if last := reqs[len(reqs)-1]; last.Fault != "slow" || last.Status != 200 {
			t.Errorf("recorded %+v", last)
		}
	})
	t.Run("drop", func(t *testing.T) {
		set("drop@n1")
		req, _ := http.NewRequest("GET", e.base+"/api.xro/2.0/Contacts", nil)
		req.Header.Set("Authorization", "Bearer "+e.access)
		req.Header.Set("xero-tenant-id", e.org)
		// A fresh connection: Go's transport silently retries a GET whose
		// reused connection closed before answering.
		fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		if resp, err := fresh.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("got a response %d", resp.StatusCode)
		}
		reqs := e.s.Requests()
		if last := reqs[len(reqs)-1]; last.Fault != "drop" || last.Status != 0 {
			t.Errorf("recorded %+v", last)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		set("malformed@n1")
		resp, body := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil)
		var v any
		if resp.StatusCode != 200 || json.Unmarshal(body, &v) == nil {
			t.Errorf("%d: body parses", resp.StatusCode)
		}
	})
}

// TestDropAfterCommit is the fault that makes exactly-once real: the upload
// is stored, the client sees a dropped connection, and its retry with the
// same Idempotency-Key gets the stored answer instead of a second file.
func TestDropAfterCommit(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	if err := e.s.SetFaults("POST /files.xro/1.0/Files=dropafter@n1;POST /files.xro/1.0/Files/*/Associations=dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	buf, ctype := multipartUpload(t, "node", "tax.pdf", []byte("return"))
	req, _ := http.NewRequest("POST", e.base+"/files.xro/1.0/Files", buf)
	req.Header.Set("Authorization", "Bearer "+e.access)
	req.Header.Set("xero-tenant-id", e.org)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Idempotency-Key", "upload-1")
	if resp, err := e.c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropafter answered %d", resp.StatusCode)
	}
	if n := len(e.s.Files(e.org)); n != 1 {
		t.Fatalf("the dropped upload was not committed: %d files", n)
	}
	status, f, _ := e.upload("/files.xro/1.0/Files", "node", "tax.pdf", []byte("return"), "Idempotency-Key", "upload-1")
	if status != 201 || f.Id != e.s.Files(e.org)[0].ID || len(e.s.Files(e.org)) != 1 {
		t.Fatalf("retry: %d %+v, %d files", status, f, len(e.s.Files(e.org)))
	}

	contact := e.s.Contacts(e.org)[2].ContactID
	body := strings.NewReader(`{"ObjectId":"` + contact + `","ObjectGroup":"Contact","ObjectType":"Person"}`)
	req, _ = http.NewRequest("POST", e.base+"/files.xro/1.0/Files/"+f.Id+"/Associations", body)
	req.Header.Set("Authorization", "Bearer "+e.access)
	req.Header.Set("xero-tenant-id", e.org)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := e.c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropafter answered %d", resp.StatusCode)
	}
	if got := e.s.FilesFor(e.org, contact); len(got) != 1 {
		t.Fatalf("association not committed: %+v", got)
	}
	resp, _ := e.call("POST", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org,
		map[string]string{"ObjectId": contact, "ObjectGroup": "Contact", "ObjectType": "Person"}, nil)
	if resp.StatusCode != 201 || len(e.s.Associations(e.org)) != 1 {
		t.Fatalf("retry association: %d, %d associations", resp.StatusCode, len(e.s.Associations(e.org)))
	}
}

func TestFaultOnTokenEndpointAndGrace(t *testing.T) {
	// A refresh whose answer is lost: the new token was issued, the client
	// never saw it, and the old one still works within the grace period.
	e := newEnv(t, Options{})
	if err := e.s.SetFault("POST /connect/token", "dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	resp, err := e.c.PostForm(e.base+"/connect/token", map[string][]string{"grant_type": {"refresh_token"},
		"refresh_token": {e.refresh}, "client_id": {"chase-demo"}})
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		t.Fatalf("answered %d", resp.StatusCode)
	}
	if status, tok := e.refreshWith(e.refresh); status != 200 || tok.AccessToken == "" {
		t.Fatalf("grace retry: %d %+v", status, tok)
	}
	if e.s.TokenRefreshes() != 2 {
		t.Errorf("refreshes = %d", e.s.TokenRefreshes())
	}
}

func TestDropBeforeHandlingStoresNothing(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	if err := e.s.SetFault("POST /files.xro/1.0/Files", "drop@f1"); err != nil {
		t.Fatal(err)
	}
	buf, ctype := multipartUpload(t, "node", "x.pdf", []byte("x"))
	req, _ := http.NewRequest("POST", e.base+"/files.xro/1.0/Files", buf)
	req.Header.Set("Authorization", "Bearer "+e.access)
	req.Header.Set("xero-tenant-id", e.org)
	req.Header.Set("Content-Type", ctype)
	if resp, err := e.c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("drop answered %d", resp.StatusCode)
	}
	if n := len(e.s.Files(e.org)); n != 0 {
		t.Fatalf("a dropped request stored %d files", n)
	}
	if status, _, _ := e.upload("/files.xro/1.0/Files", "node", "x.pdf", []byte("x")); status != 201 || len(e.s.Files(e.org)) != 1 {
		t.Fatalf("retry: %d", status)
	}
}

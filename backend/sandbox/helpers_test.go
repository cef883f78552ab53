package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

type env struct {
	t               testing.TB
	s               *Server
	base            string
	c               *http.Client
	access, refresh string
	org, org2, xpm  string
}

func newEnv(t testing.TB, o Options) *env {
	t.Helper()
	if o.Clock == nil {
		clk := &fakeClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
		o.Clock = clk.Now
	}
	s := New(o)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	c := ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	e := &env{t: t, s: s, base: ts.URL, c: c}
	e.access, e.refresh = s.IssueToken()
	ts0 := s.Tenants()
	e.org, e.org2, e.xpm = ts0[0].ID, ts0[1].ID, ts0[2].ID
	return e
}

// do sends a request with the env's token; hdr is name, value pairs.
func (e *env) do(method, path, tenant string, body io.Reader, hdr ...string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.base+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if e.access != "" {
		req.Header.Set("Authorization", "Bearer "+e.access)
	}
	if tenant != "" {
		req.Header.Set("xero-tenant-id", tenant)
	}
	req.Header.Set("Accept", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp
}

// call sends a request (JSON-encoding body unless it is an io.Reader) and
// decodes a JSON answer into out. It returns the response with its body read.
func (e *env) call(method, path, tenant string, body any, out any, hdr ...string) (*http.Response, []byte) {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case io.Reader:
		r = b
	default:
		raw, _ := json.Marshal(b)
		r = bytes.NewReader(raw)
		hdr = append(hdr, "Content-Type", "application/json")
	}
	resp := e.do(method, path, tenant, r, hdr...)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		e.t.Fatal(err)
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			e.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp, raw
}

func pkcePair() (verifier, challenge string) {
	verifier = strings.Repeat("abcDEF123-._~", 5)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize drives the authorize and consent pages as a browser would and
// returns the redirect's query.
func (e *env) authorize(scope string, extra url.Values) url.Values {
	e.t.Helper()
	_, challenge := pkcePair()
	q := url.Values{"client_id": {"chase-demo"}, "redirect_uri": {"http://localhost:51234/callback"},
		"response_type": {"code"}, "scope": {scope}, "state": {"st4te"}, "code_challenge": {challenge},
		"code_challenge_method": {"S256"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, err := e.c.Get(e.base + "/identity/connect/authorize?" + q.Encode())
	if err != nil {
		e.t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusFound {
		return redirectQuery(e.t, resp)
	}
	m := consentRequest.FindSubmatch(page)
	if resp.StatusCode != 200 || m == nil {
		e.t.Fatalf("authorize: %d %s", resp.StatusCode, page)
	}
	form := url.Values{"request": {string(m[1])}, "decision": {"allow"}}
	for _, tid := range consentTenant.FindAllSubmatch(page, -1) {
		form.Add("tenant", string(tid[1]))
	}
	resp, err = e.c.PostForm(e.base+"/identity/connect/consent", form)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		e.t.Fatalf("consent: status %d", resp.StatusCode)
	}
	return redirectQuery(e.t, resp)
}

func redirectQuery(t testing.TB, resp *http.Response) url.Values {
	t.Helper()
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

type tokenResp struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	IDToken      string `json:"id_token"`
	Error        string `json:"error"`
}

func (e *env) token(form url.Values) (int, tokenResp) {
	e.t.Helper()
	resp, err := e.c.PostForm(e.base+"/connect/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out tokenResp
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, out
}

func (e *env) refreshWith(rt string) (int, tokenResp) {
	return e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"chase-demo"}})
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func regexpMust(s string) *regexp.Regexp { return regexp.MustCompile(s) }

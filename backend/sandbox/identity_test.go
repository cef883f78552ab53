package sandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const fullScope = "openid profile email offline_access accounting.contacts files practicemanager.job.read practicemanager.client.read"

func exchange(e *env, code string) (int, tokenResp) {
	verifier, _ := pkcePair()
	return e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"chase-demo"},
		"redirect_uri": {"http://localhost:51234/callback"}, "code_verifier": {verifier}})
}

func TestAuthorizeConsentAndTokenFlow(t *testing.T) {
	e := newEnv(t, Options{})
	q := e.authorize(fullScope, nil)
	if q.Get("state") != "st4te" || q.Get("code") == "" {
		t.Fatalf("redirect query %v", q)
	}
	status, tok := exchange(e, q.Get("code"))
	if status != 200 || tok.AccessToken == "" || tok.RefreshToken == "" || tok.ExpiresIn != 1800 ||
		tok.TokenType != "Bearer" || tok.IDToken == "" || !strings.Contains(tok.Scope, "files") {
		t.Fatalf("token: %d %+v", status, tok)
	}
	if strings.Count(tok.AccessToken, ".") != 2 {
		t.Errorf("access token %q does not look like a JWT", tok.AccessToken)
	}
	e.access = tok.AccessToken
	var conns []connection
	resp, _ := e.call("GET", "/connections", "", nil, &conns)
	if resp.StatusCode != 200 || len(conns) != 3 {
		t.Fatalf("connections: %d %+v", resp.StatusCode, conns)
	}
	types := map[string]int{}
	for _, c := range conns {
		types[c.TenantType]++
		if c.AuthEventID == "" || c.ID == "" || c.CreatedDateUTC == "" {
			t.Errorf("incomplete connection %+v", c)
		}
	}
	if types["ORGANISATION"] != 2 || types["PRACTICEMANAGER"] != 1 {
		t.Errorf("tenant types %v", types)
	}
	if e.s.TokenGrants() != 1 {
		t.Errorf("grants = %d", e.s.TokenGrants())
	}
}

func TestConsentPicksTenantsAndDeleteConnection(t *testing.T) {
	e := newEnv(t, Options{})
	// Disconnect everything IssueToken connected, then consent to one tenant only.
	var conns []connection
	e.call("GET", "/connections", "", nil, &conns)
	for _, c := range conns {
		if resp, _ := e.call("DELETE", "/connections/"+c.ID, "", nil, nil); resp.StatusCode != 204 {
			t.Fatalf("delete connection: %d", resp.StatusCode)
		}
	}
	if resp, _ := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil); resp.StatusCode != 403 {
		t.Fatalf("contacts after disconnect: %d, want 403", resp.StatusCode)
	}
	_, challenge := pkcePair()
	q := url.Values{"client_id": {"chase-demo"}, "redirect_uri": {"http://127.0.0.1:9999/cb"}, "response_type": {"code"},
		"scope": {"offline_access accounting.contacts.read"}, "state": {"s"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	resp, _ := e.c.Get(e.base + "/identity/connect/authorize?" + q.Encode())
	body := readAll(t, resp)
	if strings.Contains(body, e.xpm) || !strings.Contains(body, e.org2) || !strings.Contains(body, "Allow") {
		t.Fatalf("consent page for accounting scopes should list the two organisations only:\n%s", body)
	}
	id := consentRequest.FindStringSubmatch(body)[1]
	resp, err := e.c.PostForm(e.base+"/identity/connect/consent", url.Values{"request": {id}, "decision": {"allow"}, "tenant": {e.org2}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	code := redirectQuery(t, resp).Get("code")
	verifier, _ := pkcePair()
	status, tok := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"chase-demo"},
		"redirect_uri": {"http://127.0.0.1:9999/cb"}, "code_verifier": {verifier}})
	if status != 200 || tok.IDToken != "" {
		t.Fatalf("token: %d %+v (no openid scope, so no id_token)", status, tok)
	}
	e.access = tok.AccessToken
	e.call("GET", "/connections", "", nil, &conns)
	if len(conns) != 1 || conns[0].TenantID != e.org2 {
		t.Fatalf("connections = %+v", conns)
	}
	if resp, _ := e.call("GET", "/api.xro/2.0/Contacts", e.org, nil, nil); resp.StatusCode != 403 {
		t.Errorf("ungranted tenant: %d, want 403", resp.StatusCode)
	}
	if resp, _ := e.call("GET", "/api.xro/2.0/Contacts", e.org2, nil, nil); resp.StatusCode != 200 {
		t.Errorf("granted tenant: %d", resp.StatusCode)
	}
	// A read-only scope cannot write.
	if resp, _ := e.call("POST", "/api.xro/2.0/Contacts", e.org2, map[string]any{"Name": "X"}, nil); resp.StatusCode != 401 {
		t.Errorf("write with read scope: %d, want 401", resp.StatusCode)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

func TestAuthorizeRejectsBadRequests(t *testing.T) {
	e := newEnv(t, Options{})
	_, challenge := pkcePair()
	good := url.Values{"client_id": {"chase-demo"}, "redirect_uri": {"http://localhost:5000/callback"}, "response_type": {"code"},
		"scope": {"openid accounting.contacts"}, "state": {"s1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	cases := []struct {
		name, key, value string
		wantStatus       int
		wantError        string // error in the redirect, for 302
	}{
		{"unknown client", "client_id", "nope", 400, ""},
		{"custom scheme redirect", "redirect_uri", "chase://callback", 400, ""},
		{"http non-loopback redirect", "redirect_uri", "http://example.com/cb", 400, ""},
		{"token response type", "response_type", "token", 302, "unsupported_response_type"},
		{"no challenge", "code_challenge", "", 302, "invalid_request"},
		{"plain method", "code_challenge_method", "plain", 302, "invalid_request"},
		{"unknown scope", "scope", "openid bogus.scope", 302, "invalid_scope"},
		{"https redirect is fine", "redirect_uri", "https://app.example.com/cb", 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range good {
				q[k] = v
			}
			q.Set(tc.key, tc.value)
			resp, err := e.c.Get(e.base + "/identity/connect/authorize?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if tc.wantError != "" {
				rq := redirectQuery(t, resp)
				if rq.Get("error") != tc.wantError || rq.Get("state") != "s1" {
					t.Errorf("redirect %v", rq)
				}
			}
		})
	}
}

func TestAutoConsent(t *testing.T) {
	e := newEnv(t, Options{AutoConsent: true})
	q := e.authorize(fullScope, nil) // authorize answers 302 at once
	if status, _ := exchange(e, q.Get("code")); status != 200 {
		t.Fatalf("exchange: %d", status)
	}
}

func TestCodeExchangeRules(t *testing.T) {
	e := newEnv(t, Options{AutoConsent: true})
	t.Run("PKCE mismatch", func(t *testing.T) {
		code := e.authorize(fullScope, nil).Get("code")
		status, tok := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"chase-demo"},
			"redirect_uri": {"http://localhost:51234/callback"}, "code_verifier": {strings.Repeat("x", 50)}})
		if status != 400 || tok.Error != "invalid_grant" {
			t.Fatalf("%d %+v", status, tok)
		}
		if status, _ := exchange(e, code); status != 400 {
			t.Errorf("a code survives a failed exchange: %d", status)
		}
	})
	t.Run("reused code", func(t *testing.T) {
		code := e.authorize(fullScope, nil).Get("code")
		if status, _ := exchange(e, code); status != 200 {
			t.Fatalf("first exchange %d", status)
		}
		if status, tok := exchange(e, code); status != 400 || tok.Error != "invalid_grant" {
			t.Fatalf("second exchange %d %+v", status, tok)
		}
	})
	t.Run("redirect_uri mismatch", func(t *testing.T) {
		code := e.authorize(fullScope, nil).Get("code")
		verifier, _ := pkcePair()
		status, tok := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"chase-demo"},
			"redirect_uri": {"http://localhost:51235/callback"}, "code_verifier": {verifier}})
		if status != 400 || tok.Error != "invalid_grant" {
			t.Fatalf("%d %+v", status, tok)
		}
	})
	t.Run("expired code", func(t *testing.T) {
		code := e.authorize(fullScope, nil).Get("code")
		e.s.Advance(6 * time.Minute)
		if status, tok := exchange(e, code); status != 400 || tok.Error != "invalid_grant" {
			t.Fatalf("%d %+v", status, tok)
		}
	})
	t.Run("client errors", func(t *testing.T) {
		if status, tok := e.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {"other"}}); status != 400 || tok.Error != "invalid_client" {
			t.Errorf("unknown client: %d %+v", status, tok)
		}
		if status, tok := e.token(url.Values{"grant_type": {"password"}, "client_id": {"chase-demo"}}); status != 400 || tok.Error != "unsupported_grant_type" {
			t.Errorf("password grant: %d %+v", status, tok)
		}
	})
	t.Run("client in HTTP Basic", func(t *testing.T) {
		req, _ := http.NewRequest("POST", e.base+"/connect/token",
			strings.NewReader(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {e.refresh}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("chase-demo", "")
		resp, err := e.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("basic auth refresh: %d", resp.StatusCode)
		}
	})
}

func TestRefreshRotationAndGrace(t *testing.T) {
	e := newEnv(t, Options{})
	r0 := e.refresh
	status, t1 := e.refreshWith(r0)
	if status != 200 || t1.RefreshToken == "" || t1.RefreshToken == r0 {
		t.Fatalf("rotation: %d %+v", status, t1)
	}
	// The client lost that answer: within 30 minutes, while r1 is unused, r0 works again.
	e.s.Advance(10 * time.Minute)
	status, t2 := e.refreshWith(r0)
	if status != 200 || t2.RefreshToken == t1.RefreshToken {
		t.Fatalf("grace retry: %d %+v", status, t2)
	}
	if status, tok := e.refreshWith(t1.RefreshToken); status != 400 || tok.Error != "invalid_grant" {
		t.Errorf("the superseded successor still works: %d %+v", status, tok)
	}
	// Once the successor is used, the grace ends at once.
	status, t3 := e.refreshWith(t2.RefreshToken)
	if status != 200 {
		t.Fatalf("using successor: %d", status)
	}
	if status, tok := e.refreshWith(r0); status != 400 || tok.Error != "invalid_grant" {
		t.Errorf("old token after successor used: %d %+v", status, tok)
	}
	// And an unused successor does not extend it past 30 minutes.
	e.refreshWith(t3.RefreshToken)
	e.s.Advance(31 * time.Minute)
	if status, _ := e.refreshWith(t3.RefreshToken); status != 400 {
		t.Errorf("old token after 31 minutes: %d", status)
	}
	if e.s.TokenRefreshes() != 4 {
		t.Errorf("refreshes = %d, want 4", e.s.TokenRefreshes())
	}
}

func TestRevokedAndRevocationEndpoint(t *testing.T) {
	e := newEnv(t, Options{})
	e.s.RevokeRefreshTokens()
	if status, tok := e.refreshWith(e.refresh); status != 400 || tok.Error != "invalid_grant" {
		t.Fatalf("revoked: %d %+v", status, tok)
	}
	_, r := e.s.IssueToken()
	resp, err := e.c.PostForm(e.base+"/connect/revocation", url.Values{"token": {r}, "client_id": {"chase-demo"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("revocation: %d", resp.StatusCode)
	}
	if status, _ := e.refreshWith(r); status != 400 {
		t.Errorf("refresh after revocation: %d", status)
	}
}

// authorizeRaw sends an authorize request for scope with redirect (no
// browser, no consent) and returns the answer with its body read.
func (e *env) authorizeRaw(scope, redirect string) (*http.Response, string) {
	e.t.Helper()
	_, challenge := pkcePair()
	q := url.Values{"client_id": {"chase-demo"}, "redirect_uri": {redirect}, "response_type": {"code"},
		"scope": {scope}, "state": {"s1"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	resp, err := e.c.Get(e.base + "/identity/connect/authorize?" + q.Encode())
	if err != nil {
		e.t.Fatal(err)
	}
	var b strings.Builder
	io.Copy(&b, resp.Body)
	resp.Body.Close()
	return resp, b.String()
}

func TestRegisteredRedirectURIs(t *testing.T) {
	const registered = "http://localhost:51234/callback"
	e := newEnv(t, Options{AutoConsent: true, RedirectURIs: []string{registered, "https://app.example.com/cb"}})
	code := e.authorize(fullScope, nil).Get("code") // e.authorize uses the registered URI
	if status, _ := exchange(e, code); status != 200 {
		t.Fatalf("registered redirect: exchange %d", status)
	}
	for _, other := range []string{
		"http://localhost:51235/callback",  // another loopback port
		"http://localhost:51234/callback/", // trailing slash
		"http://127.0.0.1:51234/callback",  // the same host by another name
		"http://localhost:51234/Callback",  // case
		"https://app.example.com/cb?x=1",   // added query
	} {
		resp, page := e.authorizeRaw(fullScope, other)
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" || !strings.Contains(page, "Invalid redirect_uri") {
			t.Errorf("%s: %d Location %q: %s", other, resp.StatusCode, resp.Header.Get("Location"), page)
		}
	}
	// The code exchange wants exactly the (registered) redirect_uri the code
	// was issued for; any other gets invalid_grant, as at Xero.
	code = e.authorize(fullScope, nil).Get("code")
	verifier, _ := pkcePair()
	status, tok := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"chase-demo"},
		"redirect_uri": {"http://localhost:51235/callback"}, "code_verifier": {verifier}})
	if status != 400 || tok.Error != "invalid_grant" {
		t.Errorf("exchange with an unregistered redirect_uri: %d %+v", status, tok)
	}

	// Unregistered (the default): any loopback port will do.
	open := newEnv(t, Options{AutoConsent: true})
	if resp, _ := open.authorizeRaw(fullScope, "http://localhost:51235/callback"); resp.StatusCode != http.StatusFound {
		t.Errorf("no registered URIs: %d, want a redirect", resp.StatusCode)
	}
}

// An app without Practice Manager access asking for XPM scopes gets Xero's
// error page and never a redirect back: the app hears nothing.
func TestRefuseXPMScopes(t *testing.T) {
	e := newEnv(t, Options{RefuseXPMScopes: true})
	for _, scope := range []string{fullScope, "offline_access accounting.contacts practicemanager"} {
		resp, page := e.authorizeRaw(scope, "http://localhost:51234/callback")
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" ||
			!strings.Contains(page, "unauthorized_client : Invalid scope for client") {
			t.Errorf("%q: %d Location %q: %s", scope, resp.StatusCode, resp.Header.Get("Location"), page)
		}
	}
	// Without XPM scopes the consent offers the organisations, as usual.
	resp, page := e.authorizeRaw("openid offline_access accounting.contacts files", "http://localhost:51234/callback")
	if resp.StatusCode != 200 || !strings.Contains(page, e.org) || strings.Contains(page, e.xpm) {
		t.Fatalf("consent without XPM: %d %s", resp.StatusCode, page)
	}
	e.s.SetRefuseXPMScopes(false)
	if q := e.authorize(fullScope, nil); q.Get("code") == "" {
		t.Fatalf("XPM allowed again: %v", q)
	}
}

// Consent, as other packages' tests use it: it allows every offered tenant
// and lands on the app's callback; a refused request ends on Xero's page.
func TestConsentHelper(t *testing.T) {
	e := newEnv(t, Options{})
	var callback *url.URL
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		callback = r.URL
		io.WriteString(w, "app callback")
	}))
	defer app.Close()
	_, challenge := pkcePair()
	authURL := e.base + "/identity/connect/authorize?" + url.Values{"client_id": {"chase-demo"}, "redirect_uri": {app.URL + "/cb"},
		"response_type": {"code"}, "scope": {fullScope}, "state": {"s"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}.Encode()
	var prior []connection
	e.call("GET", "/connections", "", nil, &prior)
	before := prior[0].AuthEventID
	status, page, err := Consent(http.DefaultClient, authURL)
	if err != nil || status != 200 || page != "app callback" || callback == nil || callback.Query().Get("code") == "" {
		t.Fatalf("Consent: %d %q %v, callback %v", status, page, err, callback)
	}
	code := callback.Query().Get("code")
	verifier, _ := pkcePair()
	status, tok := e.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {"chase-demo"},
		"redirect_uri": {app.URL + "/cb"}, "code_verifier": {verifier}})
	if status != 200 {
		t.Fatalf("exchange: %d %+v", status, tok)
	}
	e.access = tok.AccessToken
	var conns []connection
	e.call("GET", "/connections", "", nil, &conns)
	for _, c := range conns { // newEnv's IssueToken connected them under another auth event
		if c.AuthEventID != conns[0].AuthEventID || c.AuthEventID == before {
			t.Errorf("not every offered tenant was allowed: %+v", conns)
		}
	}

	e.s.SetRefuseXPMScopes(true)
	callback = nil
	status, page, err = Consent(http.DefaultClient, authURL)
	if err != nil || status != http.StatusBadRequest || !strings.Contains(page, "Invalid scope for client") || callback != nil {
		t.Fatalf("refused: %d %q %v, callback %v", status, page, err, callback)
	}
}

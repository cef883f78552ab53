package core

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"chase.md/backend/auth"
)

// The demo Xero knows the app's redirect URIs as a practice's Xero app does:
// any other (another host, port or path) gets Xero's error page and no
// redirect, and the app's own sign-in still works.
func TestDemoRefusesUnregisteredRedirect(t *testing.T) {
	s, ctx := openDemo(t)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	authorize := func(redirect string) (int, string, string) {
		t.Helper()
		q := url.Values{"response_type": {"code"}, "client_id": {s.cfg.ClientID}, "redirect_uri": {redirect},
			"scope": {"openid offline_access files"}, "state": {"s1"},
			"code_challenge": {strings.Repeat("A", 43)}, "code_challenge_method": {"S256"}}
		resp, err := hc.Get(s.cfg.LoginURL + "/identity/connect/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(page)
	}
	for _, bad := range []string{"https://attacker.example/cb", "http://localhost:9/anything",
		"http://localhost:53685/callback", "http://localhost:53682/callback/", "http://127.0.0.1:53682/callback"} {
		status, location, page := authorize(bad)
		if location != "" || !strings.Contains(page, "Invalid redirect_uri") {
			t.Errorf("%s: %d, Location %q, page %.200q; want Xero's error page and no redirect", bad, status, location, page)
		}
	}
	for _, good := range auth.RedirectURIs(nil) {
		if _, location, page := authorize(good); !strings.HasPrefix(location, good+"?") {
			t.Errorf("%s: Location %q, page %.200q; want the code sent there", good, location, page)
		}
	}
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatalf("the demo's own sign-in: %v", err)
	}
}

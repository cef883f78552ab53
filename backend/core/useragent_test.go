package core

import (
	"strings"
	"testing"

	"chase.md/backend/config"
	"chase.md/backend/sandbox"
)

// Every call chase.md makes to Xero, /connections included, carries the
// same User-Agent.
func TestOneUserAgentForEveryXeroCall(t *testing.T) {
	s, ctx := openDemo(t)
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	main := s.Sandbox.TenantID(sandbox.PracticeOrgName)
	if _, err := s.Conn.Tenants(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Xero(main).Folders(ctx); err != nil {
		t.Fatal(err)
	}
	want := "chase.md/" + config.Version
	seen := map[string]bool{}
	for _, r := range s.Sandbox.Requests() {
		p := strings.ToLower(r.Path)
		kind := ""
		switch {
		case strings.HasPrefix(p, "/connections"):
			kind = "connections"
		case strings.HasPrefix(p, "/files.xro/"):
			kind = "files"
		case p == "/connect/token":
			kind = "token"
		default:
			continue
		}
		seen[kind] = true
		if r.UserAgent != want {
			t.Errorf("%s %s: User-Agent %q, want %q", r.Method, r.Path, r.UserAgent, want)
		}
	}
	for _, k := range []string{"connections", "files", "token"} {
		if !seen[k] {
			t.Errorf("no %s call recorded", k)
		}
	}
}

package auth

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"chase.md/backend/sandbox"
)

// The CLI helpers against a demo sandbox with AutoConsent: the consent page
// redirects straight back, as in demo mode.
func TestCLILoginTenantsLogout(t *testing.T) {
	sb := sandbox.New(sandbox.Options{AutoConsent: true, ClientIDs: []string{testClientID}, DisableLimits: true})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	store := NewMemoryStore()
	opts := Options{
		ClientID:   testClientID,
		Endpoints:  Endpoints{LoginURL: srv.URL, IdentityURL: srv.URL, APIURL: srv.URL},
		Store:      store,
		HTTPClient: srv.Client(),
		Ports:      []int{0},
		OpenURL: func(u string) error {
			resp, err := http.Get(u) // follows the redirect to the callback
			if err != nil {
				return err
			}
			readAll(resp)
			return nil
		},
	}
	ctx := context.Background()
	var out bytes.Buffer
	if err := LoginCLI(ctx, opts, true, &out); err != nil {
		t.Fatalf("LoginCLI: %v\n%s", err, out.String())
	}
	name := sb.Tenants()[0].Name
	if s := out.String(); !strings.Contains(s, "/identity/connect/authorize?") || !strings.Contains(s, "Signed in") || !strings.Contains(s, name) {
		t.Errorf("login output:\n%s", s)
	}
	out.Reset()
	if err := TenantsCLI(ctx, opts, &out); err != nil || !strings.Contains(out.String(), name) || !strings.Contains(out.String(), "PRACTICEMANAGER") {
		t.Errorf("TenantsCLI: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := LogoutCLI(ctx, opts, &out); err != nil || !strings.Contains(out.String(), "Signed out") {
		t.Errorf("LogoutCLI: %v\n%s", err, out.String())
	}
	if _, err := store.Load(ctx, "xero"); !errors.Is(err, ErrSignedOut) {
		t.Errorf("token left after logout: %v", err)
	}
	if err := TenantsCLI(ctx, opts, &out); !errors.Is(err, ErrSignedOut) {
		t.Errorf("TenantsCLI after logout = %v", err)
	}
}

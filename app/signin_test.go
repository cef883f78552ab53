package app

import (
	"errors"
	"net/http"
	"testing"

	"github.com/zalando/go-keyring"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/sandbox"
)

const signInClientID = "0123456789ABCDEF0123456789ABCDEF"

// realXeroApp is the app in real mode against a sandbox playing Xero (its
// consent page shown, the registered redirect URIs enforced), with
// go-keyring's in-memory mock as the keyring. browse is the system browser.
func realXeroApp(t *testing.T, browse func(string) error) *App {
	t.Helper()
	keyring.MockInit()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent") // past KeyringStore's guard; the mock never dials it
	sb := sandbox.New(sandbox.Options{ClientIDs: []string{signInClientID}, RedirectURIs: auth.RedirectURIs(nil), DisableLimits: true})
	base, err := sb.Start(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{ClientID: signInClientID, LoginURL: base, IdentityURL: base, APIURL: base}
	return newTestApp(t, cfg, Options{Browse: browse})
}

// The browser does not open: the sign-in waits with its address in Status
// (and the event) for the person to copy; once they consent there, chase.md
// is signed in but asks which organisation holds the clients, because Xero
// granted more than one; it never reports a finished connection meanwhile.
func TestSignInWithoutABrowserOffersTheAddressAndLandsOnTheChoice(t *testing.T) {
	a := realXeroApp(t, func(string) error { return errors.New("xdg-open: no method available") })
	done := make(chan error, 1)
	go func() {
		_, err := a.Auth.SignIn()
		done <- err
	}()
	var addr string
	waitFor(t, "the sign-in address", func() bool {
		st, err := a.Auth.Status()
		addr = st.SignInURL
		return err == nil && st.SigningIn && addr != ""
	})
	// The person copies the address into a browser and allows every tenant.
	if status, page, err := sandbox.Consent(http.DefaultClient, addr); err != nil || status != http.StatusOK {
		t.Fatalf("consent at %s: %d %v\n%s", addr, status, err, page)
	}
	if err := <-done; err != nil {
		t.Fatalf("sign-in: %v", err)
	}
	st, err := a.Auth.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "connected" || !st.NeedsChoice || len(st.Orgs) != 0 || st.SigningIn || st.SignInURL != "" {
		t.Fatalf("after sign-in with several organisations: %+v, want connected, needing a choice, no address", st)
	}
	ts, err := a.Auth.Tenants()
	if err != nil || len(ts) < 2 {
		t.Fatalf("tenants to choose from = %+v, %v", ts, err)
	}
	st, err = a.Auth.SetChoice([]string{ts[0].TenantID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if st.NeedsChoice || len(st.Orgs) != 1 {
		t.Errorf("after choosing: %+v", st)
	}
}

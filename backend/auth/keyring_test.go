package auth

import (
	"context"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/oauth2"
)

func secretServicePlatform() bool { return runtime.GOOS != "windows" && runtime.GOOS != "darwin" }

// TestKeyringStoreRoundTrip uses the real OS keyring. `make test` runs it
// under dbus-run-session with gnome-keyring unlocked and sets
// CHASE_REQUIRE_KEYRING, so there it can never be skipped.
func TestKeyringStoreRoundTrip(t *testing.T) {
	needKeyring(t)
	ctx := context.Background()
	s := &KeyringStore{Service: "chase.md-test"}
	key := "roundtrip-" + randomState()[:8]
	t.Cleanup(func() { _ = s.Delete(ctx, key) })

	if err := s.Check(ctx); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if _, err := s.Load(ctx, key); !errors.Is(err, ErrSignedOut) {
		t.Fatalf("Load of a missing entry: got %v, want ErrSignedOut", err)
	}
	expiry := time.Date(2026, 11, 22, 3, 30, 0, 123456789, time.UTC)
	// About the size of a real Xero token (a ~1.3 kB JWT).
	tok := &oauth2.Token{AccessToken: "eyJ" + strings.Repeat("a", 1300), TokenType: "Bearer", RefreshToken: "rt-1-" + randomState(), Expiry: expiry}
	if err := s.Save(ctx, key, tok); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := s.Load(ctx, key)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got.AccessToken != tok.AccessToken || got.RefreshToken != tok.RefreshToken || got.TokenType != "Bearer" || !got.Expiry.Equal(expiry) {
		t.Fatalf("Load returned a different token (expiry %v, want %v)", got.Expiry, expiry)
	}
	rotated := &oauth2.Token{AccessToken: "at-2", TokenType: "Bearer", RefreshToken: "rt-2", Expiry: expiry.Add(30 * time.Minute)}
	if err := s.Save(ctx, key, rotated); err != nil {
		t.Fatalf("Save rotated: %v", err)
	}
	if got, err := s.Load(ctx, key); err != nil || got.RefreshToken != "rt-2" {
		t.Fatalf("after rotation Load = %v (refresh token replaced: %v)", err, err == nil && got.RefreshToken == "rt-2")
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Load(ctx, key); !errors.Is(err, ErrSignedOut) {
		t.Fatalf("Load after Delete: got %v, want ErrSignedOut", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatalf("Delete of a missing entry: %v", err)
	}
}

func needKeyring(t *testing.T) {
	t.Helper()
	if secretServicePlatform() && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CHASE_REQUIRE_KEYRING") == "" {
			t.Skip("no D-Bus session: run under dbus-run-session with gnome-keyring (make test does)")
		}
		t.Fatal("CHASE_REQUIRE_KEYRING is set but DBUS_SESSION_BUS_ADDRESS is not")
	}
}

// The whole life of a connection on the real keyring: sign in, reopen from
// the keyring, refresh (the rotated token lands in the keyring), sign out
// (the entry is gone).
func TestKeyringConnectionLifecycle(t *testing.T) {
	needKeyring(t)
	e := newEnv(t)
	ks := &KeyringStore{Service: "chase.md-test"}
	key := "life-" + randomState()[:8]
	ctx := context.Background()
	t.Cleanup(func() { _ = ks.Delete(ctx, key) })
	o := e.opts(e.browser(nil))
	o.Store, o.Key = ks, key
	c, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(ctx, Scopes(false)); err != nil {
		t.Fatalf("Login: %v", err)
	}
	first, err := ks.Load(ctx, key)
	if err != nil || first.RefreshToken == "" {
		t.Fatalf("keyring after login: %v", err)
	}
	again, err := Open(ctx, o)
	if err != nil || again.State() != Connected {
		t.Fatalf("reopen from keyring: %v %v", err, again.State())
	}
	e.clk.Advance(26 * time.Minute)
	if code, err := e.getConnections(ctx, again.Client(ctx)); err != nil || code != 200 {
		t.Fatalf("API call after refresh: %d %v", code, err)
	}
	rotated, err := ks.Load(ctx, key)
	if err != nil || rotated.RefreshToken == first.RefreshToken {
		t.Fatalf("rotated token not in the keyring: %v", err)
	}
	if err := again.SignOut(ctx); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	if _, err := ks.Load(ctx, key); !errors.Is(err, ErrSignedOut) {
		t.Fatalf("keyring entry after sign-out: %v", err)
	}
}

func TestKeyringUnavailableWithoutSessionBus(t *testing.T) {
	if !secretServicePlatform() {
		t.Skip("the session-bus check applies to Secret Service platforms only")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	ctx := context.Background()
	s := &KeyringStore{Service: "chase.md-test"}
	tok := &oauth2.Token{AccessToken: "secret-access", RefreshToken: "secret-refresh"}
	for name, err := range map[string]error{
		"check": s.Check(ctx),
		"save":  s.Save(ctx, "k", tok),
		"load":  func() error { _, err := s.Load(ctx, "k"); return err }(),
	} {
		if !errors.Is(err, ErrKeyringUnavailable) {
			t.Errorf("%s: got %v, want ErrKeyringUnavailable", name, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "gnome-keyring") || !strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS") {
			t.Errorf("%s: message does not say how to fix it: %q", name, msg)
		}
		if strings.Contains(msg, "secret-") {
			t.Errorf("%s: token value in error: %q", name, msg)
		}
	}
}

// Windows caps a credential at 2560 bytes: a token too big to store whole
// is stored as its refresh token alone, which Token then renews.
func TestKeyringStoreKeepsRefreshTokenWhenTooBig(t *testing.T) {
	if secretServicePlatform() {
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent") // only the pre-check reads it
	}
	var saved string
	s := &KeyringStore{Service: "chase.md-test", set: func(_, _, secret string) error {
		if len(secret) > 2560 {
			return keyring.ErrSetDataTooBig
		}
		saved = secret
		return nil
	}}
	tok := &oauth2.Token{AccessToken: strings.Repeat("a", 3000), TokenType: "Bearer", RefreshToken: "rt-keep", Expiry: time.Now()}
	if err := s.Save(context.Background(), "k", tok); err != nil {
		t.Fatalf("Save: %v", err)
	}
	got, err := decodeToken([]byte(saved))
	if err != nil || got.RefreshToken != "rt-keep" || got.AccessToken != "" {
		t.Fatalf("saved %+v, %v; want the refresh token only", got, err)
	}
}

package auth

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestOpenStates(t *testing.T) {
	ctx := context.Background()
	t.Run("unreadable entry means signed out", func(t *testing.T) {
		st := NewMemoryStore()
		st.m["xero"] = []byte("{not json")
		c, err := Open(ctx, Options{ClientID: "x", Store: st})
		if err != nil || c.State() != SignedOut {
			t.Fatalf("Open = %v, state %v", err, c.State())
		}
	})
	t.Run("keyring unavailable is an error that says so", func(t *testing.T) {
		if !secretServicePlatform() {
			t.Skip("session-bus check is for Secret Service platforms")
		}
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
		_, err := Open(ctx, Options{ClientID: "x", Store: &KeyringStore{Service: "chase.md-test"}})
		if !errors.Is(err, ErrKeyringUnavailable) {
			t.Fatalf("Open = %v", err)
		}
	})
	t.Run("no client ID", func(t *testing.T) {
		if _, err := Open(ctx, Options{Store: NewMemoryStore()}); err == nil {
			t.Fatal("Open without a client ID succeeded")
		}
	})
}

// The app's client ID is no longer accepted: reconnect needed, not an
// endless retry.
func TestRefreshWithRejectedClientNeedsReconnect(t *testing.T) {
	e := newEnv(t)
	e.login()
	e.conn.opts.ClientID = "disabled-app"
	e.clk.Advance(26 * time.Minute)
	_, err := e.conn.Token(context.Background())
	var he *HTTPError
	if !errors.Is(err, ErrReauthRequired) || !errors.As(err, &he) || he.Code != "invalid_client" {
		t.Fatalf("Token = %v, want ErrReauthRequired with invalid_client", err)
	}
	if e.conn.State() != ReconnectNeeded {
		t.Fatalf("state = %v", e.conn.State())
	}
}

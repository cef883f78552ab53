package core

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
)

// A release build carries chase.md's own Xero app: sign-in in real mode (not demo)
// uses it with no client ID in the environment or Settings, and the practice's own
// app entered in Settings (Advanced) still wins over it.
func TestSignInWithTheBuiltinClientID(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	const builtin, own = "CHASEMDBUILTIN00000000000000000A", "0123456789ABCDEF0123456789ABCDEF"
	// A Xero that knows both apps: the grant records which one signed in.
	x := sandbox.New(sandbox.Options{AutoConsent: true, Contacts: 20, ClientIDs: []string{builtin, own}})
	base, err := x.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T, cfg config.Config, db *store.DB) (*Session, error) {
		cfg.LoginURL, cfg.IdentityURL, cfg.APIURL = base, base, base
		cfg.DataDir = t.TempDir()
		return Open(ctx, Options{Config: cfg, DB: db, TokenStore: auth.NewMemoryStore(), OpenURL: followRedirects})
	}
	newDB := func(t *testing.T) *store.DB {
		db, err := store.Open(ctx, t.TempDir()+"/chase.db")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}

	t.Run("no client ID anywhere", func(t *testing.T) {
		if _, err := open(t, config.Config{}, newDB(t)); !errors.Is(err, ErrNoClientID) {
			t.Fatalf("Open: %v, want ErrNoClientID", err)
		}
	})

	t.Run("built in only", func(t *testing.T) {
		s, err := open(t, config.Config{BuiltinClientID: builtin}, newDB(t))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer s.Close()
		go s.Serve(ctx)
		if _, tenants, err := s.SignIn(ctx); err != nil || len(tenants) == 0 {
			t.Fatalf("SignIn = %d tenants, %v", len(tenants), err)
		}
		if got := s.Config().ClientID; got != builtin {
			t.Fatalf("signed in as %q, want the built-in %q", got, builtin)
		}
		tok, err := s.Conn.Token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := tokenClientID(t, tok.AccessToken); got != builtin {
			t.Fatalf("Xero saw client_id %q, want the built-in %q", got, builtin)
		}
	})

	t.Run("the practice's own app wins", func(t *testing.T) {
		db := newDB(t)
		if err := db.SetSetting(ctx, KeyClientID, own); err != nil {
			t.Fatal(err)
		}
		s, err := open(t, config.Config{BuiltinClientID: builtin}, db)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer s.Close()
		if got := s.Config().ClientID; got != own {
			t.Fatalf("client ID %q, want the Settings one %q", got, own)
		}
	})
}

// tokenClientID reads the client_id claim of a Xero access token (a JWT).
func tokenClientID(t *testing.T, jwt string) string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("access token is not a JWT")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims struct {
		ClientID string `json:"client_id"`
	}
	if err := json.Unmarshal(b, &claims); err != nil {
		t.Fatal(err)
	}
	return claims.ClientID
}

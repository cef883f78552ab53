package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// Token values must never reach logs or error strings, whatever path runs:
// sign-in, refresh, lost refresh, store failure, reauth, sign-out.
func TestTokenValuesNeverInLogsOrErrors(t *testing.T) {
	e := newEnv(t)
	var seen []string // every token value the store ever held
	var errs []error
	note := func() {
		if tok, err := e.store.Load(context.Background(), "xero"); err == nil {
			seen = append(seen, tok.AccessToken, tok.RefreshToken)
		}
	}
	e.login()
	note()

	_ = e.sb.SetFault("POST /connect/token", "dropafter@n1")
	e.clk.Advance(26 * time.Minute)
	if _, err := e.conn.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	note()

	e.store.failSave.Store(true)
	e.clk.Advance(26 * time.Minute)
	_, err := e.conn.Token(context.Background())
	errs = append(errs, err)
	e.store.failSave.Store(false)
	if _, err := e.conn.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	note()

	// Kill the refresh token behind our back, then hit the reauth path.
	rt := e.stored().RefreshToken
	t2, err := e.refreshWith(rt)
	if err != nil {
		t.Fatal(err)
	}
	seen = append(seen, t2.AccessToken, t2.RefreshToken)
	t3, err := e.refreshWith(t2.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	seen = append(seen, t3.AccessToken, t3.RefreshToken)
	e.clk.Advance(26 * time.Minute)
	_, err = e.conn.Token(context.Background())
	if !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("want reauth, got %v", err)
	}
	errs = append(errs, err)
	_, err = e.conn.Tenants(context.Background())
	errs = append(errs, err)

	e.login()
	note()
	errs = append(errs, e.conn.SignOut(context.Background()))

	logs := e.logs.String()
	if !strings.Contains(logs, "refreshed") {
		t.Fatalf("expected refresh logs, got %q", logs)
	}
	for _, s := range seen {
		if len(s) < 16 {
			t.Fatalf("implausible token value %q", s)
		}
		if strings.Contains(logs, s) {
			t.Error("a token value is in the logs")
		}
		for _, err := range errs {
			if err != nil && strings.Contains(err.Error(), s) {
				t.Errorf("a token value is in an error: %v", err)
			}
		}
	}
}

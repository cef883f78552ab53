package auth

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// 100 concurrent API calls just inside the refresh window: exactly one
// refresh reaches the sandbox, every call succeeds, the rotated token is
// stored.
func TestConcurrentCallsAcrossExpiryRefreshOnce(t *testing.T) {
	e := newEnv(t)
	e.login()
	before := e.stored()
	base := e.refreshes()

	e.clk.Advance(26 * time.Minute) // within RefreshBefore (5 min) of the 30-min expiry
	ctx := context.Background()
	hc := e.conn.Client(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			code, err := e.getConnections(ctx, hc)
			if err == nil && code != http.StatusOK {
				err = errors.New("HTTP " + http.StatusText(code))
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("API call: %v", err)
	}
	if got := e.refreshes() - base; got != 1 {
		t.Fatalf("sandbox saw %d refreshes, want exactly 1", got)
	}
	after := e.stored()
	if after.RefreshToken == before.RefreshToken || after.AccessToken == before.AccessToken {
		t.Error("rotated token was not stored")
	}
	if st := e.conn.Status(); st.Refreshes != 1 || st.State != Connected {
		t.Errorf("status = %+v", st)
	}

	// Past the old access token's expiry (by the shared clock) the calls
	// still succeed: they use the new token, no further refresh.
	e.clk.Advance(5 * time.Minute)
	if code, err := e.getConnections(ctx, hc); err != nil || code != 200 {
		t.Fatalf("call after old expiry: %d %v", code, err)
	}
	if got := e.refreshes() - base; got != 1 {
		t.Errorf("refreshes = %d after old expiry, want 1", got)
	}
}

// The sandbox commits the rotation and then drops the connection: the
// client never sees the new refresh token. Retrying with the previous one
// (inside Xero's grace) recovers, and the recovered token keeps working.
func TestRefreshResponseLostRecoversWithinGrace(t *testing.T) {
	e := newEnv(t)
	e.login()
	old := e.stored()
	base := e.refreshes()
	if err := e.sb.SetFault("POST /connect/token", "dropafter@n1"); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(27 * time.Minute)
	tok, err := e.conn.Token(context.Background())
	if err != nil {
		t.Fatalf("Token after a lost refresh response: %v", err)
	}
	if tok.AccessToken == old.AccessToken || tok.RefreshToken == old.RefreshToken {
		t.Fatal("no new token")
	}
	if got := e.refreshes() - base; got != 2 {
		t.Errorf("sandbox counted %d refreshes, want 2 (the lost one and the retry)", got)
	}
	if e.stored().RefreshToken != tok.RefreshToken {
		t.Error("the recovered token was not stored")
	}
	if !strings.Contains(e.logs.String(), "recovered with the previous refresh token") {
		t.Error("recovery not logged")
	}
	// The recovered refresh token is the live one: the next rotation works.
	e.clk.Advance(28 * time.Minute)
	if _, err := e.conn.Token(context.Background()); err != nil {
		t.Fatalf("refresh after recovery: %v", err)
	}
	if e.conn.State() != Connected {
		t.Errorf("state = %v", e.conn.State())
	}
}

// Every refresh answer lost: Token reports the failure but keeps the
// connection (no reconnect), and a later call recovers with the same token.
func TestRefreshNoAnswerKeepsConnection(t *testing.T) {
	e := newEnv(t)
	e.login()
	if err := e.sb.SetFault("POST /connect/token", "drop"); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(26 * time.Minute)
	_, err := e.conn.Token(context.Background())
	if err == nil || errors.Is(err, ErrReauthRequired) {
		t.Fatalf("Token with the token endpoint down = %v, want a non-reauth error", err)
	}
	if e.conn.State() != Connected {
		t.Fatalf("state = %v, want connected", e.conn.State())
	}
	e.sb.ClearFaults()
	e.clk.Advance(10 * time.Minute) // still inside the grace, and past the access token's expiry
	if _, err := e.conn.Token(context.Background()); err != nil {
		t.Fatalf("Token once the endpoint is back: %v", err)
	}
}

// A stale refresh token (another client spent it) → ErrReauthRequired and
// ReconnectNeeded; a queued job waits instead of failing and completes
// after a new sign-in.
func TestStaleRefreshTokenPausesWorkUntilReconnect(t *testing.T) {
	e := newEnv(t)
	e.login()
	rt := e.stored().RefreshToken
	// Another copy of the app rotates twice: our refresh token is dead.
	t2, err := e.refreshWith(rt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.refreshWith(t2.RefreshToken); err != nil {
		t.Fatal(err)
	}

	e.clk.Advance(26 * time.Minute)
	changed := e.conn.Changed()
	_, err = e.conn.Token(context.Background())
	if !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("Token with a stale refresh token = %v, want ErrReauthRequired", err)
	}
	if strings.Contains(err.Error(), rt) {
		t.Fatal("refresh token value in the error")
	}
	<-changed // closed by the move to ReconnectNeeded (blocks forever otherwise)
	if st := e.conn.Status(); st.State != ReconnectNeeded || st.LastError == "" {
		t.Fatalf("status = %+v, want reconnect-needed with a reason", st)
	}
	base := e.refreshes()
	if _, err := e.conn.Token(context.Background()); !errors.Is(err, ErrReauthRequired) {
		t.Fatalf("second Token = %v", err)
	}
	if e.refreshes() != base {
		t.Error("a dead refresh token was sent again")
	}

	// A queue worker: on ErrReauthRequired it waits, it does not fail.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	type outcome struct {
		code, pauses int
		err          error
	}
	done := make(chan outcome, 1)
	paused := make(chan struct{})
	go func() {
		hc := e.conn.Client(ctx)
		var o outcome
		for {
			o.code, o.err = e.getConnections(ctx, hc)
			if !errors.Is(o.err, ErrReauthRequired) {
				done <- o
				return
			}
			if o.pauses++; o.pauses == 1 {
				close(paused)
			}
			if err := e.conn.WaitConnected(ctx); err != nil {
				o.err = err
				done <- o
				return
			}
		}
	}()
	<-paused
	select {
	case o := <-done:
		t.Fatalf("job finished while reconnect was needed: %+v", o)
	default:
	}

	e.login() // the user presses Reconnect
	o := <-done
	if o.err != nil || o.code != http.StatusOK {
		t.Fatalf("job after reconnect: %+v", o)
	}
	if o.pauses != 1 {
		t.Errorf("job paused %d times, want 1", o.pauses)
	}
	if e.conn.State() != Connected {
		t.Errorf("state = %v", e.conn.State())
	}
}

// The rotated token cannot be saved: Token stops with "couldn't store
// token" and hands out nothing; once the store works again the already
// rotated token is saved and used without spending another refresh.
func TestStoreFailureStopsRefresh(t *testing.T) {
	e := newEnv(t)
	e.login()
	old := e.stored()
	base := e.refreshes()
	e.store.failSave.Store(true)
	e.clk.Advance(26 * time.Minute)

	tok, err := e.conn.Token(context.Background())
	if err == nil || !strings.Contains(err.Error(), "couldn't store token") || tok != nil {
		t.Fatalf("Token with a failing store = %v, %v", tok, err)
	}
	code, err := e.getConnections(context.Background(), e.conn.Client(context.Background()))
	if err == nil || !strings.Contains(err.Error(), "couldn't store token") {
		t.Fatalf("API call with a failing store = %d, %v: want the store error, no request", code, err)
	}
	if got := e.refreshes() - base; got != 1 {
		t.Fatalf("refreshes = %d, want 1 (the failed save must not spend more tokens)", got)
	}
	if e.stored().RefreshToken != old.RefreshToken {
		t.Fatal("store changed although saving failed")
	}

	e.store.failSave.Store(false)
	tok, err = e.conn.Token(context.Background())
	if err != nil {
		t.Fatalf("Token after the store recovered: %v", err)
	}
	if e.stored().RefreshToken != tok.RefreshToken || tok.RefreshToken == old.RefreshToken {
		t.Error("pending rotated token not stored")
	}
	if got := e.refreshes() - base; got != 1 {
		t.Errorf("refreshes = %d, want still 1", got)
	}
	if code, err := e.getConnections(context.Background(), e.conn.Client(context.Background())); err != nil || code != 200 {
		t.Errorf("API call after recovery: %d %v", code, err)
	}
}

func TestSignOutRevokesAndDeletes(t *testing.T) {
	e := newEnv(t)
	e.login()
	rt := e.stored().RefreshToken
	if err := e.conn.SignOut(context.Background()); err != nil {
		t.Fatalf("SignOut: %v", err)
	}
	if e.conn.State() != SignedOut {
		t.Errorf("state = %v", e.conn.State())
	}
	if _, err := e.store.Load(context.Background(), "xero"); !errors.Is(err, ErrSignedOut) {
		t.Errorf("stored token after sign-out: %v", err)
	}
	if _, err := e.refreshWith(rt); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("revoked refresh token still works: %v", err)
	}
	if _, err := e.conn.Token(context.Background()); !errors.Is(err, ErrSignedOut) {
		t.Errorf("Token after sign-out = %v", err)
	}
}

// Xero rejects access tokens we still think valid (401): the client
// invalidates, refreshes once for all concurrent callers, and retries.
func TestUnauthorizedTriggersOneRefreshAndRetry(t *testing.T) {
	e := newEnv(t)
	e.login()
	base := e.refreshes()
	e.sb.ExpireAccessTokens()
	ctx := context.Background()
	hc := e.conn.Client(ctx)
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for range 20 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/connections", nil)
			resp, err := hc.Do(req)
			if err != nil {
				t.Errorf("call: %v", err)
				return
			}
			readAll(resp)
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("HTTP %d after retry", c)
		}
	}
	if got := e.refreshes() - base; got != 1 {
		t.Errorf("refreshes = %d, want 1", got)
	}

	// The user disconnected the app at Xero: access and refresh tokens
	// die together. The 401 leads to a refresh, which says reconnect.
	e.sb.RevokeRefreshTokens()
	e.sb.ExpireAccessTokens()
	body := strings.NewReader("x") // a body that can be replayed (GetBody set)
	req, _ := http.NewRequestWithContext(ctx, http.MethodDelete, e.srv.URL+"/connections/none", body)
	_, err := hc.Do(req)
	if !errors.Is(err, ErrReauthRequired) || e.conn.State() != ReconnectNeeded {
		t.Fatalf("call after the app was disconnected at Xero: %v, state %v", err, e.conn.State())
	}
}

// A call the token has no scope for is answered 401 AuthorizationUnsuccessful
// (a job move with practicemanager.job.read only): the token is good, so
// the transport neither refreshes it nor signs out, and the caller gets
// Xero's answer to say "permission missing".
func TestMissingScopeIsNotAnExpiredToken(t *testing.T) {
	e := newEnv(t)
	e.login()
	base := e.refreshes()
	practice := ""
	for _, tn := range e.sb.Tenants() {
		if tn.Type == "PRACTICEMANAGER" {
			practice = tn.ID
		}
	}
	ctx := context.Background()
	hc := e.conn.Client(ctx)
	for range 3 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, e.srv.URL+"/practicemanager/3.1/job.api/state",
			strings.NewReader("<Job><ID>J000001</ID><State>X</State></Job>"))
		req.Header.Set("xero-tenant-id", practice)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(resp)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"AuthorizationUnsuccessful"`) {
			t.Fatalf("write with a read scope: %d %s", resp.StatusCode, body)
		}
	}
	if got := e.refreshes() - base; got != 0 || e.conn.State() != Connected {
		t.Fatalf("refreshes = %d, state %v: a missing scope was taken for an expired token", got, e.conn.State())
	}
	if s := ScopesFor(true, true); !slices.Contains(s, XPMJobWriteScope) || slices.Contains(s, "practicemanager.job.read") {
		t.Errorf("scopes with job moves: %v", s)
	}
	for _, s := range [][]string{Scopes(true), ScopesFor(true, false), ScopesFor(false, true)} {
		if slices.Contains(s, XPMJobWriteScope) {
			t.Errorf("job write asked for without job moves on: %v", s)
		}
	}
}

package upload

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/xero"
)

// TestReconnectThroughAuth drives the real sign-in: the refresh token dies
// (auth.ErrReauthRequired through rest and xero), the queue waits without
// failing anything, the user signs in again, and the queue carries on by
// itself through auth.Connection.WaitConnected.
func TestReconnectThroughAuth(t *testing.T) {
	sb := sandbox.New(sandbox.Options{AutoConsent: true, DisableLimits: true, Contacts: 10, Seed: 5, ClientIDs: []string{"chase-test"}})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	ctx := waitCtx(t)
	conn, err := auth.Open(ctx, auth.Options{
		ClientID:  "chase-test",
		Endpoints: auth.Endpoints{LoginURL: srv.URL, IdentityURL: srv.URL, APIURL: srv.URL},
		Store:     auth.NewMemoryStore(),
		Ports:     []int{0},
		OpenURL: func(u string) error {
			resp, err := http.Get(u) // AutoConsent redirects straight to the loopback callback
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			return resp.Body.Close()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Login(ctx, auth.Scopes(false)); err != nil {
		t.Fatal(err)
	}
	var tenant string
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			tenant = tn.ID
			break
		}
	}
	rc, err := rest.New(conn.Client(ctx), srv.URL, rest.WithPacers(rest.NewPacers(rest.WithMinute(time.Minute/600))))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, sb: sb, srv: srv, tenant: tenant, dir: t.TempDir(), scale: 600}
	e.dbPath = t.TempDir() + "/chase.db"
	e.db = e.openDB()
	rec := newRecorder()
	q := e.queue(Options{
		Senders:       func(ctx context.Context, tenantID string) (Sender, error) { return xero.New(rc, tenantID), nil },
		WaitConnected: conn.WaitConnected,
		Events:        rec,
	})
	c := e.contacts(1)[0]
	want := map[string]Contact{}

	// Only the access token dies: the refresh token renews it without a pause.
	first := e.files(2, "Token expired")
	for _, p := range first {
		want[p] = c
	}
	sb.ExpireAccessTokens()
	early, _ := q.Enqueue(ctx, []Request{{Path: first[0], TenantID: tenant, Contact: c}, {Path: first[1], TenantID: tenant, Contact: c}})
	e.serve(q)
	done, err := q.Wait(ctx, ids(early)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range done {
		if it.State != StateDone {
			t.Fatalf("%s: %s %q", it.Name, it.State, it.Reason)
		}
		rec.mu.Lock()
		seen := rec.states[it.ID]
		rec.mu.Unlock()
		for _, st := range seen {
			if st == StateWaitingReconnect {
				t.Errorf("%s waited for a reconnect although the refresh token was good", it.Name)
			}
		}
	}

	// Now the refresh token dies too: the queue waits for a new sign-in.
	var reqs []Request
	for _, p := range e.files(4, "Auth") {
		want[p] = c
		reqs = append(reqs, Request{Path: p, TenantID: tenant, Contact: c})
	}
	sb.ExpireAccessTokens()
	sb.RevokeRefreshTokens()
	items, err := q.Enqueue(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	// The upload's 401 comes back unrefreshed (auth cannot replay a streamed
	// body); the queue's probe lets auth try the refresh token, which fails
	// with auth.ErrReauthRequired, and the queue waits for sign-in.
	waitUntil(t, q, func() bool {
		return q.Paused() && countIn(t, q, StateWaitingReconnect) > 0 && conn.State() != auth.Connected
	})
	if n := countIn(t, q, StateFailed); n != 0 {
		t.Fatalf("%d items failed; a lost connection must only pause the queue", n)
	}
	if err := conn.Login(ctx, auth.Scopes(false)); err != nil {
		t.Fatal(err)
	}
	done, err = q.Wait(ctx, ids(items)...)
	if err != nil {
		dumpQueue(t, q)
		t.Fatalf("%v; connection %v, queue paused %v", err, conn.State(), q.Paused())
	}
	for _, it := range done {
		if it.State != StateDone {
			t.Errorf("%s: %s %q", it.Name, it.State, it.Reason)
		}
	}
	e.assertExactlyOnce(t, want)
}

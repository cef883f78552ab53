package chase

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/sandbox/xpmsim"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/xero"
	"chase.md/backend/xpm"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a real store, the sandbox (contacts synced into the store with the
// real syncer, and its own practice tenant), and an xpmsim practice seeded
// from the same contacts that the test can inspect.
type env struct {
	t   testing.TB
	ctx context.Context
	db  *store.DB
	sb  *sandbox.Server
	org string
	clk *clock
	svc *Service
	p   *xpmsim.Practice
	x   *xero.Client // the organisation's Accounting and Files
	px  *xpm.Client  // the sandbox's practice tenant
	sbx *xpm.Client  // the same (the sandbox's fault and scope checks apply to both)
}

type envOpts struct {
	contacts    int
	extra       int
	disableList bool
	sandboxOpts sandbox.Options
	scopes      []string
	seed        int64
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	if o.contacts == 0 {
		o.contacts = 120
	}
	ctx := context.Background()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	e := &env{t: t, ctx: ctx, clk: &clock{t: start}}
	so := o.sandboxOpts
	so.Contacts = o.contacts
	so.Seed = o.seed
	so.XPMNoJobStateList = o.disableList
	if so.LimitScale == 0 {
		so.LimitScale = 600
	}
	// The sandbox keeps real time (its tokens must not expire when the
	// store's clock jumps days ahead); days waiting follow e.clk.
	e.sb = sandbox.New(so)
	srv := httptest.NewServer(e.sb.Handler())
	t.Cleanup(srv.Close)
	access, _ := e.sb.IssueToken(o.scopes...)
	hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	pacers := rest.NewPacers(rest.WithMinute(time.Duration(float64(time.Minute) / so.LimitScale)))
	rc, err := rest.New(hc, srv.URL, rest.WithPacers(pacers), rest.WithVersion("test"))
	if err != nil {
		t.Fatal(err)
	}
	var xpmTenant string
	for _, tn := range e.sb.Tenants() {
		switch {
		case tn.Type == "ORGANISATION" && e.org == "":
			e.org = tn.ID
		case tn.Type == "PRACTICEMANAGER" && xpmTenant == "":
			xpmTenant = tn.ID
		}
	}
	e.sbx = xpm.New(rc, xpmTenant)
	e.x = xero.New(rc, e.org)

	e.db, err = store.Open(ctx, filepath.Join(t.TempDir(), "chase.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	if o.scopes == nil || strings.Contains(strings.Join(o.scopes, " "), "accounting") {
		sy := syncer.New(e.db, func(string) syncer.ContactLister { return e.x }, syncer.Options{})
		if _, err := sy.Full(ctx, e.org, nil); err != nil {
			t.Fatalf("contact sync: %v", err)
		}
	}

	e.p = e.sb.Practice()
	e.px = e.sbx
	e.svc = New(e.db, e.org, WithClock(e.clk.Now))
	return e
}

// calls is how many XPM requests the sandbox has seen (method "" = any).
func (e *env) calls(method string) int {
	return e.sb.CountRequests(method, "/practicemanager/")
}

func (e *env) sync() SyncResult {
	e.t.Helper()
	res, err := e.svc.SyncXPM(e.ctx, e.px)
	if err != nil {
		e.t.Fatalf("sync: %v", err)
	}
	return res
}

// chaseStates is the stored mapping: names of the states ticked "chase".
func (e *env) chaseStates() map[string]bool {
	e.t.Helper()
	ms, err := e.svc.States(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range ms {
		if m.Chase {
			out[m.Name] = true
		}
	}
	return out
}

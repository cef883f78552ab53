// Package core puts chase.md's backend together for one mode (demo or a real
// Xero): the store, the Xero connection, the per-tenant clients and pacers, the
// contact sync and the upload queue. The desktop app and the command line
// share it, so both behave the same; neither Wails nor any UI lives here.
package core

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"chase.md/backend/activity"
	"chase.md/backend/auth"
	"chase.md/backend/chase"
	"chase.md/backend/config"
	"chase.md/backend/filing"
	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/upload"
	"chase.md/backend/xero"
)

// Events are the callbacks through which the session reports progress; the app
// turns them into UI events, the CLI into lines. Any may be nil.
type Events struct {
	Auth           func(auth.Status)
	Sync           func(syncer.Event)
	UploadItem     func(upload.Item)
	UploadProgress func(upload.Progress)
	Practice       func(PracticeEvent)
	Filing         filing.Events
	// ChaseFiles: a refresh round listed some contacts' files in Xero, so
	// the chase list's "documents since" may have changed.
	ChaseFiles func(chase.RefreshResult)
	// Connection: the connection's state changed (see Session.Connection).
	Connection func(ConnState)
	// Remind: reminders were planned, sent, stopped or failed.
	Remind func()
}

// Options configure Open.
type Options struct {
	Config config.Config
	// OpenURL shows Xero's consent page (the system browser). Demo mode ignores
	// it: the sandbox consents by itself and the redirect is followed in-process.
	OpenURL func(url string) error
	Events  Events
	Logger  *slog.Logger
	// DemoContacts sizes the demo practice (default Config.DemoContacts, then 200).
	DemoContacts int
	// UndoWindow overrides how long a person's Review choice waits before it
	// goes (default the package's UndoWindow).
	UndoWindow time.Duration
	// TokenStore overrides where tokens live (tests); default the OS keyring in
	// real mode and memory in demo mode.
	TokenStore auth.TokenStore
	// SyncEvery is the time between incremental syncs (default 5 minutes).
	SyncEvery time.Duration
	// ChaseFiles paces the refresh of the chase list's files in Xero.
	ChaseFiles ChaseFiles
	// DB is an already open store for Config.DBPath(); the caller keeps
	// ownership and Close leaves it open. Nil: Open opens (and Close closes) it.
	DB *store.DB
}

// Session is chase.md's backend for one mode.
type Session struct {
	cfg     config.Config
	log     *slog.Logger
	events  Events
	DB      *store.DB
	Conn    *auth.Connection
	Sandbox *sandbox.Server // demo mode only

	pacers    *rest.Pacers
	rc        *rest.Client
	Syncer    *syncer.Syncer
	Scheduler *syncer.Scheduler
	Uploads   *upload.Queue
	Folders   *filing.Service // watched folders
	Activity  *activity.Log   // everything chase.md did, and who

	ctx    context.Context // lives as long as the session: token refreshes use it
	cancel context.CancelFunc
	ownsDB bool
	// loops are the running Serve and Go calls; Close stops them and waits
	// for them before it closes the store (their workers write outcomes
	// after being told to stop). closed, under mu, refuses new ones.
	loops  sync.WaitGroup
	closed bool

	practiceKick chan struct{} // 1-buffered: an XPM sync is wanted
	rem          remindLoop
	chaseFiles   ChaseFiles    // with defaults
	undoWindow   time.Duration // a Review choice's wait before it goes

	conn *connMachine // the one connection state

	mu      sync.Mutex
	clients map[string]*xero.Client
}

// Open builds the session. In demo mode it first starts the embedded sandbox on
// a free loopback port and points every endpoint at it.
func Open(ctx context.Context, o Options) (*Session, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sctx, cancel := context.WithCancel(context.Background())
	s := &Session{cfg: o.Config, log: log, events: o.Events, ctx: sctx, cancel: cancel, clients: map[string]*xero.Client{},
		chaseFiles:   o.ChaseFiles.withDefaults(),
		undoWindow:   cmp.Or(o.UndoWindow, UndoWindow),
		practiceKick: make(chan struct{}, 1),
		rem:          remindLoop{kick: make(chan struct{}, 1), reset: make(chan struct{}, 1)}}
	fail := func(err error) (*Session, error) {
		s.Close()
		return nil, err
	}

	tokens := o.TokenStore
	var now func() time.Time
	openURL := o.OpenURL
	if s.cfg.Demo {
		n := o.DemoContacts
		if n == 0 {
			n = s.cfg.DemoContacts
		}
		// The demo Xero knows the app's redirect URIs as a practice's Xero app
		// does, so a wrong port or path fails here as it would at Xero.
		s.Sandbox = sandbox.New(sandbox.Options{AutoConsent: true, Contacts: n, RedirectURIs: auth.RedirectURIs(nil), FaultControl: testControls, Faults: testFaults()})
		base, err := s.Sandbox.Start(sctx, "127.0.0.1:0")
		if err != nil {
			return fail(fmt.Errorf("start the demo Xero: %w", err))
		}
		s.cfg = s.cfg.WithSandbox(base)
		if tokens == nil {
			tokens = auth.NewMemoryStore()
		}
		openURL = followRedirects
		now = s.Sandbox.Now // token expiry is judged on the demo Xero's clock
	}

	db := o.DB
	if db == nil {
		var err error
		if db, err = store.Open(ctx, s.cfg.DBPath()); err != nil {
			return fail(fmt.Errorf("open the database: %w", err))
		}
		s.ownsDB = true
	}
	s.DB = db
	act, err := activity.New(ctx, db, upload.OSUser(), nil)
	if err != nil {
		return fail(err)
	}
	s.Activity = act

	if s.cfg.ClientID == "" {
		if _, err := db.GetSetting(ctx, KeyClientID, &s.cfg.ClientID); err != nil {
			return fail(err)
		}
	}
	if s.cfg.ClientID == "" {
		s.cfg.ClientID = s.cfg.BuiltinClientID // the release build's own Xero app
	}
	if s.cfg.ClientID == "" {
		return fail(ErrNoClientID)
	}
	// The keyring after the client ID: the first thing to fix is said first.
	if tokens == nil {
		ks := &auth.KeyringStore{}
		if err := ks.Check(ctx); err != nil {
			return fail(err)
		}
		tokens = ks
	}
	userAgent := "chase.md/" + config.Version // one User-Agent for identity, connections and API calls
	conn, err := auth.Open(ctx, auth.Options{
		ClientID:  s.cfg.ClientID,
		Endpoints: auth.Endpoints{LoginURL: s.cfg.LoginURL, IdentityURL: s.cfg.IdentityURL, APIURL: s.cfg.APIURL},
		Store:     tokens,
		OpenURL:   openURL,
		Logger:    log,
		UserAgent: userAgent,
		// Ports: the registered ones (DefaultPorts), in demo mode too.
		Now:      now,
		OnSignIn: s.onSignIn,
	})
	if err != nil {
		return fail(err)
	}
	s.Conn = conn
	s.conn = newConnMachine(log, nil, s.events.Connection)
	s.conn.Auth(conn.Status().State)

	s.pacers = rest.NewPacers()
	rc, err := rest.New(conn.Client(sctx), s.cfg.APIURL, rest.WithPacers(s.pacers), rest.WithUserAgent(userAgent),
		rest.WithObserver(s.conn.Attempt))
	if err != nil {
		return fail(err)
	}
	s.rc = rc

	s.Syncer = syncer.New(db, func(tenantID string) syncer.ContactLister { return s.Xero(tenantID) }, syncer.Options{})
	s.Scheduler = syncer.NewScheduler(s.Syncer, syncer.SchedulerOptions{
		Tenants:       s.syncTenants,
		WaitConnected: conn.WaitConnected,
		Every:         o.SyncEvery,
		OnEvent:       s.onSync,
	})
	s.Uploads, err = upload.New(upload.Options{
		DB:            db,
		Senders:       func(_ context.Context, tenantID string) (upload.Sender, error) { return s.Xero(tenantID), nil },
		Events:        upload.EventFuncs{OnItem: s.onUploadItem, OnProgress: s.events.UploadProgress},
		WaitConnected: conn.WaitConnected,
		Logger:        log,
	})
	if err != nil {
		return fail(err)
	}
	if err := s.openFiling(ctx); err != nil {
		return fail(err)
	}
	return s, nil
}

// KeyClientID is the setting holding the practice's own Xero app's client ID (Settings
// › Advanced); CHASE_XERO_CLIENT_ID takes precedence, and it takes precedence over the
// release build's built-in client ID.
const KeyClientID = "xero.client_id"

// ErrNoClientID means real mode has no Xero app to sign in with.
var ErrNoClientID = errors.New("no Xero client ID is set: enter your Xero app's client ID in Settings (or set CHASE_XERO_CLIENT_ID)")

// Config is the resolved configuration (in demo mode, pointing at the sandbox).
func (s *Session) Config() config.Config { return s.cfg }

// Xero is the Accounting and Files client of one tenant; clients of a tenant
// share its pacer, so the sync and the uploads share one budget.
func (s *Session) Xero(tenantID string) *xero.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.clients[tenantID]
	if !ok {
		c = xero.New(s.rc, tenantID)
		s.clients[tenantID] = c
	}
	return c
}

// Serve runs the background work (sync schedule, upload queue, auth state
// events) until ctx ends or the session closes; Close waits for it. On a
// closed session it returns at once.
func (s *Session) Serve(ctx context.Context) error {
	ctx, done, ok := s.enter(ctx)
	if !ok {
		return nil
	}
	defer done()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.Scheduler.Serve(ctx) })
	g.Go(func() error { return s.Uploads.Serve(ctx) })
	g.Go(func() error { return s.Folders.Serve(ctx) })
	g.Go(func() error { return s.servePractice(ctx) })
	g.Go(func() error { return s.serveChaseFiles(ctx) })
	g.Go(func() error { return s.serveRemind(ctx) })
	g.Go(func() error { return s.watchAuth(ctx) })
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func (s *Session) watchAuth(ctx context.Context) error {
	for {
		ch := s.Conn.Changed()
		st := s.Conn.Status()
		s.conn.Auth(st.State)
		if s.events.Auth != nil {
			s.events.Auth(st)
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Connection is the connection's state: the one answer to "can chase.md
// talk to Xero?" that the app's screens and the command line show.
func (s *Session) Connection() ConnState { return s.conn.State() }

// ConnectionChanged is closed at the connection state's next change.
func (s *Session) ConnectionChanged() <-chan struct{} { return s.conn.Changed() }

// RetryNow ends every wait for Xero after a failure: calls backing off go
// again and a sync round starts ("Retry now").
func (s *Session) RetryNow() {
	s.rc.RetryNow()
	s.Scheduler.Trigger(false)
}

// Go runs f on its own goroutine as one of the session's loops: its ctx
// also ends when the session closes, and Close waits for f to return. On a
// closed session f does not run.
func (s *Session) Go(ctx context.Context, f func(ctx context.Context)) {
	ctx, done, ok := s.enter(ctx)
	if !ok {
		return
	}
	go func() {
		defer done()
		f(ctx)
	}()
}

// enter registers a loop: the returned ctx ends with ctx or the session, and
// done must be called when the loop has returned.
func (s *Session) enter(ctx context.Context) (context.Context, func(), bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, nil, false
	}
	s.loops.Add(1) // under mu and before closed: never concurrent with Close's Wait
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() { stop(); cancel(); s.loops.Done() }, true
}

// Close is stop → wait → close: it stops the session's loops, sandbox and
// token refreshes, waits until every Serve and Go has returned and the
// watched folders have filed what finished, and only then closes the store,
// so no outcome is written to a closed database.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.loops.Wait()
	if s.Folders != nil {
		s.Folders.Wait()
	}
	if s.DB != nil && s.ownsDB {
		return s.DB.Close()
	}
	return nil
}

// followRedirects plays the browser in demo mode: the sandbox consents at once
// and redirects to our loopback callback, which the GET follows.
func followRedirects(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return fmt.Errorf("demo sign-in: %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("demo sign-in: %s", resp.Status)
	}
	return nil
}

package auth

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/sandbox"
)

func TestMain(m *testing.M) {
	refreshBackoff = time.Millisecond
	os.Exit(m.Run())
}

const testClientID = "chase-test"

// testClock is shared by the sandbox and the Connection, so both agree on
// when a token expires.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now().UTC()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testStore is a MemoryStore whose saves can be made to fail.
type testStore struct {
	*MemoryStore
	failSave atomic.Bool
	saves    atomic.Int32
}

func (s *testStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if s.failSave.Load() {
		return errors.New("keyring locked")
	}
	s.saves.Add(1)
	return s.MemoryStore.Save(ctx, key, tok)
}

type env struct {
	t     testing.TB
	sb    *sandbox.Server
	srv   *httptest.Server
	clk   *testClock
	store *testStore
	logs  *syncBuffer
	conn  *Connection
	addrs chan net.Addr // callback listener addresses, one per Login
}

func newEnv(t testing.TB) *env {
	t.Helper()
	clk := newTestClock()
	sb := sandbox.New(sandbox.Options{Clock: clk.Now, ClientIDs: []string{testClientID}, DisableLimits: true})
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	e := &env{t: t, sb: sb, srv: srv, clk: clk, store: &testStore{MemoryStore: NewMemoryStore()}, logs: &syncBuffer{}, addrs: make(chan net.Addr, 8)}
	e.conn = e.open(e.browser(nil))
	return e
}

func (e *env) opts(openURL func(string) error) Options {
	return Options{
		ClientID:   testClientID,
		Endpoints:  Endpoints{LoginURL: e.srv.URL, IdentityURL: e.srv.URL, APIURL: e.srv.URL},
		Store:      e.store,
		HTTPClient: e.srv.Client(),
		OpenURL:    openURL,
		Ports:      []int{0},
		Now:        e.clk.Now,
		Logger:     slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

func (e *env) open(openURL func(string) error) *Connection {
	e.t.Helper()
	c, err := Open(context.Background(), e.opts(openURL))
	if err != nil {
		e.t.Fatalf("Open: %v", err)
	}
	c.onListen = func(a net.Addr) { e.addrs <- a }
	return c
}

func (e *env) login() {
	e.t.Helper()
	if err := e.conn.Login(context.Background(), Scopes(true)); err != nil {
		e.t.Fatalf("Login: %v", err)
	}
}

// browserResult is what the scripted browser saw on the callback page.
type browserResult struct {
	authURL     string
	callbackURL string
	status      int
	page        string
}

// browser returns an OpenURL that behaves like a person in a browser: it
// loads the consent page, submits the form with every organisation ticked,
// and follows Xero's redirect to the callback. before, if set, runs once
// the callback listener is up (tests poke at it there).
func (e *env) browser(before func(authURL string) error) func(string) error {
	return e.browserTo(before, nil)
}

func (e *env) browserTo(before func(authURL string) error, out chan<- browserResult) func(string) error {
	return func(authURL string) error {
		if before != nil {
			if err := before(authURL); err != nil {
				return err
			}
		}
		jar, _ := cookiejar.New(nil)
		res := browserResult{authURL: authURL}
		hc := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Path == "/callback" {
				res.callbackURL = req.URL.String()
			}
			return nil
		}}
		status, page, err := sandbox.Consent(hc, authURL)
		if err != nil {
			return fmt.Errorf("browser: %w", err)
		}
		if res.callbackURL == "" {
			return fmt.Errorf("browser: consent did not reach the callback: HTTP %d: %s", status, page)
		}
		res.status, res.page = status, page
		if out != nil {
			out <- res
		}
		return nil
	}
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// refreshWith spends a refresh token directly at the sandbox, as another
// copy of the app would.
func (e *env) refreshWith(rt string) (*oauth2.Token, error) {
	conf := e.conn.oauthConfig("", nil)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, e.srv.Client())
	return conf.TokenSource(ctx, &oauth2.Token{RefreshToken: rt}).Token()
}

func (e *env) stored() *oauth2.Token {
	e.t.Helper()
	tok, err := e.store.Load(context.Background(), "xero")
	if err != nil {
		e.t.Fatalf("stored token: %v", err)
	}
	return tok
}

func (e *env) getConnections(ctx context.Context, hc *http.Client) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.URL+"/connections", nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	readAll(resp)
	return resp.StatusCode, nil
}

// refreshes is the sandbox's count of successful refresh_token exchanges.
func (e *env) refreshes() int { return e.sb.TokenRefreshes() }

package upload

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/xero"
)

func TestMain(m *testing.M) {
	// Item-level backoff in milliseconds so fault tests finish quickly.
	retryBase, retryMax, reconnectPause, progressEvery = 5*time.Millisecond, 50*time.Millisecond, time.Millisecond, 10*time.Millisecond
	os.Exit(m.Run())
}

// env is a real sandbox over HTTP on 127.0.0.1 and a real SQLite store.
type env struct {
	t      testing.TB
	sb     *sandbox.Server
	srv    *httptest.Server
	tenant string
	dir    string
	dbPath string
	db     *store.DB

	scale float64 // rate-limit minutes pass this much faster

	mu     sync.Mutex
	token  string
	pacers *rest.Pacers
}

func newEnv(t testing.TB, opts sandbox.Options) *env {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	if opts.Contacts == 0 {
		opts.Contacts = 20
	}
	if opts.LimitScale == 0 {
		opts.LimitScale = 600
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	e := &env{t: t, sb: sb, srv: srv, dir: t.TempDir(), scale: opts.LimitScale}
	e.token, _ = sb.IssueToken()
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			e.tenant = tn.ID
			break
		}
	}
	e.dbPath = filepath.Join(t.TempDir(), "chase.db")
	e.db = e.openDB()
	return e
}

func (e *env) openDB() *store.DB {
	db, err := store.Open(context.Background(), e.dbPath)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

// senders makes real xero clients over rest, one pacer registry per env
// (as the app has one per process), authorised by the env's current token.
func (e *env) senders(ctx context.Context, tenantID string) (Sender, error) {
	return e.client(tenantID), nil
}

func (e *env) client(tenantID string) *xero.Client {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pacers == nil {
		e.pacers = rest.NewPacers(rest.WithMinute(time.Duration(float64(time.Minute) / e.scale)))
	}
	return newXeroClient(e.t, e.srv.URL, tokenFunc(func() string {
		e.mu.Lock()
		defer e.mu.Unlock()
		return e.token
	}), e.pacers, tenantID)
}

type tokenFunc func() string

func (f tokenFunc) Token() (*oauth2.Token, error) { return &oauth2.Token{AccessToken: f()}, nil }

func newXeroClient(t testing.TB, base string, ts oauth2.TokenSource, pacers *rest.Pacers, tenantID string) *xero.Client {
	hc := oauth2.NewClient(context.Background(), ts)
	rc, err := rest.New(hc, base, rest.WithPacers(pacers), rest.WithVersion("upload-test"))
	if err != nil {
		t.Fatal(err)
	}
	return xero.New(rc, tenantID)
}

// contacts returns n of the tenant's contacts as upload targets.
func (e *env) contacts(n int) []Contact {
	var out []Contact
	for _, c := range e.sb.Contacts(e.tenant) {
		if len(out) == n {
			break
		}
		typ := Business
		if c.IsPerson {
			typ = Person
		}
		out = append(out, Contact{ID: c.ContactID, Name: c.Name, Type: typ})
	}
	return out
}

// files writes n small files with distinct contents and returns their paths.
func (e *env) files(n int, prefix string) []string {
	var out []string
	for i := range n {
		p := filepath.Join(e.dir, fmt.Sprintf("%s %03d – statement.pdf", prefix, i))
		if err := os.WriteFile(p, fmt.Appendf(nil, "%%PDF-1.4 %s document %d\n", prefix, i), 0o644); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func (e *env) queue(opts Options) *Queue {
	e.t.Helper()
	if opts.DB == nil {
		opts.DB = e.db
	}
	if opts.Senders == nil {
		opts.Senders = e.senders
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{e.t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	q, err := New(opts)
	if err != nil {
		e.t.Fatal(err)
	}
	return q
}

// serve runs q until the test ends.
func (e *env) serve(q *Queue) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); q.Serve(ctx) }()
	e.t.Cleanup(func() { cancel(); <-done })
}

// waitCtx bounds a test that would otherwise hang; it is generous because
// other packages' tests may load the machine (it is not a timing assertion).
func waitCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// assertExactlyOnce checks, through the sandbox inspector, that each path's
// bytes are in Xero Files exactly once and associated exactly once, with want[path].
func (e *env) assertExactlyOnce(t testing.TB, want map[string]Contact) {
	t.Helper()
	files := e.sb.Files(e.tenant)
	bySum := map[string][]sandbox.FileInfo{}
	for _, f := range files {
		bySum[f.SHA256] = append(bySum[f.SHA256], f)
	}
	assocs := map[string][]sandbox.AssociationInfo{}
	for _, a := range e.sb.Associations(e.tenant) {
		assocs[a.FileID] = append(assocs[a.FileID], a)
	}
	for p, c := range want {
		sum, err := hashFile(p)
		if err != nil {
			t.Fatal(err)
		}
		got := bySum[sum]
		if len(got) != 1 {
			t.Errorf("%s: %d files in Xero, want 1", filepath.Base(p), len(got))
			continue
		}
		if got[0].Name != filepath.Base(p) {
			t.Errorf("name in Xero = %q, want %q", got[0].Name, filepath.Base(p))
		}
		as := assocs[got[0].ID]
		if len(as) != 1 {
			t.Errorf("%s: %d associations, want 1", filepath.Base(p), len(as))
			continue
		}
		if as[0].ObjectID != c.ID || as[0].ObjectGroup != "Contact" || as[0].ObjectType != string(c.Type) {
			t.Errorf("%s: associated with %s/%s/%s, want %s/Contact/%s", filepath.Base(p), as[0].ObjectID, as[0].ObjectGroup,
				as[0].ObjectType, c.ID, c.Type)
		}
	}
	if len(files) != len(want) {
		t.Errorf("%d files in Xero, want %d", len(files), len(want))
	}
}

// testWriter sends the queue's warnings and errors to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

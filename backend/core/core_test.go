package core

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/applog"
	"chase.md/backend/auth"
	"chase.md/backend/chase"
	"chase.md/backend/config"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/upload"
	"chase.md/backend/xero"
)

func openDemo(t *testing.T) (*Session, context.Context) {
	t.Helper()
	return openDemoWith(t, Options{})
}

// openDemoWith is openDemo with o's pacing options.
func openDemoWith(t *testing.T, o Options) (*Session, context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	o.Config = config.Config{Demo: true, DataDir: t.TempDir()}
	o.DemoContacts = 150
	synced := make(chan syncer.Event, 64)
	o.Events.Sync = func(e syncer.Event) {
		select {
		case synced <- e:
		default:
		}
	}
	s, err := Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	go s.Serve(ctx)
	return s, ctx
}

// The whole demo path: sign in through the sandbox's consent, tenants picked,
// contacts synced into the store, a file uploaded to a contact exactly once.
func TestDemoSessionSignInSyncUpload(t *testing.T) {
	s, ctx := openDemo(t)
	if s.Conn.State() != auth.SignedOut {
		t.Fatalf("fresh demo state = %v", s.Conn.State())
	}
	choice, tenants, err := s.SignIn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tenants) < 3 {
		t.Fatalf("tenants = %d, want the two organisations and the practice", len(tenants))
	}
	main := s.Sandbox.TenantID(sandbox.PracticeOrgName)
	if choice.Main() != main || choice.Practice == nil {
		t.Fatalf("choice = %+v, want %s and a practice", choice, main)
	}

	// The sign-in triggers a full sync; wait for the store to hold every contact.
	want := len(s.Sandbox.Contacts(main))
	deadline := time.Now().Add(time.Minute)
	for {
		counts, err := s.DB.CountContacts(ctx, main)
		if err != nil {
			t.Fatal(err)
		}
		if n := counts.Total; n == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("synced %d of %d contacts", counts.Total, want)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A finished contact sync is followed by an XPM sync; the chase list then
	// holds the demo practice's jobs in the states guessed to mean "waiting".
	ch, err := s.Chase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for {
		st, err := ch.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.XPM {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no XPM sync: %+v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	rows, err := ch.List(ctx, chase.Query{})
	if err != nil || len(rows) == 0 {
		t.Fatalf("chase list: %d rows, %v", len(rows), err)
	}

	c := s.Sandbox.Contacts(main)[0]
	dir := t.TempDir()
	path := filepath.Join(dir, "Zoë Müller – bank statement.pdf")
	if err := os.WriteFile(path, []byte("%PDF-1.4 demo"), 0o600); err != nil {
		t.Fatal(err)
	}
	target, err := s.UploadContact(ctx, main, c.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	items, err := s.Uploads.Enqueue(ctx, []upload.Request{{Path: path, TenantID: main, Contact: target, Source: upload.SourceDrop}})
	if err != nil || len(items) != 1 || items[0].ID == 0 {
		t.Fatalf("enqueue: %+v %v", items, err)
	}
	for {
		files := s.Sandbox.FilesFor(main, c.ContactID)
		if len(files) == 1 {
			if files[0].Name != filepath.Base(path) {
				t.Fatalf("uploaded name %q", files[0].Name)
			}
			break
		}
		if len(files) > 1 || time.Now().After(deadline) {
			its, _ := s.Uploads.Items(ctx, upload.Filter{})
			t.Logf("items: %+v", its)
			t.Fatalf("files on contact = %d", len(files))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for the session's loops to write while a
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}
func (b *syncBuffer) Len() int       { b.mu.Lock(); defer b.mu.Unlock(); return b.b.Len() }
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.b.String() }

// Tokens live only in the token store: after signing in, syncing, a refresh
// and an upload, neither the SQLite files nor anything in the data folder (the
// real chase.log, written at debug level, included) contains them.
func TestNoTokensOutsideTheKeyring(t *testing.T) {
	mem := auth.NewMemoryStore()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	var logs syncBuffer // the session's loops log while the test reads
	cfg := config.Config{Demo: true, DataDir: dir}
	logger, logFile, err := applog.Open(cfg.LogPath(), applog.Options{Level: slog.LevelDebug, Also: &logs, AlsoLevel: slog.LevelDebug})
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	s, err := Open(ctx, Options{Config: cfg, TokenStore: mem, DemoContacts: 50, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	go s.Serve(ctx)
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := s.Conn.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	main := s.Sandbox.TenantID(sandbox.PracticeOrgName)
	if _, err := s.Syncer.Full(ctx, main, nil); err != nil {
		t.Fatal(err)
	}
	s.Sandbox.Advance(29 * time.Minute) // into the refresh window
	second, err := s.Conn.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("no refresh happened; the test would prove nothing")
	}
	c := s.Sandbox.Contacts(main)[0]
	doc := filepath.Join(t.TempDir(), "statement.pdf")
	os.WriteFile(doc, []byte("%PDF-1.4 demo\n%%EOF\n"), 0o600)
	target, err := s.UploadContact(ctx, main, c.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Uploads.Enqueue(ctx, []upload.Request{{Path: doc, TenantID: main, Contact: target, Source: upload.SourceDrop}}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); len(s.Sandbox.FilesFor(main, c.ContactID)) == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the upload never reached the sandbox")
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing was logged; the test would prove nothing")
	}
	if b, err := os.ReadFile(cfg.LogPath()); err != nil || len(b) == 0 {
		t.Fatalf("chase.log not written in the data folder: %v", err)
	}
	s.DB.SQL().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	secrets := []string{first.AccessToken, first.RefreshToken, second.AccessToken, second.RefreshToken}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, sec := range secrets {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s contains a token", p)
			}
		}
		return nil
	})
	for _, sec := range secrets {
		if strings.Contains(logs.String(), sec) {
			t.Error("logs contain a token")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "demo.db")); err != nil {
		t.Fatalf("database not where expected: %v", err)
	}
	_ = store.FileName
}

// Xero refusing an access token mid-upload (a 401) costs a refresh and a
// resend of the file, not a failed upload.
func TestUploadSurvivesARefusedAccessToken(t *testing.T) {
	s, ctx := openDemo(t)
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	main := s.Sandbox.TenantID(sandbox.PracticeOrgName)
	refreshes := s.Sandbox.TokenRefreshes()
	s.Sandbox.ExpireAccessTokens() // Xero's view: the token we hold is dead; ours: still fresh
	body := []byte("%PDF-1.4 resent after a 401")
	f, err := s.Xero(main).UploadFile(ctx, xero.UploadRequest{Name: "resend.pdf", Body: bytes.NewReader(body), Size: int64(len(body)), MimeType: "application/pdf", IdempotencyKey: "resend-1"})
	if err != nil {
		t.Fatalf("upload after a refused token: %v", err)
	}
	if f.Name != "resend.pdf" || s.Sandbox.TokenRefreshes() != refreshes+1 {
		t.Fatalf("file %+v; refreshes %d -> %d, want one", f, refreshes, s.Sandbox.TokenRefreshes())
	}
	if n := len(s.Sandbox.Files(main)); n != 1 {
		t.Fatalf("files in Xero = %d, want 1", n)
	}
}

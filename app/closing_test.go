package app

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/store"
)

// syncBuffer is a log sink tests read while the app writes to it.
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

// holdWriteLock takes SQLite's write lock on the database file from a
// connection of its own, the way another program (or a slow disk) would
// stall chase.md's next write; release lets it go.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Error(err)
			}
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// dropDuringClose drops a PDF and a program on a client while the demo
// database's write lock is held elsewhere, so the drop stalls half-way (its
// files checked, its queue write waiting); then closeSession (a shutdown or
// a switch to the practice's own Xero) runs. Once that close has begun (or,
// before the gate, finished), the lock is let go. It returns the drop's
// error, the app's log and the demo database's path.
func dropDuringClose(t *testing.T, closeSession func(a *App)) (error, string, string) {
	t.Helper()
	logs := &syncBuffer{}
	a := newTestApp(t, config.Config{Demo: true, DemoContacts: 20}, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	var client ClientChoice
	waitUntil(t, "the demo practice synced", func() bool {
		found, err := a.Uploads.FindClients("", 5)
		if err == nil && len(found) > 0 {
			client = found[0]
			return true
		}
		return false
	})
	_, sess, done, err := a.current()
	if err != nil {
		t.Fatal(err)
	}
	done()
	dbPath := sess.db.Path()

	dir := t.TempDir()
	pdf, exe := filepath.Join(dir, "Payslips.pdf"), filepath.Join(dir, "setup.exe")
	writeFile(t, pdf, 3000)
	writeFile(t, exe, 100)

	release := holdWriteLock(t, dbPath)
	dropped := make(chan error, 1)
	go func() {
		_, err := a.Uploads.Enqueue(client.ID, []string{pdf, exe}, "")
		dropped <- err
	}()
	waitUntil(t, "the drop to be under way", func() bool {
		sess.calls.mu.Lock()
		defer sess.calls.mu.Unlock()
		return sess.calls.inUse > 0
	})
	closed := make(chan struct{})
	go func() {
		closeSession(a)
		close(closed)
	}()
	waitUntil(t, "the close to begin", func() bool {
		select {
		case <-closed: // the old order: closed with the drop still under way
			return true
		default:
			return sess.calls.draining()
		}
	})
	release()
	err = <-dropped
	<-closed
	return err, logs.String(), dbPath
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkDropWhole: the stalled drop either finished before the database
// closed, all of it (the PDF queued and the program's refusal in Activity),
// or was refused or stopped in words, with nothing of it written; and no
// write ever met a closed database.
func checkDropWhole(t *testing.T, err error, logs, dbPath string) {
	t.Helper()
	if strings.Contains(logs, "database is closed") {
		t.Errorf("a write reached the closed database:\n%s", logs)
	}
	if err != nil {
		if strings.Contains(err.Error(), "database is closed") {
			t.Fatalf("the drop met the closed database: %v", err)
		}
		if code := toUIError(err).Code; code != "closing" && code != "cancelled" {
			t.Fatalf("the drop failed with %v (%s), want it done or refused in words", err, code)
		}
	}
	db, oerr := store.Open(context.Background(), dbPath)
	if oerr != nil {
		t.Fatal(oerr)
	}
	defer db.Close()
	var queued, refusals int
	if err := db.SQL().QueryRow(`SELECT count(*) FROM upload_items WHERE name = 'Payslips.pdf'`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow(`SELECT count(*) FROM activity_log WHERE subject = 'setup.exe'`).Scan(&refusals); err != nil {
		t.Fatal(err)
	}
	want := 1
	if err != nil {
		want = 0
	}
	if queued != want || refusals != want {
		t.Fatalf("after the drop (err %v): %d queued and %d refusals logged, want %d of each", err, queued, refusals, want)
	}
}

// TestSwitchWaitsForACallInProgress: a drop that is half-way when the person
// switches from the demo to their own Xero ends whole or not at all, never
// with a write to the closed demo database. (Before the gate, the switch
// closed the demo database under the drop, whose refusal then failed with
// "sql: database is closed".)
func TestSwitchWaitsForACallInProgress(t *testing.T) {
	err, logs, dbPath := dropDuringClose(t, func(a *App) {
		if err := a.switchMode(false); err != nil {
			t.Errorf("switch to your own Xero: %v", err)
		}
	})
	t.Logf("the drop: %v", err)
	checkDropWhole(t, err, logs, dbPath)
}

// TestShutdownWaitsForACallInProgress: the same drop while the window closes.
func TestShutdownWaitsForACallInProgress(t *testing.T) {
	err, logs, dbPath := dropDuringClose(t, func(a *App) { a.shutdown(context.Background()) })
	t.Logf("the drop: %v", err)
	checkDropWhole(t, err, logs, dbPath)
}

// TestCallsAfterCloseAreRefusedInWords: once the session is closing, a call
// is refused with ErrClosing rather than let near the database.
func TestCallsAfterCloseAreRefusedInWords(t *testing.T) {
	a := newTestApp(t, config.Config{}, Options{})
	a.shutdown(context.Background())
	_, err := a.Settings.Get()
	if !errors.Is(err, ErrClosing) {
		t.Fatalf("a call after shutdown: %v, want ErrClosing", err)
	}
	if u := toUIError(err); u.Code != "closing" || strings.Contains(u.Message, "app:") {
		t.Fatalf("in the window: %+v", u)
	}
}

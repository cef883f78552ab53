//go:build unix

package filing_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"chase.md/backend/store"
	"chase.md/backend/watch"
)

// staleMS is the test's stale time for claims (10 minutes in the product);
// heartbeats come ten times as often.
const staleMS = 2000

// Two machines share a watched folder. Machine A uploads three files (Xero
// stores them; the links fail for now) and then stops for longer than the
// stale time: killed (a crash), or paused with SIGSTOP (a closed laptop lid)
// and resumed after machine B took its claims back. B must find A's uploads
// in Xero and adopt them, whatever Xero still remembers of A's
// Idempotency-Keys; A, waking up, must neither upload nor link again. In the
// end each file is in Xero once, linked once to its client, filed once, and
// no item on either machine failed or was cancelled, even when the crashed
// one restarts: A's items end done, filed by B, and A's activity says so.
func TestTwoMachinesTakeOverClaims(t *testing.T) {
	for _, how := range []string{"crash", "sleep"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			takeOver(t, how == "sleep")
		})
	}
}

func takeOver(t *testing.T, sleep bool) {
	ctx, srv, base, tenant, c := sharedXero(t, 3*time.Minute)
	dir := t.TempDir()
	stale := "HELPER_STALE_MS=" + strconv.Itoa(staleMS)

	a := startWatcher(t, ctx, srv, base, dir, tenant, stale)
	// Xero stores A's uploads, but refuses the links for now.
	if err := srv.SetFaults("POST /files.xro/1.0/Files/*/Associations=503"); err != nil {
		t.Fatal(err)
	}
	const n = 3
	for i := range n {
		write(t, filepath.Join(dir, c.Name, "scan "+strconv.Itoa(i)+".pdf"), pdf("page "+strconv.Itoa(i)))
	}
	eventually(t, "A's uploads stored in Xero", func() bool { return len(srv.Files(tenant)) == n })
	sig := syscall.SIGKILL
	if sleep {
		sig = syscall.SIGSTOP
	}
	if err := a.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	srv.ClearFaults()
	t.Logf("A stopped (%v); Xero forgot %d Idempotency-Keys", sig, srv.ForgetIdempotencyKeys())

	b := startWatcher(t, ctx, srv, base, dir, tenant, stale)
	filed := filepath.Join(dir, "Filed", watch.SafeName(c.Name))
	eventually(t, "B filed A's files", func() bool {
		es, _ := os.ReadDir(filed)
		return len(es) == n
	})
	if sleep {
		if err := a.cmd.Process.Signal(syscall.SIGCONT); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A, awake, ended its items", func() bool { return live(t, a.data) == 0 })
		a.stop(t)
	} else {
		a.cmd.Wait()
		// A restarts after B filed its files: its items end, none failed.
		a = startWatcherIn(t, ctx, srv, base, dir, tenant, a.data, stale)
		eventually(t, "A, restarted, ended its items", func() bool { return live(t, a.data) == 0 })
		a.stop(t)
	}
	b.stop(t)

	files := srv.Files(tenant)
	if len(files) != n {
		t.Errorf("%d files in Xero, want %d", len(files), n)
	}
	links := map[string]int{}
	for _, as := range srv.Associations(tenant) {
		links[as.FileID]++
		if as.ObjectID != c.ContactID {
			t.Errorf("file %s linked to %s, want %s", as.FileID, as.ObjectID, c.ContactID)
		}
	}
	for _, f := range files {
		if links[f.ID] != 1 {
			t.Errorf("%s linked %d times, want once", f.Name, links[f.ID])
		}
	}
	for name, w := range map[string]*watcher{"A": a, "B": b} {
		for state, k := range states(t, w.data) {
			t.Logf("%s: %d %s", name, k, state)
			if state == "failed" {
				t.Errorf("%s failed %d items", name, k)
			}
		}
		if k := count(t, w.data, `SELECT COUNT(*) FROM filing_review`); k != 0 {
			t.Errorf("%s sent %d files to Review", name, k)
		}
	}
	// No false failures: A's items end done, with the file B linked, and
	// A's activity says another computer filed them from the shared folder.
	if got := states(t, a.data); got["done"] != n || len(got) != 1 {
		log, _ := os.ReadFile(filepath.Join(a.data, "chase.log"))
		t.Errorf("A's items ended %v, want %d done (filed by B); A's log:\n%s", got, n, log)
		for _, r := range srv.Requests() {
			if r.Method == "POST" || r.Path == "/files.xro/1.0/Files" {
				t.Logf("%s %s %s %d %s", r.Time.Format("15:04:05.000"), r.Method, r.Path, r.Status, r.Fault)
			}
		}
	}
	inXero := map[string]bool{}
	for _, f := range files {
		inXero[f.ID] = true
	}
	rows, err := openData(t, a.data).SQL().Query(`SELECT xero_id, detail FROM activity_log WHERE kind = 'filed'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	told := 0
	for rows.Next() {
		var id, detail string
		if err := rows.Scan(&id, &detail); err != nil {
			t.Fatal(err)
		}
		// Filed by B; or by A itself, when its link request, sent as it
		// went to sleep, reached Xero once the faults were cleared.
		byB := strings.HasPrefix(detail, "Filed by another computer watching "+dir+":")
		byA := strings.HasPrefix(detail, "From "+filepath.Join(dir, ".chase-claims"))
		if !inXero[id] || !byB && !byA {
			t.Errorf("A's activity: filed %q: %q, want a file in Xero filed by another computer watching %s", id, detail, dir)
		}
		told++
	}
	if told != n {
		t.Errorf("A's activity lists %d files filed, want %d", told, n)
	}
	// A's folder history has them filed where B put them.
	if k := count(t, a.data, `SELECT COUNT(*) FROM filing_done WHERE final_rel LIKE 'Filed%'`); k != n {
		t.Errorf("A's folder history has %d files in Filed, want %d", k, n)
	}
	if got := states(t, b.data)["done"]; got != n {
		t.Errorf("B finished %d items, want %d", got, n)
	}
}

func openData(t *testing.T, data string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, data, query string) int {
	t.Helper()
	var n int
	if err := openData(t, data).SQL().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// live is how many of a machine's upload items are still under way.
func live(t *testing.T, data string) int {
	return count(t, data, `SELECT COUNT(*) FROM upload_items WHERE state IN ('queued', 'uploading', 'uploaded', 'associating', 'waiting_reconnect')`)
}

func states(t *testing.T, data string) map[string]int {
	t.Helper()
	rows, err := openData(t, data).SQL().Query(`SELECT state, COUNT(*) FROM upload_items GROUP BY state`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var k int
		if err := rows.Scan(&s, &k); err != nil {
			t.Fatal(err)
		}
		out[s] = k
	}
	return out
}

package filing_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/filing"
)

// TestRefusedForGoodStaysInReview: a file Xero refuses for good (a
// permanent 400) waits in Review with Xero's reason through background
// syncs and rescans (which used to queue it again each time); a person's
// choice sends it again, and so does a change to the file.
func TestRefusedForGoodStaysInReview(t *testing.T) {
	t.Parallel()
	e, c, dir, f := watchedBySubfolder(t)
	if err := e.s.Sandbox.SetFault("POST /files.xro/1.0/Files*", "400"); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, c.Name, "odd scan.pdf")
	write(t, src, pdf("refused"))
	var rv []filing.Review
	eventually(t, "review", func() bool { rv, _ = e.s.Folders.Reviews(e.ctx, f.ID); return len(rv) == 1 })
	if rv[0].Kind != filing.KindFailed || !strings.Contains(rv[0].Reason, "could not be processed") || !exists(src) {
		t.Fatalf("review %+v, want the file back in its folder, failed, with Xero's reason", rv[0])
	}

	// Background syncs (each one re-matches Review) and rescans.
	for range 3 {
		if _, err := e.s.Syncer.Incremental(e.ctx, e.tenant, nil); err != nil {
			t.Fatal(err)
		}
		e.s.Folders.ContactsChanged()
		time.Sleep(300 * time.Millisecond) // the folder notices a sync every 100 ms here
	}
	if _, q, _ := e.ev.count(); q != 1 {
		t.Fatalf("queued %d times; a refused file must wait for a person", q)
	}
	if rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(rv) != 1 || rv[0].Kind != filing.KindFailed {
		t.Fatalf("review after the syncs: %+v", rv)
	}

	// Touched, not changed: still held.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(src, later, later); err != nil {
		t.Fatal(err)
	}
	e.s.Folders.ContactsChanged()
	time.Sleep(300 * time.Millisecond)
	if _, q, _ := e.ev.count(); q != 1 {
		t.Fatalf("queued %d times after a touch", q)
	}

	// Changed: the new bytes are sent (and refused again here).
	write(t, src, pdf("refused, saved again"))
	eventually(t, "the changed file queued", func() bool { _, q, _ := e.ev.count(); return q == 2 })
	eventually(t, "back in review", func() bool {
		rv, _ = e.s.Folders.Reviews(e.ctx, f.ID)
		return len(rv) == 1 && rv[0].Kind == filing.KindFailed && exists(src)
	})

	// A person chooses its client once Xero takes it: filed.
	e.s.Sandbox.ClearFaults()
	if err := e.s.Folders.ResolveReview(e.ctx, rv[0].ID, c.ContactID, false); err != nil {
		t.Fatal(err)
	}
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if files := e.filesFor(c); len(files) != 1 {
		t.Fatalf("%d files in Xero", len(files))
	}
	if rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(rv) != 0 {
		t.Fatalf("still in Review: %+v", rv)
	}
}

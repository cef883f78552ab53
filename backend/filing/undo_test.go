package filing_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/upload"
)

// A person's choice in Review waits in its undo window; undone, nothing
// reaches Xero and the file is back in Review, in its folder, saying so.
func TestReviewChoiceUndone(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 60, func(o *core.Options) { o.UndoWindow = time.Hour })
	c := client(t, e.s.Sandbox, e.tenant, 1)
	dir := t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(dir, "scan_0001.pdf")
	write(t, first, pdf("one"))
	var rv []filing.Review
	eventually(t, "review", func() bool {
		rv, _ = e.s.Folders.Reviews(e.ctx, f.ID)
		return len(rv) == 1
	})
	if err := e.s.Folders.ResolveReview(e.ctx, rv[0].ID, c.ContactID, false); err != nil {
		t.Fatal(err)
	}
	held, err := e.s.Uploads.Items(e.ctx, upload.Filter{States: []upload.State{upload.StateHeld}})
	if err != nil || len(held) != 1 || held[0].HeldUntil == nil {
		t.Fatalf("held items after the choice: %+v, %v", held, err)
	}
	if err := e.s.Uploads.Undo(e.ctx, held[0].ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the file back in Review", func() bool {
		rv, _ = e.s.Folders.Reviews(e.ctx, f.ID)
		return len(rv) == 1 && strings.Contains(rv[0].Reason, "You undid the filing") && exists(first)
	})
	if n := len(e.s.Sandbox.Files(e.tenant)); n != 0 {
		t.Fatalf("%d files reached the demo Xero, want none", n)
	}
}

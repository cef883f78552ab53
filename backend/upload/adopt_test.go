package upload

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/sandbox"
	"chase.md/backend/xero"
)

// otherMachineUploads uploads path to the Inbox as another chase.md would
// have, linked to c unless c is nil, and returns the file's id.
func (e *env) otherMachineUploads(t *testing.T, path string, c *Contact) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cl := e.client(e.tenant)
	f, err := cl.UploadFile(context.Background(), xero.UploadRequest{Name: filepath.Base(path), Body: bytes.NewReader(data),
		Size: int64(len(data)), IdempotencyKey: newKey("other")})
	if err != nil {
		t.Fatal(err)
	}
	if c != nil {
		if _, err := cl.Associate(context.Background(), f.ID, xero.AssociationRequest{ObjectID: c.ID, ObjectType: string(c.Type)},
			newKey("other")); err != nil {
			t.Fatal(err)
		}
	}
	return f.ID
}

// TestSentSinceAdoptsAnotherMachinesUpload: a file another machine uploaded
// (and perhaps linked) before its claim was taken back is adopted, linked
// once, and not uploaded again.
func TestSentSinceAdoptsAnotherMachinesUpload(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	cs := e.contacts(2)
	paths := e.files(2, "Taken back")
	ctx := waitCtx(t)
	since := time.Now()
	linked := e.otherMachineUploads(t, paths[0], &cs[0])
	unlinked := e.otherMachineUploads(t, paths[1], nil)
	uploads := e.sb.CountRequests("POST", "/files.xro/1.0/Files")
	q := e.queue(Options{})
	e.serve(q)
	items, err := q.Enqueue(ctx, []Request{
		{Path: paths[0], TenantID: e.tenant, Contact: cs[0], Source: SourceWatch, SentSince: since},
		{Path: paths[1], TenantID: e.tenant, Contact: cs[1], Source: SourceWatch, SentSince: since},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Wait(ctx, items[0].ID, items[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{linked, unlinked} {
		if got[i].State != StateDone || got[i].FileID != want {
			t.Errorf("%s: %s file %s (%s), want done with the other machine's file %s", got[i].Name, got[i].State, got[i].FileID,
				got[i].Reason, want)
		}
	}
	if n := e.sb.CountRequests("POST", "/files.xro/1.0/Files") - uploads; n != 1 {
		t.Errorf("%d upload or link calls, want 1 (the link of the file the other machine had not linked)", n)
	}
	e.assertExactlyOnce(t, map[string]Contact{paths[0]: cs[0], paths[1]: cs[1]})
}

// TestSentSinceLeavesOthersFiles: a file with the same name and size that
// is linked to another client, or was made before the item could have been
// sent, is not the item's: it is uploaded.
func TestSentSinceLeavesOthersFiles(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	cs := e.contacts(2)
	paths := e.files(2, "Same name")
	ctx := waitCtx(t)
	e.otherMachineUploads(t, paths[0], &cs[1]) // same bytes, another client's
	e.otherMachineUploads(t, paths[1], nil)    // before the window below
	e.sb.Advance(time.Hour)
	e.mu.Lock()
	e.token, _ = e.sb.IssueToken() // the first one expired in that hour
	e.mu.Unlock()
	q := e.queue(Options{})
	e.serve(q)
	since := e.sb.Now().Add(-time.Minute)
	items, err := q.Enqueue(ctx, []Request{
		{Path: paths[0], TenantID: e.tenant, Contact: cs[0], Source: SourceWatch, SentSince: since},
		{Path: paths[1], TenantID: e.tenant, Contact: cs[0], Source: SourceWatch, SentSince: since},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Wait(ctx, items[0].ID, items[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range got {
		if it.State != StateDone {
			t.Fatalf("%s: %s %q", it.Name, it.State, it.Reason)
		}
	}
	if n := len(e.sb.Files(e.tenant)); n != 4 {
		t.Errorf("%d files in Xero, want 4 (two of the other client's, two uploaded)", n)
	}
	for _, it := range got {
		as := 0
		for _, a := range e.sb.Associations(e.tenant) {
			if a.FileID == it.FileID {
				as++
			}
		}
		if as != 1 {
			t.Errorf("%s: %d links, want 1", it.Name, as)
		}
	}
}

// TestMovedFileJoinsItsLiveItem: a watched file queued from one place and
// queued again from another after the first place was emptied (a claim
// returned to the folder after a restart, then claimed again) is uploaded by
// the live item from its new place, which ends done, not "no longer where it
// was queued".
func TestMovedFileJoinsItsLiveItem(t *testing.T) {
	e := newEnv(t, sandbox.Options{})
	c := e.contacts(1)[0]
	p := e.files(1, "Moved")[0]
	ctx := waitCtx(t)
	q := e.queue(Options{})
	first, err := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c, Source: SourceWatch}})
	if err != nil {
		t.Fatal(err)
	}
	moved := filepath.Join(t.TempDir(), filepath.Base(p))
	if err := os.Rename(p, moved); err != nil {
		t.Fatal(err)
	}
	again, err := q.Enqueue(ctx, []Request{{Path: moved, TenantID: e.tenant, Contact: c, Source: SourceWatch}})
	if err != nil {
		t.Fatal(err)
	}
	if again[0].ID != first[0].ID || again[0].Path != moved {
		t.Fatalf("queued again as item %d at %s, want item %d at %s", again[0].ID, again[0].Path, first[0].ID, moved)
	}
	e.serve(q)
	got, err := q.Wait(ctx, first[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].State != StateDone {
		t.Fatalf("%s %q, want done", got[0].State, got[0].Reason)
	}
	e.assertExactlyOnce(t, map[string]Contact{moved: c})
}

// TestTakenOverIsNotFailed: a watched file whose claim left this machine
// (another machine took it back) is never sent or linked from here, and its
// item never fails: it ends done with the other machine's file once that
// shows up in Xero linked to the client (queued before the other machine
// filed it, or after), and cancelled only if nothing shows up for
// takenOverWait. (Before, it ended cancelled at once, a false failure of a
// file the other machine filed.)
func TestTakenOverIsNotFailed(t *testing.T) {
	defer func(r, w time.Duration) { takenOverRecheck, takenOverWait = r, w }(takenOverRecheck, takenOverWait)
	takenOverRecheck, takenOverWait = 20*time.Millisecond, 2*time.Second
	for _, tc := range []struct {
		name string
		// other files the document from the other machine: before this one
		// looks, after its first look, or never.
		other string
		want  State
	}{
		{"filed before", "before", StateDone},
		{"filed while waiting", "after", StateDone},
		{"never filed", "never", StateCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{})
			c := e.contacts(1)[0]
			root := t.TempDir()
			p := filepath.Join(root, ".chase-claims", "laptop", "1-ab", "Taken over.pdf")
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(e.files(1, "Taken over")[0], p); err != nil {
				t.Fatal(err)
			}
			ctx := waitCtx(t)
			q := e.queue(Options{})
			items, err := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c, Source: SourceWatch}})
			if err != nil {
				t.Fatal(err)
			}
			// The other machine takes the file over: it leaves this one's claim.
			moved := filepath.Join(t.TempDir(), "Taken over.pdf")
			if err := os.Rename(p, moved); err != nil {
				t.Fatal(err)
			}
			var otherFile string
			if tc.other == "before" {
				otherFile = e.otherMachineUploads(t, moved, &c)
			}
			e.serve(q)
			if tc.other == "after" {
				waitUntil(t, q, func() bool { // the item waits for the other machine
					it, err := q.Item(ctx, items[0].ID)
					return err == nil && it.Reason == takenOverWaiting
				})
				otherFile = e.otherMachineUploads(t, moved, &c)
			}
			got, err := q.Wait(ctx, items[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			it := got[0]
			if it.State != tc.want {
				t.Fatalf("%s %q, want %s", it.State, it.Reason, tc.want)
			}
			if tc.want == StateDone {
				want := FiledByPrefix + "another computer watching " + root + ":"
				if it.FileID != otherFile || !strings.HasPrefix(it.Note, want) {
					t.Errorf("done with file %s, note %q; want file %s, note %q…", it.FileID, it.Note, otherFile, want)
				}
			}
			files := 0
			if tc.other != "never" {
				files = 1
			}
			if n := len(e.sb.Files(e.tenant)); n != files {
				t.Errorf("%d files in Xero, want %d (only the other machine's)", n, files)
			}
			if n := len(e.sb.Associations(e.tenant)); n != files {
				t.Errorf("%d links in Xero, want %d (only the other machine's)", n, files)
			}
		})
	}
}

// TestLinkMadeButAnswerLost: Xero makes every link but each answer is lost
// on the way back. The next attempt finds the link in Xero and is done,
// instead of linking again (which a Xero that forgot the key, or that does
// not merge links, would make a second link) until it gives up.
func TestLinkMadeButAnswerLost(t *testing.T) {
	e := newEnv(t, sandbox.Options{Faults: "POST /files.xro/1.0/Files/*/Associations=dropafter"})
	c := e.contacts(1)[0]
	p := e.files(1, "Lost link")[0]
	ctx := waitCtx(t)
	q := e.queue(Options{MaxAttempts: 3})
	e.serve(q)
	items, err := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c, Source: SourceDrop}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := q.Wait(ctx, items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].State != StateDone {
		t.Fatalf("%s %q, want done", got[0].State, got[0].Reason)
	}
	e.assertExactlyOnce(t, map[string]Contact{p: c})
}

package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/activity"
	"chase.md/backend/core"
	"chase.md/backend/upload"
)

// A drop waits in its undo window; Undo takes it back and nothing reaches
// the demo Xero; the activity log says so, put down to the Xero user who
// signed in (from the sign-in's id_token), not the computer's login.
func TestDropUndoneReachesNothing(t *testing.T) {
	old := core.UndoWindow
	core.UndoWindow = time.Hour // long enough that only Undo can end it
	t.Cleanup(func() { core.UndoWindow = old })
	a, c, tenant, client := demoApp(t)
	p := filepath.Join(t.TempDir(), "scan_0001.pdf")
	writeFile(t, p, 900)
	items, err := a.Uploads.Enqueue(client.ID, []string{p}, "")
	if err != nil {
		t.Fatal(err)
	}
	if items[0].State != upload.StateHeld || items[0].HeldUntil == nil {
		t.Fatalf("dropped: %+v, want held with a release time", items[0])
	}
	if err := a.Uploads.Undo(items[0].ID); err != nil {
		t.Fatal(err)
	}
	if it := waitSettled(t, c, items[0].ID)[0]; it.State != upload.StateCancelled || it.Reason != upload.UndoneReason {
		t.Fatalf("undone: %+v", it)
	}
	if n := len(c.Sandbox.Files(tenant)); n != 0 {
		t.Fatalf("%d files reached the demo Xero, want none", n)
	}
	if err := a.Uploads.Undo(items[0].ID); toUIError(err).Code != "undo_too_late" {
		t.Errorf("undo twice: %v", err)
	}
	var undone []activity.Entry
	eventually(t, "the undo in the activity log", func() bool {
		undone, _ = a.Activity.List("scan_0001", []string{string(activity.Undone)}, 10, 0)
		return len(undone) == 1
	})
	if undone[0].Who != "Dana Demo" || undone[0].Client != client.Name {
		t.Errorf("undo logged as %+v, want by Dana Demo for %s", undone[0], client.Name)
	}
	syncs, err := a.Activity.List("", []string{string(activity.Sync)}, 10, 0)
	if err != nil || len(syncs) == 0 || syncs[0].Who != "Dana Demo" {
		t.Errorf("syncs in the activity log: %+v, %v", syncs, err)
	}
}

// A filed document moved to another client is linked to that client only,
// as the demo Xero's associations show; removed, it is gone from Xero.
// Both are in the activity log with the Xero file ID.
func TestMoveAndRemoveFiledDocument(t *testing.T) {
	a, c, tenant, client := demoApp(t)
	others, err := a.Uploads.FindClients("", 5)
	if err != nil {
		t.Fatal(err)
	}
	var other ClientChoice
	for _, o := range others {
		if o.ID != client.ID {
			other = o
			break
		}
	}
	p := filepath.Join(t.TempDir(), "Misfiled statement.pdf")
	writeFile(t, p, 1200)
	items, err := a.Uploads.Enqueue(client.ID, []string{p}, "")
	if err != nil {
		t.Fatal(err)
	}
	done := waitSettled(t, c, items[0].ID)[0]
	if done.State != upload.StateDone {
		t.Fatalf("upload: %+v", done)
	}
	if err := a.Clients.MoveFile(done.FileID, client.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	var linked []string
	for _, as := range c.Sandbox.Associations(tenant) {
		if strings.EqualFold(as.FileID, done.FileID) {
			linked = append(linked, strings.ToLower(as.ObjectID))
		}
	}
	if len(linked) != 1 || linked[0] != strings.ToLower(other.ID) {
		t.Fatalf("after the move the file is linked to %v, want only %s", linked, other.ID)
	}
	if files, err := a.Clients.ClientFiles(other.ID); err != nil || len(files) != 1 || files[0].FileID != done.FileID {
		t.Fatalf("the new client's files: %+v, %v", files, err)
	}
	if files, _ := a.Clients.ClientFiles(client.ID); len(files) != 0 {
		t.Fatalf("the old client still lists %+v", files)
	}
	// Xero has no link to one file: the local copy chase.md sent is what opens.
	if files, _ := a.Clients.ClientFiles(other.ID); !files[0].Local {
		t.Errorf("a file chase.md sent from this computer should offer its local copy: %+v", files[0])
	}
	if pv, err := a.Clients.PreviewFile(done.FileID); err != nil || pv.Kind != "pdf" {
		t.Errorf("preview of the local copy: %+v, %v", pv, err)
	}
	var opened string
	old := openLocal
	openLocal = func(p string) error { opened = p; return nil }
	t.Cleanup(func() { openLocal = old })
	if err := a.Clients.OpenFile(done.FileID); err != nil || opened != p {
		t.Errorf("open the local copy: %q, %v; want %q", opened, err, p)
	}
	if err := a.Clients.OpenFile("0f8c5b1e-0000-4000-8000-000000000000"); decodeUIError(t, FormatError(err)).Code != "no_local_copy" {
		t.Errorf("a file chase.md never sent: %v, want no_local_copy", err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if files, _ := a.Clients.ClientFiles(other.ID); files[0].Local {
		t.Error("a local copy that is gone is still offered")
	}

	if err := a.Clients.RemoveFile(done.FileID, other.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(c.Sandbox.Files(tenant)); n != 0 {
		t.Fatalf("%d files left in the demo Xero", n)
	}
	log, err := a.Activity.List(done.FileID, nil, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[activity.Kind]bool{}
	for _, e := range log {
		kinds[e.Kind] = true
	}
	if !kinds[activity.Filed] || !kinds[activity.Moved] || !kinds[activity.Removed] {
		t.Errorf("activity for the file: %+v, want filed, moved and removed", log)
	}
}

// Preview and Open take an item's ID, never a path: the page can only show
// files chase.md queued.
func TestPreviewAndOpenQueuedFile(t *testing.T) {
	a, c, _, client := demoApp(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "Receipt.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	items, err := a.Uploads.Enqueue(client.ID, []string{pdf}, "")
	if err != nil {
		t.Fatal(err)
	}
	pv, err := a.Uploads.Preview(items[0].ID)
	if err != nil || pv.Kind != "pdf" || !strings.HasPrefix(pv.DataURL, "data:application/pdf;base64,JVBERi0xLjQK") {
		t.Fatalf("preview: %+v, %v", pv, err)
	}
	var opened string
	old := openLocal
	openLocal = func(p string) error { opened = p; return nil }
	t.Cleanup(func() { openLocal = old })
	if err := a.Uploads.OpenFile(items[0].ID); err != nil || opened != pdf {
		t.Fatalf("open: %q, %v", opened, err)
	}
	waitSettled(t, c, items[0].ID)
	if _, err := a.Uploads.Preview(987654); err == nil {
		t.Error("previewed an item that does not exist")
	}
}

// The chase list's actions are in the activity log too: a client marked to
// chase by hand, and taken off again.
func TestChaseMarksInActivity(t *testing.T) {
	a, _, _, client := demoApp(t)
	if err := a.Chase.MarkForChase(client.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := a.Chase.MarkForChase(client.ID, false); err != nil {
		t.Fatal(err)
	}
	got, err := a.Activity.List("", []string{string(activity.Chased)}, 10, 0)
	if err != nil || len(got) != 2 {
		t.Fatalf("chase marks in the log: %+v, %v", got, err)
	}
	if got[0].Detail != "Taken off the chase list." || got[1].Detail != "Put on the chase list by hand." ||
		got[0].Client != client.Name || !strings.EqualFold(got[0].ContactID, client.ID) {
		t.Errorf("entries: %+v", got)
	}
}

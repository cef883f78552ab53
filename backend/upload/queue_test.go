package upload

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chase.md/backend/sandbox"
)

type recorder struct {
	mu       sync.Mutex
	states   map[int64][]State
	progress map[int64][]Progress
}

func newRecorder() *recorder {
	return &recorder{states: map[int64][]State{}, progress: map[int64][]Progress{}}
}

func (r *recorder) ItemChanged(it Item) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.states[it.ID]
	if len(s) == 0 || s[len(s)-1] != it.State {
		r.states[it.ID] = append(s, it.State)
	}
}

func (r *recorder) Progress(p Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progress[p.ItemID] = append(r.progress[p.ItemID], p)
}

func ids(items []Item) []int64 {
	var out []int64
	for _, it := range items {
		if it.ID != 0 {
			out = append(out, it.ID)
		}
	}
	return out
}

func TestUploadAndAssociate(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	rec := newRecorder()
	q := e.queue(Options{Events: rec, User: "zoe"})
	cs := e.contacts(2)
	accented := filepath.Join(e.dir, "Zoë Müller – bank statement 2024.pdf")
	if err := os.WriteFile(accented, []byte("%PDF-1.4 Zoë"), 0o644); err != nil {
		t.Fatal(err)
	}
	paths := append(e.files(3, "Acme"), accented)
	want := map[string]Contact{}
	var reqs []Request
	for i, p := range paths {
		c := cs[i%2]
		want[p] = c
		reqs = append(reqs, Request{Path: p, TenantID: e.tenant, Contact: c, Source: SourceDrop})
	}
	items, err := q.Enqueue(waitCtx(t), reqs)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.State != StateQueued || it.UploadKey == "" || it.AssociationKey == "" || it.UploadKey == it.AssociationKey {
			t.Fatalf("enqueued item %+v: want queued with two distinct keys written", it)
		}
	}
	e.serve(q)
	done, err := q.Wait(waitCtx(t), ids(items)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range done {
		if it.State != StateDone || it.FileID == "" || it.Attempts != 1 {
			t.Errorf("item %s: state %s file %q attempts %d reason %q", it.Name, it.State, it.FileID, it.Attempts, it.Reason)
		}
	}
	e.assertExactlyOnce(t, want)

	rec.mu.Lock()
	st := rec.states[items[0].ID]
	wantStates := []State{StateQueued, StateUploading, StateUploaded, StateAssociating, StateDone}
	if strings.Join(statesStr(st), ",") != strings.Join(statesStr(wantStates), ",") {
		t.Errorf("states seen = %v, want %v", st, wantStates)
	}
	ps := rec.progress[items[0].ID]
	if len(ps) == 0 || ps[len(ps)-1].Sent != items[0].Size || ps[len(ps)-1].TotalSize < items[0].Size {
		t.Errorf("progress = %+v, want a final event with all %d bytes", ps, items[0].Size)
	}
	rec.mu.Unlock()

	hist, err := q.History(waitCtx(t), "zoë müller", 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 1 || hist[0].Name != filepath.Base(accented) || hist[0].User != "zoe" || hist[0].Outcome != StateDone || hist[0].FileID == "" {
		t.Fatalf("history search = %+v", hist)
	}
	all, _ := q.History(waitCtx(t), "", 0, 0)
	if len(all) != 4 {
		t.Errorf("history has %d entries, want 4", len(all))
	}
	var buf bytes.Buffer
	if err := q.ExportCSV(waitCtx(t), &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
		t.Error("CSV lacks the UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0][2] != "File" {
		t.Fatalf("CSV = %v", recs)
	}
	found := false
	for _, r := range recs[1:] {
		found = found || r[2] == filepath.Base(accented) && r[11] == "done"
	}
	if !found {
		t.Errorf("CSV has no done row for %q", filepath.Base(accented))
	}
}

func statesStr(s []State) []string {
	var out []string
	for _, x := range s {
		out = append(out, string(x))
	}
	return out
}

func TestEnqueueRefusesAndDeduplicates(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	big := writeFile(t, e.dir, "scan.pdf", 13002342)
	exe := writeFile(t, e.dir, "setup.exe", 100)
	empty := writeFile(t, e.dir, "empty.pdf", 0)
	doc := e.files(1, "Dup")[0]
	copyOf := filepath.Join(e.dir, "copy of dup.pdf")
	b, _ := os.ReadFile(doc)
	os.WriteFile(copyOf, b, 0o644)
	req := func(p string) Request { return Request{Path: p, TenantID: e.tenant, Contact: c} }
	ctx := waitCtx(t)

	items, err := q.Enqueue(ctx, []Request{req(big), req(exe), req(empty), req(doc), req(doc), req(copyOf),
		{Path: doc, TenantID: e.tenant}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []Refusal{RefusedTooLarge, RefusedExtension, RefusedEmpty} {
		if items[i].State != StateRefused || items[i].ID != 0 || items[i].Refusal == nil || items[i].Refusal.Reason != want {
			t.Errorf("item %d = %+v, want refused %s", i, items[i], want)
		}
	}
	if items[0].Reason != "This file is 12.4 MB; Xero accepts files up to 10 MB. Split or compress it, then drop it again." {
		t.Errorf("12 MB reason = %q", items[0].Reason)
	}
	if items[3].ID == 0 || items[4].ID != items[3].ID || items[5].ID != items[3].ID {
		t.Errorf("the same bytes dropped three times gave items %d, %d, %d; want one", items[3].ID, items[4].ID, items[5].ID)
	}
	if items[6].State != StateRefused {
		t.Errorf("a request without a contact was %s, want refused", items[6].State)
	}
	// Dropped again in a second call while queued: still one item.
	again, _ := q.Enqueue(ctx, []Request{req(doc)})
	if again[0].ID != items[3].ID {
		t.Errorf("second drop made item %d, want %d", again[0].ID, items[3].ID)
	}
	all, _ := q.Items(ctx, Filter{})
	if len(all) != 1 {
		t.Fatalf("%d items stored, want 1 (refused files are not queued)", len(all))
	}

	e.serve(q)
	if _, err := q.Wait(ctx, items[3].ID); err != nil {
		t.Fatal(err)
	}
	// The same bytes for the same contact once done: skipped with a note.
	dup, _ := q.Enqueue(ctx, []Request{req(copyOf)})
	if dup[0].State != StateSkippedDuplicate || !strings.Contains(dup[0].Note, "Already uploaded to "+c.Name) {
		t.Fatalf("re-drop = %s %q, want skipped_duplicate with a note", dup[0].State, dup[0].Note)
	}
	// For another contact it is not a duplicate.
	other := e.contacts(2)[1]
	o, _ := q.Enqueue(ctx, []Request{{Path: copyOf, TenantID: e.tenant, Contact: other}})
	if o[0].State != StateQueued {
		t.Errorf("same bytes for another contact = %s, want queued", o[0].State)
	}
	if err := q.Force(ctx, items[3].ID); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Force on a done item = %v, want ErrNotAllowed", err)
	}
	if err := q.Force(ctx, dup[0].ID); err != nil {
		t.Fatal(err)
	}
	done, err := q.Wait(ctx, dup[0].ID, o[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if done[0].State != StateDone || !done[0].Forced {
		t.Errorf("forced item = %s forced=%v", done[0].State, done[0].Forced)
	}
	if n := len(e.sb.FilesFor(e.tenant, c.ID)); n != 2 {
		t.Errorf("%d files for the contact after Force, want 2", n)
	}
	if n := len(e.sb.FilesFor(e.tenant, other.ID)); n != 1 {
		t.Errorf("%d files for the other contact, want 1", n)
	}
	hist, _ := q.History(ctx, "skipped_duplicate", 10, 0)
	if len(hist) != 1 {
		t.Errorf("history has %d skipped_duplicate entries, want 1", len(hist))
	}
}

func TestFileChangedAfterQueued(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ps := e.files(2, "Change")
	ctx := waitCtx(t)
	items, err := q.Enqueue(ctx, []Request{{Path: ps[0], TenantID: e.tenant, Contact: c}, {Path: ps[1], TenantID: e.tenant, Contact: c}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ps[0], []byte("%PDF-1.4 edited after queueing"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(ps[1]); err != nil {
		t.Fatal(err)
	}
	e.serve(q)
	done, err := q.Wait(ctx, ids(items)...)
	if err != nil {
		t.Fatal(err)
	}
	if done[0].State != StateFailed || done[0].Retryable || !strings.Contains(strings.ToLower(done[0].Reason), "the file changed after it was queued") {
		t.Errorf("changed file: %s retryable=%v %q", done[0].State, done[0].Retryable, done[0].Reason)
	}
	if done[1].State != StateFailed || !strings.Contains(done[1].Reason, "no longer where it was queued") {
		t.Errorf("deleted file: %s %q", done[1].State, done[1].Reason)
	}
	if n := len(e.sb.Files(e.tenant)); n != 0 {
		t.Fatalf("%d files reached Xero, want 0", n)
	}
	// Retry takes the new bytes.
	if err := q.Retry(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	done, _ = q.Wait(ctx, items[0].ID)
	if done[0].State != StateDone {
		t.Fatalf("retried item = %s %q", done[0].State, done[0].Reason)
	}
	e.assertExactlyOnce(t, map[string]Contact{ps[0]: c})
}

func TestCancelAndRetry(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	ps := e.files(3, "Cancel")
	var reqs []Request
	for _, p := range ps {
		reqs = append(reqs, Request{Path: p, TenantID: e.tenant, Contact: c})
	}
	items, _ := q.Enqueue(ctx, reqs)
	if err := q.Cancel(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := q.Cancel(ctx, items[0].ID); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("second Cancel = %v, want ErrNotAllowed", err)
	}
	if err := q.Cancel(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Cancel(unknown) = %v, want ErrNotFound", err)
	}
	if err := q.CancelAll(ctx); err != nil {
		t.Fatal(err)
	}
	// Dropped again after cancelling: a new item; the cancelled twin can then not be retried.
	again, _ := q.Enqueue(ctx, []Request{reqs[2]})
	if again[0].State != StateQueued || again[0].ID == items[2].ID {
		t.Fatalf("re-drop after cancel = %s item %d", again[0].State, again[0].ID)
	}
	if err := q.Retry(ctx, items[2].ID); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Retry with a live twin = %v, want ErrNotAllowed", err)
	}
	if err := q.Cancel(ctx, again[0].ID); err != nil {
		t.Fatal(err)
	}
	e.serve(q)
	got, _ := q.Items(ctx, Filter{States: []State{StateCancelled}})
	if len(got) != 4 {
		t.Fatalf("%d cancelled, want 4", len(got))
	}
	if err := q.Retry(ctx, items[1].ID); err != nil {
		t.Fatal(err)
	}
	done, _ := q.Wait(ctx, items[1].ID)
	if done[0].State != StateDone {
		t.Fatalf("retried = %s", done[0].State)
	}
	if err := q.Retry(ctx, items[1].ID); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Retry(done) = %v, want ErrNotAllowed", err)
	}
	if n := len(e.sb.Files(e.tenant)); n != 1 {
		t.Errorf("%d files in Xero, want only the retried one", n)
	}
	h, _ := q.History(ctx, "cancelled", 0, 0)
	if len(h) != 4 {
		t.Errorf("%d cancelled history entries, want 4", len(h))
	}
}

func TestNamedFolderCreatedOnce(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	e.sb.SetFaults("POST /files.xro/1.0/Folders=dropafter@n1")
	q := e.queue(Options{PerTenant: 4})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	var reqs []Request
	want := map[string]Contact{}
	for _, p := range e.files(6, "Folder") {
		reqs = append(reqs, Request{Path: p, TenantID: e.tenant, Contact: c, Folder: "Bank statements 2024"})
		want[p] = c
	}
	items, _ := q.Enqueue(ctx, reqs)
	e.serve(q)
	done, _ := q.Wait(ctx, ids(items)...)
	s, _ := e.senders(ctx, e.tenant)
	folders, err := s.Folders(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var id string
	n := 0
	for _, f := range folders {
		if f.Name == "Bank statements 2024" {
			n++
			id = f.ID
		}
	}
	if n != 1 {
		t.Fatalf("%d folders named Bank statements 2024, want 1 (creation retried after a lost answer)", n)
	}
	for _, it := range done {
		if it.State != StateDone {
			t.Errorf("%s: %s %q", it.Name, it.State, it.Reason)
		}
	}
	for _, f := range e.sb.Files(e.tenant) {
		if f.FolderID != id {
			t.Errorf("%s in folder %s, want %s", f.Name, f.FolderID, id)
		}
	}
	e.assertExactlyOnce(t, want)
}

package upload

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/sandbox"
)

func TestFolderDeletedInXero(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	e.serve(q)
	ps := e.files(2, "Folder gone")
	first, _ := q.Enqueue(ctx, []Request{{Path: ps[0], TenantID: e.tenant, Contact: c, Folder: "Receipts"}})
	done, _ := q.Wait(ctx, first[0].ID)
	if done[0].State != StateDone {
		t.Fatalf("first upload: %s %q", done[0].State, done[0].Reason)
	}
	oldFolder := e.sb.Files(e.tenant)[0].FolderID
	req, _ := http.NewRequest(http.MethodDelete, e.srv.URL+"/files.xro/1.0/Folders/"+oldFolder, nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("xero-tenant-id", e.tenant)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete folder: %v %v", err, resp)
	}
	resp.Body.Close()
	second, _ := q.Enqueue(ctx, []Request{{Path: ps[1], TenantID: e.tenant, Contact: c, Folder: "Receipts"}})
	done, _ = q.Wait(ctx, second[0].ID)
	if done[0].State != StateDone {
		t.Fatalf("upload after the folder was deleted: %s %q", done[0].State, done[0].Reason)
	}
	files := e.sb.Files(e.tenant)
	if files[1].FolderID == oldFolder || files[1].FolderID == "" {
		t.Errorf("second file went to folder %q; want a new Receipts folder", files[1].FolderID)
	}
	s, _ := e.senders(ctx, e.tenant)
	folders, _ := s.Folders(ctx)
	n := 0
	for _, f := range folders {
		if f.Name == "Receipts" {
			n++
			if f.ID != files[1].FolderID {
				t.Errorf("Receipts folder %s is not where the file went (%s)", f.ID, files[1].FolderID)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d Receipts folders, want 1", n)
	}
}

func TestNameWithCharactersXeroRefuses(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	p := filepath.Join(e.dir, `Invoice: "March" <final>?.pdf`)
	if err := os.WriteFile(p, []byte("%PDF march"), 0o644); err != nil {
		t.Skip("this file system does not allow such names (Windows)") // the characters cannot occur there at all
	}
	items, _ := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c}})
	e.serve(q)
	done, _ := q.Wait(ctx, items[0].ID)
	if done[0].State != StateDone || done[0].Name != filepath.Base(p) {
		t.Fatalf("%s %q name %q", done[0].State, done[0].Reason, done[0].Name)
	}
	if got := e.sb.Files(e.tenant)[0].Name; got != `Invoice- -March- -final--.pdf` {
		t.Errorf("name in Xero = %q", got)
	}
}

func TestProgressThrottled(t *testing.T) {
	old := progressEvery
	progressEvery = time.Hour // only the first and the last call may emit
	defer func() { progressEvery = old }()
	rec := newRecorder()
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{Events: rec})
	q.batchSize = 1000
	it := &Item{ID: 7, Size: 1000}
	fn := q.progress(it)
	for sent := int64(0); sent <= 1000; sent += 10 {
		fn(sent)
	}
	got := rec.progress[7]
	if len(got) != 2 || got[0].Sent != 0 || got[1].Sent != 1000 || got[1].TotalSent != 1000 || got[1].TotalSize != 1000 {
		t.Fatalf("events = %+v, want the first and the last", got)
	}
}

func TestClearFinishedKeepsDuplicateMemory(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	p := e.files(1, "Clear")[0]
	items, _ := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c}})
	e.serve(q)
	q.Wait(ctx, items[0].ID)
	n, err := q.ClearFinished(ctx, false)
	if err != nil || n != 1 {
		t.Fatalf("ClearFinished = %d, %v; want 1", n, err)
	}
	again, _ := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c}})
	if again[0].State != StateSkippedDuplicate {
		t.Errorf("after clearing, the same bytes were %s; want skipped_duplicate", again[0].State)
	}
}

func TestCLI(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	good := e.files(2, "CLI")
	exe := writeFile(t, e.dir, "tool.exe", 10)
	resolve := func(ctx context.Context, client string) (Target, error) {
		if client == c.Name || client == c.ID {
			return Target{TenantID: e.tenant, Contact: c}, nil
		}
		return Target{}, errors.New("no such client")
	}
	var out bytes.Buffer
	err := CLI(ctx, q, append([]string{"--client", c.Name}, good...), resolve, &out)
	if err != nil {
		t.Fatalf("CLI: %v\n%s", err, out.String())
	}
	if strings.Count(out.String(), "uploaded ") != 2 {
		t.Errorf("output:\n%s", out.String())
	}
	out.Reset()
	err = CLI(ctx, q, []string{"--client", c.ID, good[0], exe}, resolve, &out)
	if !errors.Is(err, ErrIncomplete) {
		t.Errorf("CLI with a refused file = %v, want ErrIncomplete", err)
	}
	if !strings.Contains(out.String(), "refused  tool.exe: Xero doesn't accept .exe files") || !strings.Contains(out.String(), "skipped  ") {
		t.Errorf("output:\n%s", out.String())
	}
	if err := CLI(ctx, q, []string{"--client", "Nobody", good[0]}, resolve, &out); err == nil {
		t.Error("unknown client accepted")
	}
	// Only files already in Xero: nothing to do, said in the command line's words.
	out.Reset()
	if err := CLI(ctx, q, []string{"--client", c.ID, good[1]}, resolve, &out); !errors.Is(err, ErrNothingToDo) {
		t.Errorf("CLI with only a duplicate = %v, want ErrNothingToDo", err)
	}
	if s := out.String(); !strings.Contains(s, "Add --force to send it again.") || strings.Contains(s, "Upload anyway") || strings.Contains(s, "drop it") {
		t.Errorf("duplicate said in the app's words:\n%s", s)
	}
	// With the queue already served (chase watch), CLI leaves the work to it.
	e.serve(q)
	third := e.files(3, "CLI")[2]
	out.Reset()
	if err := CLI(ctx, q, []string{"--client", c.ID, third}, resolve, &out); err != nil {
		t.Fatalf("CLI with the queue already running: %v\n%s", err, out.String())
	}
	e.assertExactlyOnce(t, map[string]Contact{good[0]: c, good[1]: c, third: c})
}

func uploadCalls(e *env) int {
	n := 0
	for _, r := range e.sb.Requests() {
		if r.Method == http.MethodPost && strings.EqualFold(r.Path, "/files.xro/1.0/Files") {
			n++
		}
	}
	return n
}

func TestRetryAfterUploadOnlyAssociates(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	e.sb.SetFaults("POST /files.xro/1.0/Files/*/Associations=500@f1000")
	q := e.queue(Options{MaxAttempts: 2})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	p := e.files(1, "Assoc only")[0]
	items, _ := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c}})
	e.serve(q)
	done, _ := q.Wait(ctx, items[0].ID)
	if done[0].State != StateFailed || !done[0].Retryable || done[0].FileID == "" {
		t.Fatalf("with links failing: %s retryable=%v file=%q %q", done[0].State, done[0].Retryable, done[0].FileID, done[0].Reason)
	}
	if n := uploadCalls(e); n != 1 {
		t.Fatalf("%d upload calls before Retry, want 1", n)
	}
	e.sb.ClearFaults()
	if err := q.Retry(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	done, _ = q.Wait(ctx, items[0].ID)
	if done[0].State != StateDone {
		t.Fatalf("after Retry: %s %q", done[0].State, done[0].Reason)
	}
	if n := uploadCalls(e); n != 1 {
		t.Errorf("%d upload calls, want 1: Retry must only associate", n)
	}
	e.assertExactlyOnce(t, map[string]Contact{p: c})
}

func TestCancelInFlight(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	e.sb.SetFaults("POST /files.xro/1.0/Files=slow:2s")
	q := e.queue(Options{})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	p := e.files(1, "Cancel in flight")[0]
	items, _ := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c}})
	e.serve(q)
	waitUntil(t, q, func() bool { it, _ := q.Item(ctx, items[0].ID); return it.State == StateUploading })
	if err := q.Cancel(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, q, func() bool { q.mu.Lock(); defer q.mu.Unlock(); return len(q.running) == 0 })
	it, _ := q.Item(ctx, items[0].ID)
	if it.State != StateCancelled {
		t.Fatalf("after Cancel: %s", it.State)
	}
	e.sb.ClearFaults()
	if err := q.Retry(ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	done, _ := q.Wait(ctx, it.ID)
	if done[0].State != StateDone {
		t.Fatalf("after Retry: %s %q", done[0].State, done[0].Reason)
	}
	e.assertExactlyOnce(t, map[string]Contact{p: c})
}

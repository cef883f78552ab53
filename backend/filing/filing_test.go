package filing_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/match"
	"chase.md/backend/sandbox"
	"chase.md/backend/watch"
)

func TestMain(m *testing.M) {
	watch.DefaultQuiet = 100 * time.Millisecond
	watch.UnreadableRetryMax = 300 * time.Millisecond
	filing.SweepEvery = 200 * time.Millisecond
	filing.ContactsEvery = 100 * time.Millisecond
	filing.RestartMin = 50 * time.Millisecond
	filing.RestartMax = 200 * time.Millisecond
	filing.HeartbeatEvery = 100 * time.Millisecond
	core.UndoWindow = 300 * time.Millisecond // still held, briefly, before it goes
	os.Exit(m.Run())
}

// events records what the service reported.
type events struct {
	mu      sync.Mutex
	filed   []filing.Filed
	queued  []filing.Queued
	at      []time.Time // when each of queued was reported
	reviews []filing.Review
	states  []filing.FolderStatus
}

func (e *events) funcs() filing.Events {
	return filing.Events{
		OnFiled: func(f filing.Filed) { e.mu.Lock(); e.filed = append(e.filed, f); e.mu.Unlock() },
		OnQueued: func(q filing.Queued) {
			e.mu.Lock()
			e.queued, e.at = append(e.queued, q), append(e.at, time.Now())
			e.mu.Unlock()
		},
		OnReview:      func(r filing.Review) { e.mu.Lock(); e.reviews = append(e.reviews, r); e.mu.Unlock() },
		OnFolderState: func(s filing.FolderStatus) { e.mu.Lock(); e.states = append(e.states, s); e.mu.Unlock() },
	}
}

func (e *events) count() (filed, queued, reviews int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.filed), len(e.queued), len(e.reviews)
}

type env struct {
	s      *core.Session
	ctx    context.Context
	tenant string
	ev     *events
}

// openDemo is the real session in demo mode, signed in, its contacts synced
// and its background work (queue, sync, folders) running.
func openDemo(t testing.TB, contacts int, mods ...func(*core.Options)) *env {
	t.Helper()
	e := openDemoUnsynced(t, contacts, mods...)
	want := len(e.s.Sandbox.Contacts(e.tenant))
	eventually(t, "contacts synced", func() bool {
		n, err := e.s.DB.CountContacts(e.ctx, e.tenant)
		return err == nil && n.Total == want
	})
	return e
}

// openDemoUnsynced is openDemo right after the sign-in, its first sync under way.
func openDemoUnsynced(t testing.TB, contacts int, mods ...func(*core.Options)) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	ev := &events{}
	o := core.Options{Config: config.Config{Demo: true, DataDir: t.TempDir()}, DemoContacts: contacts,
		Events: core.Events{Filing: ev.funcs()}}
	for _, m := range mods {
		m(&o)
	}
	s, err := core.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() { defer close(served); s.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-served; s.Close() })
	c, _, err := s.SignIn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &env{s: s, ctx: ctx, tenant: c.Main(), ev: ev}
}

// eventually polls cond; the deadline only guards against a hang.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, 45*time.Second, what, cond)
}

func eventuallyWithin(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// client picks an active demo contact the matcher files confidently both by
// sub-folder and by file name.
func client(t testing.TB, srv *sandbox.Server, tenant string, skip int) sandbox.Contact {
	t.Helper()
	return clients(t, srv, tenant, skip+1)[skip]
}

// clients is the first n such contacts.
func clients(t testing.TB, srv *sandbox.Server, tenant string, n int) []sandbox.Contact {
	t.Helper()
	all := srv.Contacts(tenant)
	var cs []match.Candidate
	for _, c := range all {
		cs = append(cs, match.Candidate{ContactID: strings.ToLower(c.ContactID), Name: c.Name, FirstName: c.FirstName, LastName: c.LastName,
			Archived: c.ContactStatus != "ACTIVE" || c.MergedToContactID != ""})
	}
	ix := match.NewIndex(cs)
	var out []sandbox.Contact
	for _, c := range all {
		if c.ContactStatus != "ACTIVE" || c.MergedToContactID != "" || strings.ContainsAny(c.Name, `/\:*?"<>|`) {
			continue
		}
		a := ix.Match(c.Name+"/scan.pdf", match.Options{Mode: match.ModeSubfolder}).Auto
		b := ix.Match(c.Name+" statement.pdf", match.Options{Mode: match.ModeFileName}).Auto
		if a != nil && b != nil && strings.EqualFold(a.ContactID, c.ContactID) && strings.EqualFold(b.ContactID, c.ContactID) {
			if out = append(out, c); len(out) == n {
				return out
			}
		}
	}
	t.Fatalf("only %d of %d demo contacts match confidently", len(out), n)
	return nil
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdf is a small whole PDF (it ends with %%EOF, so the watcher takes it as
// finished once quiet).
func pdf(body string) []byte { return []byte("%PDF-1.4\n% " + body + "\n%%EOF\n") }

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

func (e *env) filesFor(c sandbox.Contact) []sandbox.FileInfo {
	return e.s.Sandbox.FilesFor(e.tenant, c.ContactID)
}

// A file in a sub-folder named after a client is uploaded to that client once
// and moved into Filed/<client>/, with its unicode and spaces kept; one added
// while the folder is paused is filed when it resumes.
func TestSubfolderFiledOnceAndMoved(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 60)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	dir := t.TempDir()
	name := "Zoë Müller – bank statement 2024.pdf"
	src := filepath.Join(dir, c.Name, name)
	write(t, src, pdf("statement"))

	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	if f.TenantID != e.tenant || f.After != filing.AfterMove {
		t.Fatalf("defaults: %+v", f)
	}
	dest := filepath.Join(dir, "Filed", watch.SafeName(c.Name), name)
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if !exists(dest) || exists(src) {
		t.Fatal("the original is still in the inbox")
	}
	files := e.filesFor(c)
	if len(files) != 1 || files[0].Name != name {
		t.Fatalf("files for %s: %+v", c.Name, files)
	}
	counts, err := e.s.Folders.FiledToday(e.ctx, e.tenant)
	if err != nil || len(counts) != 1 || counts[0].Count != 1 || counts[0].Client != c.Name {
		t.Fatalf("filed today: %+v %v", counts, err)
	}
	e.ev.mu.Lock()
	if got := e.ev.filed[0]; got.Client != c.Name || got.File != name || got.FolderID != f.ID {
		t.Fatalf("filed event %+v", got)
	}
	e.ev.mu.Unlock()

	// Paused: a new file waits; resumed: it is filed.
	if err := e.s.Folders.Pause(e.ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "paused", func() bool {
		fs, _ := e.s.Folders.Folders(e.ctx)
		return len(fs) == 1 && fs[0].State == filing.StatePaused
	})
	src2 := filepath.Join(dir, c.Name, "second scan.pdf")
	write(t, src2, pdf("second"))
	time.Sleep(300 * time.Millisecond) // several quiet periods: nothing may happen while paused
	if !exists(src2) || len(e.filesFor(c)) != 1 {
		t.Fatal("a paused folder filed a file")
	}
	if err := e.s.Folders.Resume(e.ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "filed after resume", func() bool { n, _, _ := e.ev.count(); return n == 2 })
	if !exists(filepath.Join(dir, "Filed", watch.SafeName(c.Name), "second scan.pdf")) {
		t.Fatal("second file not in Filed")
	}
	if n := len(e.filesFor(c)); n != 2 {
		t.Fatalf("files for client = %d, want 2", n)
	}
	fs, err := e.s.Folders.Folders(e.ctx)
	if err != nil || fs[0].FiledToday != 2 || fs[0].State != filing.StateWatching || fs[0].Uploading != 0 {
		t.Fatalf("folders: %+v %v", fs, err)
	}
}

// A name no client matches goes to Review and stays where it is. A
// scanner's default name never becomes a rule (it would send every later scan
// to one client): asked to save one, nothing is filed and no rule is saved.
// A person's choice then files it after the undo window, and the next scan
// still waits in Review.
func TestReviewResolveWithRule(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 60)
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
	if rv[0].Rel != "scan_0001.pdf" || rv[0].Reason == "" || rv[0].Refused || !exists(first) {
		t.Fatalf("review %+v (file there: %v)", rv[0], exists(first))
	}
	if len(e.s.Sandbox.Files(e.tenant)) != 0 {
		t.Fatal("a file in Review was uploaded")
	}

	if p, err := e.s.Folders.RuleFor(e.ctx, rv[0].ID, c.ContactID); err != nil || p != "" {
		t.Fatalf("rule offered for scan_0001.pdf: %q, %v; want none", p, err)
	}
	if err := e.s.Folders.ResolveReview(e.ctx, rv[0].ID, c.ContactID, true); err == nil {
		t.Fatal("a rule was accepted for scan_0001.pdf")
	}
	if rules, _ := e.s.Folders.Rules(e.ctx, e.tenant); len(rules) != 0 {
		t.Fatalf("rules after refusing: %+v", rules)
	}
	if rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(rv) != 1 || !exists(first) {
		t.Fatalf("the refused rule moved the file: review %+v, there: %v", rv, exists(first))
	}

	if err := e.s.Folders.ResolveReview(e.ctx, rv[0].ID, c.ContactID, false); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "Filed", watch.SafeName(c.Name))
	eventually(t, "resolved file filed", func() bool { return exists(filepath.Join(dest, "scan_0001.pdf")) })
	if files := e.filesFor(c); len(files) != 1 {
		t.Fatalf("files for client: %+v", files)
	}

	write(t, filepath.Join(dir, "scan_0002.pdf"), pdf("two"))
	eventually(t, "the next scan in Review", func() bool {
		rv, _ := e.s.Folders.Reviews(e.ctx, f.ID)
		return len(rv) == 1 && rv[0].Rel == "scan_0002.pdf"
	})
	if files := e.filesFor(c); len(files) != 1 {
		t.Fatalf("the next scan went to the client by itself: %+v", files)
	}
}

// A rule whose pattern names the client (a word of its name) is offered and
// files the next file like it.
func TestReviewRuleNamingTheClient(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 60)
	c := client(t, e.s.Sandbox, e.tenant, 1)
	dir := t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	// A subfolder named with a word of the client's name that matches no client well enough.
	word := ""
	for _, w := range strings.Fields(c.Name) {
		if len(w) >= 4 {
			word = w
			break
		}
	}
	if word == "" {
		t.Skipf("client %q has no long word", c.Name)
	}
	sub := "Post for " + word + " xq"
	write(t, filepath.Join(dir, sub, "letter 1.pdf"), pdf("one"))
	var rv []filing.Review
	eventually(t, "review", func() bool {
		rv, _ = e.s.Folders.Reviews(e.ctx, f.ID)
		return len(rv) == 1
	})
	p, err := e.s.Folders.RuleFor(e.ctx, rv[0].ID, c.ContactID)
	if err != nil || p != strings.ToLower(sub) {
		t.Fatalf("rule offered: %q, %v; want %q", p, err, strings.ToLower(sub))
	}
	if err := e.s.Folders.ResolveReview(e.ctx, rv[0].ID, c.ContactID, true); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, sub, "letter 2.pdf"), pdf("two"))
	eventually(t, "the rule filed the next file", func() bool { return len(e.filesFor(c)) == 2 })
}

// Files Xero would refuse go to Review with the reason and stay in place.
func TestRefusedFilesStayInPlace(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	dir := t.TempDir()
	exe := filepath.Join(dir, c.Name, "setup.exe")
	big := filepath.Join(dir, c.Name, "huge scan.pdf")
	write(t, exe, []byte("MZ not really a program"))
	write(t, big, make([]byte, 10*1024*1024+1))
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	var rv []filing.Review
	eventually(t, "two reviews", func() bool {
		rv, _ = e.s.Folders.Reviews(e.ctx, f.ID)
		return len(rv) == 2
	})
	for _, r := range rv {
		if !r.Refused || r.Reason == "" || !exists(r.Path) {
			t.Fatalf("review %+v", r)
		}
	}
	reasons := rv[0].Reason + " | " + rv[1].Reason
	if !strings.Contains(strings.ToLower(reasons), "10 mb") && !strings.Contains(strings.ToLower(reasons), "too large") &&
		!strings.Contains(strings.ToLower(reasons), "larger") {
		t.Errorf("no size reason in %q", reasons)
	}
	if !exists(exe) || !exists(big) || len(e.s.Sandbox.Files(e.tenant)) != 0 {
		t.Fatal("a refused file was moved or uploaded")
	}
	// Deleted by a person: off the list.
	if err := os.Remove(big); err != nil {
		t.Fatal(err)
	}
	if left, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(left) != 1 || left[0].Path != exe {
		t.Fatalf("after deleting one: %+v", left)
	}
	rv, _ = e.s.Folders.Reviews(e.ctx, f.ID)
	// Dismissed: off the list, file untouched.
	if err := e.s.Folders.DismissReview(e.ctx, rv[0].ID); err != nil {
		t.Fatal(err)
	}
	if left, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(left) != 0 || !exists(exe) {
		t.Fatalf("after dismiss: %+v", left)
	}
}

// A folder set to leave files in place files them once, and does not upload
// them again when it is watched afresh.
func TestLeaveInPlaceNotUploadedTwice(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	dir := t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeFixed, ContactID: c.ContactID, After: filing.AfterLeave})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "receipts", "café receipt.jpg")
	write(t, p, []byte("\xff\xd8\xff jpeg\xff\xd9"))
	eventually(t, "uploaded", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if !exists(p) || exists(filepath.Join(dir, "Filed")) {
		t.Fatal("a leave-in-place file was moved")
	}
	if err := e.s.Folders.Pause(e.ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Folders.Resume(e.ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "watching again", func() bool {
		fs, _ := e.s.Folders.Folders(e.ctx)
		return fs[0].State == filing.StateWatching
	})
	time.Sleep(400 * time.Millisecond) // the start rescan and several quiet periods
	if _, q, _ := e.ev.count(); q != 1 || len(e.filesFor(c)) != 1 {
		t.Fatalf("queued %d times, %d files in Xero", q, len(e.filesFor(c)))
	}
}

// A folder that disappears shows in error and recovers when it is back.
func TestFolderErrorAndRecovery(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	parent := t.TempDir()
	dir := filepath.Join(parent, "Scans")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	state := func() filing.FolderStatus {
		fs, _ := e.s.Folders.Folders(e.ctx)
		return fs[0]
	}
	eventually(t, "watching", func() bool { return state().State == filing.StateWatching })
	if err := os.Rename(dir, dir+" (away)"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "error", func() bool { return state().State == filing.StateError })
	if msg := state().Message; !strings.Contains(msg, "cannot be found") {
		t.Fatalf("message %q", msg)
	}
	if err := os.Rename(dir+" (away)", dir); err != nil {
		t.Fatal(err)
	}
	eventually(t, "watching again", func() bool { return state().State == filing.StateWatching })
	write(t, filepath.Join(dir, c.Name+" statement.pdf"), pdf("back"))
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if n := len(e.filesFor(c)); n != 1 {
		t.Fatalf("%d files in Xero", n)
	}

	// Changed to one client: the next file goes there whatever its name.
	c2 := client(t, e.s.Sandbox, e.tenant, 1)
	f.Mode, f.ContactID = filing.ModeFixed, c2.ContactID
	if _, err := e.s.Folders.UpdateFolder(e.ctx, f); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, c.Name+" letter.pdf"), pdf("fixed"))
	eventually(t, "filed to the fixed client", func() bool { n, _, _ := e.ev.count(); return n == 2 })
	if n := len(e.filesFor(c2)); n != 1 {
		t.Fatalf("%d files for the fixed client", n)
	}
	if err := e.s.Folders.RemoveFolder(e.ctx, f.ID); err != nil {
		t.Fatal(err)
	}
	if !exists(filepath.Join(dir, "Filed")) {
		t.Fatal("removing a folder touched its files")
	}
}

// A file for a client Xero does not have yet waits in Review; once the client
// is added in Xero and synced, it is filed by itself.
func TestReviewFiledAfterSyncBringsClient(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	dir := t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	const name = "Quillfeather Orchards Ltd"
	src := filepath.Join(dir, name, "engagement letter.pdf")
	write(t, src, pdf("new client"))
	eventually(t, "review", func() bool { rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); return len(rv) == 1 })
	if !exists(src) {
		t.Fatal("a Review file left its place")
	}
	c, err := e.s.Sandbox.AddContact(e.tenant, sandbox.Contact{Name: name, ContactStatus: "ACTIVE"})
	if err != nil {
		t.Fatal(err)
	}
	e.s.Scheduler.Trigger(false)
	eventually(t, "filed after the sync", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if files := e.filesFor(c); len(files) != 1 || !exists(filepath.Join(dir, "Filed", name, "engagement letter.pdf")) {
		t.Fatalf("files for the new client: %+v", files)
	}
	if rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(rv) != 0 {
		t.Fatalf("still in Review: %+v", rv)
	}
}

// A folder filing to a client that is not synced sends its files to Review
// rather than retrying for ever; choosing an unknown client is refused.
func TestUnknownClient(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	dir := t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeFixed, ContactID: "00000000-0000-0000-0000-0000000000ff"})
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "a.pdf"), pdf("a"))
	var rv []filing.Review
	eventually(t, "review", func() bool { rv, _ = e.s.Folders.Reviews(e.ctx, f.ID); return len(rv) == 1 })
	if err := e.s.Folders.ResolveReview(e.ctx, rv[0].ID, "00000000-0000-0000-0000-0000000000fe", false); err == nil {
		t.Fatal("resolved to an unknown client")
	}
	if left, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(left) != 1 || !exists(filepath.Join(dir, "a.pdf")) {
		t.Fatalf("after a refused choice: %+v", left)
	}
}

// A claim left by a machine that stopped heart-beating (it crashed or was
// switched off mid-upload) is returned to the folder and filed here.
func TestStaleClaimOfAnotherMachineFiled(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	dir := t.TempDir()
	token := filepath.Join(dir, watch.ClaimDir, "other-pc-0001", "123-abc")
	write(t, filepath.Join(token, c.Name, "left behind.pdf"), pdf("stale"))
	old := time.Now().Add(-2 * filing.StaleAfter)
	for _, p := range []string{filepath.Join(token, c.Name), token} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if !exists(filepath.Join(dir, "Filed", watch.SafeName(c.Name), "left behind.pdf")) || len(e.filesFor(c)) != 1 {
		t.Fatal("the stale claim was not filed")
	}
}

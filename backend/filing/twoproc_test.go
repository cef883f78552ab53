package filing_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/sandbox"
	"chase.md/backend/watch"
)

// Two chase.md processes, each with its own database and sign-in, watch one
// folder against one Xero: every file is uploaded exactly once and filed once.
func TestTwoProcessesOneFolder(t *testing.T) {
	t.Parallel()
	ctx, srv, base, tenant, c := sharedXero(t, 2*time.Minute)
	dir := t.TempDir()

	var kids []*watcher
	for range 2 {
		kids = append(kids, startWatcher(t, ctx, srv, base, dir, tenant))
	}

	// Few files: the client paces each tenant at Xero's 60 calls a minute.
	const n = 8
	want := map[string]bool{}
	for i := range n {
		name := fmt.Sprintf("scan %02d.pdf", i)
		want[name] = true
		write(t, filepath.Join(dir, c.Name, name), pdf("page "+strconv.Itoa(i)))
	}
	filed := filepath.Join(dir, "Filed", watch.SafeName(c.Name))
	eventually(t, "all filed", func() bool {
		es, _ := os.ReadDir(filed)
		return len(es) == n
	})
	for _, k := range kids {
		k.stop(t)
	}
	files := srv.FilesFor(tenant, c.ContactID)
	seen := map[string]int{}
	for _, f := range files {
		seen[f.Name]++
	}
	for name := range want {
		if seen[name] != 1 {
			t.Errorf("%s uploaded %d times", name, seen[name])
		}
	}
	if len(files) != n || len(srv.Files(tenant)) != n {
		t.Fatalf("%d files for the client, %d in all, want %d", len(files), len(srv.Files(tenant)), n)
	}
	if es, _ := os.ReadDir(filepath.Join(dir, c.Name)); len(es) != 0 {
		t.Fatalf("left in the inbox: %v", es)
	}
}

// sharedXero starts a sandbox for processes to share, for at most limit,
// and picks the client their files are for.
func sharedXero(t *testing.T, limit time.Duration) (context.Context, *sandbox.Server, string, string, sandbox.Contact) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	srv := sandbox.New(sandbox.Options{AutoConsent: true, Contacts: 30, LimitScale: 60})
	base, err := srv.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tenant := srv.TenantID(sandbox.PracticeOrgName)
	return ctx, srv, base, tenant, client(t, srv, tenant, 0)
}

// watcher is a chase.md process (TestHelperWatcher) watching a folder.
type watcher struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	data  string // its data folder
}

// startWatcher starts a TestHelperWatcher process on dir, with its own data
// folder and sign-in, and waits until it watches; env adds to its environment.
// One at a time: each signs in on the first free callback port.
func startWatcher(t *testing.T, ctx context.Context, srv *sandbox.Server, base, dir, tenant string, env ...string) *watcher {
	t.Helper()
	return startWatcherIn(t, ctx, srv, base, dir, tenant, t.TempDir(), env...)
}

// startWatcherIn is startWatcher on the data folder data (a restart).
func startWatcherIn(t *testing.T, ctx context.Context, srv *sandbox.Server, base, dir, tenant, data string, env ...string) *watcher {
	t.Helper()
	w := &watcher{data: data}
	w.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperWatcher$", "-test.count=1")
	w.cmd.Env = append(append(os.Environ(), "CHASE_FILING_HELPER=1", "HELPER_BASE="+base, "HELPER_DIR="+dir,
		"HELPER_DATA="+w.data, "HELPER_TENANT="+tenant, "HELPER_CONTACTS="+strconv.Itoa(len(srv.Contacts(tenant)))), env...)
	stdin, err := w.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	w.stdin = stdin
	stdout, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errs strings.Builder
	w.cmd.Stderr = io.MultiWriter(&errs, os.Stderr)
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "READY" {
				close(ready)
			}
			fmt.Fprintf(os.Stderr, "child %d: %s\n", w.cmd.Process.Pid, sc.Text())
		}
	}()
	select {
	case <-ready:
	case <-ctx.Done():
		w.cmd.Process.Signal(os.Interrupt)
		t.Fatalf("child not ready: %s", errs.String())
	}
	return w
}

// stop ends the process as a person quitting would (its stdin closes).
func (w *watcher) stop(t *testing.T) {
	t.Helper()
	w.stdin.Close()
	if err := w.cmd.Wait(); err != nil {
		t.Errorf("child: %v", err)
	}
}

// TestHelperWatcher is one of TestTwoProcessesOneFolder's processes: a real
// (non-demo) session signed in to the parent's sandbox, watching the shared
// folder until its stdin closes. Run directly it does nothing.
func TestHelperWatcher(t *testing.T) {
	if os.Getenv("CHASE_FILING_HELPER") == "" {
		return
	}
	if ms, _ := strconv.Atoi(os.Getenv("HELPER_STALE_MS")); ms > 0 {
		// Claims go stale in ms instead of 10 minutes (see takeover_test.go).
		filing.StaleAfter = time.Duration(ms) * time.Millisecond
		filing.HeartbeatEvery = filing.StaleAfter / 10
		filing.RecoverEvery = filing.StaleAfter / 4
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()

	s := openReal(t, ctx, os.Getenv("HELPER_BASE"), os.Getenv("HELPER_DATA"), auth.NewMemoryStore(), filing.Events{})
	defer s.Close()
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx) }()
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	tenant := os.Getenv("HELPER_TENANT")
	if err := s.SetChoice(ctx, core.Choice{Orgs: []core.TenantRef{{ID: tenant}}}); err != nil {
		t.Fatal(err)
	}
	want, _ := strconv.Atoi(os.Getenv("HELPER_CONTACTS"))
	eventually(t, "contacts synced", func() bool {
		n, err := s.DB.CountContacts(ctx, tenant)
		return err == nil && n.Total == want
	})
	// A restarted process (same data folder) watches the folder it had.
	if _, err := s.Folders.AddFolder(ctx, filing.Folder{Path: os.Getenv("HELPER_DIR"), Mode: filing.ModeSubfolder}); err != nil &&
		!strings.Contains(err.Error(), "already watched") {
		t.Fatal(err)
	}
	eventually(t, "watching", func() bool {
		st, _ := s.Folders.Folders(ctx)
		return len(st) == 1 && st[0].State == filing.StateWatching
	})
	fmt.Println("READY")
	<-ctx.Done()
	<-served
}

// openReal is a real-mode session against a sandbox of the test's own.
func openReal(t testing.TB, ctx context.Context, base, data string, tokens auth.TokenStore, ev filing.Events) *core.Session {
	t.Helper()
	// Real mode (WithSandbox would start a demo Xero of its own) pointed at
	// the given sandbox.
	cfg := config.Config{DataDir: data, LoginURL: base, IdentityURL: base, APIURL: base, ClientID: config.DemoClientID}
	s, err := core.Open(ctx, core.Options{Config: cfg, TokenStore: tokens, Events: core.Events{Filing: ev}, OpenURL: func(url string) error {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A file queued when the app stops is uploaded once and filed after the
// restart: its claim is kept for the queue, not returned to the inbox.
func TestRestartMidUploadFilesOnce(t *testing.T) {
	t.Parallel()
	ctx, srv, base, tenant, c := sharedXero(t, 2*time.Minute)
	dir, data, tokens := t.TempDir(), t.TempDir(), auth.NewMemoryStore()

	ev1 := &events{}
	s1 := openReal(t, ctx, base, data, tokens, ev1.funcs())
	ctx1, stop1 := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() { defer close(served); s1.Serve(ctx1) }()
	if _, _, err := s1.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s1.SetChoice(ctx, core.Choice{Orgs: []core.TenantRef{{ID: tenant}}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "contacts synced", func() bool {
		n, err := s1.DB.CountContacts(ctx, tenant)
		return err == nil && n.Total == len(srv.Contacts(tenant))
	})
	if err := srv.SetFaults("POST /files.xro/1.0/Files*=offline"); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.Folders.AddFolder(ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder}); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, c.Name, "année 2024 – relevé.pdf")
	write(t, src, pdf("restart"))
	eventually(t, "queued", func() bool { _, q, _ := ev1.count(); return q == 1 })
	if exists(src) {
		t.Fatal("a queued file is still in the inbox")
	}
	stop1()
	<-served
	s1.Close()
	if n := len(srv.Files(tenant)); n != 0 {
		t.Fatalf("%d files uploaded through the fault", n)
	}

	srv.ClearFaults()
	ev2 := &events{}
	s2 := openReal(t, ctx, base, data, tokens, ev2.funcs())
	defer s2.Close()
	go s2.Serve(ctx)
	dest := filepath.Join(dir, "Filed", watch.SafeName(c.Name), filepath.Base(src))
	eventually(t, "filed after restart", func() bool { n, _, _ := ev2.count(); return n == 1 })
	if !exists(dest) || exists(src) {
		t.Fatalf("after restart: filed %v, in inbox %v", exists(dest), exists(src))
	}
	if _, q, _ := ev2.count(); q != 0 {
		t.Fatalf("queued again after the restart (%d)", q)
	}
	if files := srv.FilesFor(tenant, c.ContactID); len(files) != 1 {
		t.Fatalf("files for client: %+v", files)
	}
	claims, _ := os.ReadDir(filepath.Join(dir, watch.ClaimDir, s2.Folders.Owner()))
	for _, e := range claims {
		if e.IsDir() {
			t.Fatalf("claim left behind: %s", e.Name())
		}
	}
}

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
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := sandbox.New(sandbox.Options{AutoConsent: true, Contacts: 30, LimitScale: 60})
	base, err := srv.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tenant := srv.TenantID(sandbox.PracticeOrgName)
	c := client(t, srv, tenant, 0)
	dir := t.TempDir()

	type child struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
	}
	var kids []child
	for i := range 2 {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperWatcher$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CHASE_FILING_HELPER=1", "HELPER_BASE="+base, "HELPER_DIR="+dir,
			"HELPER_DATA="+t.TempDir(), "HELPER_TENANT="+tenant, "HELPER_CONTACTS="+strconv.Itoa(len(srv.Contacts(tenant))))
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var errs strings.Builder
		cmd.Stderr = io.MultiWriter(&errs, os.Stderr)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if sc.Text() == "READY" {
					close(ready)
				}
				fmt.Fprintf(os.Stderr, "child %d: %s\n", i, sc.Text())
			}
		}()
		select {
		case <-ready: // one at a time: each signs in on the first free callback port
		case <-ctx.Done():
			cmd.Process.Signal(os.Interrupt)
			t.Fatalf("child %d not ready: %s", i, errs.String())
		}
		kids = append(kids, child{cmd, stdin})
	}

	// Few files: the client paces each tenant at Xero's 60 calls a minute.
	const n = 10
	want := map[string]bool{}
	for i := range n {
		name := fmt.Sprintf("scan %02d.pdf", i)
		want[name] = true
		write(t, filepath.Join(dir, c.Name, name), []byte("%PDF-1.4 page "+strconv.Itoa(i)))
	}
	filed := filepath.Join(dir, "Filed", watch.SafeName(c.Name))
	eventually(t, "all filed", func() bool {
		es, _ := os.ReadDir(filed)
		return len(es) == n
	})
	for _, k := range kids {
		k.stdin.Close()
		if err := k.cmd.Wait(); err != nil {
			t.Errorf("child: %v", err)
		}
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

// TestHelperWatcher is one of TestTwoProcessesOneFolder's processes: a real
// (non-demo) session signed in to the parent's sandbox, watching the shared
// folder until its stdin closes. Run directly it does nothing.
func TestHelperWatcher(t *testing.T) {
	if os.Getenv("CHASE_FILING_HELPER") == "" {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()

	// Real mode (WithSandbox would start a demo Xero of its own) pointed at
	// the parent's sandbox.
	base := os.Getenv("HELPER_BASE")
	cfg := config.Config{DataDir: os.Getenv("HELPER_DATA"), LoginURL: base, IdentityURL: base, APIURL: base, ClientID: config.DemoClientID}
	s, err := core.Open(ctx, core.Options{Config: cfg, TokenStore: auth.NewMemoryStore(), OpenURL: func(url string) error {
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
	f, err := s.Folders.AddFolder(ctx, filing.Folder{Path: os.Getenv("HELPER_DIR"), Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "watching", func() bool {
		st, _ := s.Folders.Folders(ctx)
		return len(st) == 1 && st[0].ID == f.ID && st[0].State == filing.StateWatching
	})
	fmt.Println("READY")
	<-ctx.Done()
	<-served
}

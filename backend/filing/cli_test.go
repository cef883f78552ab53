package filing_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"chase.md/backend/filing"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `chase watch --folder DIR` adds the folder, files what lands in it and
// logs one line per event until it is stopped; files added before the
// session's first sync finished wait for it instead of going to Review.
func TestCLIWatch(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 40)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	dir := t.TempDir()
	write(t, filepath.Join(dir, c.Name, "Invoice #12 (copy).pdf"), pdf("cli"))

	// The session already serves; the CLI runs the folder service alone.
	ctx, cancel := context.WithCancel(e.ctx)
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- filing.CLI(ctx, e.s.Folders, []string{"--folder", dir, "--mode", "subfolder"}, waitDone, out)
	}()
	eventually(t, "filed line", func() bool { return strings.Contains(out.String(), "filed Invoice #12 (copy).pdf → "+c.Name) })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	log := out.String()
	for _, want := range []string{"folder " + dir, "queued Invoice #12 (copy).pdf → " + c.Name, "stopped"} {
		if !strings.Contains(log, want) {
			t.Errorf("no %q in:\n%s", want, log)
		}
	}
	fs, err := e.s.Folders.Folders(e.ctx)
	if err != nil || len(fs) != 1 || fs[0].Mode != filing.ModeSubfolder {
		t.Fatalf("folders %+v %v", fs, err)
	}
	if n := len(e.filesFor(c)); n != 1 {
		t.Fatalf("%d files in Xero", n)
	}
}

func waitDone(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

// Files dropped right after sign-in, before the first contact sync is done,
// are filed once it is, not sent to Review.
func TestFilesWaitForFirstSync(t *testing.T) {
	t.Parallel()
	e := openDemoUnsynced(t, 300)
	dir := t.TempDir()
	if _, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder}); err != nil {
		t.Fatal(err)
	}
	c := client(t, e.s.Sandbox, e.tenant, 5)
	write(t, filepath.Join(dir, c.Name, "early.pdf"), pdf("early"))
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if _, _, r := e.ev.count(); r != 0 {
		t.Fatalf("%d files went to Review", r)
	}
}

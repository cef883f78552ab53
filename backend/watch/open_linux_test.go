//go:build linux

package watch

import (
	"bufio"
	"errors"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// TestWriterHoldingTheFileOpenIsWaitedFor: another process keeps a
// finished-looking PDF open for writing (a scanner between pages, a copy
// that has not closed its handle). The watcher does not report it while that
// process holds it, says after UnfinishedAfter that another program has it
// open, and reports it once, whole, when the writer closes. (Before Linux
// leases were asked, the file was reported while still held.)
func TestWriterHoldingTheFileOpenIsWaitedFor(t *testing.T) {
	// Not parallel: it shortens UnfinishedAfter.
	defer func(d time.Duration) { UnfinishedAfter = d }(UnfinishedAfter)
	UnfinishedAfter = 300 * time.Millisecond
	root := t.TempDir()
	p := filepath.Join(root, "scan.pdf")

	// The writer: a separate process holding p open for writing until its
	// standard input closes.
	writer := exec.Command("sh", "-c", `exec 3>>"$0"; echo open; read _ || :`, p)
	stdin, err := writer.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := writer.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); writer.Wait() }()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "open\n" {
		t.Fatalf("writer: %q, %v", line, err)
	}

	c := &collector{}
	var mu sync.Mutex
	var stuck []Stuck
	w := start(t, Options{Root: root, Quiet: 50 * time.Millisecond, Rescan: -1,
		Stuck: func(s Stuck) { mu.Lock(); stuck = append(stuck, s); mu.Unlock() }}, c)
	doc := pdfDoc("two pages so far")
	write(t, p, doc) // whole for its format, but the writer still holds it

	waitFor(t, "told the file is in use", func() bool { mu.Lock(); defer mu.Unlock(); return len(stuck) > 0 })
	mu.Lock()
	if len(stuck) != 1 || stuck[0].Why != WaitingUnfinished || !errors.Is(stuck[0].Err, ErrInUse) {
		t.Fatalf("stuck reports %+v, want one: unfinished, in use", stuck)
	}
	mu.Unlock()
	if n := len(c.byRel()["scan.pdf"]); n != 0 {
		t.Fatalf("a file still open for writing was reported %d times", n)
	}

	stdin.Close() // the writer closes the file and exits
	if err := writer.Wait(); err != nil {
		t.Fatalf("writer: %v", err)
	}
	waitFor(t, "the closed file", func() bool { return len(c.byRel()["scan.pdf"]) > 0 })
	settle(w)
	if got, _ := c.reports("scan.pdf"); len(got) != 1 || got[0].SHA256 != sum(doc) {
		t.Fatalf("reports %+v, want the whole file once", got)
	}
}

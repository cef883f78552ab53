//go:build unix

package cli

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"chase.md/backend/owner"
)

// `chase watch` stops on SIGTERM (how service managers stop programs) as on
// Ctrl-C: it says so, exits 0 and leaves the data folder free.
func TestWatchStopsCleanlyOnSIGTERM(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data := t.TempDir()
	w := startChild(ctx, t, []string{"CHASE_DEMO=1", "CHASE_DATA_DIR=" + data}, "watch", "--folder", t.TempDir())
	w.waitFor(t, "watching;")
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	rest := w.waitFor(t, "stopped")
	err := w.cmd.Wait()
	if code := w.cmd.ProcessState.ExitCode(); err != nil || code != 0 {
		t.Fatalf("exit %d (%v) after SIGTERM: %s\n%s", code, err, strings.Join(rest, "\n"), w.stderr)
	}
	lk, err := owner.Acquire(data, owner.Holder{Program: owner.App})
	if err != nil {
		t.Fatalf("data folder after chase watch stopped: %v", err)
	}
	lk.Release()
}

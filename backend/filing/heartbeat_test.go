package filing_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"chase.md/backend/filing"
	"chase.md/backend/watch"
)

// A heartbeat that fails (a share with errors: here its file cannot be
// written) is retried on its own loop: the folder keeps watching and filing
// meanwhile, and the heartbeat is fresh again once the share recovers. Before,
// the first failure stopped the folder.
func TestHeartbeatSurvivesShareErrors(t *testing.T) {
	t.Parallel()
	e := openDemo(t, 30)
	c := client(t, e.s.Sandbox, e.tenant, 0)
	dir := t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	alive := filepath.Join(dir, watch.ClaimDir, e.s.Folders.Owner(), ".alive")
	eventually(t, "first heartbeat", func() bool { return exists(alive) })
	// A folder where the heartbeat's file should be: every write fails.
	eventually(t, "heartbeat broken", func() bool { os.Remove(alive); return os.Mkdir(alive, 0o755) == nil })
	broken := time.Now()

	write(t, filepath.Join(dir, c.Name, "during.pdf"), pdf("during"))
	eventually(t, "filed while the heartbeat fails", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	time.Sleep(10 * filing.HeartbeatEvery) // ten failed heartbeats
	if err := os.Remove(alive); err != nil {
		t.Fatal(err)
	}
	eventually(t, "heartbeat back", func() bool {
		fi, err := os.Stat(alive)
		return err == nil && fi.Mode().IsRegular() && fi.ModTime().After(broken)
	})
	e.ev.mu.Lock()
	defer e.ev.mu.Unlock()
	for _, st := range e.ev.states {
		if st.ID == f.ID && st.State == filing.StateError {
			t.Errorf("folder in error while the heartbeat failed: %s", st.Message)
		}
	}
}

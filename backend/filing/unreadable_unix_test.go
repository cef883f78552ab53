//go:build unix

package filing_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"chase.md/backend/filing"
	"chase.md/backend/watch"
)

// TestUnreadableFileShownThenFiled: a file chase.md may not read (mode 000)
// shows in Review as "chase.md can't read this file" with the reason in
// words, is never queued, and once it can be read is filed and leaves
// Review by itself. (It used to be retried every quiet period, silently.)
func TestUnreadableFileShownThenFiled(t *testing.T) {
	if rerunUnprivileged(t) {
		return
	}
	t.Parallel()
	e, c, dir, f := watchedBySubfolder(t)
	src := filepath.Join(dir, c.Name, "locked statement.pdf")
	write(t, src, pdf("locked"))
	if err := os.Chmod(src, 0); err != nil {
		t.Fatal(err)
	}
	var rv []filing.Review
	eventually(t, "review", func() bool { rv, _ = e.s.Folders.Reviews(e.ctx, f.ID); return len(rv) == 1 })
	if r := rv[0]; r.Kind != filing.KindUnreadable || !strings.HasPrefix(r.Reason, "chase.md can't read this file (permission denied") {
		t.Fatalf("review %+v, want it listed as unreadable, in words", r)
	}
	if _, q, _ := e.ev.count(); q != 0 {
		t.Fatalf("an unreadable file was queued %d times", q)
	}
	if err := os.Chmod(src, 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if !exists(filepath.Join(dir, "Filed", watch.SafeName(c.Name), "locked statement.pdf")) || len(e.filesFor(c)) != 1 {
		t.Fatal("not filed once readable")
	}
	if rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(rv) != 0 {
		t.Fatalf("still in Review: %+v", rv)
	}
}

// rerunUnprivileged runs the calling test again as the user nobody when the
// tests run as root, who reads any file whatever its mode, and reports
// whether it did (the caller then returns: the child's result is the test's).
func rerunUnprivileged(t *testing.T) bool {
	t.Helper()
	if os.Geteuid() != 0 {
		return false
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// The test binary sits in go's private build folder: copy it where
	// nobody may run it.
	dir, err := os.MkdirTemp("", "nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "filing.test")
	if err := copyFile(exe, bin); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + os.TempDir()}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("as the user nobody: %v\n%s", err, out)
	}
	return true
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

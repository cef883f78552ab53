package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/owner"
)

// The data folder has one owner at a time, across real processes: while the
// app holds it, the commands that would work its queue refuse with one plain
// sentence and the read-only ones still work; once the app is killed
// (SIGKILL: the OS frees the lock) `chase watch` takes it, and a second
// `chase watch` or an upload refuses, naming it.
func TestDataFolderHasOneOwner(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	data, inbox := t.TempDir(), t.TempDir()
	doc := filepath.Join(t.TempDir(), "GST return.pdf")
	if err := os.WriteFile(doc, []byte("%PDF-1.4\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"CHASE_DEMO=1", "CHASE_DATA_DIR=" + data}

	app := startChild(ctx, t, env, "hold-as-app")
	app.waitFor(t, "HELD")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"watch", "--folder", inbox}, "chase.md is open on this computer; it files from your watched folders itself while it is open, or quit it and run this again.\n"},
		{[]string{"upload", "--client", "Anyone", doc}, "chase.md is open on this computer; add the files by dropping them on the client in chase.md, or quit it and run this again.\n"},
		{[]string{"sync"}, "chase.md is open on this computer; it syncs your clients itself while it is open, or quit it and run this again.\n"},
	} {
		stdout, stderr, code := runChild(ctx, t, env, tc.args...)
		if code != 1 || stderr != tc.want || stdout != "" {
			t.Errorf("chase %s while the app runs: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args[0], code, stdout, stderr, tc.want)
		}
	}
	if out, errs, code := runChild(ctx, t, env, "chase-list"); code != 0 || !strings.HasPrefix(out, "# ") {
		t.Errorf("chase chase-list (read-only) while the app runs: exit %d: %s%s", code, out, errs)
	}
	if out, _, code := runChild(ctx, t, env, "version"); code != 0 || !strings.HasPrefix(out, "chase.md ") {
		t.Errorf("chase version while the app runs: exit %d: %s", code, out)
	}

	if err := app.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	app.cmd.Wait()

	watch := startChild(ctx, t, env, "watch", "--folder", inbox)
	watch.waitFor(t, "watching;")
	busy := fmt.Sprintf("`chase watch` is running on this computer (process %d); stop it (Ctrl-C in its window) and run this again.\n", watch.cmd.Process.Pid)
	for _, args := range [][]string{{"watch", "--folder", inbox}, {"upload", "--client", "Anyone", doc}} {
		if _, stderr, code := runChild(ctx, t, env, args...); code != 1 || stderr != busy {
			t.Errorf("chase %s while chase watch runs: exit %d, stderr %q; want %q", args[0], code, stderr, busy)
		}
	}
	if _, err := owner.Acquire(data, owner.Holder{Program: owner.App}); err == nil || err.Error() != strings.TrimSuffix(busy, "\n") {
		t.Errorf("the app while chase watch runs: %v", err)
	}

	if err := watch.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	watch.cmd.Wait()
	if out, errs, code := runChild(ctx, t, env, "sync"); code != 0 || !strings.Contains(out, "sync of Demo Practice Ltd") {
		t.Errorf("chase sync after chase watch was killed: exit %d: %s%s", code, out, errs)
	}
	lk, err := owner.Acquire(data, owner.Holder{Program: owner.App})
	if err != nil {
		t.Fatalf("the app after the commands ended: %v", err)
	}
	lk.Release()
}

// child is a `chase` process: this test binary re-run as the command line.
type child struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *bytes.Buffer
}

func startChild(ctx context.Context, t *testing.T, env []string, args ...string) *child {
	t.Helper()
	cmd := childCmd(ctx, env, args)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan string, 100), stderr: &bytes.Buffer{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	return c
}

// waitFor reads the child's stdout up to a line containing s.
func (c *child) waitFor(t *testing.T, s string) []string {
	t.Helper()
	var seen []string
	for l := range c.lines {
		seen = append(seen, l)
		if strings.Contains(l, s) {
			return seen
		}
	}
	c.cmd.Wait()
	t.Fatalf("%v ended without %q: %s\n%s", c.cmd.Args, s, strings.Join(seen, "\n"), c.stderr)
	return nil
}

func runChild(ctx context.Context, t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := childCmd(ctx, env, args)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

func childCmd(ctx context.Context, env []string, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperChase$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), env...), "CHASE_CLI_HELPER="+strings.Join(args, "\n"))
	return cmd
}

// TestHelperChase is the `chase` process of the tests above: Main with the
// arguments in CHASE_CLI_HELPER, as main.go runs it; "hold-as-app" holds the
// data folder as the desktop app does until killed. Run directly it does
// nothing.
func TestHelperChase(t *testing.T) {
	v := os.Getenv("CHASE_CLI_HELPER")
	if v == "" {
		return
	}
	args := strings.Split(v, "\n")
	if args[0] == "hold-as-app" {
		if _, err := owner.Acquire(os.Getenv("CHASE_DATA_DIR"), owner.Holder{Program: owner.App}); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("HELD")
		io.Copy(io.Discard, os.Stdin) // until killed
		select {}
	}
	os.Exit(Main(args))
}

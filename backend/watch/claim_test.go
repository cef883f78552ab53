package watch

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fileOf(t *testing.T, root, rel string) File {
	t.Helper()
	p := filepath.Join(root, rel)
	f, _, err := hashFile(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Rel = rel
	return f
}

func TestClaimCompleteNeverOverwrites(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "sub", "inv.pdf"), []byte("new"))
	write(t, filepath.Join(root, "Filed", "Acme", "inv.pdf"), []byte("old"))
	write(t, filepath.Join(root, "Filed", "Acme", "inv (2).pdf"), []byte("old2"))
	f := fileOf(t, root, filepath.Join("sub", "inv.pdf"))

	c, err := Claim(root, f, "pc1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "sub", "inv.pdf")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("claimed file still in the inbox: %v", err)
	}
	if _, err := Claim(root, f, "pc2"); !errors.Is(err, ErrClaimedElsewhere) {
		t.Fatalf("second claim: %v, want ErrClaimedElsewhere", err)
	}
	final, err := c.Complete(filepath.Join(root, "Filed", "Acme"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(final) != "inv (3).pdf" {
		t.Fatalf("final %s", final)
	}
	for name, want := range map[string]string{"inv.pdf": "old", "inv (2).pdf": "old2", "inv (3).pdf": "new"} {
		if b, _ := os.ReadFile(filepath.Join(root, "Filed", "Acme", name)); string(b) != want {
			t.Fatalf("%s = %q want %q", name, b, want)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(root, ClaimDir, "pc1")); len(entries) != 0 {
		t.Fatalf("claim area not cleaned: %v", entries)
	}
}

func TestClaimReleaseAndRehash(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p := filepath.Join(root, "a.pdf")
	write(t, p, []byte("v1"))
	f := fileOf(t, root, "a.pdf")
	write(t, p, []byte("version two")) // changed after hashing
	c, err := Claim(root, f, "pc1")
	if err != nil {
		t.Fatal(err)
	}
	if c.SHA256 != sum([]byte("version two")) || c.Size != int64(len("version two")) {
		t.Fatalf("claim kept stale description: %+v", c.File)
	}
	write(t, p, []byte("someone saved a new a.pdf")) // name taken meanwhile
	back, err := c.Release()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(back) != "a (2).pdf" {
		t.Fatalf("released to %s", back)
	}
	if b, _ := os.ReadFile(p); string(b) != "someone saved a new a.pdf" {
		t.Fatal("release overwrote a file")
	}
}

func TestClaimMissingFile(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	_, err := Claim(root, File{Rel: "nope.pdf"}, "pc1")
	if !errors.Is(err, ErrClaimedElsewhere) {
		t.Fatalf("got %v", err)
	}
	if _, err := Claim(root, File{Rel: "x"}, "../evil"); err == nil {
		t.Fatal("owner with separators accepted")
	}
}

func TestRecoverStaleAndOwn(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, n := range []string{"dead.pdf", "live.pdf", "mine.pdf"} {
		write(t, filepath.Join(root, "in", n), []byte(n))
	}
	claim := func(rel, owner string) {
		if _, err := Claim(root, fileOf(t, root, rel), owner); err != nil {
			t.Fatal(err)
		}
	}
	claim(filepath.Join("in", "dead.pdf"), "dead")
	claim(filepath.Join("in", "live.pdf"), "live")
	claim(filepath.Join("in", "mine.pdf"), "me")
	if err := Heartbeat(root, "dead"); err != nil {
		t.Fatal(err)
	}
	// Age the dead owner's heartbeat and claim folder.
	old := time.Now().Add(-time.Hour)
	_ = os.Chtimes(filepath.Join(root, ClaimDir, "dead", aliveName), old, old)
	entries, _ := os.ReadDir(filepath.Join(root, ClaimDir, "dead"))
	for _, e := range entries {
		_ = os.Chtimes(filepath.Join(root, ClaimDir, "dead", e.Name()), old, old)
	}
	if err := Heartbeat(root, "live"); err != nil {
		t.Fatal(err)
	}
	got, err := RecoverStale(root, "me", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != filepath.Join("in", "dead.pdf") {
		t.Fatalf("recovered %v", got)
	}
	if _, err := os.Stat(filepath.Join(root, "in", "dead.pdf")); err != nil {
		t.Fatal("dead owner's file not back in the inbox")
	}
	if _, err := os.Stat(filepath.Join(root, "in", "live.pdf")); err == nil {
		t.Fatal("live owner's claim was taken back")
	}
	// Whoever claims the returned file next learns since when the dead
	// owner may have uploaded it; once filed, nobody need look again.
	before := time.Now()
	again, err := Claim(root, fileOf(t, root, filepath.Join("in", "dead.pdf")), "other")
	if err != nil {
		t.Fatal(err)
	}
	if again.SentSince.IsZero() || again.SentSince.After(before) {
		t.Errorf("SentSince of a file taken back = %v, want the dead owner's claim time", again.SentSince)
	}
	if _, err := again.Complete(filepath.Join(root, "Filed")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "in", "dead.pdf"), []byte("dead.pdf"))
	if c, err := Claim(root, fileOf(t, root, filepath.Join("in", "dead.pdf")), "other"); err != nil || !c.SentSince.IsZero() {
		t.Errorf("a new file of a filed one's name: SentSince %v, %v; want none", c.SentSince, err)
	}
	got, err = RecoverOwn(root, "me")
	if err != nil || len(got) != 1 {
		t.Fatalf("RecoverOwn: %v %v", got, err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "in", "mine.pdf")); string(b) != "mine.pdf" {
		t.Fatal("own claim not restored")
	}
}

const helperEnv = "CHASE_WATCH_CLAIM_HELPER"

// TestHelperClaimer is not a test: it is the body of a claiming process
// started by TestTwoProcessesClaimEachFileOnce.
func TestHelperClaimer(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		return // only meaningful as a child process
	}
	root, owner := os.Getenv("CLAIM_ROOT"), os.Getenv("CLAIM_OWNER")
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	entries, err := os.ReadDir(filepath.Join(root, "in"))
	if err != nil {
		t.Fatal(err)
	}
	if owner == "b" { // opposite orders meet in the middle, equal orders collide all along
		for i, j := 0, len(entries)-1; i < j && os.Getenv("CLAIM_REVERSE") != ""; i, j = i+1, j-1 {
			entries[i], entries[j] = entries[j], entries[i]
		}
	}
	for _, e := range entries {
		rel := filepath.Join("in", e.Name())
		c, err := Claim(root, File{Rel: rel}, owner)
		if errors.Is(err, ErrClaimedElsewhere) {
			continue
		}
		if err != nil {
			t.Fatalf("claim %s: %v", rel, err)
		}
		if _, err := c.Complete(filepath.Join(root, "Filed", owner)); err != nil {
			t.Fatalf("complete %s: %v", rel, err)
		}
		fmt.Fprintf(out, "CLAIMED %s\n", e.Name())
	}
}

func TestTwoProcessesClaimEachFileOnce(t *testing.T) {
	t.Parallel()
	for _, reverse := range []bool{false, true} {
		t.Run(fmt.Sprintf("reverse=%v", reverse), func(t *testing.T) {
			root := t.TempDir()
			const n = 200
			for i := range n {
				write(t, filepath.Join(root, "in", fmt.Sprintf("doc %03d.pdf", i)), []byte{byte(i)})
			}
			type proc struct {
				cmd *exec.Cmd
				out bytes.Buffer
			}
			var ps []*proc
			for _, owner := range []string{"a", "b"} {
				p := &proc{cmd: exec.Command(os.Args[0], "-test.run=^TestHelperClaimer$", "-test.count=1")}
				p.cmd.Env = append(os.Environ(), helperEnv+"=1", "CLAIM_ROOT="+root, "CLAIM_OWNER="+owner)
				if reverse {
					p.cmd.Env = append(p.cmd.Env, "CLAIM_REVERSE=1")
				}
				p.cmd.Stdout, p.cmd.Stderr = &p.out, &p.out
				ps = append(ps, p)
			}
			for _, p := range ps {
				if err := p.cmd.Start(); err != nil {
					t.Fatal(err)
				}
			}
			claimed := map[string]string{}
			for i, p := range ps {
				if err := p.cmd.Wait(); err != nil {
					t.Fatalf("helper %d: %v\n%s", i, err, p.out.String())
				}
				for _, line := range strings.Split(p.out.String(), "\n") {
					name, ok := strings.CutPrefix(line, "CLAIMED ")
					if !ok {
						continue
					}
					if prev, dup := claimed[name]; dup {
						t.Fatalf("%s claimed by %s and by helper %d", name, prev, i)
					}
					claimed[name] = fmt.Sprint(i)
				}
			}
			if len(claimed) != n {
				t.Fatalf("claimed %d files, want %d", len(claimed), n)
			}
			left, _ := os.ReadDir(filepath.Join(root, "in"))
			fa, _ := os.ReadDir(filepath.Join(root, "Filed", "a"))
			fb, _ := os.ReadDir(filepath.Join(root, "Filed", "b"))
			if len(left) != 0 || len(fa)+len(fb) != n {
				t.Fatalf("left %d, filed %d+%d", len(left), len(fa), len(fb))
			}
			t.Logf("a filed %d, b filed %d", len(fa), len(fb))
		})
	}
}

func TestSafeName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Acme Widgets Pty Ltd": "Acme Widgets Pty Ltd",
		"A/B: Smith & Co.":     "A-B- Smith & Co",
		"Zoë Müller":           "Zoë Müller",
		"CON":                  "CON_",
		"..":                   "_",
		"":                     "_",
		".hidden":              "_.hidden",
		"tab\there?":           "tab-here-",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q want %q", in, got, want)
		}
	}
}

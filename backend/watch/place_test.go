package watch

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// These tests force each way mover.take has of taking a name, whatever the
// OS running them: Windows's no-replace rename is emulated.

var (
	errNoLinks  = &os.LinkError{Op: "link", Err: errors.ErrUnsupported} // FAT, exFAT, some SMB servers
	errSharing  = errors.New("the process cannot access the file because it is being used by another process")
	noNoReplace = func(string, string) error { return errors.ErrUnsupported }
)

// windowsRename emulates MoveFileW: fails if newname exists. (Check then
// rename is only atomic here because each test is alone in its folder.)
func windowsRename(oldname, newname string) error {
	if _, err := os.Lstat(newname); err == nil {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: fs.ErrExist}
	}
	return os.Rename(oldname, newname)
}

func moverWith(change func(m *mover)) mover {
	m := mover{renameNoReplace: noNoReplace, link: os.Link, rename: os.Rename, remove: os.Remove}
	change(&m)
	return m
}

func movers(t *testing.T) map[string]mover {
	mustNotLink := func(string, string) error { t.Error("linked where a no-replace rename exists"); return errNoLinks }
	return map[string]mover{
		"this OS":            osMover,
		"no-replace rename":  moverWith(func(m *mover) { m.renameNoReplace, m.link = windowsRename, mustNotLink }),
		"hard link":          moverWith(func(*mover) {}),
		"placeholder rename": moverWith(func(m *mover) { m.link = func(string, string) error { return errNoLinks } }),
	}
}

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every way of taking a name skips the names taken, and fails cleanly for a
// claimed file that vanished.
func TestPlaceNeverReplaces(t *testing.T) {
	t.Parallel()
	for name, m := range movers(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			dest := filepath.Join(root, "Filed")
			write(t, filepath.Join(dest, "inv.pdf"), []byte("old"))
			write(t, filepath.Join(dest, "inv (2).pdf"), []byte("old2"))
			for _, content := range []string{"new", "newer"} {
				src := filepath.Join(root, "claim", "inv.pdf")
				write(t, src, []byte(content))
				if _, err := m.place(src, dest, "inv.pdf"); err != nil {
					t.Fatal(err)
				}
			}
			want := map[string]string{"Filed/inv.pdf": "old", "Filed/inv (2).pdf": "old2", "Filed/inv (3).pdf": "new", "Filed/inv (4).pdf": "newer"}
			if got := readAll(t, root); !maps.Equal(got, want) {
				t.Fatalf("got %v want %v", got, want)
			}
			_, err := m.place(filepath.Join(root, "claim", "gone.pdf"), dest, "gone.pdf")
			if !errors.Is(err, fs.ErrNotExist) || exists(filepath.Join(dest, "gone.pdf")) {
				t.Fatalf("placing a vanished file: %v", err)
			}
		})
	}
}

// A file that appears under the name while it is being taken (another
// machine filing the same name) is never replaced: check-then-rename would
// replace it, a reserved placeholder makes the other one pick another name.
func TestPlaceholderKeepsAFileThatAppears(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dest := filepath.Join(root, "Filed")
	src := filepath.Join(root, "claim", "inv.pdf")
	write(t, src, []byte("ours"))
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	var theirs []string
	m := moverWith(func(m *mover) {
		m.link = func(string, string) error { return errNoLinks }
		m.rename = func(oldname, newname string) error {
			// The other machine, just before our rename, files its own
			// inv.pdf the careful way: create-exclusive.
			if f, err := os.OpenFile(newname, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
				f.WriteString("theirs")
				f.Close()
				theirs = append(theirs, newname)
			}
			return os.Rename(oldname, newname)
		}
	})
	final, err := m.place(src, dest, "inv.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range theirs {
		if b, _ := os.ReadFile(p); string(b) != "theirs" {
			t.Fatalf("the other machine's %s was replaced", filepath.Base(p))
		}
	}
	if b, _ := os.ReadFile(final); string(b) != "ours" || exists(src) {
		t.Fatalf("ours not moved to %s", final)
	}
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// Windows: a claimed file another program holds open cannot be renamed. The
// no-replace rename fails with nothing changed, and no hard link is tried
// (whose source could not be removed either).
func TestPlaceBusyFileStaysClaimed(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	src := filepath.Join(root, "claim", "inv.pdf")
	write(t, src, []byte("doc"))
	linked := false
	m := moverWith(func(m *mover) {
		m.renameNoReplace = func(string, string) error { return errSharing }
		m.link = func(o, n string) error { linked = true; return os.Link(o, n) }
	})
	if _, err := m.place(src, root, "inv.pdf"); !errors.Is(err, errSharing) {
		t.Fatalf("place: %v, want the sharing violation", err)
	}
	if got := readAll(t, root); linked || len(got) != 1 || got["claim/inv.pdf"] != "doc" {
		t.Fatalf("linked %v, files %v", linked, got)
	}
}

// Linked, but the claimed name cannot be removed (the file is open
// elsewhere on Windows): the new name is removed again and the file stays
// claimed under its one name.
func TestPlaceUndoesTheLinkWhenTheClaimedNameStays(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := claimNew(t, root, "a.pdf", "doc")
	c.mv = moverWith(func(m *mover) {
		m.remove = func(p string) error {
			if p == c.Path {
				return &fs.PathError{Op: "remove", Path: p, Err: errSharing}
			}
			return os.Remove(p)
		}
	})
	final, err := c.Complete(filepath.Join(root, "Filed", "Acme"))
	if !errors.Is(err, errSharing) || final != "" {
		t.Fatalf("Complete = %q, %v; want the sharing violation", final, err)
	}
	want := map[string]string{filepath.ToSlash(must(filepath.Rel(root, c.Path))): "doc"}
	if got := readAll(t, root); !maps.Equal(got, want) {
		t.Fatalf("files %v, want only the claimed one %v", got, want)
	}
	// Later, with the file closed, it is filed normally.
	c.mv = osMover
	if final, err = c.Complete(filepath.Join(root, "Filed", "Acme")); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, root); len(got) != 1 || got["Filed/Acme/a.pdf"] != "doc" {
		t.Fatalf("files %v", got)
	}
}

// claimNew writes <root>/in/<name> and claims it as pc1.
func claimNew(t *testing.T, root, name, content string) *Claimed {
	t.Helper()
	write(t, filepath.Join(root, "in", name), []byte(content))
	c, err := Claim(root, fileOf(t, root, filepath.Join("in", name)), "pc1")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Linked, and neither name can be removed (the file is open elsewhere and
// Windows refuses to delete any of its names): it counts as filed, and the
// name left in the claim area is marked, so that recovery removes it rather
// than returning the file to the inbox to be claimed and uploaded again.
func TestPlaceMarksTheClaimedNameWhenNeitherNameGoes(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := claimNew(t, root, "a.pdf", "doc")
	c.mv = moverWith(func(m *mover) {
		m.remove = func(p string) error { return &fs.PathError{Op: "remove", Path: p, Err: errSharing} }
	})
	final, err := c.Complete(filepath.Join(root, "Filed", "Acme"))
	if err != nil || final != filepath.Join(root, "Filed", "Acme", "a.pdf") {
		t.Fatalf("Complete = %q, %v", final, err)
	}
	if !exists(placedMarker(c.Path)) {
		t.Fatal("the claimed name is not marked")
	}
	got, err := RecoverOwn(root, "pc1")
	if err != nil || len(got) != 0 {
		t.Fatalf("RecoverOwn returned %v, %v; want nothing", got, err)
	}
	if files := readAll(t, root); len(files) != 1 || files["Filed/Acme/a.pdf"] != "doc" {
		t.Fatalf("after recovery: %v, want the filed file only", files)
	}
}

// A marked claimed name whose placed name is no longer the same file (a
// person moved the filed copy away) is kept, but still not returned.
func TestRecoverKeepsAMarkedNameWhosePlacedNameWent(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	p := filepath.Join(root, ClaimDir, "pc1", "1-abc", "a.pdf")
	write(t, p, []byte("doc"))
	write(t, placedMarker(p), []byte("../../../../Filed/Acme/a.pdf"))
	if got, err := RecoverOwn(root, "pc1"); err != nil || len(got) != 0 {
		t.Fatalf("RecoverOwn returned %v, %v", got, err)
	}
	if !exists(p) || exists(filepath.Join(root, "a.pdf")) {
		t.Fatal("the marked name was removed or returned")
	}
}

// Claims still queued after a restart are spared by RecoverOwnExcept and
// filed later through Reopen.
func TestRecoverOwnExceptAndReopen(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	cs := []*Claimed{claimNew(t, root, "queued.pdf", "queued.pdf"), claimNew(t, root, "stale.pdf", "stale.pdf")}
	got, err := RecoverOwnExcept(root, "pc1", []string{cs[0].Path, filepath.Join(t.TempDir(), "elsewhere.pdf")})
	if err != nil || !slices.Equal(got, []string{filepath.Join("in", "stale.pdf")}) {
		t.Fatalf("recovered %v, %v", got, err)
	}
	c, err := Reopen(root, "pc1", cs[0].Path, cs[0].Rel)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(filepath.Join(root, "Filed", "Acme")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"in/stale.pdf": "stale.pdf", "Filed/Acme/queued.pdf": "queued.pdf"}
	files := readAll(t, root)
	notes := 0
	for k := range files {
		if strings.HasPrefix(k, ClaimDir+"/"+takenBackDir+"/") {
			delete(files, k) // the returned file's note, for whoever claims it next
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("%d notes of files taken back, want 1", notes)
	}
	if !maps.Equal(files, want) {
		t.Fatalf("files %v want %v", files, want)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, ClaimDir, "pc1")); len(entries) != 0 {
		t.Fatalf("claim area not cleaned: %v", entries)
	}
	if _, err := Reopen(root, "pc1", filepath.Join(root, "in", "stale.pdf"), "stale.pdf"); err == nil {
		t.Fatal("Reopen accepted a path outside the claims")
	}
}

package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrLeftover means a file was placed (Complete and Release return where it
// is now) but its old name in the claim area could not be removed nor
// marked, so a later RecoverOwn may return a second copy of it to the inbox.
// It takes three failures in a row (see mover.unlinkSource).
var ErrLeftover = errors.New("watch: placed, but its claimed copy could not be removed")

// placedPrefix names the marker beside a claimed file whose content was
// placed elsewhere under a hard link when its own name could not be removed.
// The marker holds the new name relative to the marker's folder; recovery
// removes the old name (or leaves it) instead of returning it to the inbox.
// Claimed files never start with "." (Ignored), so the names cannot clash.
const placedPrefix = ".placed-"

// mover moves files to names that nobody else holds, never replacing a
// file. Its operations are fields so that tests force each path on any OS.
type mover struct {
	// renameNoReplace renames unless the new name exists (fs.ErrExist), in
	// one atomic step; errors.ErrUnsupported where the OS has no such call.
	renameNoReplace func(oldname, newname string) error
	link            func(oldname, newname string) error
	// rename replaces an existing newname, as os.Rename does on every OS
	// (rename(2); MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows).
	rename func(oldname, newname string) error
	remove func(name string) error
}

var osMover = mover{renameNoReplace: renameNoReplace, link: os.Link, rename: os.Rename, remove: os.Remove}

// place moves src into dir as name, or "stem (n).ext" if name is taken,
// and returns the new path. It never replaces a file: each name is taken by
// an operation that fails if the name exists (see take).
func (m mover) place(src, dir, name string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 1; n < 10000; n++ {
		cand := filepath.Join(dir, name)
		if n > 1 {
			cand = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", stem, n, ext))
		}
		err := m.take(src, cand)
		switch {
		case err == nil, errors.Is(err, ErrLeftover):
			return cand, err
		case errors.Is(err, fs.ErrExist):
			continue
		}
		if _, serr := os.Lstat(src); errors.Is(serr, fs.ErrNotExist) {
			return "", fmt.Errorf("claimed file vanished: %w", serr)
		}
		return "", err
	}
	return "", fmt.Errorf("no free name for %s in %s", name, dir)
}

// take moves src to dst, or fails with fs.ErrExist if dst exists, by the
// first of these the file system offers:
//
//  1. A rename that refuses to replace (Windows, every volume and share):
//     atomic, the file has one name at every instant, and a file that
//     another program holds open fails with nothing changed.
//  2. A hard link, an atomic create-if-absent, then removing src (Linux
//     and macOS, which have no portable no-replace rename; see unlinkSource
//     for when the removal fails).
//  3. Where there are no hard links either (FAT, exFAT, some SMB servers
//     and NAS): renameOntoPlaceholder.
//
// Any other failure leaves src where it was.
func (m mover) take(src, dst string) error {
	if err := m.renameNoReplace(src, dst); !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	err := m.link(src, dst)
	switch {
	case err == nil:
		return m.unlinkSource(src, dst)
	case errors.Is(err, fs.ErrExist), errors.Is(err, fs.ErrNotExist):
		return err
	}
	return m.renameOntoPlaceholder(src, dst)
}

// unlinkSource drops src after it was linked as dst. If src cannot be
// removed (open elsewhere without delete sharing on Windows, a share
// hiccup), dst is removed instead, so the file keeps its single name in the
// claim area and the caller sees an error, as if nothing happened. If that
// fails too, the file stays placed at dst and src is marked as placed, so
// that recovery discards that name rather than returning the file to the
// inbox, where it would be claimed and uploaded a second time.
func (m mover) unlinkSource(src, dst string) error {
	rerr := m.remove(src)
	if rerr == nil {
		return nil
	}
	if sameFile(src, dst) && m.remove(dst) == nil {
		return fmt.Errorf("remove claimed name %s: %w", src, rerr)
	}
	rel, err := filepath.Rel(filepath.Dir(src), dst)
	if err == nil {
		err = os.WriteFile(placedMarker(src), []byte(filepath.ToSlash(rel)), 0o644)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v; marking it: %v", ErrLeftover, src, rerr, err)
	}
	return nil
}

// renameOntoPlaceholder takes dst where there are no hard links. The name
// is reserved by creating an empty file exclusively (O_EXCL, atomic on every
// file system and over SMB), then src is renamed onto it. That rename
// replaces, so it is made only onto the placeholder just created and checked
// to be still that empty file: a file another program put there meanwhile
// is left alone and the next name tried. A crash between the two steps
// leaves an empty file under the name, never a lost one.
func (m mover) renameOntoPlaceholder(src, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	mine, err := f.Stat()
	f.Close() // Windows cannot rename onto an open file
	if err != nil {
		_ = m.remove(dst)
		return err
	}
	if !isPlaceholder(dst, mine) {
		return fmt.Errorf("%s was taken while reserved: %w", dst, fs.ErrExist)
	}
	if err := m.rename(src, dst); err != nil {
		if isPlaceholder(dst, mine) {
			_ = m.remove(dst)
		}
		return err
	}
	return nil
}

func isPlaceholder(p string, mine fs.FileInfo) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.Size() == 0 && os.SameFile(fi, mine)
}

func sameFile(a, b string) bool {
	fa, err := os.Lstat(a)
	if err != nil {
		return false
	}
	fb, err := os.Lstat(b)
	return err == nil && os.SameFile(fa, fb)
}

func placedMarker(p string) string {
	return filepath.Join(filepath.Dir(p), placedPrefix+filepath.Base(p))
}

// placedElsewhere reports whether the claimed file p is a second name of a
// file already placed (see unlinkSource). It then removes p if the placed
// name is still the same file, and otherwise leaves p alone: either way p
// is never returned to the inbox.
func placedElsewhere(p string) bool {
	marker := placedMarker(p)
	b, err := os.ReadFile(marker)
	if err != nil {
		return false
	}
	if sameFile(p, filepath.Join(filepath.Dir(p), filepath.FromSlash(string(b)))) && os.Remove(p) == nil {
		_ = os.Remove(marker)
	}
	return true
}

package watch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ClaimDir is the folder, inside a watched root, where claimed files wait
// while they are uploaded. The watcher skips it.
//
// Why a rename: several chase.md instances may watch one folder on a shared
// drive, and exactly one may upload each file. A rename within one volume is
// a single atomic operation on NTFS, ext4, APFS and on SMB shares (one
// SET_INFO rename request, decided by the file server), so when two machines
// rename the same file, one succeeds and the other gets "not found". Lock
// files would need stale-lock handling (whose lock outlived a crash?) that
// SMB caches and oplocks make unreliable, and byte-range locks do not
// survive a client crash in a way the other machine can observe. A claimed
// file also visibly leaves the inbox, which is what staff expect. Leaving the
// claim area never replaces a file either (see mover.take).
//
// Layout: <root>/.chase-claims/<owner>/<token>/<rel path>, plus
// <root>/.chase-claims/<owner>/.alive, touched by the owner as a heartbeat.
const ClaimDir = ".chase-claims"

const aliveName = ".alive"

var (
	// ErrClaimedElsewhere means the file was gone when we tried to claim it:
	// another instance claimed it (or a person moved or deleted it).
	ErrClaimedElsewhere = errors.New("watch: file claimed elsewhere or gone")
	// ErrNotReady means the file exists but could not be moved, typically
	// because another program still has it open (Windows refuses to rename
	// such a file). Treat it as "not stable yet" and retry later.
	ErrNotReady = errors.New("watch: file busy, retry later")
)

// Claimed is a file this instance owns until Complete or Release.
type Claimed struct {
	File // Path is the claimed location; Rel the original relative path
	// SentSince is set when the file came back from a claim that was taken
	// back (its owner went quiet, or restarted): the owner may have uploaded
	// it since then, so look in Xero before uploading it again.
	SentSince time.Time
	root, dir string
	mv        mover
}

// Claim atomically moves f out of the inbox into this owner's claim area.
// Exactly one of several concurrent claimers of the same file succeeds; the
// others get ErrClaimedElsewhere. If the file changed since f was hashed, the
// returned File carries the new size, time and hash.
func Claim(root string, f File, owner string) (*Claimed, error) {
	if err := validOwner(owner); err != nil {
		return nil, err
	}
	root = filepath.Clean(root)
	rel := f.Rel
	if rel == "" {
		r, err := filepath.Rel(root, f.Path)
		if err != nil {
			return nil, fmt.Errorf("watch: claim %s: %w", f.Path, err)
		}
		rel = r
	}
	src := filepath.Join(root, rel)
	token := fmt.Sprintf("%d-%08x", time.Now().UnixNano(), rand.Uint32())
	dir := filepath.Join(root, ClaimDir, owner, token)
	dst := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return nil, fmt.Errorf("watch: claim %s: make claim folder: %w", rel, err)
	}
	if err := os.Rename(src, dst); err != nil {
		_ = removeEmpty(dir)
		if _, serr := os.Lstat(src); errors.Is(serr, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrClaimedElsewhere, rel)
		}
		return nil, fmt.Errorf("%w: claim %s: %v", ErrNotReady, rel, err)
	}
	c := &Claimed{File: f, root: root, dir: dir, mv: osMover}
	c.Path, c.Rel = dst, rel
	fi, err := os.Lstat(dst)
	if err != nil {
		return c, fmt.Errorf("watch: claim %s: stat claimed file: %w", rel, err)
	}
	if st := statOf(fi); st.size != f.Size || st.mod != f.ModTime.UnixNano() || f.SHA256 == "" {
		// Rewritten between hashing and claiming: describe what we own now.
		nf, _, err := hashFile(dst)
		if err != nil {
			return c, fmt.Errorf("watch: claim %s: rehash: %w", rel, err)
		}
		c.Size, c.ModTime, c.SHA256 = nf.Size, nf.ModTime, nf.SHA256
	}
	c.SentSince = takenBackSince(root, rel, c.Size)
	return c, nil
}

// Reopen returns the Claimed for a file that owner claimed earlier, for
// instance before a restart: path is where it waits in the claim area, rel
// where it came from (relative to root).
func Reopen(root, owner, path, rel string) (*Claimed, error) {
	root = filepath.Clean(root)
	token, err := claimToken(root, owner, path)
	if err != nil {
		return nil, err
	}
	c := &Claimed{root: root, dir: filepath.Join(root, ClaimDir, owner, token), mv: osMover}
	c.Path, c.Rel = path, rel
	return c, nil
}

// claimToken is the token folder that a path in owner's claim area is in.
func claimToken(root, owner, p string) (string, error) {
	if err := validOwner(owner); err != nil {
		return "", err
	}
	rel, err := filepath.Rel(filepath.Join(root, ClaimDir, owner), p)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("watch: %s is not in the claims of %s", p, owner)
	}
	return strings.SplitN(filepath.ToSlash(rel), "/", 2)[0], nil
}

// Complete moves the claimed file into destDir (created if needed, e.g.
// <root>/Filed/<client>) under its own name, or "name (2).ext" and so on if
// that is taken: nothing is ever overwritten. It returns the final path.
// On an error the file is still claimed, except that with ErrLeftover it is
// at the returned path.
func (c *Claimed) Complete(destDir string) (string, error) {
	if err := os.MkdirAll(destDir, 0o755); err != nil {
		return "", fmt.Errorf("watch: file %s: make %s: %w", c.Rel, destDir, err)
	}
	final, err := c.move(destDir, filepath.Base(c.Path), fmt.Sprintf("file %s into %s", c.Rel, destDir))
	if final != "" {
		_ = os.Remove(takenBackPath(c.root, c.Rel)) // filed: nobody need look for it again
	}
	return final, err
}

// Release puts the claimed file back where it came from (for Review, or
// after a failure), next to it if a new file took its name meanwhile. Its
// result is as for Complete.
func (c *Claimed) Release() (string, error) {
	dest := filepath.Dir(filepath.Join(c.root, c.Rel))
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return "", fmt.Errorf("watch: release %s: %w", c.Rel, err)
	}
	return c.move(dest, filepath.Base(c.Rel), "release "+c.Rel)
}

func (c *Claimed) move(dir, name, what string) (string, error) {
	final, err := c.mv.place(c.Path, dir, name)
	if err != nil {
		err = fmt.Errorf("watch: %s: %w", what, err)
	}
	if final != "" {
		_ = removeEmpty(c.dir)
	}
	return final, err
}

// removeEmpty deletes dir and the empty folders below it; it stops at the
// first non-empty one, so a file is never removed.
func removeEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			_ = removeEmpty(filepath.Join(dir, e.Name()))
		}
	}
	return os.Remove(dir) // fails, harmlessly, if anything is left
}

func validOwner(owner string) error {
	if owner == "" || owner == "." || owner == ".." || strings.ContainsAny(owner, `/\:*?"<>|`) {
		return fmt.Errorf("watch: invalid claim owner %q", owner)
	}
	return nil
}

// Heartbeat marks owner as alive for RecoverStale on other machines.
func Heartbeat(root, owner string) error {
	if err := validOwner(owner); err != nil {
		return err
	}
	dir := filepath.Join(root, ClaimDir, owner)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("watch: heartbeat: %w", err)
	}
	p := filepath.Join(dir, aliveName)
	// Writing (not just Chtimes) lets the file server stamp the time, so
	// machines with skewed clocks compare server times with server times.
	if err := os.WriteFile(p, []byte(time.Now().UTC().Format(time.RFC3339Nano)), 0o644); err != nil {
		return fmt.Errorf("watch: heartbeat: %w", err)
	}
	return nil
}

// ServeHeartbeat touches owner's heartbeat every interval until ctx ends.
// A failed touch (a share with errors) is reported to onErr, if set, and
// tried again at the next interval: stopping would let other machines take
// this one's claims back.
func ServeHeartbeat(ctx context.Context, root, owner string, every time.Duration, onErr func(error)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := Heartbeat(root, owner); err != nil && onErr != nil {
			onErr(err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// RecoverOwn returns to the inbox every file owner had claimed: call it at
// start-up, before claiming, to undo claims left by a crash.
func RecoverOwn(root, owner string) ([]string, error) {
	return RecoverOwnExcept(root, owner, nil)
}

// RecoverOwnExcept is RecoverOwn sparing the claimed files at the paths in
// keep, such as those whose upload is still queued after a restart.
func RecoverOwnExcept(root, owner string, keep []string) ([]string, error) {
	if err := validOwner(owner); err != nil {
		return nil, err
	}
	spare := map[string]bool{}
	for _, p := range keep {
		if t, err := claimToken(filepath.Clean(root), owner, p); err == nil {
			spare[t] = true
		}
	}
	return recoverOwner(root, owner, owner, func(t fs.DirEntry) bool { return !spare[t.Name()] })
}

// RecoverStale returns to the inbox the claims of other owners whose
// heartbeat is older than staleAfter (or missing, with claims that old).
// Ages are measured against self's freshly written heartbeat, i.e. on the
// file server's clock. Each stale claim is first moved into self's area with
// one rename, so two machines recovering at once cannot both restore it.
func RecoverStale(root, self string, staleAfter time.Duration) ([]string, error) {
	if err := Heartbeat(root, self); err != nil {
		return nil, err
	}
	fi, err := os.Lstat(filepath.Join(root, ClaimDir, self, aliveName))
	if err != nil {
		return nil, fmt.Errorf("watch: recover: %w", err)
	}
	now := fi.ModTime()
	owners, err := os.ReadDir(filepath.Join(root, ClaimDir))
	if err != nil {
		return nil, fmt.Errorf("watch: recover: %w", err)
	}
	var out []string
	for _, o := range owners {
		if !o.IsDir() || o.Name() == self || strings.HasPrefix(o.Name(), ".") {
			continue
		}
		if ai, err := os.Lstat(filepath.Join(root, ClaimDir, o.Name(), aliveName)); err == nil && now.Sub(ai.ModTime()) < staleAfter {
			continue // alive
		}
		got, err := recoverOwner(root, o.Name(), self, func(t fs.DirEntry) bool {
			ti, err := t.Info()
			return err == nil && now.Sub(ti.ModTime()) >= staleAfter
		})
		out = append(out, got...)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// recoverOwner returns to the inbox the files in owner's token folders that
// take accepts, moving each folder into self's area first if it is not
// self's.
func recoverOwner(root, owner, self string, take func(token fs.DirEntry) bool) ([]string, error) {
	base := filepath.Join(root, ClaimDir, owner)
	tokens, err := os.ReadDir(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("watch: recover %s: %w", owner, err)
	}
	var out []string
	for _, t := range tokens {
		if !t.IsDir() || !take(t) {
			continue
		}
		dir := filepath.Join(base, t.Name())
		if owner != self {
			mine := filepath.Join(root, ClaimDir, self, "recovered-"+t.Name())
			if err := os.Rename(dir, mine); err != nil {
				continue // someone else recovered it first
			}
			dir = mine
		}
		err = filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
			if err != nil || !de.Type().IsRegular() || strings.HasPrefix(de.Name(), placedPrefix) || placedElsewhere(p) {
				return nil
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return nil
			}
			dest := filepath.Dir(filepath.Join(root, rel))
			if err := os.MkdirAll(dest, 0o755); err != nil {
				return fmt.Errorf("watch: recover %s: %w", rel, err)
			}
			// Written before the file is back, so whoever claims it next knows.
			since := claimTime(t)
			if err := markTakenBack(root, rel, since, de); err != nil {
				return fmt.Errorf("watch: recover %s: %w", rel, err)
			}
			final, err := osMover.place(p, dest, filepath.Base(rel))
			if final != "" {
				out = append(out, rel) // back, even with ErrLeftover
				if frel, rerr := filepath.Rel(root, final); rerr == nil && frel != rel {
					_ = markTakenBack(root, frel, since, de)
				}
			}
			if err != nil {
				return fmt.Errorf("watch: recover %s: %w", rel, err)
			}
			return nil
		})
		_ = removeEmpty(dir)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// SafeName turns a client name into a folder name valid on Windows, macOS
// and Linux (for <root>/Filed/<client>): reserved characters become "-",
// trailing dots and spaces go, and device names such as "CON" get a suffix.
func SafeName(name string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		switch {
		case r < 32 || strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	s := strings.TrimRight(b.String(), ". ")
	if len(s) > 120 {
		s = strings.TrimRight(strings.ToValidUTF8(s[:120], ""), ". ")
	}
	switch base := strings.ToUpper(strings.SplitN(s, ".", 2)[0]); base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		s += "_"
	}
	if s == "" || strings.HasPrefix(s, ".") {
		s = "_" + s
	}
	return s
}

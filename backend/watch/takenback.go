package watch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// A claim taken back (from a machine gone quiet, or by its own owner after a
// restart) returns its file to the folder, where any machine may claim it
// next. The owner may have uploaded it before it stopped, so a note beside
// the claims, written before the file is returned, says since when: the next
// claimer's queue looks in Xero for the file before sending it (see
// Claimed.SentSince). The note goes when the file is filed.
const takenBackDir = ".taken-back"

type takenBack struct {
	Rel   string    `json:"rel"`
	Size  int64     `json:"size"`
	Since time.Time `json:"since"`
}

// takenBackPath is the note for the file at rel; hashed, as rel may be long
// or hold characters a flat name cannot.
func takenBackPath(root, rel string) string {
	sum := sha256.Sum256([]byte(filepath.ToSlash(rel)))
	return filepath.Join(root, ClaimDir, takenBackDir, hex.EncodeToString(sum[:16])+".json")
}

func markTakenBack(root, rel string, since time.Time, de fs.DirEntry) error {
	fi, err := de.Info()
	if err != nil {
		return err
	}
	b, _ := json.Marshal(takenBack{Rel: filepath.ToSlash(rel), Size: fi.Size(), Since: since.UTC()})
	p := takenBackPath(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// takenBackSince is when the file now at rel (of size) may first have been
// sent by a claim taken back; zero if it never was.
func takenBackSince(root, rel string, size int64) time.Time {
	b, err := os.ReadFile(takenBackPath(root, rel))
	if err != nil {
		return time.Time{}
	}
	var tb takenBack
	if json.Unmarshal(b, &tb) != nil || tb.Rel != filepath.ToSlash(rel) || tb.Size != size {
		return time.Time{} // another file now has the name
	}
	return tb.Since
}

// claimTime is when the claim in token folder t was made: its name starts
// with the claimer's clock in Unix nanoseconds (see Claim), after any
// "recovered-" prefixes; the folder's time where the name does not say.
func claimTime(t fs.DirEntry) time.Time {
	name := t.Name()
	for strings.HasPrefix(name, "recovered-") {
		name = strings.TrimPrefix(name, "recovered-")
	}
	ns, _, _ := strings.Cut(name, "-")
	if n, err := strconv.ParseInt(ns, 10, 64); err == nil && n > 0 {
		return time.Unix(0, n)
	}
	if fi, err := t.Info(); err == nil {
		return fi.ModTime()
	}
	return time.Unix(0, 0)
}

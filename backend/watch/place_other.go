//go:build !windows

package watch

import "errors"

// renameNoReplace has no portable form here: Linux's renameat2 with
// RENAME_NOREPLACE is missing on some file systems (NFS, CIFS) and from the
// standard library, macOS's renamex_np likewise, so take falls back to a hard
// link, whose removal open files do not block on these systems.
func renameNoReplace(oldname, newname string) error { return errors.ErrUnsupported }

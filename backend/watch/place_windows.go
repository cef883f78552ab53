//go:build windows

package watch

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// renameNoReplace is MoveFileW, which fails with ERROR_ALREADY_EXISTS when
// newname exists (os.Rename passes MOVEFILE_REPLACE_EXISTING and replaces).
// Within a volume it is one rename, on NTFS, FAT and SMB shares alike (the
// file server decides, as for Claim); a file another program holds open
// without delete sharing fails with a sharing violation and stays put.
func renameNoReplace(oldname, newname string) error {
	from, err := syscall.UTF16PtrFromString(longPath(oldname))
	if err == nil {
		var to *uint16
		if to, err = syscall.UTF16PtrFromString(longPath(newname)); err == nil {
			err = syscall.MoveFile(from, to)
		}
	}
	if err != nil {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: err}
	}
	return nil
}

// longPath gives a long absolute path the \\?\ prefix without which
// MoveFileW stops at MAX_PATH unless long paths are enabled machine-wide
// (os adds it for its own calls). 248 is MAX_PATH less room for an 8.3 name.
func longPath(p string) string {
	if len(p) < 248 || strings.HasPrefix(p, `\\?\`) || !filepath.IsAbs(p) {
		return p
	}
	p = filepath.Clean(p)
	if strings.HasPrefix(p, `\\`) {
		return `\\?\UNC\` + p[2:]
	}
	return `\\?\` + p
}

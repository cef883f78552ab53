package upload

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MaxFileSize is the largest file Xero Files accepts. Xero says "10 MB" without
// saying which megabyte; we take the binary one (10 × 1024 × 1024 = 10,485,760
// bytes), the reading used by Xero's own web uploader messages and most
// integrators. Should Xero refuse a file between 10,000,000 and 10,485,760
// bytes, its 400 surfaces as a permanent failure with Xero's own words.
const MaxFileSize = 10 * 1024 * 1024

// blockedExtensions are executable and script types, refused with a message
// that says why. These lists are the only ones in chase.md; the UI and the
// watcher call Check or CheckName rather than keep their own.
var blockedExtensions = []string{
	"ade", "adp", "app", "application", "bas", "bat", "chm", "cmd", "com", "cpl", "crt", "dll", "exe",
	"hta", "inf", "ins", "isp", "jar", "js", "jse", "lnk", "mde", "msc", "msi", "msp", "mst", "pif",
	"ps1", "ps1xml", "ps2", "psc1", "reg", "scf", "scr", "sct", "shb", "shs", "sys", "url", "vb",
	"vbe", "vbs", "ws", "wsc", "wsf", "wsh",
}

// acceptedExtensions are the document types Xero Files takes (Xero's list of
// supported file types, as integrators publish it); anything else gets Xero's
// "Extension: X is not a valid File extension.", so we say it first.
var acceptedExtensions = []string{
	"7z", "bmp", "csv", "doc", "docx", "eml", "gif", "heic", "jpeg", "jpg", "key", "keynote", "msg",
	"numbers", "odf", "ods", "odt", "ofx", "pages", "pdf", "png", "ppt", "pptx", "qif", "rar", "rtf",
	"tif", "tiff", "txt", "webp", "xls", "xlsm", "xlsx", "xml", "zip",
}

// AcceptedExtensions returns the extensions Xero takes (lower case, no dot), for display.
func AcceptedExtensions() []string { return slices.Clone(acceptedExtensions) }

// BlockedExtensions returns the refused extensions (lower case, no dot), for display.
func BlockedExtensions() []string { return slices.Clone(blockedExtensions) }

// Refusal says why a file cannot be uploaded.
type Refusal string

const (
	RefusedUnreadable  Refusal = "unreadable"
	RefusedNotAFile    Refusal = "not_a_file"
	RefusedEmpty       Refusal = "empty"
	RefusedTooLarge    Refusal = "too_large"
	RefusedExtension   Refusal = "extension"
	RefusedNoExtension Refusal = "no_extension"
)

// CheckError is a file refused before any call to Xero. Message is written
// for an accountant, not a developer.
type CheckError struct {
	Path    string
	Reason  Refusal
	Message string
	Err     error // the underlying I/O error, if any
}

var _ error = (*CheckError)(nil)

func (e *CheckError) Error() string { return e.Message }
func (e *CheckError) Unwrap() error { return e.Err }

// FileInfo is what Check learned about an acceptable file.
type FileInfo struct {
	Path string
	Name string // the base name exactly as on disk (spaces and accents kept)
	Size int64
	Info fs.FileInfo
}

// Check runs every check that needs no call to Xero: the file exists, is a
// regular file we can open and read, is not empty, is at most MaxFileSize, and
// has an extension Xero accepts. It only reads: the file is never moved or changed.
func Check(path string) (FileInfo, error) {
	name := filepath.Base(path)
	refuse := func(r Refusal, err error, format string, args ...any) (FileInfo, error) {
		return FileInfo{}, &CheckError{Path: path, Reason: r, Err: err, Message: fmt.Sprintf(format, args...)}
	}
	if err := CheckName(name); err != nil {
		var ce *CheckError
		errors.As(err, &ce)
		ce.Path = path
		return FileInfo{}, ce
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return refuse(RefusedUnreadable, err, "%q is no longer there. It may have been moved or renamed; find it and drop it again.", name)
	case err != nil:
		return refuse(RefusedUnreadable, err, "chase.md can't read %q (%s). Check that you have permission to open it, then drop it again.", name, plainIOError(err))
	case st.IsDir():
		return refuse(RefusedNotAFile, nil, "%q is a folder. Drop the files inside it instead.", name)
	case !st.Mode().IsRegular():
		return refuse(RefusedNotAFile, nil, "%q is not an ordinary file, so it can't be uploaded.", name)
	case st.Size() == 0:
		return refuse(RefusedEmpty, nil, "%q is empty (0 bytes), so there is nothing to upload. Save the document again, then drop it again.", name)
	case st.Size() > MaxFileSize:
		return refuse(RefusedTooLarge, nil, "This file is %s; Xero accepts files up to 10 MB. Split or compress it, then drop it again.", HumanSize(st.Size()))
	}
	f, err := os.Open(path)
	if err == nil {
		var one [1]byte
		_, err = f.Read(one[:])
		if errors.Is(err, io.EOF) {
			err = nil
		}
		f.Close()
	}
	if err != nil {
		return refuse(RefusedUnreadable, err, "chase.md can't read %q (%s). Check that you have permission to open it and that no other program has it locked, then drop it again.", name, plainIOError(err))
	}
	return FileInfo{Path: path, Name: name, Size: st.Size(), Info: st}, nil
}

// CheckName checks a file name alone (its extension), for callers that have
// no file yet, such as the watcher filtering events.
func CheckName(name string) error {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	switch {
	case ext == "":
		return &CheckError{Path: name, Reason: RefusedNoExtension, Message: fmt.Sprintf(
			"%q has no file type at the end of its name (such as .pdf), and Xero needs one. Rename it with the right ending, then drop it again.", name)}
	case slices.Contains(blockedExtensions, ext):
		return &CheckError{Path: name, Reason: RefusedExtension, Message: fmt.Sprintf(
			"Xero doesn't accept .%s files, because they are programs or scripts. If this is a document, save it as a PDF, then drop it again.", ext)}
	case !slices.Contains(acceptedExtensions, ext):
		return &CheckError{Path: name, Reason: RefusedExtension, Message: fmt.Sprintf(
			"Xero doesn't accept .%s files. Save it as a PDF (or another common document or image type), then drop it again.", ext)}
	}
	return nil
}

// HumanSize formats a byte count as people read it: "12.4 MB", "850 KB", "12 bytes".
// MB here is 1024×1024 bytes, consistent with MaxFileSize.
func HumanSize(n int64) string {
	const kb, mb = 1024, 1024 * 1024
	switch {
	case n >= mb:
		return fmt.Sprintf("%.1f MB", float64(n)/mb)
	case n >= kb:
		return fmt.Sprintf("%d KB", (n+kb/2)/kb)
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// PlainIOError says in words why a file could not be opened or read, for
// messages other packages write ("permission denied").
func PlainIOError(err error) string { return plainIOError(err) }

func plainIOError(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrNotExist):
		return "it isn't there"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

package watch

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tailSize is how much of a file's end Whole reads for the formats whose
// end marker it looks for.
const tailSize = 1024

var (
	pngEnd   = []byte{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82} // an empty IEND chunk with its CRC
	pngStart = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}
)

// officeExtensions are the zip-based document types: complete once their
// central directory, written last, can be read.
var officeExtensions = map[string]bool{
	"docx": true, "xlsx": true, "xlsm": true, "pptx": true, "odt": true, "ods": true, "zip": true,
}

// Whole reports whether f, size bytes long, is complete for its format where
// the format tells: a PDF ends with %%EOF, a PNG with its IEND chunk, a JPEG
// with the FFD9 marker, an Office document (a zip) has a readable central
// directory. The format is the one both the name's extension and the file's
// first bytes say: a ".pdf" that does not start with %PDF is not judged as a
// PDF, and types with no end marker are whole once quiet. An empty file is
// never whole: its writer has not started.
//
// Scanners and network copies pause mid-file for longer than any quiet
// period; this is what keeps their half-written files from being sent.
func Whole(f io.ReaderAt, size int64, name string) (bool, error) {
	if size == 0 {
		return false, nil
	}
	head := make([]byte, min(size, 8))
	if _, err := f.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return false, fmt.Errorf("read the start of %s: %w", name, err)
	}
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	switch {
	case ext == "pdf" && bytes.HasPrefix(head, []byte("%PDF")):
		t, err := tail(f, size)
		if err != nil {
			return false, fmt.Errorf("read the end of %s: %w", name, err)
		}
		// Trailing line ends, blanks and NUL padding are common after it.
		return bytes.HasSuffix(bytes.TrimRight(t, " \t\r\n\f\x00"), []byte("%%EOF")), nil
	case ext == "png" && bytes.HasPrefix(head, pngStart):
		t, err := tail(f, size)
		if err != nil {
			return false, fmt.Errorf("read the end of %s: %w", name, err)
		}
		return bytes.HasSuffix(t, pngEnd), nil
	case (ext == "jpg" || ext == "jpeg") && bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		t, err := tail(f, size)
		if err != nil {
			return false, fmt.Errorf("read the end of %s: %w", name, err)
		}
		// Some cameras pad the file with zeros after the end marker.
		return bytes.HasSuffix(bytes.TrimRight(t, "\x00"), []byte{0xFF, 0xD9}), nil
	case officeExtensions[ext] && bytes.HasPrefix(head, []byte("PK\x03\x04")):
		// The central directory is written last; a file cut short has none
		// (or an end record pointing past the data).
		_, err := zip.NewReader(f, size)
		return err == nil, nil
	}
	return true, nil
}

// tail is the last tailSize bytes of f (or all of a shorter file).
func tail(f io.ReaderAt, size int64) ([]byte, error) {
	n := min(size, tailSize)
	b := make([]byte, n)
	if _, err := f.ReadAt(b, size-n); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b, nil
}

// wholeFile is Whole for an open file.
func wholeFile(f *os.File) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("stat %s: %w", f.Name(), err)
	}
	return Whole(f, fi.Size(), f.Name())
}

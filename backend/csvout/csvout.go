// Package csvout writes the CSV files chase.md exports, one policy for all:
// RFC 4180 through encoding/csv with CRLF line ends, a UTF-8 byte order mark
// first (without it Excel on Windows opens the file as ANSI and garbles names
// such as "Zoë Müller"; other spreadsheets ignore the mark), and every cell
// guarded against formula injection.
package csvout

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// BOM is the UTF-8 byte order mark every export starts with.
const BOM = "\uFEFF"

// Writer writes one CSV export. Errors are sticky: after the first, Write does
// nothing and Close returns it.
type Writer struct {
	w      io.Writer
	cw     *csv.Writer
	err    error
	header bool
}

// New starts an export to w; the byte order mark is written with the first row.
func New(w io.Writer) *Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return &Writer{w: w, cw: cw}
}

// Write writes one row, each cell passed through Safe.
func (w *Writer) Write(cells ...string) error {
	if w.err != nil {
		return w.err
	}
	if !w.header {
		w.header = true
		if _, err := io.WriteString(w.w, BOM); err != nil {
			w.err = fmt.Errorf("csv: %w", err)
			return w.err
		}
	}
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = Safe(c)
	}
	if err := w.cw.Write(row); err != nil {
		w.err = fmt.Errorf("csv: %w", err)
	}
	return w.err
}

// Close flushes what is buffered and reports the first error of the export.
// An export with no rows is still a file a spreadsheet opens: just the mark.
func (w *Writer) Close() error {
	if w.err == nil && !w.header {
		w.header = true
		if _, err := io.WriteString(w.w, BOM); err != nil {
			w.err = fmt.Errorf("csv: %w", err)
		}
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil && w.err == nil {
		w.err = fmt.Errorf("csv: %w", err)
	}
	return w.err
}

// Safe stops a spreadsheet from running a cell as a formula (OWASP's rule):
// a value starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, which Excel and LibreOffice show as text. Numbers written by
// chase.md itself are never negative, so no figure is changed by it.
func Safe(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

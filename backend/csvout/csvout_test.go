package csvout

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
)

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"Acme Ltd":             "Acme Ltd",
		"=HYPERLINK(\"x\")":    "'=HYPERLINK(\"x\")",
		"+61 2 9999 0000":      "'+61 2 9999 0000",
		"-2+3":                 "'-2+3",
		"@SUM(A1)":             "'@SUM(A1)",
		"\t=1":                 "'\t=1",
		"\r=1":                 "'\r=1",
		"a=1":                  "a=1",
		"J000309":              "J000309",
		"Zoë Müller – März":    "Zoë Müller – März",
		"'already quoted":      "'already quoted",
		"2026-11-03T09:00:00Z": "2026-11-03T09:00:00Z",
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}

// An export is a BOM, CRLF rows, every cell guarded, and reads back whole
// (quotes, commas and line breaks inside cells included).
func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := New(&buf)
	rows := [][]string{
		{"Client", "Job", "Note"},
		{"=cmd|' /C calc'!A0", "-J1", "line one\nline \"two\", with comma"},
		{"Zoë Müller", "@J2", ""},
	}
	for _, r := range rows {
		if err := w.Write(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.HasPrefix(b, []byte(BOM)) || bytes.Count(b, []byte(BOM)) != 1 {
		t.Fatalf("want exactly one leading BOM: %q", b)
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) || bytes.Contains(bytes.ReplaceAll(b, []byte("\r\n"), nil), []byte("\r")) {
		t.Errorf("rows must end in CRLF: %q", b)
	}
	got, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Client", "Job", "Note"},
		{"'=cmd|' /C calc'!A0", "'-J1", "line one\r\nline \"two\", with comma"},
		{"Zoë Müller", "'@J2", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("read back %d rows, want %d: %q", len(got), len(want), got)
	}
	for i := range want {
		for j := range want[i] {
			// encoding/csv writes a line break inside a cell as CRLF too.
			if g := strings.ReplaceAll(got[i][j], "\r\n", "\n"); g != strings.ReplaceAll(want[i][j], "\r\n", "\n") {
				t.Errorf("row %d cell %d = %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
}

func TestEmptyExportIsJustTheMark(t *testing.T) {
	var buf bytes.Buffer
	if err := New(&buf).Close(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != BOM {
		t.Fatalf("empty export = %q", buf.String())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorIsReported(t *testing.T) {
	w := New(failWriter{})
	_ = w.Write("a")
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Close = %v, want the write error", err)
	}
}

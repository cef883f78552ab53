//go:build windows || linux

package watch

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenCheckSeesAWriter: while another handle has the file open for
// writing, the stability check's open reports ErrInUse; a reader does not
// stop it, and once the writer closes it opens.
func TestOpenCheckSeesAWriter(t *testing.T) {
	p := filepath.Join(t.TempDir(), "scan.pdf")
	w, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteString("%PDF-1.4\n"); err != nil {
		t.Fatal(err)
	}
	if f, err := openCheck(p); !errors.Is(err, ErrInUse) {
		if f != nil {
			f.Close()
		}
		t.Fatalf("open while written: %v, want ErrInUse", err)
	}
	w.Close()
	r, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := openCheck(p)
	if err != nil {
		t.Fatalf("open with only a reader: %v", err)
	}
	f.Close()
}

package upload

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/rest"
)

func writeFile(t testing.TB, dir, name string, size int) string {
	t.Helper()
	p := filepath.Join(dir, name)
	b := make([]byte, size)
	for i := range b {
		b[i] = byte('a' + i%26)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	accented := "Zoë Müller – bank statement 2024.pdf"
	big := writeFile(t, dir, "scan.pdf", 13002342) // 12.4 MB
	exact := writeFile(t, dir, "exact.pdf", MaxFileSize)
	over := writeFile(t, dir, "over.pdf", MaxFileSize+1)
	exe := writeFile(t, dir, "setup.exe", 10)
	upperJS := writeFile(t, dir, "invoice.PDF.JS", 10)
	boo := writeFile(t, dir, "notes.boo", 10)
	noExt := writeFile(t, dir, "README", 10)
	empty := writeFile(t, dir, "empty.pdf", 0)
	ok := writeFile(t, dir, accented, 1234)
	folder := filepath.Join(dir, "Some folder.pdf")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	locked := writeFile(t, dir, "locked.pdf", 10)
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	// Root (and Windows ACLs) can read a 0000 file; only assert unreadable where it really is.
	lockedReadable := func() bool { f, err := os.Open(locked); f.Close(); return err == nil }()

	tests := []struct {
		name   string
		path   string
		reason Refusal // "" = accepted
		msg    string  // substring of the message
	}{
		{"12.4 MB", big, RefusedTooLarge, "This file is 12.4 MB; Xero accepts files up to 10 MB. Split or compress it, then drop it again."},
		{"exactly 10 MB", exact, "", ""},
		{"one byte over", over, RefusedTooLarge, "10.0 MB"},
		{".exe", exe, RefusedExtension, "Xero doesn't accept .exe files, because they are programs or scripts"},
		{"double extension ending in .JS", upperJS, RefusedExtension, ".js files"},
		{"unknown extension", boo, RefusedExtension, "Xero doesn't accept .boo files."},
		{"no extension", noExt, RefusedNoExtension, `"README" has no file type`},
		{"empty", empty, RefusedEmpty, `"empty.pdf" is empty (0 bytes)`},
		{"missing", filepath.Join(dir, "gone.pdf"), RefusedUnreadable, `"gone.pdf" is no longer there`},
		{"folder", folder, RefusedNotAFile, "is a folder"},
		{"spaces and accents", ok, "", ""},
	}
	if !lockedReadable {
		tests = append(tests, struct {
			name   string
			path   string
			reason Refusal
			msg    string
		}{"unreadable", locked, RefusedUnreadable, "permission denied"})
	} else if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		t.Fatal("a mode 0000 file was readable by a non-root user")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.Stat(tc.path)
			info, err := Check(tc.path)
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want accepted", tc.path, err)
				}
				if info.Name != filepath.Base(tc.path) {
					t.Errorf("Name = %q, want %q exactly", info.Name, filepath.Base(tc.path))
				}
			} else {
				var ce *CheckError
				if !errors.As(err, &ce) {
					t.Fatalf("Check(%q) = %v, want *CheckError", tc.path, err)
				}
				if ce.Reason != tc.reason {
					t.Errorf("reason = %s, want %s", ce.Reason, tc.reason)
				}
				if !strings.Contains(ce.Message, tc.msg) {
					t.Errorf("message = %q, want it to contain %q", ce.Message, tc.msg)
				}
			}
			// Never moved or changed.
			after, _ := os.Stat(tc.path)
			if (before == nil) != (after == nil) || before != nil && (before.Size() != after.Size() || !before.ModTime().Equal(after.ModTime())) {
				t.Errorf("Check changed the file")
			}
		})
	}
	if info, err := Check(ok); err != nil || info.Size != 1234 {
		t.Fatalf("accented file: %v, size %d", err, info.Size)
	}
}

func TestHumanSize(t *testing.T) {
	for n, want := range map[int64]string{1: "1 byte", 12: "12 bytes", 2048: "2 KB", 13002342: "12.4 MB", MaxFileSize: "10.0 MB"} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestExtensionListsDisjoint(t *testing.T) {
	for _, b := range BlockedExtensions() {
		for _, a := range AcceptedExtensions() {
			if a == b {
				t.Errorf("%s is both accepted and blocked", a)
			}
		}
	}
}

func TestPlain(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&rest.APIError{Status: 400, Detail: "Extension: boo is not a valid File extension."}, "Xero said: Extension: boo is not a valid File extension."},
		{&rest.APIError{Status: 503}, "Xero is having trouble right now."},
		{fmt.Errorf("upload x: %w", io.ErrUnexpectedEOF), "The connection to Xero was lost."},
		{permanent(errFileGone), "The file is no longer where it was queued; it may have been moved or deleted."},
	} {
		if got := plain(tc.err); got != tc.want {
			t.Errorf("plain(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want errKind
	}{
		{fmt.Errorf("x: %w", auth.ErrReauthRequired), errReconnect},
		{&rest.APIError{Status: 401}, errReconnect},
		{&rest.APIError{Status: 403}, errReconnect},
		{&rest.APIError{Status: 400}, errPermanent},
		{&rest.APIError{Status: 422}, errPermanent},
		{&rest.APIError{Status: 409}, errTransient},
		{&rest.APIError{Status: 429}, errTransient},
		{&rest.APIError{Status: 500}, errTransient},
		{&rest.DailyLimitError{Reset: time.Now().Add(time.Hour)}, errLater},
		{fmt.Errorf("wrapped: %w", rest.ErrDailyBudgetReserved), errLater},
		{io.ErrUnexpectedEOF, errTransient},
		{permanent(errFileChanged), errPermanent},
		{transientError{&rest.APIError{Status: 404}}, errTransient},
	} {
		if got, _ := classify(tc.err); got != tc.want {
			t.Errorf("classify(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

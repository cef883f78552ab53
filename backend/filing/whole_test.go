package filing_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"chase.md/backend/filing"
	"chase.md/backend/sandbox"
	"chase.md/backend/upload"
	"chase.md/backend/watch"
)

// watchedBySubfolder is openDemo with a fresh folder watched by sub-folder
// name, and a client the matcher files confidently.
func watchedBySubfolder(t *testing.T) (e *env, c sandbox.Contact, dir string, f filing.Folder) {
	t.Helper()
	e = openDemo(t, 40)
	c = client(t, e.s.Sandbox, e.tenant, 0)
	dir = t.TempDir()
	f, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder})
	if err != nil {
		t.Fatal(err)
	}
	return e, c, dir, f
}

func hexSum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// realPDF is a PDF of about n bytes as a scanner writes it: header, page
// content, cross-reference table, trailer and %%EOF last.
func realPDF(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
	b.WriteString("3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n4 0 obj\n<< >>\nstream\n")
	for b.Len() < n-200 {
		b.WriteString("BT /F1 12 Tf 72 712 Td (scanned line) Tj ET\n")
	}
	b.WriteString("endstream\nendobj\nxref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n")
	return b.Bytes()
}

// TestPausingWriterFiledOnceWhole is the scanner that pauses mid-file: a
// PDF written by another process in 1 KB chunks with pauses far longer than
// the quiet period goes through the real pipeline to the sandbox once,
// whole, and only the whole file is moved into Filed/. (Before, the first
// kilobyte was sent and the finished file filed.)
func TestPausingWriterFiledOnceWhole(t *testing.T) {
	t.Parallel()
	e, c, dir, _ := watchedBySubfolder(t)
	doc := realPDF(8064)
	const name, chunk, pause = "scan 0001.pdf", 1024, time.Second // pause ≫ the quiet period (100 ms here)
	src := filepath.Join(dir, c.Name, name)
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	// The scanner is another program: this test binary run as
	// TestHelperSlowWriter, copying the document in chunks with pauses.
	from := filepath.Join(t.TempDir(), "scanned.pdf")
	write(t, from, doc)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSlowWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), "HELPER_WRITE_FROM="+from, "HELPER_WRITE_TO="+src,
		"HELPER_WRITE_CHUNK="+strconv.Itoa(chunk), "HELPER_WRITE_PAUSE="+pause.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the writer: %v\n%s", err, out)
	}
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	time.Sleep(500 * time.Millisecond) // several quiet periods: nothing more may come
	filed, queued, reviews := e.ev.count()
	files := e.filesFor(c)
	if filed != 1 || queued != 1 || reviews != 0 || len(files) != 1 {
		t.Fatalf("filed %d, queued %d, reviews %d, %d files in Xero; want the file once", filed, queued, reviews, len(files))
	}
	if files[0].SHA256 != hexSum(doc) || files[0].Size != len(doc) {
		t.Fatalf("Xero holds %d bytes (%s), want the whole %d", files[0].Size, files[0].SHA256, len(doc))
	}
	got, err := os.ReadFile(filepath.Join(dir, "Filed", watch.SafeName(c.Name), name))
	if err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("Filed/ holds %d bytes (%v), want the whole file", len(got), err)
	}
}

// TestHelperSlowWriter is TestPausingWriterFiledOnceWhole's scanner: it
// copies HELPER_WRITE_FROM to HELPER_WRITE_TO through one open file,
// HELPER_WRITE_CHUNK bytes at a time with HELPER_WRITE_PAUSE between them.
// Run directly it does nothing.
func TestHelperSlowWriter(t *testing.T) {
	from, to := os.Getenv("HELPER_WRITE_FROM"), os.Getenv("HELPER_WRITE_TO")
	if from == "" {
		return
	}
	chunk, err := strconv.Atoi(os.Getenv("HELPER_WRITE_CHUNK"))
	if err != nil {
		t.Fatal(err)
	}
	pause, err := time.ParseDuration(os.Getenv("HELPER_WRITE_PAUSE"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := 0; i < len(doc); i += chunk {
		if i > 0 {
			time.Sleep(pause)
		}
		if _, err := f.Write(doc[i:min(i+chunk, len(doc))]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUnfinishedFileInReviewThenFiled: a PDF left cut short for the
// unfinished time is listed in Review in words, never uploaded; once its
// writer finishes it is filed and leaves Review by itself.
func TestUnfinishedFileInReviewThenFiled(t *testing.T) {
	// Not parallel: it shortens watch.UnfinishedAfter.
	defer func(d time.Duration) { watch.UnfinishedAfter = d }(watch.UnfinishedAfter)
	watch.UnfinishedAfter = 500 * time.Millisecond
	e, c, dir, f := watchedBySubfolder(t)
	doc := realPDF(4000)
	src := filepath.Join(dir, c.Name, "copied.pdf")
	write(t, src, doc[:2500])
	var rv []filing.Review
	eventually(t, "review", func() bool { rv, _ = e.s.Folders.Reviews(e.ctx, f.ID); return len(rv) == 1 })
	if rv[0].Kind != filing.KindUnfinished || !strings.Contains(rv[0].Reason, "looks unfinished") {
		t.Fatalf("review %+v, want the file listed as unfinished in words", rv[0])
	}
	if _, q, _ := e.ev.count(); q != 0 || len(e.filesFor(c)) != 0 {
		t.Fatalf("an unfinished file was queued %d times", q)
	}
	write(t, src, doc)
	eventually(t, "filed", func() bool { n, _, _ := e.ev.count(); return n == 1 })
	if files := e.filesFor(c); len(files) != 1 || files[0].SHA256 != hexSum(doc) {
		t.Fatalf("Xero holds %+v, want the whole file", files)
	}
	if rv, _ := e.s.Folders.Reviews(e.ctx, f.ID); len(rv) != 0 {
		t.Fatalf("still in Review: %+v", rv)
	}
}

// TestChangedDuringUploadSentAgain: a file written to after it was hashed
// (while its upload runs) is not moved into Filed/ as if its new bytes were in
// Xero: it is queued again and the version filed is the one Xero holds.
func TestChangedDuringUploadSentAgain(t *testing.T) {
	t.Parallel()
	e, c, dir, _ := watchedBySubfolder(t)
	// Slow uploads: time to write to the claimed file while it is sent.
	if err := e.s.Sandbox.SetFault("POST /files.xro/1.0/Files*", "slow:1500ms@n1"); err != nil {
		t.Fatal(err)
	}
	first, second := realPDF(3000), append(realPDF(3000), []byte("% an incremental update\n%%EOF\n")...)
	write(t, filepath.Join(dir, c.Name, "statement.pdf"), first)
	var it upload.Item
	eventually(t, "queued", func() bool {
		e.ev.mu.Lock()
		defer e.ev.mu.Unlock()
		if len(e.ev.queued) == 0 {
			return false
		}
		var err error
		it, err = e.s.Uploads.Item(e.ctx, e.ev.queued[0].ItemID)
		return err == nil
	})
	// Once the queue has read the file and Xero is taking it in (slowly),
	// the writer carries on in the file it has open (here: by its claimed
	// name, which is where an open handle writes once the file is claimed).
	eventually(t, "uploading", func() bool {
		now, err := e.s.Uploads.Item(e.ctx, it.ID)
		return err == nil && now.State == upload.StateUploading
	})
	time.Sleep(500 * time.Millisecond)
	if err := os.WriteFile(it.Path, second, 0o644); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the new version filed", func() bool { n, _, _ := e.ev.count(); return n >= 1 })
	final := filepath.Join(dir, "Filed", watch.SafeName(c.Name), "statement.pdf")
	got, err := os.ReadFile(final)
	if err != nil || !bytes.Equal(got, second) {
		t.Fatalf("Filed/ holds %d bytes (%v), want the new version", len(got), err)
	}
	var latest bool
	for _, f := range e.filesFor(c) {
		latest = latest || f.SHA256 == hexSum(second)
	}
	if was, _ := e.s.Uploads.Item(e.ctx, it.ID); was.State != upload.StateDone || len(e.filesFor(c)) != 2 {
		t.Fatalf("the first upload ended %s with %d files in Xero; want the first version in Xero, then the second", was.State, len(e.filesFor(c)))
	}
	if filed, queued, _ := e.ev.count(); !latest || filed != 1 || queued != 2 {
		t.Fatalf("filed %d, queued %d, the new version in Xero: %v; want it queued again and filed once", filed, queued, latest)
	}
}

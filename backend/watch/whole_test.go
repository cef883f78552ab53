package watch

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// pdfDoc is a small but real PDF: header, objects, xref, trailer, %%EOF.
func pdfDoc(body string) []byte {
	return []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n" +
		"% " + body + "\nxref\n0 3\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n")
}

func pngDoc(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegDoc(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for x := range 64 {
		img.Set(x, x, color.RGBA{R: byte(x * 4), A: 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// docxDoc is a zip shaped like a Word document, big enough that its central
// directory is well past the first kilobyte.
func docxDoc(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bytes.Repeat([]byte("<w:p>statement</w:p>"), 200))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWholeByFormat(t *testing.T) {
	pdf, pngB, jpg, docx := pdfDoc("bank statement"), pngDoc(t), jpegDoc(t), docxDoc(t)
	cases := []struct {
		name  string
		file  string
		data  []byte
		whole bool
	}{
		{"pdf complete", "a.pdf", pdf, true},
		{"pdf with trailing blank lines and NULs", "a.pdf", append(append([]byte{}, pdf...), "\r\n \n\x00\x00"...), true},
		{"pdf cut short", "a.pdf", pdf[:len(pdf)-20], false},
		{"pdf first kilobyte of a long one", "a.pdf", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("stream data "), 300)...), false},
		{"pdf named in capitals", "SCAN.PDF", pdf[:len(pdf)/2], false},
		{"not a pdf though named so: quiet alone decides", "a.pdf", []byte("hello"), true},
		{"png complete", "a.png", pngB, true},
		{"png cut short", "a.png", pngB[:len(pngB)-12], false},
		{"png half", "a.png", pngB[:len(pngB)/2], false},
		{"jpeg complete", "a.jpg", jpg, true},
		{"jpeg with zero padding", "a.jpeg", append(append([]byte{}, jpg...), 0, 0, 0), true},
		{"jpeg cut short", "a.jpg", jpg[:len(jpg)-1], false},
		{"docx complete", "a.docx", docx, true},
		{"docx cut before its central directory", "a.docx", docx[:len(docx)-200], false},
		{"zip truncated to its first half", "a.zip", docx[:len(docx)/2], false},
		{"xlsx truncated by one byte", "a.xlsx", docx[:len(docx)-1], false},
		{"text: no end marker", "a.txt", []byte("half a sentence"), true},
		{"empty: its writer has not started", "a.txt", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), c.file)
			write(t, p, c.data)
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := wholeFile(f)
			if err != nil || got != c.whole {
				t.Fatalf("Whole = %v, %v; want %v", got, err, c.whole)
			}
		})
	}
}

// chunkedWrite writes data to p in n chunks, pausing gap between them, the
// way a scanner or a network copy does.
func chunkedWrite(t *testing.T, p string, data []byte, n int, gap time.Duration) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Error(err)
		return
	}
	defer f.Close()
	step := (len(data) + n - 1) / n
	for i := 0; i < len(data); i += step {
		if i > 0 {
			time.Sleep(gap)
		}
		if _, err := f.Write(data[i:min(i+step, len(data))]); err != nil {
			t.Error(err)
			return
		}
	}
}

// TestPausingWriterReportedOnceWhole writes a PDF in chunks with pauses far
// longer than the quiet period: only the whole file is reported, once.
// (Before the format check, the first chunk was reported as finished.)
func TestPausingWriterReportedOnceWhole(t *testing.T) {
	t.Parallel()
	const quiet, gap = 50 * time.Millisecond, 300 * time.Millisecond
	root := t.TempDir()
	c := &collector{}
	var mu sync.Mutex
	var stuck []Stuck
	w := start(t, Options{Root: root, Quiet: quiet, Rescan: -1, Stuck: func(s Stuck) { mu.Lock(); stuck = append(stuck, s); mu.Unlock() }}, c)
	doc := pdfDoc(string(bytes.Repeat([]byte("scanned page "), 600)))
	chunkedWrite(t, filepath.Join(root, "scan.pdf"), doc, 4, gap)
	waitFor(t, "report", func() bool { return len(c.byRel()["scan.pdf"]) > 0 })
	settle(w)
	got, _ := c.reports("scan.pdf")
	if len(got) != 1 || got[0].SHA256 != sum(doc) || got[0].Size != int64(len(doc)) {
		t.Fatalf("reports %+v, want one of the whole %d bytes", got, len(doc))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(stuck) != 0 {
		t.Fatalf("a writer at work was reported stuck: %+v", stuck)
	}
}

// TestUnfinishedFileToldAfterAWhile: a PDF left cut short is never
// reported, Stuck hears of it once after UnfinishedAfter, and when its
// writer finishes it is reported whole.
func TestUnfinishedFileToldAfterAWhile(t *testing.T) {
	// Not parallel: it shortens UnfinishedAfter.
	defer func(d time.Duration) { UnfinishedAfter = d }(UnfinishedAfter)
	UnfinishedAfter = 300 * time.Millisecond
	root := t.TempDir()
	c := &collector{}
	var mu sync.Mutex
	var stuck []Stuck
	w := start(t, Options{Root: root, Rescan: -1, Stuck: func(s Stuck) { mu.Lock(); stuck = append(stuck, s); mu.Unlock() }}, c)
	doc := pdfDoc("receipt")
	p := filepath.Join(root, "half.pdf")
	write(t, p, doc[:len(doc)/2])
	waitFor(t, "told unfinished", func() bool { mu.Lock(); defer mu.Unlock(); return len(stuck) > 0 })
	time.Sleep(3 * UnfinishedAfter)
	mu.Lock()
	if len(stuck) != 1 || stuck[0].Why != WaitingUnfinished || stuck[0].Rel != "half.pdf" {
		t.Fatalf("stuck reports %+v, want one: unfinished half.pdf", stuck)
	}
	mu.Unlock()
	if n := len(c.byRel()["half.pdf"]); n != 0 {
		t.Fatalf("an unfinished PDF was reported %d times", n)
	}
	write(t, p, doc)
	waitFor(t, "the finished file", func() bool { return len(c.byRel()["half.pdf"]) > 0 })
	settle(w)
	if got, _ := c.reports("half.pdf"); len(got) != 1 || got[0].SHA256 != sum(doc) {
		t.Fatalf("reports %+v, want the whole file once", got)
	}
}

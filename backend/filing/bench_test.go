package filing_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"chase.md/backend/filing"
)

// BenchmarkDrop1k drops 1,000 files into sub-folders named after 20 clients
// of a 200-client demo practice and measures until every one is claimed,
// checked, hashed, matched and queued for upload. Uploading them all is
// bound by Xero's 60 calls a minute per organisation (two calls a file), not
// by filing, so it is not part of the figure.
func BenchmarkDrop1k(b *testing.B) {
	const n = 1000
	for range b.N {
		b.StopTimer()
		e := openDemo(b, 200)
		var names []string
		for i := range 20 {
			names = append(names, client(b, e.s.Sandbox, e.tenant, i).Name)
		}
		dir := b.TempDir()
		if _, err := e.s.Folders.AddFolder(e.ctx, filing.Folder{Path: dir, Mode: filing.ModeSubfolder}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for i := range n {
			write(b, filepath.Join(dir, names[i%len(names)], "scan "+strconv.Itoa(i)+".pdf"), []byte("%PDF-1.4 "+strconv.Itoa(i)))
		}
		eventually(b, "all queued", func() bool { _, q, _ := e.ev.count(); return q == n })
		d := time.Since(start)
		b.StopTimer()
		if _, _, r := e.ev.count(); r != 0 {
			b.Fatalf("%d files went to Review", r)
		}
		b.ReportMetric(d.Seconds(), "queued_s")
		fmt.Printf("bench: filing.1k.queued_s %.2f s\n", d.Seconds())
	}
}

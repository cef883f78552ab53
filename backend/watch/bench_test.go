package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"chase.md/backend/match"
)

// BenchmarkDrop10k drops 10,000 small files into a watched folder at once
// and waits until every one is detected, checked, hashed and matched against
// 10,000 contacts: total time, peak heap, and the delay from each file's
// last write to its report against the quiet period. Memory is heap plus
// goroutine stacks in use, sampled every 10 ms.
func BenchmarkDrop10k(b *testing.B) {
	const n = 10000
	quiet := 200 * time.Millisecond
	cands := make([]match.Candidate, 10000)
	for i := range cands {
		cands[i] = match.Candidate{ContactID: fmt.Sprint(i), Name: fmt.Sprintf("Client %04d Ltd", i), AccountNumber: fmt.Sprintf("ACC-%05d", i)}
	}
	ix := match.NewIndex(cands)
	for it := 0; it < b.N; it++ {
		root := b.TempDir()
		var mu sync.Mutex
		reported := make(map[string]time.Time, n)
		all := make(chan struct{})
		sink := SinkFunc(func(_ context.Context, f File) error {
			// The real consumer matches each file before queueing it.
			if r := ix.Match(f.Rel, match.Options{}); len(r.Best) == 0 {
				b.Errorf("%s: no client suggested", f.Rel)
			}
			mu.Lock()
			defer mu.Unlock()
			if _, dup := reported[f.Rel]; dup {
				b.Errorf("%s reported twice", f.Rel)
			}
			reported[f.Rel] = time.Now()
			if len(reported) == n {
				close(all)
			}
			return nil
		})
		w := New(Options{Root: root, Quiet: quiet, Rescan: -1}, sink)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- w.Serve(ctx) }()
		time.Sleep(100 * time.Millisecond) // let Serve add its watch

		var peak uint64
		stopSampling := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			var ms runtime.MemStats
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse+ms.StackInuse)
				select {
				case <-stopSampling:
					return
				case <-t.C:
				}
			}
		}()

		written := make([]time.Time, n)
		names := make([]string, n)
		// A whole PDF (it ends with %%EOF), so each check reads its start and end.
		content := append([]byte("%PDF-1.4\n"), make([]byte, 4096-15)...)
		content = append(content, "%%EOF\n"...)
		b.ResetTimer()
		start := time.Now()
		for i := range n {
			names[i] = fmt.Sprintf("Client %04d - invoice %d.pdf", i%700, i)
			content[0], content[1] = byte(i), byte(i>>8)
			if err := os.WriteFile(filepath.Join(root, names[i]), content, 0o644); err != nil {
				b.Fatal(err)
			}
			written[i] = time.Now()
		}
		writeDur := time.Since(start)
		select {
		case <-all:
		case <-time.After(2 * time.Minute):
			mu.Lock()
			got := len(reported)
			mu.Unlock()
			b.Fatalf("only %d of %d files reported", got, n)
		}
		total := time.Since(start)
		b.StopTimer()
		close(stopSampling)
		<-sampled
		cancel()
		<-errc

		delays := make([]time.Duration, n)
		for i, name := range names {
			delays[i] = reported[name].Sub(written[i])
		}
		slices.Sort(delays)
		p50, p95 := delays[n/2], delays[n*95/100]
		b.ReportMetric(total.Seconds(), "total-s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
		b.ReportMetric(float64(p50.Milliseconds()), "delay-p50-ms")
		b.ReportMetric(float64(p95.Milliseconds()), "delay-p95-ms")
		fmt.Printf("bench: watch.10k.write_s %.2f s (writing the files, for reference)\n", writeDur.Seconds())
		fmt.Printf("bench: watch.10k.total_s %.2f s\n", total.Seconds())
		fmt.Printf("bench: watch.10k.peak_mb %.1f MB\n", float64(peak)/(1<<20))
		fmt.Printf("bench: watch.delay.p50_ms %d ms (%.2fx quiet %v)\n", p50.Milliseconds(), float64(p50)/float64(quiet), quiet)
		fmt.Printf("bench: watch.delay.p95_ms %d ms (%.2fx quiet %v)\n", p95.Milliseconds(), float64(p95)/float64(quiet), quiet)
	}
}

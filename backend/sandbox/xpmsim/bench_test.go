package xpmsim

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// benchPractice is the size issue 8 benchmarks: 2,000 clients, ~5,000 jobs.
func benchPractice(tb testing.TB) *Practice {
	return New(Options{Seed: 1, Clock: func() time.Time { return testNow }, Clients: testSeeds(1800), ExtraClients: 200})
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		benchPractice(b)
	}
	ms := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/practice")
	fmt.Printf("bench: sandbox.xpm.generate %.1f ms\n", ms)
}

func BenchmarkJobsCurrent(b *testing.B) {
	p := benchPractice(b)
	srv := serve(b, p)
	url := srv.URL + "/practicemanager/3.1/job.api/current"
	b.ResetTimer()
	var bytes int64
	for b.Loop() {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		bytes = n
	}
	ms := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/op")
	fmt.Printf("bench: sandbox.xpm.jobs.current %.1f ms\n", ms)
	fmt.Printf("bench: sandbox.xpm.jobs.current.size %d KB\n", bytes/1024)
	b.Logf("%d jobs in the practice", len(p.Jobs()))
}

func BenchmarkClientsPaged(b *testing.B) {
	p := benchPractice(b)
	srv := serve(b, p)
	b.ResetTimer()
	pages := 0
	for b.Loop() {
		next := srv.URL + "/practicemanager/3.1/client.api/paged-list?pageSize=500"
		for next != "" {
			resp, body := do(b, http.MethodGet, next, "")
			if resp.StatusCode != 200 {
				b.Fatal(resp.Status)
			}
			var pg exClients
			unmarshal(b, body, &pg)
			next = pg.Pagination.Next
			pages++
		}
	}
	ms := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/all-pages")
	// Includes decoding each page in the test, as a client would.
	fmt.Printf("bench: sandbox.xpm.clients.paged_all %.1f ms\n", ms)
	b.Logf("%d clients, %d pages", len(p.Clients()), pages)
}

func TestBenchSizeIsAsAdvertised(t *testing.T) {
	p := benchPractice(t)
	c, j := len(p.Clients()), len(p.Jobs())
	if c < 2000 || j < 4500 || j > 5500 {
		t.Fatalf("bench practice: %d clients, %d jobs; want 2,000 and about 5,000", c, j)
	}
}

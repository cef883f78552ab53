package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// `make bench` runs every benchmark once (-benchtime 1x), so a benchmark
// whose operation is one request would print 1/latency as a rate. These
// serve a fixed load per operation instead, from benchClients concurrent
// clients, and print requests per second over the whole load.
const (
	benchClients      = 8
	benchContactPages = 3000 // per operation
	benchUploads      = 2000 // per operation
)

// benchLoad sends n requests per b.N from benchClients goroutines sharing one
// keep-alive transport, checks each answer's status, and prints the rate as
// `bench: NAME VALUE req/s`. newReq builds the i-th request.
func benchLoad(b *testing.B, name string, n, want int, newReq func(i int) *http.Request) {
	b.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: benchClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var sent atomic.Int64
	var failed atomic.Bool
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range benchClients {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= n || failed.Load() {
						return
					}
					resp, err := client.Do(newReq(i))
					if err != nil {
						failed.Store(true)
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != want {
						failed.Store(true)
						b.Errorf("%s: status %d, want %d", name, resp.StatusCode, want)
						return
					}
					sent.Add(1)
				}
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() {
		return
	}
	rps := float64(sent.Load()) / elapsed.Seconds()
	b.ReportMetric(rps, "req/s")
	fmt.Printf("bench: %s %.0f req/s\n", name, rps)
}

func BenchmarkContactsPage(b *testing.B) {
	e := newEnv(b, Options{DisableLimits: true})
	benchLoad(b, "sandbox.contacts.rps", benchContactPages, http.StatusOK, func(i int) *http.Request {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api.xro/2.0/Contacts?page=%d", e.base, 1+i%2), nil)
		req.Header.Set("Authorization", "Bearer "+e.access)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("xero-tenant-id", e.org)
		return req
	})
}

func BenchmarkUpload(b *testing.B) {
	e := newEnv(b, Options{DisableLimits: true})
	buf, ctype := multipartUpload(b, "node", "receipt.pdf", bytes.Repeat([]byte("%PDF "), 400))
	payload := buf.Bytes()
	benchLoad(b, "sandbox.upload.rps", benchUploads, http.StatusCreated, func(int) *http.Request {
		req, _ := http.NewRequest("POST", e.base+"/files.xro/1.0/Files", bytes.NewReader(payload))
		req.Header.Set("Authorization", "Bearer "+e.access)
		req.Header.Set("xero-tenant-id", e.org)
		req.Header.Set("Content-Type", ctype)
		return req
	})
}

func BenchmarkDemoData10k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		New(Options{Contacts: 10000, Seed: int64(i)})
	}
	ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/op")
	fmt.Printf("bench: sandbox.demo10k.ms %.1f ms\n", ms)
}

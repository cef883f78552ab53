package sandbox

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// benchRPS reports and prints requests per second for `make bench`.
func benchRPS(b *testing.B, name string) {
	rps := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rps, "req/s")
	fmt.Printf("bench: %s %.0f req/s\n", name, rps)
}

func BenchmarkContactsPage(b *testing.B) {
	e := newEnv(b, Options{DisableLimits: true})
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", e.base+"/api.xro/2.0/Contacts?page=1", nil)
			req.Header.Set("Authorization", "Bearer "+e.access)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("xero-tenant-id", e.org)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	benchRPS(b, "sandbox.contacts.rps")
}

func BenchmarkUpload(b *testing.B) {
	e := newEnv(b, Options{DisableLimits: true})
	buf, ctype := multipartUpload(b, "node", "receipt.pdf", bytes.Repeat([]byte("%PDF "), 400))
	payload := buf.Bytes()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("POST", e.base+"/files.xro/1.0/Files", bytes.NewReader(payload))
			req.Header.Set("Authorization", "Bearer "+e.access)
			req.Header.Set("xero-tenant-id", e.org)
			req.Header.Set("Content-Type", ctype)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 201 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	benchRPS(b, "sandbox.upload.rps")
}

func BenchmarkDemoData10k(b *testing.B) {
	for i := 0; i < b.N; i++ {
		New(Options{Contacts: 10000, Seed: int64(i)})
	}
	ms := b.Elapsed().Seconds() * 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/op")
	fmt.Printf("bench: sandbox.demo10k.ms %.1f ms\n", ms)
}

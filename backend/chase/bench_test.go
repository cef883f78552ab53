package chase

import (
	"fmt"
	"testing"
	"time"

	"chase.md/backend/sandbox/xpmsim"
)

// benchEnv is a practice of exactly 2,000 clients and 5,000 current jobs,
// its clients mostly the organisation's contacts (synced into the store).
func benchEnv(b *testing.B) *env { return benchPractice(b, 2000, 2000, 5000) }

// benchPractice is a practice of nClients clients and nJobs current jobs
// over an organisation of nContacts contacts.
func benchPractice(b *testing.B, nContacts, nClients, nJobs int) *env {
	b.Helper()
	e := newEnv(b, envOpts{contacts: nContacts})
	for i := len(e.p.Clients()); i < nClients; i++ {
		e.p.AddClient(xpmsim.Client{Name: fmt.Sprintf("Bench Client %04d Ltd", i), Email: fmt.Sprintf("bench%d@example.com", i)})
	}
	var open []xpmsim.State
	completed := map[string]bool{}
	for _, s := range e.p.States() {
		completed[s.Name] = s.Completed
		if !s.Completed {
			open = append(open, s)
		}
	}
	current := 0
	for _, j := range e.p.Jobs() {
		if !completed[j.State] {
			current++
		}
	}
	cs := e.p.Clients()
	for i := 0; current < nJobs; i++ {
		c := cs[i%len(cs)]
		if c.IsProspect || c.IsArchived {
			continue
		}
		if _, err := e.p.AddJob(xpmsim.Job{ClientUUID: c.UUID, Name: fmt.Sprintf("Bench job %d", i), StateCode: open[i%len(open)].Code}); err != nil {
			b.Fatal(err)
		}
		current++
	}
	return e
}

// BenchmarkXPMSync syncs the practice over HTTP into a real store: the
// first sync, then steady-state resyncs.
func BenchmarkXPMSync(b *testing.B) {
	e := benchEnv(b)
	t0 := time.Now()
	first, err := e.svc.SyncXPM(e.ctx, e.px)
	if err != nil {
		b.Fatal(err)
	}
	firstMS := float64(time.Since(t0).Milliseconds())
	firstCalls := e.calls("")
	e.sb.ResetRequests()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if _, err := e.svc.SyncXPM(e.ctx, e.px); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	calls := float64(e.calls("")) / float64(b.N)
	wall := float64(time.Since(start).Milliseconds()) / float64(b.N)
	b.ReportMetric(calls, "calls/sync")
	b.ReportMetric(wall, "ms/sync")
	fmt.Printf("bench: xpm.sync.clients %d clients\n", first.Clients)
	fmt.Printf("bench: xpm.sync.jobs %d jobs\n", first.Jobs)
	fmt.Printf("bench: xpm.sync.calls %d calls\n", firstCalls)
	fmt.Printf("bench: xpm.sync.wall_ms %.0f ms\n", firstMS)
	fmt.Printf("bench: xpm.resync.calls %.0f calls\n", calls)
	fmt.Printf("bench: xpm.resync.wall_ms %.0f ms\n", wall)
}

// BenchmarkChaseList builds the chase list of that practice.
func BenchmarkChaseList(b *testing.B) {
	e := benchEnv(b)
	if _, err := e.svc.SyncXPM(e.ctx, e.px); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		rows, err := e.svc.List(e.ctx, Query{Sort: SortWaiting})
		if err != nil {
			b.Fatal(err)
		}
		n = len(rows)
	}
	b.StopTimer()
	ms := float64(time.Since(start).Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/query")
	fmt.Printf("bench: chase.list_rows %d rows\n", n)
	fmt.Printf("bench: chase.list_query_ms %.2f ms\n", ms)
}

// BenchmarkChaseList10k is the practice scale: 10,000 contacts and
// 5,000 current jobs.
func BenchmarkChaseList10k(b *testing.B) {
	e := benchPractice(b, 10000, 4000, 5000)
	if _, err := e.svc.SyncXPM(e.ctx, e.px); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	n := 0
	for i := 0; i < b.N; i++ {
		rows, err := e.svc.List(e.ctx, Query{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(rows)
	}
	b.StopTimer()
	ms := float64(time.Since(start).Microseconds()) / 1000 / float64(b.N)
	fmt.Printf("bench: chase.list10k_rows %d rows\n", n)
	fmt.Printf("bench: chase.list10k_build_ms %.2f ms (goal < 1000)\n", ms)
}

package remind_test

import (
	"fmt"
	"testing"
	"time"

	"chase.md/backend/sandbox/xpmsim"
)

// BenchmarkPlanDay plans the day's reminders of a practice with 5,000 jobs
// waiting on 2,000 clients: every client's first request is put in the
// queue (the costly day), then a day when nothing new falls due. The
// baseline is building the chase list alone, which planning must do.
func BenchmarkPlanDay(b *testing.B) {
	e := newEnv(b, envOpts{contacts: 2000, practice: func(p *xpmsim.Practice) {
		for i := len(p.Clients()); i < 2000; i++ {
			p.AddClient(xpmsim.Client{Name: fmt.Sprintf("Bench Client %04d Ltd", i), Email: fmt.Sprintf("bench%d@example.com", i)})
		}
		var waiting []xpmsim.State
		for _, s := range p.States() {
			if s.AwaitsClient {
				waiting = append(waiting, s)
			}
		}
		current := 0
		for _, j := range p.Jobs() {
			for _, s := range waiting {
				if j.State == s.Name {
					current++
				}
			}
		}
		cs := p.Clients()
		for i := 0; current < 5000; i++ {
			c := cs[i%len(cs)]
			if c.IsProspect || c.IsArchived {
				continue
			}
			if _, err := p.AddJob(xpmsim.Job{ClientUUID: c.UUID, Name: fmt.Sprintf("Bench job %d", i), StateCode: waiting[i%len(waiting)].Code}); err != nil {
				b.Fatal(err)
			}
			current++
		}
	}})
	s := e.svc()
	rows, err := e.chase.Build(e.ctx)
	if err != nil {
		b.Fatal(err)
	}
	jobs := 0
	for _, r := range rows {
		if r.JobID != "" {
			jobs++
		}
	}
	if jobs < 5000 {
		b.Fatalf("%d jobs waiting, want 5000", jobs)
	}
	t0 := time.Now()
	if _, err := e.chase.Build(e.ctx); err != nil {
		b.Fatal(err)
	}
	baseline := time.Since(t0)
	var full, steady time.Duration
	planned := 0
	b.ResetTimer()
	for range b.N {
		if _, err := e.db.SQL().ExecContext(e.ctx, `DELETE FROM remind_items`); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		n, err := s.PlanDay(e.ctx)
		if err != nil {
			b.Fatal(err)
		}
		full += time.Since(t0)
		planned = n
		t0 = time.Now()
		if n, err := s.PlanDay(e.ctx); err != nil || n != 0 {
			b.Fatalf("planning again added %d, %v", n, err)
		}
		steady += time.Since(t0)
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	fmt.Printf("bench: remind_plan_5000_jobs_ms %.1f ms (%d jobs, %d reminders planned; goal < 1000; baseline: building the chase list alone %.1f ms)\n",
		ms(full), jobs, planned, float64(baseline.Microseconds())/1000)
	fmt.Printf("bench: remind_plan_5000_jobs_nothing_new_ms %.1f ms (goal < 1000)\n", ms(steady))
}

package app

import (
	"fmt"
	"testing"
	"time"

	"chase.md/backend/core"
)

// BenchmarkChaseScreen10k is the chase screen of the 10,000-contact demo
// practice as the UI uses it: Status, the list's first page, the whole
// list, and one chase email.
func BenchmarkChaseScreen10k(b *testing.B) {
	a, _, _ := demoChaseN(b, 10000, core.ChaseFiles{})
	s := a.Chase
	timeIt := func(name, goal string, f func() error) {
		t0 := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("bench: %s %.1f ms%s\n", name, float64(time.Since(t0).Microseconds())/1000, goal)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		timeIt("chase.screen10k_status_ms", "", func() error { _, err := s.Status(); return err })
		var l ChaseList
		timeIt("chase.screen10k_list_ms", " (goal < 1000)", func() (err error) { l, err = s.List(ChaseQuery{}); return err })
		fmt.Printf("bench: chase.screen10k_rows %d rows\n", len(l.Rows))
		timeIt("chase.screen10k_email_ms", "", func() error { _, err := s.ChaseEmail(l.Rows[0].ClientKey); return err })
	}
}

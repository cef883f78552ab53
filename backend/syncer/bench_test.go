package syncer

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"chase.md/backend/sandbox"
	"chase.md/backend/store"
)

// BenchmarkSync10k syncs 10,000 sandbox contacts through the real client into a
// fresh store: a full sync, then an incremental one with nothing changed. The
// sandbox answers at once and its limits (and the pacer's) run on a scaled
// minute, so the wall time is our own: HTTP, JSON and SQLite.
func BenchmarkSync10k(b *testing.B) { benchSync(b, limitScale, "sync.full.wall_ms") }

// BenchmarkSync10kRealLimits is the same with Xero's real limits: the pacer
// spreads the 10 calls at 60 a minute, so pacing, not work, sets the time.
func BenchmarkSync10kRealLimits(b *testing.B) { benchSync(b, 1, "sync.full.wall_ms_real_limits") }

func benchSync(b *testing.B, scale float64, wallName string) {
	ctx := context.Background()
	e := newEnv(b, sandbox.Options{Contacts: 10000, Seed: 21, LimitScale: scale}, Options{})
	var fullCalls, incCalls int
	var wall time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		e.s.st = db
		b.StartTimer()
		start := time.Now()
		sum, err := e.s.Full(ctx, e.tenant, nil)
		wall += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if n, _ := db.CountContacts(ctx, e.tenant); n.Total != 10000 {
			b.Fatalf("%d contacts stored", n.Total)
		}
		fullCalls = sum.Calls
		inc, err := e.s.Incremental(ctx, e.tenant, nil)
		if err != nil {
			b.Fatal(err)
		}
		incCalls = inc.Calls
		db.Close()
		b.StartTimer()
	}
	ms := float64(wall.Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(float64(fullCalls), "full_calls")
	b.ReportMetric(float64(incCalls), "incremental_calls")
	b.ReportMetric(ms, "full_ms")
	if scale != 1 {
		fmt.Printf("bench: sync.full.calls %d calls\n", fullCalls)
		fmt.Printf("bench: sync.incremental.calls %d calls\n", incCalls)
	}
	fmt.Printf("bench: %s %.0f ms\n", wallName, ms)
}

package rest

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// waitQueued waits (on real time, not as an assertion) until n calls queue.
func waitQueued(t *testing.T, p *Pacer, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for p.Waiting() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d calls queued", p.Waiting(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestPacerNeverMoreThanMaxInFlight(t *testing.T) {
	for _, limit := range []int{1, 2, 5} {
		ps := NewPacers(WithMaxInFlight(limit), WithPerMinute(1_000_000), WithAppPerMinute(1_000_000))
		p := ps.For("t")
		var in, peak atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				release, err := p.Acquire(context.Background(), Background)
				if err != nil {
					t.Error(err)
					return
				}
				n := in.Add(1)
				for {
					old := peak.Load()
					if n <= old || peak.CompareAndSwap(old, n) {
						break
					}
				}
				time.Sleep(200 * time.Microsecond)
				in.Add(-1)
				release()
			}()
		}
		wg.Wait()
		if got := peak.Load(); got > int32(limit) || got < 1 {
			t.Errorf("limit %d: peak in flight %d", limit, got)
		}
		if got := p.Stats().Calls; got != 50 {
			t.Errorf("limit %d: %d calls counted, want 50", limit, got)
		}
	}
}

// Grant times come from the pacer's own clock, so the window property is
// exact whatever the machine's load.
func TestPacerNeverMoreThanTheMinuteBudgetInAnyWindow(t *testing.T) {
	cases := []struct {
		name      string
		perMinute int
		minute    time.Duration
		workers   int
		calls     int
	}{
		{"xero 60/min, one worker", 60, 120 * time.Millisecond, 1, 150},
		{"xero 60/min, five workers", 60, 120 * time.Millisecond, 5, 150},
		{"small budget", 10, 40 * time.Millisecond, 3, 40},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			ps := NewPacers(WithPerMinute(tc.perMinute), WithMinute(tc.minute))
			p := ps.For("t")
			var grants []time.Time
			var wg sync.WaitGroup
			jobs := make(chan struct{}, tc.calls)
			for range tc.calls {
				jobs <- struct{}{}
			}
			close(jobs)
			for range tc.workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range jobs {
						tk, err := p.acquire(context.Background(), Background)
						if err != nil {
							t.Error(err)
							return
						}
						mu.Lock()
						grants = append(grants, tk.c.granted)
						mu.Unlock()
						tk.done()
					}
				}()
			}
			wg.Wait()
			sortTimes(grants)
			for i := range grants {
				in := 0
				for j := i; j < len(grants) && grants[j].Sub(grants[i]) < tc.minute; j++ {
					in++
				}
				if in > tc.perMinute {
					t.Fatalf("%d calls within a minute starting at call %d, budget %d", in, i, tc.perMinute)
				}
			}
		})
	}
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestPacerAppLimitIsSharedAcrossTenants(t *testing.T) {
	ps := NewPacers(WithPerMinute(1000), WithAppPerMinute(100), WithMinute(time.Hour))
	// The app bucket starts with a burst of 1 (1% of 100); after that, nothing for a long time.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r, err := ps.For("a").Acquire(ctx, Interactive)
	if err != nil {
		t.Fatal(err)
	}
	r()
	if _, err := ps.For("b").Acquire(ctx, Interactive); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("tenant b got a call through the app limit: %v", err)
	}
}

func TestPacerRetryAfterPausesTheWholeTenant(t *testing.T) {
	ps := NewPacers(WithPerMinute(1_000_000), WithAppPerMinute(1_000_000))
	p := ps.For("t")
	p.Pause(30 * time.Millisecond)
	until := p.PausedUntil()
	p.Pause(time.Millisecond) // a shorter pause never shortens a longer one
	if !p.PausedUntil().Equal(until) {
		t.Fatalf("pause shortened")
	}
	var wg sync.WaitGroup
	for _, prio := range []Priority{Background, Interactive, Background} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tk, err := p.acquire(context.Background(), prio)
			if err != nil {
				t.Error(err)
				return
			}
			if g := tk.c.granted; g.Before(until) {
				t.Errorf("%v call granted at %v, before the pause ended at %v", prio, g, until)
			}
			tk.done()
		}()
	}
	wg.Wait()
	// Another tenant is not paused.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ps.For("other").Pause(0)
	r, err := ps.For("other").Acquire(ctx, Background)
	if err != nil {
		t.Fatal(err)
	}
	r()
}

func TestPacerInteractiveBeforeBackground(t *testing.T) {
	ps := NewPacers(WithMaxInFlight(1), WithPerMinute(1_000_000), WithAppPerMinute(1_000_000))
	p := ps.For("t")
	hold, err := p.Acquire(context.Background(), Background)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	start := func(name string, prio Priority, queued int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := p.Acquire(context.Background(), prio)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			release()
		}()
		waitQueued(t, p, queued)
	}
	// Background work queued first, interactive work arriving later.
	start("bg1", Background, 1)
	start("bg2", Background, 2)
	start("ui1", Interactive, 3)
	start("bg3", Background, 4)
	start("ui2", Interactive, 5)
	hold()
	wg.Wait()
	want := []string{"ui1", "ui2", "bg1", "bg2", "bg3"}
	if len(order) != len(want) {
		t.Fatalf("order %v", order)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
}

func TestPacerCancelWhileWaiting(t *testing.T) {
	ps := NewPacers(WithMaxInFlight(1))
	p := ps.For("t")
	hold, _ := p.Acquire(context.Background(), Background)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := p.Acquire(ctx, Interactive)
		done <- err
	}()
	waitQueued(t, p, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if p.Waiting() != 0 {
		t.Fatalf("cancelled waiter still queued")
	}
	hold()
	// A paused pacer is left promptly too.
	p.Pause(time.Hour)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	if _, err := p.Acquire(ctx2, Interactive); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestPacerDailyBudget(t *testing.T) {
	ps := NewPacers(WithDailyReserve(100), WithPerMinute(1_000_000), WithAppPerMinute(1_000_000))
	p := ps.For("t")
	ctx := context.Background()
	p.Observe(http.Header{"X-Daylimit-Remaining": {"102"}})
	// Two background calls fit; the third would eat the reserve.
	for i := range 2 {
		r, err := p.Acquire(ctx, Background)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		r()
	}
	if _, err := p.Acquire(ctx, Background); !errors.Is(err, ErrDailyBudgetReserved) {
		t.Fatalf("background at the reserve: %v", err)
	}
	r, err := p.Acquire(ctx, Interactive)
	if err != nil {
		t.Fatalf("interactive may use the reserve: %v", err)
	}
	r()
	if got := p.Stats().DayRemaining; got != 99 {
		t.Fatalf("DayRemaining = %d, want 99", got)
	}
	// A 429 day stops everyone until the reset.
	reset := time.Now().Add(time.Hour)
	p.DayExhausted(reset)
	var dle *DailyLimitError
	if _, err := p.Acquire(ctx, Interactive); !errors.Is(err, ErrDailyLimit) || !errors.As(err, &dle) || !dle.Reset.Equal(reset) {
		t.Fatalf("after day limit: %v", err)
	}
}

func TestPacerGivesWayToForeignCalls(t *testing.T) {
	ps := NewPacers(WithMinute(time.Hour))
	p := ps.For("t")
	before := p.limiter.Limit()
	r, _ := p.Acquire(context.Background(), Background)
	// We made 1 call; Xero says 40 of 60 are used: 39 are someone else's.
	p.Observe(http.Header{"X-Minlimit-Remaining": {"20"}})
	r()
	st := p.Stats()
	if st.Foreign != 39 || st.MinRemaining != 20 {
		t.Fatalf("stats %+v, want 39 foreign", st)
	}
	if got, want := float64(p.limiter.Limit()), float64(before)*21/60; got < want*0.99 || got > want*1.01 {
		t.Fatalf("rate %v, want about %v", got, want)
	}
	// When the other app stops, our rate comes back.
	p.Observe(http.Header{"X-Minlimit-Remaining": {"59"}})
	if p.limiter.Limit() != before {
		t.Fatalf("rate %v, want %v restored", p.limiter.Limit(), before)
	}
}

func TestPriorityFromContext(t *testing.T) {
	if PriorityOf(context.Background()) != Background {
		t.Fatal("default should be Background")
	}
	if PriorityOf(WithPriority(context.Background(), Interactive)) != Interactive {
		t.Fatal("WithPriority lost")
	}
}

func TestPacerReserveLetsAProbeThroughAfterAnHour(t *testing.T) {
	var offset atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	ps := NewPacers(WithClock(now), WithDailyReserve(100), WithPerMinute(1_000_000), WithAppPerMinute(1_000_000))
	p := ps.For("t")
	p.Observe(http.Header{"X-Daylimit-Remaining": {"50"}})
	if _, err := p.Acquire(context.Background(), Background); !errors.Is(err, ErrDailyBudgetReserved) {
		t.Fatalf("got %v", err)
	}
	offset.Add(int64(61 * time.Minute))
	r, err := p.Acquire(context.Background(), Background)
	if err != nil {
		t.Fatalf("an hour on, a background probe should go: %v", err)
	}
	r()
	p.Observe(http.Header{"X-Daylimit-Remaining": {"60"}})
	if _, err := p.Acquire(context.Background(), Background); !errors.Is(err, ErrDailyBudgetReserved) {
		t.Fatalf("fresh figure below the reserve: %v", err)
	}
}

// Xero counts a call at some moment between its grant and its answer, so the
// pacer counts it from its grant until a window after its answer: a call
// still in flight holds its place in the minute however long it takes.
func TestPacerCountsACallUntilAMinuteAfterItsAnswer(t *testing.T) {
	const minute = 100 * time.Millisecond
	p := NewPacers(WithPerMinute(1), WithMinute(minute)).For("t")
	first, err := p.acquire(context.Background(), Background)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * minute) // long past its grant, and not yet answered
	ctx, cancel := context.WithTimeout(context.Background(), minute/2)
	defer cancel()
	if _, err := p.Acquire(ctx, Background); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second call went while the first was in flight: %v", err)
	}
	first.answered()
	answered := first.c.answered
	first.done()
	second, err := p.acquire(context.Background(), Background)
	if err != nil {
		t.Fatal(err)
	}
	defer second.done()
	if gap := second.c.granted.Sub(answered); gap < minute {
		t.Fatalf("second call granted %v after the first was answered, within the minute", gap)
	}
}

// The minute's unused budget may be spent at once: with the clock standing
// still, the smoother alone would let only its 3-call burst through. A
// background burst leaves a sixth of the budget for interactive calls.
func TestPacerBurstsWhenTheMinuteHasBudgetToSpare(t *testing.T) {
	frozen := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	ps := NewPacers(WithClock(func() time.Time { return frozen }))
	p := ps.For("t")
	take := func(prio Priority) error {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		release, err := p.Acquire(ctx, prio)
		if err == nil {
			release()
		}
		return err
	}
	for i := range 50 {
		if err := take(Background); err != nil {
			t.Fatalf("background call %d of a fresh minute waited: %v", i+1, err)
		}
	}
	if err := take(Background); err == nil {
		t.Fatal("a background burst took the interactive headroom (51st call went at once)")
	}
	for i := range 10 {
		if err := take(Interactive); err != nil {
			t.Fatalf("interactive call %d after a background burst waited: %v", i+1, err)
		}
	}
	if err := take(Interactive); err == nil {
		t.Fatal("61 calls in one minute")
	}
}

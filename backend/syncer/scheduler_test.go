package syncer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/xero"
)

// waitTimeout bounds how long a test waits for an event that must come; it is
// a hang guard, not a timing assertion.
const waitTimeout = 20 * time.Second

// events collects a scheduler's events on a channel.
func events() (chan Event, func(Event)) {
	ch := make(chan Event, 1000)
	return ch, func(e Event) { ch <- e }
}

// next returns the next event of phase, skipping others.
func next(t *testing.T, ch <-chan Event, phase string) Event {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		select {
		case e := <-ch:
			if e.Phase == phase {
				return e
			}
		case <-deadline:
			t.Fatalf("no %s event", phase)
		}
	}
}

func serve(t *testing.T, sc *Scheduler) (cancel func() error) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sc.Serve(ctx) }()
	var err error
	stopped := false
	cancel = func() error {
		if !stopped {
			stop()
			err = <-done
			stopped = true
		}
		return err
	}
	t.Cleanup(func() { cancel() })
	return cancel
}

func TestSchedulerFullThenIncrementalsThenTriggeredFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 250, Seed: 11}, Options{PageSize: 100})
	ch, on := events()
	sc := NewScheduler(e.s, SchedulerOptions{
		Tenants: func(context.Context) ([]string, error) { return []string{e.tenant}, nil },
		Every:   20 * time.Millisecond,
		OnEvent: on,
	})
	stop := serve(t, sc)

	// Never synced: the first round is a full sync, with progress per page.
	ev := next(t, ch, PhaseStarted)
	if !ev.Full || ev.Tenant != e.tenant {
		t.Fatalf("first round %+v; want a full sync of %s", ev, e.tenant)
	}
	p := next(t, ch, PhaseProgress)
	if p.Progress.Page != 1 || p.Progress.PageCount != 3 {
		t.Fatalf("first progress %+v", p.Progress)
	}
	done := next(t, ch, PhaseDone)
	if !done.Summary.Full || done.Summary.Calls != 3 {
		t.Fatalf("first round summary %+v", done.Summary)
	}
	e.assertExact(t)

	// Then incrementals on the timer.
	if ev := next(t, ch, PhaseStarted); ev.Full {
		t.Fatalf("second round is full; want incremental")
	}
	if d := next(t, ch, PhaseDone); d.Summary.Full || d.Summary.Calls != 1 {
		t.Fatalf("incremental summary %+v", d.Summary)
	}

	// "Sync now, full" runs a full sync next.
	sc.Trigger(true)
	for {
		ev := next(t, ch, PhaseDone)
		if ev.Full {
			if ev.Summary.Calls != 3 || ev.Summary.Added+ev.Summary.Changed+ev.Summary.Archived != 0 {
				t.Fatalf("triggered full %+v", ev.Summary)
			}
			break
		}
	}
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Serve returned %v; want context.Canceled", err)
	}
}

func TestSchedulerWaitsUntilConnected(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 120, Seed: 12}, Options{})
	ch, on := events()
	entered := make(chan int, 10)
	release := make(chan struct{})
	sc := NewScheduler(e.s, SchedulerOptions{
		Tenants: func(context.Context) ([]string, error) { return []string{e.tenant}, nil },
		WaitConnected: func(ctx context.Context) error {
			entered <- e.listCalls()
			select {
			case <-release:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		Every:   time.Hour,
		OnEvent: on,
	})
	serve(t, sc)
	select {
	case calls := <-entered:
		if calls != 0 {
			t.Fatalf("%d calls before the connection was up", calls)
		}
	case <-time.After(waitTimeout):
		t.Fatal("scheduler never asked whether it was connected")
	}
	sc.Trigger(false) // queued behind the paused round, not lost
	close(release)
	if d := next(t, ch, PhaseDone); !d.Full {
		t.Fatalf("first round after connecting %+v", d)
	}
	if d := next(t, ch, PhaseDone); d.Full || d.Summary.Calls != 1 {
		t.Fatalf("triggered round %+v; want one incremental call", d)
	}
}

func TestSchedulerRetriesAfterFailure(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 150, Seed: 13}, Options{PageSize: 100})
	fail := &failingLister{inner: e.x, failPage: 2}
	e.s.listers = func(string) ContactLister { return fail }
	ch, on := events()
	sc := NewScheduler(e.s, SchedulerOptions{
		Tenants:    func(context.Context) ([]string, error) { return []string{e.tenant}, nil },
		Every:      time.Hour, // only the retry can bring the next round
		RetryAfter: 10 * time.Millisecond,
		OnEvent: func(ev Event) {
			if ev.Phase == PhaseFailed {
				fail.mu.Lock()
				fail.failPage = 0 // the outage ends
				fail.mu.Unlock()
			}
			on(ev)
		},
	})
	serve(t, sc)
	f := next(t, ch, PhaseFailed)
	if !errors.Is(f.Err, errPageFailed) || f.Error == "" || f.Summary.Calls != 2 {
		t.Fatalf("failed event %+v", f)
	}
	// The wait before the next round is told, with jitter: half to all of RetryAfter.
	w := next(t, ch, PhaseWaiting)
	if w.Attempt != 1 || w.RetryAt.IsZero() || w.RetryAt.After(time.Now().Add(10*time.Millisecond)) {
		t.Fatalf("waiting event %+v", w)
	}
	d := next(t, ch, PhaseDone)
	if !d.Full || !d.Summary.Resumed || d.Summary.Calls != 1 {
		t.Fatalf("retry %+v; want the full sync resumed at page 2", d.Summary)
	}
	e.assertExact(t)
}

func TestSchedulerCancelMidSyncLeavesConsistentStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 500, Seed: 14, Faults: "GET /api.xro/2.0/Contacts=slow:30ms"}, Options{PageSize: 100})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc := NewScheduler(e.s, SchedulerOptions{
		Tenants: func(context.Context) ([]string, error) { return []string{e.tenant}, nil },
		Every:   time.Hour,
		OnEvent: func(ev Event) {
			if ev.Phase == PhaseProgress && ev.Progress.Page == 2 {
				cancel() // the app quits while page 3 is in flight
			}
		},
	})
	if err := sc.Serve(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Serve returned %v", err)
	}
	st, _ := e.db.ContactSyncState(context.Background(), e.tenant)
	if got := len(e.stored(t)); got != 200 || st.FullNextPage != 3 || st.LastError != "" {
		t.Fatalf("after cancel: %d stored, state %+v; want pages 1-2 and resume at 3", got, st)
	}
	// The next run finishes the interrupted full sync.
	sum, err := e.s.Full(context.Background(), e.tenant, nil)
	if err != nil || !sum.Resumed || sum.Calls != 3 {
		t.Fatalf("resume %+v, %v", sum, err)
	}
	e.assertExact(t)
}

// The lister is *xero.Client in production.
var _ ContactLister = (*xero.Client)(nil)

func TestSchedulerRunsFullWhenDue(t *testing.T) {
	t.Parallel()
	e := newEnv(t, sandbox.Options{Contacts: 120, Seed: 16}, Options{})
	ch, on := events()
	now := time.Now()
	var mu sync.Mutex
	sc := NewScheduler(e.s, SchedulerOptions{
		Tenants:   func(context.Context) ([]string, error) { return []string{e.tenant}, nil },
		Every:     10 * time.Millisecond,
		FullEvery: 24 * time.Hour,
		Now:       func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
		OnEvent:   on,
	})
	serve(t, sc)
	if d := next(t, ch, PhaseDone); !d.Full {
		t.Fatal("first round not full")
	}
	if d := next(t, ch, PhaseDone); d.Full {
		t.Fatal("second round full before a day passed")
	}
	mu.Lock()
	now = now.Add(25 * time.Hour)
	mu.Unlock()
	for {
		if d := next(t, ch, PhaseDone); d.Full {
			break // the daily full came by itself
		}
	}
}

// A scheduled (background) sync that the daily budget's reserve stops says
// so in plain words, in its event and in the tenant's sync status, keeps what
// it wrote, and carries on from there when a person asks for a sync.
func TestSchedulerDailyReserveStopsBackgroundSyncInPlainWords(t *testing.T) {
	t.Parallel()
	// The sandbox's day allows 5,000 calls; a reserve of 4,998 leaves background work two.
	e := newEnv(t, sandbox.Options{Contacts: 450, Seed: 19}, Options{PageSize: 100}, rest.WithDailyReserve(4998))
	ch, on := events()
	sc := NewScheduler(e.s, SchedulerOptions{
		Tenants: func(context.Context) ([]string, error) { return []string{e.tenant}, nil },
		Every:   time.Hour,
		OnEvent: on,
	})
	serve(t, sc)
	f := next(t, ch, PhaseFailed)
	if !errors.Is(f.Err, rest.ErrDailyBudgetReserved) || f.Summary.Calls != 3 || e.listCalls() != 2 {
		t.Fatalf("failed event %+v after %d calls; want the reserve, on page 3 unsent", f, e.listCalls())
	}
	for _, jargon := range []string{e.tenant, "syncer:", "xero:", "page 3"} {
		if strings.Contains(f.Error, jargon) {
			t.Errorf("event's message %q says %q", f.Error, jargon)
		}
	}
	if !strings.Contains(f.Error, "paused") || !strings.Contains(f.Error, "kept for uploads") {
		t.Errorf("event's message %q does not say the sync is paused for uploads", f.Error)
	}
	st, _ := e.db.ContactSyncState(context.Background(), e.tenant)
	if st.LastError != f.Error || st.FullNextPage != 3 || len(e.stored(t)) != 200 {
		t.Fatalf("status %+v with %d stored; want the event's message, pages 1-2 kept and resume at 3", st, len(e.stored(t)))
	}
	// "Sync now" is a person asking: it may spend the reserve.
	sc.Trigger(false)
	d := next(t, ch, PhaseDone)
	if !d.Full || !d.Summary.Resumed || d.Summary.Calls != 3 {
		t.Fatalf("asked-for sync %+v; want the full sync resumed at page 3", d.Summary)
	}
	e.assertExact(t)
	if st, _ := e.db.ContactSyncState(context.Background(), e.tenant); st.LastError != "" {
		t.Fatalf("status still says %q", st.LastError)
	}
}

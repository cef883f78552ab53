package syncer

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"chase.md/backend/rest"
)

// Event phases.
const (
	PhaseStarted  = "started"
	PhaseProgress = "progress"
	PhaseDone     = "done"
	PhaseFailed   = "failed"
	// PhaseWaiting follows a failed round: the next round goes at RetryAt.
	PhaseWaiting = "waiting"
)

// Event reports a scheduled sync's life, for the app to turn into UI events.
type Event struct {
	Tenant   string    `json:"tenant"`
	Full     bool      `json:"full"`
	Phase    string    `json:"phase"`
	Progress Progress  `json:"progress"`          // PhaseProgress
	Summary  Summary   `json:"summary"`           // PhaseDone, PhaseFailed (what got done before the failure)
	Err      error     `json:"-"`                 // PhaseFailed
	Error    string    `json:"error,omitempty"`   // PhaseFailed: Describe(Err)
	RetryAt  time.Time `json:"retryAt,omitzero"`  // PhaseWaiting
	Attempt  int       `json:"attempt,omitempty"` // PhaseWaiting: failed rounds in a row
}

// SchedulerOptions configure a Scheduler.
type SchedulerOptions struct {
	// Tenants lists the tenants to sync (the connected organisations). Required.
	Tenants func(ctx context.Context) ([]string, error)
	// WaitConnected blocks until Xero can be called (signed in, no reconnect
	// pending) or ctx ends; auth.Connection.WaitConnected. Nil: never waits.
	WaitConnected func(ctx context.Context) error
	// Every is the time between incremental syncs (default 5 minutes).
	Every time.Duration
	// FullEvery is the time between full syncs (default 24 hours).
	FullEvery time.Duration
	// RetryAfter is the wait after a failed round, doubling with each failure up
	// to Every (default 30 seconds), with jitter: between half and all of it, so
	// copies of chase.md that failed together do not come back together.
	RetryAfter time.Duration
	// OnEvent receives every event, on the Serve goroutine: keep it quick.
	OnEvent func(Event)
	// Now is the clock that decides when a full sync is due (default time.Now).
	Now func() time.Time
}

// Scheduler runs a Syncer: a round of syncs at once when served, on Trigger,
// and every SchedulerOptions.Every. A tenant gets a full sync when it never had
// one, when one was interrupted, when FullEvery has passed, or when asked;
// otherwise an incremental one.
type Scheduler struct {
	s    *Syncer
	o    SchedulerOptions
	kick chan struct{}

	mu       sync.Mutex
	wantFull bool
	asked    bool // by a person: runs at interactive priority
}

// NewScheduler makes a Scheduler for s.
func NewScheduler(s *Syncer, o SchedulerOptions) *Scheduler {
	if o.Every <= 0 {
		o.Every = 5 * time.Minute
	}
	if o.FullEvery <= 0 {
		o.FullEvery = 24 * time.Hour
	}
	if o.RetryAfter <= 0 {
		o.RetryAfter = 30 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.OnEvent == nil {
		o.OnEvent = func(Event) {}
	}
	return &Scheduler{s: s, o: o, kick: make(chan struct{}, 1)}
}

// Trigger asks for a round of syncs now (after sign-in, "Sync now"), full if
// full. It never blocks: requests made while a round runs start one more round
// when it ends. Triggered rounds run at interactive priority.
func (sc *Scheduler) Trigger(full bool) {
	sc.mu.Lock()
	sc.wantFull = sc.wantFull || full
	sc.asked = true
	sc.mu.Unlock()
	select {
	case sc.kick <- struct{}{}:
	default:
	}
}

// Serve runs rounds until ctx ends and returns ctx's error. Cancelling stops a
// sync between or within pages; the store keeps every page written before.
func (sc *Scheduler) Serve(ctx context.Context) error {
	timer := time.NewTimer(0) // first round at once
	defer timer.Stop()
	failures := 0
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-sc.kick:
		case <-timer.C:
		}
		sc.mu.Lock()
		full, asked := sc.wantFull, sc.asked
		sc.wantFull, sc.asked = false, false
		sc.mu.Unlock()

		err := sc.round(ctx, full, asked)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := sc.o.Every
		if err != nil {
			failures++
			wait = sc.o.RetryAfter
			for i := 1; i < failures && wait < sc.o.Every; i++ {
				wait *= 2
			}
			wait = min(wait, sc.o.Every)
			wait = wait/2 + rand.N(wait/2+1)
			sc.o.OnEvent(Event{Phase: PhaseWaiting, RetryAt: sc.o.Now().Add(wait), Attempt: failures})
		} else {
			failures = 0
		}
		timer.Reset(wait)
	}
}

// round syncs every tenant once and returns the first error.
func (sc *Scheduler) round(ctx context.Context, full, asked bool) error {
	if sc.o.WaitConnected != nil {
		if err := sc.o.WaitConnected(ctx); err != nil {
			return err
		}
	}
	tenants, err := sc.o.Tenants(ctx)
	if err != nil {
		sc.o.OnEvent(Event{Phase: PhaseFailed, Err: err, Error: err.Error()})
		return err
	}
	if asked {
		ctx = rest.WithPriority(ctx, rest.Interactive)
	}
	var first error
	for _, t := range tenants {
		if err := sc.syncTenant(ctx, t, full); err != nil && first == nil {
			first = err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return first
}

func (sc *Scheduler) syncTenant(ctx context.Context, tenantID string, full bool) error {
	st, err := sc.s.st.ContactSyncState(ctx, tenantID)
	if err != nil {
		sc.o.OnEvent(Event{Tenant: tenantID, Phase: PhaseFailed, Err: err, Error: err.Error()})
		return err
	}
	full = full || st.Watermark.IsZero() || st.FullNextPage > 0 || sc.o.Now().Sub(st.LastFullAt) >= sc.o.FullEvery
	sc.o.OnEvent(Event{Tenant: tenantID, Full: full, Phase: PhaseStarted})
	progress := func(p Progress) {
		sc.o.OnEvent(Event{Tenant: tenantID, Full: full, Phase: PhaseProgress, Progress: p})
	}
	var sum Summary
	if full {
		sum, err = sc.s.Full(ctx, tenantID, progress)
	} else {
		sum, err = sc.s.Incremental(ctx, tenantID, progress)
	}
	if err != nil {
		sc.o.OnEvent(Event{Tenant: tenantID, Full: full, Phase: PhaseFailed, Summary: sum, Err: err, Error: Describe(err)})
		return err
	}
	sc.o.OnEvent(Event{Tenant: tenantID, Full: full, Phase: PhaseDone, Summary: sum})
	return nil
}

package rest

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Priority orders calls that wait for the same tenant's budget.
type Priority int

const (
	// Background work (contact sync, job sync) yields to interactive work and
	// stops when the day's budget is down to the reserve.
	Background Priority = iota
	// Interactive work (a user's upload, "Sync now") goes first and may spend
	// the daily reserve.
	Interactive
)

func (p Priority) String() string {
	if p == Interactive {
		return "interactive"
	}
	return "background"
}

type priorityKey struct{}

// WithPriority marks every call made with ctx as p.
func WithPriority(ctx context.Context, p Priority) context.Context {
	return context.WithValue(ctx, priorityKey{}, p)
}

type preconditionKey struct{}

// WithPrecondition makes every call made with ctx run check before each
// attempt, the first and every retry, and end with check's error instead of
// sending. A call may wait minutes in retries and pacing (or a whole night
// in a sleeping laptop); check says whether it should still be sent at all.
func WithPrecondition(ctx context.Context, check func() error) context.Context {
	return context.WithValue(ctx, preconditionKey{}, check)
}

func checkPrecondition(ctx context.Context) error {
	if check, ok := ctx.Value(preconditionKey{}).(func() error); ok {
		return check()
	}
	return nil
}

// PriorityOf is the priority set by WithPriority, Background by default so
// that forgetting to mark work never spends the daily reserve.
func PriorityOf(ctx context.Context) Priority {
	if p, ok := ctx.Value(priorityKey{}).(Priority); ok {
		return p
	}
	return Background
}

// Xero's published limits.
const (
	XeroPerMinute    = 60
	XeroAppPerMinute = 10000
	XeroPerDay       = 5000
	XeroInFlight     = 5
)

var (
	// ErrDailyLimit is the day's budget exhausted (a 429 with
	// X-Rate-Limit-Problem: day). Match with errors.Is; the error is a
	// *DailyLimitError that says when to try again.
	ErrDailyLimit = errors.New("daily API limit reached")
	// ErrDailyBudgetReserved is returned to background work when what is left
	// of the day's budget is kept for interactive work.
	ErrDailyBudgetReserved = errors.New("daily API budget nearly used: background work paused, the rest is kept for uploads")
)

// DailyLimitError is the day's budget exhausted until Reset.
type DailyLimitError struct {
	Tenant string
	Reset  time.Time
}

func (e *DailyLimitError) Error() string {
	return fmt.Sprintf("%v for this organisation until %s", ErrDailyLimit, e.Reset.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrDailyLimit) true.
func (e *DailyLimitError) Is(target error) bool { return target == ErrDailyLimit }

// PacerOption configures Pacers.
type PacerOption func(*pacerConfig)

type pacerConfig struct {
	now          func() time.Time
	minute       time.Duration
	perMinute    int
	appPerMinute int
	inFlight     int
	reserve      int
	margin       float64
}

// WithClock sets the time source (default time.Now). Waits still use real
// timers, so a clock must advance with real time (it may be offset).
func WithClock(now func() time.Time) PacerOption { return func(c *pacerConfig) { c.now = now } }

// WithMinute sets how long "a minute" of rate limit lasts, so tests and
// benchmarks can run against a sandbox whose windows are scaled. The day, the
// backoff and the organisation-offline wait scale with it.
func WithMinute(d time.Duration) PacerOption { return func(c *pacerConfig) { c.minute = d } }

// WithPerMinute sets the per-tenant minute budget (default 60).
func WithPerMinute(n int) PacerOption { return func(c *pacerConfig) { c.perMinute = n } }

// WithAppPerMinute sets the app-wide minute budget across tenants (default 10,000).
func WithAppPerMinute(n int) PacerOption { return func(c *pacerConfig) { c.appPerMinute = n } }

// WithMaxInFlight sets the per-tenant concurrency (default 5).
func WithMaxInFlight(n int) PacerOption { return func(c *pacerConfig) { c.inFlight = n } }

// WithDailyReserve sets how many of the day's calls background work leaves
// for interactive work (default 100).
func WithDailyReserve(n int) PacerOption { return func(c *pacerConfig) { c.reserve = n } }

// WithSafetyMargin lengthens the minute by this fraction (default 0.02) for
// what the pacer cannot see: how coarsely Xero's clock counts its window, and
// the app-wide rate. Jitter in when a request reaches Xero needs no margin: a
// call counts from its grant until a minute after its answer came back.
func WithSafetyMargin(f float64) PacerOption { return func(c *pacerConfig) { c.margin = f } }

// Pacers hands out one Pacer per tenant, so every client of a tenant shares
// its budget, and holds the app-wide minute limiter they all share.
type Pacers struct {
	cfg pacerConfig
	app *rate.Limiter

	mu          sync.Mutex
	tenant      map[string]*Pacer
	pausedUntil time.Time // an app-wide pause, inherited by pacers made during it
}

// NewPacers builds a registry with Xero's limits unless told otherwise.
func NewPacers(opts ...PacerOption) *Pacers {
	c := pacerConfig{now: time.Now, minute: time.Minute, perMinute: XeroPerMinute,
		appPerMinute: XeroAppPerMinute, inFlight: XeroInFlight, reserve: 100, margin: 0.02}
	for _, o := range opts {
		o(&c)
	}
	ps := &Pacers{cfg: c, tenant: map[string]*Pacer{}}
	// A burst of 1% lets tenants start together; with the margin, a minute still never sees more than the limit.
	ps.app = rate.NewLimiter(c.rate(c.appPerMinute), max(1, c.appPerMinute/100))
	return ps
}

// For is the tenant's pacer, created on first use.
func (ps *Pacers) For(tenantID string) *Pacer {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.tenant[tenantID]
	if p == nil {
		p = newPacer(ps, tenantID)
		p.pausedUntil = ps.pausedUntil
		ps.tenant[tenantID] = p
	}
	return p
}

// PauseAll pauses every tenant's calls for d (an app-wide 429), including
// tenants whose pacer does not exist yet.
func (ps *Pacers) PauseAll(d time.Duration) {
	ps.mu.Lock()
	until := ps.now().Add(d)
	if until.After(ps.pausedUntil) {
		ps.pausedUntil = until
	}
	all := make([]*Pacer, 0, len(ps.tenant))
	for _, p := range ps.tenant {
		all = append(all, p)
	}
	ps.mu.Unlock()
	for _, p := range all {
		p.Pause(d)
	}
}

// Minute is the configured length of a rate-limit minute.
func (ps *Pacers) Minute() time.Duration { return ps.cfg.minute }

func (ps *Pacers) now() time.Time { return ps.cfg.now() }

// rate is n calls per minute less the safety margin.
func (c *pacerConfig) rate(n int) rate.Limit {
	return rate.Limit(float64(n) * (1 - c.margin) / c.minute.Seconds())
}

// steady is n calls a minute, evenly spaced.
func (c *pacerConfig) steady(n int) rate.Limit {
	return rate.Limit(float64(n) / c.minute.Seconds())
}

// window is how long after its answer a call still counts against the
// tenant's minute budget: a minute plus the safety margin. Xero counted the
// call at some moment between its grant and its answer; counting it until a
// window after the answer means that however late the request reached Xero
// (a busy machine, a slow connection), Xero's own minute never holds one too many.
func (c *pacerConfig) window() time.Duration {
	return c.minute + time.Duration(float64(c.minute)*c.margin)
}

// smootherBurst lets the steady limiter catch up after a late wake-up; the
// grant log, not the limiter, is what guarantees the minute budget.
const smootherBurst = 3

// burstHeadroom is the share of the minute budget a burst of background calls
// leaves to interactive work, so a person's upload never waits a whole minute
// behind a sync that spent the window at once.
const burstHeadroom = 6 // a sixth: 10 of Xero's 60

// Stats are a tenant's counters since the pacer was made.
type Stats struct {
	Calls        int64 // requests sent
	Throttled    int64 // 429 answers
	Retries      int64 // attempts after the first
	DayRemaining int   // last X-DayLimit-Remaining, less calls since; -1 if unknown
	MinRemaining int   // last X-MinLimit-Remaining; -1 if unknown
	Foreign      int   // calls in the current minute made by someone else, as estimated
}

// Pacer paces one tenant's calls: at most MaxInFlight at once, the steady
// per-minute rate, the app-wide rate, server-imposed pauses (Retry-After) and
// the daily budget. Waiting calls are served interactive first, then in order
// of arrival.
//
// All of that is one decision taken under one mutex by the call at the head
// of a priority queue, rather than a chain of separate waits (a token channel,
// then a limiter): a chain would let a background call that got its
// concurrency token first hold it while an interactive call waits behind it.
type Pacer struct {
	ps     *Pacers
	tenant string

	mu          sync.Mutex
	limiter     *rate.Limiter
	inFlight    int
	queue       waitQueue
	seq         uint64
	changed     chan struct{} // closed and replaced whenever a waiter may proceed
	pausedUntil time.Time
	recent      []*call // our calls in flight or answered within the last window, in order of grant
	foreign     int
	day         struct {
		known          bool
		remaining      int
		at             time.Time
		exhaustedUntil time.Time
	}
	minRemaining int
	stats        Stats
}

func newPacer(ps *Pacers, tenant string) *Pacer {
	return &Pacer{ps: ps, tenant: tenant, changed: make(chan struct{}), minRemaining: -1,
		limiter: rate.NewLimiter(ps.cfg.steady(ps.cfg.perMinute), smootherBurst)}
}

// call is one granted request as the minute budget sees it.
type call struct {
	granted  time.Time
	answered time.Time // zero while in flight
}

// counts says whether the call may still be in Xero's minute at now.
func (c *call) counts(now time.Time, window time.Duration) bool {
	return c.answered.IsZero() || c.answered.Add(window).After(now)
}

// ticket is a granted call: answered marks when its response (or its error)
// came back, done ends it.
type ticket struct {
	p    *Pacer
	c    *call
	once sync.Once
}

func (t *ticket) answered() {
	t.p.mu.Lock()
	t.p.answerLocked(t.c)
	t.p.mu.Unlock()
}

func (t *ticket) done() { t.once.Do(func() { t.p.release(t.c) }) }

type waiter struct {
	prio  Priority
	seq   uint64
	index int
}

// waitQueue is a heap: higher priority first, then first come.
type waitQueue []*waiter

func (q waitQueue) Len() int { return len(q) }
func (q waitQueue) Less(i, j int) bool {
	if q[i].prio != q[j].prio {
		return q[i].prio > q[j].prio
	}
	return q[i].seq < q[j].seq
}
func (q waitQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *waitQueue) Push(x any) {
	w := x.(*waiter)
	w.index = len(*q)
	*q = append(*q, w)
}
func (q *waitQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	w.index = -1
	return w
}

func (p *Pacer) broadcastLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// Acquire waits for the tenant's turn to send one request and returns the
// function that ends it, which must be called once the response is done with.
// Background calls get ErrDailyBudgetReserved near the end of the day's
// budget; every call gets a *DailyLimitError while the day's limit is hit.
//
// The call counts against the minute budget until a window after release (a
// caller that can tell when the answer came, as Client does, tells the pacer
// then, so that reading a long body does not hold the budget).
func (p *Pacer) Acquire(ctx context.Context, prio Priority) (release func(), err error) {
	t, err := p.acquire(ctx, prio)
	if err != nil {
		return nil, err
	}
	return t.done, nil
}

// acquire is Acquire with the ticket that also says when, by the pacer's
// clock, the call was let go, and can mark its answer.
func (p *Pacer) acquire(ctx context.Context, prio Priority) (*ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.seq++
	w := &waiter{prio: prio, seq: p.seq}
	heap.Push(&p.queue, w)
	p.broadcastLocked()
	for {
		now := p.ps.now()
		if err := p.dayCheckLocked(now, prio); err != nil {
			p.leaveLocked(w)
			p.mu.Unlock()
			return nil, err
		}
		wait := time.Duration(-1) // until something changes
		if p.queue[0] == w {
			var ok bool
			if wait, ok = p.readyLocked(now, w.prio); ok {
				p.leaveLocked(w)
				c := p.grantLocked(now)
				p.mu.Unlock()
				return &ticket{p: p, c: c}, nil
			}
		}
		changed := p.changed
		p.mu.Unlock()
		err := sleep(ctx, wait, changed)
		p.mu.Lock()
		if err != nil {
			p.leaveLocked(w)
			p.mu.Unlock()
			return nil, err
		}
	}
}

func (p *Pacer) leaveLocked(w *waiter) {
	if w.index >= 0 {
		heap.Remove(&p.queue, w.index)
		p.broadcastLocked()
	}
}

// readyLocked says whether a call of priority prio may start now, and if not
// how long until it might (-1: until another call ends).
func (p *Pacer) readyLocked(now time.Time, prio Priority) (time.Duration, bool) {
	if p.inFlight >= p.ps.cfg.inFlight {
		return -1, false
	}
	if now.Before(p.pausedUntil) {
		return p.pausedUntil.Sub(now), false
	}
	// The hard limit: a log of our calls, as Xero counts its sliding minute.
	cfg := p.ps.cfg
	p.trimLocked(now, cfg.window())
	budget := cfg.perMinute - p.foreign
	if len(p.recent) >= budget {
		return p.untilBudgetLocked(len(p.recent)-budget+1, cfg.window(), now), false
	}
	// While the window has budget to spare, a call goes at once: a 10-call
	// sync takes the time of its 10 answers, not 10 s. Past that the smoother
	// spreads what is left over the minute. Background bursts stop short of
	// the whole budget, leaving room for interactive calls.
	burst := budget
	if prio == Background {
		burst -= cfg.perMinute / burstHeadroom
	}
	if len(p.recent) >= burst {
		if d := untilToken(p.limiter, now); d > 0 {
			return d, false
		}
	}
	// The app limiter is shared with other tenants' pacers: take its token atomically.
	if !p.ps.app.AllowN(now, 1) {
		return max(untilToken(p.ps.app, now), 100*time.Microsecond), false
	}
	return 0, true
}

// untilToken is how long until lim has a whole token at its current rate.
func untilToken(lim *rate.Limiter, now time.Time) time.Duration {
	tokens := lim.TokensAt(now)
	if tokens >= 1 {
		return 0
	}
	secs := (1 - tokens) / float64(lim.Limit())
	// Round up so that waking never finds 0.9999 of a token and spins.
	return time.Duration(math.Ceil(secs*1e9)) + 100*time.Microsecond
}

// untilBudgetLocked is how long until n of the logged calls stop counting
// (-1: not before more answers come back).
func (p *Pacer) untilBudgetLocked(n int, window time.Duration, now time.Time) time.Duration {
	var ends []time.Time
	for _, c := range p.recent {
		if !c.answered.IsZero() {
			ends = append(ends, c.answered.Add(window))
		}
	}
	if len(ends) < n {
		return -1
	}
	slices.SortFunc(ends, time.Time.Compare)
	return ends[n-1].Sub(now) + 100*time.Microsecond
}

func (p *Pacer) grantLocked(now time.Time) *call {
	p.limiter.AllowN(now, 1)
	p.inFlight++
	p.stats.Calls++
	c := &call{granted: now}
	p.recent = append(p.recent, c)
	if p.day.known && p.day.remaining > 0 {
		p.day.remaining--
	}
	// Whoever is head now may proceed too (up to MaxInFlight).
	p.broadcastLocked()
	return c
}

// answerLocked starts the countdown after which c no longer counts.
func (p *Pacer) answerLocked(c *call) {
	if c.answered.IsZero() {
		c.answered = p.ps.now()
		p.broadcastLocked()
	}
}

func (p *Pacer) release(c *call) {
	p.mu.Lock()
	p.answerLocked(c)
	p.inFlight--
	p.broadcastLocked()
	p.mu.Unlock()
}

func (p *Pacer) dayCheckLocked(now time.Time, prio Priority) error {
	if now.Before(p.day.exhaustedUntil) {
		return &DailyLimitError{Tenant: p.tenant, Reset: p.day.exhaustedUntil}
	}
	if p.day.known && now.Sub(p.day.at) > p.day24() {
		p.day.known = false // a day old: no longer tells us anything
	}
	// Only a fresh figure holds background work back: after an hour without
	// one, a background call may go and bring a new X-DayLimit-Remaining
	// (Xero's day is rolling, so the budget comes back gradually).
	fresh := now.Sub(p.day.at) < 60*p.ps.cfg.minute
	if prio == Background && p.day.known && fresh && p.day.remaining <= p.ps.cfg.reserve {
		return fmt.Errorf("%w (%d left today)", ErrDailyBudgetReserved, p.day.remaining)
	}
	return nil
}

func (p *Pacer) day24() time.Duration { return 24 * 60 * p.ps.cfg.minute }

// sleep waits d (forever if d < 0) or until changed is closed or ctx is done.
func sleep(ctx context.Context, d time.Duration, changed <-chan struct{}) error {
	if d < 0 {
		select {
		case <-changed:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-changed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pause stops the tenant's calls for d from now (a Retry-After), keeping any
// longer pause already in force.
func (p *Pacer) Pause(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := p.ps.now().Add(d); until.After(p.pausedUntil) {
		p.pausedUntil = until
		p.broadcastLocked()
	}
}

// PausedUntil is the end of the current server-imposed pause, if any.
func (p *Pacer) PausedUntil() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pausedUntil
}

// DayExhausted records a 429 "day" answer: every call fails until reset.
func (p *Pacer) DayExhausted(reset time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.day.exhaustedUntil = reset
	p.day.known, p.day.remaining, p.day.at = true, 0, p.ps.now()
	p.broadcastLocked()
}

// Throttled counts a 429.
func (p *Pacer) throttled() {
	p.mu.Lock()
	p.stats.Throttled++
	p.mu.Unlock()
}

func (p *Pacer) retried() {
	p.mu.Lock()
	p.stats.Retries++
	p.mu.Unlock()
}

// Observe reads Xero's remaining-limit headers from a response.
func (p *Pacer) Observe(h interface{ Get(string) string }) {
	now := p.ps.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, err := strconv.Atoi(h.Get("X-DayLimit-Remaining")); err == nil {
		p.day.known, p.day.remaining, p.day.at = true, v, now
	}
	v, err := strconv.Atoi(h.Get("X-MinLimit-Remaining"))
	if err != nil {
		return
	}
	p.minRemaining = v
	p.observeMinuteLocked(now, v)
}

// observeMinuteLocked compares what Xero says is left of the minute with
// what we used: the difference is someone else's calls on this tenant (another
// app, another copy of chase.md), and our steady rate gives way to them.
func (p *Pacer) observeMinuteLocked(now time.Time, remaining int) {
	cfg := p.ps.cfg
	p.trimLocked(now, cfg.window())
	cut := now.Add(-cfg.minute)
	ours := 0
	for _, c := range p.recent {
		if c.granted.After(cut) {
			ours++
		}
	}
	foreign := cfg.perMinute - remaining - ours
	if foreign <= 2 { // in-flight calls and clock skew blur a call or two
		foreign = 0
	}
	foreign = min(foreign, cfg.perMinute-1)
	if foreign == p.foreign {
		return
	}
	p.foreign = foreign
	p.limiter.SetLimitAt(now, cfg.steady(cfg.perMinute-foreign))
	p.broadcastLocked()
}

// trimLocked forgets calls that no longer count.
func (p *Pacer) trimLocked(now time.Time, window time.Duration) {
	p.recent = slices.DeleteFunc(p.recent, func(c *call) bool { return !c.counts(now, window) })
}

// Stats returns the tenant's counters.
func (p *Pacer) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats
	s.DayRemaining, s.MinRemaining, s.Foreign = -1, p.minRemaining, p.foreign
	if p.day.known {
		s.DayRemaining = p.day.remaining
	}
	return s
}

// Waiting is how many calls are queued for the tenant's turn.
func (p *Pacer) Waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.queue)
}

func (p *Pacer) inFlightNow() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.inFlight
}

package core

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/rest"
	"chase.md/backend/syncer"
)

// ConnKind is where chase.md stands with Xero, one answer for every screen
// and the command line.
type ConnKind string

// The connection's kinds.
const (
	ConnSignedOut   ConnKind = "signed_out"  // no sign-in yet, or signed out
	ConnConnected   ConnKind = "connected"   // signed in; Xero answers
	ConnSyncing     ConnKind = "syncing"     // a contact sync is bringing pages in
	ConnUnreachable ConnKind = "unreachable" // Xero does not answer (or answers 5xx): retrying
	ConnReauth      ConnKind = "reauth"      // Xero refused the sign-in: sign in again
	ConnLimit       ConnKind = "limit"       // Xero's daily call limit is spent until Until
)

// ConnState is the connection's state as shown everywhere. It holds no
// error text: the detail goes to the log, the screens get Message.
type ConnState struct {
	Kind ConnKind `json:"kind"`
	// Until is the next try (unreachable) or when Xero's day resets (limit).
	Until time.Time `json:"until,omitzero"`
	// Attempt counts the failed tries in a row (unreachable).
	Attempt   int `json:"attempt,omitempty"`
	Page      int `json:"page,omitempty"`      // syncing
	PageCount int `json:"pageCount,omitempty"` // syncing; 0 when Xero did not say
	// Message is the state in one sentence with its next step.
	Message string `json:"message"`
	// Since is when Kind last changed.
	Since time.Time `json:"since"`
}

// connMachine owns the connection's state. It is fed by the sign-in (auth
// state), by every call to Xero (rest's observer) and by the sync schedule,
// and tells notify of every change. Safe for concurrent use.
type connMachine struct {
	log    *slog.Logger
	now    func() time.Time
	notify func(ConnState)

	notifyMu sync.Mutex // one notify at a time (see update)

	mu       sync.Mutex
	auth     auth.State
	syncing  bool
	page     int
	pages    int
	down     bool // Xero did not answer the last call
	downAt   time.Time
	attempts int
	limit    time.Time // Xero's daily limit spent until then
	limitT   *time.Timer
	st       ConnState
	changed  chan struct{} // closed and replaced on every change
}

func newConnMachine(log *slog.Logger, now func() time.Time, notify func(ConnState)) *connMachine {
	if now == nil {
		now = time.Now
	}
	m := &connMachine{log: log, now: now, notify: notify, changed: make(chan struct{})}
	m.st = m.derive()
	m.st.Since = now()
	return m
}

// State is the current state.
func (m *connMachine) State() ConnState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st
}

// Changed is closed at the next change of state.
func (m *connMachine) Changed() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changed
}

// Auth takes the sign-in's state.
func (m *connMachine) Auth(st auth.State) {
	m.update(func() {
		if st != m.auth && st != auth.Connected {
			m.down, m.attempts, m.syncing = false, 0, false
		}
		m.auth = st
	})
}

// Attempt takes the outcome of one call to Xero (rest.WithObserver).
func (m *connMachine) Attempt(a rest.Attempt) {
	m.update(func() {
		switch {
		case !a.DailyReset.IsZero():
			m.setLimitLocked(a.DailyReset)
		case a.Err != nil:
			if !m.down || m.attempts == 0 {
				m.log.Warn("xero unreachable", "tenant", a.Tenant, "err", a.Err)
			} else {
				m.log.Debug("xero unreachable", "tenant", a.Tenant, "err", a.Err, "retry", a.Retry)
			}
			m.down = true
			m.attempts++
			m.downAt = a.RetryAt
		default:
			if m.down {
				m.log.Info("xero answers again", "after_failures", m.attempts)
			}
			m.down, m.attempts, m.downAt = false, 0, time.Time{}
		}
	})
}

// Sync takes the sync schedule's events.
func (m *connMachine) Sync(e syncer.Event) {
	m.update(func() {
		switch e.Phase {
		case syncer.PhaseStarted:
			m.syncing, m.page, m.pages = true, 0, 0
		case syncer.PhaseProgress:
			m.syncing, m.page, m.pages = true, e.Progress.Page, e.Progress.PageCount
			m.down, m.attempts, m.downAt = false, 0, time.Time{} // a page came in: Xero answers
		case syncer.PhaseDone:
			m.syncing = false
		case syncer.PhaseFailed:
			m.syncing = false
			var dl *rest.DailyLimitError
			switch {
			case errors.As(e.Err, &dl):
				m.setLimitLocked(dl.Reset)
			case rest.Unreachable(e.Err) && !m.down:
				m.down, m.attempts = true, 1
				m.log.Warn("sync: xero unreachable", "tenant", e.Tenant, "err", e.Err)
			}
		case syncer.PhaseWaiting:
			// The schedule's next round is the next try once the calls gave up.
			if m.down && (m.downAt.IsZero() || m.downAt.Before(m.now())) {
				m.downAt = e.RetryAt
			}
		}
	})
}

// setLimitLocked records Xero's daily limit and recomputes the state when it
// resets, so "limit reached" never outlives it.
func (m *connMachine) setLimitLocked(until time.Time) {
	m.limit = until
	if m.limitT != nil {
		m.limitT.Stop()
	}
	if d := until.Sub(m.now()); d > 0 {
		m.limitT = time.AfterFunc(d, func() { m.update(func() {}) })
	}
}

// update applies f and tells notify when the state changed.
func (m *connMachine) update(f func()) {
	m.mu.Lock()
	f()
	st := m.derive()
	old := m.st
	st.Since = old.Since
	if st.Kind != old.Kind {
		st.Since = m.now()
	}
	if st == old {
		m.mu.Unlock()
		return
	}
	m.st = st
	close(m.changed)
	m.changed = make(chan struct{})
	m.mu.Unlock()
	if st.Kind != old.Kind {
		m.log.Info("connection", "state", string(st.Kind), "until", st.Until, "attempt", st.Attempt)
	}
	if m.notify != nil {
		// Updates race from several goroutines: notify one at a time, each
		// with the state as it is then, so the last told is the latest.
		m.notifyMu.Lock()
		defer m.notifyMu.Unlock()
		m.notify(m.State())
	}
}

// derive is the state from what is known, most urgent first: a sign-in
// problem blocks everything, then a spent day, then Xero not answering.
func (m *connMachine) derive() ConnState {
	now := m.now()
	switch {
	case m.auth == auth.SignedOut:
		return ConnState{Kind: ConnSignedOut, Message: "chase.md is not connected to Xero. Sign in under Settings › Xero connection, or try the demo."}
	case m.auth == auth.ReconnectNeeded:
		return ConnState{Kind: ConnReauth, Message: "Xero needs you to sign in again. Uploads and syncs are paused and continue after you reconnect."}
	case m.limit.After(now):
		return ConnState{Kind: ConnLimit, Until: m.limit, Message: fmt.Sprintf(
			"Xero's daily limit for this organisation is used up until %s. Uploads and syncs wait and carry on by themselves.", Clock(m.limit, now))}
	case m.down:
		st := ConnState{Kind: ConnUnreachable, Attempt: m.attempts, Until: m.downAt}
		if m.downAt.IsZero() {
			st.Message = "chase.md can't reach Xero. It keeps trying; check this computer's internet connection."
		} else {
			st.Message = fmt.Sprintf("chase.md can't reach Xero — retrying at %s (attempt %d). Check this computer's internet connection, or retry now.", Clock(m.downAt, now), m.attempts+1)
		}
		return st
	case m.syncing:
		st := ConnState{Kind: ConnSyncing, Page: m.page, PageCount: m.pages, Message: "Syncing your clients from Xero…"}
		if m.pages > 0 {
			st.Message = fmt.Sprintf("Syncing your clients from Xero: page %d of %d.", m.page, m.pages)
		}
		return st
	}
	return ConnState{Kind: ConnConnected, Message: "Connected to Xero."}
}

// Clock is t as a person reads it beside now: "14:18", "14:18 tomorrow",
// or "14:18 on Mon 7 Dec" (local time).
func Clock(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	hm := t.Format("15:04")
	y1, m1, d1 := now.Date()
	y2, m2, d2 := t.Date()
	switch {
	case y1 == y2 && m1 == m2 && d1 == d2:
		return hm
	case now.AddDate(0, 0, 1).Format("2006-01-02") == t.Format("2006-01-02"):
		return hm + " tomorrow"
	}
	return hm + " on " + t.Format("Mon 2 Jan")
}

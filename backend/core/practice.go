package core

import (
	"context"
	"errors"
	"time"

	"chase.md/backend/chase"
	"chase.md/backend/rest"
	"chase.md/backend/syncer"
	"chase.md/backend/xpm"
)

// PracticeEvent reports an XPM sync for the UI.
type PracticeEvent struct {
	Phase  string           `json:"phase"` // syncer.PhaseStarted, PhaseDone, PhaseFailed
	Result chase.SyncResult `json:"result"`
	Error  string           `json:"error,omitempty"`
}

// XPM is the Practice Manager client of the practice tenant; it shares the
// rest client, so the XPM tenant gets its own pacer from the same registry.
func (s *Session) XPM(practiceTenantID string) *xpm.Client {
	return xpm.New(s.rc, practiceTenantID)
}

// Chase is the chase list of the main organisation (nil before one is chosen).
func (s *Session) Chase(ctx context.Context) (*chase.Service, error) {
	c, err := s.Choice(ctx)
	if err != nil {
		return nil, err
	}
	if c.Main() == "" {
		return nil, ErrNoOrganisation
	}
	ch := chase.New(s.DB, c.Main())
	// Without XPM (no practice connected, or access refused) the jobs read
	// earlier are stale: the list, its exports and emails are the clients
	// marked by hand.
	off := c.Practice == nil
	if !off {
		st, err := ch.Status(ctx)
		if err != nil {
			return nil, err
		}
		off = st.NoAccess
	}
	if off {
		ch = chase.New(s.DB, c.Main(), chase.HandMarkedOnly())
	}
	return ch, nil
}

// ErrNoOrganisation means no organisation has been chosen yet.
var ErrNoOrganisation = errors.New("no Xero organisation chosen yet: sign in and pick the organisation that holds your clients")

// SyncPractice reads XPM into the store for the main organisation. Without a
// practice tenant it does nothing: the chase list then comes from clients
// marked by hand.
// Whoever asks for it (the schedule, a test, the CLI), the sync is reported
// to Events.Practice: the app's chase list is rebuilt on it.
func (s *Session) SyncPractice(ctx context.Context) (chase.SyncResult, error) {
	c, err := s.Choice(ctx)
	if err != nil || c.Main() == "" || c.Practice == nil {
		return chase.SyncResult{}, err
	}
	s.emitPractice(PracticeEvent{Phase: syncer.PhaseStarted})
	res, err := s.syncPractice(ctx, c)
	switch {
	case ctx.Err() != nil:
	case err != nil:
		s.emitPractice(PracticeEvent{Phase: syncer.PhaseFailed, Error: err.Error()})
	default:
		s.emitPractice(PracticeEvent{Phase: syncer.PhaseDone, Result: res})
	}
	return res, err
}

func (s *Session) syncPractice(ctx context.Context, c Choice) (chase.SyncResult, error) {
	res, err := chase.SyncXPM(rest.WithPriority(ctx, rest.Background), s.DB, s.XPM(c.Practice.ID), c.Main())
	if err == nil && s.Sandbox != nil {
		// XPM's API lists states without their Interface Codes; in demo mode
		// the practice is the demo's own, which says them, as a practice's
		// XPM admin screen would.
		codes := map[string]string{}
		for _, st := range s.Sandbox.Practice().States() {
			codes[st.Name] = st.Code
		}
		if err := chase.New(s.DB, c.Main()).SetStateCodes(ctx, codes); err != nil {
			return res, err
		}
	}
	return res, err
}

// onSync follows each finished contact sync with an XPM sync (same schedule),
// handed to servePractice so the scheduler's goroutine never waits on XPM.
func (s *Session) onSync(e syncer.Event) {
	s.conn.Sync(e)
	s.logSync(e)
	if s.events.Sync != nil {
		s.events.Sync(e)
	}
	if e.Phase == syncer.PhaseDone {
		select {
		case s.practiceKick <- struct{}{}:
		default:
		}
	}
}

// SyncPracticeNow asks for an XPM sync without waiting for it.
func (s *Session) SyncPracticeNow() {
	select {
	case s.practiceKick <- struct{}{}:
	default:
	}
}

func (s *Session) servePractice(ctx context.Context) error {
	for {
		select {
		case <-s.practiceKick:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := s.Conn.WaitConnected(ctx); err != nil {
			return err
		}
		_, err := s.SyncPractice(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			// Recorded by chase (including "no access"); the next round tries again.
			s.log.Warn("practice manager sync", "err", err)
		}
		// At most one XPM sync a minute, however often contacts sync.
		select {
		case <-time.After(time.Minute):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Session) emitPractice(e PracticeEvent) {
	if s.events.Practice != nil {
		s.events.Practice(e)
	}
}

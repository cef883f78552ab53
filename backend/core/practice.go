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
func (s *Session) SyncPractice(ctx context.Context) (chase.SyncResult, error) {
	c, err := s.Choice(ctx)
	if err != nil || c.Main() == "" || c.Practice == nil {
		return chase.SyncResult{}, err
	}
	return chase.SyncXPM(rest.WithPriority(ctx, rest.Background), s.DB, s.XPM(c.Practice.ID), c.Main())
}

// onSync follows each finished contact sync with an XPM sync (same schedule),
// handed to servePractice so the scheduler's goroutine never waits on XPM.
func (s *Session) onSync(e syncer.Event) {
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
		s.emitPractice(PracticeEvent{Phase: syncer.PhaseStarted})
		res, err := s.SyncPractice(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			// Recorded by chase (including "no access"); the next round tries again.
			s.log.Warn("practice manager sync", "err", err)
			s.emitPractice(PracticeEvent{Phase: syncer.PhaseFailed, Error: err.Error()})
		default:
			s.emitPractice(PracticeEvent{Phase: syncer.PhaseDone, Result: res})
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

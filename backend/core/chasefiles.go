package core

import (
	"cmp"
	"context"
	"errors"
	"time"

	"chase.md/backend/chase"
	"chase.md/backend/rest"
)

// ChaseFiles paces the background refresh of the chase list's files in Xero,
// which its "documents since" counts (backend/chase keeps a local copy; the
// client page fills it too). Zero values take the defaults below: a round
// every 15 minutes, at most 6 contacts a round, each contact at most every
// 6 hours, all at background priority, so it yields to the user's work,
// stops at the day's reserve and costs at most 24 of the organisation's
// calls an hour.
type ChaseFiles struct {
	First    time.Duration // from Serve to the first round (default 10 s)
	Every    time.Duration // between rounds (default 15 min)
	PerRound int           // contacts asked about in one round (default 6)
	MaxAge   time.Duration // how long a contact's list is fresh (default 6 h)
}

const chaseFilesRoundLimit = 5 * time.Minute // the longest one round may take

func (c ChaseFiles) withDefaults() ChaseFiles {
	return ChaseFiles{
		First:    cmp.Or(c.First, 10*time.Second),
		Every:    cmp.Or(c.Every, 15*time.Minute),
		PerRound: cmp.Or(c.PerRound, 6),
		MaxAge:   cmp.Or(c.MaxAge, 6*time.Hour),
	}
}

// RefreshChaseFiles is one round of the refresh: the contacts on the chase
// list whose files in Xero were not listed within MaxAge, at most PerRound.
// With no organisation chosen yet there is nothing to refresh.
func (s *Session) RefreshChaseFiles(ctx context.Context) (chase.RefreshResult, error) {
	ch, err := s.Chase(ctx)
	if errors.Is(err, ErrNoOrganisation) {
		return chase.RefreshResult{}, nil
	}
	if err != nil {
		return chase.RefreshResult{}, err
	}
	rows, err := ch.List(ctx, chase.Query{})
	if err != nil {
		return chase.RefreshResult{}, err
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.ContactID != "" {
			ids = append(ids, r.ContactID)
		}
	}
	ctx, cancel := context.WithTimeout(rest.WithPriority(ctx, rest.Background), chaseFilesRoundLimit)
	defer cancel()
	res, err := ch.RefreshXeroFiles(ctx, s.Xero(ch.TenantID()), ids, chase.Refresh{MaxAge: s.chaseFiles.MaxAge, Limit: s.chaseFiles.PerRound})
	// Whoever ran the round, the list's readers learn that it may have changed.
	if res.Asked > 0 && s.events.ChaseFiles != nil {
		s.events.ChaseFiles(res)
	}
	return res, err
}

// serveChaseFiles runs a refresh round on the ChaseFiles schedule while
// connected, until ctx ends. A failed round is tried again at the next one;
// the list shows what is known meanwhile.
func (s *Session) serveChaseFiles(ctx context.Context) error {
	t := time.NewTimer(s.chaseFiles.First)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := s.Conn.WaitConnected(ctx); err != nil {
			return err
		}
		res, err := s.RefreshChaseFiles(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Info("chase: files in Xero not refreshed", "asked", res.Asked, "due", res.Due, "err", err)
		}
		t.Reset(s.chaseFiles.Every)
	}
}

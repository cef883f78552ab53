package remind

import (
	"context"
	"time"
)

// ServeEvery is how often Serve plans the day and sends what is due.
var ServeEvery = time.Minute

// Serve sends, until ctx ends, the reminders of automatic plans as they fall
// due within their plan's hours, and retries temporary failures as their
// backoff ends. It first marks reminders a crashed process left "sending"
// as unsure (never resent). changed, if not nil, is called after a round
// that changed anything. kick (may be nil) asks for a round now.
func (s *Service) Serve(ctx context.Context, kick <-chan struct{}, changed func()) error {
	if s.sender == nil {
		return s.noSender()
	}
	if n, err := s.Recover(ctx); err != nil {
		return err
	} else if n > 0 && changed != nil {
		changed()
	}
	t := time.NewTicker(ServeEvery)
	defer t.Stop()
	for {
		n, err := s.Round(ctx)
		if err != nil && ctx.Err() == nil && s.errLog != nil {
			s.errLog(err)
		}
		if n > 0 && changed != nil {
			changed()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-kick:
		}
	}
}

// Round plans the day, then sends the automatic plans' due reminders (within
// their hours) and the retries whose time has come. It returns how many
// reminders it planned or sent (or stopped, or failed).
func (s *Service) Round(ctx context.Context) (int, error) {
	planned, err := s.PlanDay(ctx)
	if err != nil {
		return 0, err
	}
	plans, err := s.plansByID(ctx)
	if err != nil {
		return planned, err
	}
	now := s.now()
	its, err := s.items(ctx, `(status IN ('due', 'snoozed') AND automatic = 1 AND due <= ?) OR (status = 'retry' AND retry_at <= ?)`,
		dayString(dayOf(now, s.loc)), now.UnixMilli())
	if err != nil {
		return planned, err
	}
	var ids []int64
	for _, it := range its {
		p, ok := plans[it.PlanID]
		if it.Status == StatusRetry || (ok && p.inHours(now, s.loc)) {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) == 0 {
		return planned, nil
	}
	done, err := s.Send(ctx, ids...)
	return planned + len(done), err
}

package remind

import (
	"context"
	"fmt"
	"strings"
)

// DueToday plans today's reminders and lists the queue: everything due by
// today that a person may act on (due, retrying, failed, unsure), then what
// was sent, skipped or stopped today.
func (s *Service) DueToday(ctx context.Context) ([]Item, error) {
	if _, err := s.PlanDay(ctx); err != nil {
		return nil, err
	}
	today := dayOf(s.now(), s.loc)
	startOfDay := todayStart(s)
	its, err := s.items(ctx, `(due <= ? AND status IN ('due', 'snoozed', 'retry', 'sending', 'failed', 'unsure')) OR updated_at >= ?`,
		dayString(today), startOfDay)
	if err != nil {
		return nil, err
	}
	// Those needing a person first.
	out := make([]Item, 0, len(its))
	for _, pass := range []bool{true, false} {
		for _, it := range its {
			if open(it.Status) == pass {
				out = append(out, it)
			}
		}
	}
	return out, nil
}

func todayStart(s *Service) int64 {
	d := dayOf(s.now(), s.loc)
	y, m, dd := d.Date()
	return timeDate(y, int(m), dd, s).UnixMilli()
}

// Edit replaces a due reminder's words; they are sent as written.
func (s *Service) Edit(ctx context.Context, id int64, subject, body string) (Item, error) {
	subject = strings.Join(strings.Fields(subject), " ")
	if subject == "" || strings.TrimSpace(body) == "" {
		return Item{}, &InputError{"the email needs a subject and a message"}
	}
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET subject = ?, body = ?, edited = 1, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND status IN ('due', 'snoozed', 'retry', 'failed')`, subject, body, s.now().UnixMilli(), s.tenant, id)
	if err != nil {
		return Item{}, fmt.Errorf("remind: edit reminder %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.notDue(ctx, id)
	}
	return s.item(ctx, id)
}

func (s *Service) notDue(ctx context.Context, id int64) (Item, error) {
	it, err := s.item(ctx, id)
	if err != nil {
		return it, err
	}
	return it, fmt.Errorf("%w (it is %s)", ErrNotDue, it.Status)
}

// Skip does not send this step; the next follows the plan's cadence.
func (s *Service) Skip(ctx context.Context, id int64) (Item, error) {
	it, err := s.item(ctx, id)
	if err != nil {
		return it, err
	}
	if !open(it.Status) || it.Status == StatusSending {
		return s.notDue(ctx, id)
	}
	return s.finish(ctx, it, StatusSkipped, "skipped by a person", "Skipped")
}

// Snooze puts a due reminder off by days business days of its plan.
func (s *Service) Snooze(ctx context.Context, id int64, days int) (Item, error) {
	if days < 1 || days > 60 {
		return Item{}, &InputError{"snooze for 1 to 60 days"}
	}
	it, err := s.item(ctx, id)
	if err != nil {
		return it, err
	}
	plans, err := s.plansByID(ctx)
	if err != nil {
		return it, err
	}
	p, ok := plans[it.PlanID]
	if !ok {
		p = DefaultPlan(it.PlanID, "")
	}
	due := dayString(p.addBusinessDays(dayOf(s.now(), s.loc), days))
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET status = 'snoozed', due = ?, retry_at = 0, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND status IN ('due', 'snoozed', 'retry', 'failed')`, due, s.now().UnixMilli(), s.tenant, id)
	if err != nil {
		return it, fmt.Errorf("remind: snooze reminder %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.notDue(ctx, id)
	}
	it, err = s.item(ctx, id)
	if err == nil {
		it.Reason = "snoozed until " + due
		s.logItem(it, "Snoozed")
	}
	return it, err
}

// ResolveUnsure records what a person found in the practice's Sent items
// for a reminder that may have been sent: sent, or not (due again).
func (s *Service) ResolveUnsure(ctx context.Context, id int64, wasSent bool) (Item, error) {
	now := s.now().UnixMilli()
	q := `UPDATE remind_items SET status = 'due', error = '', error_code = '', updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'unsure'`
	args := []any{now, s.tenant, id}
	if wasSent {
		q = `UPDATE remind_items SET status = 'sent', sent_at = sending_at, error = '', error_code = '', updated_at = ? WHERE tenant_id = ? AND id = ? AND status = 'unsure'`
	}
	res, err := s.db.SQL().ExecContext(ctx, q, args...)
	if err != nil {
		return Item{}, fmt.Errorf("remind: reminder %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.notDue(ctx, id)
	}
	it, err := s.item(ctx, id)
	if err == nil {
		s.logItem(it, map[bool]string{true: "Found in Sent items", false: "Not found in Sent items, due again"}[wasSent])
	}
	return it, err
}

// Client is a client's reminders: the controls, the next one and every
// reminder so far with the email as sent, newest first.
func (s *Service) Client(ctx context.Context, clientKey string) (Client, error) {
	key := strings.TrimSpace(clientKey)
	out := Client{ClientKey: key, History: []Item{}, Next: Next{ClientKey: key}}
	ctls, err := s.controls(ctx)
	if err != nil {
		return out, err
	}
	c := ctls[strings.ToLower(key)]
	out.Paused, out.OptedOut, out.Stopped = c.paused, c.optedOut, c.stopped
	nexts, err := s.Next(ctx)
	if err != nil {
		return out, err
	}
	for _, n := range nexts {
		if strings.EqualFold(n.ClientKey, key) {
			out.Next = n
		}
	}
	its, err := s.items(ctx, `client_key = ? COLLATE NOCASE`, key)
	if err != nil {
		return out, err
	}
	for i := len(its) - 1; i >= 0; i-- {
		out.History = append(out.History, its[i])
	}
	return out, nil
}

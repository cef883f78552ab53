package remind

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"chase.md/backend/chase"
)

// client is one client of the chase list with what planning needs.
type client struct {
	key   string
	rows  []chase.Row // in the list's order (SortDue)
	cycle int64       // when its chase began (ms): the earliest WaitingSince
	plan  Plan
	ctl   control
}

// clients builds the chase list and groups it by client, with each one's plan
// (that of its first job's state; "manual" for a hand-marked client) and controls.
func (s *Service) clients(ctx context.Context) ([]*client, error) {
	rows, err := s.chase.Build(ctx)
	if err != nil {
		return nil, err
	}
	plans, err := s.plansByID(ctx)
	if err != nil {
		return nil, err
	}
	ctls, err := s.controls(ctx)
	if err != nil {
		return nil, err
	}
	rows = chase.Select(rows, chase.Query{Sort: chase.SortDue}, s.now())
	byKey := map[string]*client{}
	var out []*client
	for _, r := range rows {
		k := strings.ToLower(r.ClientKey)
		c := byKey[k]
		if c == nil {
			pid := planKey(r.State)
			if r.Source == chase.SourceManual {
				pid = ManualPlan
			}
			c = &client{key: r.ClientKey, plan: plans[pid], ctl: ctls[k]}
			byKey[k] = c
			out = append(out, c)
		}
		c.rows = append(c.rows, r)
		if ws := msOf(r.WaitingSince); c.cycle == 0 || (ws != 0 && ws < c.cycle) {
			c.cycle = ws
		}
	}
	return out, nil
}

// last is the latest reminder of a client's current chase.
type last struct {
	id     int64
	step   int
	status string
	due    string
	final  time.Time // when it was sent or skipped
}

func (s *Service) lasts(ctx context.Context) (map[string]map[int64]last, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT id, client_key, cycle, step, status, due, sent_at, updated_at FROM remind_items
		WHERE tenant_id = ? ORDER BY step`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("remind: reminders: %w", err)
	}
	defer rows.Close()
	out := map[string]map[int64]last{}
	for rows.Next() {
		var l last
		var key string
		var cycle, sent, updated int64
		if err := rows.Scan(&l.id, &key, &cycle, &l.step, &l.status, &l.due, &sent, &updated); err != nil {
			return nil, fmt.Errorf("remind: reminders: %w", err)
		}
		l.final = fromMS(sent)
		if l.final.IsZero() {
			l.final = fromMS(updated)
		}
		key = strings.ToLower(key)
		if out[key] == nil {
			out[key] = map[int64]last{}
		}
		out[key][cycle] = l // ordered by step: the last one wins
	}
	return out, rows.Err()
}

// next works out a client's next step and its day from its latest reminder
// (nil: none yet). ok is false when nothing more is to be sent.
func (s *Service) next(c *client, l *last, today time.Time) (step int, day time.Time, note string, ok bool) {
	p := c.plan
	switch {
	case !p.Enabled:
		return 0, day, "Reminders are off for " + p.Name + ".", false
	case c.ctl.stopped:
		return 0, day, "A person stopped chasing this client.", false
	case c.ctl.optedOut:
		return 0, day, "The client opted out of reminders.", false
	}
	if l == nil {
		day = p.sendDay(maxDay(dayOf(fromMS(c.cycle), s.loc), today))
	} else {
		switch l.status {
		case StatusSent, StatusSkipped:
			if l.step >= p.MaxReminders {
				return l.step, day, fmt.Sprintf("All %d reminders have been sent.", p.MaxReminders), false
			}
			step, day = l.step+1, p.addBusinessDays(dayOf(l.final, s.loc), p.EveryDays)
		case StatusStopped:
			return l.step, day, "Stopped: its reason is gone.", false
		case StatusFailed:
			return l.step, day, "The last reminder failed: see Due today.", false
		case StatusUnsure:
			return l.step, day, "The last reminder may have been sent: check Sent items.", false
		default: // due, snoozed, retry, sending: that one is next
			d, _ := parseDay(l.due)
			step, day = l.step, d
		}
	}
	if c.ctl.paused != "" {
		if until, okp := parseDay(c.ctl.paused); okp && !day.After(until) {
			day = p.sendDay(until.AddDate(0, 0, 1))
		}
	}
	return step, day, "", true
}

func maxDay(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// PlanDay puts the reminders due on or before today (the service's clock)
// into the queue, once each: planning again, from this or any process,
// adds nothing new. It returns how many it added.
func (s *Service) PlanDay(ctx context.Context) (int, error) {
	cs, err := s.clients(ctx)
	if err != nil {
		return 0, err
	}
	ls, err := s.lasts(ctx)
	if err != nil {
		return 0, err
	}
	tk, err := s.ticks(ctx)
	if err != nil {
		return 0, err
	}
	today := dayOf(s.now(), s.loc)
	type add struct {
		c    *client
		step int
		day  time.Time
	}
	var adds []add
	for _, c := range cs {
		var l *last
		if x, ok := ls[strings.ToLower(c.key)][c.cycle]; ok {
			l = &x
			if open(l.status) {
				continue // the open reminder is the next one
			}
		}
		step, day, _, ok := s.next(c, l, today)
		if ok && !day.After(today) {
			adds = append(adds, add{c, step, day})
		}
	}
	if len(adds) == 0 {
		return 0, nil
	}
	for _, a := range adds {
		if a.step == 0 {
			if err := s.seedDocs(ctx, a.c); err != nil {
				return 0, err
			}
		}
	}
	now := s.now().UnixMilli()
	n := 0
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO remind_items (tenant_id, client_key, cycle, step, plan_id, client_name, contact_id,
			job_ids, due, status, automatic, to_addr, subject, body, outstanding, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'due', ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, client_key, cycle, step) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, a := range adds {
			it := s.draft(a.c, a.step, tk)
			res, err := st.ExecContext(ctx, s.tenant, a.c.key, a.c.cycle, a.step, a.c.plan.ID, it.ClientName, it.ContactID,
				jsonList(it.JobIDs), dayString(a.day), boolInt(a.c.plan.Automatic), it.To, it.Subject, it.Body, jsonList(it.Outstanding), now)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k > 0 {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("remind: plan the day: %w", err)
	}
	return n, nil
}

// draft renders step of c's plan for what is still outstanding.
func (s *Service) draft(c *client, step int, tk ticks) Item {
	it := Item{ClientKey: c.key, PlanID: c.plan.ID, Step: step, Automatic: c.plan.Automatic, JobIDs: []string{}, cycle: c.cycle}
	first := c.rows[0]
	it.ClientName, it.ContactID = first.ClientName, first.ContactID
	for _, r := range c.rows {
		if r.JobID != "" {
			it.JobIDs = append(it.JobIDs, r.JobID)
		}
	}
	rows, _ := outstandingRows(c.rows, tk)
	if len(rows) == 0 {
		rows = c.rows
	}
	it.Outstanding = outstandingList(rows)
	if e, err := render(c.plan, step, rows, s.practice); err == nil {
		it.To, it.Subject, it.Body = e.To, e.Subject, e.Body
	}
	return it
}

// Next is, per client of the chase list, the day its next reminder is due.
func (s *Service) Next(ctx context.Context) ([]Next, error) {
	cs, err := s.clients(ctx)
	if err != nil {
		return nil, err
	}
	ls, err := s.lasts(ctx)
	if err != nil {
		return nil, err
	}
	today := dayOf(s.now(), s.loc)
	out := make([]Next, 0, len(cs))
	for _, c := range cs {
		out = append(out, s.nextOf(c, ls, today))
	}
	return out, nil
}

func (s *Service) nextOf(c *client, ls map[string]map[int64]last, today time.Time) Next {
	var l *last
	if x, ok := ls[strings.ToLower(c.key)][c.cycle]; ok {
		l = &x
	}
	step, day, note, ok := s.next(c, l, today)
	n := Next{ClientKey: c.key, PlanID: c.plan.ID, Step: step, Paused: c.ctl.paused, OptedOut: c.ctl.optedOut, Stopped: c.ctl.stopped, Note: note}
	if ok {
		n.Date = dayString(day)
	}
	return n
}

// DryRun lists what would be sent in the next days days (today included),
// assuming each goes on its day: nothing is stored or sent.
func (s *Service) DryRun(ctx context.Context, days int) ([]Item, error) {
	if days <= 0 {
		days = 7
	}
	cs, err := s.clients(ctx)
	if err != nil {
		return nil, err
	}
	ls, err := s.lasts(ctx)
	if err != nil {
		return nil, err
	}
	tk, err := s.ticks(ctx)
	if err != nil {
		return nil, err
	}
	today := dayOf(s.now(), s.loc)
	end := today.AddDate(0, 0, days-1)
	out := []Item{}
	for _, c := range cs {
		var l *last
		if x, ok := ls[strings.ToLower(c.key)][c.cycle]; ok {
			l = &x
		}
		for range c.plan.MaxReminders + 1 {
			step, day, _, ok := s.next(c, l, today)
			if !ok || day.After(end) {
				break
			}
			day = maxDay(day, today)
			it := s.draft(c, step, tk)
			it.Due, it.Status = dayString(day), StatusDue
			out = append(out, it)
			l = &last{step: step, status: StatusSent, final: time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, s.loc)}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due < out[j].Due })
	return out, nil
}

// seedDocs gives each of c's jobs that has no checklist its plan's default
// documents, when a chase begins; the practice edits them per job after.
func (s *Service) seedDocs(ctx context.Context, c *client) error {
	if len(c.plan.DefaultDocs) == 0 {
		return nil
	}
	for i, r := range c.rows {
		if r.JobID == "" || len(r.DocsNeeded) > 0 {
			continue
		}
		kept, err := s.chase.SetDocsNeeded(ctx, r.JobID, c.plan.DefaultDocs)
		if err != nil {
			return err
		}
		c.rows[i].DocsNeeded = kept
	}
	return nil
}

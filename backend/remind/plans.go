package remind

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"chase.md/backend/chase"
)

// Wording that grows firmer step by step. The placeholders are chase's.
var defaultSteps = []Step{
	{Subject: "Documents needed for {client name}", Body: `Hi {client first name},

We're starting work on:
{jobs}

Could you send us:
{documents needed}

You can reply to this email with them attached.

Thank you,
{practice name}
`},
	{Subject: "Reminder: documents needed for {client name}", Body: `Hi {client first name},

Just a friendly reminder that we're still waiting on the following before we can carry on:
{documents needed}

You can reply to this email with them attached.

Thank you,
{practice name}
`},
	{Subject: "Second reminder: documents needed for {client name}", Body: `Hi {client first name},

We still haven't received:
{documents needed}

Without them we can't finish this work:
{jobs}

Please send them as soon as you can, or let us know if anything is unclear.

{practice name}
`},
	{Subject: "Final reminder: documents needed for {client name}", Body: `Hi {client first name},

This is our final reminder. We are still missing:
{documents needed}

Until we have them, the work below is on hold and deadlines may be missed:
{jobs}

Please send them this week, or call us.

{practice name}
`},
}

// DefaultPlan is the plan a waiting state starts with: a first request,
// then a reminder every 5 business days, three at most, Monday to Friday
// 9:00–17:00, waiting in Due today for a person.
func DefaultPlan(id, name string) Plan {
	return Plan{ID: id, Name: name, Enabled: true, EveryDays: 5, MaxReminders: 3,
		Steps: slices.Clone(defaultSteps), QuietDays: []int{0, 6}, SendFrom: 9, SendUntil: 17,
		StopWhen: StopChecklist, DefaultDocs: []string{}}
}

func planKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// Plans lists the plan of every chase state (the defaults where none is
// saved) and of the hand-marked clients, in the mapping's order.
func (s *Service) Plans(ctx context.Context) ([]Plan, error) {
	saved, err := s.savedPlans(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.chase.States(ctx)
	if err != nil {
		return nil, fmt.Errorf("remind: plans: %w", err)
	}
	var out []Plan
	for _, st := range states {
		if !st.Chase {
			continue
		}
		id := planKey(st.Name)
		p, ok := saved[id]
		if !ok {
			p = DefaultPlan(id, st.Name)
		}
		p.Name = st.Name
		out = append(out, p)
	}
	p, ok := saved[ManualPlan]
	if !ok {
		p = DefaultPlan(ManualPlan, "")
	}
	p.Name = "Clients marked by hand"
	return append(out, p), nil
}

func (s *Service) savedPlans(ctx context.Context) (map[string]Plan, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT plan_id, plan FROM remind_plans WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("remind: plans: %w", err)
	}
	defer rows.Close()
	out := map[string]Plan{}
	for rows.Next() {
		var id, js string
		if err := rows.Scan(&id, &js); err != nil {
			return nil, fmt.Errorf("remind: plans: %w", err)
		}
		p := DefaultPlan(id, "")
		if err := json.Unmarshal([]byte(js), &p); err != nil {
			return nil, fmt.Errorf("remind: plan %q: %w", id, err)
		}
		p.ID = id
		out[id] = p
	}
	return out, rows.Err()
}

// plansByID is every plan, the defaults included, by ID.
func (s *Service) plansByID(ctx context.Context) (map[string]Plan, error) {
	ps, err := s.Plans(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Plan, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// InputError is a plan value a person typed that cannot be used.
type InputError struct{ Message string }

func (e *InputError) Error() string { return "remind: " + e.Message }

// SavePlan checks and stores p (by p.ID) and returns it as stored.
func (s *Service) SavePlan(ctx context.Context, p Plan) (Plan, error) {
	p.ID = planKey(p.ID)
	if err := p.check(); err != nil {
		return p, err
	}
	p.DefaultDocs = chase.CleanDocs(p.DefaultDocs)
	qd := []int{}
	for _, d := range p.QuietDays {
		if !slices.Contains(qd, d) {
			qd = append(qd, d)
		}
	}
	slices.Sort(qd)
	p.QuietDays = qd
	js, err := json.Marshal(p)
	if err != nil {
		return p, fmt.Errorf("remind: save plan %q: %w", p.ID, err)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO remind_plans (tenant_id, plan_id, plan, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, plan_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at`,
			s.tenant, p.ID, string(js), s.now().UnixMilli())
		return err
	})
	if err != nil {
		return p, fmt.Errorf("remind: save plan %q: %w", p.ID, err)
	}
	return p, nil
}

func (p Plan) check() error {
	switch {
	case p.ID == "":
		return &InputError{"the plan has no state"}
	case p.EveryDays < 1 || p.EveryDays > 60:
		return &InputError{"send a reminder every 1 to 60 business days"}
	case p.MaxReminders < 0 || p.MaxReminders > 10:
		return &InputError{"send at most 10 reminders"}
	case p.SendFrom < 0 || p.SendUntil > 24 || p.SendFrom >= p.SendUntil:
		return &InputError{"the sending hours must start before they end, between 0:00 and 24:00"}
	case p.StopWhen != StopChecklist && p.StopWhen != StopAnyFile:
		return &InputError{"choose when chasing stops"}
	case len(p.Steps) == 0:
		return &InputError{"the plan needs the first request's wording"}
	}
	for i, st := range p.Steps {
		if strings.TrimSpace(st.Subject) == "" || strings.TrimSpace(st.Body) == "" {
			return &InputError{fmt.Sprintf("step %d needs a subject and a message", i+1)}
		}
	}
	for _, d := range p.QuietDays {
		if d < 0 || d > 6 {
			return &InputError{"quiet days are weekdays 0 (Sunday) to 6 (Saturday)"}
		}
	}
	if len(p.QuietDays) >= 7 {
		return &InputError{"a plan needs at least one day to send on"}
	}
	return nil
}

// step is the wording of step n (the last one repeats).
func (p Plan) step(n int) Step {
	if n < len(p.Steps) {
		return p.Steps[n]
	}
	return p.Steps[len(p.Steps)-1]
}

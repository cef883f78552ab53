package remind

import (
	"context"
	"fmt"
	"strings"

	"chase.md/backend/activity"
)

// control is a person's say over one client.
type control struct {
	paused   string // YYYY-MM-DD: no reminder before the day after; "" = not paused
	optedOut bool
	stopped  bool
}

func (s *Service) controls(ctx context.Context) (map[string]control, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT client_key, paused_until, opted_out, stopped FROM remind_clients WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("remind: clients: %w", err)
	}
	defer rows.Close()
	out := map[string]control{}
	for rows.Next() {
		var k string
		var c control
		var o, st int
		if err := rows.Scan(&k, &c.paused, &o, &st); err != nil {
			return nil, fmt.Errorf("remind: clients: %w", err)
		}
		c.optedOut, c.stopped = o != 0, st != 0
		out[strings.ToLower(k)] = c
	}
	return out, rows.Err()
}

func (s *Service) setControl(ctx context.Context, clientKey, col string, val any) error {
	key := strings.ToLower(strings.TrimSpace(clientKey))
	if key == "" {
		return fmt.Errorf("remind: no client")
	}
	_, err := s.db.SQL().ExecContext(ctx, `INSERT INTO remind_clients (tenant_id, client_key, `+col+`, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, client_key) DO UPDATE SET `+col+` = excluded.`+col+`, updated_at = excluded.updated_at`,
		s.tenant, key, val, s.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("remind: client %s: %w", clientKey, err)
	}
	return nil
}

// Pause holds a client's reminders until the day until (YYYY-MM-DD)
// included; "" resumes them.
func (s *Service) Pause(ctx context.Context, clientKey, until string) error {
	until = strings.TrimSpace(until)
	if _, ok := parseDay(until); until != "" && !ok {
		return &InputError{"pause until a date (YYYY-MM-DD)"}
	}
	if err := s.setControl(ctx, clientKey, "paused_until", until); err != nil {
		return err
	}
	what := "Reminders resumed"
	if until != "" {
		what = "Reminders paused until " + until
	}
	s.note(ctx, clientKey, what+".")
	return nil
}

// OptOut stops reminders to a client for good (out) or lets them go again.
func (s *Service) OptOut(ctx context.Context, clientKey string, out bool) error {
	if err := s.setControl(ctx, clientKey, "opted_out", boolInt(out)); err != nil {
		return err
	}
	s.note(ctx, clientKey, map[bool]string{true: "The client opted out of reminders.", false: "The client opted in to reminders again."}[out])
	return nil
}

// Stop stops chasing a client (a person's decision), or starts it again.
func (s *Service) Stop(ctx context.Context, clientKey string, stopped bool) error {
	if err := s.setControl(ctx, clientKey, "stopped", boolInt(stopped)); err != nil {
		return err
	}
	s.note(ctx, clientKey, map[bool]string{true: "Chasing stopped by a person.", false: "Chasing started again."}[stopped])
	return nil
}

func (s *Service) note(ctx context.Context, clientKey, detail string) {
	if s.log == nil {
		return
	}
	e := activity.Entry{Kind: activity.Reminder, Who: s.who(), TenantID: s.tenant, Detail: detail, Subject: clientKey}
	if rows, err := s.chase.Build(ctx); err == nil {
		for _, r := range rows {
			if strings.EqualFold(r.ClientKey, clientKey) {
				e.Client, e.ContactID, e.Subject = r.ClientName, r.ContactID, ""
				break
			}
		}
	}
	s.log.Log(e)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

package remind

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound: no such reminder.
var ErrNotFound = errors.New("remind: no such reminder")

// ErrNotDue: the reminder is no longer waiting to be sent (sent, stopped,
// skipped, or being sent right now).
var ErrNotDue = errors.New("remind: the reminder is no longer due")

const itemCols = `id, client_key, cycle, step, plan_id, client_name, contact_id, job_ids, due, status, automatic,
	to_addr, subject, body, outstanding, message_id, sent_at, attempts, retry_at, error, error_code, reason`

type scanner interface{ Scan(dest ...any) error }

func scanItem(r scanner) (Item, error) {
	var it Item
	var jobs, outstanding string
	var auto int
	var sent, retry int64
	err := r.Scan(&it.ID, &it.ClientKey, &it.cycle, &it.Step, &it.PlanID, &it.ClientName, &it.ContactID, &jobs, &it.Due,
		&it.Status, &auto, &it.To, &it.Subject, &it.Body, &outstanding, &it.MessageID, &sent, &it.Attempts, &retry,
		&it.Error, &it.ErrorCode, &it.Reason)
	if err != nil {
		return it, err
	}
	it.Automatic = auto != 0
	it.SentAt, it.RetryAt = fromMS(sent), fromMS(retry)
	it.JobIDs, it.Outstanding = []string{}, []string{}
	_ = json.Unmarshal([]byte(jobs), &it.JobIDs)
	_ = json.Unmarshal([]byte(outstanding), &it.Outstanding)
	return it, nil
}

func (s *Service) item(ctx context.Context, id int64) (Item, error) {
	it, err := scanItem(s.db.SQL().QueryRowContext(ctx, `SELECT `+itemCols+` FROM remind_items WHERE tenant_id = ? AND id = ?`, s.tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, ErrNotFound
	}
	if err != nil {
		return it, fmt.Errorf("remind: reminder %d: %w", id, err)
	}
	return it, nil
}

func (s *Service) items(ctx context.Context, where string, args ...any) ([]Item, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT `+itemCols+` FROM remind_items WHERE tenant_id = ? AND (`+where+`)
		ORDER BY due, client_name, id`, append([]any{s.tenant}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("remind: reminders: %w", err)
	}
	defer rows.Close()
	out := []Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, fmt.Errorf("remind: reminders: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

func jsonList(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func msOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// open statuses: the reminder still may go.
func open(status string) bool {
	switch status {
	case StatusDue, StatusRetry, StatusSnoozed, StatusSending, StatusUnsure, StatusFailed:
		return true
	}
	return false
}

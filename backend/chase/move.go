package chase

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"chase.md/backend/xpm"
)

// StateMover moves a job in XPM (*xpm.Client).
type StateMover interface {
	SetJobState(ctx context.Context, jobID, code string) (xpm.Job, error)
}

// Suggestion offers to move a job on when documents arrive for its client.
type Suggestion struct {
	JobID      string `json:"jobId"`
	JobName    string `json:"jobName"`
	ClientUUID string `json:"clientUuid"`
	ClientName string `json:"clientName"`
	FromState  string `json:"fromState"`
	ToState    string `json:"toState"`
	// ToCode is the target's Interface Code for ApplyStateMove; "" means the
	// practice has not entered it yet, so the app must ask for it first.
	ToCode string `json:"toCode"`
}

// SuggestStateMove lists, for documents just filed for contactID, the jobs
// of the linked XPM clients that sit in a chase state with a "move to"
// state. Nothing is moved: the app asks, then calls ApplyStateMove.
func (s *Service) SuggestStateMove(ctx context.Context, contactID string) ([]Suggestion, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `
		SELECT j.job_id, j.name, j.client_uuid, COALESCE(NULLIF(c.name, ''), j.client_name), j.state, mt.name, mt.code
		FROM chase_links l
		JOIN xpm_jobs j ON j.tenant_id = l.tenant_id AND j.client_uuid = l.client_uuid
		JOIN xpm_states st ON st.tenant_id = j.tenant_id AND st.name_key = j.state_key AND st.chase = 1 AND st.move_to != ''
		JOIN xpm_states mt ON mt.tenant_id = st.tenant_id AND mt.name_key = st.move_to
		LEFT JOIN xpm_clients c ON c.tenant_id = j.tenant_id AND c.uuid = j.client_uuid
		WHERE l.tenant_id = ? AND l.contact_id = ? AND l.status IN ('auto', 'confirmed')
		ORDER BY j.job_id`, s.tenant, contactID)
	if err != nil {
		return nil, fmt.Errorf("chase: suggest state move: %w", err)
	}
	defer rows.Close()
	var out []Suggestion
	for rows.Next() {
		var g Suggestion
		if err := rows.Scan(&g.JobID, &g.JobName, &g.ClientUUID, &g.ClientName, &g.FromState, &g.ToState, &g.ToCode); err != nil {
			return nil, fmt.Errorf("chase: suggest state move: %w", err)
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// ApplyStateMove moves job jobID to the state with Interface Code code in
// XPM (PUT job.api/state), then records the move locally so the job leaves
// the chase list at once. Call it only after the user confirmed.
func (s *Service) ApplyStateMove(ctx context.Context, m StateMover, jobID, code string) error {
	jobID, code = strings.ToUpper(strings.TrimSpace(jobID)), strings.TrimSpace(code)
	got, err := m.SetJobState(ctx, jobID, code)
	if err != nil {
		return fmt.Errorf("chase: move job %s: %w", jobID, err)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		name := strings.TrimSpace(got.State)
		if name == "" {
			// XPM sent no job back: the state is the one the practice gave this code.
			if err := tx.QueryRowContext(ctx, `SELECT name FROM xpm_states WHERE tenant_id = ? AND code = ? COLLATE NOCASE`, s.tenant, code).Scan(&name); err != nil {
				return nil // unknown here; the next sync will tell
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE xpm_states SET code = ?, code_source = 'typed' WHERE tenant_id = ? AND name_key = ? AND code = ''`,
			code, s.tenant, stateKey(name)); err != nil {
			return fmt.Errorf("chase: move job %s: %w", jobID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE xpm_jobs SET state = ?, state_key = ?, state_since = ?
			WHERE tenant_id = ? AND job_id = ? AND state_key != ?`, name, stateKey(name), ms(s.now()), s.tenant, jobID, stateKey(name)); err != nil {
			return fmt.Errorf("chase: move job %s: %w", jobID, err)
		}
		return nil
	})
}

// Export writes the chase list in format, for `chase chase-list` and the
// app's exports: "md" (a chase.md document, the default) or "csv".
func (s *Service) Export(ctx context.Context, format string, w io.Writer) error {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "md", "markdown":
		return s.ExportMarkdown(ctx, w)
	case "csv":
		return s.ExportCSV(ctx, w)
	}
	return fmt.Errorf("chase: chase-list: unknown format %q (md or csv)", format)
}

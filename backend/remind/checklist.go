package remind

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"chase.md/backend/activity"
	"chase.md/backend/chase"
)

func (s *Service) ticks(ctx context.Context) (ticks, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT job_id, doc_key FROM remind_ticks WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("remind: ticks: %w", err)
	}
	defer rows.Close()
	out := ticks{}
	for rows.Next() {
		var job, doc string
		if err := rows.Scan(&job, &doc); err != nil {
			return nil, fmt.Errorf("remind: ticks: %w", err)
		}
		if out[job] == nil {
			out[job] = map[string]bool{}
		}
		out[job][doc] = true
	}
	return out, rows.Err()
}

// Checklist is the job's documents needed (package chase) with their ticks.
func (s *Service) Checklist(ctx context.Context, jobID string) ([]CheckItem, error) {
	docs, err := s.chase.DocsNeeded(ctx, jobID)
	if err != nil {
		return nil, err
	}
	type tick struct {
		at int64
		by string
	}
	done := map[string]tick{}
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT doc_key, ticked_at, ticked_by FROM remind_ticks WHERE tenant_id = ? AND job_id = ?`,
		s.tenant, jobKey(jobID))
	if err != nil {
		return nil, fmt.Errorf("remind: checklist of %s: %w", jobID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var t tick
		if err := rows.Scan(&k, &t.at, &t.by); err != nil {
			return nil, fmt.Errorf("remind: checklist of %s: %w", jobID, err)
		}
		done[k] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("remind: checklist of %s: %w", jobID, err)
	}
	out := make([]CheckItem, 0, len(docs))
	for _, d := range docs {
		t, ok := done[docKey(d)]
		out = append(out, CheckItem{Doc: d, Done: ok, DoneAt: fromMS(t.at), DoneBy: t.by})
	}
	return out, nil
}

func jobKey(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// Tick ticks docs of a job's checklist off (done) or on again.
func (s *Service) Tick(ctx context.Context, jobID string, docs []string, done bool) ([]CheckItem, error) {
	id := jobKey(jobID)
	if id == "" {
		return nil, fmt.Errorf("remind: tick: no job")
	}
	who := s.who()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, d := range docs {
			var err error
			if done {
				_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO remind_ticks (tenant_id, job_id, doc_key, ticked_at, ticked_by) VALUES (?, ?, ?, ?, ?)`,
					s.tenant, id, docKey(d), s.now().UnixMilli(), who)
			} else {
				_, err = tx.ExecContext(ctx, `DELETE FROM remind_ticks WHERE tenant_id = ? AND job_id = ? AND doc_key = ?`, s.tenant, id, docKey(d))
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("remind: tick %s: %w", jobID, err)
	}
	if s.log != nil && len(docs) > 0 {
		what := "Received"
		if !done {
			what = "No longer received"
		}
		s.log.Log(activity.Entry{Kind: activity.Reminder, Who: who, TenantID: s.tenant, XeroID: id,
			Detail: fmt.Sprintf("%s for job %s: %s.", what, id, strings.Join(docs, "; "))})
	}
	return s.Checklist(ctx, jobID)
}

// Proposals lists the jobs with documents outstanding whose client sent
// files since the chase began (filed by chase.md, or seen in the client's
// Xero Files), unless a person dismissed them and no more arrived since.
func (s *Service) Proposals(ctx context.Context) ([]Proposal, error) {
	rows, err := s.chase.Build(ctx)
	if err != nil {
		return nil, err
	}
	tk, err := s.ticks(ctx)
	if err != nil {
		return nil, err
	}
	dismissed := map[string]int{}
	drows, err := s.db.SQL().QueryContext(ctx, `SELECT job_id, files FROM remind_dismissed WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("remind: proposals: %w", err)
	}
	for drows.Next() {
		var id string
		var n int
		if err := drows.Scan(&id, &n); err != nil {
			drows.Close()
			return nil, fmt.Errorf("remind: proposals: %w", err)
		}
		dismissed[id] = n
	}
	drows.Close()
	out := []Proposal{}
	for _, r := range rows {
		if r.JobID == "" || r.DocsSince == 0 || len(r.DocsNeeded) == 0 || r.DocsSince <= dismissed[jobKey(r.JobID)] {
			continue
		}
		left, _ := outstandingRows([]chase.Row{r}, tk)
		if len(left) == 0 {
			continue
		}
		out = append(out, Proposal{ClientKey: r.ClientKey, ClientName: r.ClientName, JobID: r.JobID, JobName: r.JobName,
			Outstanding: left[0].DocsNeeded, Files: r.DocsSince, Since: dayString(dayOf(r.WaitingSince, s.loc))})
	}
	return out, nil
}

// DismissProposal hides a job's proposal until more files arrive.
func (s *Service) DismissProposal(ctx context.Context, jobID string) error {
	rows, err := s.chase.Build(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, r := range rows {
		if jobKey(r.JobID) == jobKey(jobID) {
			n = r.DocsSince
		}
	}
	_, err = s.db.SQL().ExecContext(ctx, `INSERT INTO remind_dismissed (tenant_id, job_id, files) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, job_id) DO UPDATE SET files = excluded.files`, s.tenant, jobKey(jobID), n)
	if err != nil {
		return fmt.Errorf("remind: dismiss proposal for %s: %w", jobID, err)
	}
	return nil
}

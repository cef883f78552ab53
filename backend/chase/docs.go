package chase

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxDocs and maxDocLen keep the "documents needed" list short: it is a
// line or two in an email, not a checklist system.
const (
	maxDocs   = 20
	maxDocLen = 200
)

// DocsNeeded is the job's "documents needed" list, in the practice's order.
func (s *Service) DocsNeeded(ctx context.Context, jobID string) ([]string, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT doc FROM chase_docs_needed WHERE tenant_id = ? AND job_id = ? ORDER BY ord`,
		s.tenant, normJobID(jobID))
	if err != nil {
		return nil, fmt.Errorf("chase: documents needed for %s: %w", jobID, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("chase: documents needed for %s: %w", jobID, err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetDocsNeeded replaces the job's "documents needed" list with docs
// (trimmed, blank and repeated lines dropped) and returns what was kept.
func (s *Service) SetDocsNeeded(ctx context.Context, jobID string, docs []string) ([]string, error) {
	id := normJobID(jobID)
	if id == "" {
		return nil, fmt.Errorf("chase: documents needed: no job")
	}
	kept := cleanDocs(docs)
	if len(kept) > maxDocs {
		return nil, fmt.Errorf("chase: documents needed for %s: %d lines, at most %d", jobID, len(kept), maxDocs)
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM chase_docs_needed WHERE tenant_id = ? AND job_id = ?`, s.tenant, id); err != nil {
			return err
		}
		for i, d := range kept {
			if _, err := tx.ExecContext(ctx, `INSERT INTO chase_docs_needed (tenant_id, job_id, ord, doc) VALUES (?, ?, ?, ?)`, s.tenant, id, i, d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chase: documents needed for %s: %w", jobID, err)
	}
	return kept, nil
}

func cleanDocs(docs []string) []string {
	kept := []string{}
	seen := map[string]bool{}
	for _, d := range docs {
		d = strings.Join(strings.Fields(d), " ")
		d = strings.TrimLeft(d, "-•* ")
		if len(d) > maxDocLen {
			d = d[:maxDocLen]
		}
		if k := strings.ToLower(d); d != "" && !seen[k] {
			seen[k] = true
			kept = append(kept, d)
		}
	}
	return kept
}

// allDocsNeeded is every job's list, by job ID.
func (s *Service) allDocsNeeded(ctx context.Context) (map[string][]string, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT job_id, doc FROM chase_docs_needed WHERE tenant_id = ? ORDER BY job_id, ord`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: documents needed: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, d string
		if err := rows.Scan(&id, &d); err != nil {
			return nil, fmt.Errorf("chase: documents needed: %w", err)
		}
		out[id] = append(out[id], d)
	}
	return out, rows.Err()
}

func normJobID(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// CleanDocs trims a list of documents as SetDocsNeeded keeps it: blank and
// repeated lines dropped, bullets taken off.
func CleanDocs(docs []string) []string { return cleanDocs(docs) }

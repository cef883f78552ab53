package chase

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"chase.md/backend/rest"
	"chase.md/backend/upload"
	"chase.md/backend/xero"
	"chase.md/backend/xero/api"
)

// XeroFile is one file associated with a contact in Xero Files, as the
// chase list counts it.
type XeroFile struct {
	FileID     string
	Associated time.Time // when Xero associated it with the contact; zero = not said
	Created    time.Time // when the file was created in Xero; zero = not said
}

// received is when the file reached the contact: its association, or its
// creation where Xero gave no association date; zero when neither is known.
func (f XeroFile) received() time.Time {
	if !f.Associated.IsZero() {
		return f.Associated
	}
	return f.Created
}

// XeroFilesOf reads the files out of GET /Associations/{ContactID}.
func XeroFilesOf(as []api.Association) []XeroFile {
	out := make([]XeroFile, 0, len(as))
	for _, a := range as {
		f := XeroFile{FileID: a.FileID}
		f.Associated, _ = xero.ParseFilesTime(a.AssociationDateUTC)
		f.Created, _ = xero.ParseFilesTime(a.CreatedDateUTC)
		out = append(out, f)
	}
	return out
}

// RecordXeroFiles replaces what is known of contactID's files in Xero with
// files, the whole list Xero just gave, and notes when it was listed.
func (s *Service) RecordXeroFiles(ctx context.Context, contactID string, files []XeroFile) error {
	id := strings.ToLower(strings.TrimSpace(contactID))
	if id == "" {
		return fmt.Errorf("chase: record Xero files: no contact")
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM chase_xero_files WHERE tenant_id = ? AND contact_id = ?`, s.tenant, id); err != nil {
			return err
		}
		for _, f := range files {
			fid := strings.ToLower(strings.TrimSpace(f.FileID))
			if fid == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO chase_xero_files (tenant_id, contact_id, file_id, associated_at, created_at)
				VALUES (?, ?, ?, ?, ?)`, s.tenant, id, fid, ms(f.Associated), ms(f.Created)); err != nil {
				return err
			}
		}
		return stampChecked(ctx, tx, s.tenant, id, s.now())
	})
	if err != nil {
		return fmt.Errorf("chase: record Xero files of %s: %w", contactID, err)
	}
	return nil
}

func stampChecked(ctx context.Context, q querier, tenant, contactID string, at time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO chase_xero_files_checked (tenant_id, contact_id, checked_at) VALUES (?, ?, ?)
		ON CONFLICT (tenant_id, contact_id) DO UPDATE SET checked_at = excluded.checked_at`, tenant, contactID, ms(at))
	return err
}

// FileLister lists the files associated with a contact in Xero Files
// (*xero.Client).
type FileLister interface {
	AssociationsFor(ctx context.Context, objectID string) ([]api.Association, error)
}

// Refresh bounds one round of RefreshXeroFiles.
type Refresh struct {
	MaxAge time.Duration // a contact listed more recently than this is not asked again
	Limit  int           // the most contacts asked in the round (at least 1)
}

// RefreshResult says what a round did.
type RefreshResult struct {
	Asked int // contacts whose files Xero was asked for
	Due   int // contacts still due, left for later rounds
}

// RefreshXeroFiles asks Xero for the files of those of contactIDs (the
// contacts on the chase list) whose list is older than r.MaxAge, never-listed
// and stalest first, at most r.Limit of them, and records them. Mark ctx with
// the priority the calls should have. A contact Xero does not know or refuses
// to list (404, 400) is noted as listed, so it does not hold up the others
// until MaxAge has passed; any other failure ends the round with its error.
func (s *Service) RefreshXeroFiles(ctx context.Context, x FileLister, contactIDs []string, r Refresh) (RefreshResult, error) {
	var res RefreshResult
	due, err := s.dueForFiles(ctx, contactIDs, r.MaxAge)
	if err != nil {
		return res, err
	}
	limit := max(r.Limit, 1)
	for i, id := range due {
		if i == limit {
			res.Due = len(due) - limit
			break
		}
		as, err := x.AssociationsFor(ctx, id)
		if err != nil {
			var ae *rest.APIError
			if ctx.Err() != nil || !errors.As(err, &ae) || (ae.Status != http.StatusNotFound && ae.Status != http.StatusBadRequest) {
				res.Due = len(due) - i
				return res, fmt.Errorf("chase: refresh Xero files of %s: %w", id, err)
			}
			if err := stampChecked(ctx, s.db.SQL(), s.tenant, id, s.now()); err != nil {
				return res, fmt.Errorf("chase: refresh Xero files of %s: %w", id, err)
			}
			res.Asked++
			continue
		}
		res.Asked++
		if err := s.RecordXeroFiles(ctx, id, XeroFilesOf(as)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// dueForFiles is those of contactIDs (lower-cased, once each) whose files
// were last listed more than maxAge ago, never-listed first, then stalest.
func (s *Service) dueForFiles(ctx context.Context, contactIDs []string, maxAge time.Duration) ([]string, error) {
	checked := map[string]int64{}
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT contact_id, checked_at FROM chase_xero_files_checked WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: Xero files due: %w", err)
	}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("chase: Xero files due: %w", err)
		}
		checked[id] = at
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chase: Xero files due: %w", err)
	}
	stale := ms(s.now().Add(-maxAge))
	seen := map[string]bool{}
	var due []string
	for _, id := range contactIDs {
		id = strings.ToLower(strings.TrimSpace(id))
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		if at, ok := checked[id]; !ok || at <= stale {
			due = append(due, id)
		}
	}
	// Never listed (0) first, then the longest ago; ties keep the list's order.
	sort.SliceStable(due, func(i, j int) bool { return checked[due[i]] < checked[due[j]] })
	return due, nil
}

// docsByContact is, for each contact (lower-cased ID), the documents it has
// sent by file (lower-cased ID) with when each arrived: chase.md's own
// uploads (backend/upload's activity log) and the cached list of its files in Xero. A file chase.md uploaded is in
// both and counts once, dated by Xero's association where Xero has it.
func (s *Service) docsByContact(ctx context.Context) (map[string]map[string]time.Time, error) {
	db := s.db.SQL()
	out := map[string]map[string]time.Time{}
	add := func(contact, file string, at time.Time) {
		m := out[contact]
		if m == nil {
			m = map[string]time.Time{}
			out[contact] = m
		}
		m[file] = at
	}
	err := upload.EachDelivered(ctx, s.db, s.tenant, func(d upload.Delivered) error {
		file := strings.ToLower(strings.TrimSpace(d.FileID))
		if file == "" {
			file = fmt.Sprintf("upload:%d", d.EntryID) // no file ID kept: its own document
		}
		add(strings.ToLower(d.ContactID), file, d.At)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("chase: uploads: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT contact_id, file_id, associated_at, created_at FROM chase_xero_files WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: Xero files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var contact, file string
		var assoc, created int64
		if err := rows.Scan(&contact, &file, &assoc, &created); err != nil {
			return nil, fmt.Errorf("chase: Xero files: %w", err)
		}
		at := XeroFile{Associated: fromMS(assoc), Created: fromMS(created)}.received()
		if at.IsZero() {
			continue // undated: an upload of the same file may still date it
		}
		add(contact, file, at)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chase: Xero files: %w", err)
	}
	return out, nil
}

// docsSince counts the documents that arrived at or after since.
func docsSince(docs map[string]time.Time, since time.Time) int {
	n := 0
	for _, at := range docs {
		if !at.Before(since) {
			n++
		}
	}
	return n
}

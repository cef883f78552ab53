package upload

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"chase.md/backend/csvout"
	"chase.md/backend/store"
)

// Entry is one line of the activity log: an upload's outcome.
type Entry struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ItemID      int64     `json:"itemId"`
	User        string    `json:"user"`
	Path        string    `json:"path"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	TenantID    string    `json:"tenantId"`
	ContactID   string    `json:"contactId"`
	ContactName string    `json:"contactName"`
	Folder      string    `json:"folder"`
	FileID      string    `json:"fileId"`
	Outcome     State     `json:"outcome"`
	Detail      string    `json:"detail"`
}

// logOutcome appends it's final state to the activity log.
func logOutcome(ctx context.Context, q querier, it Item, at time.Time) error {
	detail := it.Reason
	if it.Note != "" {
		detail = strings.TrimSpace(it.Note + " " + detail)
	}
	search := fold(strings.Join([]string{it.Name, it.Contact.Name, it.FileID, string(it.State), it.User, it.SHA256}, "\x00"))
	_, err := q.ExecContext(ctx, `INSERT INTO upload_history (at, item_id, os_user, path, name, size, sha256, tenant_id,
		contact_id, contact_name, folder, file_id, outcome, detail, search) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		at.UnixMilli(), it.ID, it.User, it.Path, it.Name, it.Size, it.SHA256, it.TenantID, it.Contact.ID,
		it.Contact.Name, it.Folder, it.FileID, string(it.State), detail, search)
	if err != nil {
		return fmt.Errorf("upload: log outcome of item %d: %w", it.ID, err)
	}
	return nil
}

const entryCols = `id, at, item_id, os_user, path, name, size, sha256, tenant_id, contact_id, contact_name, folder, file_id, outcome, detail`

// History returns the activity log, newest first. search matches (case and
// accent-form insensitively) the file name, client, Xero file id, outcome,
// user or hash; "" matches everything. limit 0 means 100.
func (q *Queue) History(ctx context.Context, search string, limit, offset int) ([]Entry, error) {
	if limit <= 0 {
		limit = 100
	}
	query := `SELECT ` + entryCols + ` FROM upload_history`
	var args []any
	if s := fold(strings.TrimSpace(search)); s != "" {
		query += ` WHERE instr(search, ?) > 0`
		args = append(args, s)
	}
	query += ` ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`
	args = append(args, limit, max(0, offset))
	var out []Entry
	err := q.eachEntry(ctx, query, args, func(e Entry) error { out = append(out, e); return nil })
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (q *Queue) eachEntry(ctx context.Context, query string, args []any, fn func(Entry) error) error {
	rows, err := q.sq.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("upload: history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.ItemID, &e.User, &e.Path, &e.Name, &e.Size, &e.SHA256, &e.TenantID,
			&e.ContactID, &e.ContactName, &e.Folder, &e.FileID, &e.Outcome, &e.Detail); err != nil {
			return fmt.Errorf("upload: history: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("upload: history: %w", err)
	}
	return nil
}

// ExportCSV writes the whole activity log, oldest first, through csvout (the
// one policy of every export: UTF-8 BOM for Excel on Windows, CRLF, formula guard).
func (q *Queue) ExportCSV(ctx context.Context, w io.Writer) error {
	cw := csvout.New(w)
	if err := cw.Write("When (UTC)", "User", "File", "Path", "Size (bytes)", "SHA-256", "Tenant", "Contact ID",
		"Client", "Folder", "Xero file ID", "Outcome", "Detail"); err != nil {
		return fmt.Errorf("upload: export csv: %w", err)
	}
	err := q.eachEntry(ctx, `SELECT `+entryCols+` FROM upload_history ORDER BY at, id`, nil, func(e Entry) error {
		folder := e.Folder
		if folder == "" {
			folder = "Inbox"
		}
		return cw.Write(e.At.Format(time.RFC3339), e.User, e.Name, e.Path, strconv.FormatInt(e.Size, 10),
			e.SHA256, e.TenantID, e.ContactID, e.ContactName, folder, e.FileID, string(e.Outcome), e.Detail)
	})
	if err != nil {
		return err
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("upload: export csv: %w", err)
	}
	return nil
}

// Delivered is one upload the activity log records as done.
type Delivered struct {
	EntryID   int64 // its activity entry
	ContactID string
	FileID    string // Xero's file ID; "" if the log kept none
	At        time.Time
}

// EachDelivered calls fn with every upload done for tenantID, for readers that
// have the database but no queue (the chase list counts documents received).
// The queue's tables are this package's: their SQL stays here.
func EachDelivered(ctx context.Context, db *store.DB, tenantID string, fn func(Delivered) error) error {
	rows, err := db.SQL().QueryContext(ctx, `SELECT id, contact_id, file_id, at FROM upload_history
		WHERE tenant_id = ? AND outcome = 'done'`, tenantID)
	if err != nil {
		return fmt.Errorf("upload: delivered: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d Delivered
		var at int64
		if err := rows.Scan(&d.EntryID, &d.ContactID, &d.FileID, &at); err != nil {
			return fmt.Errorf("upload: delivered: %w", err)
		}
		d.At = time.UnixMilli(at).UTC()
		if err := fn(d); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("upload: delivered: %w", err)
	}
	return nil
}

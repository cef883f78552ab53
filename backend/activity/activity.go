// Package activity is chase.md's activity log: everything it did for the
// practice (syncs, filings, refusals, undos, moves, removals, job moves,
// emails copied, clients marked chased, link decisions, reminders), who did
// it, searchable and exported as CSV.
package activity

import (
	"context"
	"embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"

	"chase.md/backend/csvout"
	"chase.md/backend/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

func init() { store.Register(store.Schema{Owner: "activity", FS: migrations}) }

// Kind is what happened.
type Kind string

// The kinds of activity.
const (
	Sync       Kind = "sync"        // contacts synced from Xero
	SyncFailed Kind = "sync_failed" // a sync that did not finish
	Filed      Kind = "filed"       // a document uploaded and linked to a client
	Failed     Kind = "failed"      // an upload that failed for good
	Cancelled  Kind = "cancelled"   // an upload cancelled
	Undone     Kind = "undone"      // a filing undone before it was sent
	Skipped    Kind = "skipped"     // a duplicate not sent again
	Refused    Kind = "refused"     // a file refused before any call to Xero
	Moved      Kind = "moved"       // a filed document moved to another client
	Removed    Kind = "removed"     // a filed document removed from Xero
	JobMoved   Kind = "job_moved"   // an XPM job moved to another state
	Email      Kind = "email"       // a chase email copied
	Chased     Kind = "chased"      // a client marked (or unmarked) to chase
	Link       Kind = "link"        // a client ↔ contact link confirmed or changed
	Reminder   Kind = "reminder"    // a reminder set or sent
	Rule       Kind = "rule"        // a filing rule saved
)

// Entry is one line of the log.
type Entry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	Kind      Kind      `json:"kind"`
	Who       string    `json:"who"`
	TenantID  string    `json:"tenantId,omitempty"`
	ContactID string    `json:"contactId,omitempty"`
	Client    string    `json:"client,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	XeroID    string    `json:"xeroId,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// Log writes and reads the activity log.
type Log struct {
	db  *store.DB
	now func() time.Time

	mu   sync.Mutex
	user string // the signed-in Xero user's name or email
	os   string
}

// userKey is the setting that remembers who signed in to Xero last.
const userKey = "activity.xero_user"

// New opens the log on db. osUser is who acts until someone signs in to Xero.
func New(ctx context.Context, db *store.DB, osUser string, now func() time.Time) (*Log, error) {
	if now == nil {
		now = time.Now
	}
	l := &Log{db: db, now: now, os: osUser}
	if _, err := db.GetSetting(ctx, userKey, &l.user); err != nil {
		return nil, fmt.Errorf("activity: who signed in: %w", err)
	}
	return l, nil
}

// SetUser records who signed in to Xero: later entries are theirs.
func (l *Log) SetUser(ctx context.Context, who string) error {
	who = strings.TrimSpace(who)
	l.mu.Lock()
	l.user = who
	l.mu.Unlock()
	if err := l.db.SetSetting(ctx, userKey, who); err != nil {
		return fmt.Errorf("activity: remember who signed in: %w", err)
	}
	return nil
}

// Who is whom new entries are put down to.
func (l *Log) Who() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.user != "" {
		return l.user
	}
	return l.os
}

// Add appends e, stamped now and with Who unless set.
func (l *Log) Add(ctx context.Context, e Entry) error {
	if e.At.IsZero() {
		e.At = l.now()
	}
	if e.Who == "" {
		e.Who = l.Who()
	}
	search := fold(strings.Join([]string{string(e.Kind), e.Who, e.Client, e.Subject, e.XeroID, e.ContactID, e.Detail}, "\x00"))
	_, err := l.db.SQL().ExecContext(ctx, `INSERT INTO activity_log (at, kind, who, tenant_id, contact_id, client, subject, xero_id, detail, search)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, e.At.UnixMilli(), string(e.Kind), e.Who, e.TenantID, strings.ToLower(e.ContactID),
		e.Client, e.Subject, e.XeroID, e.Detail, search)
	if err != nil {
		return fmt.Errorf("activity: log %s: %w", e.Kind, err)
	}
	return nil
}

func fold(s string) string { return strings.ToLower(norm.NFC.String(s)) }

// Query selects entries.
type Query struct {
	Search string // matches any words of kind, who, client, subject, Xero id, detail ("" = all)
	Kinds  []Kind // none = every kind
	Limit  int    // 0 = 100
	Offset int
}

func (q Query) sql() (string, []any) {
	var where []string
	var args []any
	for _, w := range strings.Fields(fold(q.Search)) {
		where = append(where, `instr(search, ?) > 0`)
		args = append(args, w)
	}
	if len(q.Kinds) > 0 {
		ph := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			ph[i] = "?"
			args = append(args, string(k))
		}
		where = append(where, "kind IN ("+strings.Join(ph, ",")+")")
	}
	s := `SELECT id, at, kind, who, tenant_id, contact_id, client, subject, xero_id, detail FROM activity_log`
	if len(where) > 0 {
		s += " WHERE " + strings.Join(where, " AND ")
	}
	s += " ORDER BY at DESC, id DESC"
	if q.Limit >= 0 {
		limit := q.Limit
		if limit == 0 {
			limit = 100
		}
		s += " LIMIT ? OFFSET ?"
		args = append(args, limit, max(q.Offset, 0))
	}
	return s, args
}

// List returns entries, newest first.
func (l *Log) List(ctx context.Context, q Query) ([]Entry, error) {
	out := []Entry{}
	err := l.each(ctx, q, func(e Entry) error { out = append(out, e); return nil })
	return out, err
}

func (l *Log) each(ctx context.Context, q Query, fn func(Entry) error) error {
	query, args := q.sql()
	rows, err := l.db.SQL().QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("activity: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Kind, &e.Who, &e.TenantID, &e.ContactID, &e.Client, &e.Subject, &e.XeroID, &e.Detail); err != nil {
			return fmt.Errorf("activity: list: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// WriteCSV writes the entries q selects (Limit -1: all) as CSV, newest first,
// times in local time.
func (l *Log) WriteCSV(ctx context.Context, w io.Writer, q Query) error {
	cw := csvout.New(w)
	_ = cw.Write("When", "What", "Who", "Client", "Document or job", "Xero ID", "Client's Xero ID", "Details", "Entry")
	err := l.each(ctx, q, func(e Entry) error {
		return cw.Write(e.At.Local().Format("2006-01-02 15:04:05"), Label(e.Kind), e.Who, e.Client, e.Subject, e.XeroID,
			e.ContactID, e.Detail, strconv.FormatInt(e.ID, 10))
	})
	if cerr := cw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("activity: export: %w", err)
	}
	return nil
}

// Label is a kind in words, for the screen's filter and the export.
func Label(k Kind) string {
	if l, ok := labels[k]; ok {
		return l
	}
	return string(k)
}

var labels = map[Kind]string{
	Sync: "Synced from Xero", SyncFailed: "Sync did not finish", Filed: "Filed in Xero", Failed: "Upload failed",
	Cancelled: "Upload cancelled", Undone: "Filing undone", Skipped: "Skipped (already in Xero)", Refused: "Refused",
	Moved: "Moved to another client", Removed: "Removed from Xero", JobMoved: "Job moved", Email: "Email copied",
	Chased: "Chase mark", Link: "Client link", Reminder: "Reminder", Rule: "Filing rule saved",
}

// Kinds lists every kind with its label, in the order the filter offers them.
func Kinds() []Kind {
	return []Kind{Sync, SyncFailed, Filed, Undone, Moved, Removed, Refused, Failed, Cancelled, Skipped, Rule,
		JobMoved, Email, Chased, Link, Reminder}
}

package upload

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// State is where an item is in its life.
type State string

const (
	// StateHeld waits out the undo window after a person chose the client:
	// nothing has been sent; the dispatcher queues it at its release time
	// (HeldUntil) and Undo cancels it before then.
	StateHeld             State = "held"
	StateQueued           State = "queued"
	StateUploading        State = "uploading"
	StateUploaded         State = "uploaded" // in Xero Files, not yet linked to the contact
	StateAssociating      State = "associating"
	StateDone             State = "done"
	StateFailed           State = "failed"
	StateWaitingReconnect State = "waiting_reconnect"
	StateCancelled        State = "cancelled"
	StateSkippedDuplicate State = "skipped_duplicate"
	// StateRefused is never stored: Enqueue returns it for files that failed Check.
	StateRefused State = "refused"
)

// Live reports whether the queue still has work to do for the item.
func (s State) Live() bool {
	switch s {
	case StateHeld, StateQueued, StateUploading, StateUploaded, StateAssociating, StateWaitingReconnect:
		return true
	}
	return false
}

const liveStates = `('held', 'queued', 'uploading', 'uploaded', 'associating', 'waiting_reconnect')`

// Source is how a file came to be queued.
type Source string

const (
	SourceDrop   Source = "drop"
	SourcePicker Source = "picker"
	SourceWatch  Source = "watch"
	SourceCLI    Source = "cli"
)

// ContactType is Xero's association ObjectType for a contact.
type ContactType string

const (
	Business ContactType = "Business"
	Person   ContactType = "Person"
)

// Contact is the Xero contact a file is filed to.
type Contact struct {
	ID   string      `json:"id"`
	Name string      `json:"name"`
	Type ContactType `json:"type"`
}

// Request asks for one file to be uploaded.
type Request struct {
	Path     string  `json:"path"`
	TenantID string  `json:"tenantId"`
	Contact  Contact `json:"contact"`
	Folder   string  `json:"folder"` // Xero Files folder name; "" = Inbox
	Source   Source  `json:"source"`
	// SentSince, if set, says another machine may have uploaded this file
	// since then (a claim taken back after its owner went quiet): the queue
	// looks for it in Xero Files before sending it.
	SentSince time.Time `json:"-"`
	// Hold, if set, keeps the item in StateHeld this long before it goes:
	// the undo window after a person's choice of client.
	Hold time.Duration `json:"-"`
}

// Item is one file in the queue.
type Item struct {
	ID        int64     `json:"id"`
	Path      string    `json:"path"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	ModTime   time.Time `json:"modTime"`
	TenantID  string    `json:"tenantId"`
	Contact   Contact   `json:"contact"`
	Folder    string    `json:"folder"`
	State     State     `json:"state"`
	Reason    string    `json:"reason,omitempty"` // why failed, refused or waiting, in plain words
	Retryable bool      `json:"retryable"`
	Note      string    `json:"note,omitempty"`
	FileID    string    `json:"fileId,omitempty"`
	Attempts  int       `json:"attempts"`
	// NextAt is when a waiting item is tried again (after a failed attempt,
	// or when Xero's daily limit resets); zero when it may go at once.
	NextAt    time.Time `json:"nextAt,omitzero"`
	Source    Source    `json:"source"`
	User      string    `json:"user"`
	Forced    bool      `json:"forced"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
	// HeldUntil is when a held item goes to Xero unless undone.
	HeldUntil *time.Time `json:"heldUntil,omitempty"`

	UploadKey      string `json:"-"`
	AssociationKey string `json:"-"`
	nextAt         int64
	sentAt         int64 // Unix ms: first sent, or SentSince; 0 = never

	// Refusal is set when State is StateRefused.
	Refusal *CheckError `json:"-"`
}

// newKey is a fresh Idempotency-Key (Xero accepts up to 128 characters).
func newKey(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// fold is the comparison form of a name or path: NFC (macOS hands out NFD)
// and case-folded. Display strings are stored untouched.
func fold(s string) string { return strings.ToLower(norm.NFC.String(s)) }

const itemCols = `id, path, name, size, sha256, mtime, tenant_id, contact_id, contact_name, contact_type, folder,
	state, reason, retryable, note, file_id, attempts, next_at, upload_key, assoc_key, source, os_user, forced,
	created_at, updated_at, sent_at`

type scanner interface{ Scan(...any) error }

func scanItem(r scanner) (Item, error) {
	var it Item
	var mtime, created, updated int64
	var retry, forced int
	err := r.Scan(&it.ID, &it.Path, &it.Name, &it.Size, &it.SHA256, &mtime, &it.TenantID, &it.Contact.ID,
		&it.Contact.Name, &it.Contact.Type, &it.Folder, &it.State, &it.Reason, &retry, &it.Note, &it.FileID,
		&it.Attempts, &it.nextAt, &it.UploadKey, &it.AssociationKey, &it.Source, &it.User, &forced, &created, &updated, &it.sentAt)
	if err != nil {
		return Item{}, err
	}
	it.ModTime = time.Unix(0, mtime).UTC()
	it.CreatedAt = time.UnixMilli(created).UTC()
	it.UpdatedAt = time.UnixMilli(updated).UTC()
	it.Retryable, it.Forced = retry != 0, forced != 0
	if it.nextAt > 0 && (runnable(it.State) || it.State == StateWaitingReconnect) {
		it.NextAt = time.UnixMilli(it.nextAt).UTC()
	}
	if it.State == StateHeld {
		at := time.UnixMilli(it.nextAt).UTC()
		it.HeldUntil = &at
	}
	return it, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func getItem(ctx context.Context, q querier, id int64) (Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemCols+` FROM upload_items WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("upload: item %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Item{}, fmt.Errorf("upload: item %d: %w", id, err)
	}
	return it, nil
}

func queryItems(ctx context.Context, q querier, query string, args ...any) ([]Item, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ErrNotFound is returned for an unknown item id.
var ErrNotFound = errors.New("upload: no such item")

// ErrNotAllowed is returned when an action does not apply to an item's state
// (retrying one that is done, forcing one that is not a skipped duplicate).
var ErrNotAllowed = errors.New("upload: not possible in this state")

// Filter selects items for Items. The zero value selects every item, newest first.
type Filter struct {
	States   []State
	TenantID string
	Contact  string // contact id
	Limit    int    // 0 = 500
	Offset   int
}

func (f Filter) sql() (string, []any) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, s := range f.States {
			ph[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, "state IN ("+strings.Join(ph, ",")+")")
	}
	if f.TenantID != "" {
		where = append(where, "tenant_id = ?")
		args = append(args, f.TenantID)
	}
	if f.Contact != "" {
		where = append(where, "contact_id = ?")
		args = append(args, f.Contact)
	}
	q := `SELECT ` + itemCols + ` FROM upload_items`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 500
	}
	q += " ORDER BY id DESC LIMIT ? OFFSET ?"
	args = append(args, limit, max(0, f.Offset))
	return q, args
}

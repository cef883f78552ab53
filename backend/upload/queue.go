// Package upload is chase.md's durable, exactly-once upload queue: files
// checked before any call, queued in SQLite with both Idempotency-Keys
// written before the first call, uploaded to Xero Files and associated with a
// contact by bounded per-tenant workers, resumed after a crash with the same
// keys so Xero replays instead of creating a second file or link. Xero does
// not say how long it remembers a key, so an upload or link that may already
// have happened is first looked for in Xero and adopted if it is there.
package upload

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"chase.md/backend/store"
)

// Options configure a Queue.
type Options struct {
	DB *store.DB
	// Senders returns the Xero Files client for a tenant (the app wires
	// xero clients sharing the tenant's pacer).
	Senders func(ctx context.Context, tenantID string) (Sender, error)
	// Events receives state changes and progress; nil discards them.
	Events Events
	// PerTenant bounds the items in flight per tenant (default 3; Xero allows
	// 5 concurrent calls and the pacer shares them with sync).
	PerTenant int
	// MaxAttempts is how many tries an item gets against transient errors
	// before it is failed as retryable (default 8). rest already retries
	// each call; this counts whole attempts, across restarts.
	MaxAttempts int
	// WaitConnected, if set, blocks until the Xero connection is usable
	// again (auth.Connection.WaitConnected); the queue then resumes by itself.
	WaitConnected func(ctx context.Context) error
	// User is who queues files on this machine (default: the OS user).
	User   string
	Now    func() time.Time
	Logger *slog.Logger
}

// Retry timing; package variables so tests can shrink them.
var (
	retryBase      = 2 * time.Second
	retryMax       = 5 * time.Minute
	dailyLimitWait = time.Hour
	reconnectPause = 2 * time.Second // between a reconnect and the next try, so a flapping login cannot spin
	progressEvery  = 250 * time.Millisecond
)

// Queue is the upload queue. Its methods are safe for concurrent use; Serve
// runs the workers.
type Queue struct {
	opts Options
	sq   *cachedDB
	st   *store.DB
	log  *slog.Logger
	wake chan struct{}

	mu         sync.Mutex
	running    map[int64]context.CancelFunc
	perTenant  map[string]int
	paused     bool
	changed    chan struct{} // closed and replaced on every state change
	settled    chan struct{} // closed and replaced when items reach a final state
	senders    map[string]Sender
	folders    map[string]*folderEntry
	listings   map[string]*listingEntry // tenant -> last look at its files (adopt.go)
	sentNow    map[int64]int64          // bytes sent of items in flight
	batchSize  int64                    // bytes of the current batch (live + finished since idle)
	batchDone  int64
	serveCtx   context.Context // for goroutines that outlive a worker
	reconnects int             // reconnect waits since the last success
}

// New opens the queue on opts.DB. Call Serve to run it.
func New(opts Options) (*Queue, error) {
	if opts.DB == nil || opts.Senders == nil {
		return nil, errors.New("upload: Options.DB and Options.Senders are required")
	}
	if opts.PerTenant <= 0 {
		opts.PerTenant = 3
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 8
	}
	if opts.Events == nil {
		opts.Events = nopEvents{}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.User == "" {
		opts.User = OSUser()
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Queue{
		opts: opts, sq: &cachedDB{db: opts.DB.SQL()}, st: opts.DB, log: log,
		wake:      make(chan struct{}, 1),
		running:   map[int64]context.CancelFunc{},
		perTenant: map[string]int{},
		changed:   make(chan struct{}),
		settled:   make(chan struct{}),
		senders:   map[string]Sender{},
		folders:   map[string]*folderEntry{},
		listings:  map[string]*listingEntry{},
		sentNow:   map[int64]int64{},
	}, nil
}

// OSUser is the signed-in OS user's name, for the activity log.
func OSUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USER", "USERNAME"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "unknown"
}

func (q *Queue) now() time.Time { return q.opts.Now() }

// kick wakes Serve without blocking.
func (q *Queue) kick() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// notify tells Wait-ers and the UI that it changed.
func (q *Queue) notify(ctx context.Context, id int64) {
	q.mu.Lock()
	close(q.changed)
	q.changed = make(chan struct{})
	q.mu.Unlock()
	if _, nop := q.opts.Events.(nopEvents); id == 0 || nop {
		return
	}
	if it, err := getItem(ctx, q.sq, id); err == nil {
		q.opts.Events.ItemChanged(it)
	}
}

// settle wakes Wait: some items reached a final state.
func (q *Queue) settle() {
	q.mu.Lock()
	close(q.settled)
	q.settled = make(chan struct{})
	q.mu.Unlock()
}

// Enqueue checks and queues files. The result has one item per request, in
// order: refused files come back with State StateRefused and the reason; a
// file already queued for the same contact comes back as that item; bytes
// already uploaded to the same contact come back skipped_duplicate.
func (q *Queue) Enqueue(ctx context.Context, reqs []Request) ([]Item, error) {
	out := make([]Item, len(reqs))
	type accepted struct {
		i    int
		info FileInfo
		sum  string
	}
	var ok []accepted
	for i, r := range reqs {
		out[i] = Item{Path: r.Path, TenantID: r.TenantID, Contact: r.Contact, Folder: r.Folder, Source: r.Source, State: StateRefused}
		info, err := Check(r.Path)
		if err == nil {
			err = checkRequest(r)
		}
		if err == nil {
			var sum string
			sum, err = hashFile(r.Path)
			if err == nil {
				ok = append(ok, accepted{i, info, sum})
				continue
			}
			err = &CheckError{Path: r.Path, Reason: RefusedUnreadable, Err: err,
				Message: fmt.Sprintf("chase.md can't read %q (%s). Check that no other program has it locked, then drop it again.", info.Name, plainIOError(err))}
		}
		var ce *CheckError
		if !errors.As(err, &ce) {
			return nil, err
		}
		out[i].Name, out[i].Reason, out[i].Refusal = displayName(r.Path), ce.Message, ce
	}
	if len(ok) == 0 {
		return out, nil
	}
	now := q.now()
	var ids []int64
	var added int64
	err := q.st.Tx(ctx, func(tx *sql.Tx) error {
		added = 0
		ids = ids[:0]
		for _, a := range ok {
			r := reqs[a.i]
			// The same bytes already live for this contact: one item.
			var id int64
			var path string
			err := tx.QueryRowContext(ctx, `SELECT id, path FROM upload_items WHERE tenant_id = ? AND contact_id = ? AND sha256 = ?
				AND state IN `+liveStates, r.TenantID, r.Contact.ID, a.sum).Scan(&id, &path)
			if err == nil {
				out[a.i].ID = id
				if path != r.Path && gone(path) {
					// The same file came back from elsewhere (a claim returned after
					// a restart): the live item reads it where it is now, rather
					// than fail for the place it left.
					if _, err := tx.ExecContext(ctx, `UPDATE upload_items SET path = ?, path_key = ? WHERE id = ?`,
						r.Path, fold(r.Path), id); err != nil {
						return err
					}
				}
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			state, note, nextAt := StateQueued, "", int64(0)
			if r.Hold > 0 {
				state, nextAt = StateHeld, now.Add(r.Hold).UnixMilli()
			}
			var prevName string
			var prevAt int64
			err = tx.QueryRowContext(ctx, `SELECT name, at FROM upload_history WHERE tenant_id = ? AND contact_id = ? AND sha256 = ?
				AND outcome = 'done' ORDER BY id DESC LIMIT 1`, r.TenantID, r.Contact.ID, a.sum).Scan(&prevName, &prevAt)
			switch {
			case err == nil:
				state, nextAt = StateSkippedDuplicate, 0
				note = fmt.Sprintf("Already uploaded to %s on %s as %q, so it was skipped. Choose Upload anyway to send it again.",
					r.Contact.Name, time.UnixMilli(prevAt).Local().Format("2 Jan 2006 15:04"), prevName)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO upload_items (path, path_key, name, size, sha256, mtime, tenant_id,
				contact_id, contact_name, contact_type, folder, state, note, next_at, upload_key, assoc_key, source, os_user, created_at, updated_at, sent_at)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				r.Path, fold(r.Path), a.info.Name, a.info.Size, a.sum, a.info.Info.ModTime().UnixNano(), r.TenantID,
				r.Contact.ID, r.Contact.Name, string(r.Contact.Type), r.Folder, string(state), note, nextAt,
				newKey("chase-up"), newKey("chase-as"), string(orSource(r.Source)), q.opts.User, now.UnixMilli(), now.UnixMilli(), unixMilliOrZero(r.SentSince))
			if err != nil {
				return err
			}
			id, _ = res.LastInsertId()
			out[a.i].ID = id
			ids = append(ids, id)
			if state == StateSkippedDuplicate {
				it, err := getItem(ctx, tx, id)
				if err != nil {
					return err
				}
				if err := logOutcome(ctx, tx, it, now); err != nil {
					return err
				}
			} else {
				added += a.info.Size
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("upload: enqueue: %w", err)
	}
	for _, a := range ok {
		it, err := getItem(ctx, q.sq, out[a.i].ID)
		if err != nil {
			return nil, err
		}
		out[a.i] = it
	}
	q.mu.Lock()
	q.batchSize += added
	q.mu.Unlock()
	for _, id := range ids {
		q.notify(ctx, id)
	}
	q.kick()
	return out, nil
}

func unixMilliOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func orSource(s Source) Source {
	if s == "" {
		return SourceDrop
	}
	return s
}

func displayName(path string) string { return filepath.Base(path) }

// gone reports whether nothing is at path any more.
func gone(path string) bool {
	_, err := os.Lstat(path)
	return errors.Is(err, os.ErrNotExist)
}

func checkRequest(r Request) error {
	switch {
	case r.TenantID == "" || r.Contact.ID == "":
		return &CheckError{Path: r.Path, Reason: "no_client", Message: "Choose which client this file is for, then drop it again."}
	case r.Contact.Type != Business && r.Contact.Type != Person:
		return &CheckError{Path: r.Path, Reason: "no_client", Message: fmt.Sprintf("The client %q has no contact type (Business or Person); sync contacts, then try again.", r.Contact.Name)}
	}
	return nil
}

// hashFile is the SHA-256 of the file's bytes, in hex.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Items lists items, newest first.
func (q *Queue) Items(ctx context.Context, f Filter) ([]Item, error) {
	query, args := f.sql()
	items, err := queryItems(ctx, q.sq, query, args...)
	if err != nil {
		return nil, fmt.Errorf("upload: list items: %w", err)
	}
	return items, nil
}

// Item returns one item.
func (q *Queue) Item(ctx context.Context, id int64) (Item, error) { return getItem(ctx, q.sq, id) }

// Wait blocks until none of the items is live any more (done, failed,
// cancelled or skipped) and returns them.
func (q *Queue) Wait(ctx context.Context, ids ...int64) ([]Item, error) {
	list, _ := json.Marshal(ids)
	for {
		q.mu.Lock()
		ch := q.settled
		q.mu.Unlock()
		var live int
		if err := q.sq.QueryRowContext(ctx, `SELECT COUNT(*) FROM upload_items WHERE state IN `+liveStates+`
			AND id IN (SELECT value FROM json_each(?))`, string(list)).Scan(&live); err != nil {
			return nil, fmt.Errorf("upload: wait: %w", err)
		}
		if live == 0 {
			break
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := make([]Item, 0, len(ids))
	for _, id := range ids {
		it, err := getItem(ctx, q.sq, id)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// Cancel stops an item that has not finished. An upload already in flight is
// abandoned; if Xero had already stored the file, Retry later links it
// without uploading it again.
func (q *Queue) Cancel(ctx context.Context, id int64) error {
	return q.cancel(ctx, `id = ?`, id)
}

// CancelAll cancels every unfinished item.
func (q *Queue) CancelAll(ctx context.Context) error { return q.cancel(ctx, `1 = 1`) }

func (q *Queue) cancel(ctx context.Context, where string, args ...any) error {
	return q.cancelAs(ctx, "Cancelled.", liveStates, where, args...)
}

// cancelAs cancels the items in states matching where, giving reason.
func (q *Queue) cancelAs(ctx context.Context, reason, states, where string, args ...any) error {
	now := q.now()
	var items []Item
	err := q.st.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		items, err = queryItems(ctx, tx, `SELECT `+itemCols+` FROM upload_items WHERE state IN `+states+` AND `+where, args...)
		if err != nil {
			return err
		}
		for i := range items {
			items[i].State, items[i].Reason, items[i].HeldUntil = StateCancelled, reason, nil
			if _, err := tx.ExecContext(ctx, `UPDATE upload_items SET state = 'cancelled', reason = ?, updated_at = ? WHERE id = ?`,
				items[i].Reason, now.UnixMilli(), items[i].ID); err != nil {
				return err
			}
			if err := logOutcome(ctx, tx, items[i], now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upload: cancel: %w", err)
	}
	if len(items) == 0 && len(args) == 1 {
		if _, err := getItem(ctx, q.sq, args[0].(int64)); err != nil {
			return err
		}
		return fmt.Errorf("upload: cancel item %v: %w", args[0], ErrNotAllowed)
	}
	q.mu.Lock()
	for _, it := range items {
		if stop := q.running[it.ID]; stop != nil {
			stop()
		}
		q.finishedLocked(it.ID, it.Size)
	}
	q.mu.Unlock()
	for _, it := range items {
		q.notify(ctx, it.ID)
	}
	q.settle()
	return nil
}

// Retry puts a failed or cancelled item back in the queue with the same
// Idempotency-Keys, so anything Xero already did is replayed, not repeated.
// If the file changed since it was queued, its new bytes are queued instead
// (under a new upload key), unless they were already uploaded.
func (q *Queue) Retry(ctx context.Context, id int64) error {
	it, err := getItem(ctx, q.sq, id)
	if err != nil {
		return err
	}
	switch it.State {
	case StateFailed, StateCancelled:
	case StateWaitingReconnect:
		q.Resume(ctx)
		return nil
	default:
		return fmt.Errorf("upload: retry item %d (%s): %w", id, it.State, ErrNotAllowed)
	}
	set, args := `state = ?`, []any{string(StateQueued)}
	if it.FileID == "" {
		if info, err := Check(it.Path); err == nil {
			if sum, err := hashFile(it.Path); err == nil && sum != it.SHA256 {
				// New bytes under a new key: never sent, nothing to look for.
				set += `, sha256 = ?, size = ?, mtime = ?, upload_key = ?, sent_at = 0`
				args = append(args, sum, info.Size, info.Info.ModTime().UnixNano(), newKey("chase-up"))
				it.Size = info.Size
			}
		}
	}
	args = append(args, q.now().UnixMilli(), id, string(it.State))
	res, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET `+set+`, reason = '', retryable = 0, attempts = 0, next_at = 0,
		updated_at = ? WHERE id = ? AND state = ?`, args...)
	if isUnique(err) {
		return fmt.Errorf("upload: retry item %d: %w: the same file is already queued for this client", id, ErrNotAllowed)
	}
	if err != nil {
		return fmt.Errorf("upload: retry item %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("upload: retry item %d: %w", id, ErrNotAllowed)
	}
	q.mu.Lock()
	q.batchSize += it.Size
	q.mu.Unlock()
	q.notify(ctx, id)
	q.kick()
	return nil
}

// Force uploads a file that was skipped as a duplicate after all.
func (q *Queue) Force(ctx context.Context, id int64) error {
	it, err := getItem(ctx, q.sq, id)
	if err != nil {
		return err
	}
	res, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET state = 'queued', forced = 1, note = '', updated_at = ?
		WHERE id = ? AND state = 'skipped_duplicate'`, q.now().UnixMilli(), id)
	if isUnique(err) {
		return fmt.Errorf("upload: force item %d: %w: the same file is already queued for this client", id, ErrNotAllowed)
	}
	if err != nil {
		return fmt.Errorf("upload: force item %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("upload: force item %d (%s): %w", id, it.State, ErrNotAllowed)
	}
	q.mu.Lock()
	q.batchSize += it.Size
	q.mu.Unlock()
	q.notify(ctx, id)
	q.kick()
	return nil
}

// Resume restarts items that were waiting for the Xero connection to come back.
func (q *Queue) Resume(ctx context.Context) error {
	q.mu.Lock()
	q.paused = false
	q.mu.Unlock()
	ids, err := q.idsIn(ctx, StateWaitingReconnect)
	if err != nil {
		return err
	}
	if _, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET state = CASE WHEN file_id = '' THEN 'queued' ELSE 'uploaded' END,
		reason = '', next_at = 0, updated_at = ? WHERE state = 'waiting_reconnect'`, q.now().UnixMilli()); err != nil {
		return fmt.Errorf("upload: resume: %w", err)
	}
	for _, id := range ids {
		q.notify(ctx, id)
	}
	q.kick()
	return nil
}

// ClearFinished removes done, cancelled and skipped items from the queue (and
// failed ones too if failed is set). The activity log keeps them, and
// duplicate detection reads the log, so nothing is forgotten.
func (q *Queue) ClearFinished(ctx context.Context, failed bool) (int, error) {
	states := `('done', 'cancelled', 'skipped_duplicate')`
	if failed {
		states = `('done', 'cancelled', 'skipped_duplicate', 'failed')`
	}
	res, err := q.sq.ExecContext(ctx, `DELETE FROM upload_items WHERE state IN `+states)
	if err != nil {
		return 0, fmt.Errorf("upload: clear finished: %w", err)
	}
	n, _ := res.RowsAffected()
	q.notify(ctx, 0)
	return int(n), nil
}

// Changed returns a channel closed at the queue's next change (an item's
// state, a worker ending, a pause), for callers that poll Items or Paused.
func (q *Queue) Changed() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.changed
}

// Paused reports whether the queue is waiting for the Xero connection.
func (q *Queue) Paused() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.paused
}

func (q *Queue) idsIn(ctx context.Context, s State) ([]int64, error) {
	return q.queryIDs(ctx, string(s), `SELECT id FROM upload_items WHERE state = ?`, string(s))
}

// queryIDs runs a query that selects item IDs; what names them in the error.
func (q *Queue) queryIDs(ctx context.Context, what, query string, args ...any) ([]int64, error) {
	rows, err := q.sq.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("upload: list %s: %w", what, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// finishedLocked books an item's bytes as finished for overall progress.
func (q *Queue) finishedLocked(id, size int64) {
	delete(q.sentNow, id)
	q.batchDone += size
}

// isUnique reports a violation of the one-live-item-per-file index.
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

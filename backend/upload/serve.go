package upload

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/rest"
	"chase.md/backend/xero"
)

func runnable(s State) bool {
	return s == StateQueued || s == StateUploading || s == StateUploaded || s == StateAssociating
}

// ErrServing is returned by a second Serve on a queue already being served.
var ErrServing = errors.New("upload: the queue is already running")

const runnableStates = `('queued', 'uploading', 'uploaded', 'associating')`

// Serve runs the workers until ctx ends. Items left mid-flight by a crash or
// a quit are picked up again: their state says which step is next; what may
// already have reached Xero is looked for there first (see findSent), and
// their stored keys make Xero replay what it still remembers.
func (q *Queue) Serve(ctx context.Context) error {
	q.mu.Lock()
	if q.serveCtx != nil {
		q.mu.Unlock()
		return ErrServing
	}
	q.serveCtx = ctx
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		q.serveCtx = nil
		q.mu.Unlock()
	}()
	if err := q.recover(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	done := make(chan struct{}, 64)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		next, err := q.dispatch(ctx, &wg, done)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			q.log.Error("upload: dispatch", "err", err)
			next = retryBase
		}
		timer.Reset(next)
		select {
		case <-ctx.Done():
			return nil
		case <-q.wake:
		case <-done:
		case <-timer.C:
		}
	}
}

// recover puts items interrupted mid-call back to the step they were on.
// Waiting items are tried again too: the new session may well be connected.
func (q *Queue) recover(ctx context.Context) error {
	_, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET state = CASE WHEN file_id = '' THEN 'queued' ELSE 'uploaded' END
		WHERE state IN ('uploading', 'associating', 'waiting_reconnect')`)
	if err != nil {
		return fmt.Errorf("upload: recover: %w", err)
	}
	var size sql.NullInt64
	if err := q.sq.QueryRowContext(ctx, `SELECT SUM(size) FROM upload_items WHERE state IN `+liveStates).Scan(&size); err != nil {
		return fmt.Errorf("upload: recover: %w", err)
	}
	q.mu.Lock()
	q.batchSize, q.batchDone, q.paused = size.Int64, 0, false
	q.mu.Unlock()
	return nil
}

// dispatch starts workers for due items, up to PerTenant per tenant, and
// says how long until the next backed-off item falls due.
func (q *Queue) dispatch(ctx context.Context, wg *sync.WaitGroup, done chan<- struct{}) (time.Duration, error) {
	q.mu.Lock()
	paused := q.paused
	q.mu.Unlock()
	if paused {
		return time.Hour, nil
	}
	now := q.now().UnixMilli()
	if err := q.releaseHeld(ctx, now); err != nil {
		return 0, err
	}
	rows, err := q.sq.QueryContext(ctx, `SELECT DISTINCT tenant_id FROM upload_items WHERE state IN `+runnableStates+` AND next_at <= ?`, now)
	if err != nil {
		return 0, err
	}
	var tenants []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, err
		}
		tenants = append(tenants, t)
	}
	rows.Close()
	for _, t := range tenants {
		q.mu.Lock()
		busy := q.perTenant[t]
		q.mu.Unlock()
		free := q.opts.PerTenant - busy
		if free <= 0 {
			continue
		}
		// Items in flight are still runnable in the table; ask for enough rows to skip them.
		items, err := queryItems(ctx, q.sq, `SELECT `+itemCols+` FROM upload_items WHERE tenant_id = ? AND state IN `+runnableStates+`
			AND next_at <= ? ORDER BY id LIMIT ?`, t, now, free+busy)
		if err != nil {
			return 0, err
		}
		for _, it := range items {
			if free == 0 {
				break
			}
			q.mu.Lock()
			if q.paused { // paused while this round was querying
				q.mu.Unlock()
				return time.Hour, nil
			}
			if q.running[it.ID] != nil {
				q.mu.Unlock()
				continue
			}
			wctx, cancel := context.WithCancel(ctx)
			q.running[it.ID] = cancel
			q.perTenant[t]++
			q.mu.Unlock()
			free--
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer cancel()
				// Read the row again now that it is claimed: the list above may be
				// older than a worker that has since finished it and a Retry that
				// changed it (new hash, new key).
				if fresh, err := getItem(wctx, q.sq, it.ID); err == nil && runnable(fresh.State) && fresh.nextAt <= q.now().UnixMilli() {
					q.work(wctx, fresh)
				}
				q.mu.Lock()
				delete(q.running, it.ID)
				q.perTenant[t]--
				if q.perTenant[t] == 0 {
					delete(q.perTenant, t)
				}
				q.mu.Unlock()
				q.notify(ctx, 0)
				select {
				case done <- struct{}{}:
				default:
				}
			}()
		}
	}
	var next sql.NullInt64
	if err := q.sq.QueryRowContext(ctx, `SELECT MIN(next_at) FROM upload_items WHERE state IN `+heldOrRunnable+` AND next_at > ?`, now).Scan(&next); err != nil {
		return 0, err
	}
	if !next.Valid {
		return time.Hour, nil
	}
	return time.Duration(next.Int64-now+1) * time.Millisecond, nil
}

// errFileChanged and errFileGone are permanent: the bytes queued are not the bytes on disk.
var (
	errFileChanged = errors.New("the file changed after it was queued; choose Retry to upload the new version")
	errFileGone    = errors.New("the file is no longer where it was queued; it may have been moved or deleted")
	// errTakenOver ends a watched file's item as cancelled, never failed:
	// the file left the claim it waited in and is filed from where it went.
	errTakenOver = errors.New("the file was taken over (by another computer watching the folder, or after a restart) and is filed from there")
)

// work takes one item through its remaining steps. Every state change is a
// compare-and-set on the state it expects, so a Cancel in between wins.
func (q *Queue) work(ctx context.Context, it Item) {
	prio := rest.Interactive
	if it.Source == SourceWatch {
		prio = rest.Background
	}
	ctx = rest.WithPriority(ctx, prio)
	if it.Source == SourceWatch {
		// Also before each retry of a call: a machine that slept through
		// rest's backoff may have lost the claim meanwhile.
		ctx = rest.WithPrecondition(ctx, func() error { return q.held(&it) })
	}
	err := q.steps(ctx, &it)
	if err == nil || ctx.Err() != nil {
		// Done, cancelled or shutting down: a shutdown leaves the state for recover.
		return
	}
	q.failed(context.WithoutCancel(ctx), it, err)
}

func (q *Queue) steps(ctx context.Context, it *Item) error {
	sender, err := q.sender(ctx, it.TenantID)
	if err != nil {
		return err
	}
	linked := false
	if it.FileID == "" {
		// sent_at is written before the first send, so a crash during it
		// leaves the mark findSent needs.
		if err := q.move(ctx, it, StateUploading, `attempts = attempts + 1, sent_at = CASE WHEN sent_at = 0 THEN ? ELSE sent_at END`,
			q.now().UnixMilli()); err != nil {
			return err
		}
		it.Attempts++
		folderID, err := q.folderID(ctx, sender, it.TenantID, it.Folder)
		if err != nil {
			return err
		}
		f, isLinked, err := q.findSent(ctx, sender, it, folderID)
		switch {
		case err != nil:
			return err
		case f != nil:
			if err := q.adopt(ctx, it, f); err != nil {
				return err
			}
			linked = isLinked
		default:
			if err := q.send(ctx, sender, it, folderID); err != nil {
				return err
			}
		}
	} else {
		// Uploaded before: only the link is missing, unless an earlier
		// attempt made it and its answer was lost (Xero may have forgotten
		// that attempt's key since).
		if err := q.move(ctx, it, StateUploaded, `attempts = attempts + 1`); err != nil {
			return err
		}
		it.Attempts++
		as, err := sender.FileAssociations(ctx, it.FileID)
		if err != nil {
			return fmt.Errorf("look at the links of %s: %w", it.Name, err)
		}
		for _, a := range as {
			linked = linked || a.ObjectID == it.Contact.ID
		}
	}
	if err := q.held(it); err != nil {
		return err
	}
	if err := q.move(ctx, it, StateAssociating, ""); err != nil {
		return err
	}
	if !linked { // an adopted file may already be linked: linking again could make a second link
		_, err = sender.Associate(ctx, it.FileID, xero.AssociationRequest{
			ObjectID: it.Contact.ID, ObjectGroup: "Contact", ObjectType: string(it.Contact.Type),
		}, it.AssociationKey)
		if err != nil {
			return fmt.Errorf("link %s to %s: %w", it.Name, it.Contact.Name, err)
		}
	}
	if err := q.finish(ctx, it, StateAssociating, StateDone, "", false); err != nil {
		return err
	}
	q.mu.Lock()
	q.reconnects = 0
	q.mu.Unlock()
	return nil
}

// send uploads the item's bytes and records the file Xero made.
func (q *Queue) send(ctx context.Context, sender Sender, it *Item, folderID string) error {
	data, err := q.read(it)
	if err != nil {
		return err
	}
	if err := q.held(it); err != nil {
		return err
	}
	mimeType := mime.TypeByExtension(filepath.Ext(it.Name))
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	f, err := sender.UploadFile(ctx, xero.UploadRequest{
		FolderID: folderID, Name: xeroName(it.Name), Body: bytes.NewReader(data), Size: int64(len(data)),
		MimeType: mimeType, IdempotencyKey: it.UploadKey, Progress: q.progress(it),
	})
	if err != nil && folderID != "" && errors.Is(err, rest.ErrNotFound) {
		// Someone deleted the folder in Xero: find or create it afresh next attempt.
		return q.forgetFolder(ctx, it, err)
	}
	if err != nil {
		return fmt.Errorf("upload %s: %w", it.Name, err)
	}
	if f == nil || f.ID == "" {
		return fmt.Errorf("upload %s: Xero answered without a file id", it.Name)
	}
	it.FileID = f.ID
	return q.moveTo(ctx, it, StateUploading, StateUploaded, `file_id = ?`, f.ID)
}

// held checks, right before an upload and right before a link, that a
// watched folder's file still waits in this machine's claim area. If it has
// left, another machine took the claim back while this one was asleep (or
// stopped) and files it itself: this one must neither send nor link it.
func (q *Queue) held(it *Item) error {
	if it.Source == SourceWatch && gone(it.Path) {
		return errTakenOver
	}
	return nil
}

// move sets it's state to `to` from whatever state it holds now.
func (q *Queue) move(ctx context.Context, it *Item, to State, extra string, args ...any) error {
	return q.moveTo(ctx, it, it.State, to, extra, args...)
}

// errLost means the item changed under the worker (cancelled): stop quietly.
var errLost = errors.New("upload: item changed state under the worker")

func (q *Queue) moveTo(ctx context.Context, it *Item, from, to State, extra string, args ...any) error {
	set := `state = ?, reason = '', updated_at = ?`
	if extra != "" {
		set += ", " + extra
	}
	all := append([]any{string(to), q.now().UnixMilli()}, args...)
	all = append(all, it.ID, string(from))
	res, err := q.sq.ExecContext(context.WithoutCancel(ctx), `UPDATE upload_items SET `+set+` WHERE id = ? AND state = ?`, all...)
	if err != nil {
		return fmt.Errorf("upload: item %d %s -> %s: %w", it.ID, from, to, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLost
	}
	it.State = to
	q.notify(ctx, it.ID)
	return nil
}

// finish moves an item to a final state and logs the outcome, in one transaction.
func (q *Queue) finish(ctx context.Context, it *Item, from, to State, reason string, retryable bool) error {
	ctx = context.WithoutCancel(ctx)
	now := q.now()
	err := q.st.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE upload_items SET state = ?, reason = ?, retryable = ?, updated_at = ?
			WHERE id = ? AND state = ?`, string(to), reason, retryable, now.UnixMilli(), it.ID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errLost
		}
		it.State, it.Reason, it.Retryable = to, reason, retryable
		return logOutcome(ctx, tx, *it, now)
	})
	if err != nil {
		return err
	}
	q.mu.Lock()
	q.finishedLocked(it.ID, it.Size)
	q.resetBatchLocked()
	q.mu.Unlock()
	q.notify(ctx, it.ID)
	q.settle()
	return nil
}

func (q *Queue) resetBatchLocked() {
	if len(q.running) <= 1 && q.batchDone >= q.batchSize {
		q.batchDone, q.batchSize = 0, 0
	}
}

// read loads the file and proves it still holds the bytes that were queued.
// Reading it whole (≤ 10 MB, a few workers) means the bytes sent are exactly
// the bytes hashed.
func (q *Queue) read(it *Item) ([]byte, error) {
	st, err := os.Stat(it.Path)
	if errors.Is(err, os.ErrNotExist) {
		if it.Source == SourceWatch {
			return nil, errTakenOver
		}
		return nil, permanent(errFileGone)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", it.Name, err)
	}
	if st.Size() != it.Size {
		return nil, permanent(errFileChanged)
	}
	data, err := os.ReadFile(it.Path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", it.Name, err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != it.SHA256 {
		return nil, permanent(errFileChanged)
	}
	return data, nil
}

// failed decides what an error means for the item: wait for reconnect, back
// off and try again, or fail.
func (q *Queue) failed(ctx context.Context, it Item, err error) {
	if errors.Is(err, errLost) {
		return
	}
	if errors.Is(err, errTakenOver) {
		q.log.Info("upload: taken over", "item", it.ID, "file", it.Name)
		_ = q.finish(ctx, &it, it.State, StateCancelled, capitalise(errTakenOver.Error())+".", false)
		return
	}
	step := StateQueued
	if it.FileID != "" {
		step = StateUploaded
	}
	now := q.now()
	kind, wait := classify(err)
	if kind == errReconnect && !errors.Is(err, auth.ErrReauthRequired) && errors.Is(err, rest.ErrUnauthorized) && q.probe(ctx, it.TenantID) {
		// A 401 on an upload: auth cannot replay a streamed body, so it
		// handed the 401 back without refreshing. The probe (a GET it can
		// replay) refreshed the token; try again like any transient error.
		kind = errTransient
	}
	switch kind {
	case errReconnect:
		// Mark the item first, then pause: a Resume racing with this either
		// sees the item waiting and requeues it, or runs before the pause
		// below, which then starts a new wait of its own.
		q.setBack(ctx, it, StateWaitingReconnect, "Waiting for the Xero connection: reconnect to Xero to continue.", 0, false)
		q.mu.Lock()
		first := !q.paused
		q.paused = true
		sctx := q.serveCtx
		q.reconnects++
		pause := reconnectPause << min(q.reconnects-1, 5)
		q.mu.Unlock()
		if first {
			q.log.Info("upload: paused until Xero is reconnected", "item", it.ID, "err", err)
			q.notify(ctx, 0)
			go q.awaitReconnect(sctx, pause)
		}
	case errLater:
		q.setBack(ctx, it, step, "Xero's daily limit for this organisation is used up; it will continue when the limit resets.",
			now.Add(wait).UnixMilli(), true)
	case errPermanent:
		q.log.Warn("upload: failed", "item", it.ID, "err", err)
		// A missing permission is fixed by signing in again: then Retry.
		_ = q.finish(ctx, &it, it.State, StateFailed, plain(err), errors.Is(err, rest.ErrPermissionMissing))
	default:
		if it.Attempts >= q.opts.MaxAttempts {
			q.log.Warn("upload: giving up for now", "item", it.ID, "attempts", it.Attempts, "err", err)
			_ = q.finish(ctx, &it, it.State, StateFailed, plain(err)+" Choose Retry to try again.", true)
			return
		}
		q.log.Info("upload: will retry", "item", it.ID, "attempt", it.Attempts, "err", err)
		q.setBack(ctx, it, step, "Retrying: "+plain(err), now.Add(backoff(it.Attempts)).UnixMilli(), false)
	}
}

// setBack returns a live item to a waiting state.
func (q *Queue) setBack(ctx context.Context, it Item, to State, reason string, nextAt int64, undoAttempt bool) {
	extra := ""
	if undoAttempt {
		extra = ", attempts = max(0, attempts - 1)"
	}
	_, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET state = ?, reason = ?, next_at = ?, updated_at = ?`+extra+`
		WHERE id = ? AND state = ?`, string(to), reason, nextAt, q.now().UnixMilli(), it.ID, string(it.State))
	if err != nil {
		q.log.Error("upload: set back", "item", it.ID, "err", err)
	}
	q.mu.Lock()
	delete(q.sentNow, it.ID)
	q.mu.Unlock()
	q.notify(ctx, it.ID)
}

// probe makes one cheap GET for the tenant, which lets the auth layer
// refresh a token that Xero refused; it reports whether the connection works.
func (q *Queue) probe(ctx context.Context, tenantID string) bool {
	s, err := q.sender(ctx, tenantID)
	if err != nil {
		return false
	}
	_, err = s.Folders(ctx)
	return err == nil
}

// awaitReconnect resumes the queue once WaitConnected says the connection is
// back. The pause before it grows while reconnects keep failing (a token the
// auth layer still calls good but Xero refuses), so the queue cannot spin.
func (q *Queue) awaitReconnect(ctx context.Context, pause time.Duration) {
	if q.opts.WaitConnected == nil || ctx == nil {
		return
	}
	if err := sleepCtx(ctx, pause); err != nil {
		return
	}
	if err := q.opts.WaitConnected(ctx); err != nil {
		return
	}
	if err := q.Resume(ctx); err != nil {
		q.log.Error("upload: resume", "err", err)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// backoff is exponential from retryBase, capped at retryMax, with full jitter
// over its upper half so items that failed together do not return together.
func backoff(attempt int) time.Duration {
	d := retryBase
	for i := 1; i < attempt && d < retryMax; i++ {
		d *= 2
	}
	d = min(d, retryMax)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

type errKind int

const (
	errTransient errKind = iota
	errPermanent
	errReconnect
	errLater
)

type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

func permanent(err error) error { return permanentError{err} }

// transientError is worth another attempt whatever the error inside says.
type transientError struct{ error }

func (e transientError) Unwrap() error { return e.error }

// classify says what an error from a step means. rest has already retried
// each call; what reaches here is transient only if worth another attempt later.
func classify(err error) (errKind, time.Duration) {
	var pe permanentError
	var te transientError
	var dl *rest.DailyLimitError
	var ae *rest.APIError
	switch {
	case errors.As(err, &pe), errors.Is(err, rest.ErrPermissionMissing):
		// A missing permission: retrying (or refreshing) gets the same 401;
		// signing in again and allowing it, then Retry, does not.
		return errPermanent, 0
	case errors.As(err, &te):
		return errTransient, 0
	case errors.Is(err, auth.ErrReauthRequired), errors.Is(err, auth.ErrSignedOut), errors.Is(err, rest.ErrUnauthorized):
		return errReconnect, 0
	case errors.As(err, &dl):
		return errLater, max(time.Until(dl.Reset), time.Minute)
	case errors.Is(err, rest.ErrDailyLimit), errors.Is(err, rest.ErrDailyBudgetReserved):
		return errLater, dailyLimitWait
	case errors.As(err, &ae):
		switch {
		case ae.Status == 409 || ae.Status == 408 || ae.Status == 429 || ae.Status >= 500:
			return errTransient, 0
		case ae.Status == 403:
			// The organisation was disconnected or a scope is missing: a reconnect fixes it.
			return errReconnect, 0
		}
		return errPermanent, 0
	}
	return errTransient, 0
}

// plain turns an error into words for the item's reason.
func plain(err error) string {
	var perm *rest.PermissionError
	if errors.As(err, &perm) {
		return fmt.Sprintf("Xero has not given chase.md permission to use %s (%q). Sign in to Xero again and allow it, then choose Retry.",
			perm.Label(), perm.Scope)
	}
	var ae *rest.APIError
	if errors.As(err, &ae) {
		switch {
		case ae.Detail != "":
			return "Xero said: " + ae.Detail
		case ae.Message != "":
			return "Xero said: " + ae.Message
		case ae.Status >= 500:
			return "Xero is having trouble right now."
		}
	}
	var pe permanentError
	if errors.As(err, &pe) {
		return capitalise(pe.error.Error()) + "."
	}
	var ne net.Error
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne) {
		return "The connection to Xero was lost."
	}
	return capitalise(err.Error()) + "."
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

func (q *Queue) sender(ctx context.Context, tenantID string) (Sender, error) {
	q.mu.Lock()
	s := q.senders[tenantID]
	q.mu.Unlock()
	if s != nil {
		return s, nil
	}
	s, err := q.opts.Senders(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("xero client for tenant %s: %w", tenantID, err)
	}
	q.mu.Lock()
	q.senders[tenantID] = s
	q.mu.Unlock()
	return s, nil
}

// xeroName is the name sent to Xero: the display name with the characters
// Xero Files refuses in names (\ / : * ? " < > |, legal on macOS and Linux)
// replaced by "-". Spaces and accents are kept exactly.
func xeroName(name string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`\/:*?"<>|`, r) {
			return '-'
		}
		return r
	}, name)
}

package upload

import (
	"context"
	"fmt"
)

// The undo window: a file a person filed to a client (a drop on a client
// row, a choice in Review) waits as StateHeld until its release time, so a
// slip can be undone before anything reaches Xero. The release time is the
// item's next_at; Serve's dispatcher queues held items when it passes, so a
// restart keeps the window (and a window that ended while chase.md was
// closed releases at once).

// UndoneReason is the Reason of an item cancelled by Undo.
const UndoneReason = "Undone before it was sent to Xero."

const heldOrRunnable = `('held', 'queued', 'uploading', 'uploaded', 'associating')`

// releaseHeld queues the held items whose window has ended.
func (q *Queue) releaseHeld(ctx context.Context, now int64) error {
	ids, err := q.heldIDs(ctx, `next_at <= ?`, now)
	if err != nil || len(ids) == 0 {
		return err
	}
	if _, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET state = 'queued', next_at = 0, updated_at = ?
		WHERE state = 'held' AND next_at <= ?`, q.now().UnixMilli(), now); err != nil {
		return fmt.Errorf("upload: release held items: %w", err)
	}
	for _, id := range ids {
		q.notify(ctx, id)
	}
	return nil
}

func (q *Queue) heldIDs(ctx context.Context, where string, args ...any) ([]int64, error) {
	return q.queryIDs(ctx, "held items", `SELECT id FROM upload_items WHERE state = 'held' AND `+where, args...)
}

// Undo cancels an item still in its undo window: nothing was sent to Xero.
// An item that has already gone is ErrNotAllowed (move it to another client
// in Xero instead).
func (q *Queue) Undo(ctx context.Context, id int64) error {
	if err := q.cancelAs(ctx, UndoneReason, `('held')`, `id = ?`, id); err != nil {
		return fmt.Errorf("upload: undo: %w", err)
	}
	return nil
}

// SendNow ends a held item's undo window at once.
func (q *Queue) SendNow(ctx context.Context, id int64) error {
	res, err := q.sq.ExecContext(ctx, `UPDATE upload_items SET state = 'queued', next_at = 0, updated_at = ?
		WHERE id = ? AND state = 'held'`, q.now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("upload: send item %d now: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := getItem(ctx, q.sq, id); err != nil {
			return err
		}
		return fmt.Errorf("upload: send item %d now: %w", id, ErrNotAllowed)
	}
	q.notify(ctx, id)
	q.kick()
	return nil
}

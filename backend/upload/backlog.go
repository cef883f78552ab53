package upload

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// The dispatcher's backlog facts: which tenants have held or runnable work
// and from when it may be due. Serve's loop owns them; it seeds them once
// from SQLite and then learns of new work from notes (Enqueue, Retry,
// Force, SendNow, a worker setting an item back, Resume), so a wake costs
// index seeks for the items it will run, not a scan of the queue.

// note says that tenant has work due from at (Unix ms); all means reseed.
type note struct {
	tenant string
	at     int64
	all    bool
}

// tell passes a note to Serve's loop without blocking. When the loop is
// behind (or not running) the note becomes a reseed, so nothing is lost.
func (q *Queue) tell(tenant string, at int64) {
	select {
	case q.notes <- note{tenant: tenant, at: at}:
	default:
		q.reseed.Store(true)
	}
	q.kick()
}

// tellAll makes the loop read the backlog facts afresh (rare: Resume).
func (q *Queue) tellAll() {
	q.reseed.Store(true)
	q.kick()
}

// backlog maps a tenant to the earliest time its held or runnable work may
// be due. It may be early (the loop then looks and finds the truth), never late.
type backlog map[string]int64

func (b backlog) add(n note) {
	if at, ok := b[n.tenant]; !ok || n.at < at {
		b[n.tenant] = n.at
	}
}

// next is the earliest time after now that something falls due, or -1.
func (b backlog) next(now int64) int64 {
	next := int64(math.MaxInt64)
	for _, at := range b {
		if at > now && at < next {
			next = at
		}
	}
	if next == math.MaxInt64 {
		return -1
	}
	return next
}

// seed reads the backlog facts from SQLite: once at start, and again only if
// notes were lost to a full channel or a Resume asked for it.
func (q *Queue) seed(ctx context.Context) (backlog, error) {
	rows, err := q.sq.QueryContext(ctx, `SELECT tenant_id, MIN(next_at) FROM upload_items WHERE state IN `+heldOrRunnable+` GROUP BY tenant_id`)
	if err != nil {
		return nil, fmt.Errorf("upload: read the backlog: %w", err)
	}
	defer rows.Close()
	b := backlog{}
	for rows.Next() {
		var t string
		var at int64
		if err := rows.Scan(&t, &at); err != nil {
			return nil, fmt.Errorf("upload: read the backlog: %w", err)
		}
		b[t] = at
	}
	return b, rows.Err()
}

// tenantNext is when the tenant's next held or runnable item after now falls
// due, or -1 if it has none: one index seek per state.
func (q *Queue) tenantNext(ctx context.Context, tenant string, now int64) (int64, error) {
	var next sql.NullInt64
	err := q.sq.QueryRowContext(ctx, `SELECT MIN(next_at) FROM upload_items WHERE tenant_id = ? AND state IN `+heldOrRunnable+` AND next_at > ?`,
		tenant, now).Scan(&next)
	if err != nil {
		return 0, fmt.Errorf("upload: next due for %s: %w", tenant, err)
	}
	if !next.Valid {
		return -1, nil
	}
	return next.Int64, nil
}

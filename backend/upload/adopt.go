package upload

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"chase.md/backend/xero"
	"chase.md/backend/xero/api"
)

// An item whose upload may already have reached Xero (sent before a crash,
// an answer lost, a claim taken back from another machine) is looked for in
// Xero Files before it is sent again: Xero documents only that a request
// may be "safely retried" with its Idempotency-Key, not for how long it
// remembers the key, so after a long gap a replay could make a second file.
// A file in the item's folder with its name and size, created since the item
// was first sent and linked to no other object, is the item's upload: the
// item takes its FileId and goes on to the link.

// Package variables so tests can change them.
var (
	// adoptCheck turns the look in Xero on; tests turn it off to show the
	// duplicates it prevents.
	adoptCheck = true
	// adoptSkew widens the window for clocks that disagree (ours, the
	// other machine's, Xero's).
	adoptSkew = 5 * time.Minute
)

// filesPageSize is the Files API's largest page.
const filesPageSize = 100

// listing is one look at a tenant's newest files, shared by the items that
// were waiting for it.
type listing struct {
	taken time.Time // when the look began (our clock)
	since time.Time // it holds every file created since then (Xero's clock)
	inbox string
	files []api.FileObject
}

type listingEntry struct {
	mu    sync.Mutex // one look at a time per tenant: others wait and share it
	last  *listing
	inbox string // the tenant's Inbox folder id, once known
}

// findSent returns the file in Xero that is it's earlier upload and whether
// it is already linked to it's contact; nil if it is not there.
func (q *Queue) findSent(ctx context.Context, s Sender, it *Item, folderID string) (*api.FileObject, bool, error) {
	if !adoptCheck || it.sentAt == 0 {
		return nil, false, nil
	}
	since := time.UnixMilli(it.sentAt).Add(-adoptSkew)
	l, err := q.listFor(ctx, s, it, since)
	if err != nil {
		return nil, false, err
	}
	want := folderID
	if want == "" {
		want = l.inbox
	}
	name := xeroName(it.Name)
	// Oldest first: of several copies the first is the one to keep.
	for i := len(l.files) - 1; i >= 0; i-- {
		f := l.files[i]
		if f.Name != name || f.Size != it.Size || (want != "" && f.FolderID != want) {
			continue
		}
		if at, err := xero.ParseFilesTime(f.CreatedDateUTC); err != nil || at.Before(since) {
			continue
		}
		var other int
		if err := q.sq.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM upload_items WHERE file_id = ? AND id != ?)
			OR EXISTS (SELECT 1 FROM upload_history WHERE file_id = ? AND item_id != ?)`, f.ID, it.ID, f.ID, it.ID).Scan(&other); err != nil {
			return nil, false, fmt.Errorf("upload: is file %s another item's: %w", f.ID, err)
		}
		if other != 0 {
			continue // another item's upload of the same name and size
		}
		as, err := s.FileAssociations(ctx, f.ID)
		if err != nil {
			return nil, false, fmt.Errorf("look for %s in Xero: %w", it.Name, err)
		}
		linked, foreign := false, false
		for _, a := range as {
			if a.ObjectID == it.Contact.ID {
				linked = true
			} else {
				foreign = true
			}
		}
		if foreign && !linked {
			continue // someone else's file that happens to share the name
		}
		return &f, linked, nil
	}
	return nil, false, nil
}

// listFor returns a look at the tenant's files taken after it's last attempt
// ended and reaching back to since, taking one if the last will not do. One
// look serves every item waiting at the time (all those a restart found
// mid-upload), so they cost one call, or one per 100 newer files.
func (q *Queue) listFor(ctx context.Context, s Sender, it *Item, since time.Time) (*listing, error) {
	q.mu.Lock()
	e := q.listings[it.TenantID]
	if e == nil {
		e = &listingEntry{}
		q.listings[it.TenantID] = e
	}
	q.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if l := e.last; l != nil && l.taken.After(it.UpdatedAt) && !l.since.After(since) {
		return l, nil
	}
	// Reach back as far as the oldest item now waiting for a look, so they share this one.
	var oldest int64
	if err := q.sq.QueryRowContext(ctx, `SELECT COALESCE(MIN(sent_at), 0) FROM upload_items WHERE tenant_id = ? AND sent_at > 0
		AND file_id = '' AND state IN ('queued', 'uploading')`, it.TenantID).Scan(&oldest); err != nil {
		return nil, fmt.Errorf("upload: items to look for: %w", err)
	}
	if oldest > 0 {
		if o := time.UnixMilli(oldest).Add(-adoptSkew); o.Before(since) {
			since = o
		}
	}
	l := &listing{taken: q.now(), since: since}
	if e.inbox == "" && it.Folder == "" {
		folders, err := s.Folders(ctx)
		if err != nil {
			return nil, fmt.Errorf("look for %s in Xero: %w", it.Name, err)
		}
		for _, f := range folders {
			if f.IsInbox {
				e.inbox = f.ID
			}
		}
	}
	l.inbox = e.inbox
	for page := 1; ; page++ {
		got, err := s.ListFiles(ctx, page)
		if err != nil {
			return nil, fmt.Errorf("look for %s in Xero: %w", it.Name, err)
		}
		if got == nil {
			return nil, errors.New("look in Xero: no answer")
		}
		l.files = append(l.files, got.Items...)
		if len(got.Items) < filesPageSize {
			break
		}
		last := got.Items[len(got.Items)-1]
		if at, err := xero.ParseFilesTime(last.CreatedDateUTC); err == nil && at.Before(since) {
			break
		}
	}
	e.last = l
	return l, nil
}

// adopt makes f it's upload: the item goes on to the link without sending
// the file again.
func (q *Queue) adopt(ctx context.Context, it *Item, f *api.FileObject) error {
	res, err := q.sq.ExecContext(context.WithoutCancel(ctx), `UPDATE upload_items SET state = 'uploaded', file_id = ?, reason = '',
		note = ?, updated_at = ? WHERE id = ? AND state = 'uploading' AND NOT EXISTS (SELECT 1 FROM upload_items WHERE file_id = ?1 AND id != ?4)`,
		f.ID, "Found in Xero Files already (sent before an interruption), so it was not uploaded again.", q.now().UnixMilli(), it.ID)
	if err != nil {
		return fmt.Errorf("upload: adopt file %s for item %d: %w", f.ID, it.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errLost
	}
	q.log.Info("upload: found in Xero, not sent again", "item", it.ID, "file", f.ID)
	it.FileID, it.State = f.ID, StateUploaded
	q.notify(ctx, it.ID)
	return nil
}

package upload

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"chase.md/backend/rest"
	"chase.md/backend/xero"
)

// A watched folder's file that another computer took over (its claim was
// stale: this one was asleep or stopped) is filed by that computer. This
// one's item is not a failure, and not cancelled either: it looks in Xero
// for the other computer's filing, and ends done with that file once the
// file is there and linked to the client, saying who filed it and where.
// Only if nothing shows up for takenOverWait does it end cancelled.

// FiledByPrefix begins the note of an item whose file another computer
// filed, so the activity log can say who filed it and where. (The same file
// queued again on this computer joins its live item: Enqueue.)
const FiledByPrefix = "Filed by "

// Package variables so tests can change them.
var (
	// takenOverRecheck is how often such an item looks in Xero again.
	takenOverRecheck = time.Minute
	// takenOverWait is how long it looks, from when it was queued.
	takenOverWait = 2 * time.Hour
)

const takenOverWaiting = "Another computer watching the folder took this file over; chase.md is waiting to see it filed in Xero."

// takenOver settles an item whose file has left this machine's claim.
func (q *Queue) takenOver(ctx context.Context, it Item) {
	// The claim is gone, which is the point: the looks in Xero must not
	// be stopped by the item's precondition.
	ctx = rest.WithPrecondition(ctx, func() error { return nil })
	fileID, err := q.filedElsewhere(ctx, &it)
	note := takenOverNote(it.Path)
	now := q.now()
	switch {
	case err == nil && fileID != "":
		if err := q.finishWith(ctx, &it, it.State, StateDone, "", false, `file_id = ?, note = ?`, fileID, note); err != nil {
			if !errors.Is(err, errLost) {
				q.log.Error("upload: record a file another computer filed", "item", it.ID, "err", err)
			}
			return
		}
		q.log.Info("upload: filed by another computer", "item", it.ID, "file", fileID)
	case ctx.Err() != nil:
		// Shutting down: recover looks again after the restart.
	case err != nil && !isPermanent(err):
		// Not signed in yet (a restart), offline, Xero busy: the queue's
		// usual waits, after which the item looks again.
		q.failed(ctx, it, fmt.Errorf("look in Xero for %s, which another computer took over: %w", it.Name, err))
	case now.Sub(it.CreatedAt) < takenOverWait:
		if err != nil {
			q.log.Warn("upload: look for a file another computer took over", "item", it.ID, "err", err)
		}
		step := StateQueued
		if it.FileID != "" {
			step = StateUploaded
		}
		q.setBack(ctx, it, step, takenOverWaiting, now.Add(takenOverRecheck).UnixMilli(), true)
	default:
		q.log.Info("upload: taken over, never seen filed", "item", it.ID, "file", it.Name)
		_ = q.finish(ctx, &it, it.State, StateCancelled, capitalise(errTakenOver.Error())+".", false)
	}
}

// takenOverNote says where the file went: the watched folder of the claim
// path (root/.chase-claims/owner/token/rel), whose Filed folder the other
// computer moves it into.
func takenOverNote(path string) string {
	where := "the same folder"
	sep := string(filepath.Separator)
	if i := strings.Index(path, sep+claimDirName+sep); i > 0 {
		where = path[:i]
	}
	return FiledByPrefix + "another computer watching " + where + ": it took the file over from this computer, sent it to Xero and moves it into Filed there."
}

// claimDirName is backend/watch's ClaimDir (upload does not import watch).
const claimDirName = ".chase-claims"

// filedElsewhere returns the Xero file that is it's document linked to its
// client, if another computer has filed it: the item's own upload (which the
// other computer adopts), or a file of its name and size created since it
// was queued and belonging to no other item here.
func (q *Queue) filedElsewhere(ctx context.Context, it *Item) (string, error) {
	s, err := q.sender(ctx, it.TenantID)
	if err != nil {
		return "", err
	}
	linked := func(fileID string) (bool, error) {
		as, err := s.FileAssociations(ctx, fileID)
		if err != nil {
			return false, fmt.Errorf("look at the links of %s: %w", it.Name, err)
		}
		for _, a := range as {
			if a.ObjectID == it.Contact.ID {
				return true, nil
			}
		}
		return false, nil
	}
	if it.FileID != "" {
		if ok, err := linked(it.FileID); err != nil || ok {
			return it.FileID, err
		}
	}
	since := it.CreatedAt.Add(-adoptSkew)
	l, err := q.listFor(ctx, s, it, since)
	if err != nil {
		return "", err
	}
	name := xeroName(it.Name)
	for i := len(l.files) - 1; i >= 0; i-- { // oldest first
		f := l.files[i]
		if f.Name != name || f.Size != it.Size {
			continue
		}
		if at, err := xero.ParseFilesTime(f.CreatedDateUTC); err != nil || at.Before(since) {
			continue
		}
		var other int
		if err := q.sq.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM upload_items WHERE file_id = ? AND id != ?)`, f.ID, it.ID).Scan(&other); err != nil {
			return "", fmt.Errorf("upload: is file %s another item's: %w", f.ID, err)
		}
		if other != 0 {
			continue
		}
		if ok, err := linked(f.ID); err != nil || ok {
			return f.ID, err
		}
	}
	return "", nil
}

func isPermanent(err error) bool {
	kind, _ := classify(err)
	return kind == errPermanent
}

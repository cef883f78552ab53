package filing

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chase.md/backend/match"
	"chase.md/backend/store"
	"chase.md/backend/upload"
	"chase.md/backend/watch"
)

// claim is a file this install took out of a folder and queued.
type claim struct {
	id      int64          // filing_pending row
	c       *watch.Claimed // nil for a claim restored after a restart
	folder  Folder
	root    string
	rel     string // where it came from
	path    string // where it waits: the queue item's path
	size    int64
	mtime   time.Time
	sha     string
	tenant  string
	contact upload.Contact
	item    int64
}

// fileReady is the watcher's sink: claim, check, match, queue.
func (s *Service) fileReady(ctx context.Context, f Folder, root string, file watch.File) error {
	if s.held(ctx, f, file) {
		return nil
	}
	var opts match.Options
	var ix *match.Index
	switch f.Mode {
	case ModeFixed:
		opts = match.Options{Mode: match.ModeFixed, ContactID: f.ContactID}
	default:
		var rules []match.Rule
		var err error
		ix, rules, err = s.index(ctx, f.TenantID)
		if err != nil {
			return err
		}
		if ix.Len() == 0 {
			return errNoContacts // retried after a sync (contactsLoop rescans)
		}
		// Half a first sync would send its missing clients' files to Review.
		if st, err := s.o.DB.ContactSyncState(ctx, f.TenantID); err != nil || st.LastSyncAt.IsZero() {
			return errNoContacts
		}
		opts = match.Options{Mode: matchMode(f.Mode), Rules: rules}
	}

	c, err := watch.Claim(root, file, s.owner)
	if errors.Is(err, watch.ErrClaimedElsewhere) {
		return nil // another machine has it, or it was deleted: nothing to do
	}
	if err != nil {
		if c != nil {
			c.Release()
		}
		return err
	}
	// Claimed: see it through to queued or released even if the folder is
	// stopped meanwhile, so no file is left half-way.
	ctx = context.WithoutCancel(ctx)
	if _, err := upload.Check(c.Path); err != nil {
		var ce *upload.CheckError
		if errors.As(err, &ce) && ce.Reason == upload.RefusedUnreadable {
			// The watcher read it a moment ago: not a refusal for good. Say
			// so, and let the watcher try again.
			if final, _ := c.Release(); final != "" {
				s.recordStuck(ctx, f, root, watch.Stuck{Path: final, Rel: c.Rel, Size: c.Size, ModTime: c.ModTime,
					Why: watch.WaitingUnreadable, Err: ce.Err})
			}
			return fmt.Errorf("filing: %s: %w", c.Rel, err)
		}
		return s.toReview(ctx, f, root, c, err.Error(), checkMessage(err), true, nil)
	}
	var res match.Result
	if ix != nil {
		res = ix.Match(c.Rel, opts)
	} else {
		res = fixedResult(f.ContactID)
	}
	if res.Auto == nil {
		reason := "No client matches this file's name or folder closely enough."
		if len(res.Best) > 1 && res.Best[0].Confidence-res.Best[1].Confidence < match.DefaultMargin {
			reason = fmt.Sprintf("It could belong to %s or %s.", res.Best[0].Name, res.Best[1].Name)
		}
		return s.toReview(ctx, f, root, c, reason, reason, false, res.Best)
	}
	return s.queue(ctx, f, root, c, res.Auto.ContactID, res.Auto.Reason, 0)
}

// held reports whether file waits in Review because its upload failed (Xero
// refused it for good, or it was cancelled) with these very bytes: only a
// person sends it again. It also clears what no longer holds now that the
// watcher found the file readable and whole: a listing as unreadable or
// unfinished, and a failed upload of other bytes (the file changed).
func (s *Service) held(ctx context.Context, f Folder, file watch.File) bool {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM filing_review WHERE folder_id = ? AND rel = ?
		AND (kind IN (?, ?) OR (kind = ? AND sha256 <> ?))`, f.ID, file.Rel, KindUnreadable, KindUnfinished, KindFailed, file.SHA256); err != nil {
		s.log.Warn("filing: clear a review", "file", file.Rel, "err", err)
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM filing_review WHERE folder_id = ? AND rel = ? AND kind = ? AND sha256 = ?`,
		f.ID, file.Rel, KindFailed, file.SHA256).Scan(&id)
	if err != nil {
		return false
	}
	// Touched, not changed: note its new time so the watcher's Known skips it.
	if _, err := s.db.ExecContext(ctx, `UPDATE filing_review SET size = ?, mtime_ns = ? WHERE id = ?`,
		file.Size, file.ModTime.UnixNano(), id); err != nil {
		s.log.Warn("filing: note a held file", "file", file.Rel, "err", err)
	}
	return true
}

func fixedResult(contactID string) match.Result {
	sg := match.Suggestion{ContactID: contactID, Confidence: 1, Reason: "the folder's client"}
	return match.Result{Best: []match.Suggestion{sg}, Auto: &sg}
}

func matchMode(m Mode) match.Mode {
	switch m {
	case ModeSubfolder:
		return match.ModeSubfolder
	case ModeFileName:
		return match.ModeFileName
	case ModeFixed:
		return match.ModeFixed
	}
	return match.ModeAuto
}

// checkMessage is a refusal in an accountant's words.
func checkMessage(err error) string {
	var ce *upload.CheckError
	if errors.As(err, &ce) && ce.Message != "" {
		return ce.Message
	}
	return err.Error()
}

// queue hands a claimed file to the upload queue for contactID.
func (s *Service) queue(ctx context.Context, f Folder, root string, c *watch.Claimed, contactID, why string, hold time.Duration) error {
	contact, err := s.o.Contact(ctx, f.TenantID, contactID)
	if errors.Is(err, store.ErrNotFound) {
		reason := "The client chosen for this file is not among the synced clients of this organisation."
		return s.toReview(ctx, f, root, c, reason, reason, false, nil)
	}
	if err != nil {
		c.Release()
		return fmt.Errorf("filing: %s: %w", c.Rel, err)
	}
	items, err := s.o.Queue.Enqueue(ctx, []upload.Request{{Path: c.Path, TenantID: f.TenantID, Contact: contact, Source: upload.SourceWatch,
		SentSince: c.SentSince, Hold: hold}})
	if err != nil || len(items) != 1 {
		if _, rerr := c.Release(); rerr != nil {
			s.log.Error("filing: release after a failed enqueue", "file", c.Rel, "err", rerr)
		}
		if err == nil {
			err = errors.New("the queue returned no item")
		}
		return fmt.Errorf("filing: queue %s: %w", c.Rel, err)
	}
	it := items[0]
	if it.State == upload.StateRefused {
		msg := it.Reason
		if it.Refusal != nil {
			msg = it.Refusal.Message
		}
		return s.toReview(ctx, f, root, c, msg, msg, true, nil)
	}
	cl := &claim{c: c, folder: f, root: root, rel: c.Rel, path: c.Path, size: c.Size, mtime: c.ModTime,
		sha: c.SHA256, tenant: f.TenantID, contact: contact, item: it.ID}
	res, err := s.db.ExecContext(ctx, `INSERT INTO filing_pending (item_id, folder_id, root, rel, claim_path, size, mtime_ns, sha256,
		tenant_id, contact_id, client, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		it.ID, f.ID, root, cl.rel, cl.path, cl.size, cl.mtime.UnixNano(), cl.sha, cl.tenant, contact.ID, contact.Name, ms(s.o.Now()))
	if err != nil {
		// The item is queued and reads the claimed file: keep tracking it in
		// memory; only a crash before it ends would return it to the folder.
		s.log.Error("filing: remember a queued file", "file", cl.rel, "err", err)
	} else {
		cl.id, _ = res.LastInsertId()
	}
	s.mu.Lock()
	s.pending[it.ID] = append(s.pending[it.ID], cl)
	s.mu.Unlock()
	if ev := s.ev().OnQueued; ev != nil {
		ev(Queued{FolderID: f.ID, File: filepath.Base(cl.rel), Client: contact.Name, ItemID: it.ID, Reason: why})
	}
	// The item may have ended before it was tracked (a duplicate, or a fast
	// upload whose event came first).
	if !it.State.Live() {
		s.settle(context.WithoutCancel(ctx), it)
	} else if now, err := s.o.Queue.Item(ctx, it.ID); err == nil && !now.State.Live() {
		s.settle(context.WithoutCancel(ctx), now)
	}
	return nil
}

// ItemChanged is told every upload item's new state (the session forwards the
// queue's events); items this service queued are filed when they end.
func (s *Service) ItemChanged(it upload.Item) {
	if it.State.Live() {
		return
	}
	s.mu.Lock()
	_, ok := s.pending[it.ID]
	s.mu.Unlock()
	if ok {
		s.settling.Go(func() { s.settle(context.Background(), it) })
	}
}

// Wait returns when the filing of items that ended (ItemChanged) is done;
// the session calls it after its loops stopped, before closing the store.
func (s *Service) Wait() { s.settling.Wait() }

// sweep looks now and then at tracked items whose end no event reported:
// claims restored after a restart at every tick (the queue resumes them
// while this process listens), the rest, which events cover, every tenth.
func (s *Service) sweep(ctx context.Context) error {
	t := time.NewTicker(SweepEvery)
	defer t.Stop()
	for tick := 0; ; tick++ {
		s.mu.Lock()
		var ids []int64
		for id, cls := range s.pending {
			if tick%10 == 0 || cls[0].c == nil {
				ids = append(ids, id)
			}
		}
		s.mu.Unlock()
		for _, id := range ids {
			it, err := s.o.Queue.Item(ctx, id)
			if errors.Is(err, upload.ErrNotFound) {
				it = upload.Item{ID: id, State: upload.StateCancelled, Reason: "it was removed from the upload queue"}
			} else if err != nil {
				continue
			}
			if !it.State.Live() {
				s.settle(ctx, it)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// settle files (or returns) every claim waiting on an item that ended.
func (s *Service) settle(ctx context.Context, it upload.Item) {
	s.mu.Lock()
	cls := s.pending[it.ID]
	delete(s.pending, it.ID)
	s.mu.Unlock()
	for _, cl := range cls {
		s.finish(ctx, cl, it)
	}
}

func (s *Service) finish(ctx context.Context, cl *claim, it upload.Item) {
	forget := func() {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM filing_pending WHERE id = ?`, cl.id); err != nil {
			s.log.Error("filing: forget a finished file", "file", cl.rel, "err", err)
		}
	}
	switch it.State {
	case upload.StateDone, upload.StateSkippedDuplicate:
	case upload.StateCancelled, upload.StateFailed:
		if _, err := os.Lstat(cl.path); errors.Is(err, os.ErrNotExist) {
			// The claim left this machine: another one took it back while
			// this one was asleep or stopped, and files it.
			forget()
			s.log.Info("filing: another computer took this file over", "file", cl.rel, "item", it.ID)
			return
		}
		fallthrough
	default:
		// Failed or cancelled: back where it was, in Review with the reason,
		// held there until a person acts or the file changes.
		changed := changedSince(cl.path, cl.sha)
		final, err := s.release(cl)
		forget()
		if err != nil {
			s.log.Error("filing: return a file after a failed upload", "file", cl.path, "err", err)
			return
		}
		if changed {
			// Not the bytes that failed: the watcher queues the new version.
			s.log.Info("filing: changed while queued, sending the new version", "file", cl.rel, "was", it.Reason)
			return
		}
		reason := "The upload did not finish"
		if it.Reason == upload.UndoneReason {
			reason = "You undid the filing before it was sent to Xero; choose the client again."
		} else if it.Reason != "" {
			reason += ": " + it.Reason
		} else {
			reason += "."
		}
		s.recordReview(ctx, cl.folder, final, cl.root, cl.size, cl.mtime, cl.sha, reason, false, KindFailed, nil)
		return
	}
	if changedSince(cl.path, cl.sha) {
		// Written to after it was hashed (a writer that paused with the file
		// looking whole): Xero has the earlier bytes. It is not filed; back in
		// its folder the watcher sees it changed and queues the new version.
		forget()
		if _, err := s.release(cl); err != nil {
			s.log.Error("filing: return a file that changed during its upload", "file", cl.path, "err", err)
			return
		}
		s.log.Info("filing: changed during its upload, sending the new version", "file", cl.rel, "item", it.ID)
		return
	}
	var final string
	var err error
	if cl.folder.After == AfterLeave {
		final, err = s.release(cl)
	} else {
		var c *watch.Claimed
		if c, err = s.claimed(cl); err == nil {
			final, err = c.Complete(filepath.Join(cl.root, "Filed", watch.SafeName(cl.contact.Name)))
		}
		if final == "" {
			// Filed/ cannot be written: leave it in its folder, remembered
			// as filed so it is not uploaded again.
			s.log.Warn("filing: move into Filed", "file", cl.rel, "err", err)
			final, err = s.release(cl)
		}
	}
	if final == "" {
		forget()
		s.log.Error("filing: put an uploaded file back", "file", cl.path, "err", err)
		return
	}
	if err != nil { // watch.ErrLeftover: placed, a second name stayed claimed
		s.log.Warn("filing: file an uploaded file", "file", cl.rel, "err", err)
	}
	finalRel, _ := filepath.Rel(cl.root, final)
	now := s.o.Now()
	// One transaction: a restart sees the file either waiting or filed.
	err = s.o.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO filing_done (folder_id, rel, final_rel, size, mtime_ns, sha256, item_id,
			tenant_id, contact_id, client, at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
			cl.folder.ID, cl.rel, finalRel, cl.size, cl.mtime.UnixNano(), cl.sha, it.ID, cl.tenant, cl.contact.ID, cl.contact.Name, ms(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM filing_pending WHERE id = ?`, cl.id)
		return err
	})
	if err != nil {
		s.log.Error("filing: record a filed file", "file", cl.rel, "err", err)
	}
	if ev := s.ev().OnFiled; ev != nil {
		ev(Filed{FolderID: cl.folder.ID, Folder: cl.folder.Path, File: filepath.Base(final), Path: final, Client: cl.contact.Name,
			ContactID: cl.contact.ID, ItemID: it.ID, When: now})
	}
}

// release puts a claimed file back in its folder and returns where it is
// (see watch.Claimed.Release).
func (s *Service) release(cl *claim) (string, error) {
	c, err := s.claimed(cl)
	if err != nil {
		return "", err
	}
	return c.Release()
}

// claimed is the watch.Claimed of cl, rebuilt for a claim restored after a
// restart.
func (s *Service) claimed(cl *claim) (*watch.Claimed, error) {
	if cl.c != nil {
		return cl.c, nil
	}
	return watch.Reopen(cl.root, s.owner, cl.path, cl.rel)
}

// toReview releases a claimed file and lists it for a person.
func (s *Service) toReview(ctx context.Context, f Folder, root string, c *watch.Claimed, logReason, reason string, refused bool, best []match.Suggestion) error {
	final, err := c.Release()
	if final == "" {
		return fmt.Errorf("filing: return %s for review: %w", c.Rel, err)
	}
	if err != nil { // watch.ErrLeftover: back, a second name stayed claimed
		s.log.Warn("filing: return for review", "file", c.Rel, "err", err)
	}
	s.log.Info("filing: for review", "file", c.Rel, "reason", logReason)
	s.recordReview(ctx, f, final, root, c.Size, c.ModTime, c.SHA256, reason, refused, KindMatch, best)
	return nil
}

// changedSince reports whether the file at p no longer holds the bytes
// hashed as sha. A file that cannot be read counts as unchanged: moving it
// fails on its own if it is gone.
func changedSince(p, sha string) bool {
	fh, err := os.Open(p)
	if err != nil {
		return false
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return false
	}
	return hex.EncodeToString(h.Sum(nil)) != sha
}

// recordStuck lists a file the watcher waits for (see watch.Stuck) in
// Review, in words; it leaves by itself once the watcher hands it over.
func (s *Service) recordStuck(ctx context.Context, f Folder, root string, st watch.Stuck) {
	kind, reason := KindUnfinished, fmt.Sprintf("This file looks unfinished: it has not changed for %s, yet it is incomplete "+
		"(cut short while being scanned or copied?). chase.md files it by itself once it is complete; if it is fine as it is, "+
		"choose its client to send it anyway.", span(watch.UnfinishedAfter))
	switch {
	case st.Why == watch.WaitingUnreadable:
		kind, reason = KindUnreadable, fmt.Sprintf("chase.md can't read this file (%s). It stays where it is and chase.md "+
			"keeps trying; it is filed by itself once it can be read.", readProblem(st.Err))
	case errors.Is(st.Err, watch.ErrInUse):
		reason = fmt.Sprintf("This file looks unfinished: another program has had it open for %s. chase.md files it by "+
			"itself once that program closes it.", span(watch.UnfinishedAfter))
	}
	s.log.Info("filing: waiting for a file", "file", st.Rel, "why", st.Why, "err", st.Err)
	s.recordReview(ctx, f, st.Path, root, st.Size, st.ModTime, "", reason, false, kind, nil)
}

// readProblem says in words why a file cannot be read.
func readProblem(err error) string {
	switch {
	case errors.Is(err, watch.ErrInUse):
		return "another program has it locked"
	case err == nil:
		return "it could not be opened"
	}
	return upload.PlainIOError(err)
}

// span is a duration as people say it.
func span(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}

func (s *Service) recordReview(ctx context.Context, f Folder, final, root string, size int64, mtime time.Time, sha, reason string, refused bool, kind ReviewKind, best []match.Suggestion) {
	rel, err := filepath.Rel(root, final)
	if err != nil {
		rel = filepath.Base(final)
	}
	if best == nil {
		best = []match.Suggestion{}
	}
	sj, _ := json.Marshal(best)
	// The file is back where it was: its modification time is unchanged by
	// the moves, so Known recognises it on a restart.
	if fi, err := os.Stat(final); err == nil {
		size, mtime = fi.Size(), fi.ModTime()
	}
	var id, created int64
	// A file still waited for keeps a person's Dismiss when told again
	// (after a restart); anything else is offered again.
	err = s.db.QueryRowContext(ctx, `INSERT INTO filing_review (folder_id, rel, size, mtime_ns, sha256, reason, refused, kind, suggestions, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (folder_id, rel) DO UPDATE SET size=excluded.size, mtime_ns=excluded.mtime_ns,
		sha256=excluded.sha256, reason=excluded.reason, refused=excluded.refused, kind=excluded.kind, suggestions=excluded.suggestions,
		dismissed = CASE WHEN excluded.kind IN (?, ?) AND filing_review.kind = excluded.kind THEN filing_review.dismissed ELSE 0 END
		RETURNING id, created_at`,
		f.ID, rel, size, mtime.UnixNano(), sha, reason, refused, kind, string(sj), ms(s.o.Now()), KindUnreadable, KindUnfinished).Scan(&id, &created)
	if err != nil {
		s.log.Error("filing: record a file for review", "file", rel, "err", err)
		return
	}
	if ev := s.ev().OnReview; ev != nil {
		ev(Review{ID: id, FolderID: f.ID, Folder: f.Path, Rel: rel, Path: final, Size: size, Reason: reason, Refused: refused,
			Kind: kind, Suggestions: best, CreatedAt: time.UnixMilli(created).UTC()})
	}
}

// known tells the watcher which files need no look: left in place after
// filing, or waiting in Review for a person, unchanged since (not those the
// watcher itself still waits for: unreadable or unfinished).
func (s *Service) known(folderID int64) func(rel string, size int64, mod time.Time) bool {
	return func(rel string, size int64, mod time.Time) bool {
		var n int
		err := s.db.QueryRow(`SELECT
			EXISTS (SELECT 1 FROM filing_done WHERE folder_id = ?1 AND final_rel = ?2 AND size = ?3 AND mtime_ns = ?4) OR
			EXISTS (SELECT 1 FROM filing_review WHERE folder_id = ?1 AND rel = ?2 AND size = ?3 AND mtime_ns = ?4 AND kind NOT IN (?5, ?6))`,
			folderID, rel, size, mod.UnixNano(), KindUnreadable, KindUnfinished).Scan(&n)
		return err == nil && n == 1
	}
}

// loadPending restores the claims queued before a restart.
func (s *Service) loadPending(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.item_id, p.folder_id, p.root, p.rel, p.claim_path, p.size, p.mtime_ns, p.sha256,
		p.tenant_id, p.contact_id, p.client, COALESCE(f.path, p.root), COALESCE(f.after, 'move') FROM filing_pending p
		LEFT JOIN filing_folders f ON f.id = p.folder_id`)
	if err != nil {
		return fmt.Errorf("filing: load queued files: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		cl := &claim{}
		var mt int64
		if err := rows.Scan(&cl.id, &cl.item, &cl.folder.ID, &cl.root, &cl.rel, &cl.path, &cl.size, &mt, &cl.sha, &cl.tenant,
			&cl.contact.ID, &cl.contact.Name, &cl.folder.Path, &cl.folder.After); err != nil {
			return fmt.Errorf("filing: load queued files: %w", err)
		}
		cl.mtime = time.Unix(0, mt)
		cl.folder.TenantID = cl.tenant
		s.pending[cl.item] = append(s.pending[cl.item], cl)
	}
	return rows.Err()
}

// tenantIndex is the match index of one organisation's contacts.
type tenantIndex struct {
	rev int64
	ix  *match.Index
}

func (s *Service) contactsRev(ctx context.Context, tenantID string) (int64, error) {
	return s.o.DB.ContactsRev(ctx, tenantID)
}

// index returns the tenant's match index, brought up to date in place with
// the contacts changed since it was (a sync changes a few; building it again
// from every contact took 100-330 ms at 10,000), and its rules.
func (s *Service) index(ctx context.Context, tenantID string) (*match.Index, []match.Rule, error) {
	rules, err := s.rules(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	rev, err := s.contactsRev(ctx, tenantID)
	if err != nil {
		return nil, nil, fmt.Errorf("filing: contacts revision: %w", err)
	}
	s.ixMu.Lock()
	defer s.ixMu.Unlock()
	t := s.ix[tenantID]
	if t != nil && t.rev >= rev {
		return t.ix, rules, nil
	}
	// Rows are keyed by contact, so reading one twice (a write landing
	// between the two queries) is harmless.
	since := int64(-1)
	if t != nil {
		since = t.rev
	}
	cs, err := s.candidates(ctx, tenantID, since)
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		t = &tenantIndex{ix: match.NewIndex(cs)}
		s.ix[tenantID] = t
	} else {
		t.ix.Update(cs)
	}
	t.rev = rev
	return t.ix, rules, nil
}

// candidates reads the tenant's contacts changed after revision since
// (-1: all of them).
func (s *Service) candidates(ctx context.Context, tenantID string, since int64) ([]match.Candidate, error) {
	var out []match.Candidate
	err := s.o.DB.ContactsChangedSince(ctx, tenantID, since, func(sc store.Contact) error {
		c := match.Candidate{ContactID: sc.ID, Name: sc.Name, FirstName: sc.FirstName, LastName: sc.LastName, Email: sc.Email,
			AccountNumber: sc.AccountNumber, ContactNumber: sc.ContactNumber,
			Archived: sc.Status != store.StatusActive || sc.MergedToID != ""}
		for _, p := range sc.Persons {
			if n := strings.TrimSpace(p.FirstName + " " + p.LastName); n != "" {
				c.PersonNames = append(c.PersonNames, n)
			}
			if p.Email != "" {
				c.PersonEmails = append(c.PersonEmails, p.Email)
			}
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("filing: load clients: %w", err)
	}
	return out, nil
}

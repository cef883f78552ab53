package remind

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"chase.md/backend/activity"
	"chase.md/backend/chase"
	"chase.md/backend/mail"
)

// Exactly once. A reminder's identity (client, the chase's start, step) is
// unique in remind_items, so planning never makes two. Sending it is:
//
//  1. claim: one UPDATE, committed, moves it from due/retry to "sending",
//     with the Message-ID it will carry and this process's boot id. Only one
//     caller wins the claim; everyone else finds it no longer due.
//  2. hand the message to the mail server.
//  3. record: "sent" with the time (or the failure).
//
// A crash before 1 leaves it due: nothing was sent. A crash between 1 and 3
// (the message may or may not have reached the server) leaves it "sending"
// by a process that no longer runs: Recover turns it "unsure", which is
// never sent again by itself; a person checks Sent items for the recorded
// Message-ID and says what they found (ResolveUnsure). A failure the server
// answered with 4xx, or a connection that never opened, cannot have
// delivered it, so those go back to "retry" with a backoff.

// bootID identifies this process's claims: a row "sending" under another
// boot id belongs to a process that has ended (one program owns a data
// folder at a time, package owner).
var bootID = func() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}()

// retryDelays is the backoff between tries after a temporary failure;
// after the last, the reminder fails for a person to look at.
var retryDelays = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour}

// ErrNoSender: this computer does not send (mailbox not set up, or another
// computer is the practice's sender). The words say which.
type ErrNoSender struct{ Words string }

func (e *ErrNoSender) Error() string { return "remind: cannot send: " + e.Words }

// Recover marks every reminder left "sending" by a process that has ended
// as "unsure", and logs each. It returns how many.
func (s *Service) Recover(ctx context.Context) (int, error) {
	its, err := s.items(ctx, `status = 'sending' AND sending_by != ?`, bootID)
	if err != nil {
		return 0, err
	}
	for _, it := range its {
		words := fmt.Sprintf("chase.md stopped while sending this reminder to %s: it may have been sent. Look in the practice's Sent items for Message-ID <%s>, then mark it sent or send it again.", it.To, it.MessageID)
		res, err := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET status = 'unsure', error = ?, error_code = 'mail_unsure', updated_at = ?
			WHERE tenant_id = ? AND id = ? AND status = 'sending' AND sending_by != ?`, words, s.now().UnixMilli(), s.tenant, it.ID, bootID)
		if err != nil {
			return 0, fmt.Errorf("remind: recover reminder %d: %w", it.ID, err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			it.Status, it.Error = StatusUnsure, words
			s.logItem(it, "May have been sent")
		}
	}
	return len(its), nil
}

// Send sends the due reminders ids, in order, each after checking again
// that its reason still holds; it returns each as it ended. A reminder that
// is no longer due is returned as it is.
func (s *Service) Send(ctx context.Context, ids ...int64) ([]Item, error) {
	if s.sender == nil {
		return nil, s.noSender()
	}
	its := make([]Item, 0, len(ids))
	for _, id := range ids {
		it, err := s.item(ctx, id)
		if err != nil {
			return nil, err
		}
		its = append(its, it)
	}
	var jobs jobStates
	out := make([]Item, 0, len(its))
	for _, it := range its {
		if !sendable(it.Status) {
			out = append(out, it)
			continue
		}
		f, err := s.fresh(ctx, it, &jobs)
		var got Item
		if err != nil {
			if ctx.Err() != nil {
				return out, ctx.Err()
			}
			got, err = s.fail(ctx, it, &mail.Error{Kind: mail.TryLater, Err: err,
				Words: "chase.md could not check with Xero that this reminder is still needed; it tries again later."})
		} else {
			got, err = s.sendOne(ctx, it, f)
		}
		if err != nil {
			return out, err
		}
		out = append(out, got)
	}
	return out, nil
}

func sendable(status string) bool {
	return status == StatusDue || status == StatusRetry || status == StatusSnoozed
}

func (s *Service) noSender() error {
	if s.noSend != nil {
		return s.noSend
	}
	return &ErrNoSender{Words: "Set up the practice's mailbox under Settings › Email on the computer that sends reminders."}
}

// jobStates are XPM's current jobs' states, read at most a minute ago.
type jobStates struct {
	at     time.Time
	states map[string]string
}

// fresh is what the stop conditions are checked against: the chase list
// rebuilt after asking Xero for the client's files, XPM's jobs, the ticks,
// the controls.
type fresh struct {
	clients map[string]*client
	ticks   ticks
	chasing map[string]string // chase states: key → name
	jobs    map[string]string // nil: no XPM to ask
}

// fresh lists the client's files in Xero again (so a file that arrived
// since the last refresh counts), reads XPM's jobs unless read in the last
// minute, then rebuilds the chase list.
func (s *Service) fresh(ctx context.Context, it Item, js *jobStates) (*fresh, error) {
	if s.files != nil && it.ContactID != "" {
		if _, err := s.chase.RefreshXeroFiles(ctx, s.files, []string{it.ContactID}, chase.Refresh{MaxAge: 0, Limit: 1}); err != nil {
			return nil, fmt.Errorf("remind: check the client's files in Xero before sending: %w", err)
		}
	}
	if s.jobs != nil && len(it.JobIDs) > 0 && (js.states == nil || s.now().Sub(js.at) > time.Minute) {
		st, err := s.jobs.JobStates(ctx)
		if err != nil {
			return nil, fmt.Errorf("remind: check the jobs in XPM before sending: %w", err)
		}
		js.states, js.at = st, s.now()
	}
	cs, err := s.clients(ctx)
	if err != nil {
		return nil, err
	}
	tk, err := s.ticks(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.chase.States(ctx)
	if err != nil {
		return nil, err
	}
	f := &fresh{clients: map[string]*client{}, ticks: tk, chasing: map[string]string{}, jobs: js.states}
	for _, c := range cs {
		f.clients[strings.ToLower(c.key)] = c
	}
	for _, st := range states {
		if st.Chase {
			f.chasing[planKey(st.Name)] = st.Name
		}
	}
	return f, nil
}

// stopReason checks, right before sending, whether its reason is gone.
// It returns the client as it stands now (its rows narrowed to the jobs
// still waiting), or why not to send: stop (for good) or snooze (until).
func (s *Service) stopReason(it Item, f *fresh) (c *client, stop, snooze string) {
	c = f.clients[strings.ToLower(it.ClientKey)]
	if c == nil {
		return nil, "the client is no longer on the chase list (its job left the waiting state, or it was unmarked)", ""
	}
	switch {
	case c.ctl.stopped:
		return c, "a person stopped chasing this client", ""
	case c.ctl.optedOut:
		return c, "the client opted out of reminders", ""
	case !c.plan.Enabled:
		return c, "reminders are off for " + c.plan.Name, ""
	case c.cycle != it.cycle:
		return c, "the client's chase started again since this was planned", ""
	}
	if c.ctl.paused != "" {
		if until, ok := parseDay(c.ctl.paused); ok && !dayOf(s.now(), s.loc).After(until) {
			return c, "", dayString(c.plan.sendDay(until.AddDate(0, 0, 1)))
		}
	}
	// The job's state in XPM itself, not as of the last sync.
	if f.jobs != nil {
		var still []chase.Row
		var moved []string
		for _, r := range c.rows {
			if r.JobID == "" {
				still = append(still, r)
				continue
			}
			st, ok := f.jobs[jobKey(r.JobID)]
			switch _, waiting := f.chasing[planKey(st)]; {
			case waiting:
				still = append(still, r)
			case !ok:
				moved = append(moved, fmt.Sprintf("job %s was completed in XPM", r.JobID))
			default:
				moved = append(moved, fmt.Sprintf("job %s moved to %q in XPM", r.JobID, st))
			}
		}
		if len(still) == 0 {
			return c, strings.Join(moved, "; "), ""
		}
		cc := *c
		cc.rows = still
		c = &cc
	}
	// The documents.
	left, hasList := outstandingRows(c.rows, f.ticks)
	files := 0
	for _, r := range c.rows {
		files = max(files, r.DocsSince)
	}
	switch {
	case c.plan.StopWhen == StopAnyFile && files > 0:
		return c, fmt.Sprintf("documents arrived (%d since the chase began)", files), ""
	case hasList && len(left) == 0:
		return c, "every document on the checklist is ticked", ""
	case !hasList && files > 0:
		return c, fmt.Sprintf("documents arrived (%d since the chase began) and the job has no checklist", files), ""
	}
	return c, "", ""
}

// sendOne checks it's stop conditions, claims it, sends it and records the outcome.
func (s *Service) sendOne(ctx context.Context, it Item, f *fresh) (Item, error) {
	c, stop, snooze := s.stopReason(it, f)
	if stop != "" {
		return s.finish(ctx, it, StatusStopped, stop, "Stopped")
	}
	if snooze != "" {
		_, err := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET status = 'snoozed', due = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			snooze, s.now().UnixMilli(), s.tenant, it.ID)
		if err != nil {
			return it, fmt.Errorf("remind: snooze %d: %w", it.ID, err)
		}
		return s.item(ctx, it.ID)
	}
	// Re-render for what is outstanding now, unless a person wrote the words.
	var edited int
	if err := s.db.SQL().QueryRowContext(ctx, `SELECT edited FROM remind_items WHERE id = ?`, it.ID).Scan(&edited); err != nil {
		return it, fmt.Errorf("remind: reminder %d: %w", it.ID, err)
	}
	d := s.draft(c, it.Step, f.ticks)
	it.Outstanding, it.JobIDs = d.Outstanding, d.JobIDs
	if edited == 0 {
		it.Subject, it.Body = d.Subject, d.Body
	}
	it.To = d.To
	if !mail.ValidAddress(it.To) {
		return s.fail(ctx, it, &mail.Error{Kind: mail.NoEmail, Words: "The client has no email address. Add one to the client in Xero (or XPM) and sync, then send it again."})
	}
	now := s.now()
	it.MessageID = mail.NewMessageID(s.sender.From())
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET status = 'sending', message_id = ?, sending_at = ?, sending_by = ?,
		attempts = attempts + 1, to_addr = ?, subject = ?, body = ?, outstanding = ?, job_ids = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND status IN ('due', 'retry', 'snoozed')`,
		it.MessageID, now.UnixMilli(), bootID, it.To, it.Subject, it.Body, jsonList(it.Outstanding), jsonList(it.JobIDs), now.UnixMilli(), s.tenant, it.ID)
	if err != nil {
		return it, fmt.Errorf("remind: claim reminder %d: %w", it.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s.item(ctx, it.ID) // someone else sent, skipped or stopped it meanwhile
	}
	if testHookClaimed != nil {
		testHookClaimed(it)
	}
	err = s.sender.Send(ctx, mail.Message{MessageID: it.MessageID, Date: now, To: it.To, Subject: it.Subject, Text: it.Body, HTML: htmlOf(it.Body)})
	if testHookSent != nil {
		testHookSent(it, err)
	}
	// The outcome is recorded even if ctx ended meanwhile.
	rctx := context.WithoutCancel(ctx)
	if err != nil {
		return s.fail(rctx, it, err)
	}
	_, err = s.db.SQL().ExecContext(rctx, `UPDATE remind_items SET status = 'sent', sent_at = ?, error = '', error_code = '', retry_at = 0, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, s.now().UnixMilli(), s.now().UnixMilli(), s.tenant, it.ID)
	if err != nil {
		return it, fmt.Errorf("remind: record reminder %d as sent: %w", it.ID, err)
	}
	if err := s.chase.MarkChased(rctx, it.ClientKey, now); err != nil {
		return it, err
	}
	got, err := s.item(rctx, it.ID)
	if err != nil {
		return it, err
	}
	s.logItem(got, "Sent")
	return got, nil
}

// Test hooks: after the claim is committed, and after the mail server answered.
var (
	testHookClaimed func(Item)
	testHookSent    func(Item, error)
)

// fail records a failed try: retried later when trying again is safe and
// may work, unsure when it may have gone, failed otherwise.
func (s *Service) fail(ctx context.Context, it Item, err error) (Item, error) {
	var me *mail.Error
	if !errors.As(err, &me) {
		me = &mail.Error{Kind: mail.Unsure, Words: mail.Words(err), Err: err}
	}
	var attempts int
	if err := s.db.SQL().QueryRowContext(ctx, `SELECT attempts FROM remind_items WHERE id = ?`, it.ID).Scan(&attempts); err != nil {
		return it, fmt.Errorf("remind: reminder %d: %w", it.ID, err)
	}
	status := StatusFailed
	var retryAt int64
	switch {
	case me.Kind == mail.Unsure:
		status = StatusUnsure
	case me.Retry() && attempts < len(retryDelays):
		status = StatusRetry
		retryAt = s.now().Add(retryDelays[max(attempts-1, 0)]).UnixMilli()
	}
	_, dbErr := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET status = ?, error = ?, error_code = ?, retry_at = ?, to_addr = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`, status, me.Words, string(me.Kind), retryAt, it.To, s.now().UnixMilli(), s.tenant, it.ID)
	if dbErr != nil {
		return it, fmt.Errorf("remind: record reminder %d: %w", it.ID, dbErr)
	}
	got, gerr := s.item(ctx, it.ID)
	if gerr != nil {
		return it, gerr
	}
	what := map[string]string{StatusRetry: "Not sent yet, will try again", StatusFailed: "Not sent", StatusUnsure: "May have been sent"}[status]
	s.logItem(got, what)
	return got, nil
}

// finish ends a reminder without sending it (stopped, skipped).
func (s *Service) finish(ctx context.Context, it Item, status, reason, what string) (Item, error) {
	res, err := s.db.SQL().ExecContext(ctx, `UPDATE remind_items SET status = ?, reason = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ? AND status IN ('due', 'retry', 'snoozed', 'failed', 'unsure')`,
		status, reason, s.now().UnixMilli(), s.tenant, it.ID)
	if err != nil {
		return it, fmt.Errorf("remind: %s reminder %d: %w", status, it.ID, err)
	}
	got, err := s.item(ctx, it.ID)
	if err != nil {
		return it, err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		s.logItem(got, what)
	}
	return got, nil
}

// logItem writes a reminder's outcome to Activity, with the email as sent.
func (s *Service) logItem(it Item, what string) {
	if s.log == nil {
		return
	}
	step := "First request"
	if it.Step > 0 {
		step = fmt.Sprintf("Reminder %d", it.Step)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", what, step)
	if it.To != "" {
		fmt.Fprintf(&b, " to %s", it.To)
	}
	b.WriteString(".")
	if it.Reason != "" {
		fmt.Fprintf(&b, " Why: %s.", it.Reason)
	}
	if it.Error != "" {
		fmt.Fprintf(&b, " %s", it.Error)
	}
	if it.MessageID != "" && (it.Status == StatusSent || it.Status == StatusUnsure) {
		fmt.Fprintf(&b, " Message-ID <%s>.", it.MessageID)
	}
	if it.Status == StatusSent {
		fmt.Fprintf(&b, "\n\nSubject: %s\n\n%s", it.Subject, it.Body)
	}
	s.log.Log(activity.Entry{Kind: activity.Reminder, Who: s.who(), TenantID: s.tenant, ContactID: it.ContactID, Client: it.ClientName,
		Subject: it.Subject, XeroID: strings.Join(it.JobIDs, ", "), Detail: b.String()})
}

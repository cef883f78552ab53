package core

import (
	"context"
	"fmt"
	"strings"
	"time"

	"chase.md/backend/activity"
	"chase.md/backend/auth"
	"chase.md/backend/filing"
	"chase.md/backend/syncer"
	"chase.md/backend/upload"
)

// The activity log is written here, where the session hears what its parts
// did: sign-ins (who), syncs, and every upload's end. Actions a person takes
// in the app (moves, removals, chase marks, emails, job moves, links) are
// logged by the app's services through Session.Log.

// activityTimeout bounds one write to the log, off any caller's ctx: an
// outcome is logged even when the action's ctx has just ended.
const activityTimeout = 5 * time.Second

// Log appends an entry to the activity log; a failure is logged, never
// returned: the action it records has already happened.
func (s *Session) Log(e activity.Entry) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), activityTimeout)
	defer cancel()
	if err := s.Activity.Add(ctx, e); err != nil {
		s.log.Error("activity: write", "kind", e.Kind, "err", err)
	}
}

func (s *Session) onSignIn(u auth.User) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(s.ctx), activityTimeout)
	defer cancel()
	if err := s.Activity.SetUser(ctx, u.Label()); err != nil {
		s.log.Error("activity: who signed in", "err", err)
	}
}

func (s *Session) logSync(e syncer.Event) {
	what := "An incremental"
	if e.Summary.Full {
		what = "A full"
	}
	sum := e.Summary
	detail := fmt.Sprintf("%s sync of the clients: %d new, %d changed, %d archived (%d received from Xero).",
		what, sum.Added, sum.Changed, sum.Archived, sum.Received)
	switch e.Phase {
	case syncer.PhaseDone:
		// Every full sync; an incremental one (every few minutes) only when it brought a change.
		if sum.Full || sum.Added+sum.Changed+sum.Archived > 0 {
			s.Log(activity.Entry{Kind: activity.Sync, TenantID: e.Tenant, Detail: detail})
		}
	case syncer.PhaseFailed:
		s.Log(activity.Entry{Kind: activity.SyncFailed, TenantID: e.Tenant, Detail: e.Error})
	}
}

// logUpload records an upload's end.
func (s *Session) logUpload(it upload.Item) {
	var kind activity.Kind
	switch it.State {
	case upload.StateDone:
		kind = activity.Filed
	case upload.StateFailed:
		kind = activity.Failed
	case upload.StateSkippedDuplicate:
		kind = activity.Skipped
	case upload.StateCancelled:
		kind = activity.Cancelled
		if it.Reason == upload.UndoneReason {
			kind = activity.Undone
		}
	default:
		return
	}
	detail := it.Reason
	if it.Note != "" {
		detail = it.Note
	}
	if kind == activity.Filed && !strings.HasPrefix(it.Note, upload.FiledByPrefix) {
		detail = "From " + it.Path + " (" + sourceWords[it.Source] + ")."
	}
	s.Log(activity.Entry{Kind: kind, TenantID: it.TenantID, ContactID: it.Contact.ID, Client: it.Contact.Name,
		Subject: it.Name, XeroID: it.FileID, Detail: detail})
}

var sourceWords = map[upload.Source]string{upload.SourceDrop: "dropped", upload.SourcePicker: "chosen with Add files",
	upload.SourceWatch: "a watched folder", upload.SourceCLI: "the command line"}

// logRefused records files refused before any call to Xero.
func (s *Session) logRefused(tenantID string, c upload.Contact, name, reason string) {
	s.Log(activity.Entry{Kind: activity.Refused, TenantID: tenantID, ContactID: c.ID, Client: c.Name, Subject: name, Detail: reason})
}

// filingEvents wraps the app's watched-folder events to log refusals.
func (s *Session) filingEvents() filing.Events {
	ev := s.events.Filing
	onReview := ev.OnReview
	ev.OnReview = func(r filing.Review) {
		if r.Refused {
			s.logRefused("", upload.Contact{}, r.Rel, r.Reason)
		}
		if onReview != nil {
			onReview(r)
		}
	}
	return ev
}

// LogRefused records the refused items of an Enqueue.
func (s *Session) LogRefused(items []upload.Item) {
	for _, it := range items {
		if it.State == upload.StateRefused {
			s.logRefused(it.TenantID, it.Contact, it.Name, it.Reason)
		}
	}
}

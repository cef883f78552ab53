package remind_test

import (
	"strings"
	"testing"
	"time"

	"chase.md/backend/remind"
)

// sendFirst sends the client's first request and moves the clock to the day
// its first reminder is due.
func sendFirst(t *testing.T, e *env, s *remind.Service, key string) remind.Item {
	t.Helper()
	it := itemOf(t, e.due(s), key)
	got, err := s.Send(e.ctx, it.ID)
	if err != nil || got[0].Status != remind.StatusSent {
		t.Fatalf("first request: %+v, %v", got, err)
	}
	e.clk.Add(6 * 24 * time.Hour)
	next := itemOf(t, e.due(s), key)
	if next.Step != 1 || next.Status != remind.StatusDue {
		t.Fatalf("the first reminder is not due: %+v", next)
	}
	return next
}

// A document that reaches the client's Xero Files (filed by someone in
// Xero, not through chase.md) after the request stops the next reminder of
// a job without a checklist, checked with Xero right before sending.
func TestFileInXeroFilesStopsTheNextReminder(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	next := sendFirst(t, e, s, rows[0].ClientKey)

	e.sb.Advance(10 * time.Minute) // past the start of the chase in the sandbox's time
	e.associate(rows[0].ContactID, "bank-statements-2026.pdf")
	got, err := s.Send(e.ctx, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusStopped || !strings.Contains(got[0].Reason, "documents arrived") {
		t.Fatalf("after a file arrived in Xero: %+v", got[0])
	}
	if n := len(e.messagesTo(rows[0].Email)); n != 1 {
		t.Fatalf("%d messages to the client, want only the first request", n)
	}
	if n := len(e.log.find("Stopped: Reminder 1")); n != 1 {
		t.Errorf("%d stops in Activity, want 1", n)
	}
	// And nothing more is planned for this chase.
	e.clk.Add(10 * 24 * time.Hour)
	for _, it := range e.due(s) {
		if it.ClientKey == rows[0].ClientKey && it.Status == remind.StatusDue {
			t.Fatalf("another reminder is due after the stop: %+v", it)
		}
	}
}

// With a checklist, a new file does not stop chasing by itself: chase.md
// proposes ticking items off and a person confirms; once all are ticked
// the next reminder stops. Under "any file" the file alone stops it.
func TestChecklistProposalThenStop(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	a := e.pick()
	b := e.pick(a[0].ClientKey)
	for _, r := range []string{a[0].JobID, b[0].JobID} {
		if _, err := e.chase.SetDocsNeeded(e.ctx, r, []string{"Bank statements", "Receipts"}); err != nil {
			t.Fatal(err)
		}
	}
	nextA := sendFirst(t, e, s, a[0].ClientKey)
	e.sb.Advance(10 * time.Minute)
	e.associate(a[0].ContactID, "statements.pdf")

	got, err := s.Send(e.ctx, nextA.ID)
	if err != nil || got[0].Status != remind.StatusSent {
		t.Fatalf("a file with two items outstanding: %+v, %v; want the reminder sent", got, err)
	}
	ps, err := s.Proposals(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, p := range ps {
		if p.JobID == a[0].JobID {
			found = p.Files == 1 && strings.Join(p.Outstanding, ",") == "Bank statements,Receipts"
		}
	}
	if !found {
		t.Fatalf("proposals = %+v, want one for %s", ps, a[0].JobID)
	}
	if _, err := s.Tick(e.ctx, a[0].JobID, []string{"Bank statements", "Receipts"}, true); err != nil {
		t.Fatal(err)
	}
	e.clk.Add(6 * 24 * time.Hour)
	step2 := itemOf(t, e.due(s), a[0].ClientKey)
	got, err = s.Send(e.ctx, step2.ID)
	if err != nil || got[0].Status != remind.StatusStopped || !strings.Contains(got[0].Reason, "ticked") {
		t.Fatalf("every item ticked: %+v, %v; want stopped", got, err)
	}

	// Any file: the practice's other choice.
	e.everyDay(s, func(p *remind.Plan) { p.StopWhen = remind.StopAnyFile })
	nextB := itemOf(t, e.due(s), b[0].ClientKey)
	e.associate(b[0].ContactID, "receipts.pdf")
	got, err = s.Send(e.ctx, nextB.ID)
	if err != nil || got[0].Status != remind.StatusStopped {
		t.Fatalf("any file: %+v, %v; want stopped", got, err)
	}
}

// The job moving on in XPM (not yet synced) stops the next reminder: the
// job's state is asked of XPM right before sending.
func TestJobMovedInXPMStopsTheNextReminder(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	if _, err := e.chase.SetDocsNeeded(e.ctx, rows[0].JobID, []string{"Bank statements"}); err != nil {
		t.Fatal(err)
	}
	next := sendFirst(t, e, s, rows[0].ClientKey)
	p := e.sb.Practice()
	var to string
	for _, st := range p.States() {
		if !st.AwaitsClient && !st.Completed {
			to = st.Code
			break
		}
	}
	if err := p.SetJobState(rows[0].JobID, to); err != nil {
		t.Fatal(err)
	}
	got, err := s.Send(e.ctx, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusStopped || !strings.Contains(got[0].Reason, "job "+rows[0].JobID+" moved to") {
		t.Fatalf("after the job moved in XPM: %+v", got[0])
	}
	if n := len(e.messagesTo(rows[0].Email)); n != 1 {
		t.Fatalf("%d messages to the client, want only the first request", n)
	}
}

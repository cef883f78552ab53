package remind_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"chase.md/backend/chase"
	"chase.md/backend/mail"
	"chase.md/backend/mail/mailtest"
	"chase.md/backend/remind"
)

// Today's reminders go out once each through the practice's mailbox: From
// the practice, the plan's wording, only the documents still outstanding;
// planning and sending again sends nothing more. Each is in Activity and on
// the client's page with the email as sent.
func TestDueTodaySendsOnceEachWithWhatIsOutstanding(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	key, job, to := rows[0].ClientKey, rows[0].JobID, rows[0].Email
	if _, err := e.chase.SetDocsNeeded(e.ctx, job, []string{"Bank statements", "Payroll summary", "Receipts"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tick(e.ctx, job, []string{"payroll  SUMMARY"}, true); err != nil {
		t.Fatal(err)
	}
	its := e.due(s)
	if len(its) < 5 {
		t.Fatalf("%d due today, want one per client on the chase list", len(its))
	}
	it := itemOf(t, its, key)
	if it.Status != remind.StatusDue || it.Step != 0 || it.To != to {
		t.Fatalf("our client's reminder = %+v", it)
	}
	var ids []int64
	for _, it := range its {
		ids = append(ids, it.ID)
	}
	sent, err := s.Send(e.ctx, ids...)
	if err != nil {
		t.Fatal(err)
	}
	nSent := 0
	byID := map[string]remind.Item{}
	for _, it := range sent {
		if it.Status == remind.StatusSent {
			nSent++
			byID["<"+it.MessageID+">"] = it
		}
	}
	msgs := e.smtp.Messages()
	if nSent == 0 || len(msgs) != nSent {
		t.Fatalf("server received %d messages for %d reminders sent", len(msgs), nSent)
	}
	for _, m := range msgs {
		it, ok := byID[m.Header.Get("Message-Id")]
		if !ok {
			t.Fatalf("message %s is no reminder's", m.Header.Get("Message-Id"))
		}
		delete(byID, m.Header.Get("Message-Id")) // each once
		if m.To[0] != it.To || m.Header.Get("From") != `"Smith & Co" <office@practice.test>` || m.Header.Get("Reply-To") != "<office@practice.test>" {
			t.Errorf("message to %v from %q reply-to %q", m.To, m.Header.Get("From"), m.Header.Get("Reply-To"))
		}
	}
	mine := e.messagesTo(to)
	if len(mine) != 1 {
		t.Fatalf("%d messages to %s, want 1", len(mine), to)
	}
	raw := decoded(t, mine[0].Raw)
	if subj := mine[0].Header.Get("Subject"); subj != "Documents needed for "+rows[0].ClientName {
		t.Errorf("subject %q", subj)
	}
	for _, want := range []string{"- Bank statements", "- Receipts", "<li>Bank statements</li>", "Smith & Co"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the email lacks %q", want)
		}
	}
	if strings.Contains(raw, "Payroll summary") {
		t.Error("the email lists a document already ticked off")
	}

	// Again: nothing new goes.
	again := e.due(s)
	ids = ids[:0]
	for _, it := range again {
		ids = append(ids, it.ID)
	}
	if _, err := s.Send(e.ctx, ids...); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Round(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != len(msgs) {
		t.Fatalf("planning and sending again: %d messages, want still %d", n, len(msgs))
	}

	logged := e.log.find("Sent: First request to " + to)
	if len(logged) != 1 || !strings.Contains(logged[0].Detail, "- Bank statements") || logged[0].Client != rows[0].ClientName {
		t.Errorf("activity = %+v, want one entry with the email as sent", logged)
	}
	c, err := s.Client(e.ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.History) != 1 || c.History[0].Status != remind.StatusSent || !strings.Contains(c.History[0].Body, "- Receipts") || c.History[0].SentAt.IsZero() {
		t.Errorf("client page history = %+v", c.History)
	}
}

// Two people pressing Send on the same reminder at once send one email.
func TestConcurrentSendsSendOnce(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	it := itemOf(t, e.due(s), rows[0].ClientKey)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.svc().Send(e.ctx, it.ID); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := len(e.messagesTo(rows[0].Email)); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

// A first request, then a reminder every 5 business days (weekends are
// quiet), friendly to firm, three at most; the dry run and the next date
// agree with what is then sent.
func TestCadenceFriendlyToFirm(t *testing.T) {
	monday := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	e := newEnv(t, envOpts{start: monday})
	s := e.svc()
	rows := e.pick()
	key, job, to := rows[0].ClientKey, rows[0].JobID, rows[0].Email
	if _, err := e.chase.SetDocsNeeded(e.ctx, job, []string{"Bank statements"}); err != nil {
		t.Fatal(err)
	}
	dry, err := s.DryRun(e.ctx, 15)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for _, it := range dry {
		if it.ClientKey == key {
			plan = append(plan, it.Due+" "+it.Subject)
		}
	}
	name := rows[0].ClientName
	want := []string{
		"2026-11-02 Documents needed for " + name,
		"2026-11-09 Reminder: documents needed for " + name,
		"2026-11-16 Second reminder: documents needed for " + name,
	}
	if strings.Join(plan, "\n") != strings.Join(want, "\n") {
		t.Fatalf("dry run for 15 days:\n%s\nwant\n%s", strings.Join(plan, "\n"), strings.Join(want, "\n"))
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("the dry run sent %d messages", n)
	}
	days := []time.Time{monday, monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 14), monday.AddDate(0, 0, 21)}
	for i, d := range days {
		e.clk.Set(d)
		// Saturday before: nothing due yet.
		it := itemOf(t, e.due(s), key)
		if it.Step != i || it.Due != d.Format(time.DateOnly) {
			t.Fatalf("day %s: step %d due %s, want step %d", d.Format(time.DateOnly), it.Step, it.Due, i)
		}
		got, err := s.Send(e.ctx, it.ID)
		if err != nil || got[0].Status != remind.StatusSent {
			t.Fatalf("send step %d: %+v, %v", i, got, err)
		}
		next, err := s.Next(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range next {
			if n.ClientKey != key {
				continue
			}
			if i < 3 && n.Date != d.AddDate(0, 0, 7).Format(time.DateOnly) {
				t.Errorf("after step %d the next date is %q, want a week later", i, n.Date)
			}
			if i == 3 && (n.Date != "" || !strings.Contains(n.Note, "All 3 reminders")) {
				t.Errorf("after the last reminder: %+v", n)
			}
		}
	}
	e.clk.Set(monday.AddDate(0, 0, 35))
	for _, it := range e.due(s) {
		if it.ClientKey == key && it.Status == remind.StatusDue {
			t.Fatalf("a fifth email is due: %+v", it)
		}
	}
	var subjects []string
	for _, m := range e.messagesTo(to) {
		subjects = append(subjects, strings.SplitN(m.Header.Get("Subject"), ":", 2)[0])
	}
	if got := strings.Join(subjects, "|"); got != "Documents needed for "+name+"|Reminder|Second reminder|Final reminder" {
		t.Fatalf("subjects sent: %s", got)
	}
}

// A 4xx is tried again with a growing delay until it goes; it goes once.
func TestTemporaryFailureIsRetriedWithBackoff(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	e.smtp.SetFault(func(stage string, n int) *smtp.SMTPError {
		if stage == "data" && n <= 2 {
			return mailtest.ErrTemporary
		}
		return nil
	})
	it := itemOf(t, e.due(s), rows[0].ClientKey)
	got, err := s.Send(e.ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	it = got[0]
	if it.Status != remind.StatusRetry || it.ErrorCode != string(mail.TryLater) || !it.RetryAt.Equal(e.clk.Now().Add(time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("after a 451: %+v", it)
	}
	round := func() {
		t.Helper()
		if _, err := s.Round(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	round()
	if n := e.smtp.Tries("data"); n != 1 {
		t.Fatalf("tried %d times before the backoff ended, want 1", n)
	}
	e.clk.Add(61 * time.Second)
	round()
	if n := e.smtp.Tries("data"); n != 2 {
		t.Fatalf("tried %d times after a minute, want 2", n)
	}
	e.clk.Add(2 * time.Minute)
	round()
	if n := e.smtp.Tries("data"); n != 2 {
		t.Fatalf("tried %d times 2 minutes into a 5-minute backoff, want 2", n)
	}
	e.clk.Add(4 * time.Minute)
	round()
	if n := len(e.messagesTo(rows[0].Email)); n != 1 {
		t.Fatalf("%d messages after the third try, want 1", n)
	}
	c, _ := s.Client(e.ctx, rows[0].ClientKey)
	if c.History[0].Status != remind.StatusSent || c.History[0].Attempts != 3 {
		t.Fatalf("reminder = %+v", c.History[0])
	}
	if n := len(e.log.find("Not sent yet, will try again")); n != 2 {
		t.Errorf("%d retries in Activity, want 2", n)
	}
}

// A 5xx is shown in words and not tried again.
func TestPermanentRefusalIsNotRetried(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	e.smtp.SetFault(func(stage string, _ int) *smtp.SMTPError {
		if stage == "rcpt" {
			return mailtest.ErrMailbox
		}
		return nil
	})
	it := itemOf(t, e.due(s), rows[0].ClientKey)
	got, err := s.Send(e.ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusFailed || got[0].ErrorCode != string(mail.Refused) || !strings.Contains(got[0].Error, "refused the address "+rows[0].Email) {
		t.Fatalf("after a 550: %+v", got[0])
	}
	for range 5 {
		e.clk.Add(3 * time.Hour)
		if _, err := s.Round(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.smtp.Tries("rcpt"); n != 1 {
		t.Fatalf("the refused address was tried %d times, want 1", n)
	}
	if n := len(e.log.find("Not sent: First request to " + rows[0].Email)); n != 1 {
		t.Errorf("%d failures in Activity, want 1", n)
	}
}

// A refused login fails for a person to fix (not retried); a server that
// does not answer is retried.
func TestLoginRefusedAndServerDown(t *testing.T) {
	e := newEnv(t, envOpts{})
	rows := e.pick()
	wrong := remind.New(e.db, e.chase, remind.Options{Practice: "Smith & Co",
		Sender: mail.NewSMTP(e.settings(), "not-the-password", mail.WithTLSConfig(e.smtp.ClientTLS)),
		Now:    e.clk.Now, Location: time.UTC, Log: e.log})
	e.everyDay(wrong, nil)
	it := itemOf(t, e.due(wrong), rows[0].ClientKey)
	got, err := wrong.Send(e.ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusFailed || got[0].ErrorCode != string(mail.LoginRefused) || !strings.Contains(got[0].Error, "refused the login") {
		t.Fatalf("wrong password: %+v", got[0])
	}
	if _, err := e.svc().ResolveUnsure(e.ctx, it.ID, false); err == nil {
		t.Error("a failed reminder was resolved as unsure")
	}

	set := e.settings()
	e.smtp.Close()
	down := remind.New(e.db, e.chase, remind.Options{Practice: "Smith & Co",
		Sender: mail.NewSMTP(set, "pw", mail.WithTLSConfig(e.smtp.ClientTLS), mail.WithTimeout(3*time.Second)),
		Now:    e.clk.Now, Location: time.UTC})
	it2 := itemOf(t, e.due(down), e.pick(rows[0].ClientKey)[0].ClientKey)
	got, err = down.Send(e.ctx, it2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusRetry || got[0].ErrorCode != string(mail.Unreachable) || !strings.Contains(got[0].Error, "could not reach the mail server") {
		t.Fatalf("server down: %+v", got[0])
	}
}

// A client without an email address fails in words without calling the server.
func TestClientWithoutEmail(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	if _, err := e.db.SQL().ExecContext(e.ctx, `UPDATE contacts SET email = '' WHERE contact_id = ?`, rows[0].ContactID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().ExecContext(e.ctx, `UPDATE xpm_clients SET email = '' WHERE uuid = ?`, rows[0].ClientKey); err != nil {
		t.Fatal(err)
	}
	it := itemOf(t, e.due(s), rows[0].ClientKey)
	got, err := s.Send(e.ctx, it.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusFailed || got[0].ErrorCode != string(mail.NoEmail) || !strings.Contains(got[0].Error, "no email address") {
		t.Fatalf("no address: %+v", got[0])
	}
	if n := e.smtp.Tries("rcpt"); n != 0 {
		t.Fatalf("the server was asked %d times", n)
	}
}

// An automatic plan sends by itself, only within its hours; a manual one waits.
func TestAutomaticPlanSendsWithinItsHours(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, func(p *remind.Plan) { p.Automatic, p.SendFrom, p.SendUntil = true, 9, 17 })
	rows := e.pick()
	d := e.clk.Now().AddDate(0, 0, 1)
	e.clk.Set(time.Date(d.Year(), d.Month(), d.Day(), 20, 0, 0, 0, time.UTC))
	if _, err := s.Round(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("%d sent at 20:00, outside 9–17", n)
	}
	e.clk.Set(time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 0, 0, time.UTC).Add(10 * time.Hour)) // 09:59 next day
	if _, err := s.Round(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.messagesTo(rows[0].Email)); n != 1 {
		t.Fatalf("%d sent to our client at 09:59, want 1", n)
	}
}

// A person stops, pauses or opts a client out: nothing goes.
func TestPersonStopsPausesOptsOut(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, nil)
	a := e.pick()
	b := e.pick(a[0].ClientKey)
	c := e.pick(a[0].ClientKey, b[0].ClientKey)
	its := e.due(s)
	ia, ib, ic := itemOf(t, its, a[0].ClientKey), itemOf(t, its, b[0].ClientKey), itemOf(t, its, c[0].ClientKey)
	if err := s.Stop(e.ctx, a[0].ClientKey, true); err != nil {
		t.Fatal(err)
	}
	if err := s.OptOut(e.ctx, b[0].ClientKey, true); err != nil {
		t.Fatal(err)
	}
	until := e.clk.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	if err := s.Pause(e.ctx, c[0].ClientKey, until); err != nil {
		t.Fatal(err)
	}
	got, err := s.Send(e.ctx, ia.ID, ib.ID, ic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Status != remind.StatusStopped || !strings.Contains(got[0].Reason, "stopped") ||
		got[1].Status != remind.StatusStopped || !strings.Contains(got[1].Reason, "opted out") ||
		got[2].Status != remind.StatusSnoozed || got[2].Due <= until {
		t.Fatalf("stopped, opted out, paused: %+v", got)
	}
	if n := len(e.smtp.Messages()); n != 0 {
		t.Fatalf("%d messages sent", n)
	}
}

// A plan's default documents become the checklist of a job that has none
// when its chase begins, and the first request lists them; a job with its
// own list keeps it.
func TestChecklistSeededFromThePlan(t *testing.T) {
	e := newEnv(t, envOpts{})
	s := e.svc()
	e.everyDay(s, func(p *remind.Plan) { p.DefaultDocs = []string{"P60", "Rental income statement"} })
	a := e.pick()
	b := e.pick(a[0].ClientKey)
	if _, err := e.chase.SetDocsNeeded(e.ctx, b[0].JobID, []string{"Share certificates"}); err != nil {
		t.Fatal(err)
	}
	its := e.due(s)
	if got := itemOf(t, its, a[0].ClientKey).Outstanding; strings.Join(got, ",") != "P60,Rental income statement" {
		t.Errorf("seeded job's outstanding = %v", got)
	}
	if got := itemOf(t, its, b[0].ClientKey).Outstanding; strings.Join(got, ",") != "Share certificates" {
		t.Errorf("own list's outstanding = %v", got)
	}
	cl, err := s.Checklist(e.ctx, a[0].JobID)
	if err != nil || len(cl) != 2 || cl[0].Doc != "P60" || cl[0].Done {
		t.Fatalf("checklist = %+v, %v", cl, err)
	}
}

// Without XPM, the clients marked by hand are chased under their own plan.
func TestHandMarkedClientsHaveTheirPlan(t *testing.T) {
	e := newEnv(t, envOpts{})
	var contactID, email string
	e.db.SQL().QueryRowContext(e.ctx, `SELECT contact_id, email FROM contacts WHERE tenant_id = ? AND email != '' ORDER BY name LIMIT 1`, e.org).Scan(&contactID, &email)
	e.chase = chase.New(e.db, e.org, chase.WithClock(e.clk.Now), chase.HandMarkedOnly())
	if err := e.chase.MarkForChase(e.ctx, contactID, true); err != nil {
		t.Fatal(err)
	}
	s := remind.New(e.db, e.chase, remind.Options{Practice: "Smith & Co",
		Sender: mail.NewSMTP(e.settings(), "pw", mail.WithTLSConfig(e.smtp.ClientTLS)), Now: e.clk.Now, Location: time.UTC})
	e.everyDay(s, nil)
	its := e.due(s)
	if len(its) != 1 || its[0].PlanID != remind.ManualPlan || its[0].To != email {
		t.Fatalf("due = %+v, want the hand-marked client under the manual plan", its)
	}
	if got, err := s.Send(e.ctx, its[0].ID); err != nil || got[0].Status != remind.StatusSent {
		t.Fatalf("send: %+v, %v", got, err)
	}
	if n := len(e.messagesTo(email)); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

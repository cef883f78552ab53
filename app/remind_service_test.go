package app

import (
	"strings"
	"testing"

	"chase.md/backend/activity"
	"chase.md/backend/mail"
	"chase.md/backend/remind"
)

// Demo mode: a plan set up, Due today listed, one sent: it lands in the
// in-app outbox (never a mail server) and in Activity; a test email too.
func TestDemoRemindersGoToTheOutbox(t *testing.T) {
	a, sess, ctx := demoChase(t)
	s := a.Remind
	plans, err := s.Plans()
	if err != nil || len(plans) < 2 || plans[len(plans)-1].ID != remind.ManualPlan {
		t.Fatalf("plans = %+v, %v; want the chase states' and the hand-marked clients'", plans, err)
	}
	for _, p := range plans {
		p.QuietDays = []int{} // whatever day the test runs
		if _, err := s.SavePlan(p); err != nil {
			t.Fatal(err)
		}
	}
	bad := plans[0]
	bad.EveryDays = 0
	if _, err := s.SavePlan(bad); err == nil || toUIError(err).Code != "invalid_input" {
		t.Errorf("a plan with no cadence: %v", err)
	}
	setup, err := s.MailSetup()
	if err != nil || !setup.Demo || !setup.Ready || !setup.ThisComputerSends {
		t.Fatalf("demo mail setup = %+v, %v", setup, err)
	}
	due, err := s.DueToday()
	if err != nil {
		t.Fatal(err)
	}
	var pick remind.Item
	for _, it := range due {
		if it.Status == remind.StatusDue && mail.ValidAddress(it.To) {
			pick = it
			break
		}
	}
	if pick.ID == 0 {
		t.Fatalf("nothing due with an address among %d", len(due))
	}
	got, err := s.Send(pick.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != remind.StatusSent && got.Status != remind.StatusStopped {
		t.Fatalf("sent: %+v", got)
	}
	out, err := s.Outbox(0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status == remind.StatusSent {
		if len(out) != 1 || out[0].MessageID != got.MessageID || out[0].To != got.To || !strings.Contains(out[0].Text, strings.Split(got.Body, "\n")[0]) {
			t.Fatalf("outbox = %+v, want the reminder", out)
		}
	}
	if _, err := s.Send(pick.ID); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Outbox(0); len(again) != len(out) {
		t.Fatalf("sending again: %d in the outbox, want %d", len(again), len(out))
	}
	es, err := sess.Activity.List(ctx, activity.Query{Kinds: []activity.Kind{activity.Reminder}})
	if err != nil || len(es) == 0 || es[0].Client != got.ClientName {
		t.Fatalf("activity = %+v, %v", es, err)
	}
	words, err := s.SendTest()
	if err != nil || !strings.Contains(words, "demo outbox") {
		t.Fatalf("send test: %q, %v", words, err)
	}
	if n, _ := s.Outbox(0); len(n) != len(out)+1 || n[0].Subject != "chase.md test" {
		t.Fatalf("outbox after the test = %+v", n)
	}
	c, err := s.Client(got.ClientKey)
	if err != nil || len(c.History) == 0 || c.History[0].ID != got.ID {
		t.Fatalf("client page = %+v, %v", c, err)
	}
	if _, err := s.Skip(got.ID); err == nil || toUIError(err).Code != "not_due" {
		t.Errorf("skipping a reminder already ended: %v", err)
	}
}

// Mail failures reach the UI in the mail package's words, with their kind as the code.
func TestMailErrorsInWords(t *testing.T) {
	err := &mail.Error{Kind: mail.LoginRefused, Words: "smtp.example.com refused the login."}
	if ui := toUIError(err); ui.Code != "mail_login" || ui.Message != err.Words {
		t.Fatalf("ui = %+v", ui)
	}
}

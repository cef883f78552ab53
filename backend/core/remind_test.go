package core

import (
	"sync/atomic"
	"testing"
	"time"

	"chase.md/backend/remind"
)

// The session's background round sends an automatic plan's due reminders
// by itself, with nobody pressing Send: what `chase watch` runs headless.
// In demo mode they go to the outbox, once each.
func TestAutomaticRemindersSendThemselves(t *testing.T) {
	var changed atomic.Int32
	s, ctx := openDemoWith(t, Options{Events: Events{Remind: func() { changed.Add(1) }}})
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	ch, err := s.Chase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; {
		if st, err := ch.Status(ctx); err == nil && st.XPM {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("XPM was never read")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r, err := s.Remind(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !r.CanSend() {
		t.Fatal("the demo has no sender")
	}
	plans, err := r.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		p.Automatic, p.QuietDays, p.SendFrom, p.SendUntil = true, []int{}, 0, 24
		if _, err := r.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	s.KickReminders()
	o, err := s.Outbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; {
		if msgs, _ := o.List(ctx, 0); len(msgs) > 0 && changed.Load() > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no automatic reminder reached the outbox")
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.KickReminders() // another round: nothing goes twice
	time.Sleep(200 * time.Millisecond)
	msgs, err := o.List(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	due, err := r.DueToday(ctx) // read after the outbox: the round may still be sending
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]bool{}
	for _, it := range due {
		if it.Status == remind.StatusSent {
			sent[it.MessageID] = true
		}
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.MessageID] || !sent[m.MessageID] {
			t.Fatalf("outbox message %s: twice or no reminder's", m.MessageID)
		}
		seen[m.MessageID] = true
	}
	// (A reminder sent twice would carry a second Message-ID, and the
	// first message would belong to no reminder.)
	if len(seen) > len(sent) {
		t.Fatalf("%d in the outbox for %d reminders sent", len(seen), len(sent))
	}
}

package core

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"chase.md/backend/chase"
)

// The background refresh of the chase list's files in Xero runs by itself
// once signed in and XPM is read: round after round it asks Xero about the
// contacts on the list, a few a round, and about none twice while its list is
// fresh. (The demo's 60 calls a minute pace it: three rounds are enough.)
func TestChaseFilesRefreshRunsOnItsSchedule(t *testing.T) {
	var rounds atomic.Int32 // rounds that asked Xero, as the UI hears of them
	s, ctx := openDemoWith(t, Options{ChaseFiles: ChaseFiles{First: 20 * time.Millisecond, Every: 20 * time.Millisecond, PerRound: 3},
		Events: Events{ChaseFiles: func(r chase.RefreshResult) {
			if r.Asked > 0 && r.Asked <= 3 {
				rounds.Add(1)
			}
		}}})
	asked := func() map[string]int {
		n := map[string]int{}
		for _, r := range s.Sandbox.Requests() {
			if id, ok := strings.CutPrefix(r.Path, "/files.xro/1.0/Associations/"); ok && r.Method == "GET" {
				n[strings.ToLower(id)]++
			}
		}
		return n
	}
	time.Sleep(100 * time.Millisecond) // rounds come and go while signed out: nothing is asked
	if n := asked(); len(n) != 0 {
		t.Fatalf("asked Xero about %v before any sign-in", n)
	}
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	ch, err := s.Chase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]bool
	deadline := time.Now().Add(time.Minute)
	for {
		if st, err := ch.Status(ctx); err == nil && st.XPM {
			rows, err := ch.List(ctx, chase.Query{})
			if err != nil {
				t.Fatal(err)
			}
			want = map[string]bool{}
			for _, r := range rows {
				if r.ContactID != "" {
					want[strings.ToLower(r.ContactID)] = true
				}
			}
			if got := asked(); len(want) > 9 && len(got) >= 9 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute Xero was asked about %d contacts, want 9 of the %d on the chase list", len(asked()), len(want))
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // more rounds: the contacts asked about are not asked again
	if n := rounds.Load(); n < 3 {
		t.Errorf("%d chase-files events for %d contacts asked about, want one per round (at least 3)", n, len(asked()))
	}
	for id, n := range asked() {
		if !want[id] || n != 1 {
			t.Errorf("contact %s asked about %d times (on the chase list: %v), want once", id, n, want[id])
		}
	}
}

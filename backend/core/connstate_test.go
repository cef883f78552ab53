package core

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/rest"
	"chase.md/backend/syncer"
)

// The one connection state follows its inputs: the sign-in, every call's
// outcome and the sync schedule, most urgent first, in words with times.
func TestConnStateMachine(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 30, 0, 0, time.Local)
	var told []ConnState
	m := newConnMachine(slog.New(slog.DiscardHandler), func() time.Time { return now }, func(s ConnState) { told = append(told, s) })
	step := func(name string, f func(), kind ConnKind, words ...string) ConnState {
		t.Helper()
		f()
		st := m.State()
		if st.Kind != kind {
			t.Fatalf("%s: state %+v, want %s", name, st, kind)
		}
		for _, w := range words {
			if !strings.Contains(st.Message, w) {
				t.Fatalf("%s: message %q lacks %q", name, st.Message, w)
			}
		}
		if strings.Contains(st.Message, "dial tcp") || strings.Contains(st.Message, "EOF") {
			t.Fatalf("%s: raw error in %q", name, st.Message)
		}
		return st
	}
	step("fresh", func() {}, ConnSignedOut, "Sign in")
	step("signed in", func() { m.Auth(auth.Connected) }, ConnConnected)
	step("sync starts", func() { m.Sync(syncer.Event{Phase: syncer.PhaseStarted}) }, ConnSyncing)
	st := step("page", func() {
		m.Sync(syncer.Event{Phase: syncer.PhaseProgress, Progress: syncer.Progress{Page: 2, PageCount: 5}})
	}, ConnSyncing, "page 2 of 5")
	if st.Page != 2 || st.PageCount != 5 {
		t.Fatalf("progress %+v", st)
	}
	refused := errors.New("dial tcp 127.0.0.1:9: connect: connection refused")
	st = step("a call fails", func() {
		m.Attempt(rest.Attempt{Err: refused, Retry: 1, RetryAt: now.Add(12 * time.Minute)})
	}, ConnUnreachable, "can't reach Xero", "retrying at 10:42", "attempt 2")
	if !st.Until.Equal(now.Add(12*time.Minute)) || st.Attempt != 1 {
		t.Fatalf("unreachable %+v", st)
	}
	step("a refusal Xero sent is an answer", func() { m.Attempt(rest.Attempt{}) }, ConnSyncing)
	step("fails again", func() { m.Attempt(rest.Attempt{Err: refused}) }, ConnUnreachable, "keeps trying")
	step("the sync gives up", func() { m.Sync(syncer.Event{Phase: syncer.PhaseFailed, Err: refused}) }, ConnUnreachable)
	step("next round is told", func() {
		m.Sync(syncer.Event{Phase: syncer.PhaseWaiting, RetryAt: now.Add(5 * time.Minute), Attempt: 1})
	}, ConnUnreachable, "retrying at 10:35")
	step("Xero answers", func() { m.Attempt(rest.Attempt{}) }, ConnConnected, "Connected")
	step("daily limit", func() { m.Attempt(rest.Attempt{DailyReset: now.Add(23 * time.Hour)}) }, ConnLimit, "daily limit", "09:30 tomorrow")
	step("the day ends", func() { now = now.Add(24 * time.Hour); m.Attempt(rest.Attempt{}) }, ConnConnected)
	step("reauth beats all", func() {
		m.Attempt(rest.Attempt{Err: refused})
		m.Auth(auth.ReconnectNeeded)
	}, ConnReauth, "sign in again")
	step("signed in again", func() { m.Auth(auth.Connected) }, ConnConnected)
	if len(told) < 12 {
		t.Fatalf("%d changes told, want every one", len(told))
	}
	// A change of page only is told; the same state again is not.
	n := len(told)
	m.Attempt(rest.Attempt{})
	if len(told) != n {
		t.Fatalf("no change was told: %+v", told[n:])
	}
}

// Against the demo Xero: a signed-in session whose Xero stops answering
// says so (with the next try) instead of syncing forever, and comes back to
// connected when Xero answers again and Retry now is pressed.
func TestConnectionUnreachableThenRecovers(t *testing.T) {
	s, ctx := openDemo(t)
	if got := s.Connection().Kind; got != ConnSignedOut {
		t.Fatalf("fresh demo: %s", got)
	}
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	waitConn(ctx, t, s, func(st ConnState) bool { return st.Kind == ConnConnected })

	if err := s.Sandbox.SetFaults("/*=drop"); err != nil {
		t.Fatal(err)
	}
	s.Scheduler.Trigger(false)
	st := waitConn(ctx, t, s, func(st ConnState) bool { return st.Kind == ConnUnreachable && !st.Until.IsZero() })
	if !strings.Contains(st.Message, "retrying at") || strings.Contains(st.Message, "EOF") {
		t.Fatalf("unreachable says %q", st.Message)
	}

	s.Sandbox.ClearFaults()
	s.RetryNow()
	waitConn(ctx, t, s, func(st ConnState) bool { return st.Kind == ConnConnected })
}

func waitConn(ctx context.Context, t *testing.T, s *Session, ok func(ConnState) bool) ConnState {
	t.Helper()
	for {
		ch := s.ConnectionChanged()
		if st := s.Connection(); ok(st) {
			return st
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatalf("connection state stuck at %+v", s.Connection())
		}
	}
}

// Changes made at once from many goroutines are told in an order whose last
// is the machine's final state (the UI keeps the last it was told).
func TestConnStateLastToldIsLatest(t *testing.T) {
	var mu sync.Mutex
	var last ConnState
	m := newConnMachine(slog.New(slog.DiscardHandler), nil, func(s ConnState) { mu.Lock(); last = s; mu.Unlock() })
	m.Auth(auth.Connected)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch i % 3 {
			case 0:
				m.Sync(syncer.Event{Phase: syncer.PhaseStarted})
			case 1:
				m.Sync(syncer.Event{Phase: syncer.PhaseDone})
			default:
				m.Attempt(rest.Attempt{Err: errors.New("refused"), Retry: 1, RetryAt: time.Now()})
			}
		}()
	}
	wg.Add(1)
	go func() { defer wg.Done(); m.Auth(auth.ReconnectNeeded) }()
	wg.Wait()
	m.Auth(auth.ReconnectNeeded)
	mu.Lock()
	defer mu.Unlock()
	if last.Kind != m.State().Kind || last.Kind != ConnReauth {
		t.Fatalf("last told %s, state %s", last.Kind, m.State().Kind)
	}
}

package upload

import (
	"context"
	"testing"

	"chase.md/backend/sandbox"
)

// waitUntil blocks until cond holds, re-checking at every queue change.
func waitUntil(t *testing.T, q *Queue, cond func() bool) {
	t.Helper()
	ctx := waitCtx(t)
	for {
		q.mu.Lock()
		ch := q.changed
		q.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			t.Fatal("timed out waiting for the queue")
		}
	}
}

func countIn(t *testing.T, q *Queue, s State) int {
	items, err := q.Items(context.Background(), Filter{States: []State{s}})
	if err != nil {
		t.Fatal(err)
	}
	return len(items)
}

func TestReconnectPausesAndResumes(t *testing.T) {
	for _, mode := range []string{"hook", "manual"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t, sandbox.Options{DisableLimits: true})
			reconnected := make(chan struct{})
			opts := Options{}
			if mode == "hook" {
				opts.WaitConnected = func(ctx context.Context) error {
					select {
					case <-reconnected:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			}
			q := e.queue(opts)
			c := e.contacts(1)[0]
			want := map[string]Contact{}
			var reqs []Request
			for _, p := range e.files(5, "Reconnect "+mode) {
				want[p] = c
				reqs = append(reqs, Request{Path: p, TenantID: e.tenant, Contact: c})
			}
			ctx := waitCtx(t)
			items, _ := q.Enqueue(ctx, reqs)
			e.sb.ExpireAccessTokens() // every call now gets 401
			e.serve(q)
			// Settled: nothing in flight, nothing mid-call, something waiting.
			waitUntil(t, q, func() bool {
				q.mu.Lock()
				idle := len(q.running) == 0
				q.mu.Unlock()
				return idle && countIn(t, q, StateUploading) == 0 && countIn(t, q, StateWaitingReconnect) > 0
			})
			if d := countIn(t, q, StateDone); d != 0 {
				t.Errorf("%d items done with an expired token", d)
			}
			if !q.Paused() {
				t.Error("queue not paused while waiting for reconnect")
			}
			if n := countIn(t, q, StateFailed); n != 0 {
				t.Errorf("%d items failed; an expired connection must not fail items", n)
			}
			e.mu.Lock()
			e.token, _ = e.sb.IssueToken()
			e.mu.Unlock()
			q.mu.Lock()
			q.senders = map[string]Sender{} // the app's senders pick up the new token themselves
			q.mu.Unlock()
			if mode == "hook" {
				close(reconnected)
			} else if err := q.Resume(ctx); err != nil {
				t.Fatal(err)
			}
			done, err := q.Wait(ctx, ids(items)...)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range done {
				if it.State != StateDone {
					t.Errorf("%s: %s %q", it.Name, it.State, it.Reason)
				}
			}
			if q.Paused() {
				t.Error("still paused after reconnect")
			}
			e.assertExactlyOnce(t, want)
		})
	}
}

package upload

import (
	"context"
	"testing"

	"chase.md/backend/sandbox"
)

// faultSpec injects, on uploads and associations alike, 10% 500s, 5% 503s
// and 5% answers lost after the server committed, plus two bursts of 429s
// (uploads at the start, associations mid-way). Each 429 pauses the tenant for
// its Retry-After, which is whole seconds, so the bursts are few but real.
const faultSpec = "POST /files.xro/1.0/Files=429@f3;" +
	"POST /files.xro/1.0/Files/*/Associations=429@n60;POST /files.xro/1.0/Files/*/Associations=429@n61;POST /files.xro/1.0/Files/*/Associations=429@n62;" +
	"POST /files.xro/1.0/Files*=500@p0.10;" +
	"POST /files.xro/1.0/Files*=503@p0.05;" +
	"POST /files.xro/1.0/Files*=dropafter@p0.05"

func TestFaults200FilesExactlyOnce(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true, Faults: faultSpec})
	q := e.queue(Options{PerTenant: 5, MaxAttempts: 50})
	reqs, want := e.spread(200, "Fault", e.contacts(7))
	ctx := waitCtx(t)
	items, err := q.Enqueue(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	e.serve(q)
	done, err := q.Wait(ctx, ids(items)...)
	if err != nil {
		dumpQueue(t, q)
		t.Fatalf("%v after %d requests", err, len(e.sb.Requests()))
	}
	for _, it := range done {
		if it.State != StateDone {
			t.Errorf("%s: %s %q", it.Name, it.State, it.Reason)
		}
	}
	e.assertExactlyOnce(t, want)
	e.assertFaultsInjected(t, "500", "503", "429", "dropafter")
}

// spread makes n files, each for the next of cs in turn, and the watcher's
// requests to file them; want says which contact each path belongs to.
func (e *env) spread(n int, prefix string, cs []Contact) (reqs []Request, want map[string]Contact) {
	want = map[string]Contact{}
	for i, p := range e.files(n, prefix) {
		c := cs[i%len(cs)]
		want[p] = c
		reqs = append(reqs, Request{Path: p, TenantID: e.tenant, Contact: c, Source: SourceWatch})
	}
	return reqs, want
}

// assertFaultsInjected fails unless the sandbox injected each kind of fault
// at least once: a fault never injected proves nothing.
func (e *env) assertFaultsInjected(t testing.TB, kinds ...string) {
	t.Helper()
	faults := map[string]int{}
	for _, r := range e.sb.Requests() {
		if r.Fault != "" {
			faults[r.Fault]++
		}
	}
	t.Logf("faults injected: %v", faults)
	for _, f := range kinds {
		if faults[f] == 0 {
			t.Errorf("no %s fault was injected; the test proves nothing about it", f)
		}
	}
}

func dumpQueue(t *testing.T, q *Queue) {
	all, _ := q.Items(context.Background(), Filter{Limit: 10000})
	by := map[State]int{}
	for _, it := range all {
		by[it.State]++
		if it.State.Live() && by[it.State] < 3 {
			t.Logf("live: %s %s attempts=%d next_at=%d reason=%q", it.Name, it.State, it.Attempts, it.nextAt, it.Reason)
		}
	}
	t.Logf("states: %v", by)
	for _, it := range all {
		if it.State != StateDone && it.State != StateQueued {
			t.Logf("%s: %s %q", it.Name, it.State, it.Reason)
		}
	}
}

package upload

import (
	"strings"
	"sync"
	"testing"

	"chase.md/backend/sandbox"
)

// An item waiting to be tried again says so in its events: the attempt
// that failed, when the next goes (NextAt) and why; after the retry budget
// it stops as failed with the reason and Retry offered.
func TestRetryIsVisibleInItemEvents(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	e.sb.SetFaults("POST /files.xro/1.0/Files/*/Associations=500@f1000")
	var mu sync.Mutex
	var seen []Item
	q := e.queue(Options{MaxAttempts: 2, Events: EventFuncs{OnItem: func(it Item) { mu.Lock(); seen = append(seen, it); mu.Unlock() }}})
	c := e.contacts(1)[0]
	ctx := waitCtx(t)
	p := e.files(1, "Retry seen")[0]
	items, _ := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c}})
	e.serve(q)
	done, _ := q.Wait(ctx, items[0].ID)
	if done[0].State != StateFailed || !done[0].Retryable || !strings.Contains(done[0].Reason, "Choose Retry") || !done[0].NextAt.IsZero() {
		t.Fatalf("after the budget: %+v", done[0])
	}
	mu.Lock()
	defer mu.Unlock()
	var waiting *Item
	for i := range seen {
		if seen[i].Attempts == 1 && strings.HasPrefix(seen[i].Reason, "Retrying") {
			waiting = &seen[i]
			break
		}
	}
	if waiting == nil {
		t.Fatalf("no event for the item waiting to retry: %+v", seen)
	}
	if waiting.NextAt.IsZero() || !waiting.NextAt.After(waiting.UpdatedAt) || waiting.State != StateUploaded {
		t.Fatalf("waiting item %+v: want NextAt after now and the reason", *waiting)
	}
}

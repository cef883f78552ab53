package upload

import (
	"errors"
	"sync"
	"testing"
	"time"

	"chase.md/backend/sandbox"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// A held item waits out its undo window: undone, nothing reaches Xero; left
// alone, it goes when the window ends, exactly once.
func TestHeldItemsWaitAndUndo(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	clk := &clock{t: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
	q := e.queue(Options{Now: clk.Now})
	e.serve(q)
	ctx := waitCtx(t)
	c := e.contacts(1)[0]
	paths := e.files(2, "Held")
	items, err := q.Enqueue(ctx, []Request{
		{Path: paths[0], TenantID: e.tenant, Contact: c, Hold: 10 * time.Second},
		{Path: paths[1], TenantID: e.tenant, Contact: c, Hold: 10 * time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.State != StateHeld || it.HeldUntil == nil || !it.HeldUntil.Equal(clk.Now().Add(10*time.Second)) {
			t.Fatalf("%s: state %s, held until %v; want held until 10 s from now", it.Name, it.State, it.HeldUntil)
		}
	}
	// The same file dropped again in the window is the same item.
	again, err := q.Enqueue(ctx, []Request{{Path: paths[0], TenantID: e.tenant, Contact: c, Hold: 10 * time.Second}})
	if err != nil || again[0].ID != items[0].ID {
		t.Fatalf("dropped again: %+v, %v; want item %d", again, err, items[0].ID)
	}

	if err := q.Undo(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	undone, err := q.Wait(ctx, items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if undone[0].State != StateCancelled || undone[0].Reason != UndoneReason {
		t.Fatalf("undone item: %s %q", undone[0].State, undone[0].Reason)
	}
	if n := len(e.sb.Files(e.tenant)); n != 0 {
		t.Fatalf("%d files reached Xero during the undo window, want 0", n)
	}

	// The window ends: the other item goes by itself.
	clk.add(10*time.Second + time.Millisecond)
	q.kick()
	sent, err := q.Wait(ctx, items[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if sent[0].State != StateDone {
		t.Fatalf("after the window: %s %q, want done", sent[0].State, sent[0].Reason)
	}
	e.assertExactlyOnce(t, map[string]Contact{paths[1]: c})

	// Undo after it went is refused: nothing pretends to take it back.
	if err := q.Undo(ctx, items[1].ID); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("undo of a sent item: %v, want ErrNotAllowed", err)
	}
}

// Send now ends the window at once.
func TestHeldItemSendNow(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	clk := &clock{t: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
	q := e.queue(Options{Now: clk.Now})
	e.serve(q)
	ctx := waitCtx(t)
	c := e.contacts(1)[0]
	p := e.files(1, "Now")[0]
	items, err := q.Enqueue(ctx, []Request{{Path: p, TenantID: e.tenant, Contact: c, Hold: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.SendNow(ctx, items[0].ID); err != nil {
		t.Fatal(err)
	}
	done, err := q.Wait(ctx, items[0].ID)
	if err != nil || done[0].State != StateDone {
		t.Fatalf("sent now: %+v, %v", done, err)
	}
	e.assertExactlyOnce(t, map[string]Contact{p: c})
}

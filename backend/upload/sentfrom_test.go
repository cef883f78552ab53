package upload

import (
	"testing"

	"chase.md/backend/sandbox"
)

// The local copy of a file in Xero: the path an upload of it was sent from,
// known only for files chase.md sent.
func TestSentFrom(t *testing.T) {
	e := newEnv(t, sandbox.Options{DisableLimits: true})
	q := e.queue(Options{})
	e.serve(q)
	ctx := waitCtx(t)
	c := e.contacts(1)[0]
	paths := e.files(1, "Local")
	items, err := q.Enqueue(ctx, []Request{{Path: paths[0], TenantID: e.tenant, Contact: c}})
	if err != nil {
		t.Fatal(err)
	}
	done, err := q.Wait(ctx, items[0].ID)
	if err != nil || done[0].State != StateDone || done[0].FileID == "" {
		t.Fatalf("upload: %+v, %v", done, err)
	}
	if got, err := q.SentFrom(ctx, e.tenant, done[0].FileID); err != nil || got != paths[0] {
		t.Fatalf("SentFrom(sent file) = %q, %v; want %q", got, err, paths[0])
	}
	for _, id := range []string{"", "0f8c5b1e-0000-4000-8000-000000000000"} {
		if got, err := q.SentFrom(ctx, e.tenant, id); err != nil || got != "" {
			t.Fatalf("SentFrom(%q) = %q, %v; want nothing for a file chase.md never sent", id, got, err)
		}
	}
	if got, _ := q.SentFrom(ctx, "another-tenant", done[0].FileID); got != "" {
		t.Fatalf("SentFrom in another organisation = %q, want nothing", got)
	}
}

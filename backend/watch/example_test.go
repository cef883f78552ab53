package watch_test

import (
	"context"
	"errors"
	"log"
	"path/filepath"
	"time"

	"chase.md/backend/match"
	"chase.md/backend/watch"
)

// The intended wiring: the watcher reports a stable file, the consumer
// matches it, claims it (so a second machine on the same share cannot take
// it too), queues the upload, and files it once uploaded. Files that do not
// match confidently are released for the Review list.
func Example() {
	root := "/shared/Scans"
	owner := "front-desk-pc" // unique per machine/install
	ix := match.NewIndex([]match.Candidate{{ContactID: "c1", Name: "Acme Widgets Ltd"}})

	// After a crash, put our half-done claims back first.
	if _, err := watch.RecoverOwn(root, owner); err != nil {
		log.Print(err)
	}
	sink := watch.SinkFunc(func(ctx context.Context, f watch.File) error {
		res := ix.Match(f.Rel, match.Options{Mode: match.ModeAuto})
		if res.Auto == nil {
			return nil // leave it in place; show res.Best in Review
		}
		c, err := watch.Claim(root, f, owner)
		if errors.Is(err, watch.ErrClaimedElsewhere) {
			return nil // another machine has it
		}
		if err != nil {
			return err // ErrNotReady: the watcher retries after a quiet period
		}
		// ... enqueue the upload of c.Path (hash c.SHA256) for res.Auto.ContactID;
		// when it is done:
		_, err = c.Complete(filepath.Join(root, "Filed", watch.SafeName(res.Auto.Name)))
		return err
	})
	w := watch.New(watch.Options{Root: root}, sink)
	ctx := context.Background()
	go watch.ServeHeartbeat(ctx, root, owner, time.Minute, func(err error) { log.Print(err) })
	// And every few minutes: watch.RecoverStale(root, owner, 10*time.Minute)
	// returns claims of machines that stopped heart-beating.
	if err := w.Serve(ctx); err != nil {
		log.Print(err)
	}
}

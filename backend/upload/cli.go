package upload

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sync"
)

// Target is where the CLI files documents: a tenant and one of its contacts.
type Target struct {
	TenantID string
	Contact  Contact
}

// Resolver finds the contact that --client names: a contact id or a name
// (the app resolves against the synced contacts in the store). It returns an
// error that lists the candidates when the name is ambiguous.
type Resolver func(ctx context.Context, client string) (Target, error)

// ErrIncomplete is returned by CLI when some files were refused or failed.
var ErrIncomplete = errors.New("upload: not every file was uploaded")

// CLI runs `chase upload --client NAME|CONTACT_ID [--folder NAME] FILE...`:
// the same checks and queue as the app. It runs the queue's workers itself
// until these files are finished (or leaves that to a Serve already
// running, as in `chase watch`) and prints one line per file.
func CLI(ctx context.Context, q *Queue, args []string, resolve Resolver, stdout io.Writer) error {
	fs := flag.NewFlagSet("upload", flag.ContinueOnError)
	fs.SetOutput(stdout)
	client := fs.String("client", "", "the client: its Xero contact id or its name")
	folder := fs.String("folder", "", "Xero Files folder (created if missing); default the Inbox")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "usage: chase upload --client NAME|CONTACT_ID [--folder NAME] FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *client == "" || fs.NArg() == 0 {
		fs.Usage()
		return errors.New("upload: --client and at least one FILE are required")
	}
	target, err := resolve(ctx, *client)
	if err != nil {
		return fmt.Errorf("upload: find client %q: %w", *client, err)
	}
	reqs := make([]Request, fs.NArg())
	for i, p := range fs.Args() {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		reqs[i] = Request{Path: p, TenantID: target.TenantID, Contact: target.Contact, Folder: *folder, Source: SourceCLI}
	}
	items, err := q.Enqueue(ctx, reqs)
	if err != nil {
		return err
	}
	incomplete := false
	var ids []int64
	for _, it := range items {
		switch it.State {
		case StateRefused:
			incomplete = true
			fmt.Fprintf(stdout, "refused  %s: %s\n", it.Name, it.Reason)
		case StateSkippedDuplicate:
			fmt.Fprintf(stdout, "skipped  %s: %s\n", it.Name, it.Note)
		default:
			fmt.Fprintf(stdout, "queued   %s (%s) for %s\n", it.Name, HumanSize(it.Size), it.Contact.Name)
			ids = append(ids, it.ID)
		}
	}
	if len(ids) > 0 {
		sctx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); _ = q.Serve(sctx) }()
		wg.Add(1)
		go func() { defer wg.Done(); sayWhenPaused(sctx, q, stdout) }()
		done, err := q.Wait(ctx, ids...)
		stop()
		wg.Wait()
		if err != nil {
			return fmt.Errorf("upload: %w (the rest stays queued and continues next time)", err)
		}
		for _, it := range done {
			switch it.State {
			case StateDone:
				fmt.Fprintf(stdout, "uploaded %s -> Xero file %s, linked to %s\n", it.Name, it.FileID, it.Contact.Name)
			default:
				incomplete = true
				fmt.Fprintf(stdout, "%-8s %s: %s\n", it.State, it.Name, it.Reason)
			}
		}
	}
	if incomplete {
		return ErrIncomplete
	}
	return nil
}

// sayWhenPaused tells the user, once, that the queue waits for a sign-in.
func sayWhenPaused(ctx context.Context, q *Queue, w io.Writer) {
	for {
		ch := q.Changed()
		if q.Paused() {
			fmt.Fprintln(w, "waiting  the Xero connection needs a new sign-in: run `chase login` in another terminal; uploads continue after it")
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return
		}
	}
}

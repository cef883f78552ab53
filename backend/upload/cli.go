package upload

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
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
var ErrIncomplete = errors.New("not every file was uploaded; the lines above say why")

// ErrNothingToDo is returned by CLI when every file was already in Xero.
var ErrNothingToDo = errors.New("every file was already uploaded, so nothing was sent; add --force to send them again")

// cliFlags are the flags of `chase upload`.
type cliFlags struct {
	fs             *flag.FlagSet
	client, folder *string
	force          *bool
}

func newCLIFlags(stdout io.Writer) cliFlags {
	fs := flag.NewFlagSet("upload", flag.ContinueOnError)
	fs.SetOutput(stdout)
	f := cliFlags{fs: fs,
		client: fs.String("client", "", "the client: its Xero contact id or its name"),
		folder: fs.String("folder", "", "Xero Files folder (created if missing); default the Inbox"),
		force:  fs.Bool("force", false, "send files already uploaded to this client again"),
	}
	fs.Usage = func() {
		fmt.Fprintln(stdout, "usage: chase upload --client NAME|CONTACT_ID [--folder NAME] [--force] FILE...")
		fs.PrintDefaults()
	}
	return f
}

func (f cliFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if *f.client == "" || f.fs.NArg() == 0 {
		f.fs.Usage()
		return errors.New("name the client with --client and give at least one file")
	}
	return nil
}

// CheckArgs parses args as CLI does, doing nothing else: the command line
// checks its flags before it opens the keyring or the database.
func CheckArgs(args []string, stdout io.Writer) error { return newCLIFlags(stdout).parse(args) }

// cliWords turns the app's wording of a refusal or note into the command
// line's: there is nothing to drop and no button to choose here.
func cliWords(s string) string {
	return strings.NewReplacer(
		"then drop it again", "then run the command again",
		"drop it again", "run the command again",
		"Choose Upload anyway to send it again.", "Add --force to send it again.",
		"Choose Retry to try again.", "Run the command again to retry.",
	).Replace(s)
}

// CLI runs `chase upload --client NAME|CONTACT_ID [--folder NAME] FILE...`:
// the same checks and queue as the app. It runs the queue's workers itself
// until these files are finished (or leaves that to a Serve already
// running, as in `chase watch`) and prints one line per file.
func CLI(ctx context.Context, q *Queue, args []string, resolve Resolver, stdout io.Writer) error {
	f := newCLIFlags(stdout)
	if err := f.parse(args); err != nil {
		return err
	}
	fs, client, folder := f.fs, f.client, f.folder
	target, err := resolve(ctx, *client)
	if err != nil {
		return err // the resolver's sentence: no match, or which clients match
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
		switch {
		case it.State == StateRefused:
			incomplete = true
			fmt.Fprintf(stdout, "refused  %s: %s\n", it.Name, cliWords(it.Reason))
		case it.State == StateSkippedDuplicate && *f.force:
			if err := q.Force(ctx, it.ID); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "queued   %s (%s) for %s again\n", it.Name, HumanSize(it.Size), it.Contact.Name)
			ids = append(ids, it.ID)
		case it.State == StateSkippedDuplicate:
			fmt.Fprintf(stdout, "skipped  %s: %s\n", it.Name, cliWords(it.Note))
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
			return fmt.Errorf("stopped before every file was uploaded; the rest stay queued and go next time chase.md runs: %w", err)
		}
		for _, it := range done {
			switch it.State {
			case StateDone:
				fmt.Fprintf(stdout, "uploaded %s -> Xero file %s, linked to %s\n", it.Name, it.FileID, it.Contact.Name)
			default:
				incomplete = true
				fmt.Fprintf(stdout, "%-8s %s: %s\n", it.State, it.Name, cliWords(it.Reason))
			}
		}
	}
	if incomplete {
		return ErrIncomplete
	}
	if len(ids) == 0 {
		return ErrNothingToDo
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

// Package cli is chase.md's command line: `chase <command>`. It shares the
// app's backend (package core), so a command does exactly what the app does.
// It never imports Wails.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/pkg/browser"

	"chase.md/backend/applog"
	"chase.md/backend/auth"
	"chase.md/backend/chase"
	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/owner"
	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/upload"
)

// Main runs the command line of the process: args without the program
// name. Ctrl-C and SIGTERM (how service managers stop programs; on Windows,
// closing the console window, logging off or shutting down, which Go
// delivers as SIGTERM) stop a command cleanly: `chase watch` then exits 0.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Run(ctx, args, os.Stdout, os.Stderr)
}

// Exit codes, documented in `chase help`.
const (
	ExitOK      = 0 // done
	ExitFailed  = 1 // something could not be done: the sentence printed says why and what next
	ExitUsage   = 2 // the command line was wrong (an unknown command or flag): nothing was done
	ExitNothing = 3 // nothing to do: every file was already in Xero, or nobody is on the chase list
)

// errNothing is a command that found nothing to do (ExitNothing).
var errNothing = errors.New("nothing to do")

// checkArgs parses a command's flags before anything else runs, so a typo
// is reported as one, not as whatever opening the keyring said.
var checkArgs = map[string]func(args []string, w io.Writer) error{
	"login":        noArgs("login"),
	"logout":       noArgs("logout"),
	"tenants":      noArgs("tenants"),
	"sync":         func(args []string, w io.Writer) error { _, err := syncFlags(args, w); return err },
	"update-check": noArgs("update-check"),
	"chase-list":   func(args []string, w io.Writer) error { _, err := chaseListFlags(args, w); return err },
	"upload":       upload.CheckArgs,
	"watch":        filing.CheckArgs,
}

func noArgs(cmd string) func([]string, io.Writer) error {
	return func(args []string, w io.Writer) error {
		fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
		fs.SetOutput(w)
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return fmt.Errorf("`chase %s` takes no arguments", cmd)
		}
		return nil
	}
}

// Run executes one command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return ExitOK
	}
	cmd, rest := args[0], args[1:]
	stdout = &lockedWriter{w: stdout} // reportWaits writes beside the command
	switch cmd {
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "chase.md %s\n", config.DisplayVersion())
		return ExitOK
	case "help", "--help", "-h":
		usage(stdout)
		return ExitOK
	case "sandbox":
		if err := sandbox.Main(ctx, rest, stdout, auth.RedirectURIs(nil)...); err != nil && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "chase sandbox: %v\n", err)
			return ExitFailed
		}
		return ExitOK
	}
	check, ok := checkArgs[cmd]
	if !ok {
		fmt.Fprintf(stderr, "chase: unknown command %q\n\n", cmd)
		usage(stderr)
		return ExitUsage
	}
	if err := check(rest, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		fmt.Fprintf(stderr, "chase %s: %s. See `chase help`.\n", cmd, strings.TrimSuffix(err.Error(), "."))
		return ExitUsage
	}
	var err error
	switch cmd {
	case "update-check":
		err = updateCheck(ctx, stdout)
	case "login":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error { return login(ctx, s, stdout) })
	case "logout":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error {
			if err := s.SignOut(ctx); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "Signed out. Your local clients and history are kept.")
			return nil
		})
	case "tenants":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error { return tenants(ctx, s, stdout) })
	case "sync":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error { return syncCmd(ctx, s, rest, stdout) })
	case "chase-list":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error { return chaseList(ctx, s, rest, stdout) })
	case "upload":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error { return uploadCmd(ctx, s, rest, stdout) })
	case "watch":
		err = withSession(ctx, cmd, stdout, stderr, func(s *core.Session) error {
			org := "this organisation"
			if t, err := mainTenant(ctx, s); err == nil {
				org = t.Name
			}
			defer reportWaits(ctx, s, stdout, org, "filing resumes", "queued files stay queued")()
			return filing.CLI(ctx, s.Folders, rest, s.Serve, stdout)
		})
	}
	return exitFor(err, stderr)
}

// exitFor prints err as one sentence with its next step and returns the exit code.
func exitFor(err error, stderr io.Writer) int {
	var busy *busyError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errNothing), errors.Is(err, upload.ErrNothingToDo):
		if !errors.Is(err, errNothing) {
			fmt.Fprintln(stderr, sentence(err.Error()))
		}
		return ExitNothing
	case errors.As(err, &busy):
		fmt.Fprintln(stderr, busy.msg)
		return ExitFailed
	}
	fmt.Fprintln(stderr, words(err))
	return ExitFailed
}

func usage(w io.Writer) {
	fmt.Fprint(w, `chase.md — chase clients for documents and file them in Xero.

Usage:
  chase                       open the app (add --demo for the built-in demo Xero)
  chase login                 sign in to Xero in your browser
  chase logout                sign out (revokes the sign-in, keeps local history)
  chase tenants               list the organisations and practice you connected
  chase sync [--full]         sync client contacts now and print a summary
  chase upload --client NAME|CONTACT_ID [--folder NAME] [--force] FILE...
                              upload files to a client's Xero Files, exactly once
  chase watch [--folder DIR]  file documents from watched folders without the app, until Ctrl-C;
                              on the practice's sending computer it also sends the reminders
                              of automatic chase plans as they fall due
  chase chase-list [--format md|csv]
                              print who owes documents (Markdown or CSV)
  chase sandbox --addr 127.0.0.1:PORT [--contacts N] [--faults SPEC]
                              run the pretend Xero on its own
  chase update-check          say whether a newer chase.md is out (never installs it)
  chase version | help

Set CHASE_DEMO=1 to run any command against the built-in demo Xero.
While a command waits for Xero (not reachable, or its daily limit used up) it
says why and until when; Ctrl-C stops it and queued uploads stay queued.
What happened is also written to chase.log in the data folder.

Exit codes:
  0  done
  1  something could not be done (the message says why and what to do next)
  2  the command line was wrong (an unknown command or flag); nothing was done
  3  nothing to do (every file was already in Xero, or nobody is on the chase list)
`)
}

// owning are the commands that change the data folder or serve it: each
// takes the folder (package owner) for as long as it runs, so no two
// processes recover or work one upload queue. The others only read.
var owning = map[string]owner.Program{
	"login": owner.Command, "logout": owner.Command, "sync": owner.Command, "upload": owner.Command,
	"watch": owner.Watch,
}

// instead says what to do in the open app rather than run the command.
var instead = map[string]string{
	"upload": "add the files by dropping them on the client in chase.md",
	"watch":  "it files from your watched folders itself while it is open",
	"sync":   "it syncs your clients itself while it is open",
	"login":  "sign in from chase.md itself",
	"logout": "sign out from chase.md itself",
}

// busyError is the one sentence printed when another process holds the data folder.
type busyError struct{ msg string }

func (e *busyError) Error() string { return e.msg }

// withSession opens the backend for the configured mode. In demo mode the
// in-process sandbox needs a sign-in first, which consents by itself.
func withSession(ctx context.Context, cmd string, stdout, stderr io.Writer, fn func(*core.Session) error) error {
	cfg := config.FromEnv()
	if p, ok := owning[cmd]; ok {
		lk, err := owner.Acquire(cfg.DataDir, owner.Holder{Program: p, Command: cmd})
		var held *owner.HeldError
		if errors.As(err, &held) {
			return &busyError{held.Message(instead[cmd], "run this again")}
		}
		if err != nil {
			return err
		}
		defer lk.Release()
	}
	logger, logFile := applog.OpenOrFallback(cfg.LogPath(), applog.Options{Also: stderr, AlsoLevel: slog.LevelError}) // warnings are said in words; their detail stays in the file
	defer logFile.Close()
	s, err := core.Open(ctx, core.Options{
		Config:  cfg,
		OpenURL: openBrowser(stdout),
		Logger:  logger,
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Config().Demo && s.Conn.State() != auth.Connected {
		if _, _, err := s.SignIn(ctx); err != nil {
			return err
		}
	}
	return fn(s)
}

func openBrowser(w io.Writer) func(string) error {
	return func(url string) error {
		fmt.Fprintf(w, "Opening Xero's sign-in page in your browser. If it does not open, visit:\n  %s\n", url)
		if err := browser.OpenURL(url); err != nil {
			fmt.Fprintln(w, "(could not open a browser; use the address above)")
		}
		return nil
	}
}

func login(ctx context.Context, s *core.Session, w io.Writer) error {
	choice, _, err := s.SignIn(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Signed in to Xero.")
	if asked, err := s.AsksForXPM(ctx); err == nil && !asked {
		fmt.Fprintln(w, "Practice Manager was not asked for: if Xero has given your app XPM access, set CHASE_XERO_XPM=1 (or tick it in the app's Settings) and sign in again.")
	}
	if choice.XPMRefused {
		fmt.Fprintln(w, "Xero did not grant Practice Manager access; chase.md works without it (mark clients to chase by hand).")
	}
	return printChoice(w, choice)
}

func tenants(ctx context.Context, s *core.Session, w io.Writer) error {
	if st := s.Conn.State(); st != auth.Connected {
		if st == auth.ReconnectNeeded {
			return auth.ErrReauthRequired
		}
		return auth.ErrSignedOut
	}
	ts, err := s.Conn.Tenants(ctx)
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		// Xero lists no organisation for a sign-in whose connections were removed (revoked in Xero).
		return errNoConnections
	}
	choice, err := s.Choice(ctx)
	if err != nil {
		return err
	}
	for _, t := range ts {
		mark := " "
		if t.TenantID == choice.Main() || (choice.Practice != nil && t.TenantID == choice.Practice.ID) {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %-16s %s  %s\n", mark, t.TenantType, t.TenantID, t.TenantName)
	}
	fmt.Fprintln(w, "(* = in use)")
	return nil
}

func printChoice(w io.Writer, c core.Choice) error {
	if c.Main() == "" {
		fmt.Fprintln(w, "Choose the organisation that holds your clients in the app's Settings.")
		return nil
	}
	fmt.Fprintf(w, "Clients from: %s\n", c.Orgs[0].Name)
	if c.Practice != nil {
		fmt.Fprintf(w, "Practice Manager: %s\n", c.Practice.Name)
	}
	return nil
}

func mainTenant(ctx context.Context, s *core.Session) (core.TenantRef, error) {
	c, err := s.Choice(ctx)
	if err != nil {
		return core.TenantRef{}, err
	}
	if c.Main() == "" {
		return core.TenantRef{}, errors.New("no Xero organisation is chosen yet: run `chase login` (or pick one in the app's Settings)")
	}
	return c.Orgs[0], nil
}

func syncFlags(args []string, w io.Writer) (full *bool, err error) {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(w)
	full = fs.Bool("full", false, "fetch every contact, not just the changed ones")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: `chase sync` takes only --full", fs.Args())
	}
	return full, nil
}

func syncCmd(ctx context.Context, s *core.Session, args []string, w io.Writer) error {
	full, err := syncFlags(args, w)
	if err != nil {
		return err
	}
	t, err := mainTenant(ctx, s)
	if err != nil {
		return err
	}
	progress := func(p syncer.Progress) {
		if p.PageCount > 0 {
			fmt.Fprintf(w, "\rpage %d of %d (%d contacts)", p.Page, p.PageCount, p.Contacts)
		} else {
			fmt.Fprintf(w, "\rpage %d (%d contacts)", p.Page, p.Contacts)
		}
	}
	ctx = rest.WithPriority(ctx, rest.Interactive) // a person asked for it: ahead of background work
	run := s.Syncer.Incremental
	if *full {
		run = s.Syncer.Full
	}
	stop := reportWaits(ctx, s, w, t.Name, "the sync carries on", "the next sync continues where this one stopped")
	sum, err := run(ctx, t.ID, progress)
	stop()
	fmt.Fprintln(w)
	if err != nil {
		return err
	}
	kind := "Incremental"
	if sum.Full {
		kind = "Full"
	}
	fmt.Fprintf(w, "%s sync of %s: %d added, %d changed, %d archived (%d received) in %s\n",
		kind, t.Name, sum.Added, sum.Changed, sum.Archived, sum.Received, sum.Duration.Round(time.Millisecond))
	st := s.Xero(t.ID).Pacer().Stats()
	fmt.Fprintf(w, "Xero calls: %d this sync; %s left today\n", sum.Calls, dayLeft(st.DayRemaining))
	return nil
}

func dayLeft(n int) string {
	if n < 0 {
		return "unknown"
	}
	return fmt.Sprint(n)
}

func uploadCmd(ctx context.Context, s *core.Session, args []string, w io.Writer) error {
	t, err := mainTenant(ctx, s)
	if err != nil {
		return err
	}
	defer reportWaits(ctx, s, w, t.Name, "uploads resume", "they stay queued")()
	resolve := func(ctx context.Context, client string) (upload.Target, error) {
		id, err := findClient(ctx, s.DB, t.ID, client)
		if err != nil {
			return upload.Target{}, err
		}
		c, err := s.UploadContact(ctx, t.ID, id)
		return upload.Target{TenantID: t.ID, Contact: c}, err
	}
	return upload.CLI(ctx, s.Uploads, args, resolve, w)
}

// findClient takes a contact ID or a name; a name must match one client.
func findClient(ctx context.Context, db *store.DB, tenantID, q string) (string, error) {
	if c, err := db.ResolveContact(ctx, tenantID, q); err == nil {
		return c.ID, nil
	}
	res, _, err := db.SearchContacts(ctx, tenantID, store.SearchQuery{Text: q, Limit: 10})
	if err != nil {
		return "", err
	}
	var exact []string
	for _, c := range res {
		if strings.EqualFold(c.Name, q) {
			exact = append(exact, c.ID)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(res) == 1:
		return res[0].ID, nil
	case len(res) == 0:
		return "", fmt.Errorf("no client matches %q (run `chase sync` if they are new in Xero)", q)
	}
	names := make([]string, 0, len(res))
	for _, c := range res {
		names = append(names, c.Name)
	}
	return "", fmt.Errorf("%q matches several clients: %s; use the full name or the contact ID", q, strings.Join(names, ", "))
}

func chaseListFlags(args []string, w io.Writer) (format *string, err error) {
	fs := flag.NewFlagSet("chase-list", flag.ContinueOnError)
	fs.SetOutput(w)
	format = fs.String("format", "md", "md (a chase.md document) or csv")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: `chase chase-list` takes only --format", fs.Args())
	}
	if *format != "md" && *format != "csv" {
		return nil, fmt.Errorf("--format %q is not known: use md or csv", *format)
	}
	return format, nil
}

func chaseList(ctx context.Context, s *core.Session, args []string, w io.Writer) error {
	format, err := chaseListFlags(args, w)
	if err != nil {
		return err
	}
	t, err := mainTenant(ctx, s)
	if err != nil {
		return err
	}
	if s.Config().Demo {
		// The demo Xero lives only as long as this command: fill the store first.
		if _, err := s.Syncer.Incremental(ctx, t.ID, nil); err != nil {
			return err
		}
		if _, err := s.SyncPractice(ctx); err != nil {
			return err
		}
	}
	ch, err := s.Chase(ctx) // without XPM: the clients marked by hand
	if err != nil {
		return err
	}
	if err := ch.Export(ctx, *format, w); err != nil {
		return err
	}
	rows, err := ch.List(ctx, chase.Query{})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return errNothing
	}
	return nil
}

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
	"strings"
	"time"

	"github.com/pkg/browser"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/upload"
)

// Run executes one command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return 0
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "chase.md %s\n", config.Version)
		return 0
	case "help", "--help", "-h":
		usage(stdout)
		return 0
	case "sandbox":
		err = sandbox.Main(ctx, rest, stdout)
	case "update-check":
		err = updateCheck(ctx, stdout)
	case "login":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error { return login(ctx, s, stdout) })
	case "logout":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error {
			if err := s.SignOut(ctx); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "Signed out. Your local clients and history are kept.")
			return nil
		})
	case "tenants":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error { return tenants(ctx, s, stdout) })
	case "sync":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error { return syncCmd(ctx, s, rest, stdout) })
	case "chase-list":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error { return chaseList(ctx, s, rest, stdout) })
	case "upload":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error { return uploadCmd(ctx, s, rest, stdout) })
	case "watch":
		err = withSession(ctx, stdout, stderr, func(s *core.Session) error { return filing.CLI(ctx, s.Folders, rest, s.Serve, stdout) })
	default:
		fmt.Fprintf(stderr, "chase: unknown command %q\n\n", cmd)
		usage(stderr)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "chase %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `chase.md — chase clients for documents and file them in Xero.

Usage:
  chase                       open the app (add --demo for the built-in demo Xero)
  chase login                 sign in to Xero in your browser
  chase logout                sign out (revokes the sign-in, keeps local history)
  chase tenants               list the organisations and practice you connected
  chase sync [--full]         sync client contacts now and print a summary
  chase upload --client NAME|CONTACT_ID [--folder NAME] FILE...
                              upload files to a client's Xero Files, exactly once
  chase watch [--folder DIR]  file documents from watched folders without the app, until Ctrl-C
  chase chase-list [--format md|csv]
                              print who owes documents (Markdown or CSV)
  chase sandbox --addr 127.0.0.1:PORT [--contacts N] [--faults SPEC]
                              run the pretend Xero on its own
  chase update-check          say whether a newer chase.md is out (never installs it)
  chase version | help

Set CHASE_DEMO=1 to run any command against the built-in demo Xero.
`)
}

// withSession opens the backend for the configured mode. In demo mode the
// in-process sandbox needs a sign-in first, which consents by itself.
func withSession(ctx context.Context, stdout, stderr io.Writer, fn func(*core.Session) error) error {
	cfg := config.FromEnv()
	s, err := core.Open(ctx, core.Options{
		Config:  cfg,
		OpenURL: openBrowser(stdout),
		Logger:  slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Config().Demo && s.Conn.State() != auth.Connected {
		if _, _, err := s.SignIn(ctx); err != nil {
			return fmt.Errorf("demo sign-in: %w", err)
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
	ts, err := s.Conn.Tenants(ctx)
	if err != nil {
		return err
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
		return core.TenantRef{}, errors.New("no organisation chosen yet: run `chase login` (or pick one in the app's Settings)")
	}
	return c.Orgs[0], nil
}

func syncCmd(ctx context.Context, s *core.Session, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(w)
	full := fs.Bool("full", false, "fetch every contact, not just the changed ones")
	if err := fs.Parse(args); err != nil {
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
	sum, err := run(ctx, t.ID, progress)
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

func chaseList(ctx context.Context, s *core.Session, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("chase-list", flag.ContinueOnError)
	fs.SetOutput(w)
	format := fs.String("format", "md", "md (a chase.md document) or csv")
	if err := fs.Parse(args); err != nil {
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
	return ch.Export(ctx, *format, w)
}

package sandbox

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Main runs `chase sandbox`: a standalone sandbox on a loopback address
// until ctx is cancelled. args exclude the program and subcommand names.
func Main(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:8765", "loopback address to listen on (port 0 picks a free port)")
	contacts := fs.Int("contacts", 200, "demo contacts in the practice organisation")
	faults := fs.String("faults", "", "fault spec: "+FaultSyntax)
	seed := fs.Int64("seed", 1, "demo data seed")
	auto := fs.Bool("auto-consent", false, "grant every tenant without showing the consent page")
	scale := fs.Float64("limit-scale", 1, "rate-limit windows pass this many times faster than real time")
	clientID := fs.String("client-id", "chase-demo", "accepted OAuth client_id")
	retention := fs.Duration("idempotency-retention", 0, "forget an Idempotency-Key's answer after this long (0 = never), as Xero may")
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: chase sandbox --addr 127.0.0.1:PORT [--contacts N] [--faults SPEC] [--seed N]\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(stdout, "\nfault spec:\n  %s\n", FaultSyntax)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("sandbox: %w", err)
	}
	if _, err := parseFaults(*faults); err != nil {
		return fmt.Errorf("sandbox: --faults: %w", err)
	}
	s := New(Options{Contacts: *contacts, Faults: *faults, Seed: *seed, AutoConsent: *auto, LimitScale: *scale,
		ClientIDs: []string{*clientID}, IdempotencyRetention: *retention})
	base, err := s.Start(ctx, *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sandbox: listening on %s\n", base)
	fmt.Fprintf(stdout, "login:    %s/identity/connect/authorize\n", base)
	fmt.Fprintf(stdout, "identity: %s/connect/token\n", base)
	fmt.Fprintf(stdout, "api:      %s (connections, api.xro/2.0, files.xro/1.0, practicemanager/3.1)\n", base)
	fmt.Fprintf(stdout, "client_id: %s\n", *clientID)
	for _, t := range s.Tenants() {
		fmt.Fprintf(stdout, "tenant:   %s  %-15s %s\n", t.ID, t.Type, t.Name)
	}
	<-ctx.Done()
	return nil
}

package sandbox

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Main runs `chase sandbox`: a standalone sandbox on a loopback address
// until ctx is cancelled. args exclude the program and subcommand names.
// redirectURIs are the app's registered redirect URIs, enforced unless
// --redirect-uris says otherwise (the sandbox does not know the app's).
func Main(ctx context.Context, args []string, stdout io.Writer, redirectURIs ...string) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:8765", "loopback address to listen on (port 0 picks a free port)")
	contacts := fs.Int("contacts", 200, "demo contacts in the practice organisation")
	faults := fs.String("faults", "", "fault spec: "+FaultSyntax)
	seed := fs.Int64("seed", 1, "demo data seed")
	auto := fs.Bool("auto-consent", false, "grant every tenant without showing the consent page")
	scale := fs.Float64("limit-scale", 1, "rate-limit windows pass this many times faster than real time")
	clientID := fs.String("client-id", "chase-demo", "accepted OAuth client_id")
	clockScale := fs.Float64("clock-scale", 1, "the sandbox clock runs this many times faster than real time (token expiry,\n"+
		"refresh grace, rate-limit windows); move it at once with POST /_sandbox/clock/advance?by=31m")
	redirects := fs.String("redirect-uris", strings.Join(redirectURIs, ","),
		"comma-separated registered redirect URIs; the authorize page refuses any other, as Xero does (empty: any https or loopback)")
	retention := fs.Duration("idempotency-retention", 0, "forget an Idempotency-Key's answer after this long (0 = never), as Xero may")
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: chase sandbox --addr 127.0.0.1:PORT [--contacts N] [--faults SPEC] [--seed N] [--clock-scale X]\n\n")
		fs.PrintDefaults()
		fmt.Fprintf(stdout, "\nfault spec:\n  %s\n", FaultSyntax)
		fmt.Fprintf(stdout, "\ncontrol (the harness's, not Xero's; neither recorded nor faulted):\n"+
			"  GET  /_sandbox/clock                 the sandbox's time\n"+
			"  POST /_sandbox/clock/advance?by=DUR  move the clock forward at once (31m expires an access token,\n"+
			"                                       another 31m spends a refresh token's grace, 24h resets the daily limit)\n"+
			"  GET  /_sandbox/stats                 token grants and refreshes so far\n")
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
	if *clockScale <= 0 {
		return fmt.Errorf("sandbox: --clock-scale must be positive")
	}
	var uris []string
	for _, u := range strings.Split(*redirects, ",") {
		if u = strings.TrimSpace(u); u != "" {
			if !validRedirect(u) {
				return fmt.Errorf("sandbox: --redirect-uris: %q is not a redirect URI Xero accepts", u)
			}
			uris = append(uris, u)
		}
	}
	s := New(Options{Contacts: *contacts, Faults: *faults, Seed: *seed, AutoConsent: *auto, LimitScale: *scale,
		ClientIDs: []string{*clientID}, ClockScale: *clockScale, RedirectURIs: uris, IdempotencyRetention: *retention})
	base, err := s.Start(ctx, *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "sandbox: listening on %s\n", base)
	fmt.Fprintf(stdout, "login:    %s/identity/connect/authorize\n", base)
	fmt.Fprintf(stdout, "identity: %s/connect/token\n", base)
	fmt.Fprintf(stdout, "api:      %s (connections, api.xro/2.0, files.xro/1.0, practicemanager/3.1)\n", base)
	fmt.Fprintf(stdout, "client_id: %s\n", *clientID)
	if len(uris) > 0 {
		fmt.Fprintf(stdout, "redirect: %s\n", strings.Join(uris, " "))
	}
	if *clockScale != 1 {
		fmt.Fprintf(stdout, "clock:    %gx real time\n", *clockScale)
	}
	for _, t := range s.Tenants() {
		fmt.Fprintf(stdout, "tenant:   %s  %-15s %s\n", t.ID, t.Type, t.Name)
	}
	<-ctx.Done()
	return nil
}

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/sandbox"
)

// Flags are checked before anything else: a typo is reported as one (exit
// 2), not as the keyring error the real mode meets first without a keyring.
func TestFlagsAreCheckedFirst(t *testing.T) {
	t.Setenv("CHASE_DEMO", "")
	t.Setenv("CHASE_DATA_DIR", t.TempDir())
	t.Setenv("CHASE_XERO_CLIENT_ID", "x")
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no keyring: the old order failed here
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"sync", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"sync", "now"}, "takes only --full"},
		{[]string{"tenants", "--all"}, "flag provided but not defined: -all"},
		{[]string{"login", "me"}, "takes no arguments"},
		{[]string{"chase-list", "--format", "xml"}, `--format "xml" is not known`},
		{[]string{"upload", "a.pdf"}, "name the client with --client"},
		{[]string{"upload", "--client"}, "flag needs an argument"},
		{[]string{"watch", "--mode", "sideways"}, `--mode "sideways" is not known`},
		{[]string{"watch", "somewhere"}, "--folder DIR"},
	} {
		out, code := run(t, tc.args...)
		if code != ExitUsage || !strings.Contains(out, tc.says) || strings.Contains(strings.ToLower(out), "keyring") || strings.Contains(out, "goroutine") {
			t.Errorf("chase %s: exit %d\n%s", strings.Join(tc.args, " "), code, out)
		}
	}
	// A real failure after the flags: one sentence, no Go wrapping.
	out, code := run(t, "sync")
	if code != ExitFailed || !strings.Contains(out, "keyring could not be reached") || strings.Contains(out, "auth: keyring check:") || strings.Count(strings.TrimSpace(out), "\n") > 0 {
		t.Errorf("sync without a keyring: exit %d\n%s", code, out)
	}
}

// Exit codes tell success, nothing to do and failure apart; failures are
// one plain sentence with the next step, in the command line's words.
func TestExitCodesAndWords(t *testing.T) {
	demoEnv(t)
	if out, code := run(t, "sync"); code != ExitOK {
		t.Fatalf("sync: %d %s", code, out)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "GST return Q3.pdf")
	os.WriteFile(good, []byte("%PDF-1.4 exit codes"), 0o600)
	client := sandbox.New(sandbox.Options{}).Contacts(sandbox.New(sandbox.Options{}).TenantID(sandbox.PracticeOrgName))[0].Name
	if out, code := run(t, "upload", "--client", client, good); code != ExitOK || !strings.Contains(out, "uploaded GST return Q3.pdf") {
		t.Fatalf("upload: %d %s", code, out)
	}
	// The same file again: nothing to do. (Each demo run has a fresh Xero,
	// but the local history knows the file went to this client.)
	out, code := run(t, "upload", "--client", client, good)
	if code != ExitNothing || !strings.Contains(out, "--force") || strings.Contains(out, "Upload anyway") {
		t.Fatalf("duplicate upload: %d %s", code, out)
	}
	out, code = run(t, "upload", "--client", "no such client at all", good)
	if code != ExitFailed || strings.Contains(out, "upload: find client") || strings.Contains(out, "chase upload:") || !strings.HasPrefix(out, "No client matches") {
		t.Fatalf("unknown client: %d %q", code, out)
	}
	bad := filepath.Join(dir, "empty.pdf")
	os.WriteFile(bad, nil, 0o600)
	out, code = run(t, "upload", "--client", client, bad)
	if code != ExitFailed || strings.Contains(out, "drop it again") || !strings.Contains(out, "run the command again") {
		t.Fatalf("refused: %d %s", code, out)
	}
	if out, code := run(t, "frobnicate"); code != ExitUsage || !strings.Contains(out, "Exit codes:") {
		t.Fatalf("unknown command: %d %s", code, out)
	}
	if out, _ := run(t, "help"); !strings.Contains(out, "3  nothing to do") {
		t.Fatalf("help does not document the exit codes:\n%s", out)
	}
}

// After the connection is revoked at Xero, `chase tenants` says so and
// exits non-zero instead of printing an empty list.
func TestTenantsAfterRevokedConnection(t *testing.T) {
	sb, _ := realXero(t)
	b := &person{answer: sandbox.Consent}
	if out, code := b.login(t); code != 0 {
		t.Fatalf("login: %d %s", code, out)
	}
	sb.RevokeRefreshTokens()
	sb.ExpireAccessTokens()
	out, code := run(t, "tenants")
	if code != ExitFailed || !strings.Contains(out, "sign in again") || strings.Contains(out, "ORGANISATION") {
		t.Fatalf("tenants after revoke: exit %d\n%s", code, out)
	}
}

// A command that waits for Xero says why and until when as each retry is
// planned, and says when Xero answers again.
func TestSyncReportsRetriesAsTheyHappen(t *testing.T) {
	sb, _ := realXero(t)
	b := &person{answer: sandbox.Consent}
	if out, code := b.login(t); code != 0 {
		t.Fatalf("login: %d %s", code, out)
	}
	chooseMain(t, sb)
	sb.SetFaults("GET /api.xro/2.0/Contacts=500@f2")
	out, code := run(t, "sync")
	if code != ExitOK {
		t.Fatalf("sync: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "level=WARN") || strings.Contains(out, "500 Internal Server Error") {
		t.Errorf("the log's detail reached the terminal:\n%s", out)
	}
	for _, want := range []string{"Can't reach Xero; trying again in ", "(attempt 2) — Ctrl-C to stop, the next sync continues where this one stopped.", "(attempt 3)", "Xero answers again; carrying on.", "sync of " + sandbox.PracticeOrgName} {
		if !strings.Contains(out, want) {
			t.Errorf("sync output lacks %q:\n%s", want, out)
		}
	}
}

// chooseMain picks the practice's organisation as the login would in the app.
func chooseMain(t *testing.T, sb *sandbox.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := core.Open(ctx, core.Options{Config: config.FromEnv()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := sb.TenantID(sandbox.PracticeOrgName)
	if err := s.SetChoice(ctx, core.Choice{Orgs: []core.TenantRef{{ID: id, Name: sandbox.PracticeOrgName}}}); err != nil {
		t.Fatal(err)
	}
}

func TestWaitLines(t *testing.T) {
	now := time.Date(2026, 12, 4, 14, 0, 0, 0, time.Local)
	limit := waitLine(core.ConnState{Kind: core.ConnLimit, Until: now.Add(24*time.Hour + 18*time.Minute)}, now, "Demo Ltd", "uploads resume", "they stay queued")
	if want := "Xero's daily limit for Demo Ltd is used up; uploads resume at 14:18 tomorrow — Ctrl-C to stop, they stay queued."; limit != want {
		t.Errorf("limit line %q, want %q", limit, want)
	}
	if l := waitLine(core.ConnState{Kind: core.ConnUnreachable, Until: now.Add(10 * time.Minute), Attempt: 2}, now, "", "uploads resume", "they stay queued"); !strings.Contains(l, "trying again at 14:10 (attempt 3)") {
		t.Errorf("unreachable line %q", l)
	}
	if l := waitLine(core.ConnState{Kind: core.ConnConnected}, now, "", "x", "y"); l != "" {
		t.Errorf("connected line %q", l)
	}
}

func TestNoDisplay(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if !NoDisplay("linux", get) || NoDisplay("windows", get) || NoDisplay("darwin", get) {
		t.Error("no display on Linux only")
	}
	env["WAYLAND_DISPLAY"] = "wayland-0"
	if NoDisplay("linux", get) {
		t.Error("Wayland is a display")
	}
	var b strings.Builder
	PrintNoDisplay(&b)
	if !strings.Contains(b.String(), "chase help") && !strings.Contains(b.String(), "chase login") {
		t.Errorf("no-display text lacks the CLI usage:\n%s", b.String())
	}
}

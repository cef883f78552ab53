package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"chase.md/backend/sandbox"
)

func run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return out.String() + errb.String(), code
}

func demoEnv(t *testing.T) {
	t.Setenv("CHASE_DEMO", "1")
	t.Setenv("CHASE_DATA_DIR", t.TempDir())
}

func TestVersionAndHelp(t *testing.T) {
	if out, code := run(t, "version"); code != 0 || !strings.HasPrefix(out, "chase.md ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if out, code := run(t, "help"); code != 0 || !strings.Contains(out, "chase upload --client") {
		t.Fatalf("help: %d %q", code, out)
	}
	if out, code := run(t, "frobnicate"); code != 2 || !strings.Contains(out, `unknown command "frobnicate"`) {
		t.Fatalf("unknown: %d %q", code, out)
	}
}

func TestDemoSyncPrintsSummary(t *testing.T) {
	demoEnv(t)
	out, code := run(t, "sync", "--full")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	m := regexp.MustCompile(`Full sync of Demo Practice Ltd: (\d+) added, 0 changed`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Fatalf("summary missing: %s", out)
	}
	if !strings.Contains(out, "Xero calls: 1 this sync") { // 200 demo contacts fit one page of 1000
		t.Fatalf("calls line: %s", out)
	}
}

func TestDemoUploadRefusesAndUploads(t *testing.T) {
	demoEnv(t)
	if out, code := run(t, "sync", "--full"); code != 0 {
		t.Fatalf("sync: %s", out)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "GST return Q3.pdf")
	bad := filepath.Join(dir, "setup.exe")
	os.WriteFile(good, []byte("%PDF-1.4"), 0o600)
	os.WriteFile(bad, []byte("MZ"), 0o600)
	// Every CLI run starts its own demo Xero from the same seed, so the contact IDs
	// synced by the previous run are valid in the next one.
	sb := sandbox.New(sandbox.Options{})
	org := sb.TenantID(sandbox.PracticeOrgName)
	var target sandbox.Contact
	for _, c := range sb.Contacts(org) {
		if c.ContactStatus == "ACTIVE" {
			target = c
			break
		}
	}
	out, code := run(t, "upload", "--client", target.ContactID, good, bad)
	if code == 0 || !strings.Contains(out, "refused  setup.exe") || !strings.Contains(out, "GST return Q3.pdf") {
		t.Fatalf("upload: %d %s", code, out)
	}
	if strings.Contains(out, "refused  GST return Q3.pdf") {
		t.Fatalf("good file refused: %s", out)
	}
	out, code = run(t, "upload", "--client", "no such client at all", good)
	if code == 0 || !strings.Contains(out, "no client matches") {
		t.Fatalf("unknown client: %d %s", code, out)
	}
	out, code = run(t, "tenants")
	if code != 0 || !strings.Contains(out, "* ORGANISATION") || !strings.Contains(out, "PRACTICEMANAGER") {
		t.Fatalf("tenants: %d %s", code, out)
	}
}

func TestDemoChaseList(t *testing.T) {
	demoEnv(t)
	out, code := run(t, "chase-list", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("csv has no rows: %q", out)
	}
	md, code := run(t, "chase-list")
	if code != 0 || !strings.Contains(md, "|") {
		t.Fatalf("markdown: %d %q", code, md)
	}
}

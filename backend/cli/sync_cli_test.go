package cli

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// `chase sync --full` in demo mode with three pages of contacts: a progress
// line that counts the pages up in place (each step starts with a carriage
// return), ended by a newline, then the summary, whose last line tells the
// sync's calls and what is left of the organisation's day.
func TestDemoSyncPrintsProgressAndBudgetLeft(t *testing.T) {
	demoEnv(t)
	t.Setenv("CHASE_DEMO_CONTACTS", "2500") // pages of 1000: 3 pages
	out, code := run(t, "sync", "--full")
	if code != 0 {
		t.Fatalf("exit %d: %q", code, out)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != 4 || lines[3] != "" {
		t.Fatalf("want a progress line and two summary lines: %q", out)
	}
	if want := "\rpage 1 of 3 (1000 contacts)\rpage 2 of 3 (2000 contacts)\rpage 3 of 3 (2500 contacts)"; lines[0] != want {
		t.Errorf("progress line %q, want %q", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], "Full sync of Demo Practice Ltd: 2500 added, 0 changed, 0 archived (2500 received) in ") {
		t.Errorf("summary line %q", lines[1])
	}
	m := regexp.MustCompile(`^Xero calls: (\d+) this sync; (\d+) left today$`).FindStringSubmatch(lines[2])
	if m == nil {
		t.Fatalf("budget line %q", lines[2])
	}
	calls, _ := strconv.Atoi(m[1])
	left, _ := strconv.Atoi(m[2])
	// Each run starts its own demo Xero, whose day has had only this sync's
	// calls: Xero's 5,000 less them, as its X-DayLimit-Remaining said.
	if calls != 3 || left != 5000-calls {
		t.Errorf("budget line %q: want 3 calls and %d left", lines[2], 5000-3)
	}
}

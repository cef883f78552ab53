package sandbox

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The sandbox is written from Xero's contract, never from chase.md's client:
// if it shared code with backend/xero, xpm, rest or auth, a misreading of the
// contract would be mirrored on both sides and every test would agree with it.
var clientPackages = []string{"chase.md/backend/xero", "chase.md/backend/xpm", "chase.md/backend/rest", "chase.md/backend/auth"}

// clientDeps lists the client packages that pkgs depend on, directly or
// transitively, including through their tests.
func clientDeps(t *testing.T, pkgs ...string) []string {
	t.Helper()
	goBin, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		t.Skipf("no go command to list dependencies: %v", err)
	}
	args := append([]string{"list", "-e", "-deps", "-test", "-f", "{{.ImportPath}}"}, pkgs...) // -e: a package mid-edit elsewhere still lists its imports
	out, err := exec.Command(goBin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var bad []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		p, _, _ := strings.Cut(line, " [") // "pkg [pkg.test]" is pkg built for its test
		for _, c := range clientPackages {
			if (p == c || strings.HasPrefix(p, c+"/")) && !slices.Contains(bad, p) {
				bad = append(bad, p)
			}
		}
	}
	return bad
}

func TestSandboxDoesNotDependOnTheClient(t *testing.T) {
	if bad := clientDeps(t, "chase.md/backend/sandbox/..."); len(bad) > 0 {
		t.Fatalf("backend/sandbox depends on chase.md's client packages %v; write it from ../shared/xero instead", bad)
	}
	// The check itself sees such a dependency: core wires the client to the sandbox.
	if bad := clientDeps(t, "chase.md/backend/core"); !slices.Contains(bad, "chase.md/backend/auth") || !slices.Contains(bad, "chase.md/backend/xero") {
		t.Fatalf("the dependency check missed core's imports: %v", bad)
	}
}

//go:build e2e

package core

import "os"

// testControls lets the browser tests (scripts/e2e.sh builds with -tags e2e)
// break and mend the demo Xero through POST /_sandbox/faults.
const testControls = true

// testFaults are the demo Xero's faults from its start
// (CHASE_E2E_DEMO_FAULTS, sandbox.FaultSyntax): Xero unreachable from the start.
func testFaults() string { return os.Getenv("CHASE_E2E_DEMO_FAULTS") }

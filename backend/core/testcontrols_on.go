//go:build e2e

package core

// testControls lets the browser tests (scripts/e2e.sh builds with -tags e2e)
// break and mend the demo Xero through POST /_sandbox/faults.
const testControls = true

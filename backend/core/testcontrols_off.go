//go:build !e2e

package core

// testControls is false in every build people run: the demo Xero takes no
// orders from outside the app.
const testControls = false

// testFaults is the demo Xero's faults at start: none.
func testFaults() string { return "" }

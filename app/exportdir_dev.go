//go:build !production

package app

import "os"

// testExportDir is where the demo's exports go in browser tests, which
// cannot click a native save dialog (see saveDialog). Not in release builds.
func testExportDir() string { return os.Getenv("CHASE_EXPORT_DIR") }

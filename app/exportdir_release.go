//go:build production

package app

// testExportDir: a release build always asks with the save dialog.
func testExportDir() string { return "" }

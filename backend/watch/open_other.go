//go:build !windows && !linux

package watch

import "os"

// openCheck opens a quiet file for the stability check. macOS and the BSDs
// have no cheap, reliable way to see that another program still has a file
// open for writing (Linux has leases: open_linux.go), so there a file being
// written is recognised by its size and time (the quiet period) and by its
// format (Whole) alone.
func openCheck(name string) (*os.File, error) { return os.Open(name) }

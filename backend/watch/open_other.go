//go:build !windows

package watch

import "os"

// openCheck opens a quiet file for the stability check. Unix has no cheap,
// reliable way to see that another program still has a file open for
// writing: Linux's F_SETLEASE with F_RDLCK would fail with EAGAIN, but only
// the file's owner (or a process with CAP_LEASE) may take a lease, and a
// scanner or a copy over the network writes files chase.md does not own;
// leases do not work on NFS or SMB either. So on Unix a file being written
// is recognised by its size and time (the quiet period) and by its format
// (Whole) alone.
func openCheck(name string) (*os.File, error) { return os.Open(name) }

//go:build linux

package watch

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// openCheck opens a quiet file for the stability check and asks Linux
// whether another program still has it open for writing: a read lease
// (F_SETLEASE F_RDLCK) is refused with EAGAIN while any descriptor is open
// for writing, which ErrInUse reports. The lease is dropped at once, so a
// writer that opens the file meanwhile waits only for that instant.
//
// Only the file's owner (or a process with CAP_LEASE) may take a lease, and
// NFS, SMB and FUSE mounts refuse them (EACCES, EINVAL): then nothing is
// known and the file is judged, as on other Unixes, by its quiet period and
// its format alone.
func openCheck(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	switch err := setLease(f, syscall.F_RDLCK); {
	case errors.Is(err, syscall.EAGAIN):
		f.Close()
		return nil, fmt.Errorf("open %s: %w", name, ErrInUse)
	case err == nil:
		if err := setLease(f, syscall.F_UNLCK); err != nil {
			f.Close()
			return nil, fmt.Errorf("open %s: drop the lease: %w", name, err)
		}
	}
	return f, nil
}

func setLease(f *os.File, typ int) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	if err := sc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_SETLEASE, uintptr(typ))
	}); err != nil {
		return err
	}
	if errno != 0 {
		return errno
	}
	return nil
}

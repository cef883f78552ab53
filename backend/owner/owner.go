// Package owner makes one process the owner of a data folder: whichever
// serves (the desktop app or `chase watch`) or changes it (`chase upload`,
// `chase sync`, …). The owner holds an OS file lock (flock on Unix,
// LockFileEx on Windows), which the OS releases when the process ends, even
// when it is killed; anyone else is told in one sentence who holds the
// folder and what to do.
package owner

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofrs/flock"
)

// Files in the data folder. The holder is written beside the lock, not into
// it: on Windows a locked range cannot be read by anyone else.
const (
	LockName   = "chase.lock"
	HolderName = "chase.owner"
)

// Program is what holds a data folder.
type Program string

// The programs that take a data folder.
const (
	App     Program = "app"     // the desktop app, for as long as it is open
	Watch   Program = "watch"   // `chase watch`, until it is stopped
	Command Program = "command" // another command while it runs (Holder.Command says which)
)

// Holder says who holds a data folder.
type Holder struct {
	Program Program `json:"program"`
	Command string  `json:"command,omitempty"` // e.g. "upload" for Command
	PID     int     `json:"pid"`
}

// Lock is a held data folder.
type Lock struct {
	fl  *flock.Flock
	dir string
}

// HeldError means another process holds the data folder.
type HeldError struct {
	By Holder // zero Program when the holder could not be read
}

// Message is the sentence for someone who wanted to do something: instead
// (may be empty) is what to do in the app when the app holds the folder,
// again what to do once the holder is gone ("run this again").
func (e *HeldError) Message(instead, again string) string {
	switch e.By.Program {
	case App:
		if instead != "" {
			return fmt.Sprintf("chase.md is open on this computer; %s, or quit it and %s.", instead, again)
		}
		return fmt.Sprintf("chase.md is open on this computer; quit it and %s.", again)
	case Watch:
		return fmt.Sprintf("`chase watch` is running on this computer (process %d); stop it (Ctrl-C in its window) and %s.", e.By.PID, again)
	case Command:
		return fmt.Sprintf("`chase %s` is running on this computer (process %d); wait for it to finish and %s.", e.By.Command, e.By.PID, again)
	}
	return fmt.Sprintf("another chase.md program is using this data folder; close it and %s.", again)
}

func (e *HeldError) Error() string { return e.Message("", "run this again") }

// Acquire takes dir for who, or returns a *HeldError naming the holder.
// It never waits.
func Acquire(dir string, who Holder) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("owner: data folder: %w", err)
	}
	fl := flock.New(filepath.Join(dir, LockName), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		fl.Close()
		return nil, fmt.Errorf("owner: lock the data folder: %w", err)
	}
	if !ok {
		fl.Close()
		return nil, &HeldError{By: readHolder(dir)}
	}
	who.PID = os.Getpid()
	b, _ := json.Marshal(who) // strings and ints: cannot fail
	if err := os.WriteFile(filepath.Join(dir, HolderName), b, 0o600); err != nil {
		fl.Unlock()
		return nil, fmt.Errorf("owner: note the data folder's holder: %w", err)
	}
	return &Lock{fl: fl, dir: dir}, nil
}

// readHolder reads who holds dir; a holder that died before writing it
// leaves the previous one's, which only the PID can tell apart.
func readHolder(dir string) Holder {
	var h Holder
	b, err := os.ReadFile(filepath.Join(dir, HolderName))
	if err == nil {
		_ = json.Unmarshal(b, &h)
	}
	return h
}

// Release gives the folder up. The holder note goes first, so it never
// names a process after the lock is free.
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	rmErr := os.Remove(filepath.Join(l.dir, HolderName))
	if errors.Is(rmErr, os.ErrNotExist) {
		rmErr = nil
	}
	return errors.Join(rmErr, l.fl.Unlock())
}

// Package autostart starts chase.md when the person signs in to their
// computer, so watched folders keep filing without anyone opening the app:
// an XDG autostart entry on Linux, the per-user Run key on Windows. Nothing
// here needs admin rights.
package autostart

import "errors"

// Entry is what starts at sign-in: the program and its arguments.
type Entry struct {
	// Name identifies the entry: the autostart file's name on Linux
	// ("chase-md" makes chase-md.desktop), the Run key's value name on Windows.
	Name string
	// Title is what the person sees in their system's list of startup apps.
	Title string
	Exe   string   // absolute path of the program
	Args  []string // e.g. --background
}

// ErrUnsupported means this system has no autostart chase.md can set.
var ErrUnsupported = errors.New("autostart: starting at sign-in is not supported on this system")

// Enable makes e start at sign-in, replacing an older entry of the same name
// (a moved program is pointed at again).
func Enable(e Entry) error { return enable(e) }

// Disable removes the entry named name; a no-op when there is none.
func Disable(name string) error { return disable(name) }

// Enabled reports whether an entry named name starts at sign-in.
func Enabled(name string) (bool, error) { return enabled(name) }

package cli

import (
	"fmt"
	"io"
)

// NoDisplay reports whether the desktop app cannot open a window here: on
// Linux and the BSDs a window needs an X11 or Wayland display (Windows and
// macOS always have one). Checked before the window starts, which would
// otherwise die with a stack trace.
func NoDisplay(goos string, getenv func(string) string) bool {
	switch goos {
	case "windows", "darwin":
		return false
	}
	return getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == ""
}

// PrintNoDisplay says why the window did not open and how to use the
// command line instead.
func PrintNoDisplay(w io.Writer) {
	fmt.Fprint(w, "chase.md's window needs a desktop session, and this terminal has none (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"+
		"Run chase.md from your desktop, or use the command line:\n\n")
	usage(w)
}

//go:build !windows && !darwin

package opener

import "os/exec"

// command uses the desktop's opener (freedesktop's xdg-open). Paths are
// absolute, so never read as an option.
func command(path string) *exec.Cmd { return exec.Command("xdg-open", path) }

package opener

import "os/exec"

// command asks Windows' shell to open the file as a double-click would.
func command(path string) *exec.Cmd {
	return exec.Command("rundll32.exe", "url.dll,FileProtocolHandler", path)
}

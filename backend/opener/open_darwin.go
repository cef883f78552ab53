package opener

import "os/exec"

func command(path string) *exec.Cmd { return exec.Command("open", path) }

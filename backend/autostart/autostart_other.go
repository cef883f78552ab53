//go:build !linux && !windows

package autostart

// macOS wants a login item (SMAppService) from a signed .app; not done yet.
func enable(Entry) error           { return ErrUnsupported }
func disable(string) error         { return nil }
func enabled(string) (bool, error) { return false, nil }

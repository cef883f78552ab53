package autostart

import (
	"errors"
	"fmt"

	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// runKey is the per-user Run key: Windows starts what it lists at sign-in,
// and writing it needs no admin rights.
const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

func enable(e Entry) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("autostart: open HKCU\\%s: %w", runKey, err)
	}
	defer k.Close()
	if err := k.SetStringValue(e.Name, commandLine(e.Exe, e.Args)); err != nil {
		return fmt.Errorf("autostart: set %s: %w", e.Name, err)
	}
	return nil
}

func disable(name string) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("autostart: open HKCU\\%s: %w", runKey, err)
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("autostart: remove %s: %w", name, err)
	}
	return nil
}

func enabled(name string) (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: open HKCU\\%s: %w", runKey, err)
	}
	defer k.Close()
	_, _, err = k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: read %s: %w", name, err)
	}
	return true, nil
}

// commandLine is the Run value: Windows' own quoting (CommandLineToArgvW).
func commandLine(exe string, args []string) string {
	words := []string{windows.EscapeArg(exe)}
	for _, a := range args {
		words = append(words, windows.EscapeArg(a))
	}
	return strings.Join(words, " ")
}

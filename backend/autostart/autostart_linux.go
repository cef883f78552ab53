package autostart

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// dir is $XDG_CONFIG_HOME/autostart, or ~/.config/autostart.
func dir() (string, error) {
	base := os.Getenv("XDG_CONFIG_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("autostart: find the config folder: %w", err)
		}
		base = filepath.Join(home, ".config")
	}
	return filepath.Join(base, "autostart"), nil
}

func file(name string) (string, error) {
	d, err := dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, name+".desktop"), nil
}

func enable(e Entry) error {
	path, err := file(e.Name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("autostart: create %s: %w", filepath.Dir(path), err)
	}
	// The Exec value is itself a string value of the desktop file, whose
	// escapes turn \\ into \, so every backslash of the quoted line is doubled.
	exec := strings.ReplaceAll(commandLine(e.Exe, e.Args), `\`, `\\`)
	var b bytes.Buffer
	fmt.Fprintf(&b, "[Desktop Entry]\nType=Application\nName=%s\nExec=%s\nTerminal=false\nNoDisplay=false\nX-GNOME-Autostart-enabled=true\n", e.Title, exec)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("autostart: write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("autostart: write %s: %w", path, err)
	}
	return nil
}

func disable(name string) error {
	path, err := file(name)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("autostart: remove %s: %w", path, err)
	}
	return nil
}

// enabled reads the entry as session managers do: present, and not switched
// off with Hidden=true or X-GNOME-Autostart-enabled=false (which desktop
// settings panels write instead of deleting the file).
func enabled(name string) (bool, error) {
	path, err := file(name)
	if err != nil {
		return false, err
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("autostart: read %s: %w", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "Hidden":
			if strings.TrimSpace(v) == "true" {
				return false, nil
			}
		case "X-GNOME-Autostart-enabled":
			if strings.TrimSpace(v) == "false" {
				return false, nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("autostart: read %s: %w", path, err)
	}
	return true, nil
}

// commandLine quotes the program and its arguments as the Desktop Entry
// spec's Exec key wants: a word with a space or a reserved character goes in
// double quotes, with ", `, $ and \ escaped by a backslash.
func commandLine(exe string, args []string) string {
	words := make([]string, 0, 1+len(args))
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	for _, w := range append([]string{exe}, args...) {
		if w != "" && !strings.ContainsAny(w, " \t\n\"'\\><~|&;$*?#()`") {
			words = append(words, w)
			continue
		}
		words = append(words, `"`+r.Replace(w)+`"`)
	}
	return strings.Join(words, " ")
}

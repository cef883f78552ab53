package autostart

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnableWritesAnXDGAutostartEntryAndDisableRemovesIt(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	e := Entry{Name: "chase-md", Title: "chase.md", Exe: "/opt/chase md/chase", Args: []string{"--background"}}
	if on, err := Enabled(e.Name); err != nil || on {
		t.Fatalf("before Enable: %v, %v", on, err)
	}
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg, "autostart", "chase-md.desktop")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Name=chase.md\n", `Exec="/opt/chase md/chase" --background` + "\n"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q:\n%s", path, want, b)
		}
	}
	if on, err := Enabled(e.Name); err != nil || !on {
		t.Errorf("after Enable: %v, %v", on, err)
	}
	// Enabling again (say after the program moved) replaces the entry.
	e.Exe = "/usr/bin/chase"
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "Exec=/usr/bin/chase --background\n") || strings.Contains(string(b), "/opt") {
		t.Errorf("re-enabled entry:\n%s", b)
	}
	if err := Disable(e.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("entry still there after Disable: %v", err)
	}
	if err := Disable(e.Name); err != nil {
		t.Errorf("Disable without an entry: %v", err)
	}
}

// A desktop's settings panel switches an entry off by editing it, not by
// deleting it: that reads as off.
func TestEntrySwitchedOffByTheDesktopReadsAsOff(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if err := Enable(Entry{Name: "chase-md", Title: "chase.md", Exe: "/usr/bin/chase"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfg, "autostart", "chase-md.desktop")
	b, _ := os.ReadFile(path)
	off := strings.Replace(string(b), "X-GNOME-Autostart-enabled=true", "X-GNOME-Autostart-enabled=false", 1)
	if err := os.WriteFile(path, []byte(off), 0o644); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled("chase-md"); err != nil || on {
		t.Errorf("switched off by the desktop: %v, %v", on, err)
	}
}

// The written Exec line is one the desktop's own parser accepts and splits
// back into the same words: checked with desktop-file-validate when installed.
func TestEntryValidates(t *testing.T) {
	tool, err := exec.LookPath("desktop-file-validate")
	if err != nil {
		t.Skip("desktop-file-validate not installed (Debian: desktop-file-utils)")
	}
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	if err := Enable(Entry{Name: "chase-md", Title: "chase.md", Exe: `/home/a b/it's "here"\chase`, Args: []string{"--background"}}); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, filepath.Join(cfg, "autostart", "chase-md.desktop")).CombinedOutput(); err != nil {
		t.Errorf("desktop-file-validate: %v\n%s", err, out)
	}
}

func TestCommandLineQuotesWordsThatNeedIt(t *testing.T) {
	for _, c := range []struct {
		exe  string
		args []string
		want string
	}{
		{"/usr/bin/chase", []string{"--background"}, "/usr/bin/chase --background"},
		{"/home/Ann Lee/bin/chase", []string{"--background"}, `"/home/Ann Lee/bin/chase" --background`},
		{`/a/"q"/$x`, nil, `"/a/\"q\"/\$x"`},
	} {
		if got := commandLine(c.exe, c.args); got != c.want {
			t.Errorf("commandLine(%q, %q) = %s, want %s", c.exe, c.args, got, c.want)
		}
	}
}

package app

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/applog"
	"chase.md/backend/config"
	"chase.md/backend/core"
)

// Connection is the one connection state every screen shows (the top bar,
// Clients, Chase list, Settings); EvConnection carries its changes. When the
// backend cannot run yet (no client ID, no keyring) it is signed out, saying why.
func (s *StatusService) Connection() (core.ConnState, error) {
	_, c, done, err := s.app.backend()
	if err != nil {
		if cerr := s.app.started(); cerr != nil {
			return core.ConnState{}, cerr
		}
		words, _ := whyNotRunning(err)
		return core.ConnState{Kind: core.ConnSignedOut, Message: words}, nil
	}
	defer done()
	return c.Connection(), nil
}

// RetryNow sends the calls waiting for Xero again at once and starts a sync
// ("Retry now" beside "can't reach Xero").
func (s *StatusService) RetryNow() (core.ConnState, error) {
	_, c, done, err := s.app.backend()
	if err != nil {
		return core.ConnState{}, err
	}
	defer done()
	c.RetryNow()
	return c.Connection(), nil
}

// problemsInDiagnostics is how many of the log's last warnings and errors
// Copy diagnostics includes.
const problemsInDiagnostics = 20

// Diagnostics is what Settings › Copy diagnostics puts on the clipboard for
// support: version, system, data folder, connection state and the log's last
// problems. It never holds a token: the log is scrubbed as it is written and
// again as it is read here.
func (s *StatusService) Diagnostics() (string, error) {
	_, sess, done, err := s.app.current()
	if err != nil {
		return "", err
	}
	defer done()
	var b strings.Builder
	fmt.Fprintf(&b, "chase.md %s\n", config.DisplayVersion())
	fmt.Fprintf(&b, "System: %s/%s, %s\n", runtime.GOOS, runtime.GOARCH, runtime.Version())
	mode := "own Xero"
	if sess.cfg.Demo {
		mode = "demo"
	}
	fmt.Fprintf(&b, "Mode: %s\n", mode)
	fmt.Fprintf(&b, "Data folder: %s\n", sess.cfg.DataDir)
	if v, err := sess.db.SchemaVersion(s.app.ctx); err == nil {
		fmt.Fprintf(&b, "Database schema: %d\n", v)
	}
	if st, err := s.Connection(); err == nil {
		since := ""
		if !st.Since.IsZero() {
			since = " since " + st.Since.Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "Connection: %s%s: %s\n", st.Kind, since, st.Message)
	}
	lines, err := applog.Problems(sess.cfg.LogPath(), problemsInDiagnostics)
	if err != nil {
		fmt.Fprintf(&b, "Log: %v\n", err)
	}
	fmt.Fprintf(&b, "Last problems in %s (%d):\n", filepath.Base(sess.cfg.LogPath()), len(lines))
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	return b.String(), nil
}

// OpenLogFolder shows the data folder, where chase.log lives, in the
// system's file manager.
func (s *StatusService) OpenLogFolder() error {
	_, sess, done, err := s.app.current()
	if err != nil {
		return err
	}
	defer done()
	return openFolder(s.app, sess.cfg.DataDir)
}

// openFolder asks the system's file manager to show dir.
func openFolder(a *App, dir string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("explorer", dir)
	case "darwin":
		cmd = exec.Command("open", dir)
	default:
		if _, err := exec.LookPath("xdg-open"); err != nil {
			if a.wailsCtx == nil {
				return errors.New("no file manager to open " + dir)
			}
			wruntime.BrowserOpenURL(a.wailsCtx, "file://"+filepath.ToSlash(dir))
			return nil
		}
		cmd = exec.Command("xdg-open", dir)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open folder %s: %w", dir, err)
	}
	go cmd.Wait() // explorer exits 1 even when it worked: the outcome is not ours to judge
	return nil
}

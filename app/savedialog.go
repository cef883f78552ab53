package app

import (
	"errors"
	"fmt"
	"path/filepath"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"
)

// saveDialog asks where to save an export with the native save dialog and
// returns the path the person chose, "" if they cancelled. Exports write only
// there: no bound method takes a path from the webview, so a page that went
// wrong cannot write files where it likes.
//
// Browser tests cannot click a native dialog. A build without the production
// tag (wails dev, go test) in demo mode writes instead to CHASE_EXPORT_DIR
// under the dialog's suggested name (exportdir_dev.go); a release build has
// no such path (exportdir_release.go).
func (a *App) saveDialog(opts wruntime.SaveDialogOptions) (string, error) {
	if dir := testExportDir(); dir != "" {
		if _, sess, done, err := a.current(); err == nil {
			demo := sess.cfg.Demo
			done()
			if demo {
				return filepath.Join(dir, filepath.Base(opts.DefaultFilename)), nil
			}
		}
	}
	if a.wailsCtx == nil {
		return "", errors.New("app: no window to show the save dialog in")
	}
	path, err := wruntime.SaveFileDialog(a.wailsCtx, opts)
	if err != nil {
		return "", fmt.Errorf("app: save dialog: %w", err)
	}
	return path, nil
}

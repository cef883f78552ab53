package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/upload"
)

// ActivityService is the Activity screen: the log of every upload's outcome,
// searchable, and exported as CSV for the practice's records.
type ActivityService struct{ app *App }

// History returns one page of the activity log, newest first. search matches
// the file name, client, Xero file id, outcome, user or hash ("" = all);
// limit 0 = 100.
func (s *ActivityService) History(search string, limit, offset int) ([]upload.Entry, error) {
	ctx, c, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	entries, err := c.Uploads.History(ctx, search, min(max(limit, 0), 1000), offset)
	if err != nil {
		return nil, err
	}
	if entries == nil {
		entries = []upload.Entry{}
	}
	return entries, nil
}

// CSVFileName is the export's suggested name for a day.
func CSVFileName(day time.Time) string {
	return "chase-md-activity-" + day.Format("2006-01-02") + ".csv"
}

// ExportCSV asks where to save the activity log (a save dialog) and writes it
// there as CSV. It returns the path written, or "" if the user cancelled.
func (s *ActivityService) ExportCSV() (string, error) {
	if _, _, err := s.app.backend(); err != nil {
		return "", err
	}
	dir, _ := os.UserHomeDir()
	if docs := filepath.Join(dir, "Documents"); dirExists(docs) {
		dir = docs
	}
	path, err := s.app.saveDialog(wruntime.SaveDialogOptions{
		Title:            "Export the activity log",
		DefaultDirectory: dir,
		DefaultFilename:  CSVFileName(time.Now()),
		Filters:          []wruntime.FileFilter{{DisplayName: "CSV (spreadsheet)", Pattern: "*.csv"}},
	})
	if err != nil || path == "" {
		return "", err
	}
	if filepath.Ext(path) == "" {
		path += ".csv"
	}
	if err := s.exportCSVTo(path); err != nil {
		return "", err
	}
	return path, nil
}

// exportCSVTo writes the whole activity log as CSV to path, replacing it. The
// file is written beside the target and renamed over it, so a failed export
// never leaves half a file where an earlier export was. Unexported: only a
// path from saveDialog is ever written.
func (s *ActivityService) exportCSVTo(path string) (err error) {
	ctx, c, err := s.app.backend()
	if err != nil {
		return err
	}
	path = strings.TrimSpace(path)
	if path == "" {
		return &InputError{Field: "path", Message: "Choose where to save the file."}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".chase-export-*.csv")
	if err != nil {
		return fmt.Errorf("activity: export to %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := c.Uploads.ExportCSV(ctx, tmp); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("activity: export to %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("activity: export to %s: %w", path, err)
	}
	return nil
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

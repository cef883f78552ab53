package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/activity"
	"chase.md/backend/upload"
)

// ActivityService is the Activity screen: everything chase.md did (syncs,
// filings, refusals, undos, moves, removals, job moves, emails, chase marks,
// link decisions), who did it, searchable, filtered by kind, and exported as
// CSV for the practice's records.
type ActivityService struct{ app *App }

// ActivityKind is one kind of activity the filter offers.
type ActivityKind struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

// Kinds lists the kinds of activity, with their words.
func (s *ActivityService) Kinds() []ActivityKind {
	out := []ActivityKind{}
	for _, k := range activity.Kinds() {
		out = append(out, ActivityKind{Kind: string(k), Label: activity.Label(k)})
	}
	return out
}

// List returns one page of the activity log, newest first. search matches
// every word given against what happened, who, the client, the document or
// job, the Xero IDs and the details ("" = all); kinds limits it to those
// kinds (none = all); limit 0 = 100.
func (s *ActivityService) List(search string, kinds []string, limit, offset int) ([]activity.Entry, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	q := activity.Query{Search: search, Limit: min(max(limit, 0), 1000), Offset: offset}
	for _, k := range kinds {
		q.Kinds = append(q.Kinds, activity.Kind(k))
	}
	return c.Activity.List(ctx, q)
}

// History returns one page of the uploads' outcomes, newest first. search matches
// the file name, client, Xero file id, outcome, user or hash ("" = all);
// limit 0 = 100.
func (s *ActivityService) History(search string, limit, offset int) ([]upload.Entry, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
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
	if err := s.app.running(); err != nil {
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
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return err
	}
	defer done()
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
	if err := c.Activity.WriteCSV(ctx, tmp, activity.Query{Limit: -1}); err != nil {
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

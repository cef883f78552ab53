package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/core"
	"chase.md/backend/store"
	"chase.md/backend/upload"
)

// UploadsService is the drag-and-drop upload UI's door to the queue: files
// dropped or picked for a client, the queue with its progress, and the
// actions on it (cancel, retry, upload a duplicate anyway).
type UploadsService struct{ app *App }

// maxDropFiles bounds what one drop may expand to, so dropping a home folder
// by mistake cannot queue a hundred thousand files.
const maxDropFiles = 2000

// ErrTooManyFiles is a drop whose folders hold more than maxDropFiles files.
var ErrTooManyFiles = errors.New("uploads: too many files in one drop")

// ErrNotDemo is a demo-only action asked for outside the demo.
var ErrNotDemo = errors.New("uploads: only in the demo")

// Enqueue checks and queues files for a client of the main organisation.
// Folders among paths are expanded into the files inside them (recursively,
// skipping hidden files and folders). The result has one item per file, in
// order: refused ones have State "refused" and the reason in plain words.
// folder is the Xero Files folder ("" = Inbox).
func (s *UploadsService) Enqueue(contactID string, paths []string, folder string) ([]upload.Item, error) {
	return s.enqueue(contactID, paths, folder, upload.SourceDrop)
}

// EnqueuePicked is Enqueue for files chosen with PickFiles (recorded as such
// in the activity log).
func (s *UploadsService) EnqueuePicked(contactID string, paths []string, folder string) ([]upload.Item, error) {
	return s.enqueue(contactID, paths, folder, upload.SourcePicker)
}

func (s *UploadsService) enqueue(contactID string, paths []string, folder string, src upload.Source) ([]upload.Item, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	tenant, err := uploadTenant(ctx, c)
	if err != nil {
		return nil, err
	}
	contact, err := c.UploadContact(ctx, tenant, strings.TrimSpace(contactID))
	if errors.Is(err, store.ErrNotFound) {
		return nil, &UIError{Code: "no_client", Message: "chase.md doesn't know that client (it may have been removed in Xero). Sync contacts, then drop the files again."}
	}
	if err != nil {
		return nil, fmt.Errorf("uploads: find client %s: %w", contactID, err)
	}
	files, err := expandPaths(paths, maxDropFiles)
	if err != nil {
		return nil, err
	}
	reqs := make([]upload.Request, len(files))
	for i, p := range files {
		reqs[i] = upload.Request{Path: p, TenantID: tenant, Contact: contact, Folder: strings.TrimSpace(folder), Source: src, Hold: core.UndoWindow}
	}
	items, err := c.Uploads.Enqueue(ctx, reqs)
	if err != nil {
		return nil, fmt.Errorf("uploads: queue %d files for %s: %w", len(reqs), contact.Name, err)
	}
	c.LogRefused(items)
	return items, nil
}

// uploadTenant is the organisation uploads go to.
func uploadTenant(ctx context.Context, c *core.Session) (string, error) {
	ch, err := c.Choice(ctx)
	if err != nil {
		return "", err
	}
	if ch.Main() == "" {
		return "", core.ErrNoOrganisation
	}
	return ch.Main(), nil
}

// expandPaths replaces folders by the files inside them, recursively, in name
// order, skipping hidden files and folders (".DS_Store", ".git"). Paths that
// are not folders, or cannot be read, are kept so Check can say why they are
// refused. A path given twice is kept once.
func expandPaths(paths []string, limit int) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) error {
		if seen[p] {
			return nil
		}
		if len(out) >= limit {
			return fmt.Errorf("%w: more than %d", ErrTooManyFiles, limit)
		}
		seen[p] = true
		out = append(out, p)
		return nil
	}
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		p = filepath.Clean(p)
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if path == p { // the dropped path itself: let Check explain
					return add(path)
				}
				return nil // an unreadable subfolder: skip it, keep the rest
			}
			if path != p && hidden(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			return add(path)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func hidden(name string) bool { return strings.HasPrefix(name, ".") }

// PickFiles opens the system's file chooser (the keyboard alternative to
// dropping) and returns the chosen paths; none if the user cancelled.
func (s *UploadsService) PickFiles() ([]string, error) {
	if err := s.app.started(); err != nil {
		return nil, err
	}
	if s.app.wailsCtx == nil {
		return nil, errors.New("uploads: no window to open the file chooser from")
	}
	exts := make([]string, 0, len(upload.AcceptedExtensions()))
	for _, e := range upload.AcceptedExtensions() {
		exts = append(exts, "*."+e)
	}
	paths, err := wruntime.OpenMultipleFilesDialog(s.app.wailsCtx, wruntime.OpenDialogOptions{
		Title: "Choose documents to upload to Xero",
		Filters: []wruntime.FileFilter{
			{DisplayName: "Documents Xero accepts", Pattern: strings.Join(exts, ";")},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("uploads: file chooser: %w", err)
	}
	return paths, nil
}

// ItemsFilter selects queue items for Items.
type ItemsFilter struct {
	// States: held, queued, uploading, uploaded, associating, done, failed,
	// waiting_reconnect, cancelled, skipped_duplicate; none = all.
	States    []string `json:"states"`
	ContactID string   `json:"contactId"`
	Limit     int      `json:"limit"` // 0 = 500
	Offset    int      `json:"offset"`
}

// Items lists the queue, newest first.
func (s *UploadsService) Items(f ItemsFilter) ([]upload.Item, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	qf := upload.Filter{Contact: strings.ToLower(strings.TrimSpace(f.ContactID)), Limit: f.Limit, Offset: f.Offset}
	for _, st := range f.States {
		if !slices.Contains(uploadStates, upload.State(st)) {
			return nil, &InputError{Field: "state", Message: fmt.Sprintf("%q is not a state an upload can be in.", st)}
		}
		qf.States = append(qf.States, upload.State(st))
	}
	items, err := c.Uploads.Items(ctx, qf)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []upload.Item{}
	}
	return items, nil
}

// Overview is the queue at a glance: the Uploads screen's summary line and
// overall progress bar.
type Overview struct {
	Held      int   `json:"held"`      // in their undo window
	Queued    int   `json:"queued"`    // waiting for a worker
	Active    int   `json:"active"`    // uploading or being linked to the client
	Waiting   int   `json:"waiting"`   // waiting for the Xero connection
	Done      int   `json:"done"`      // filed in Xero
	Failed    int   `json:"failed"`    // failed for good (Retry)
	Skipped   int   `json:"skipped"`   // duplicates skipped (Upload anyway)
	Cancelled int   `json:"cancelled"` //
	LiveBytes int64 `json:"liveBytes"` // bytes of queued and active items
	Paused    bool  `json:"paused"`    // the queue waits for a reconnect
}

// Overview counts the queue's items by state.
func (s *UploadsService) Overview() (Overview, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return Overview{}, err
	}
	defer done()
	var o Overview
	for off := 0; ; off += 500 {
		items, err := c.Uploads.Items(ctx, upload.Filter{Limit: 500, Offset: off})
		if err != nil {
			return Overview{}, err
		}
		for _, it := range items {
			o.count(it)
		}
		if len(items) < 500 {
			break
		}
	}
	o.Paused = c.Uploads.Paused()
	return o, nil
}

func (o *Overview) count(it upload.Item) {
	switch it.State {
	case upload.StateHeld:
		o.Held++
	case upload.StateQueued:
		o.Queued++
	case upload.StateUploading, upload.StateUploaded, upload.StateAssociating:
		o.Active++
	case upload.StateWaitingReconnect:
		o.Waiting++
	case upload.StateDone:
		o.Done++
	case upload.StateFailed:
		o.Failed++
	case upload.StateSkippedDuplicate:
		o.Skipped++
	case upload.StateCancelled:
		o.Cancelled++
	}
	if it.State.Live() {
		o.LiveBytes += it.Size
	}
}

// Cancel stops one unfinished item.
func (s *UploadsService) Cancel(id int64) error {
	return s.do(func(ctx context.Context, q *upload.Queue) error { return q.Cancel(ctx, id) })
}

// Undo takes back a file still in its undo window (held): nothing is sent
// to Xero. One that has already gone can be moved to another client instead.
func (s *UploadsService) Undo(id int64) error {
	err := s.do(func(ctx context.Context, q *upload.Queue) error { return q.Undo(ctx, id) })
	if errors.Is(err, upload.ErrNotAllowed) {
		return &UIError{Code: "undo_too_late", Message: "That file has already gone to Xero. Open the client's files and choose Move to another client."}
	}
	return err
}

// SendNow sends a held file without waiting for its undo window to end.
func (s *UploadsService) SendNow(id int64) error {
	return s.do(func(ctx context.Context, q *upload.Queue) error { return q.SendNow(ctx, id) })
}

// CancelAll stops every unfinished item.
func (s *UploadsService) CancelAll() error {
	return s.do(func(ctx context.Context, q *upload.Queue) error { return q.CancelAll(ctx) })
}

// Retry queues a failed or cancelled item again (or, for one waiting for the
// connection, tries the connection again).
func (s *UploadsService) Retry(id int64) error {
	return s.do(func(ctx context.Context, q *upload.Queue) error { return q.Retry(ctx, id) })
}

// RetryAll queues every failed item again; it returns how many.
func (s *UploadsService) RetryAll() (int, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return 0, err
	}
	defer done()
	items, err := c.Uploads.Items(ctx, upload.Filter{States: []upload.State{upload.StateFailed}, Limit: 10000})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, it := range items {
		if err := c.Uploads.Retry(ctx, it.ID); err == nil {
			n++
		} else if !errors.Is(err, upload.ErrNotAllowed) {
			return n, err
		}
	}
	return n, nil
}

// Force uploads a file that was skipped as already uploaded.
func (s *UploadsService) Force(id int64) error {
	return s.do(func(ctx context.Context, q *upload.Queue) error { return q.Force(ctx, id) })
}

// ClearFinished removes filed, skipped and cancelled items from the queue
// (the activity log keeps them); it returns how many.
func (s *UploadsService) ClearFinished() (int, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return 0, err
	}
	defer done()
	return c.Uploads.ClearFinished(ctx, false)
}

func (s *UploadsService) do(fn func(context.Context, *upload.Queue) error) error {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return err
	}
	defer done()
	return fn(ctx, c.Uploads)
}

// ClientChoice is one client offered by the "which client?" search.
type ClientChoice struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Email         string `json:"email,omitempty"`
	AccountNumber string `json:"accountNumber,omitempty"`
}

// FindClients searches the main organisation's active contacts by name (the
// "which client?" question after a drop outside a client). limit 0 = 20.
func (s *UploadsService) FindClients(query string, limit int) ([]ClientChoice, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	tenant, err := uploadTenant(ctx, c)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 20
	}
	found, _, err := c.DB.SearchContacts(ctx, tenant, store.SearchQuery{Text: query, Limit: min(limit, 200)})
	if err != nil {
		return nil, err
	}
	out := make([]ClientChoice, 0, len(found))
	for _, f := range found {
		out = append(out, ClientChoice{ID: f.ID, Name: f.Name, Email: f.Email, AccountNumber: f.AccountNumber})
	}
	return out, nil
}

// Limits are the checks the UI explains before a drop.
type Limits struct {
	MaxBytes int64    `json:"maxBytes"`
	Accepted []string `json:"accepted"`
	Blocked  []string `json:"blocked"`
}

// Limits returns the size limit and the file types Xero accepts and refuses.
func (s *UploadsService) Limits() Limits {
	return Limits{MaxBytes: upload.MaxFileSize, Accepted: upload.AcceptedExtensions(), Blocked: upload.BlockedExtensions()}
}

// DemoSlowUploads makes the demo Xero take delay (e.g. "2s") before answering
// each file upload, so the queue's progress can be watched; "" or "0" stops it.
// Demo only: it changes nothing in a real practice.
func (s *UploadsService) DemoSlowUploads(delay string) error {
	_, c, done, err := s.app.backend()
	if err != nil {
		return err
	}
	defer done()
	if c.Sandbox == nil {
		return ErrNotDemo
	}
	const route = "POST /files.xro/1.0/Files*"
	delay = strings.TrimSpace(delay)
	if delay == "" || delay == "0" {
		return c.Sandbox.SetFault(route, "")
	}
	return c.Sandbox.SetFault(route, "slow:"+delay)
}

// uploadStates are the states a filter may name.
var uploadStates = []upload.State{upload.StateHeld, upload.StateQueued, upload.StateUploading, upload.StateUploaded, upload.StateAssociating,
	upload.StateDone, upload.StateFailed, upload.StateWaitingReconnect, upload.StateCancelled, upload.StateSkippedDuplicate}

// Package filing files the documents that land in watched folders: for each
// folder it runs a watch.Watcher, claims every stable file (so two machines on
// one shared folder never both take it), checks it, matches it to a client,
// queues it on the durable upload queue and, once uploaded, moves it into
// Filed/<client>/ (or leaves it in place). Files it cannot file confidently go
// to the Review list, back where they were, until a person chooses.
//
// A file is never deleted and never left anywhere but in its own folder, in
// Filed/ or, while its upload runs, in the claim area the watcher skips.
package filing

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"chase.md/backend/match"
	"chase.md/backend/store"
	"chase.md/backend/upload"
	"chase.md/backend/watch"
)

// Mode says how a folder's files are matched to clients.
type Mode string

const (
	// ModeAuto uses both sub-folder names and file names.
	ModeAuto Mode = "auto"
	// ModeSubfolder uses the sub-folder a file is in ("Acme Ltd/scan.pdf").
	ModeSubfolder Mode = "subfolder"
	// ModeFileName uses the file name ("Acme Ltd invoice.pdf").
	ModeFileName Mode = "filename"
	// ModeFixed files everything to Folder.ContactID.
	ModeFixed Mode = "fixed"
)

// After says what happens to a file once it is in Xero.
type After string

const (
	// AfterMove moves it into Filed/<client>/ inside the watched folder.
	AfterMove After = "move"
	// AfterLeave leaves it where it was; it is remembered so it is not
	// uploaded again.
	AfterLeave After = "leave"
)

// Folder is one watched folder's settings.
type Folder struct {
	ID        int64     `json:"id"`
	Path      string    `json:"path"`
	TenantID  string    `json:"tenantId"` // the organisation its files go to
	Mode      Mode      `json:"mode"`
	ContactID string    `json:"contactId,omitempty"` // ModeFixed
	After     After     `json:"after"`
	Paused    bool      `json:"paused"`
	CreatedAt time.Time `json:"createdAt"`
}

// State is what a folder is doing.
type State string

const (
	StateStarting State = "starting"
	StateWatching State = "watching"
	StatePaused   State = "paused"
	StateError    State = "error"
)

// FolderStatus is a folder with its live state, for the UI.
type FolderStatus struct {
	Folder
	State      State  `json:"state"`
	Message    string `json:"message,omitempty"` // why it is in error, in plain words
	Uploading  int    `json:"uploading"`         // claimed, upload under way
	Review     int    `json:"review"`            // waiting for a person
	FiledToday int    `json:"filedToday"`
}

// Filed reports a file that is now in Xero.
type Filed struct {
	FolderID  int64     `json:"folderId"`
	Folder    string    `json:"folder"` // the watched folder's path
	File      string    `json:"file"`   // its name
	Path      string    `json:"path"`   // where it is now
	Client    string    `json:"client"`
	ContactID string    `json:"contactId"`
	ItemID    int64     `json:"itemId"`
	When      time.Time `json:"when"`
}

// Queued reports a file handed to the upload queue.
type Queued struct {
	FolderID int64  `json:"folderId"`
	File     string `json:"file"`
	Client   string `json:"client"`
	ItemID   int64  `json:"itemId"`
	Reason   string `json:"reason"` // why this client, e.g. "sub-folder name"
}

// ReviewKind is why a file waits in Review beyond its match.
type ReviewKind string

const (
	// KindMatch: no confident match, or refused by the checks (Refused).
	KindMatch ReviewKind = ""
	// KindFailed: its upload ended without reaching Xero (Xero refused it
	// for good, or it was cancelled). It stays until a person chooses its
	// client again or the file changes; a sync never queues it again.
	KindFailed ReviewKind = "failed"
	// KindUnreadable: chase.md cannot read it. It is tried again in the
	// background and leaves Review by itself once it can be read.
	KindUnreadable ReviewKind = "unreadable"
	// KindUnfinished: quiet for a long time but incomplete for its format,
	// or still open in another program. It leaves by itself once whole.
	KindUnfinished ReviewKind = "unfinished"
)

// Review is a file waiting for a person: refused by the checks, not matched
// confidently, refused by Xero, unreadable or unfinished (Kind). The file
// stays in its folder.
type Review struct {
	ID          int64              `json:"id"`
	FolderID    int64              `json:"folderId"`
	Folder      string             `json:"folder"`
	Rel         string             `json:"rel"`  // relative to the folder
	Path        string             `json:"path"` // absolute
	Size        int64              `json:"size"`
	Reason      string             `json:"reason"`
	Refused     bool               `json:"refused"` // cannot be uploaded as it is (type, size…)
	Kind        ReviewKind         `json:"kind"`
	Suggestions []match.Suggestion `json:"suggestions"`
	CreatedAt   time.Time          `json:"createdAt"`
}

// ClientCount is how many files went to one client.
type ClientCount struct {
	TenantID  string `json:"tenantId"`
	ContactID string `json:"contactId"`
	Client    string `json:"client"`
	Count     int    `json:"count"`
}

// Events are what the service reports; the app turns them into toasts and
// refreshes, the CLI into lines. Calls come from worker goroutines and must
// not block for long. Nil fields are skipped.
type Events struct {
	OnFiled       func(Filed)
	OnQueued      func(Queued)
	OnReview      func(Review)
	OnFolderState func(FolderStatus)
}

// Queue is the part of the upload queue filing uses; *upload.Queue has it.
type Queue interface {
	Enqueue(ctx context.Context, reqs []upload.Request) ([]upload.Item, error)
	Item(ctx context.Context, id int64) (upload.Item, error)
}

// Options configure New.
type Options struct {
	DB    *store.DB
	Queue Queue
	// Contact returns the upload target for a synced contact (following
	// merges); core.Session.UploadContact.
	Contact func(ctx context.Context, tenantID, contactID string) (upload.Contact, error)
	// MainTenant is the organisation a folder added without one files to.
	MainTenant func(ctx context.Context) (string, error)
	// Owner names this install in claim folders; default the host name and a
	// random id kept in settings.
	Owner  string
	Quiet  time.Duration // watcher quiet period; default watch.DefaultQuiet
	Rescan time.Duration // watcher safety rescan; default watch.DefaultRescan
	Events Events
	Logger *slog.Logger
	Now    func() time.Time
	// UndoWindow holds a file a person filed from Review this long in the
	// queue (upload.StateHeld) before it goes, so the choice can be undone.
	UndoWindow time.Duration
}

// Delays that tests shrink.
var (
	RestartMin     = 2 * time.Second  // first wait before restarting a folder in error
	RestartMax     = time.Minute      // longest wait
	HeartbeatEvery = time.Minute      // claim heartbeat
	heartbeatRetry = 10 * time.Second // after a heartbeat failed (a share with errors)
	RecoverEvery   = 3 * time.Minute  // how often other machines' stale claims are looked for
	StaleAfter     = 10 * time.Minute // a claim whose owner has not heart-beaten for this long is returned
	SweepEvery     = 5 * time.Second  // safety net: look at uploads whose end no event reported
	ContactsEvery  = 5 * time.Second  // how often a folder notices synced contacts
)

var (
	// ErrNotFound is returned for an unknown folder or review id.
	ErrNotFound = errors.New("filing: not found")
	// ErrServing is returned by a second Serve.
	ErrServing = errors.New("filing: already serving")
	// errNoContacts makes the watcher look at a file again after a quiet
	// period (as ErrNotReady does) until the first contact sync is done.
	errNoContacts = fmt.Errorf("%w: no clients synced yet for this organisation", watch.ErrNotReady)
)

// Service runs the watched folders. Its methods are safe for concurrent use.
type Service struct {
	o     Options
	db    *sql.DB
	log   *slog.Logger
	owner string

	kick chan struct{} // 1-buffered: folder settings changed

	mu      sync.Mutex
	events  Events
	serving bool
	runs    map[int64]*run
	pending map[int64][]*claim // by upload item id

	settling sync.WaitGroup // settles started by ItemChanged (Wait)

	ixMu sync.Mutex
	ix   map[string]*tenantIndex
}

// run is one folder being served.
type run struct {
	folder Folder
	cancel context.CancelFunc
	done   chan struct{}
	state  State
	msg    string
	w      *watch.Watcher
}

const keyInstall = "filing.install_id"

// New opens the service; nothing is watched until Serve.
func New(ctx context.Context, o Options) (*Service, error) {
	if o.DB == nil || o.Queue == nil || o.Contact == nil {
		return nil, errors.New("filing: DB, Queue and Contact are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.MainTenant == nil {
		o.MainTenant = func(context.Context) (string, error) { return "", nil }
	}
	s := &Service{o: o, db: o.DB.SQL(), log: o.Logger, events: o.Events, kick: make(chan struct{}, 1),
		runs: map[int64]*run{}, pending: map[int64][]*claim{}, ix: map[string]*tenantIndex{}}
	s.owner = o.Owner
	if s.owner == "" {
		var err error
		if s.owner, err = installOwner(ctx, o.DB); err != nil {
			return nil, err
		}
	}
	if err := s.loadPending(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Owner is this install's name in claim folders.
func (s *Service) Owner() string { return s.owner }

// SetEvents replaces the event callbacks (the CLI sets its own).
func (s *Service) SetEvents(e Events) {
	s.mu.Lock()
	s.events = e
	s.mu.Unlock()
}

func (s *Service) ev() Events {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events
}

// installOwner is "<host>-<random id>": the host name for people reading a
// shared folder, the id because two installs may share a host name.
func installOwner(ctx context.Context, db *store.DB) (string, error) {
	var id string
	ok, err := db.GetSetting(ctx, keyInstall, &id)
	if err != nil {
		return "", err
	}
	if !ok || id == "" {
		b := make([]byte, 6)
		rand.Read(b)
		id = hex.EncodeToString(b)
		if err := db.SetSetting(ctx, keyInstall, id); err != nil {
			return "", err
		}
	}
	host, _ := os.Hostname()
	host = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>| .`, r) {
			return '-'
		}
		return r
	}, host)
	if host == "" {
		host = "chase"
	}
	return host + "-" + id, nil
}

func (s *Service) notifyChanged() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// AddFolder starts watching a folder. Zero fields take defaults: the main
// organisation, ModeAuto, AfterMove.
func (s *Service) AddFolder(ctx context.Context, f Folder) (Folder, error) {
	if f.Path == "" {
		return Folder{}, errors.New("filing: choose a folder to watch")
	}
	abs, err := filepath.Abs(f.Path)
	if err != nil {
		return Folder{}, fmt.Errorf("filing: folder %s: %w", f.Path, err)
	}
	f.Path = filepath.Clean(abs)
	if fi, err := os.Stat(f.Path); err != nil || !fi.IsDir() {
		return Folder{}, fmt.Errorf("filing: %s is not a folder that can be opened", f.Path)
	}
	if err := s.normalise(ctx, &f); err != nil {
		return Folder{}, err
	}
	f.CreatedAt = s.o.Now().UTC().Truncate(time.Millisecond)
	res, err := s.db.ExecContext(ctx, `INSERT INTO filing_folders (path, tenant_id, mode, contact_id, after, paused, created_at)
		VALUES (?,?,?,?,?,?,?)`, f.Path, f.TenantID, f.Mode, f.ContactID, f.After, f.Paused, ms(f.CreatedAt))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return Folder{}, fmt.Errorf("filing: %s is already watched", f.Path)
		}
		return Folder{}, fmt.Errorf("filing: add folder %s: %w", f.Path, err)
	}
	f.ID, _ = res.LastInsertId()
	s.notifyChanged()
	return f, nil
}

func (s *Service) normalise(ctx context.Context, f *Folder) error {
	if f.TenantID == "" {
		t, err := s.o.MainTenant(ctx)
		if err != nil {
			return err
		}
		if t == "" {
			return errors.New("filing: sign in to Xero and choose an organisation first")
		}
		f.TenantID = t
	}
	if f.Mode == "" {
		f.Mode = ModeAuto
	}
	switch f.Mode {
	case ModeAuto, ModeSubfolder, ModeFileName:
		f.ContactID = ""
	case ModeFixed:
		if f.ContactID == "" {
			return errors.New("filing: choose the client this folder's files go to")
		}
		f.ContactID = strings.ToLower(f.ContactID)
	default:
		return fmt.Errorf("filing: unknown match mode %q", f.Mode)
	}
	if f.After == "" {
		f.After = AfterMove
	}
	if f.After != AfterMove && f.After != AfterLeave {
		return fmt.Errorf("filing: unknown after-filing action %q", f.After)
	}
	return nil
}

// UpdateFolder changes a folder's organisation, mode, client, action or
// paused flag (not its path); a running folder restarts with them.
func (s *Service) UpdateFolder(ctx context.Context, f Folder) (Folder, error) {
	old, err := s.Folder(ctx, f.ID)
	if err != nil {
		return Folder{}, err
	}
	f.Path, f.CreatedAt = old.Path, old.CreatedAt
	if err := s.normalise(ctx, &f); err != nil {
		return Folder{}, err
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE filing_folders SET tenant_id=?, mode=?, contact_id=?, after=?, paused=? WHERE id=?`,
		f.TenantID, f.Mode, f.ContactID, f.After, f.Paused, f.ID); err != nil {
		return Folder{}, fmt.Errorf("filing: update folder %s: %w", f.Path, err)
	}
	s.notifyChanged()
	return f, nil
}

// RemoveFolder stops watching a folder. Its files are never touched; uploads
// already under way still finish and are filed.
func (s *Service) RemoveFolder(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM filing_folders WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("filing: remove folder %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("filing: folder %d: %w", id, ErrNotFound)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM filing_review WHERE folder_id = ?`, id); err != nil {
		return fmt.Errorf("filing: remove folder %d: %w", id, err)
	}
	s.notifyChanged()
	return nil
}

// Pause stops watching a folder until Resume; nothing already queued stops.
func (s *Service) Pause(ctx context.Context, id int64) error { return s.setPaused(ctx, id, true) }

// Resume watches a paused folder again; files added meanwhile are filed.
func (s *Service) Resume(ctx context.Context, id int64) error { return s.setPaused(ctx, id, false) }

func (s *Service) setPaused(ctx context.Context, id int64, p bool) error {
	res, err := s.db.ExecContext(ctx, `UPDATE filing_folders SET paused = ? WHERE id = ?`, p, id)
	if err != nil {
		return fmt.Errorf("filing: pause folder %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("filing: folder %d: %w", id, ErrNotFound)
	}
	s.notifyChanged()
	return nil
}

const folderCols = `id, path, tenant_id, mode, contact_id, after, paused, created_at`

func scanFolder(r interface{ Scan(...any) error }) (Folder, error) {
	var f Folder
	var created int64
	err := r.Scan(&f.ID, &f.Path, &f.TenantID, &f.Mode, &f.ContactID, &f.After, &f.Paused, &created)
	f.CreatedAt = time.UnixMilli(created).UTC()
	return f, err
}

// Folder returns one folder's settings.
func (s *Service) Folder(ctx context.Context, id int64) (Folder, error) {
	f, err := scanFolder(s.db.QueryRowContext(ctx, `SELECT `+folderCols+` FROM filing_folders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Folder{}, fmt.Errorf("filing: folder %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Folder{}, fmt.Errorf("filing: folder %d: %w", id, err)
	}
	return f, nil
}

func (s *Service) folders(ctx context.Context) ([]Folder, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+folderCols+` FROM filing_folders ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("filing: list folders: %w", err)
	}
	defer rows.Close()
	var out []Folder
	for rows.Next() {
		f, err := scanFolder(rows)
		if err != nil {
			return nil, fmt.Errorf("filing: list folders: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Folders lists the watched folders with their live state and counts.
func (s *Service) Folders(ctx context.Context) ([]FolderStatus, error) {
	fs, err := s.folders(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FolderStatus, 0, len(fs))
	for _, f := range fs {
		st, err := s.status(ctx, f)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *Service) status(ctx context.Context, f Folder) (FolderStatus, error) {
	st := FolderStatus{Folder: f, State: StateStarting}
	s.mu.Lock()
	if r := s.runs[f.ID]; r != nil {
		st.State, st.Message = r.state, r.msg
	} else if !s.serving {
		st.State = StatePaused
		st.Message = "not running"
	}
	s.mu.Unlock()
	if f.Paused {
		st.State, st.Message = StatePaused, ""
	}
	err := s.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM filing_pending WHERE folder_id = ?1),
		(SELECT COUNT(*) FROM filing_review WHERE folder_id = ?1 AND dismissed = 0),
		(SELECT COUNT(*) FROM filing_done WHERE folder_id = ?1 AND at >= ?2)`, f.ID, ms(startOfDay(s.o.Now()))).
		Scan(&st.Uploading, &st.Review, &st.FiledToday)
	if err != nil {
		return st, fmt.Errorf("filing: folder %s counts: %w", f.Path, err)
	}
	return st, nil
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Local().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.Local)
}

// FiledToday counts the files filed since local midnight per client, most
// first; tenantID "" counts every organisation.
func (s *Service) FiledToday(ctx context.Context, tenantID string) ([]ClientCount, error) {
	return s.FiledSince(ctx, tenantID, startOfDay(s.o.Now()))
}

// FiledSince counts the files filed since a time per client, most first.
func (s *Service) FiledSince(ctx context.Context, tenantID string, since time.Time) ([]ClientCount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT tenant_id, contact_id, MAX(client), COUNT(*) FROM filing_done
		WHERE at >= ? AND (? = '' OR tenant_id = ?) GROUP BY tenant_id, contact_id ORDER BY COUNT(*) DESC, MAX(client)`,
		ms(since), tenantID, tenantID)
	if err != nil {
		return nil, fmt.Errorf("filing: filed since %s: %w", since, err)
	}
	defer rows.Close()
	out := []ClientCount{}
	for rows.Next() {
		var c ClientCount
		if err := rows.Scan(&c.TenantID, &c.ContactID, &c.Client, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/match"
	"chase.md/backend/store"
)

// FoldersService is the Watched folders screen's door to backend/filing: the
// folders with their live state, the Review list, saved rules and what was
// filed today. Names (organisation, client) are looked up here so the UI
// never shows an ID.
type FoldersService struct{ app *App }

// FolderView is one watched folder for the UI.
type FolderView struct {
	ID           int64  `json:"id"`
	Path         string `json:"path"`
	TenantID     string `json:"tenantId"`
	Organisation string `json:"organisation"`
	Mode         string `json:"mode"` // auto, subfolder, filename, fixed
	ContactID    string `json:"contactId,omitempty"`
	ClientName   string `json:"clientName,omitempty"` // the fixed client's name
	After        string `json:"after"`                // move, leave
	Paused       bool   `json:"paused"`
	State        string `json:"state"` // starting, watching, paused, error
	Message      string `json:"message,omitempty"`
	Uploading    int    `json:"uploading"`
	Review       int    `json:"review"`
	FiledToday   int    `json:"filedToday"`
	CreatedAt    string `json:"createdAt"`
}

// SuggestionView is one client a Review file may belong to.
type SuggestionView struct {
	ContactID  string  `json:"contactId"`
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"` // 0..1
	Reason     string  `json:"reason"`
}

// ReviewView is a file waiting for a person.
type ReviewView struct {
	ID          int64            `json:"id"`
	FolderID    int64            `json:"folderId"`
	Folder      string           `json:"folder"`
	Rel         string           `json:"rel"`
	Name        string           `json:"name"`
	Path        string           `json:"path"`
	Size        int64            `json:"size"`
	Kind        string           `json:"kind"` // no_match, tie, refused, failed, unreadable, unfinished
	Reason      string           `json:"reason"`
	Suggestions []SuggestionView `json:"suggestions"`
	CreatedAt   string           `json:"createdAt"`
}

// RuleView is a saved pattern → client.
type RuleView struct {
	ID         int64  `json:"id"`
	TenantID   string `json:"tenantId"`
	Pattern    string `json:"pattern"`
	ContactID  string `json:"contactId"`
	ClientName string `json:"clientName"`
}

// FiledCount is how many files went to one client today.
type FiledCount struct {
	TenantID  string `json:"tenantId"`
	ContactID string `json:"contactId"`
	Client    string `json:"client"`
	Count     int    `json:"count"`
}

// Organisation is one organisation a folder can file to.
type Organisation struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Main bool   `json:"main"`
}

// The caller holds the session until it calls done (see App.current).
func (s *FoldersService) filing() (context.Context, *core.Session, *filing.Service, func(), error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if c.Folders == nil {
		done()
		return nil, nil, nil, nil, errors.New("folders: the watched folders are not running")
	}
	return ctx, c, c.Folders, done, nil
}

// Folders lists the watched folders with their live state and counts.
func (s *FoldersService) Folders() ([]FolderView, error) {
	ctx, c, f, done, err := s.filing()
	if err != nil {
		return nil, err
	}
	defer done()
	fs, err := f.Folders(ctx)
	if err != nil {
		return nil, err
	}
	orgs := orgNames(ctx, c)
	out := make([]FolderView, 0, len(fs))
	for _, st := range fs {
		out = append(out, folderView(ctx, c.DB, orgs, st))
	}
	return out, nil
}

func folderView(ctx context.Context, db *store.DB, orgs map[string]string, st filing.FolderStatus) FolderView {
	v := FolderView{
		ID: st.ID, Path: st.Path, TenantID: st.TenantID, Organisation: orgs[st.TenantID],
		Mode: string(st.Mode), ContactID: st.ContactID, After: string(st.After), Paused: st.Paused,
		State: string(st.State), Message: st.Message,
		Uploading: st.Uploading, Review: st.Review, FiledToday: st.FiledToday,
		CreatedAt: st.CreatedAt.Format("2006-01-02T15:04:05Z07:00"),
	}
	if st.ContactID != "" {
		v.ClientName = contactName(ctx, db, st.TenantID, st.ContactID)
	}
	return v
}

func orgNames(ctx context.Context, c *core.Session) map[string]string {
	out := map[string]string{}
	if ch, err := c.Choice(ctx); err == nil {
		for _, o := range ch.Orgs {
			out[o.ID] = o.Name
		}
	}
	return out
}

func contactName(ctx context.Context, db *store.DB, tenantID, id string) string {
	if ct, err := db.Contact(ctx, tenantID, id); err == nil {
		return ct.Name
	}
	return "a client no longer in Xero"
}

// Organisations lists the organisations a folder can file to, the main one first.
func (s *FoldersService) Organisations() ([]Organisation, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	ch, err := c.Choice(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Organisation, 0, len(ch.Orgs))
	for _, o := range ch.Orgs {
		out = append(out, Organisation{ID: o.ID, Name: o.Name, Main: o.ID == ch.Main()})
	}
	return out, nil
}

// ChooseFolder opens the system's folder chooser; "" if the user cancelled.
func (s *FoldersService) ChooseFolder() (string, error) {
	if err := s.app.started(); err != nil {
		return "", err
	}
	if s.app.wailsCtx == nil {
		return "", errors.New("folders: no window to open the folder chooser from")
	}
	return wruntime.OpenDirectoryDialog(s.app.wailsCtx, wruntime.OpenDialogOptions{
		Title:                "Choose a folder for chase.md to watch",
		CanCreateDirectories: true,
	})
}

// AddFolder starts watching path for the main organisation. mode is "auto"
// (or ""), "subfolder", "filename" or "fixed" (with contactID); after is
// "move" (or "") or "leave".
func (s *FoldersService) AddFolder(path, mode, contactID, after string) (FolderView, error) {
	ctx, c, f, done, err := s.filing()
	if err != nil {
		return FolderView{}, err
	}
	defer done()
	if strings.TrimSpace(path) == "" {
		return FolderView{}, &InputError{Field: "path", Message: "Choose a folder to watch."}
	}
	if err := checkFixed(mode, contactID); err != nil {
		return FolderView{}, err
	}
	added, err := f.AddFolder(ctx, filing.Folder{Path: strings.TrimSpace(path), Mode: filing.Mode(mode),
		ContactID: strings.TrimSpace(contactID), After: filing.After(after)})
	if err != nil {
		return FolderView{}, folderInputError(err)
	}
	return s.view(ctx, c, f, added.ID)
}

// UpdateFolder changes a folder's organisation ("" keeps it), how files are
// matched and what happens after filing. The path cannot change: add the
// other folder instead.
func (s *FoldersService) UpdateFolder(id int64, tenantID, mode, contactID, after string) (FolderView, error) {
	ctx, c, f, done, err := s.filing()
	if err != nil {
		return FolderView{}, err
	}
	defer done()
	if err := checkFixed(mode, contactID); err != nil {
		return FolderView{}, err
	}
	old, err := f.Folder(ctx, id)
	if err != nil {
		return FolderView{}, err
	}
	if tenantID == "" {
		tenantID = old.TenantID
	}
	if _, err := f.UpdateFolder(ctx, filing.Folder{ID: id, TenantID: tenantID, Mode: filing.Mode(mode),
		ContactID: strings.TrimSpace(contactID), After: filing.After(after), Paused: old.Paused}); err != nil {
		return FolderView{}, folderInputError(err)
	}
	return s.view(ctx, c, f, id)
}

func checkFixed(mode, contactID string) error {
	if filing.Mode(mode) == filing.ModeFixed && strings.TrimSpace(contactID) == "" {
		return &InputError{Field: "contactId", Message: "Choose the client this folder's files always go to."}
	}
	return nil
}

// folderInputError turns filing's refusals of a folder's settings (already in
// plain words after the "filing: " prefix) into messages shown as they are.
func folderInputError(err error) error {
	msg := err.Error()
	for _, plain := range []string{"is not a folder that can be opened", "is already watched", "choose ", "sign in to Xero", "unknown "} {
		if strings.Contains(msg, plain) {
			m := strings.TrimPrefix(msg, "filing: ")
			return &InputError{Field: "folder", Message: strings.ToUpper(m[:1]) + m[1:] + "."}
		}
	}
	return err
}

func (s *FoldersService) view(ctx context.Context, c *core.Session, f *filing.Service, id int64) (FolderView, error) {
	all, err := f.Folders(ctx)
	if err != nil {
		return FolderView{}, err
	}
	for _, st := range all {
		if st.ID == id {
			return folderView(ctx, c.DB, orgNames(ctx, c), st), nil
		}
	}
	return FolderView{}, fmt.Errorf("folders: folder %d: %w", id, filing.ErrNotFound)
}

// RemoveFolder stops watching a folder; its files stay where they are.
func (s *FoldersService) RemoveFolder(id int64) error {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return err
	}
	defer done()
	return f.RemoveFolder(ctx, id)
}

// Pause stops watching a folder until Resume.
func (s *FoldersService) Pause(id int64) error {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return err
	}
	defer done()
	return f.Pause(ctx, id)
}

// Resume watches a paused folder again; files added meanwhile are filed.
func (s *FoldersService) Resume(id int64) error {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return err
	}
	defer done()
	return f.Resume(ctx, id)
}

// Reviews lists the files waiting for a person, oldest first; folderID 0
// lists every folder's.
func (s *FoldersService) Reviews(folderID int64) ([]ReviewView, error) {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return nil, err
	}
	defer done()
	rs, err := f.Reviews(ctx, folderID)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewView, 0, len(rs))
	for _, r := range rs {
		out = append(out, reviewView(r))
	}
	return out, nil
}

func reviewView(r filing.Review) ReviewView {
	v := ReviewView{ID: r.ID, FolderID: r.FolderID, Folder: r.Folder, Rel: r.Rel, Path: r.Path, Size: r.Size,
		Reason: r.Reason, Suggestions: []SuggestionView{},
		CreatedAt: r.CreatedAt.Format("2006-01-02T15:04:05Z07:00")}
	name := strings.ReplaceAll(r.Rel, "\\", "/")
	v.Name = name[strings.LastIndex(name, "/")+1:]
	for _, sg := range r.Suggestions {
		v.Suggestions = append(v.Suggestions, SuggestionView{ContactID: sg.ContactID, Name: sg.Name, Confidence: sg.Confidence, Reason: sg.Reason})
	}
	v.Kind = reviewKind(r)
	return v
}

// reviewKind says why a file waits: refused by the checks, its upload
// failed, unreadable, unfinished, two clients equally likely, or no client
// likely enough.
func reviewKind(r filing.Review) string {
	best := r.Suggestions
	switch {
	case r.Refused:
		return "refused"
	case r.Kind != filing.KindMatch:
		return string(r.Kind)
	case len(best) > 1 && best[0].Confidence-best[1].Confidence < match.DefaultMargin:
		return "tie"
	default:
		return "no_match"
	}
}

// ResolveReview files a Review file to the chosen client. With saveRule, later
// files like it (the review's Pattern) go to that client by themselves.
func (s *FoldersService) ResolveReview(reviewID int64, contactID string, saveRule bool) error {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return err
	}
	defer done()
	if strings.TrimSpace(contactID) == "" {
		return &InputError{Field: "contactId", Message: "Choose the client this file is for."}
	}
	if err := f.ResolveReview(ctx, reviewID, strings.TrimSpace(contactID), saveRule); err != nil {
		return reviewError(err)
	}
	return nil
}

// RuleFor is the rule "Always file files like this for this client" would
// save if the Review file were filed to contactID; "" when none is specific
// to that client (a scanner's default name never becomes a rule).
func (s *FoldersService) RuleFor(reviewID int64, contactID string) (string, error) {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return "", err
	}
	defer done()
	return f.RuleFor(ctx, reviewID, strings.TrimSpace(contactID))
}

// reviewError keeps filing's plain-words reasons (a file that has gone, one
// that is refused) instead of "something went wrong".
func reviewError(err error) error {
	if errors.Is(err, filing.ErrNotFound) || errors.Is(err, store.ErrNotFound) || errors.Is(err, context.Canceled) {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), "filing: ")
	if msg == "" {
		return err
	}
	return &UIError{Code: "review", Message: strings.ToUpper(msg[:1]) + msg[1:]}
}

// DismissReview takes a file off the Review list; it stays where it is.
func (s *FoldersService) DismissReview(reviewID int64) error {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return err
	}
	defer done()
	return f.DismissReview(ctx, reviewID)
}

// Rules lists the saved rules of every chosen organisation, oldest first.
func (s *FoldersService) Rules() ([]RuleView, error) {
	ctx, c, f, done, err := s.filing()
	if err != nil {
		return nil, err
	}
	defer done()
	ch, err := c.Choice(ctx)
	if err != nil {
		return nil, err
	}
	out := []RuleView{}
	for _, o := range ch.Orgs {
		rs, err := f.Rules(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			out = append(out, RuleView{ID: r.ID, TenantID: r.TenantID, Pattern: r.Pattern, ContactID: r.ContactID,
				ClientName: contactName(ctx, c.DB, r.TenantID, r.ContactID)})
		}
	}
	return out, nil
}

// DeleteRule forgets a saved rule; files already filed stay filed.
func (s *FoldersService) DeleteRule(id int64) error {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return err
	}
	defer done()
	return f.DeleteRule(ctx, id)
}

// FiledToday counts the files filed from watched folders since midnight, per
// client, most first.
func (s *FoldersService) FiledToday() ([]FiledCount, error) {
	ctx, _, f, done, err := s.filing()
	if err != nil {
		return nil, err
	}
	defer done()
	cs, err := f.FiledToday(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]FiledCount, 0, len(cs))
	for _, c := range cs {
		out = append(out, FiledCount{TenantID: c.TenantID, ContactID: c.ContactID, Client: c.Client, Count: c.Count})
	}
	return out, nil
}

// FindClients searches an organisation's contacts ("" = the main one) for
// the Review list's and the fixed-client picker's "another client". limit 0 = 20.
func (s *FoldersService) FindClients(tenantID, query string, limit int) ([]ClientChoice, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	if tenantID == "" {
		if tenantID, err = uploadTenant(ctx, c); err != nil {
			return nil, err
		}
	}
	if limit <= 0 {
		limit = 20
	}
	found, _, err := c.DB.SearchContacts(ctx, tenantID, store.SearchQuery{Text: query, Limit: min(limit, 200)})
	if err != nil {
		return nil, err
	}
	out := make([]ClientChoice, 0, len(found))
	for _, f := range found {
		out = append(out, ClientChoice{ID: f.ID, Name: f.Name, Email: f.Email, AccountNumber: f.AccountNumber})
	}
	return out, nil
}

// filingEvents forwards the watched folders' news to the UI.
func (a *App) filingEvents() filing.Events {
	return filing.Events{
		OnFiled:  func(f filing.Filed) { a.emit(EvWatchFiled, f) },
		OnQueued: func(q filing.Queued) { a.emit(EvWatchQueued, q) },
		OnReview: func(r filing.Review) { a.emit(EvWatchReview, reviewView(r)) },
		OnFolderState: func(st filing.FolderStatus) {
			a.emit(EvWatchFolder, FolderView{ID: st.ID, Path: st.Path, TenantID: st.TenantID, Mode: string(st.Mode),
				ContactID: st.ContactID, After: string(st.After), Paused: st.Paused, State: string(st.State),
				Message: st.Message, Uploading: st.Uploading, Review: st.Review, FiledToday: st.FiledToday})
		},
	}
}

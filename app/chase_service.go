package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/activity"
	"chase.md/backend/chase"
	"chase.md/backend/core"
	"chase.md/backend/store"
	"chase.md/backend/xpm"
)

// ChaseService is the Chase list area: the list itself, the job-state
// mapping and the XPM client ↔ Xero contact links (backend/chase).
type ChaseService struct{ app *App }

// Errors of the chase area, worded in errorTable.
var (
	ErrNoPractice      = errors.New("app: no Practice Manager connected")
	ErrNoInterfaceCode = errors.New("app: the target state has no Interface Code")
)

const keyChaseTemplate = "chase.email_template"

// ChaseStatus says where the chase list comes from, for the screen's banners
// and empty states.
type ChaseStatus struct {
	// Organisation is the Xero organisation whose contacts are the clients;
	// Practice the XPM practice ("" = none connected).
	Organisation string `json:"organisation"`
	Practice     string `json:"practice"`
	// XPM: the last XPM sync succeeded, so the list comes from job states.
	XPM bool `json:"xpm"`
	// NoAccess: XPM refused the last sync; XPMRefused: Xero refused the XPM
	// scopes at sign-in; NoPractice: no practice tenant is connected.
	NoAccess    bool      `json:"noAccess"`
	XPMRefused  bool      `json:"xpmRefused"`
	NoPractice  bool      `json:"noPractice"`
	LastSync    time.Time `json:"lastSync"`
	LastError   string    `json:"lastError,omitempty"`
	StateSource string    `json:"stateSource"` // jobstate.api/list or jobs
	// States is how many job states are known, ChaseStates how many of them
	// mean "waiting on the client", Guessed whether that is still our guess.
	States      int  `json:"states"`
	ChaseStates int  `json:"chaseStates"`
	Guessed     bool `json:"guessed"`
	// LinksToReview counts ambiguous and unmatched clients.
	LinksToReview int `json:"linksToReview"`
}

// chase returns the backend and the main organisation's chase service.
func (s *ChaseService) chase() (context.Context, *core.Session, *chase.Service, error) {
	ctx, sess, err := s.app.backend()
	if err != nil {
		return nil, nil, nil, err
	}
	ch, err := sess.Chase(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	return ctx, sess, ch, nil
}

// noteClientFiles keeps what the client page has just listed of a contact's
// files in Xero (ClientsService.ClientFiles), so the chase list counts them
// without asking Xero again. A failed listing (err) changes nothing.
func (s *ChaseService) noteClientFiles(ctx context.Context, db *store.DB, tenantID, contactID string, files []ClientFile, err error) {
	if err != nil || tenantID == "" {
		return
	}
	xs := make([]chase.XeroFile, len(files))
	for i, f := range files {
		xs[i] = chase.XeroFile{FileID: f.FileID, Associated: f.Associated, Created: f.Created}
	}
	if err := chase.New(db, tenantID).RecordXeroFiles(ctx, contactID, xs); err != nil && ctx.Err() == nil {
		s.app.log.Warn("chase: keep the client's files in Xero", "contact", contactID, "err", err)
	}
}

// Status reports whether XPM is in use and how far the mapping has got.
func (s *ChaseService) Status() (ChaseStatus, error) {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return ChaseStatus{}, err
	}
	var out ChaseStatus
	choice, err := sess.Choice(ctx)
	if err != nil {
		return out, err
	}
	out.Organisation = choice.Orgs[0].Name
	out.XPMRefused = choice.XPMRefused
	if choice.Practice == nil {
		out.NoPractice = true
	} else {
		out.Practice = choice.Practice.Name
	}
	st, err := ch.Status(ctx)
	if err != nil {
		return out, err
	}
	out.XPM, out.NoAccess, out.LastSync, out.LastError, out.StateSource = st.XPM, st.NoAccess, st.LastSync, st.LastError, st.StateSource
	states, err := ch.States(ctx)
	if err != nil {
		return out, err
	}
	for _, m := range states {
		if !m.Present {
			continue
		}
		out.States++
		if m.Chase {
			out.ChaseStates++
		}
		out.Guessed = out.Guessed || m.Guessed
	}
	links, err := ch.Links(ctx, chase.LinkFilter{})
	if err != nil {
		return out, err
	}
	for _, l := range links {
		if l.Status == chase.StatusAmbiguous || l.Status == chase.StatusUnmatched {
			out.LinksToReview++
		}
	}
	return out, nil
}

// ChaseQuery is the chase list's sort and filter, as the screen sends it.
type ChaseQuery struct {
	Sort        string `json:"sort"` // client, due, waiting, state, chased, docs
	Desc        bool   `json:"desc"`
	Text        string `json:"text"`
	State       string `json:"state"`
	OverdueOnly bool   `json:"overdueOnly"`
	NoDocsOnly  bool   `json:"noDocsOnly"`
}

// ChaseList is one answer of List: the rows and the counts the screen shows.
type ChaseList struct {
	Rows []chase.Row `json:"rows"`
	// Clients counts the distinct clients in Rows; Overdue the rows past due.
	Clients int `json:"clients"`
	Overdue int `json:"overdue"`
}

// List builds the chase list, sorted and filtered.
func (s *ChaseService) List(q ChaseQuery) (ChaseList, error) {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return ChaseList{}, err
	}
	rows, err := ch.List(ctx, chase.Query{Sort: q.Sort, Desc: q.Desc, Filter: chase.Filter{
		Text: q.Text, State: q.State, OverdueOnly: q.OverdueOnly, NoDocsOnly: q.NoDocsOnly}})
	if err != nil {
		return ChaseList{}, err
	}
	out := ChaseList{Rows: rows}
	if out.Rows == nil {
		out.Rows = []chase.Row{}
	}
	clients := map[string]bool{}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, r := range rows {
		clients[r.ClientKey] = true
		if !r.DueDate.IsZero() && r.DueDate.Format(time.DateOnly) < today {
			out.Overdue++
		}
	}
	out.Clients = len(clients)
	return out, nil
}

// States lists the practice's job states with the mapping; states nobody has
// saved yet carry the guess (Guessed).
func (s *ChaseService) States() ([]chase.StateMapping, error) {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return nil, err
	}
	ms, err := ch.States(ctx)
	if ms == nil {
		ms = []chase.StateMapping{}
	}
	return ms, err
}

// SaveMapping stores which states mean "waiting on the client", where to move
// a job when documents arrive and the states' Interface Codes.
func (s *ChaseService) SaveMapping(ms []chase.StateMapping) ([]chase.StateMapping, error) {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.MoveTo != "" && strings.EqualFold(strings.TrimSpace(m.MoveTo), strings.TrimSpace(m.Name)) {
			return nil, &InputError{Field: "move to", Message: fmt.Sprintf("“%s” cannot move to itself: choose another state.", m.Name)}
		}
	}
	if err := ch.SaveMapping(ctx, ms); err != nil {
		return nil, err
	}
	return s.States()
}

// LinkList is the Links screen's data.
type LinkList struct {
	Links  []chase.Link     `json:"links"`
	Counts chase.LinkCounts `json:"counts"`
}

// Links lists XPM clients and their contacts, ambiguous and unmatched first;
// Counts covers every link whatever the filter.
func (s *ChaseService) Links(f chase.LinkFilter) (LinkList, error) {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return LinkList{}, err
	}
	all, err := ch.Links(ctx, chase.LinkFilter{})
	if err != nil {
		return LinkList{}, err
	}
	var out LinkList
	for _, l := range all {
		switch l.Status {
		case chase.StatusAuto:
			out.Counts.Auto++
		case chase.StatusConfirmed:
			out.Counts.Confirmed++
		case chase.StatusBroken:
			out.Counts.Broken++
		case chase.StatusAmbiguous:
			out.Counts.Ambiguous++
		case chase.StatusUnmatched:
			out.Counts.Unmatched++
		}
	}
	if f == (chase.LinkFilter{}) {
		out.Links = all
	} else if out.Links, err = ch.Links(ctx, f); err != nil {
		return LinkList{}, err
	}
	if out.Links == nil {
		out.Links = []chase.Link{}
	}
	return out, nil
}

// ConfirmLink accepts the suggested contact of a client.
func (s *ChaseService) ConfirmLink(clientUUID string) error {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return err
	}
	if err := ch.ConfirmLink(ctx, clientUUID); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Link, clientUUID, "", clientUUID, "Confirmed the suggested Xero contact for this XPM client.")
	return nil
}

// ChangeLink links a client to the contact a person chose.
func (s *ChaseService) ChangeLink(clientUUID, contactID string) error {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return err
	}
	if err := ch.ChangeLink(ctx, clientUUID, contactID); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Link, clientUUID, "", clientUUID,
		fmt.Sprintf("Linked this XPM client to the Xero contact %s (%s).", contactName(ctx, sess.DB, ch.TenantID(), contactID), contactID))
	return nil
}

// BreakLink says a client is none of the Xero contacts.
func (s *ChaseService) BreakLink(clientUUID string) error {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return err
	}
	if err := ch.BreakLink(ctx, clientUUID); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Link, clientUUID, "", clientUUID, "Said this XPM client is none of the Xero contacts.")
	return nil
}

// Relink recomputes the automatic links now; people's decisions stay.
func (s *ChaseService) Relink() (chase.LinkCounts, error) {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return chase.LinkCounts{}, err
	}
	return ch.Relink(ctx)
}

// SearchContacts finds contacts of the main organisation for "Change link"
// and "Mark for chase" (at most 20).
func (s *ChaseService) SearchContacts(text string) ([]store.ContactSummary, error) {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return nil, err
	}
	cs, _, err := sess.DB.SearchContacts(ctx, ch.TenantID(), store.SearchQuery{Text: text, Limit: 20})
	return cs, err
}

// MarkChased records that the client was chased today.
func (s *ChaseService) MarkChased(clientKey string) error {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return err
	}
	if err := ch.MarkChased(ctx, clientKey, time.Time{}); err != nil {
		return err
	}
	s.logChase(ctx, sess, ch, activity.Chased, clientKey, "", "", "Marked as chased today.")
	return nil
}

// MarkForChase puts a contact on the chase list by hand, or takes it off:
// the chase list without XPM.
func (s *ChaseService) MarkForChase(contactID string, on bool) error {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return err
	}
	if err := ch.MarkForChase(ctx, contactID, on); err != nil {
		return err
	}
	detail := "Put on the chase list by hand."
	if !on {
		detail = "Taken off the chase list."
	}
	sess.Log(activity.Entry{Kind: activity.Chased, TenantID: ch.TenantID(), ContactID: contactID,
		Client: contactName(ctx, sess.DB, ch.TenantID(), contactID), Detail: detail})
	return nil
}

// ChaseEmail is a rendered chase email.
type ChaseEmail struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// EmailTemplate is the practice's saved chase email template, or the default.
func (s *ChaseService) EmailTemplate() (string, error) {
	ctx, sess, err := s.app.current()
	if err != nil {
		return "", err
	}
	var t string
	if _, err := sess.db.GetSetting(ctx, keyChaseTemplate, &t); err != nil {
		return "", err
	}
	if strings.TrimSpace(t) == "" {
		t = chase.DefaultEmailTemplate
	}
	return t, nil
}

// DefaultEmailTemplate is the template a practice starts from (Reset).
func (s *ChaseService) DefaultEmailTemplate() string { return chase.DefaultEmailTemplate }

// SaveEmailTemplate remembers the edited template; "" goes back to the default.
func (s *ChaseService) SaveEmailTemplate(t string) error {
	ctx, sess, err := s.app.current()
	if err != nil {
		return err
	}
	if strings.TrimSpace(t) == strings.TrimSpace(chase.DefaultEmailTemplate) {
		t = ""
	}
	return sess.db.SetSetting(ctx, keyChaseTemplate, t)
}

// ChaseEmail renders the chase email for a client from template (the saved
// one if empty), listing the client's outstanding jobs.
func (s *ChaseService) ChaseEmail(clientKey, template string) (ChaseEmail, error) {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return ChaseEmail{}, err
	}
	if strings.TrimSpace(template) == "" {
		if template, err = s.EmailTemplate(); err != nil {
			return ChaseEmail{}, err
		}
	}
	practice := ""
	if c, err := sess.Choice(ctx); err == nil && len(c.Orgs) > 0 {
		practice = c.Orgs[0].Name
	}
	subject, body, err := ch.ChaseEmailFrom(ctx, clientKey, template, practice)
	if err != nil {
		if strings.Contains(err.Error(), "email template") {
			return ChaseEmail{}, &InputError{Field: "template", Message: "The template has a mistake: " + templateHint(err)}
		}
		return ChaseEmail{}, err
	}
	out := ChaseEmail{Subject: subject, Body: body}
	rows, err := ch.List(ctx, chase.Query{})
	if err == nil {
		for _, r := range rows {
			if strings.EqualFold(r.ClientKey, clientKey) && r.Email != "" {
				out.To = r.Email
				break
			}
		}
	}
	return out, nil
}

// templateHint keeps the part of a text/template error a person can act on.
func templateHint(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		msg = msg[i+2:]
	}
	return msg + ". Placeholders look like {{.FirstName}}."
}

// ExportMarkdown asks where to save the chase list as Markdown (chase.md)
// and writes it; "" means the user cancelled.
func (s *ChaseService) ExportMarkdown() (string, error) {
	return s.exportDialog("chase.md", "Markdown (*.md)", "*.md", s.ExportMarkdownTo)
}

// ExportCSV asks where to save the chase list as CSV and writes it.
func (s *ChaseService) ExportCSV() (string, error) {
	name := "chase-list-" + time.Now().Format(time.DateOnly) + ".csv"
	return s.exportDialog(name, "CSV (*.csv)", "*.csv", s.ExportCSVTo)
}

func (s *ChaseService) exportDialog(name, label, pattern string, write func(string) error) (string, error) {
	if _, _, err := s.app.backend(); err != nil {
		return "", err
	}
	if s.app.wailsCtx == nil {
		return "", errors.New("app: no window to show the save dialog in")
	}
	path, err := wruntime.SaveFileDialog(s.app.wailsCtx, wruntime.SaveDialogOptions{
		DefaultFilename: name,
		Title:           "Save the chase list",
		Filters:         []wruntime.FileFilter{{DisplayName: label, Pattern: pattern}},
	})
	if err != nil || path == "" {
		return "", err
	}
	return path, write(path)
}

// ExportMarkdownTo writes the chase list as Markdown to path.
func (s *ChaseService) ExportMarkdownTo(path string) error {
	return s.exportTo(path, func(ctx context.Context, ch *chase.Service, f *os.File) error { return ch.ExportMarkdown(ctx, f) })
}

// ExportCSVTo writes the chase list as CSV to path.
func (s *ChaseService) ExportCSVTo(path string) error {
	return s.exportTo(path, func(ctx context.Context, ch *chase.Service, f *os.File) error { return ch.ExportCSV(ctx, f) })
}

// exportTo writes through a temporary file in the same folder, so a failed
// export never leaves half a file where the old one was.
func (s *ChaseService) exportTo(path string, write func(context.Context, *chase.Service, *os.File) error) error {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return err
	}
	if strings.TrimSpace(path) == "" {
		return &InputError{Field: "file", Message: "Choose where to save the chase list."}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".chase-export-*")
	if err != nil {
		return fmt.Errorf("export chase list to %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	if err := write(ctx, ch, f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export chase list to %s: %w", path, err)
	}
	// Rename replaces an existing file on every OS; should it still fail
	// (on Windows, the old file held open elsewhere), remove it and try once more.
	if err := os.Rename(tmp, path); err != nil {
		if rerr := os.Remove(path); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			return fmt.Errorf("export chase list to %s: %w", path, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("export chase list to %s: %w", path, err)
		}
	}
	return nil
}

// SuggestStateMove lists the jobs to offer moving on now that documents
// arrived for contactID. Nothing moves until ApplyStateMove.
func (s *ChaseService) SuggestStateMove(contactID string) ([]chase.Suggestion, error) {
	ctx, _, ch, err := s.chase()
	if err != nil {
		return nil, err
	}
	gs, err := ch.SuggestStateMove(ctx, contactID)
	if gs == nil {
		gs = []chase.Suggestion{}
	}
	return gs, err
}

// ApplyStateMove moves job jobID in XPM to the state with Interface Code
// code. The UI calls it only after the user pressed Move.
func (s *ChaseService) ApplyStateMove(jobID, code string) error {
	ctx, sess, ch, err := s.chase()
	if err != nil {
		return err
	}
	if strings.TrimSpace(code) == "" {
		return ErrNoInterfaceCode
	}
	c, err := sess.Choice(ctx)
	if err != nil {
		return err
	}
	if c.Practice == nil {
		return ErrNoPractice
	}
	err = ch.ApplyStateMove(ctx, sess.XPM(c.Practice.ID), jobID, code)
	if err == nil {
		sess.Log(activity.Entry{Kind: activity.JobMoved, TenantID: ch.TenantID(), Subject: "Job " + jobID, XeroID: jobID,
			Detail: fmt.Sprintf("Moved in Practice Manager to the state with code %s.", code)})
	}
	if errors.Is(err, xpm.ErrNoAccess) {
		// Reading XPM was allowed (the job is listed): changing it was not.
		return &UIError{Code: "xpm_read_only", Message: "Practice Manager lets chase.md read jobs but not change them. " +
			"Move the job in XPM yourself, or sign in again and allow chase.md to update jobs."}
	}
	return err
}

// SyncNow asks for an XPM sync; practice:sync events report it.
func (s *ChaseService) SyncNow() error {
	ctx, sess, err := s.app.backend()
	if err != nil {
		return err
	}
	c, err := sess.Choice(ctx)
	if err != nil {
		return err
	}
	if c.Practice == nil {
		return ErrNoPractice
	}
	sess.SyncPracticeNow()
	return nil
}

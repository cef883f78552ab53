package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"chase.md/backend/chase"
	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/sandbox/xpmsim"
	"chase.md/backend/xero"
)

// demoChase starts the app in demo mode on a small practice and waits until
// the contacts are synced, then syncs XPM once itself (the scheduler's own
// XPM sync may run too; both write the same data).
func demoChase(t *testing.T) (*App, *core.Session, context.Context) {
	t.Helper()
	return demoChaseWith(t, core.ChaseFiles{})
}

// demoChaseWith is demoChase with the chase list's files refresh paced by cf.
func demoChaseWith(t testing.TB, cf core.ChaseFiles) (*App, *core.Session, context.Context) {
	return demoChaseN(t, 60, cf)
}

// demoChaseN is demoChaseWith for a demo practice of n contacts.
func demoChaseN(t testing.TB, n int, cf core.ChaseFiles) (*App, *core.Session, context.Context) {
	t.Helper()
	a := newTestApp(t, config.Config{Demo: true, DemoContacts: n}, Options{Logger: slog.New(slog.DiscardHandler), ChaseFiles: cf})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	_, sess, done, err := a.backend()
	if err != nil {
		t.Fatal(err)
	}
	done() // the test only needs the session, not to hold it open
	for {
		if ch, err := sess.Chase(ctx); err == nil {
			n, err := sess.DB.CountContacts(ctx, ch.TenantID())
			if err == nil && n.Total > 0 && n.Total == len(sess.Sandbox.Contacts(ch.TenantID())) {
				break
			}
		}
		select {
		case <-ctx.Done():
			t.Fatal("the demo practice never synced its contacts")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if _, err := sess.SyncPractice(ctx); err != nil {
		t.Fatal(err)
	}
	return a, sess, ctx
}

// jobsInStates is the demo practice's truth: the IDs of its jobs whose state
// is one of names.
func jobsInStates(p *xpmsim.Practice, names map[string]bool) []string {
	var ids []string
	for _, j := range p.Jobs() {
		if names[strings.ToLower(j.State)] {
			ids = append(ids, j.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func listedJobs(t *testing.T, s *ChaseService) []string {
	t.Helper()
	l, err := s.List(ChaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range l.Rows {
		if r.Source == chase.SourceXPM {
			ids = append(ids, r.JobID)
		}
	}
	slices.Sort(ids)
	return ids
}

func chaseNames(ms []chase.StateMapping) map[string]bool {
	out := map[string]bool{}
	for _, m := range ms {
		if m.Chase {
			out[strings.ToLower(m.Name)] = true
		}
	}
	return out
}

func TestChaseListIsTheDemoJobsInMappedStates(t *testing.T) {
	t.Parallel()
	a, sess, _ := demoChase(t)
	s := a.Chase
	st, err := s.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.XPM || st.NoPractice || st.States == 0 || st.ChaseStates == 0 || !st.Guessed {
		t.Fatalf("status after the first sync = %+v, want XPM in use with guessed chase states", st)
	}
	states, err := s.States()
	if err != nil {
		t.Fatal(err)
	}
	want := jobsInStates(sess.Sandbox.Practice(), chaseNames(states))
	if got := listedJobs(t, s); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("chase list jobs = %v\nwant the practice's jobs in the guessed states = %v", got, want)
	}

	// A person unticks one chase state and ticks one more.
	var save []chase.StateMapping
	var dropped, added string
	for _, m := range states {
		switch {
		case m.Chase && dropped == "":
			m.Chase, dropped = false, m.Name
			save = append(save, m)
		case !m.Chase && added == "" && m.Jobs > 0:
			m.Chase, added = true, m.Name
			save = append(save, m)
		}
	}
	if dropped == "" || added == "" {
		t.Fatalf("states %+v: nothing to tick or untick", states)
	}
	states, err = s.SaveMapping(save)
	if err != nil {
		t.Fatal(err)
	}
	names := chaseNames(states)
	if names[strings.ToLower(dropped)] || !names[strings.ToLower(added)] {
		t.Fatalf("saved mapping not kept: %v", names)
	}
	for _, m := range states {
		if (m.Name == dropped || m.Name == added) && m.Guessed {
			t.Errorf("state %q still marked as a guess after saving", m.Name)
		}
	}
	want = jobsInStates(sess.Sandbox.Practice(), names)
	if got := listedJobs(t, s); !slices.Equal(got, want) {
		t.Fatalf("after remapping, chase list jobs = %v\nwant %v", got, want)
	}

	// The filters narrow, the counts add up.
	all, err := s.List(ChaseQuery{Sort: chase.SortDue})
	if err != nil {
		t.Fatal(err)
	}
	over, err := s.List(ChaseQuery{OverdueOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(over.Rows) != all.Overdue {
		t.Errorf("overdue filter = %d rows, count says %d", len(over.Rows), all.Overdue)
	}
	byState, err := s.List(ChaseQuery{State: added})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range byState.Rows {
		if r.State != added {
			t.Fatalf("state filter %q let through %q", added, r.State)
		}
	}
	if len(byState.Rows) == 0 || len(byState.Rows) >= len(all.Rows) {
		t.Errorf("state filter kept %d of %d rows", len(byState.Rows), len(all.Rows))
	}
	if _, err := s.SaveMapping([]chase.StateMapping{{Name: added, Chase: true, MoveTo: added}}); err == nil || toUIError(err).Code != "invalid_input" {
		t.Errorf("a state moving to itself: %v", err)
	}
}

func TestChaseExportsWriteFiles(t *testing.T) {
	t.Parallel()
	a, _, _ := demoChase(t)
	s := a.Chase
	l, err := s.List(ChaseQuery{})
	if err != nil || len(l.Rows) == 0 {
		t.Fatalf("list: %d rows, %v", len(l.Rows), err)
	}
	dir := t.TempDir()
	md := filepath.Join(dir, "chase.md")
	if err := os.WriteFile(md, []byte("old export"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.exportMarkdownTo(md); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.HasPrefix(text, "# Chase list") || !strings.Contains(text, l.Rows[0].JobID) {
		t.Errorf("chase.md does not list the jobs:\n%s", text)
	}
	recs := exportCSV(t, s, filepath.Join(dir, "chase-list.csv"))
	if len(recs) != len(l.Rows)+1 || recs[0][0] != "Client" {
		t.Errorf("csv has %d records (header %v), want %d rows and a header", len(recs), recs[0], len(l.Rows))
	}
	// The exports carry the screen's figures: days waiting from the job's
	// start date on the first day (the old exports said 0 for every job).
	col := func(name string) int { return slices.Index(recs[0], name) }
	byJob := map[string][]string{}
	for _, rec := range recs[1:] {
		byJob[rec[2]] = rec
	}
	nonZero := 0
	for _, r := range l.Rows {
		rec := byJob[r.JobID]
		if rec == nil || rec[col("Days waiting")] != fmt.Sprint(r.AgeDays) || rec[col("Waiting")] != r.AgeLabel ||
			rec[col("Days overdue")] != fmt.Sprint(r.OverdueDays) || rec[col("Due")] != r.DueLabel {
			t.Fatalf("CSV row of %s = %v, want the list's figures %+v", r.JobID, rec, r)
		}
		if r.AgeDays > 0 {
			nonZero++
		}
		if r.AgeBasis == chase.BasisStart && rec[col("Waiting counted from")] != "job start date" {
			t.Errorf("basis of %s in the CSV: %q", r.JobID, rec[col("Waiting counted from")])
		}
	}
	if nonZero*2 < len(l.Rows) {
		t.Errorf("only %d of %d rows waiting more than 0 days on the first day", nonZero, len(l.Rows))
	}
	if !strings.Contains(text, l.Rows[0].AgeLabel) {
		t.Errorf("chase.md lacks the waiting figure %q", l.Rows[0].AgeLabel)
	}
	// A selection: only the chosen clients' rows.
	pick := []string{l.Rows[0].ClientKey, l.Rows[len(l.Rows)-1].ClientKey}
	sel := filepath.Join(dir, "selection.csv")
	if err := s.exportSelectionCSVTo(pick, sel); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(sel)
	if err != nil {
		t.Fatal(err)
	}
	srecs, err := csv.NewReader(f).ReadAll()
	f.Close()
	want := 0
	for _, r := range l.Rows {
		if r.ClientKey == pick[0] || r.ClientKey == pick[1] {
			want++
		}
	}
	if err != nil || len(srecs) != want+1 {
		t.Fatalf("selection CSV: %d records, %v; want %d rows", len(srecs), err, want)
	}
	if err := s.exportSelectionMarkdownTo(pick[:1], filepath.Join(dir, "selection.md")); err != nil {
		t.Fatal(err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".chase-export-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
	if err := s.exportMarkdownTo(filepath.Join(dir, "no such folder", "chase.md")); err == nil {
		t.Error("export into a missing folder succeeded")
	}
}

// exportCSV exports the chase list as CSV to path and reads it back.
func exportCSV(t *testing.T, s *ChaseService, path string) [][]string {
	t.Helper()
	if err := s.exportCSVTo(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestApplyStateMoveOnlyWhenCalled(t *testing.T) {
	t.Parallel()
	a, sess, _ := demoChase(t)
	s := a.Chase
	l, err := s.List(ChaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var row chase.Row
	for _, r := range l.Rows {
		if r.Source == chase.SourceXPM && r.ContactID != "" {
			row = r
			break
		}
	}
	if row.JobID == "" {
		t.Fatal("no linked row on the chase list")
	}
	// The practice's "next" state: one that does not wait on the client.
	var next xpmsim.State
	for _, st := range sess.Sandbox.Practice().States() {
		if !st.AwaitsClient && !st.Completed && st.Name != row.State {
			next = st
			break
		}
	}
	if _, err := s.SaveMapping([]chase.StateMapping{{Name: row.State, Chase: true, MoveTo: next.Name}}); err != nil {
		t.Fatal(err)
	}
	gs, err := s.SuggestStateMove(row.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(gs, func(g chase.Suggestion) bool { return g.JobID == row.JobID })
	if i < 0 || gs[i].ToState != next.Name {
		t.Fatalf("suggestions %+v: want %s to %q", gs, row.JobID, next.Name)
	}
	if j, _ := sess.Sandbox.Practice().Job(row.JobID); j.State != row.State {
		t.Fatalf("a suggestion moved the job to %q", j.State)
	}
	// The target is picked by name; its code comes from the (demo) practice.
	states, _ := s.States()
	if k := slices.IndexFunc(states, func(m chase.StateMapping) bool { return m.Name == next.Name }); k < 0 ||
		states[k].Code != next.Code || states[k].CodeSource != "xpm" || !states[k].CodeKnown {
		t.Fatalf("Interface Code of %q not taken from the practice: %+v", next.Name, states)
	}
	if err := s.ApplyStateMove(row.JobID, "No Such State"); toUIError(err).Code != "invalid_input" {
		t.Fatalf("move to an unknown state: %v", err)
	}

	// Job moves are off: sign-in asked for practicemanager.job.read only, and
	// the sandbox refuses the write as Xero does (401 AuthorizationUnsuccessful).
	// The refusal says what happened and what to do, and signs nobody out.
	before, _ := a.Auth.Status()
	err = s.ApplyStateMove(row.JobID, next.Name)
	if ui := toUIError(err); ui.Code != "xpm_read_only" || !strings.Contains(ui.Message, "Move jobs in Practice Manager") {
		t.Fatalf("move with the read-only scope: %v → %+v", err, ui)
	}
	if j, _ := sess.Sandbox.Practice().Job(row.JobID); j.State != row.State {
		t.Fatalf("a refused move changed the job to %q", j.State)
	}
	if st, err := a.Auth.Status(); err != nil || st.State != "connected" || st.Refreshes != before.Refreshes {
		t.Fatalf("a missing scope was taken for a dead token (refreshed or signed out): %+v → %+v %v", before, st, err)
	}

	// The practice turns job moves on and signs in again through the app:
	// only the product's own scope choice is granted.
	if _, err := a.Settings.SetXPMJobWrite(true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Auth.SignIn(); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyStateMove(row.JobID, next.Name); err != nil {
		t.Fatalf("move after allowing job moves: %v", err)
	}
	if j, _ := sess.Sandbox.Practice().Job(row.JobID); j.State != next.Name {
		t.Fatalf("after the move the job is in %q, want %q", j.State, next.Name)
	}
	if slices.Contains(listedJobs(t, s), row.JobID) {
		t.Error("the moved job is still on the chase list")
	}
}

func TestChaseLinksConfirmChangeBreak(t *testing.T) {
	t.Parallel()
	a, _, _ := demoChase(t)
	s := a.Chase
	ls, err := s.Links(chase.LinkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	c := ls.Counts
	if len(ls.Links) == 0 || c.Auto+c.Confirmed+c.Broken+c.Ambiguous+c.Unmatched != len(ls.Links) {
		t.Fatalf("links %d, counts %+v", len(ls.Links), c)
	}
	// People's work comes first.
	if c.Ambiguous+c.Unmatched > 0 {
		if st := ls.Links[0].Status; st != chase.StatusAmbiguous && st != chase.StatusUnmatched {
			t.Errorf("first link is %s, want ambiguous or unmatched first", st)
		}
	}
	var auto chase.Link
	for _, l := range ls.Links {
		if l.Status == chase.StatusAuto {
			auto = l
			break
		}
	}
	if err := s.ConfirmLink(auto.ClientUUID); err != nil {
		t.Fatal(err)
	}
	conf, err := s.Links(chase.LinkFilter{Status: chase.StatusConfirmed})
	if err != nil || len(conf.Links) != 1 || conf.Links[0].ClientUUID != auto.ClientUUID || conf.Counts.Confirmed != 1 {
		t.Fatalf("confirmed = %+v, %v", conf, err)
	}
	// A confirmed link survives relinking.
	if _, err := s.Relink(); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Links(chase.LinkFilter{Status: chase.StatusConfirmed}); len(again.Links) != 1 {
		t.Fatalf("confirmed link lost on relink: %+v", again)
	}

	// Change: search a contact by part of its name and link it.
	found, err := s.SearchContacts(strings.Fields(auto.ContactName)[0])
	if err != nil || len(found) == 0 {
		t.Fatalf("search %q: %v %v", auto.ContactName, found, err)
	}
	var other string
	for _, f := range found {
		if f.ID != auto.ContactID {
			other = f.ID
		}
	}
	if other == "" {
		other = found[0].ID
	}
	if err := s.ChangeLink(auto.ClientUUID, other); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Links(chase.LinkFilter{Text: auto.ClientName})
	k := slices.IndexFunc(got.Links, func(l chase.Link) bool { return l.ClientUUID == auto.ClientUUID })
	if k < 0 || got.Links[k].ContactID != other || got.Links[k].Method != chase.MethodManual {
		t.Fatalf("after change: %+v", got.Links)
	}
	if err := s.BreakLink(auto.ClientUUID); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Links(chase.LinkFilter{Status: chase.StatusBroken})
	if len(got.Links) != 1 || got.Links[0].ContactID != "" {
		t.Fatalf("after break: %+v", got.Links)
	}
	if err := s.ChangeLink(auto.ClientUUID, "no-such-contact"); err == nil {
		t.Error("linked a client to a contact that does not exist")
	}
}

func TestChaseEmailAndHandMarks(t *testing.T) {
	t.Parallel()
	a, sess, ctx := demoChase(t)
	s := a.Chase
	l, err := s.List(ChaseQuery{})
	if err != nil || len(l.Rows) == 0 {
		t.Fatal(err)
	}
	r := l.Rows[0]
	e, err := s.ChaseEmail(r.ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Subject, r.ClientName) || !strings.Contains(e.Body, r.JobName) || strings.ContainsAny(e.Body+e.Subject, "{}") {
		t.Errorf("email = %+v, want the client in the subject and job %q listed, no placeholder left", e, r.JobName)
	}
	// Plain text with named placeholders, per state; the preview renders
	// unsaved text; no template syntax is stored or shown.
	ts, err := s.EmailTemplates()
	if err != nil || strings.Contains(ts.Default.Body, "{{") || !strings.Contains(ts.Default.Body, "{documents needed}") || len(ts.States) == 0 {
		t.Fatalf("templates %+v %v", ts, err)
	}
	if len(s.EmailPlaceholders()) != 5 {
		t.Errorf("placeholders %+v", s.EmailPlaceholders())
	}
	p, err := s.PreviewEmail(r.ClientKey, "", "Records for {client name}", "Kia ora {client first name},\n{jobs}\n{documents needed}")
	if err != nil || p.Subject != "Records for "+r.ClientName || !strings.HasPrefix(p.Body, "Kia ora ") || !strings.Contains(p.Body, "- "+r.JobName) {
		t.Fatalf("preview %+v %v", p, err)
	}
	if _, err := s.SetDocsNeeded(r.JobID, []string{"Bank statements to 31 March", "P60"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveEmailTemplate(e.State, "Records for {client name}", "Kia ora {client first name},\n{documents needed}"); err != nil {
		t.Fatal(err)
	}
	e, err = s.ChaseEmail(r.ClientKey)
	if err != nil || e.Subject != "Records for "+r.ClientName || !strings.Contains(e.Body, "- Bank statements to 31 March\n- P60") {
		t.Errorf("email from the saved state template = %+v, %v", e, err)
	}
	if err := s.SaveEmailTemplate(e.State, "", ""); err != nil {
		t.Fatal(err)
	}
	if ts, _ = s.EmailTemplates(); len(ts.ByState) != 0 {
		t.Error("an empty state template was kept")
	}
	es, err := s.EmailsFor([]string{r.ClientKey, "not-on-the-list", l.Rows[len(l.Rows)-1].ClientKey})
	if err != nil || len(es) != 2 || es[0].ClientKey != r.ClientKey {
		t.Errorf("emails for a selection: %+v %v", es, err)
	}

	v := l.Version
	if n, err := s.MarkChasedMany([]string{r.ClientKey, l.Rows[len(l.Rows)-1].ClientKey}); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	l, _ = s.List(ChaseQuery{Text: r.ClientName})
	if l.Version == v {
		t.Error("marking chased did not change the list's version")
	}
	k := slices.IndexFunc(l.Rows, func(x chase.Row) bool { return x.ClientKey == r.ClientKey })
	if k < 0 || l.Rows[k].LastChased.IsZero() {
		t.Fatalf("mark chased not recorded: %+v", l.Rows)
	}

	// The no-XPM path: a contact marked by hand is on the list.
	ch, _ := sess.Chase(ctx)
	cs := sess.Sandbox.Contacts(ch.TenantID())
	var pick string
	onList := map[string]bool{}
	all, _ := s.List(ChaseQuery{})
	for _, x := range all.Rows {
		onList[x.ContactID] = true
	}
	for _, c := range cs {
		if !onList[strings.ToLower(c.ContactID)] && !onList[c.ContactID] {
			pick = c.ContactID
			break
		}
	}
	if err := s.MarkForChase(pick, true); err != nil {
		t.Fatal(err)
	}
	all, _ = s.List(ChaseQuery{})
	if k := slices.IndexFunc(all.Rows, func(x chase.Row) bool { return x.Source == chase.SourceManual }); k < 0 {
		t.Fatal("hand-marked contact not on the list")
	}
	if err := s.MarkForChase(pick, false); err != nil {
		t.Fatal(err)
	}
	all, _ = s.List(ChaseQuery{})
	if k := slices.IndexFunc(all.Rows, func(x chase.Row) bool { return x.Source == chase.SourceManual }); k >= 0 {
		t.Error("unmarked contact still on the list")
	}
}

func TestChaseWithoutBackendSaysWhy(t *testing.T) {
	a := newTestApp(t, config.Config{}, Options{Logger: slog.New(slog.DiscardHandler)})
	_, err := a.Chase.List(ChaseQuery{})
	if err == nil {
		t.Fatal("a chase list without a Xero connection")
	}
	if ui := toUIError(err); ui.Code == "internal" && !strings.Contains(ui.Message, "client ID") {
		t.Errorf("error %q does not say what to do", ui.Message)
	}
}

// Without a practice tenant the chase list still works from hand marks, and
// Status says why XPM is not in use.
func TestChaseWithoutPractice(t *testing.T) {
	t.Parallel()
	a, sess, ctx := demoChase(t)
	c, err := sess.Choice(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c.Practice = nil
	if err := sess.DB.SetSetting(ctx, "xero.tenants", c); err != nil {
		t.Fatal(err)
	}
	st, err := a.Chase.Status()
	if err != nil {
		t.Fatal(err)
	}
	if !st.NoPractice || st.Practice != "" || st.Organisation == "" {
		t.Errorf("status without a practice = %+v", st)
	}
	if err := a.Chase.SyncNow(); !errors.Is(err, ErrNoPractice) || toUIError(err).Code != "no_practice" {
		t.Errorf("sync without a practice: %v", err)
	}
	if err := a.Chase.ApplyStateMove("J000001", "Planned"); !errors.Is(err, ErrNoPractice) {
		t.Errorf("move without a practice: %v", err)
	}
	// The jobs read before are stale now: only hand marks count.
	l, err := a.Chase.List(ChaseQuery{})
	if err != nil || len(l.Rows) != 0 {
		t.Fatalf("without XPM and marks the list has %d rows (%v)", len(l.Rows), err)
	}
	ch, _ := sess.Chase(ctx)
	links, _ := ch.Links(ctx, chase.LinkFilter{})
	linked := map[string]bool{}
	for _, k := range links {
		linked[k.ContactID] = true
	}
	var contact string
	for _, c := range sess.Sandbox.Contacts(ch.TenantID()) {
		if !linked[strings.ToLower(c.ContactID)] {
			contact = c.ContactID
			break
		}
	}
	if err := a.Chase.MarkForChase(contact, true); err != nil {
		t.Fatal(err)
	}
	l, err = a.Chase.List(ChaseQuery{})
	if err != nil || len(l.Rows) != 1 || l.Rows[0].Source != chase.SourceManual || l.Clients != 1 {
		t.Errorf("hand-marked contact: %+v, %v", l, err)
	}
	// The export is the list on the screen: the hand mark, no stale jobs.
	recs := exportCSV(t, a.Chase, filepath.Join(t.TempDir(), "chase.csv"))
	if src := slices.Index(recs[0], "Source"); len(recs) != 2 || recs[1][src] != string(chase.SourceManual) {
		t.Errorf("export without XPM: %v", recs)
	}
}

// fileInXero files a document with the contact in Xero itself (as a person
// in Xero would), not through chase.md's upload queue.
func fileInXero(t *testing.T, ctx context.Context, x *xero.Client, contactID, name string) {
	t.Helper()
	f, err := x.UploadFile(ctx, xero.UploadRequest{Name: name, Body: strings.NewReader("scan: " + name)})
	if err == nil {
		_, err = x.Associate(ctx, f.ID, xero.AssociationRequest{ObjectID: contactID}, "")
	}
	if err != nil {
		t.Fatal(err)
	}
}

// docsOf is the chase list's DocsSince for the row of the contact.
func docsOf(t *testing.T, s *ChaseService, contactID string) int {
	t.Helper()
	l, err := s.List(ChaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if k := slices.IndexFunc(l.Rows, func(r chase.Row) bool { return strings.EqualFold(r.ContactID, contactID) }); k >= 0 {
		return l.Rows[k].DocsSince
	}
	t.Fatalf("contact %s is not on the chase list", contactID)
	return 0
}

// assocRequests are the contacts whose files in Xero chase.md asked for.
func assocRequests(sess *core.Session) []string {
	var out []string
	for _, r := range sess.Sandbox.Requests() {
		if id, ok := strings.CutPrefix(r.Path, "/files.xro/1.0/Associations/"); ok && r.Method == "GET" {
			out = append(out, strings.ToLower(id))
		}
	}
	return out
}

// Documents filed in Xero directly count on the chase list (and in its
// exports and email) once the client page has listed them: those associated
// after the client's chase began, not those before.
func TestChaseCountsFilesInXeroListedOnTheClientPage(t *testing.T) {
	t.Parallel()
	a, sess, ctx := demoChaseWith(t, core.ChaseFiles{First: time.Hour}) // no background round: only the client page tells the chase list
	s := a.Chase
	ch, err := sess.Chase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	x := sess.Xero(ch.TenantID())
	l, err := s.List(ChaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	k := slices.IndexFunc(l.Rows, func(r chase.Row) bool { return r.Source == chase.SourceXPM && r.ContactID != "" })
	if k < 0 {
		t.Fatal("no job on the chase list has a linked contact")
	}
	job := l.Rows[k]
	onList := map[string]bool{}
	for _, r := range l.Rows {
		onList[strings.ToLower(r.ContactID)] = true
	}
	var marked string
	for _, c := range sess.Sandbox.Contacts(ch.TenantID()) {
		if !onList[strings.ToLower(c.ContactID)] {
			marked = strings.ToLower(c.ContactID)
			break
		}
	}

	// The job's chase began when XPM was read; the hand-marked client's when
	// it is marked, between a document from before and one from after.
	fileInXero(t, ctx, x, job.ContactID, "Receipts October.pdf")
	fileInXero(t, ctx, x, marked, "Last year's return.pdf")
	time.Sleep(5 * time.Millisecond) // the mark is kept to the millisecond
	if err := s.MarkForChase(marked, true); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	fileInXero(t, ctx, x, marked, "Bank statement October.pdf")

	if d, m := docsOf(t, s, job.ContactID), docsOf(t, s, marked); d != 0 || m != 0 {
		t.Fatalf("documents since = %d and %d before anything listed the files, want 0", d, m)
	}
	for _, id := range []string{job.ContactID, marked} {
		if fs, err := a.Clients.ClientFiles(id); err != nil || len(fs) == 0 {
			t.Fatalf("client page files of %s: %v, %v", id, fs, err)
		}
	}
	if d, m := docsOf(t, s, job.ContactID), docsOf(t, s, marked); d != 1 || m != 1 {
		t.Fatalf("documents since = %d for the job and %d for the marked client, want 1 each (the file from before the mark does not count)", d, m)
	}

	recs := exportCSV(t, s, filepath.Join(t.TempDir(), "chase.csv"))
	docsCol := slices.Index(recs[0], "Documents since")
	if k := slices.IndexFunc(recs, func(rec []string) bool { return rec[2] == job.JobID }); k < 0 || recs[k][docsCol] != "1" {
		t.Fatalf("CSV export: job %s not listed with one document (%v)", job.JobID, recs)
	}
	if got := assocRequests(sess); len(got) != 2 {
		t.Fatalf("Xero was asked for contacts' files %d times (%v), want only the two client page visits", len(got), got)
	}
}

// A refresh round lists the files of the contacts on the chase list, a
// bounded number a round, never the same contact twice within MaxAge; the
// chase list then counts what Xero holds. (core tests the rounds' schedule.)
func TestChaseRefreshesFilesInXero(t *testing.T) {
	t.Parallel()
	a, sess, ctx := demoChaseWith(t, core.ChaseFiles{First: time.Hour, PerRound: 2}) // rounds only when the test asks
	s := a.Chase
	ch, err := sess.Chase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ch.List(ctx, chase.Query{})
	if err != nil {
		t.Fatal(err)
	}
	var contacts []string
	for _, r := range rows {
		if id := strings.ToLower(r.ContactID); id != "" && !slices.Contains(contacts, id) {
			contacts = append(contacts, id)
		}
	}
	if len(contacts) < 5 {
		t.Fatalf("only %d linked contacts on the chase list", len(contacts))
	}
	// The first on the list is among the first asked (never listed, in the list's order).
	fileInXero(t, ctx, sess.Xero(ch.TenantID()), contacts[0], "Receipts October.pdf")
	if n := docsOf(t, s, contacts[0]); n != 0 {
		t.Fatalf("documents since = %d before any round, want 0", n)
	}

	if res, err := sess.RefreshChaseFiles(ctx); err != nil || res.Asked != 2 {
		t.Fatalf("first round: %+v, %v", res, err)
	}
	if n := docsOf(t, s, contacts[0]); n != 1 {
		t.Fatalf("documents since = %d after the round, want 1", n)
	}
	if first := assocRequests(sess); !slices.Equal(first, contacts[:2]) {
		t.Fatalf("the round asked for %v, want the first two contacts of the list %v", first, contacts[:2])
	}
	// The next round asks for the next two, not the fresh ones again.
	if res, err := sess.RefreshChaseFiles(ctx); err != nil || res.Asked != 2 || res.Due != len(contacts)-4 {
		t.Fatalf("second round: %+v, %v", res, err)
	}
	if got := assocRequests(sess); !slices.Equal(got, contacts[:4]) {
		t.Fatalf("after two rounds Xero was asked for %v, want %v", got, contacts[:4])
	}
}

// The client page says whether a client is on the chase list, for which
// jobs, and when it was last chased.
func TestClientChaseInfo(t *testing.T) {
	t.Parallel()
	a, _, _ := demoChase(t)
	l, err := a.Chase.List(ChaseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var r chase.Row
	for _, x := range l.Rows {
		if x.ContactID != "" {
			r = x
			break
		}
	}
	want := 0
	for _, x := range l.Rows {
		if x.ContactID == r.ContactID {
			want++
		}
	}
	info, err := a.Clients.ChaseInfo(r.ContactID)
	if err != nil || !info.OnList || info.ClientKey != r.ClientKey || len(info.Jobs) != want || !info.LastChased.IsZero() {
		t.Fatalf("chase info of %s: %+v %v (want %d jobs, never chased)", r.ContactID, info, err, want)
	}
	if info.Jobs[0].AgeLabel == "" {
		t.Errorf("job without its age: %+v", info.Jobs[0])
	}
	if err := a.Chase.MarkChased(r.ClientKey); err != nil {
		t.Fatal(err)
	}
	if info, _ = a.Clients.ChaseInfo(r.ContactID); info.LastChased.IsZero() {
		t.Error("last chased not shown after marking chased")
	}
	if info, err = a.Clients.ChaseInfo("00000000-0000-0000-0000-000000000000"); err != nil || info.OnList || len(info.Jobs) != 0 {
		t.Errorf("a contact off the list: %+v %v", info, err)
	}
}

// The sure links are confirmed in one action and that action is undone in
// one; undo gives back chase.md's own proposal, also after a break.
func TestChaseBulkConfirmAndUndo(t *testing.T) {
	t.Parallel()
	a, _, _ := demoChase(t)
	s := a.Chase
	before, err := s.Links(chase.LinkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if before.Counts.Sure == 0 || before.Counts.Sure > before.Counts.Auto {
		t.Fatalf("counts %+v: the demo has sure links", before.Counts)
	}
	us, err := s.ConfirmSureLinks()
	if err != nil || len(us) != before.Counts.Sure {
		t.Fatalf("confirmed %d (%v), want the %d sure ones", len(us), err, before.Counts.Sure)
	}
	after, _ := s.Links(chase.LinkFilter{})
	if after.Counts.Confirmed != len(us) || after.Counts.Sure != 0 || after.Counts.Auto != before.Counts.Auto-len(us) {
		t.Fatalf("after bulk confirm %+v (before %+v)", after.Counts, before.Counts)
	}
	if _, err := s.UndoLinks(us); err != nil {
		t.Fatal(err)
	}
	if undone, _ := s.Links(chase.LinkFilter{}); undone.Counts != before.Counts {
		t.Fatalf("after undo %+v, want %+v", undone.Counts, before.Counts)
	}
	// Undo of one person's break.
	u := us[0]
	if err := s.BreakLink(u); err != nil {
		t.Fatal(err)
	}
	if err := s.UndoLink(u); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Links(chase.LinkFilter{})
	k := slices.IndexFunc(got.Links, func(l chase.Link) bool { return l.ClientUUID == u })
	if k < 0 || got.Links[k].Status != chase.StatusAuto || !got.Links[k].Sure || len(got.Links[k].Keys) == 0 {
		t.Fatalf("after undoing a break: %+v", got.Links[k])
	}
	if n, err := s.ConfirmLinks([]string{u, "no-such-client"}); err != nil || n != 1 {
		t.Fatalf("confirm links: %d %v", n, err)
	}
}

// The list is paged, filtered and sorted from the kept build: the pages
// make up the whole list in its order, the counts cover the whole filter,
// and a change is seen (the version moves and the rows follow).
func TestChaseListPages(t *testing.T) {
	t.Parallel()
	a, _, _ := demoChase(t)
	s := a.Chase
	all, err := s.List(ChaseQuery{})
	if err != nil || all.Total != len(all.Rows) || all.Total < 10 {
		t.Fatalf("whole list: %d of %d, %v", len(all.Rows), all.Total, err)
	}
	var paged []chase.Row
	for off := 0; off < all.Total; off += 7 {
		p, err := s.List(ChaseQuery{Offset: off, Limit: 7})
		if err != nil || p.Total != all.Total || p.Offset != off || p.Clients != all.Clients || p.Overdue != all.Overdue {
			t.Fatalf("page at %d: %+v %v", off, p, err)
		}
		paged = append(paged, p.Rows...)
	}
	for i := range all.Rows {
		if paged[i].JobID != all.Rows[i].JobID || paged[i].ClientKey != all.Rows[i].ClientKey {
			t.Fatalf("row %d: page has %s, whole list %s", i, paged[i].JobID, all.Rows[i].JobID)
		}
	}
	// The default order nudges: overdue first, then the longest waiting.
	for i := 1; i < len(all.Rows); i++ {
		x, y := all.Rows[i-1], all.Rows[i]
		if x.OverdueDays < y.OverdueDays || x.OverdueDays == y.OverdueDays && x.AgeDays < y.AgeDays {
			t.Fatalf("order: %+v before %+v", x, y)
		}
	}
	over, _ := s.List(ChaseQuery{OverdueOnly: true, Limit: 1})
	if over.Total != all.Overdue {
		t.Errorf("overdue filter total %d, list says %d overdue", over.Total, all.Overdue)
	}
	keys, err := s.ListClientKeys(ChaseQuery{})
	if err != nil || len(keys) != all.Clients {
		t.Errorf("client keys %d, want %d: %v", len(keys), all.Clients, err)
	}
	if n, err := s.MarkChasedMany(keys[:1]); err != nil || n != 1 {
		t.Fatal(n, err)
	}
	after, _ := s.List(ChaseQuery{Sort: "chased", Desc: true, Limit: 1})
	if after.Version == all.Version || after.Rows[0].ClientKey != keys[0] || after.Rows[0].LastChased.IsZero() {
		t.Errorf("after marking chased: version %d (was %d), first %+v", after.Version, all.Version, after.Rows[0])
	}
}

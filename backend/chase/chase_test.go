package chase

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"chase.md/backend/csvout"
	"chase.md/backend/sandbox"
	"chase.md/backend/sandbox/xpmsim"
	"chase.md/backend/xpm"
)

func TestGuessChaseStates(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"Awaiting Information": true, "Waiting on Client Records": true, "Records Requested": true,
		"With Client - Info Needed": true, "Pending Client Documents": true, "Query with Client": true,
		"Planned": false, "In Progress": false, "Ready for Review": false, "Completed": false,
		"Cancelled": false, "Not Proceeding": false, "Sent for Signing": false, "Client Work Completed": false,
		"With Client for Approval": false, "Client Query Raised": true,
	} {
		if got := GuessChaseStates([]xpm.JobState{{Name: name}})[name]; got != want {
			t.Errorf("%q guessed %v, want %v", name, got, want)
		}
	}
	// Every demo practice's own "waiting on records" state, whatever it is
	// called, is ticked; no state that ends a job is.
	for seed := int64(0); seed < 40; seed++ {
		p := xpmsim.New(xpmsim.Options{Seed: seed, ExtraClients: 1})
		var states []xpm.JobState
		for _, s := range p.States() {
			states = append(states, xpm.JobState{Name: s.Name})
		}
		g := GuessChaseStates(states)
		for _, s := range p.States() {
			if s.AwaitsClient && !g[s.Name] {
				t.Errorf("seed %d: %q waits on the client but was not guessed", seed, s.Name)
			}
			if s.Completed && g[s.Name] {
				t.Errorf("seed %d: completed state %q guessed as chase", seed, s.Name)
			}
		}
	}
}

func TestSyncStatesFromList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	res := e.sync()
	if res.StateSource != xpm.FromStateList || res.States != len(e.p.States()) {
		t.Fatalf("sync %+v, want %d states from the list", res, len(e.p.States()))
	}
	ms, err := e.svc.States(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range e.p.States() {
		if ms[i].Name != s.Name || ms[i].UUID != s.UUID || !ms[i].Guessed {
			t.Fatalf("state %d = %+v, want %q in XPM's order", i, ms[i], s.Name)
		}
	}
	st, _ := e.svc.Status(e.ctx)
	if !st.XPM || st.StateSource != string(xpm.FromStateList) {
		t.Fatalf("status %+v", st)
	}
}

func TestSyncStatesWithoutList(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{disableList: true})
	res := e.sync()
	completed := map[string]bool{}
	for _, s := range e.p.States() {
		completed[s.Name] = s.Completed
	}
	want := map[string]bool{}
	for _, j := range e.p.Jobs() {
		if !completed[j.State] {
			want[j.State] = true
		}
	}
	ms, _ := e.svc.States(e.ctx)
	got := map[string]bool{}
	for _, m := range ms {
		got[m.Name] = true
	}
	if res.StateSource != xpm.FromJobs || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("states %v from %s, want %v from jobs", got, res.StateSource, want)
	}
	// jobstate.api/list was asked once and the jobs were not fetched twice.
	if n := e.calls(""); n != 3 {
		t.Fatalf("%d calls, want 3 (jobs, state list, clients)", n)
	}
}

func TestMappingSurvivesResync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	ms, _ := e.svc.States(e.ctx)
	// Untick every guess, tick the first state instead, move it to the second.
	var save []StateMapping
	for i, m := range ms {
		m.Chase = i == 0
		if i == 0 {
			m.MoveTo, m.Code = ms[1].Name, "X1"
		}
		save = append(save, m)
	}
	if err := e.svc.SaveMapping(e.ctx, save); err != nil {
		t.Fatal(err)
	}
	e.sync()
	got := e.chaseStates()
	if len(got) != 1 || !got[ms[0].Name] {
		t.Fatalf("after resync chase states are %v, want only %q", got, ms[0].Name)
	}
	after, _ := e.svc.States(e.ctx)
	if after[0].MoveTo != ms[1].Name || after[0].Guessed {
		t.Fatalf("mapping lost: %+v", after[0])
	}
	// A code sent with the mapping is never stored: only XPM's own counts.
	if after[0].Code != "" || after[0].CodeKnown {
		t.Fatalf("a typed Interface Code was kept: %+v", after[0])
	}
	if err := e.svc.SetStateCodes(e.ctx, map[string]string{ms[0].Name: "FROMXPM"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SaveMapping(e.ctx, []StateMapping{{Name: ms[0].Name, Chase: true, Code: "TYPED"}}); err != nil {
		t.Fatal(err)
	}
	e.sync()
	if code, err := e.svc.StateCode(e.ctx, strings.ToUpper(ms[0].Name)); err != nil || code != "FROMXPM" {
		t.Fatalf("code after a save and a resync: %q %v, want XPM's", code, err)
	}
	if err := e.svc.SaveMapping(e.ctx, []StateMapping{{Name: "No Such State"}}); err == nil {
		t.Fatal("unknown state saved")
	}
}

// truth is the practice's own answer: which contact each client is.
func linkTruth(e *env) map[string]xpmsim.Client {
	out := map[string]xpmsim.Client{}
	for _, c := range e.p.Clients() {
		out[strings.ToLower(c.UUID)] = c
	}
	return out
}

func TestLinksByEmailNameAndCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{contacts: 200})
	res := e.sync()
	links, err := e.svc.Links(e.ctx, LinkFilter{})
	if err != nil {
		t.Fatal(err)
	}
	truth := linkTruth(e)
	if len(links) != len(truth) {
		t.Fatalf("%d links for %d clients", len(links), len(truth))
	}
	byMethod := map[string]int{}
	wrong, nameLeft, nameAll := 0, 0, 0
	for _, l := range links {
		c := truth[l.ClientUUID]
		switch c.LinkHint {
		case "code", "email":
			if l.Status == StatusAmbiguous && c.LinkHint == "email" && hasCandidate(l, c.ContactID) && kindConflict(nameForms(c.Name), nameForms(l.Candidates[0].Name)) {
				// Precision first: only an email in common between a trust or a
				// couple and a differently named party is a person's call.
				break
			}
			if l.Status != StatusAuto || l.ContactID != c.ContactID || l.Method != c.LinkHint {
				t.Errorf("%s client %q: %s %s → %q, want auto %s → %s", c.LinkHint, c.Name, l.Status, l.Method, l.ContactID, c.LinkHint, c.ContactID)
			}
		case "name":
			// The email (when XPM has it) finds the contact before the name does.
			if l.Status == StatusAuto && l.ContactID != c.ContactID {
				t.Errorf("name client %q auto-linked to %q, want %q", c.Name, l.ContactName, c.ContactID)
			}
			// Near-identical contact names are a person's call, with the right one offered.
			if l.Status != StatusAuto {
				nameLeft++
				if !hasCandidate(l, c.ContactID) {
					t.Errorf("name client %q left %s (%s) without its contact among %v", c.Name, l.Status, l.Reason, l.Candidates)
				}
			}
			nameAll++
		case "ambiguous":
			if c.ContactID == "" && l.Status == StatusAuto {
				t.Errorf("twin client %q auto-linked to %q; a person must decide", c.Name, l.ContactName)
			}
			if c.ContactID == "" && l.Status != StatusAmbiguous && l.Status != StatusUnmatched {
				t.Errorf("twin client %q is %s, want a person's decision", c.Name, l.Status)
			}
		case "none":
			if l.Status == StatusAuto {
				wrong++
			}
		}
		if l.Status == StatusAuto {
			byMethod[l.Method]++
			if l.Confidence <= 0 || l.Confidence > 1 {
				t.Errorf("confidence %v", l.Confidence)
			}
		}
	}
	if byMethod[MethodCode] == 0 || byMethod[MethodEmail] == 0 || byMethod[MethodName] == 0 {
		t.Fatalf("auto links by method %v: every method should link some", byMethod)
	}
	if nameLeft*5 > nameAll {
		t.Errorf("%d of %d clients known by name only were left for a person", nameLeft, nameAll)
	}
	if res.Links.Ambiguous == 0 {
		t.Fatal("no ambiguous links: the demo has twins")
	}
	t.Logf("links %+v by method %v; clients without a contact linked by a name coincidence: %d", res.Links, byMethod, wrong)
	// Ambiguous and unmatched come first.
	seenOther := false
	for _, l := range links {
		first := l.Status == StatusAmbiguous || l.Status == StatusUnmatched
		if first && seenOther {
			t.Fatalf("%s link after resolved ones", l.Status)
		}
		seenOther = seenOther || !first
	}
	amb, _ := e.svc.Links(e.ctx, LinkFilter{Status: StatusAmbiguous})
	if len(amb) != res.Links.Ambiguous || len(amb[0].Candidates) == 0 {
		t.Fatalf("ambiguous filter: %d (want %d), candidates %v", len(amb), res.Links.Ambiguous, amb[0].Candidates)
	}
}

func hasCandidate(l Link, id string) bool {
	for _, c := range l.Candidates {
		if c.ContactID == id {
			return true
		}
	}
	return false
}

func TestPersonsDecisionsSurviveResync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	links, _ := e.svc.Links(e.ctx, LinkFilter{Status: StatusAuto})
	if len(links) < 3 {
		t.Fatalf("only %d auto links", len(links))
	}
	a, b, c := links[0], links[1], links[2]
	if err := e.svc.ConfirmLink(e.ctx, a.ClientUUID); err != nil {
		t.Fatal(err)
	}
	// Link b to c's contact by hand, break c.
	if err := e.svc.ChangeLink(e.ctx, b.ClientUUID, c.ContactID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.BreakLink(e.ctx, c.ClientUUID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ChangeLink(e.ctx, b.ClientUUID, "no-such-contact"); err == nil {
		t.Fatal("linked to an unknown contact")
	}
	for i := 0; i < 2; i++ {
		e.sync()
	}
	got := map[string]Link{}
	all, _ := e.svc.Links(e.ctx, LinkFilter{})
	for _, l := range all {
		got[l.ClientUUID] = l
	}
	if l := got[a.ClientUUID]; l.Status != StatusConfirmed || l.ContactID != a.ContactID {
		t.Fatalf("confirmed link became %+v", l)
	}
	if l := got[b.ClientUUID]; l.Status != StatusConfirmed || l.ContactID != c.ContactID || l.Method != MethodManual {
		t.Fatalf("changed link became %+v", l)
	}
	if l := got[c.ClientUUID]; l.Status != StatusBroken || l.ContactID != "" {
		t.Fatalf("broken link became %+v", l)
	}
}

// chaseTruth is the practice's current jobs in the mapped states.
func chaseTruth(e *env) map[string]xpmsim.Job {
	chase := e.chaseStates()
	completed := map[string]bool{}
	for _, s := range e.p.States() {
		completed[s.Name] = s.Completed
	}
	out := map[string]xpmsim.Job{}
	for _, j := range e.p.Jobs() {
		if chase[j.State] && !completed[j.State] {
			out[j.ID] = j
		}
	}
	return out
}

func TestChaseListIsThePracticesJobsInMappedStates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{contacts: 120})
	e.sync()
	check := func(label string) {
		t.Helper()
		rows, err := e.svc.List(e.ctx, Query{})
		if err != nil {
			t.Fatal(err)
		}
		want := chaseTruth(e)
		got := map[string]Row{}
		for _, r := range rows {
			if r.Source != SourceXPM {
				continue
			}
			if _, dup := got[r.JobID]; dup {
				t.Fatalf("%s: job %s twice", label, r.JobID)
			}
			got[r.JobID] = r
		}
		if len(want) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d rows, practice has %d jobs in chase states", label, len(got), len(want))
		}
		for id, j := range want {
			r, ok := got[id]
			if !ok {
				t.Fatalf("%s: job %s missing", label, id)
			}
			if r.State != j.State || r.JobName != j.Name || !r.DueDate.Equal(j.DueDate) || !strings.EqualFold(r.ClientKey, j.ClientUUID) || r.ClientName != j.ClientName {
				t.Fatalf("%s: row %+v, job %+v", label, r, j)
			}
		}
	}
	check("guessed mapping")
	// The practice maps a different set of states.
	ms, _ := e.svc.States(e.ctx)
	for i := range ms {
		ms[i].Chase = i%2 == 1
	}
	if err := e.svc.SaveMapping(e.ctx, ms); err != nil {
		t.Fatal(err)
	}
	check("saved mapping")
	// XPM changes: a job moves into a chase state outside chase.md.
	for _, j := range e.p.Jobs() {
		if !e.chaseStates()[j.State] {
			for _, s := range e.p.States() {
				if e.chaseStates()[s.Name] && !s.Completed {
					if err := e.p.SetJobState(j.ID, s.Code); err != nil {
						t.Fatal(err)
					}
					break
				}
			}
			break
		}
	}
	e.sync()
	check("after a change in XPM")
}

// TestAgeingFromTheFirstSync: on the first sync no job has been seen
// entering its state, so a job's age counts from its start date in XPM
// (non-zero on day one, where the old list said 0 days for every job);
// a job seen moving to another chase state counts from the move.
func TestAgeingFromTheFirstSync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	rows, _ := e.svc.List(e.ctx, Query{})
	if len(rows) < 2 {
		t.Fatalf("%d rows", len(rows))
	}
	first := map[string]int{}
	dated := 0
	today := dayOf(e.clk.Now())
	for _, r := range rows {
		if !r.WaitingSince.Equal(e.clk.Now()) {
			t.Fatalf("first sync: waiting since %v: %+v", r.WaitingSince, r)
		}
		if r.StartDate.IsZero() || !r.StartDate.Before(today) {
			// The demo dates its jobs by the real clock, the test by its own.
			if r.AgeBasis != BasisSeen || r.AgeDays != 0 || r.AgeLabel != "first seen today" {
				t.Fatalf("no past start date: %+v", r)
			}
			first[r.JobID] = 0
			continue
		}
		dated++
		want := int(today.Sub(r.StartDate).Hours() / 24)
		if r.AgeBasis != BasisStart || r.AgeDays != want || r.AgeDays == 0 || r.AgeLabel != fmt.Sprintf("%d days since start", want) {
			t.Fatalf("first sync: age %d (%s, %q), want %d since start: %+v", r.AgeDays, r.AgeBasis, r.AgeLabel, want, r)
		}
		if !r.DueDate.IsZero() && r.DueDate.Before(today) {
			late := int(today.Sub(r.DueDate).Hours() / 24)
			if r.OverdueDays != late || r.DueLabel != nDays(late)+" overdue" {
				t.Fatalf("overdue %d (%q), want %d: %+v", r.OverdueDays, r.DueLabel, late, r)
			}
		} else if r.OverdueDays != 0 {
			t.Fatalf("not overdue, yet %d days: %+v", r.OverdueDays, r)
		}
		first[r.JobID] = r.AgeDays
	}
	if dated < len(rows)/2 {
		t.Fatalf("only %d of %d rows count from a start date", dated, len(rows))
	}
	// The default order nudges the most overdue first, then the longest waiting.
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.OverdueDays < b.OverdueDays || a.OverdueDays == b.OverdueDays && a.AgeDays < b.AgeDays {
			t.Fatalf("default order: %s (%d overdue, %d waiting) before %s (%d, %d)", a.JobID, a.OverdueDays, a.AgeDays, b.JobID, b.OverdueDays, b.AgeDays)
		}
	}
	e.clk.Add(3 * 24 * time.Hour)
	// One job moves to another chase state: its wait starts again.
	moved := rows[0].JobID
	var other xpmsim.State
	for _, s := range e.p.States() {
		if e.chaseStates()[s.Name] && s.Name != rows[0].State {
			other = s
		}
	}
	if other.Code == "" {
		t.Fatal("demo has one chase state only")
	}
	if err := e.p.SetJobState(moved, other.Code); err != nil {
		t.Fatal(err)
	}
	e.sync()
	rows, _ = e.svc.List(e.ctx, Query{Sort: SortWaiting})
	for _, r := range rows {
		want, basis := first[r.JobID]+3, BasisStart
		if first[r.JobID] == 0 {
			continue // its start date may have come meanwhile
		}
		if r.JobID == moved {
			want, basis = 0, BasisWaiting
		}
		if r.DaysWaiting != want || r.AgeDays != want || r.AgeBasis != basis {
			t.Fatalf("job %s waiting %d days (%s), want %d (%s)", r.JobID, r.AgeDays, r.AgeBasis, want, basis)
		}
	}
	if last := rows[len(rows)-1]; last.JobID != moved || last.AgeLabel != "waiting since today" {
		t.Fatalf("sorted by waiting, the moved job is not last: %+v", last)
	}
}

func TestMalformedAnswerLeavesStoreAsItWas(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	ok, err := e.svc.SyncXPM(e.ctx, e.sbx)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, e)
	// Two days later by the store's clock (the sandbox's stays, so tokens do):
	// a rewrite would show in state_since.
	later := New(e.db, e.org, WithClock(func() time.Time { return e.clk.Now().Add(48 * time.Hour) }))
	for _, route := range []string{"job.api/current", "jobstate.api/list", "client.api/list"} {
		if err := e.sb.SetFaults("GET /practicemanager/3.1/" + route + "=malformed"); err != nil {
			t.Fatal(err)
		}
		_, err := later.SyncXPM(e.ctx, e.sbx)
		if !errors.Is(err, xpm.ErrMalformed) {
			t.Fatalf("%s garbled: %v, want ErrMalformed", route, err)
		}
		if after := snapshot(t, e); after != before {
			t.Fatalf("%s garbled: store changed\nbefore %s\nafter  %s", route, before, after)
		}
	}
	st, _ := e.svc.Status(e.ctx)
	if !st.XPM || st.LastError == "" {
		t.Fatalf("status after failures: %+v", st)
	}
	e.sb.ClearFaults()
	again, err := e.svc.SyncXPM(e.ctx, e.sbx)
	if err != nil || again.Jobs != ok.Jobs {
		t.Fatalf("resync: %+v %v (first %+v)", again, err, ok)
	}
}

// snapshot renders what the chase tables hold.
func snapshot(t *testing.T, e *env) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT COUNT(*), COALESCE(GROUP_CONCAT(job_id || state_key || state_since, ','), '') FROM xpm_jobs`,
		`SELECT COUNT(*), COALESCE(GROUP_CONCAT(name_key || chase || present, ','), '') FROM xpm_states`,
		`SELECT COUNT(*), COALESCE(GROUP_CONCAT(uuid || present, ','), '') FROM xpm_clients`,
		`SELECT COUNT(*), COALESCE(GROUP_CONCAT(client_uuid || contact_id || status || updated_at, ','), '') FROM chase_links`,
	} {
		var n int
		var s string
		if err := e.db.SQL().QueryRowContext(e.ctx, q).Scan(&n, &s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		fmt.Fprintf(&b, "%d:%s;", n, s)
	}
	return b.String()
}

func TestStateMoveOnlyWhenApplied(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	rows, _ := e.svc.List(e.ctx, Query{})
	var r Row
	for _, x := range rows {
		if x.ContactID != "" {
			r = x
			break
		}
	}
	if r.JobID == "" {
		t.Fatal("no linked row on the chase list")
	}
	var target xpmsim.State
	for _, s := range e.p.States() {
		if !s.Completed && !e.chaseStates()[s.Name] {
			target = s
			break
		}
	}
	ms, _ := e.svc.States(e.ctx)
	for i := range ms {
		if ms[i].Name == r.State {
			ms[i].MoveTo = target.Name
		}
	}
	if err := e.svc.SaveMapping(e.ctx, ms); err != nil {
		t.Fatal(err)
	}
	// XPM's list gives no codes; the practice's XPM (here the demo's) does.
	if err := e.svc.SetStateCodes(e.ctx, map[string]string{target.Name: target.Code}); err != nil {
		t.Fatal(err)
	}
	sugg, err := e.svc.SuggestStateMove(e.ctx, r.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	var g *Suggestion
	for i := range sugg {
		if sugg[i].JobID == r.JobID {
			g = &sugg[i]
		}
	}
	if g == nil || g.ToState != target.Name || g.ToCode != target.Code || g.FromState != r.State {
		t.Fatalf("suggestions %+v, want %s → %s", sugg, r.JobID, target.Name)
	}
	// Suggesting moved nothing.
	if j, _ := e.p.Job(r.JobID); j.State != r.State || e.calls("PUT") != 0 {
		t.Fatalf("job moved (%q, %d PUTs) before the user confirmed", j.State, e.calls("PUT"))
	}
	if err := e.svc.ApplyStateMove(e.ctx, e.px, g.JobID, g.ToCode); err != nil {
		t.Fatal(err)
	}
	if j, _ := e.p.Job(r.JobID); j.State != target.Name || e.calls("PUT") != 1 {
		t.Fatalf("after apply XPM has %q (%d PUTs), want %q", j.State, e.calls("PUT"), target.Name)
	}
	rows, _ = e.svc.List(e.ctx, Query{})
	for _, x := range rows {
		if x.JobID == r.JobID {
			t.Fatal("moved job still on the chase list")
		}
	}
	// A code XPM does not know is XPM's error, and nothing changes here.
	if err := e.svc.ApplyStateMove(e.ctx, e.px, rows[0].JobID, "NOPE"); err == nil {
		t.Fatal("unknown code accepted")
	}
	if rows2, _ := e.svc.List(e.ctx, Query{}); len(rows2) != len(rows) {
		t.Fatal("failed move changed the list")
	}
}

func TestNoXPMPath(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{scopes: []string{"openid", "offline_access", "accounting.contacts", "files"}})
	_, err := e.svc.SyncXPM(e.ctx, e.sbx)
	if !errors.Is(err, xpm.ErrNoAccess) {
		t.Fatalf("sync without XPM scope: %v, want ErrNoAccess", err)
	}
	st, _ := e.svc.Status(e.ctx)
	if st.XPM || !st.NoAccess {
		t.Fatalf("status %+v, want no access", st)
	}
	contacts := e.sb.Contacts(e.org)
	a, b := contacts[0], contacts[1]
	for _, c := range []sandbox.Contact{a, b} {
		if err := e.svc.MarkForChase(e.ctx, c.ContactID, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.MarkForChase(e.ctx, a.ContactID, true); err != nil { // twice is once
		t.Fatal(err)
	}
	rows, err := e.svc.List(e.ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Source != SourceManual {
		t.Fatalf("rows %+v, want the two marked contacts", rows)
	}
	names := []string{rows[0].ClientName, rows[1].ClientName}
	want := []string{a.Name, b.Name}
	sort.Strings(want)
	if fmt.Sprint(names) != fmt.Sprint(want) || rows[0].Email == "" && a.EmailAddress != "" && rows[0].ClientName == a.Name {
		t.Fatalf("rows %v, want %v", names, want)
	}
	when := e.clk.Now().Add(-time.Hour)
	if err := e.svc.MarkChased(e.ctx, a.ContactID, when); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	// The heading's date is the service clock's, never the wall clock's, so
	// the test cannot straddle midnight.
	if err := New(e.db, e.org, WithClock(e.clk.Now)).Export(e.ctx, "md", &buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if !strings.HasPrefix(md, "# Chase list — Monday 2 November 2026\n") || !strings.Contains(md, "## Marked for chase (2)") ||
		!strings.Contains(md, mdCell(a.Name)) || !strings.Contains(md, "2 Nov 2026") {
		t.Fatalf("markdown:\n%s", md)
	}
	if err := e.svc.MarkForChase(e.ctx, b.ContactID, false); err != nil {
		t.Fatal(err)
	}
	if rows, _ := e.svc.List(e.ctx, Query{}); len(rows) != 1 || rows[0].ContactID != a.ContactID || !rows[0].LastChased.Equal(when.Truncate(time.Millisecond)) {
		t.Fatalf("after unmarking: %+v", rows)
	}
}

func TestExportsAndEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	rows, _ := e.svc.List(e.ctx, Query{})
	var buf bytes.Buffer
	if err := New(e.db, e.org).Export(e.ctx, "csv", &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(csvout.BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(rows)+1 || recs[0][0] != "Client" {
		t.Fatalf("csv has %d records for %d rows", len(recs), len(rows))
	}
	// XPM's text reaches the CSV as text, the job number too: a practice's
	// own job numbering ("-2024/17") must not become a formula in Excel.
	if _, err := e.db.SQL().ExecContext(e.ctx, `UPDATE xpm_jobs SET job_id = '=1+' || job_id, name = '@SUM(A1)'
		WHERE tenant_id = ? AND job_id = ?`, e.org, rows[0].JobID); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := e.svc.ExportCSV(e.ctx, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(csvout.BOM)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	guarded := 0
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %s = %q starts like a formula", recs[0][i], cell)
			}
		}
		if rec[2] == "'=1+"+rows[0].JobID && rec[3] == "'@SUM(A1)" {
			guarded++
		}
	}
	if guarded != 1 {
		t.Errorf("the job renamed to a formula is not in the CSV as text:\n%q", recs)
	}
	buf.Reset()
	if err := e.svc.ExportMarkdown(e.ctx, &buf); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	for st := range e.chaseStates() {
		n := 0
		for _, r := range rows {
			if r.State == st {
				n++
			}
		}
		if n > 0 && !strings.Contains(md, fmt.Sprintf("## %s (%d)", st, n)) {
			t.Fatalf("markdown lacks the table for %q (%d):\n%s", st, n, md)
		}
	}
	if got := strings.Count(md, "\n| ") - strings.Count(md, "\n| Client |"); got != len(rows) {
		t.Fatalf("markdown has %d rows, want %d", got, len(rows))
	}
	if err := New(e.db, e.org).Export(e.ctx, "pdf", &buf); err == nil {
		t.Fatal("unknown format accepted")
	}

	// The email lists every outstanding job of the client.
	jobs := map[string][]string{}
	for _, r := range rows {
		jobs[r.ClientKey] = append(jobs[r.ClientKey], r.JobName)
	}
	key := rows[0].ClientKey
	for k, js := range jobs {
		if len(js) > len(jobs[key]) {
			key = k
		}
	}
	em, err := e.svc.ChaseEmail(e.ctx, key, "Demo Practice")
	if err != nil {
		t.Fatal(err)
	}
	subj, body, emailState := em.Subject, em.Body, em.State
	if !strings.HasPrefix(subj, "Documents needed for ") {
		t.Fatalf("subject %q", subj)
	}
	for _, j := range jobs[key] {
		if !strings.Contains(body, "- "+j) || !strings.Contains(body, "- the records for "+j) {
			t.Fatalf("body lacks job %q:\n%s", j, body)
		}
	}
	if strings.Contains(body, "{") || !strings.Contains(body, "Demo Practice") {
		t.Fatalf("body:\n%s", body)
	}
	// The documents-needed lists replace "the records for …", once each.
	mine := ClientRows(rows, key)
	if _, err := e.svc.SetDocsNeeded(e.ctx, mine[0].JobID, []string{" Bank statements ", "P60", "bank statements", ""}); err != nil {
		t.Fatal(err)
	}
	if len(mine) > 1 {
		if _, err := e.svc.SetDocsNeeded(e.ctx, mine[1].JobID, []string{"P60"}); err != nil {
			t.Fatal(err)
		}
	}
	em, err = e.svc.ChaseEmail(e.ctx, key, "Demo Practice")
	if err != nil || strings.Count(em.Body, "- Bank statements\n") != 1 || strings.Count(em.Body, "- P60") != 1 ||
		strings.Contains(em.Body, "the records for "+mine[0].JobName+"\n") && len(mine) == 1 {
		t.Fatalf("documents needed not carried once each: %v\n%s", err, em.Body)
	}
	// A state's own template, plain text with placeholders; unknown ones stay.
	if err := e.svc.SaveEmailTemplate(e.ctx, strings.ToUpper(emailState), Template{Subject: "{Client Name}: {jobs}", Body: "Dear {client first name}, {nope}\n{documents needed}"}); err != nil {
		t.Fatal(err)
	}
	em, err = e.svc.ChaseEmail(e.ctx, key, "")
	if err != nil || strings.Contains(em.Subject, "{") || !strings.HasPrefix(em.Subject, mine[0].ClientName+": - ") ||
		!strings.Contains(em.Body, "{nope}") || !strings.HasPrefix(em.Body, "Dear "+strings.Fields(mine[0].Person + " there")[0]+",") {
		t.Fatalf("state template: %+v %v", em, err)
	}
	ts, _ := e.svc.EmailTemplates(e.ctx)
	if _, ok := ts.ByState[emailState]; !ok || ts.Default != DefaultTemplate {
		t.Fatalf("templates %+v", ts)
	}
	if err := e.svc.SaveEmailTemplate(e.ctx, emailState, Template{}); err != nil {
		t.Fatal(err)
	}
	if ts, _ = e.svc.EmailTemplates(e.ctx); len(ts.ByState) != 0 {
		t.Fatalf("emptied state template kept: %+v", ts)
	}
	if _, err := e.svc.ChaseEmail(e.ctx, "not-a-client", ""); err == nil {
		t.Fatal("email for a client not on the list")
	}
}

func TestDocumentsReceivedSince(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	r := linkedRow(e)
	at := func(d time.Duration) time.Time { return e.clk.Now().Add(d) }
	// chase.md's uploads: one before the chase began, one after, one failed.
	e.upload(r.ContactID, "f-before", at(-time.Hour), "done")
	e.upload(r.ContactID, "F-AFTER", at(time.Hour), "done")
	e.upload(r.ContactID, "f-failed", at(2*time.Hour), "failed")
	// The contact's files in Xero: the upload again (once, whatever the case
	// of its ID), one from before, one from after, one Xero did not date.
	files := []XeroFile{{FileID: "f-after", Associated: at(time.Hour)}, {FileID: "x-before", Associated: at(-time.Minute)},
		{FileID: "x-after", Created: at(-time.Hour), Associated: at(time.Minute)}, {FileID: "x-undated"}}
	if err := e.svc.RecordXeroFiles(e.ctx, strings.ToUpper(r.ContactID), files); err != nil {
		t.Fatal(err)
	}
	if got := docsOf(e, r.JobID); got != 2 {
		t.Fatalf("docs since = %d, want 2 (one upload after, counted once though it is in Xero too, and one Xero file after)", got)
	}
	rows, _ := e.svc.List(e.ctx, Query{Filter: Filter{NoDocsOnly: true}})
	for _, x := range rows {
		if x.ContactID == r.ContactID {
			t.Fatal("a client with documents passed the no-documents filter")
		}
	}
	// A new list from Xero replaces the old: the file taken off the contact
	// no longer counts; the upload still does.
	if err := e.svc.RecordXeroFiles(e.ctx, r.ContactID, files[:2]); err != nil {
		t.Fatal(err)
	}
	if got := docsOf(e, r.JobID); got != 1 {
		t.Fatalf("after Xero's list changed, docs since = %d, want 1", got)
	}
}

func TestListFiltersAndSorts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	all, _ := e.svc.List(e.ctx, Query{Sort: SortDue})
	for i := 1; i < len(all); i++ {
		if all[i].DueDate.Before(all[i-1].DueDate) {
			t.Fatal("not sorted by due date")
		}
	}
	st := all[0].State
	one, _ := e.svc.List(e.ctx, Query{Filter: Filter{State: st}})
	for _, r := range one {
		if r.State != st {
			t.Fatalf("state filter let %q through", r.State)
		}
	}
	over, _ := e.svc.List(e.ctx, Query{Filter: Filter{OverdueOnly: true}})
	for _, r := range over {
		if !r.DueDate.Before(dayOf(e.clk.Now())) {
			t.Fatalf("not overdue: %v", r.DueDate)
		}
	}
	name := all[len(all)-1].ClientName
	hit, _ := e.svc.List(e.ctx, Query{Filter: Filter{Text: strings.ToUpper(name)}})
	if len(hit) == 0 || hit[0].ClientName != name {
		t.Fatalf("text filter %q: %d rows", name, len(hit))
	}
	if err := e.svc.MarkChased(e.ctx, all[0].ClientKey, e.clk.Now()); err != nil {
		t.Fatal(err)
	}
	bych, _ := e.svc.List(e.ctx, Query{Sort: SortChased})
	if last := bych[len(bych)-1]; last.ClientKey != all[0].ClientKey || last.LastChased.IsZero() {
		t.Fatalf("chased client not last when sorting by last chased: %+v", last)
	}
}

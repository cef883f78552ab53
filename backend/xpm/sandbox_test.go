package xpm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/sandbox/xpmsim"
)

// newRest makes a rest client for base with a pacer minute scaled like the sandbox's.
func newRest(t *testing.T, hc *http.Client, base string, scale float64) *rest.Client {
	t.Helper()
	pacers := rest.NewPacers(rest.WithMinute(time.Duration(float64(time.Minute) / scale)))
	rc, err := rest.New(hc, base, rest.WithPacers(pacers), rest.WithVersion("test"))
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// sandboxEnv is the whole sandbox (identity, tenants, scopes, limits, faults)
// and a client for its practice tenant.
type sandboxEnv struct {
	sb       *sandbox.Server
	url      string
	org, xpm string
	c        *Client
	p        *xpmsim.Practice
}

func newSandbox(t *testing.T, opts sandbox.Options, scopes ...string) *sandboxEnv {
	t.Helper()
	if opts.LimitScale == 0 {
		opts.LimitScale = 600
	}
	sb := sandbox.New(opts)
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	access, _ := sb.IssueToken(scopes...)
	hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	e := &sandboxEnv{sb: sb, url: srv.URL}
	for _, tn := range sb.Tenants() {
		switch {
		case tn.Type == "PRACTICEMANAGER" && e.xpm == "":
			e.xpm = tn.ID
		case tn.Type == "ORGANISATION" && e.org == "":
			e.org = tn.ID
		}
	}
	if e.xpm == "" {
		t.Fatal("sandbox has no practice tenant")
	}
	e.c = New(newRest(t, hc, srv.URL, opts.LimitScale), e.xpm)
	return e
}

// newPractice is the sandbox with its practice at hand for inspection.
func newPractice(t *testing.T, opts sandbox.Options) *sandboxEnv {
	t.Helper()
	if opts.Contacts == 0 {
		opts.Contacts = 60
	}
	e := newSandbox(t, opts)
	e.p = e.sb.Practice()
	return e
}

func names(ss []JobState) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	sort.Strings(out)
	return out
}

func TestJobStatesFromList(t *testing.T) {
	e := newPractice(t, sandbox.Options{Seed: 3})
	got, src, err := e.c.JobStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range e.p.States() {
		want = append(want, s.Name)
	}
	sort.Strings(want)
	if src != FromStateList || strings.Join(names(got), "|") != strings.Join(want, "|") {
		t.Fatalf("states %v from %s, want %v from the list", names(got), src, want)
	}
	for _, s := range got {
		if s.UUID == "" {
			t.Fatalf("state %q without UUID", s.Name)
		}
	}
}

func TestJobStatesFallBackToJobs(t *testing.T) {
	e := newPractice(t, sandbox.Options{Seed: 3, XPMNoJobStateList: true})
	got, src, err := e.c.JobStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	completed := map[string]bool{}
	for _, s := range e.p.States() {
		completed[s.Name] = s.Completed
	}
	set := map[string]bool{}
	for _, j := range e.p.Jobs() {
		if !completed[j.State] {
			set[j.State] = true
		}
	}
	var want []string
	for n := range set {
		want = append(want, n)
	}
	sort.Strings(want)
	if src != FromJobs || strings.Join(names(got), "|") != strings.Join(want, "|") {
		t.Fatalf("states %v from %s, want %v from jobs", names(got), src, want)
	}
	if _, err := e.c.StateList(context.Background()); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("StateList on a server without it: %v, want ErrUnsupported", err)
	}
}

func TestErrorEnvelopeWith200(t *testing.T) {
	e := newSandbox(t, sandbox.Options{Contacts: 40})
	_, err := e.c.Job(context.Background(), "J999999")
	var xe *Error
	if !errors.As(err, &xe) || !strings.Contains(xe.Description, "J999999") || xe.Status != "ERROR" {
		t.Fatalf("err = %v, want *Error naming the job", err)
	}
	if errors.Is(err, ErrNoAccess) || errors.Is(err, ErrMalformed) {
		t.Fatalf("an envelope error classified as %v", err)
	}
	if !strings.Contains(err.Error(), "J999999") {
		t.Fatalf("message %q does not say what failed", err)
	}
	// Invalid date range is refused by XPM with an envelope too.
	if _, err := e.c.JobsBetween(context.Background(), time.Now(), time.Now().AddDate(0, 0, -1)); err == nil {
		t.Fatal("reversed range accepted")
	}
}

func TestMalformedBodyIsAnErrorNotAPanic(t *testing.T) {
	e := newSandbox(t, sandbox.Options{Contacts: 40, Faults: "GET /practicemanager/3.1/job.api/current=malformed"})
	_, err := e.c.CurrentJobs(context.Background(), false)
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	if n := e.sb.CountRequests("GET", "job.api/current"); n != 3 {
		t.Fatalf("asked %d times, want 3 (two retries)", n)
	}
	// Once only: the retry gets a whole answer.
	if err := e.sb.SetFaults("GET /practicemanager/3.1/job.api/current=malformed@n1"); err != nil {
		t.Fatal(err)
	}
	jobs, err := e.c.CurrentJobs(context.Background(), false)
	if err != nil || len(jobs) == 0 {
		t.Fatalf("after one garbled answer: %d jobs, %v", len(jobs), err)
	}
}

func TestNoAccess(t *testing.T) {
	ctx := context.Background()
	// A token without any practicemanager scope.
	e := newSandbox(t, sandbox.Options{Contacts: 40}, "openid", "offline_access", "accounting.contacts", "files")
	if _, err := e.c.CurrentJobs(ctx, false); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("no scope: %v, want ErrNoAccess", err)
	}
	full := newSandbox(t, sandbox.Options{Contacts: 40})
	// The accounting organisation is not a practice.
	org := New(full.c.rc, full.org)
	if _, err := org.Clients(ctx); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("organisation tenant: %v, want ErrNoAccess", err)
	}
	// No XPM connection at all.
	if _, _, err := New(full.c.rc, "").JobStates(ctx); !errors.Is(err, ErrNoAccess) {
		t.Fatalf("no tenant: %v, want ErrNoAccess", err)
	}
}

func TestClientsPagedAndList(t *testing.T) {
	e := newPractice(t, sandbox.Options{Seed: 5})
	for i := 0; i < 1200; i++ { // more than two pages of 500
		e.p.AddClient(xpmsim.Client{Name: fmt.Sprintf("Paging Client %04d", i), IsArchived: i%100 == 0})
	}
	ctx := context.Background()
	got, err := e.c.Clients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, c := range e.p.Clients() {
		if !c.IsArchived {
			want[c.UUID] = true
		}
	}
	seen := map[string]bool{}
	for _, c := range got {
		if seen[c.UUID] || !want[c.UUID] {
			t.Fatalf("client %s twice or not expected", c.UUID)
		}
		seen[c.UUID] = true
	}
	if len(seen) != len(want) {
		t.Fatalf("%d clients, want %d", len(seen), len(want))
	}
	if n := e.sb.CountRequests("GET", "client.api/paged-list"); n != (len(want)+PageSize-1)/PageSize {
		t.Fatalf("%d pages for %d clients", n, len(want))
	}
	all, err := e.c.ClientList(ctx, false)
	if err != nil || len(all) != len(e.p.Clients()) {
		t.Fatalf("list: %d clients, %v; want %d", len(all), err, len(e.p.Clients()))
	}
	one, err := e.c.Client(ctx, all[0].UUID)
	if err != nil || one.UUID != all[0].UUID || one.Name != all[0].Name {
		t.Fatalf("get: %+v, %v", one, err)
	}
}

func TestClientsPagesOf500(t *testing.T) {
	e := newSandbox(t, sandbox.Options{Contacts: 40})
	ctx := context.Background()
	got, err := e.c.Clients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := e.c.ClientList(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for _, c := range all {
		if !c.IsArchived {
			active++
		}
	}
	if len(got) != active || active == 0 {
		t.Fatalf("paged %d, active in the list %d", len(got), active)
	}
	for _, r := range e.sb.Requests() {
		if strings.Contains(r.Path, "paged-list") && !strings.Contains(r.Query, "pageSize=500") {
			t.Fatalf("paged request %q without pageSize=500", r.Query)
		}
	}
}

func TestJobsBetweenSplitsYears(t *testing.T) {
	e := newSandbox(t, sandbox.Options{Contacts: 40})
	ctx := context.Background()
	to := e.sb.Now()
	from := to.AddDate(-3, 0, 0)
	jobs, err := e.c.JobsBetween(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.sb.CountRequests("GET", "job.api/list"); n != 4 {
		t.Fatalf("%d calls for 3 years, want 4", n)
	}
	cur, err := e.c.CurrentJobs(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	inRange := map[string]bool{}
	for _, j := range jobs {
		if inRange[j.ID] {
			t.Fatalf("job %s twice", j.ID)
		}
		inRange[j.ID] = true
	}
	// Demo jobs started within the last 300 days: every current one is in range.
	for _, j := range cur {
		if !inRange[j.ID] {
			t.Fatalf("current job %s (start %v) missing from the range", j.ID, j.StartDate)
		}
	}
}

func TestJobAndJobsForClient(t *testing.T) {
	e := newPractice(t, sandbox.Options{Seed: 9})
	ctx := context.Background()
	want := e.p.Jobs()[0]
	j, err := e.c.Job(ctx, want.ID)
	if err != nil || j.ID != want.ID || j.State != want.State || j.Client.UUID != want.ClientUUID || !j.DueDate.Equal(want.DueDate) {
		t.Fatalf("job %+v, %v; want %+v", j, err, want)
	}
	js, err := e.c.JobsForClient(ctx, want.ClientUUID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range js {
		found = found || x.ID == want.ID
		if x.Client.UUID != want.ClientUUID {
			t.Fatalf("job %s of another client", x.ID)
		}
	}
	if !found {
		t.Fatalf("client's jobs lack %s", want.ID)
	}
}

func TestSetJobState(t *testing.T) {
	e := newPractice(t, sandbox.Options{Seed: 9})
	ctx := context.Background()
	job := e.p.Jobs()[0]
	var target xpmsim.State
	for _, s := range e.p.States() {
		if s.Name != job.State && !s.Completed {
			target = s
			break
		}
	}
	got, err := e.c.SetJobState(ctx, job.ID, target.Code)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := e.p.Job(job.ID)
	if after.State != target.Name || got.State != target.Name || e.sb.CountRequests("PUT", "job.api/state") != 1 {
		t.Fatalf("job now %q (answer %q), want %q", after.State, got.State, target.Name)
	}
	// An unknown code is XPM's 200 ERROR.
	_, err = e.c.SetJobState(ctx, job.ID, "NO-SUCH-CODE")
	var xe *Error
	if !errors.As(err, &xe) {
		t.Fatalf("unknown code: %v, want *Error", err)
	}
}

func TestJSONResponses(t *testing.T) {
	e := newPractice(t, sandbox.Options{Seed: 9})
	e.p.SetResponseFormat(true)
	ctx := context.Background()
	jobs, err := e.c.CurrentJobs(ctx, false)
	if err != nil || len(jobs) == 0 || jobs[0].Client.UUID == "" {
		t.Fatalf("json jobs: %d, %v", len(jobs), err)
	}
	states, src, err := e.c.JobStates(ctx)
	if err != nil || src != FromStateList || len(states) != len(e.p.States()) {
		t.Fatalf("json states: %v %s %v", names(states), src, err)
	}
	cs, err := e.c.Clients(ctx)
	if err != nil || len(cs) == 0 {
		t.Fatalf("json clients: %d %v", len(cs), err)
	}
}

package xpmsim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

func testSeeds(n int) []ClientSeed {
	out := make([]ClientSeed, n)
	for i := range out {
		if i%3 == 0 {
			f, l := firstNames[i%len(firstNames)], lastNames[(i/7)%len(lastNames)]
			out[i] = ClientSeed{ContactID: fmt.Sprintf("c-%04d", i), Name: f + " " + l, IsPerson: true,
				FirstName: f, LastName: l, Email: fmt.Sprintf("%s%d@home.example", strings.ToLower(f), i),
				AccountNumber: fmt.Sprintf("ACC%04d", i)}
			continue
		}
		name := fmt.Sprintf("%s %s %d Ltd", bizWords[i%len(bizWords)], bizKinds[i%len(bizKinds)], i)
		if i%5 == 0 {
			name = fmt.Sprintf("%s & %s %d", lastNames[i%len(lastNames)], lastNames[(i+3)%len(lastNames)], i)
		}
		out[i] = ClientSeed{ContactID: fmt.Sprintf("c-%04d", i), Name: name,
			Email: fmt.Sprintf("accounts%d@biz.example", i), AccountNumber: fmt.Sprintf("ACC%04d", i)}
	}
	return out
}

func newTestPractice(opts Options) *Practice {
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return testNow }
	}
	if opts.Clients == nil {
		opts.Clients = testSeeds(120)
	}
	if opts.ExtraClients == 0 {
		opts.ExtraClients = 15
	}
	return New(opts)
}

// serve mounts the practice the way the core does: under /practicemanager/3.1
// with the prefix stripped.
func serve(t testing.TB, p *Practice) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/practicemanager/3.1/", http.StripPrefix("/practicemanager/3.1", p))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func do(t testing.TB, method, url, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func getOK(t testing.TB, srv *httptest.Server, rel string) []byte {
	t.Helper()
	resp, b := do(t, http.MethodGet, srv.URL+"/practicemanager/3.1/"+rel, "")
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: status %d: %s", rel, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/xml; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", rel, ct)
	}
	if st := status(t, b); st != "OK" {
		t.Fatalf("GET %s: Status %q: %s", rel, st, b)
	}
	return b
}

func status(t testing.TB, b []byte) string {
	t.Helper()
	var env struct {
		XMLName   xml.Name `xml:"Response"`
		APIMethod string   `xml:"api-method,attr"`
		Status    string   `xml:"Status"`
	}
	if err := xml.Unmarshal(b, &env); err != nil {
		t.Fatalf("not an XPM envelope: %v: %.300s", err, b)
	}
	return env.Status
}

// paths collects every element path ("Response/Jobs/Job/ID") in a document.
func paths(t testing.TB, b []byte) map[string]bool {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	out := map[string]bool{}
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			stack = append(stack, e.Name.Local)
			out[strings.Join(stack, "/")] = true
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	return out
}

func example(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "xero", "xpm-examples", name))
	if err != nil {
		t.Fatalf("documented example: %v", err)
	}
	return b
}

func examplePaths(t testing.TB, name string) map[string]bool { return paths(t, example(t, name)) }

func rebase(in map[string]bool, from, to string) map[string]bool {
	out := map[string]bool{}
	for p := range in {
		if rest, ok := strings.CutPrefix(p, from); ok {
			out[to+rest] = true
		}
	}
	return out
}

func missing(want, got map[string]bool) []string {
	var out []string
	for p := range want {
		if !got[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// Test-local wire types, built from xpm-examples/ (not from the package).
type exJob struct {
	ID            string `xml:"ID"`
	UUID          string `xml:"UUID"`
	Name          string `xml:"Name"`
	State         string `xml:"State"`
	Type          string `xml:"Type"`
	StartDate     string `xml:"StartDate"`
	DueDate       string `xml:"DueDate"`
	CompletedDate string `xml:"CompletedDate"`
	Client        struct {
		UUID string `xml:"UUID"`
		Name string `xml:"Name"`
	} `xml:"Client"`
	Staff []struct {
		UUID string `xml:"UUID"`
	} `xml:"Assigned>Staff"`
	Tasks []struct {
		Completed string `xml:"Completed"`
		Billable  string `xml:"Billable"`
	} `xml:"Tasks>Task"`
}

type exJobs struct {
	Status string  `xml:"Status"`
	Jobs   []exJob `xml:"Jobs>Job"`
}

type exClient struct {
	UUID       string `xml:"UUID"`
	Name       string `xml:"Name"`
	FirstName  string `xml:"FirstName"`
	LastName   string `xml:"LastName"`
	Email      string `xml:"Email"`
	ExportCode string `xml:"ExportCode"`
	IsArchived string `xml:"IsArchived"`
	IsProspect string `xml:"IsProspect"`
	Contacts   []struct {
		IsPrimary string `xml:"IsPrimary"`
	} `xml:"Contacts>Contact"`
}

type exClients struct {
	Status     string     `xml:"Status"`
	Clients    []exClient `xml:"Clients>Client"`
	Pagination struct {
		First string `xml:"Links>First"`
		Next  string `xml:"Links>Next"`
	} `xml:"Pagination"`
}

func unmarshal(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("unmarshal: %v: %.300s", err, b)
	}
}

func TestDocumentedExamplesParseWithTestTypes(t *testing.T) {
	// Guards the test types themselves: they must read Xero's own examples.
	var jobs exJobs
	unmarshal(t, example(t, "job.api-current.xml"), &jobs)
	if len(jobs.Jobs) != 2 || jobs.Jobs[0].ID != "J000159" || jobs.Jobs[0].Client.Name != "A C Smith Limited" {
		t.Fatalf("example jobs: %+v", jobs)
	}
	var cl exClients
	unmarshal(t, example(t, "client.api-list.xml"), &cl)
	if len(cl.Clients) != 2 || cl.Clients[0].IsArchived != "No" {
		t.Fatalf("example clients: %+v", cl)
	}
}

func TestJobCurrentMatchesDocumentedShape(t *testing.T) {
	p := newTestPractice(Options{Seed: 1})
	srv := serve(t, p)
	b := getOK(t, srv, "job.api/current")
	got := paths(t, b)

	want := examplePaths(t, "job.api-current.xml")
	// The example's first job is "Planned" yet carries a CompletedDate and the
	// second has none: optional, and the sandbox sends it only on completed jobs.
	delete(want, "Response/Jobs/Job/CompletedDate")
	if m := missing(want, got); len(m) > 0 {
		t.Errorf("job.api/current lacks documented elements: %v", m)
	}
	// Everything sent must be documented for a job (job.api/get's example).
	allowed := rebase(examplePaths(t, "job.api-get.xml"), "Response/Job", "Response/Jobs/Job")
	allowed["Response"], allowed["Response/Status"], allowed["Response/Jobs"] = true, true, true
	if extra := missing(got, allowed); len(extra) > 0 {
		t.Errorf("job.api/current sends undocumented elements: %v", extra)
	}
	if got["Response/Jobs/Job/Tasks"] {
		t.Error("non-detailed current jobs carry tasks")
	}

	var jobs exJobs
	unmarshal(t, b, &jobs)
	completed := map[string]bool{}
	names := map[string]bool{}
	for _, s := range p.States() {
		completed[s.Name] = s.Completed
		names[s.Name] = true
	}
	nCurrent := 0
	for _, j := range p.Jobs() {
		if !completed[j.State] {
			nCurrent++
		}
	}
	if len(jobs.Jobs) != nCurrent || nCurrent == 0 {
		t.Fatalf("current jobs: got %d, want %d", len(jobs.Jobs), nCurrent)
	}
	for _, j := range jobs.Jobs {
		if !names[j.State] || completed[j.State] {
			t.Fatalf("job %s: state %q is not a current state", j.ID, j.State)
		}
		for _, d := range []string{j.StartDate, j.DueDate} {
			if _, err := time.Parse("2006-01-02T15:04:05", d); err != nil {
				t.Fatalf("job %s: date %q is not a zone-less local date-time", j.ID, d)
			}
		}
		if j.CompletedDate != "" {
			t.Fatalf("current job %s has CompletedDate", j.ID)
		}
	}

	dj := getOK(t, srv, "job.api/current?detailed=true")
	var detailedJobs exJobs
	unmarshal(t, dj, &detailedJobs)
	if len(detailedJobs.Jobs) != nCurrent || len(detailedJobs.Jobs[0].Tasks) == 0 {
		t.Fatalf("detailed current: %d jobs, first with %d tasks", len(detailedJobs.Jobs), len(detailedJobs.Jobs[0].Tasks))
	}
	if tk := detailedJobs.Jobs[0].Tasks[0]; tk.Completed != "false" || tk.Billable != "true" {
		t.Fatalf("job booleans must be true/false: %+v", tk)
	}
	if extra := missing(paths(t, dj), allowed); len(extra) > 0 {
		t.Errorf("detailed job.api/current sends undocumented elements: %v", extra)
	}
}

func TestJobGetMatchesDocumentedShape(t *testing.T) {
	p := newTestPractice(Options{Seed: 2})
	srv := serve(t, p)
	var done, open Job
	for _, j := range p.Jobs() {
		if !j.CompletedDate.IsZero() && done.ID == "" {
			done = j
		}
		if j.CompletedDate.IsZero() && j.ContactUUID != "" && j.Partner.UUID != "" && open.ID == "" {
			open = j
		}
	}
	got := paths(t, getOK(t, srv, "job.api/get/"+done.ID))
	for p := range paths(t, getOK(t, srv, "job.api/get/"+strings.ToLower(open.ID))) {
		got[p] = true
	}
	want := examplePaths(t, "job.api-get.xml")
	if extra := missing(got, want); len(extra) > 0 {
		t.Errorf("job.api/get sends undocumented elements: %v", extra)
	}
	var lacks []string
	for _, m := range missing(want, got) {
		if !strings.HasPrefix(m, "Response/Job/Notes/") { // demo jobs have no notes
			lacks = append(lacks, m)
		}
	}
	if len(lacks) > 0 {
		t.Errorf("job.api/get lacks documented elements: %v", lacks)
	}

	var one struct {
		Status string `xml:"Status"`
		WebURL string `xml:"WebUrl"`
		Job    exJob  `xml:"Job"`
	}
	unmarshal(t, getOK(t, srv, "job.api/get/"+open.ID), &one)
	if one.Job.ID != open.ID || one.Job.UUID != open.UUID || one.Job.State != open.State || one.Job.Client.UUID != open.ClientUUID {
		t.Fatalf("job.api/get %s: got %+v, want %+v", open.ID, one.Job, open)
	}
	if !strings.HasSuffix(one.WebURL, "id="+open.ID) {
		t.Fatalf("WebUrl %q", one.WebURL)
	}
}

func TestClientListMatchesDocumentedShape(t *testing.T) {
	p := newTestPractice(Options{Seed: 3})
	srv := serve(t, p)
	b := getOK(t, srv, "client.api/list")
	got := paths(t, b)
	want := examplePaths(t, "client.api-list.xml")
	if m := missing(want, got); len(m) > 0 {
		t.Errorf("client.api/list lacks documented elements: %v", m)
	}
	// IsProspect is in the spec's ClientBaseDto, not in the XML example.
	want["Response/Clients/Client/IsProspect"] = true
	if extra := missing(got, want); len(extra) > 0 {
		t.Errorf("client.api/list sends undocumented elements: %v", extra)
	}

	var list exClients
	unmarshal(t, b, &list)
	if len(list.Clients) != len(p.Clients()) {
		t.Fatalf("client.api/list: %d clients, want all %d (archived included)", len(list.Clients), len(p.Clients()))
	}
	byUUID := map[string]Client{}
	for _, c := range p.Clients() {
		byUUID[c.UUID] = c
	}
	for _, c := range list.Clients {
		want := byUUID[c.UUID]
		if c.Name != want.Name || c.Email != want.Email || c.ExportCode != want.ExportCode {
			t.Fatalf("client %s: got %+v, want %+v", c.UUID, c, want)
		}
		for _, yn := range []string{c.IsArchived, c.IsProspect} {
			if yn != "Yes" && yn != "No" {
				t.Fatalf("client booleans must be Yes/No, got %q", yn)
			}
		}
		if want.IsPerson != (c.FirstName != "") {
			t.Fatalf("client %s: FirstName %q for IsPerson=%v", c.UUID, c.FirstName, want.IsPerson)
		}
	}

	dg := paths(t, getOK(t, srv, "client.api/list?detailed=true"))
	if !dg["Response/Clients/Client/Groups"] || !dg["Response/Clients/Client/Notes"] {
		t.Error("detailed client list lacks Groups/Notes")
	}

	var one struct {
		Status string   `xml:"Status"`
		Client exClient `xml:"Client"`
	}
	c := p.Clients()[5]
	unmarshal(t, getOK(t, srv, "client.api/get/"+strings.ToUpper(c.UUID)), &one)
	if one.Client.UUID != c.UUID || one.Client.Name != c.Name {
		t.Fatalf("client.api/get: %+v, want %+v", one.Client, c)
	}
}

func TestClientModifiedSince(t *testing.T) {
	now := testNow
	var mu sync.Mutex
	p := newTestPractice(Options{Seed: 4, Clock: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	srv := serve(t, p)
	mu.Lock()
	now = testNow.Add(time.Hour)
	mu.Unlock()
	target := p.Clients()[7]
	if err := p.UpdateClient(target.UUID, func(c *Client) { c.Email = "new@changed.example" }); err != nil {
		t.Fatal(err)
	}
	for _, param := range []string{"modifiedsince", "modifiedSince"} {
		var list exClients
		unmarshal(t, getOK(t, srv, "client.api/list?"+param+"=2026-11-20T09:30:00"), &list)
		if len(list.Clients) != 1 || list.Clients[0].UUID != target.UUID || list.Clients[0].Email != "new@changed.example" {
			t.Fatalf("%s: got %+v", param, list.Clients)
		}
	}
	expectError(t, srv, http.MethodGet, "client.api/list?modifiedsince=yesterday", "")
}

func TestPagedListFollowsNextToTheEnd(t *testing.T) {
	p := newTestPractice(Options{Seed: 5})
	srv := serve(t, p)
	want := map[string]bool{}
	for _, c := range p.Clients() {
		if !c.IsArchived {
			want[c.UUID] = true
		}
	}
	allowed := rebase(examplePaths(t, "client.api-list.xml"), "Response", "Response")
	for p := range allowed {
		if strings.HasPrefix(p, "Response/Clients/Client/Contacts") {
			delete(allowed, p)
		}
	}
	allowed["Response/Clients/Client/IsProspect"] = true
	// The documented fragment has a bare "&" in its URLs (not well-formed XML);
	// escape it to read the element names.
	frag := bytes.ReplaceAll(example(t, "client.api-paged-list.pagination-fragment.xml"), []byte("&pageSize"), []byte("&amp;pageSize"))
	for p := range paths(t, frag) {
		allowed["Response/"+p] = true
	}

	seen := map[string]bool{}
	next := srv.URL + "/practicemanager/3.1/client.api/paged-list?pageSize=7"
	pages := 0
	for next != "" {
		pages++
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		resp, b := do(t, http.MethodGet, next, "")
		if resp.StatusCode != 200 || status(t, b) != "OK" {
			t.Fatalf("page %d: %d %s", pages, resp.StatusCode, b)
		}
		if extra := missing(paths(t, b), allowed); len(extra) > 0 {
			t.Fatalf("paged-list sends undocumented elements: %v", extra)
		}
		var pg exClients
		unmarshal(t, b, &pg)
		if len(pg.Clients) > 7 || (pg.Pagination.Next != "" && len(pg.Clients) != 7) {
			t.Fatalf("page %d has %d clients", pages, len(pg.Clients))
		}
		if !strings.HasPrefix(pg.Pagination.First, srv.URL+"/practicemanager/3.1/client.api/paged-list?") {
			t.Fatalf("First link %q", pg.Pagination.First)
		}
		for _, c := range pg.Clients {
			if seen[c.UUID] {
				t.Fatalf("client %s on two pages", c.UUID)
			}
			seen[c.UUID] = true
			if c.IsArchived != "No" {
				t.Fatalf("archived client %s in paged list", c.UUID)
			}
		}
		next = pg.Pagination.Next
	}
	if len(seen) != len(want) {
		t.Fatalf("paged through %d clients, want %d", len(seen), len(want))
	}
	if m := missing(want, seen); len(m) > 0 {
		t.Fatalf("paging skipped %v", m)
	}

	// Default page size is the spec's 50.
	var first exClients
	unmarshal(t, getOK(t, srv, "client.api/paged-list"), &first)
	if len(first.Clients) != 50 || !strings.Contains(first.Pagination.Next, "pageSize=50") {
		t.Fatalf("default page: %d clients, next %q", len(first.Clients), first.Pagination.Next)
	}
}

func expectError(t testing.TB, srv *httptest.Server, method, rel, body string) string {
	t.Helper()
	resp, b := do(t, method, srv.URL+"/practicemanager/3.1/"+rel, body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s: status %d, want XPM's 200 with an ERROR envelope", method, rel, resp.StatusCode)
	}
	want := examplePaths(t, "error-envelope.xml")
	got := paths(t, b)
	if len(missing(want, got)) > 0 || len(missing(got, want)) > 0 {
		t.Fatalf("%s %s: not the documented error envelope: %s", method, rel, b)
	}
	var env struct {
		Status string `xml:"Status"`
		Desc   string `xml:"ErrorDescription"`
	}
	unmarshal(t, b, &env)
	if env.Status != "ERROR" || env.Desc == "" {
		t.Fatalf("%s %s: %s", method, rel, b)
	}
	return env.Desc
}

func TestErrorsAreEnvelopesWithStatus200(t *testing.T) {
	p := newTestPractice(Options{Seed: 6})
	srv := serve(t, p)
	job := p.Jobs()[0]
	for _, tc := range []struct{ name, method, rel, body string }{
		{"list without dates", "GET", "job.api/list", ""},
		{"list bad date", "GET", "job.api/list?from=2026-01-01&to=20260201", ""},
		{"list impossible date", "GET", "job.api/list?from=20260230&to=20260301", ""},
		{"list over a year", "GET", "job.api/list?from=20250101&to=20260102", ""},
		{"list reversed", "GET", "job.api/list?from=20260201&to=20260101", ""},
		{"unknown job", "GET", "job.api/get/J999999", ""},
		{"jobs of unknown client", "GET", "job.api/client/00000000-0000-4000-8000-000000000000", ""},
		{"unknown client", "GET", "client.api/get/00000000-0000-4000-8000-000000000000", ""},
		{"page size 0", "GET", "client.api/paged-list?pageSize=0", ""},
		{"page size 501", "GET", "client.api/paged-list?pageSize=501", ""},
		{"bad page token", "GET", "client.api/paged-list?pageToken=%21%21", ""},
		{"state of unknown job", "PUT", "job.api/state", "<Job><ID>J999999</ID><State>" + p.States()[0].Code + "</State></Job>"},
		{"unknown state", "PUT", "job.api/state", "<Job><ID>" + job.ID + "</ID><State>NOPE</State></Job>"},
		{"state by name is not a code", "PUT", "job.api/state", "<Job><ID>" + job.ID + "</ID><State>" + stateAwaiting(p).Name + "</State></Job>"},
		{"missing state", "PUT", "job.api/state", "<Job><ID>" + job.ID + "</ID></Job>"},
		{"malformed body", "PUT", "job.api/state", "<Job><ID>"},
		{"empty body", "PUT", "job.api/state", ""},
	} {
		t.Run(tc.name, func(t *testing.T) { expectError(t, srv, tc.method, tc.rel, tc.body) })
	}
	if got, _ := p.Job(job.ID); got.StateCode != job.StateCode {
		t.Fatalf("a refused PUT changed the job: %s -> %s", job.StateCode, got.StateCode)
	}
	// A year exactly is allowed.
	getOK(t, srv, "job.api/list?from=20250101&to=20260101")
}

func stateAwaiting(p *Practice) State {
	for _, s := range p.States() {
		if s.AwaitsClient {
			return s
		}
	}
	panic("no awaiting state")
}

func TestUnknownRoutes(t *testing.T) {
	p := newTestPractice(Options{Seed: 7})
	srv := serve(t, p)
	for _, tc := range []struct {
		method, rel string
		want        int
	}{
		{"GET", "job.api/nothing", 404},
		{"GET", "nothing.api/list", 404},
		{"GET", "job.api/get", 404},
		{"POST", "job.api/current", 405},
		{"GET", "job.api/state", 405},
	} {
		resp, b := do(t, tc.method, srv.URL+"/practicemanager/3.1/"+tc.rel, "")
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.rel, resp.StatusCode, b, tc.want)
		}
	}
}

func TestJobStateListAndDisabledFallback(t *testing.T) {
	p := newTestPractice(Options{Seed: 8})
	srv := serve(t, p)
	b := getOK(t, srv, "jobstate.api/list")
	// JobStateListResponseDto: jobStates of NamedEntityDto (uuid, name).
	want := map[string]bool{"Response": true, "Response/Status": true, "Response/JobStates": true,
		"Response/JobStates/JobState": true, "Response/JobStates/JobState/UUID": true, "Response/JobStates/JobState/Name": true}
	got := paths(t, b)
	if len(missing(want, got)) > 0 || len(missing(got, want)) > 0 {
		t.Fatalf("jobstate.api/list shape: %v", got)
	}
	var list struct {
		States []struct{ UUID, Name string } `xml:"JobStates>JobState"`
	}
	unmarshal(t, b, &list)
	states := p.States()
	if len(list.States) != len(states) {
		t.Fatalf("%d states, want %d", len(list.States), len(states))
	}
	for i, s := range states {
		if list.States[i].UUID != s.UUID || list.States[i].Name != s.Name {
			t.Fatalf("state %d: %+v, want %+v", i, list.States[i], s)
		}
	}

	off := newTestPractice(Options{Seed: 8, DisableJobStateList: true})
	offSrv := serve(t, off)
	resp, body := do(t, http.MethodGet, offSrv.URL+"/practicemanager/3.1/jobstate.api/list", "")
	if resp.StatusCode != http.StatusNotFound || bytes.Contains(body, []byte("<Status>OK")) {
		t.Fatalf("disabled jobstate.api/list: %d %s", resp.StatusCode, body)
	}
	// The fallback a client uses: every open state is on a current job,
	// every state on some job.
	var cur exJobs
	unmarshal(t, getOK(t, offSrv, "job.api/current"), &cur)
	open := map[string]bool{}
	for _, j := range cur.Jobs {
		open[j.State] = true
	}
	for _, s := range off.States() {
		if !s.Completed && !open[s.Name] {
			t.Errorf("open state %q is on no current job", s.Name)
		}
	}
	var all exJobs
	unmarshal(t, getOK(t, offSrv, "job.api/list?from=20251121&to=20261120"), &all)
	seen := map[string]bool{}
	for _, j := range all.Jobs {
		seen[j.State] = true
	}
	for _, s := range off.States() {
		if !seen[s.Name] {
			t.Errorf("state %q appears on no job in the last year", s.Name)
		}
	}
}

func TestPutStateVisibleInLaterReads(t *testing.T) {
	p := newTestPractice(Options{Seed: 9})
	srv := serve(t, p)
	aw := stateAwaiting(p)
	var done State
	for _, s := range p.States() {
		if s.Completed {
			done = s
			break
		}
	}
	var job Job
	for _, j := range p.Jobs() {
		if j.StateCode == aw.Code {
			job = j
			break
		}
	}
	next := p.States()[1]

	// Interface codes match without regard to case; the documented body
	// carries ID and UUID.
	body := "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Job>\n  <ID>" + job.ID + "</ID>\n  <UUID>" + job.UUID +
		"</UUID>\n  <State>" + strings.ToLower(next.Code) + "</State>\n</Job>"
	resp, b := do(t, http.MethodPut, srv.URL+"/practicemanager/3.1/job.api/state", body, "Content-Type", "application/xml")
	if resp.StatusCode != 200 || status(t, b) != "OK" {
		t.Fatalf("PUT state: %d %s", resp.StatusCode, b)
	}
	var put struct {
		Job exJob `xml:"Job"`
	}
	unmarshal(t, b, &put)
	if put.Job.State != next.Name {
		t.Fatalf("PUT answered state %q, want %q", put.Job.State, next.Name)
	}
	var one struct {
		Job exJob `xml:"Job"`
	}
	unmarshal(t, getOK(t, srv, "job.api/get/"+job.ID), &one)
	if one.Job.State != next.Name {
		t.Fatalf("after PUT, job.api/get says %q, want %q", one.Job.State, next.Name)
	}
	if got, _ := p.Job(job.ID); got.StateCode != next.Code || !got.StateChanged.Equal(testNow) {
		t.Fatalf("inspection: %+v", got)
	}

	// Completing a job takes it out of job.api/current and dates it.
	if err := p.SetJobState(job.ID, done.Code); err != nil {
		t.Fatal(err)
	}
	var cur exJobs
	unmarshal(t, getOK(t, srv, "job.api/current"), &cur)
	for _, j := range cur.Jobs {
		if j.ID == job.ID {
			t.Fatalf("completed job %s still current", job.ID)
		}
	}
	unmarshal(t, getOK(t, srv, "job.api/get/"+job.ID), &one)
	if one.Job.State != done.Name || one.Job.CompletedDate != "2026-11-20T00:00:00" {
		t.Fatalf("completed job: %+v", one.Job)
	}
	var byClient exJobs
	unmarshal(t, getOK(t, srv, "job.api/client/"+job.ClientUUID), &byClient)
	found := false
	for _, j := range byClient.Jobs {
		found = found || (j.ID == job.ID && j.State == done.Name)
	}
	if !found {
		t.Fatalf("job.api/client does not show %s completed", job.ID)
	}

	// The spec's JSON body works too, and the job reopens.
	resp, b = do(t, http.MethodPut, srv.URL+"/practicemanager/3.1/job.api/state",
		`{"id":"`+job.ID+`","state":"`+aw.Code+`"}`, "Content-Type", "application/json")
	if resp.StatusCode != 200 || status(t, b) != "OK" {
		t.Fatalf("PUT JSON: %d %s", resp.StatusCode, b)
	}
	if got, _ := p.Job(job.ID); got.StateCode != aw.Code || !got.CompletedDate.IsZero() {
		t.Fatalf("reopened job: %+v", got)
	}
	if err := p.SetJobState(job.ID, "NOSUCH"); err == nil {
		t.Fatal("SetJobState accepted an unknown code")
	}
}

func TestJobListByStartDateAndByClient(t *testing.T) {
	p := newTestPractice(Options{Seed: 10})
	srv := serve(t, p)
	from, to := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)
	want := map[string]bool{}
	for _, j := range p.Jobs() {
		if !j.StartDate.Before(from) && !j.StartDate.After(to) {
			want[j.ID] = true
		}
	}
	var list exJobs
	unmarshal(t, getOK(t, srv, "job.api/list?from=20260601&to=20260831"), &list)
	got := map[string]bool{}
	for _, j := range list.Jobs {
		got[j.ID] = true
	}
	if len(want) == 0 || len(missing(want, got)) > 0 || len(missing(got, want)) > 0 {
		t.Fatalf("job.api/list: got %d jobs, want %d", len(got), len(want))
	}

	c := p.Clients()[3]
	var mine exJobs
	unmarshal(t, getOK(t, srv, "job.api/client/"+c.UUID), &mine)
	n := 0
	for _, j := range p.Jobs() {
		if j.ClientUUID == c.UUID {
			n++
		}
	}
	if len(mine.Jobs) != n {
		t.Fatalf("job.api/client: %d jobs, want %d", len(mine.Jobs), n)
	}
	for _, j := range mine.Jobs {
		if j.Client.UUID != c.UUID || j.Client.Name != c.Name {
			t.Fatalf("job %s belongs to %+v", j.ID, j.Client)
		}
	}
}

func TestAddJob(t *testing.T) {
	p := newTestPractice(Options{Seed: 11})
	srv := serve(t, p)
	c := p.Clients()[0]
	aw := stateAwaiting(p)
	j, err := p.AddJob(Job{ClientUUID: c.UUID, Name: "Extra GST", Type: "GST Return", StateCode: aw.Code})
	if err != nil {
		t.Fatal(err)
	}
	var one struct {
		Job exJob `xml:"Job"`
	}
	unmarshal(t, getOK(t, srv, "job.api/get/"+j.ID), &one)
	if one.Job.Name != "Extra GST" || one.Job.State != aw.Name || one.Job.Client.Name != c.Name {
		t.Fatalf("added job: %+v", one.Job)
	}
	if _, err := p.AddJob(Job{ClientUUID: "nope"}); err == nil {
		t.Fatal("AddJob accepted an unknown client")
	}
	if _, err := p.AddJob(Job{ClientUUID: c.UUID, StateCode: "NOPE"}); err == nil {
		t.Fatal("AddJob accepted an unknown state")
	}
}

func TestRequiredScopes(t *testing.T) {
	jobRead := []string{"practicemanager.job.read", "practicemanager.job", "practicemanager.read", "practicemanager"}
	clientRead := []string{"practicemanager.client.read", "practicemanager.client", "practicemanager.read", "practicemanager"}
	for _, tc := range []struct {
		method, path string
		want         []string
	}{
		{"GET", "/job.api/current", jobRead},
		{"GET", "job.api/list", jobRead},
		{"GET", "/job.api/get/J000101", jobRead},
		{"GET", "/job.api/client/abc", jobRead},
		{"GET", "/jobstate.api/list", jobRead},
		{"PUT", "/job.api/state", []string{"practicemanager.job", "practicemanager"}},
		{"GET", "/client.api/list", clientRead},
		{"GET", "/Client.api/Paged-List", clientRead},
		{"GET", "/client.api/get/abc", clientRead},
		{"GET", "/job.api/nothing", nil},
		{"DELETE", "/job.api/current", nil},
	} {
		got := RequiredScopes(tc.method, tc.path)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s %s: %v, want %v", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestDemoData(t *testing.T) {
	seeds := testSeeds(400)
	a := newTestPractice(Options{Seed: 42, Clients: seeds, ExtraClients: 40})
	b := newTestPractice(Options{Seed: 42, Clients: seeds, ExtraClients: 40})
	if fmt.Sprint(a.Jobs()) != fmt.Sprint(b.Jobs()) || fmt.Sprint(a.Clients()) != fmt.Sprint(b.Clients()) {
		t.Fatal("same seed, different practice")
	}

	classic := map[string]bool{"Awaiting Information": true, "Awaiting Info": true}
	var awaiting []State
	for _, s := range a.States() {
		if classic[s.Name] {
			t.Errorf("state %q is the classic name; clients must not rely on it", s.Name)
		}
		if s.AwaitsClient {
			awaiting = append(awaiting, s)
		}
		if strings.EqualFold(strings.ReplaceAll(s.Name, " ", ""), s.Code) && s.AwaitsClient {
			t.Errorf("awaiting state code %q is derivable from its name", s.Code)
		}
	}
	if len(awaiting) != 1 {
		t.Fatalf("want one awaiting-information-like state, got %v", awaiting)
	}

	jobs, clients := a.Jobs(), a.Clients()
	perState := map[string]int{}
	overduePerState := map[string]int{}
	for _, j := range jobs {
		perState[j.StateCode]++
		if j.DueDate.Before(testNow) {
			overduePerState[j.StateCode]++
		}
	}
	for _, s := range a.States() {
		if perState[s.Code] == 0 {
			t.Errorf("no job in state %q", s.Name)
		}
	}
	if overduePerState[awaiting[0].Code] == 0 || perState[awaiting[0].Code] == overduePerState[awaiting[0].Code] {
		t.Errorf("awaiting jobs should be both overdue and not: %d of %d", overduePerState[awaiting[0].Code], perState[awaiting[0].Code])
	}
	ratio := float64(len(jobs)) / float64(len(clients))
	if ratio < 2 || ratio > 3 {
		t.Errorf("%.2f jobs per client, want about 2.5", ratio)
	}

	seedByID := map[string]ClientSeed{}
	for _, s := range seeds {
		seedByID[s.ContactID] = s
	}
	hints := map[string]int{}
	for _, c := range clients {
		hints[c.LinkHint]++
		s, linked := seedByID[c.ContactID]
		switch c.LinkHint {
		case "code":
			if !linked || c.ExportCode != s.AccountNumber {
				t.Errorf("code-linked client %q: ExportCode %q, contact %+v", c.Name, c.ExportCode, s)
			}
		case "email":
			if !linked || c.Name == s.Name || c.Email != s.Email || c.ExportCode != "" {
				t.Errorf("email-linked client %q vs contact %+v", c.Name, s)
			}
		case "name":
			if !linked || c.Name != s.Name || c.ExportCode != "" {
				t.Errorf("name-linked client %q vs contact %+v", c.Name, s)
			}
		case "none":
			if linked {
				t.Errorf("unlinked client %q has contact %s", c.Name, c.ContactID)
			}
		}
	}
	for _, h := range []string{"code", "email", "name", "ambiguous", "none"} {
		if hints[h] == 0 {
			t.Errorf("no client linkable by %q: %v", h, hints)
		}
	}
	if hints["none"] < 40 {
		t.Errorf("ExtraClients: %d clients without a contact, want >= 40", hints["none"])
	}
	if ambiguousPairs(clients) == 0 {
		t.Error("no two clients share a name")
	}
}

func ambiguousPairs(cs []Client) int {
	byName := map[string]int{}
	n := 0
	for _, c := range cs {
		if c.LinkHint == "ambiguous" {
			byName[c.Name]++
			if byName[c.Name] == 2 {
				n++
			}
		}
	}
	return n
}

func TestConcurrentReadsAndWrites(t *testing.T) {
	p := newTestPractice(Options{Seed: 12})
	srv := serve(t, p)
	jobs, states := p.Jobs(), p.States()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				var rel, method, body string
				switch (w + i) % 4 {
				case 0:
					method, rel = "GET", "job.api/current"
				case 1:
					method, rel = "GET", "client.api/paged-list?pageSize=20"
				case 2:
					j := jobs[(w*31+i)%len(jobs)]
					method, rel = "PUT", "job.api/state"
					body = "<Job><ID>" + j.ID + "</ID><State>" + states[(w+i)%len(states)].Code + "</State></Job>"
				default:
					_ = p.UpdateClient(p.Clients()[i].UUID, func(c *Client) { c.Name += "x" })
					continue
				}
				req, _ := http.NewRequest(method, srv.URL+"/practicemanager/3.1/"+rel, strings.NewReader(body))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !bytes.Contains(b, []byte("<Status>OK</Status>")) {
					errs <- fmt.Errorf("%s %s: %s", method, rel, b)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// FuzzStateBody: whatever a client PUTs, the practice answers with an XPM
// envelope and changes a job only to a real state.
func FuzzStateBody(f *testing.F) {
	for _, s := range []string{
		"<Job><ID>J000101</ID><State>WAITREC</State></Job>",
		`{"id":"J000101","state":"QUERY"}`,
		"\xef\xbb\xbf<Job><UUID>x</UUID><State>a</State></Job>",
		"<Job><ID>J000101</ID><State>",
		"",
	} {
		f.Add(s)
	}
	p := newTestPractice(Options{Seed: 14, Clients: testSeeds(10), ExtraClients: 1})
	codes := map[string]bool{}
	for _, s := range p.States() {
		codes[s.Code] = true
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPut, "/job.api/state", strings.NewReader(body))
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
		st := status(t, rec.Body.Bytes())
		if st != "OK" && st != "ERROR" {
			t.Fatalf("Status %q", st)
		}
		for _, j := range p.Jobs() {
			if !codes[j.StateCode] {
				t.Fatalf("job %s in unknown state %q", j.ID, j.StateCode)
			}
		}
	})
}

func TestEmptyPractice(t *testing.T) {
	p := New(Options{Seed: 1, Clock: func() time.Time { return testNow }})
	srv := serve(t, p)
	if b := getOK(t, srv, "job.api/current"); !bytes.Contains(b, []byte("<Jobs />")) {
		t.Fatalf("empty current jobs: %s", b)
	}
	var pg exClients
	unmarshal(t, getOK(t, srv, "client.api/paged-list"), &pg)
	if len(pg.Clients) != 0 || pg.Pagination.Next != "" || pg.Pagination.First == "" {
		t.Fatalf("empty paged list: %+v", pg)
	}
	if len(p.States()) == 0 {
		t.Fatal("a practice always has job states")
	}
}

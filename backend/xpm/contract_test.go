package xpm

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/sandbox"
	"chase.md/backend/sandbox/xpmsim"
	"chase.md/backend/xerospec"
)

// TestRequestsMatchTheWithdrawnSpec sends each kind of request the client
// makes to the sandbox's practice and validates what went on the wire (paths,
// queries, the PUT job.api/state body) against Xero's withdrawn XPM v3.1 spec,
// where backend/xerospec tolerates what it gets wrong about the documented
// XML API.
func TestRequestsMatchTheWithdrawnSpec(t *testing.T) {
	t.Parallel()
	specc := make(chan error, 1)
	var spec *xerospec.Spec
	go func() { var err error; spec, err = xerospec.Load(xerospec.PracticeManagerFile); specc <- err }()

	e := newPractice(t, sandbox.Options{Seed: 9})
	for i := range PageSize + 20 { // two pages: the second asks with a pageToken
		e.p.AddClient(xpmsim.Client{Name: fmt.Sprintf("Contract Client %04d", i)})
	}
	rec := &xerospec.Recorder{}
	access, _ := e.sb.IssueToken()
	hc := oauth2.NewClient(context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: rec}),
		oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	c := New(newRest(t, hc, e.url, 600), e.xpm)
	ctx := context.Background()
	job, client := e.p.Jobs()[0], e.p.Clients()[0]
	var target xpmsim.State
	for _, s := range e.p.States() {
		if s.Name != job.State && !s.Completed {
			target = s
			break
		}
	}
	steps := []func() error{
		func() error { _, err := c.StateList(ctx); return err },
		func() error { _, _, err := c.JobStates(ctx); return err },
		func() error { _, err := c.CurrentJobs(ctx, true); return err },
		func() error { _, err := c.CurrentJobs(ctx, false); return err },
		func() error {
			_, err := c.JobsBetween(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC))
			return err
		},
		func() error { _, err := c.Job(ctx, job.ID); return err },
		func() error { _, err := c.JobsForClient(ctx, client.UUID); return err },
		func() error { _, err := c.SetJobState(ctx, job.ID, target.Code); return err },
		func() error { _, err := c.Clients(ctx); return err },
		func() error { _, err := c.ClientList(ctx, true); return err },
		func() error { _, err := c.Client(ctx, client.UUID); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := <-specc; err != nil {
		t.Fatal(err)
	}

	checked := map[string]int{}
	for _, r := range rec.Requests() {
		route, err := spec.ValidateRequest(r.Req, r.Body)
		switch {
		case route == nil:
			t.Errorf("%s %s: no such operation in the spec: %v", r.Req.Method, r.Req.URL, err)
			continue
		case err != nil:
			t.Errorf("%s %s: %v", r.Req.Method, r.Req.URL, err)
		}
		if r.Req.URL.Query().Get("pageToken") != "" {
			checked["pageToken"]++
		}
		checked[route.Operation.OperationID]++
	}
	for _, op := range []string{"JobStateV31_List", "JobV31_Current", "JobV31_List", "JobV31_Get", "JobV31_ClientByIdentifier",
		"JobV31_State", "ClientV31_PagedList", "ClientV31_List", "ClientV31_GetByIdentifier", "pageToken"} {
		if checked[op] == 0 {
			t.Errorf("%s was not exercised (checked: %v)", op, checked)
		}
	}

	// The validator can fail: requests our client must never send.
	for _, bad := range []struct{ method, rel, body string }{
		{http.MethodGet, "job.api/list?from=20260101", ""},
		{http.MethodGet, "client.api/paged-list?pageSize=all", ""},
		{http.MethodGet, "job.api/current?detailed=yes", ""},
		{http.MethodPut, "job.api/state", "<Job><ID>J000309</ID></Job>"},
		{http.MethodPut, "job.api/state", "<Job><ID>J000309</ID><State></State></Job>"},
		{http.MethodPut, "job.api/state", "<Job><ID>J000309</ID><State>X</State><Note>n</Note></Job>"},
		{http.MethodGet, "job.api/nothing", ""},
	} {
		req, _ := http.NewRequest(bad.method, e.url+basePath+"/"+bad.rel, strings.NewReader(bad.body))
		if bad.body != "" {
			req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		}
		if _, err := spec.ValidateRequest(req, []byte(bad.body)); err == nil {
			t.Errorf("%s %s %s passed the request validator", bad.method, bad.rel, bad.body)
		}
	}
}

package xpm

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// stateListServer is an XPM front end whose jobstate.api/list answers with
// status and body; job.api/current answers with the documented example. It
// counts the job.api/current calls (the fallback).
func stateListServer(t *testing.T, status int, body string) (*Client, *atomic.Int32) {
	t.Helper()
	jobs := example(t, "job.api-current.xml")
	var current atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/jobstate.api/list"):
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		case strings.HasSuffix(r.URL.Path, "/job.api/current"):
			current.Add(1)
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			_, _ = w.Write(jobs)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return New(newRest(t, srv.Client(), srv.URL, 600), "practice"), &current
}

func envelope200(desc string) string {
	return "<Response><Status>ERROR</Status><ErrorDescription>" + desc + "</ErrorDescription></Response>"
}

// Only "the method is not there" falls back to the states seen on jobs; a
// refused permission or any other ERROR envelope is an error the sync must
// report, not a reason to read the states somewhere else.
func TestStateListTellsMissingMethodFromErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		missing bool // ErrUnsupported and the fallback to jobs
		access  bool // ErrNoAccess
	}{
		{name: "404", status: http.StatusNotFound, body: "Not Found", missing: true},
		{name: "405", status: http.StatusMethodNotAllowed, body: "The requested resource does not support http method 'GET'.", missing: true},
		{name: "envelope no route", status: http.StatusOK, missing: true,
			body: envelope200("No HTTP resource was found that matches the request URI 'https://api.xero.com/practicemanager/3.1/jobstate.api/list'.")},
		{name: "envelope method not found", status: http.StatusOK, body: envelope200("Method not found"), missing: true},
		{name: "envelope permission", status: http.StatusOK, body: envelope200("You do not have permission to view job states")},
		{name: "envelope not authorised", status: http.StatusOK, body: envelope200("Not authorised: the staff member has no access to this practice")},
		{name: "envelope other", status: http.StatusOK, body: envelope200("An unexpected error occurred")},
		{name: "403", status: http.StatusForbidden, body: `{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful"}`, access: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, current := stateListServer(t, tc.status, tc.body)
			ctx := context.Background()
			_, err := c.StateList(ctx)
			if got := errors.Is(err, ErrUnsupported); got != tc.missing || err == nil {
				t.Fatalf("StateList: %v; ErrUnsupported = %v, want %v", err, got, tc.missing)
			}
			if got := errors.Is(err, ErrNoAccess); got != tc.access {
				t.Fatalf("StateList: %v; ErrNoAccess = %v, want %v", err, got, tc.access)
			}
			if !tc.missing && !tc.access {
				var xe *Error
				if !errors.As(err, &xe) || !strings.Contains(tc.body, xe.Description) {
					t.Fatalf("StateList: %v, want the envelope's *Error", err)
				}
			}
			states, src, err := c.JobStates(ctx)
			switch {
			case tc.missing && (err != nil || src != FromJobs || len(states) == 0):
				t.Fatalf("JobStates = %v from %q, %v; want the states of the jobs", names(states), src, err)
			case !tc.missing && (err == nil || states != nil || current.Load() != 0):
				t.Fatalf("JobStates = %v from %q, %v after %d job reads; want the error and no fallback", names(states), src, err, current.Load())
			}
		})
	}
}

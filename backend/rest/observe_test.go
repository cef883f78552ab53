package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Every attempt is told to the observer: a 5xx and a dropped connection as
// unreachable with the retry that follows, a refusal Xero sent and a success
// as reachable, and the last attempt of a call that gives up without a retry.
func TestObserverSeesEveryAttempt(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(500, nil, `{"Title":"An error occurred"}`),
		status(502, nil, ``),
		status(429, map[string]string{"Retry-After": "0", "X-Rate-Limit-Problem": "minute"}, ``),
		status(200, nil, `{}`)}}
	var mu sync.Mutex
	var got []Attempt
	c := newTestClient(t, s, WithObserver(func(a Attempt) { mu.Lock(); got = append(got, a); mu.Unlock() }))
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &struct{}{}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d attempts observed, want 4: %+v", len(got), got)
	}
	for i, want := range []struct {
		unreachable bool
		retry       int
	}{{true, 1}, {true, 2}, {false, 3}, {false, 0}} {
		a := got[i]
		if (a.Err != nil) != want.unreachable || a.Retry != want.retry || a.Tenant != "t" || (a.Retry > 0) == a.RetryAt.IsZero() {
			t.Errorf("attempt %d: %+v, want unreachable %v retry %d", i+1, a, want.unreachable, want.retry)
		}
	}

	got = nil
	g := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, nil, "The Xero API is currently offline for maintenance")}}
	c = newTestClient(t, g, WithMaxRetries(1), WithObserver(func(a Attempt) { got = append(got, a) }))
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, nil); err == nil {
		t.Fatal("no error after the retries")
	}
	if len(got) != 2 || got[1].Err == nil || got[1].Retry != 0 {
		t.Fatalf("giving up: observed %+v, want the last attempt unreachable with no retry", got)
	}

	// A refused connection (a closed port) is unreachable.
	got = nil
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	c, err := New(srv.Client(), srv.URL, WithPacers(fastPacers()), WithMaxRetries(1), WithObserver(func(a Attempt) { got = append(got, a) }))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, nil); err == nil {
		t.Fatal("a closed port answered")
	}
	if len(got) != 2 || got[0].Err == nil || got[0].Retry != 1 || got[1].Err == nil || !Unreachable(got[1].Err) {
		t.Fatalf("closed port: observed %+v", got)
	}
}

// RetryNow ends a backoff wait at once.
func TestRetryNowEndsTheBackoff(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){hangUp, status(200, nil, `{}`)}}
	waiting := make(chan struct{}, 1)
	var c *Client
	// A minute of 10 hours: the first backoff is 10 minutes, longer than any test.
	p := NewPacers(WithMinute(10 * time.Hour))
	c = newTestClient(t, s, WithPacers(p), WithObserver(func(a Attempt) {
		if a.Retry > 0 {
			waiting <- struct{}{}
		}
	}))
	done := make(chan error, 1)
	go func() {
		_, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &struct{}{})
		done <- err
	}()
	<-waiting
	// The observer runs before the wait begins: a RetryNow just then must still end it.
	c.RetryNow()
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			return
		case <-time.After(50 * time.Millisecond):
			c.RetryNow()
		}
	}
}

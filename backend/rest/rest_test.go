package rest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fastPacers keep Xero's shape with "a minute" of 60 ms.
func fastPacers(opts ...PacerOption) *Pacers {
	return NewPacers(append([]PacerOption{WithMinute(60 * time.Millisecond)}, opts...)...)
}

// script answers the Nth request with steps[N] (the last one repeats).
type script struct {
	mu     sync.Mutex
	n      int
	steps  []func(w http.ResponseWriter, r *http.Request)
	seen   []*http.Request
	bodies []string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := min(s.n, len(s.steps)-1)
	s.n++
	s.seen = append(s.seen, r)
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	s.steps[i](w, r)
}

func (s *script) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func status(code int, headers map[string]string, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	_ = conn.Close()
}

func newTestClient(t *testing.T, h http.Handler, opts ...Option) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(srv.Client(), srv.URL, append([]Option{WithPacers(fastPacers())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCallJSONSendsXeroHeadersAndDecodes(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(200, map[string]string{"Content-Type": "application/json", "X-DayLimit-Remaining": "4990", "X-MinLimit-Remaining": "59"}, `{"Name":"ok"}`)}}
	c := newTestClient(t, s, WithVersion("1.2.3"))
	var out struct{ Name string }
	_, err := c.CallJSON(context.Background(), &Opts{Method: "POST", Path: "/api.xro/2.0/Contacts", Tenant: "tid",
		IdempotencyKey: "key-1"}, map[string]string{"Name": "in"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if out.Name != "ok" {
		t.Fatalf("decoded %+v", out)
	}
	r := s.seen[0]
	for k, want := range map[string]string{"xero-tenant-id": "tid", "Accept": "application/json", "User-Agent": "chase.md/1.2.3",
		"Idempotency-Key": "key-1", "Content-Type": "application/json"} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("header %s = %q, want %q", k, got, want)
		}
	}
	if r.URL.Path != "/api.xro/2.0/Contacts" || s.bodies[0] != `{"Name":"in"}` {
		t.Errorf("path %q body %q", r.URL.Path, s.bodies[0])
	}
	if st := c.Pacers().For("tid").Stats(); st.DayRemaining != 4990 || st.Calls != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestRetryAfterThenSuccess(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(429, map[string]string{"Retry-After": "0.03", "X-Rate-Limit-Problem": "minute"}, `{"Title":"Too Many Requests"}`),
		status(200, nil, `{}`)}}
	c := newTestClient(t, s)
	start := time.Now()
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &struct{}{}); err != nil {
		t.Fatal(err)
	}
	if s.calls() != 2 {
		t.Fatalf("%d attempts, want 2", s.calls())
	}
	st := c.Pacers().For("t").Stats()
	if st.Throttled != 1 || st.Retries != 1 {
		t.Fatalf("stats %+v", st)
	}
	// The retry went after the tenant's pause, which began at the 429.
	if until := c.Pacers().For("t").PausedUntil(); until.Before(start.Add(30 * time.Millisecond)) {
		t.Fatalf("paused until %v, want ≥ 30ms after %v", until, start)
	}
}

func TestServerErrorsBackOffThenSucceed(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(500, nil, `{"Title":"An error occurred"}`),
		status(503, nil, "The Xero API is currently offline for maintenance"),
		status(502, nil, ""),
		status(200, nil, `{"ok":true}`)}}
	c := newTestClient(t, s)
	var out struct{ OK bool }
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &out); err != nil || !out.OK {
		t.Fatalf("err %v out %+v", err, out)
	}
	if s.calls() != 4 {
		t.Fatalf("%d attempts, want 4", s.calls())
	}
}

// A precondition that stops holding between attempts (a claim lost while a
// laptop slept through the backoff) ends the call before the next send.
func TestPreconditionStopsRetries(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, nil, "offline"), status(200, nil, `{}`)}}
	c := newTestClient(t, s)
	lost := errors.New("claim lost")
	checks := 0
	ctx := WithPrecondition(context.Background(), func() error {
		if checks++; checks > 1 {
			return lost
		}
		return nil
	})
	if _, err := c.CallJSON(ctx, &Opts{Method: http.MethodPost, Path: "/x", Tenant: "t", IdempotencyKey: "k"}, nil, nil); !errors.Is(err, lost) {
		t.Fatalf("err %v, want the precondition's", err)
	}
	if s.calls() != 1 {
		t.Fatalf("%d requests sent, want 1 (none after the precondition failed)", s.calls())
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(500, nil, `{"Title":"An error occurred"}`)}}
	c := newTestClient(t, s, WithMaxRetries(2))
	_, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 500 || s.calls() != 3 {
		t.Fatalf("err %v after %d calls", err, s.calls())
	}
}

func TestDroppedConnection(t *testing.T) {
	t.Run("GET is retried", func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){hangUp, status(200, nil, `{}`)}}
		c := newTestClient(t, s)
		if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &struct{}{}); err != nil {
			t.Fatal(err)
		}
		if s.calls() != 2 {
			t.Fatalf("%d attempts", s.calls())
		}
	})
	t.Run("POST without Idempotency-Key is not", func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){hangUp, status(200, nil, `{}`)}}
		c := newTestClient(t, s)
		_, err := c.CallJSON(context.Background(), &Opts{Method: "POST", Path: "/x", Tenant: "t"}, map[string]int{"a": 1}, nil)
		if !errors.Is(err, ErrUnknownOutcome) {
			t.Fatalf("err %v, want ErrUnknownOutcome", err)
		}
		if s.calls() != 1 {
			t.Fatalf("%d attempts, want 1", s.calls())
		}
	})
	t.Run("POST with Idempotency-Key resends the same body", func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){hangUp, status(201, nil, `{}`)}}
		c := newTestClient(t, s)
		_, err := c.CallJSON(context.Background(), &Opts{Method: "POST", Path: "/x", Tenant: "t", IdempotencyKey: "k"}, map[string]int{"a": 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if s.calls() != 2 || s.bodies[0] != s.bodies[1] || s.seen[1].Header.Get("Idempotency-Key") != "k" {
			t.Fatalf("calls %d bodies %q", s.calls(), s.bodies)
		}
	})
	t.Run("truncated JSON on GET is retried", func(t *testing.T) {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(200, nil, `{"Contacts":[{"Na`), status(200, nil, `{"N":1}`)}}
		c := newTestClient(t, s)
		var out struct{ N int }
		if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &out); err != nil || out.N != 1 {
			t.Fatalf("err %v out %+v", err, out)
		}
	})
}

func TestDailyLimitIsFatalAndSticks(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(429, map[string]string{"Retry-After": "3600", "X-Rate-Limit-Problem": "day", "X-DayLimit-Remaining": "0"}, `{}`)}}
	c := newTestClient(t, s)
	ctx := WithPriority(context.Background(), Interactive)
	_, err := c.CallJSON(ctx, &Opts{Path: "/x", Tenant: "t"}, nil, nil)
	var dle *DailyLimitError
	if !errors.Is(err, ErrDailyLimit) || !errors.As(err, &dle) {
		t.Fatalf("err %v", err)
	}
	if d := time.Until(dle.Reset); d < 59*time.Minute || d > time.Hour {
		t.Fatalf("reset in %v, want about an hour", d)
	}
	// The next call fails without reaching Xero.
	if _, err := c.CallJSON(ctx, &Opts{Path: "/x", Tenant: "t"}, nil, nil); !errors.Is(err, ErrDailyLimit) || s.calls() != 1 {
		t.Fatalf("second call: %v after %d calls", err, s.calls())
	}
}

func TestAuthErrorsAreNotRetried(t *testing.T) {
	for _, tc := range []struct {
		code int
		body string
		want error
	}{
		{401, `{"Title":"Unauthorized","Detail":"TokenExpired"}`, ErrUnauthorized},
		{403, `{"title":"Forbidden","detail":"AuthenticationUnsuccessful"}`, ErrForbidden},
		{404, ``, ErrNotFound},
	} {
		s := &script{steps: []func(http.ResponseWriter, *http.Request){status(tc.code, nil, tc.body)}}
		c := newTestClient(t, s)
		_, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, nil)
		if !errors.Is(err, tc.want) || s.calls() != 1 {
			t.Errorf("%d: err %v after %d calls", tc.code, err, s.calls())
		}
	}
}

func TestValidationErrorIsTyped(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(400, map[string]string{"Content-Type": "application/json"}, `[{"type":"Validation","title":"Validation failure","detail":"Extension: boo is not a valid File extension."}]`)}}
	c := newTestClient(t, s)
	_, err := c.CallJSON(context.Background(), &Opts{Method: "POST", Path: "/files.xro/1.0/Files", Tenant: "t", IdempotencyKey: "k"}, nil, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Detail != "Extension: boo is not a valid File extension." || s.calls() != 1 {
		t.Fatalf("err %v after %d calls", err, s.calls())
	}
	if !strings.Contains(err.Error(), "boo is not a valid File extension") {
		t.Fatalf("message %q", err)
	}
}

func TestCancelDuringRetryAfter(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(429, map[string]string{"Retry-After": "3600", "X-Rate-Limit-Problem": "minute"}, `{}`)}}
	c := newTestClient(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.CallJSON(ctx, &Opts{Path: "/x", Tenant: "t"}, nil, nil)
		done <- err
	}()
	for c.Pacers().For("t").PausedUntil().IsZero() {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}

func TestCallStreamsBodyWithProgressAndHoldsTheSlot(t *testing.T) {
	var got atomic.Int64
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(201, nil, "raw answer")}}
	c := newTestClient(t, s)
	payload := bytes.Repeat([]byte("x"), 100_000)
	var last atomic.Int64
	resp, err := c.Call(context.Background(), &Opts{Method: "POST", Path: "/up", Tenant: "t", IdempotencyKey: "k",
		GetBody:     func() (io.Reader, error) { return bytes.NewReader(payload), nil },
		ContentType: "application/octet-stream", ContentLength: int64(len(payload)),
		Progress: func(sent int64) {
			if sent < last.Load() {
				t.Errorf("progress went back: %d after %d", sent, last.Load())
			}
			last.Store(sent)
			got.Add(1)
		}})
	if err != nil {
		t.Fatal(err)
	}
	p := c.Pacers().For("t")
	if p.inFlightNow() != 1 {
		t.Fatalf("slot released before the body was closed")
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	_ = resp.Body.Close() // twice is harmless
	if string(b) != "raw answer" || p.inFlightNow() != 0 {
		t.Fatalf("body %q, in flight %d", b, p.inFlightNow())
	}
	if last.Load() != int64(len(payload)) || got.Load() == 0 || len(s.bodies[0]) != len(payload) {
		t.Fatalf("progress ended at %d of %d", last.Load(), len(payload))
	}
}

func TestPlainBodyIsSentOnlyOnce(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){status(503, nil, "maintenance"), status(200, nil, "{}")}}
	c := newTestClient(t, s)
	_, err := c.CallJSON(context.Background(), &Opts{Method: "PUT", Path: "/x", Tenant: "t", Body: strings.NewReader("once")}, nil, nil)
	if err == nil || s.calls() != 1 {
		t.Fatalf("err %v after %d calls: a one-shot body must not be resent", err, s.calls())
	}
}

func TestNewRejectsRelativeBase(t *testing.T) {
	if _, err := New(nil, "/api"); err == nil {
		t.Fatal("want error")
	}
}

func TestHungAttemptTimesOutAndIsRetried(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }, // never answers
		status(200, nil, `{"N":2}`)}}
	c := newTestClient(t, s, WithAttemptTimeout(50*time.Millisecond))
	var out struct{ N int }
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "t"}, nil, &out); err != nil || out.N != 2 {
		t.Fatalf("err %v out %+v", err, out)
	}
	if s.calls() != 2 || c.Pacers().For("t").inFlightNow() != 0 {
		t.Fatalf("%d calls, %d in flight", s.calls(), c.Pacers().For("t").inFlightNow())
	}
}

func TestAppMinuteLimitPausesEveryTenant(t *testing.T) {
	s := &script{steps: []func(http.ResponseWriter, *http.Request){
		status(429, map[string]string{"Retry-After": "0.05", "X-Rate-Limit-Problem": "appminute"}, `{}`),
		status(200, nil, `{}`)}}
	c := newTestClient(t, s)
	other := c.Pacers().For("b")
	if _, err := c.CallJSON(context.Background(), &Opts{Path: "/x", Tenant: "a"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if other.PausedUntil().IsZero() || c.Pacers().For("new").PausedUntil().IsZero() {
		t.Fatal("an app-wide 429 should pause every tenant, existing and new")
	}
}

package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

func response(status int, header map[string]string, body string) *http.Response {
	h := http.Header{}
	for k, v := range header {
		h.Set(k, v)
	}
	u, _ := url.Parse("https://api.xero.com/api.xro/2.0/Contacts")
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body)),
		Request: &http.Request{Method: http.MethodGet, URL: u, Header: http.Header{}}}
}

func request(method, idemKey string) *http.Request {
	u, _ := url.Parse("https://api.xero.com/files.xro/1.0/Files")
	r := &http.Request{Method: method, URL: u, Header: http.Header{}}
	if idemKey != "" {
		r.Header.Set("Idempotency-Key", idemKey)
	}
	return r
}

func TestShouldRetry(t *testing.T) {
	const offline = 5 * time.Minute
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	cases := []struct {
		name      string
		req       *http.Request
		resp      *http.Response
		err       error
		retry     bool
		wait      time.Duration
		is        []error
		notIs     []error
		wantTitle string
	}{
		{name: "200", req: request("GET", ""), resp: response(200, nil, "{}")},
		{name: "304 is not an error", req: request("GET", ""), resp: response(304, nil, "")},
		{name: "429 minute honours Retry-After exactly", req: request("GET", ""),
			resp:  response(429, map[string]string{"Retry-After": "37", "X-Rate-Limit-Problem": "minute"}, `{"Title":"Too Many Requests"}`),
			retry: true, wait: 37 * time.Second},
		{name: "429 on POST without key still retries (never processed)", req: request("POST", ""),
			resp:  response(429, map[string]string{"Retry-After": "2"}, ""),
			retry: true, wait: 2 * time.Second},
		{name: "429 without Retry-After backs off", req: request("GET", ""),
			resp: response(429, map[string]string{"X-Rate-Limit-Problem": "minute"}, ""), retry: true},
		{name: "429 day is fatal", req: request("GET", ""),
			resp: response(429, map[string]string{"Retry-After": "3600", "X-Rate-Limit-Problem": "day"}, "")},
		{name: "500 GET backs off", req: request("GET", ""), resp: response(500, nil, `{"Title":"An error occurred"}`), retry: true,
			wantTitle: "An error occurred"},
		{name: "502 GET", req: request("GET", ""), resp: response(502, nil, ""), retry: true},
		{name: "504 PUT", req: request("PUT", ""), resp: response(504, nil, ""), retry: true},
		{name: "500 POST with key retries", req: request("POST", "k1"), resp: response(500, nil, ""), retry: true},
		{name: "500 POST without key: unknown outcome", req: request("POST", ""), resp: response(500, nil, ""),
			is: []error{ErrUnknownOutcome}},
		{name: "503 maintenance backs off", req: request("GET", ""),
			resp: response(503, nil, "The Xero API is currently offline for maintenance"), retry: true},
		{name: "503 organisation offline without Retry-After waits the offline time", req: request("GET", ""),
			resp: response(503, nil, "Organisation is offline"), retry: true, wait: offline},
		{name: "503 with a long Retry-After is offline", req: request("GET", ""),
			resp: response(503, map[string]string{"Retry-After": "300"}, ""), retry: true, wait: 300 * time.Second},
		{name: "503 old-style rate limit", req: request("GET", ""),
			resp: response(503, map[string]string{"Retry-After": "5"}, "oauth_problem=rate%20limit%20exceeded"), retry: true, wait: 5 * time.Second},
		{name: "401", req: request("GET", ""), resp: response(401, nil, `{"Title":"Unauthorized"}`), is: []error{ErrUnauthorized}},
		{name: "403 AuthenticationUnsuccessful", req: request("GET", ""),
			resp: response(403, nil, `{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful"}`),
			is:   []error{ErrForbidden}, notIs: []error{ErrUnauthorized}, wantTitle: "Forbidden"},
		{name: "400 never retries", req: request("POST", "k"), resp: response(400, nil, `[{"type":"Validation","title":"Validation failure","detail":"Extension: boo is not a valid File extension."}]`),
			wantTitle: "Validation failure"},
		{name: "409 with Idempotency-Key: first attempt still running", req: request("POST", "k"), resp: response(409, nil, ""), retry: true},
		{name: "409 without key", req: request("POST", ""), resp: response(409, nil, "")},
		{name: "404", req: request("GET", ""), resp: response(404, nil, ""), is: []error{ErrNotFound}},
		{name: "reset GET retries", req: request("GET", ""), err: &url.Error{Op: "Get", URL: "x", Err: reset}, retry: true},
		{name: "EOF GET retries", req: request("GET", ""), err: &url.Error{Op: "Get", URL: "x", Err: io.EOF}, retry: true},
		{name: "EOF POST with key retries", req: request("POST", "k"), err: &url.Error{Op: "Post", URL: "x", Err: io.ErrUnexpectedEOF}, retry: true},
		{name: "EOF POST without key: unknown outcome", req: request("POST", ""), err: &url.Error{Op: "Post", URL: "x", Err: io.EOF},
			is: []error{ErrUnknownOutcome, io.EOF}},
		{name: "non-network error (token refresh) is fatal", req: request("GET", ""), err: &url.Error{Op: "Get", URL: "x", Err: errors.New("oauth2: invalid_grant")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := shouldRetry(context.Background(), tc.req, tc.resp, tc.err, offline)
			if got.retry != tc.retry {
				t.Errorf("retry = %v, want %v (err %v)", got.retry, tc.retry, got.err)
			}
			if got.wait != tc.wait {
				t.Errorf("wait = %v, want %v", got.wait, tc.wait)
			}
			ok := tc.resp != nil && (tc.resp.StatusCode < 300 || tc.resp.StatusCode == 304)
			if ok != (got.err == nil) {
				t.Errorf("err = %v, want error: %v", got.err, !ok)
			}
			for _, target := range tc.is {
				if !errors.Is(got.err, target) {
					t.Errorf("errors.Is(%v, %v) = false", got.err, target)
				}
			}
			for _, target := range tc.notIs {
				if errors.Is(got.err, target) {
					t.Errorf("errors.Is(%v, %v) = true", got.err, target)
				}
			}
			if tc.wantTitle != "" {
				var ae *APIError
				if !errors.As(got.err, &ae) || ae.Title != tc.wantTitle {
					t.Errorf("APIError title: got %+v, want %q", ae, tc.wantTitle)
				}
			}
		})
	}
}

func TestShouldRetryStopsWhenContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got := shouldRetry(ctx, request("GET", ""), response(500, nil, ""), nil, time.Minute)
	if got.retry || !errors.Is(got.err, context.Canceled) {
		t.Fatalf("got %+v, want context.Canceled and no retry", got)
	}
}

func TestAPIErrorBodies(t *testing.T) {
	cases := []struct {
		name, body, title, detail, message string
		validation                         []string
	}{
		{name: "files array", body: `[{"type":"Validation","title":"Validation failure","detail":"Extension: boo is not a valid File extension."}]`,
			title: "Validation failure", detail: "Extension: boo is not a valid File extension."},
		{name: "accounting validation", body: `{"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
			"Elements":[{"ValidationErrors":[{"Message":"The contact name must be unique"},{"Message":"Email is invalid"}]}]}`,
			title: "ValidationException", message: "A validation exception occurred",
			validation: []string{"The contact name must be unique", "Email is invalid"}},
		{name: "problem lower case", body: `{"title":"Forbidden","status":403,"detail":"AuthenticationUnsuccessful","instance":"x"}`,
			title: "Forbidden", detail: "AuthenticationUnsuccessful"},
		{name: "problem upper case", body: `{"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 01/01/2020"}`,
			title: "Unauthorized", detail: "TokenExpired: token expired at 01/01/2020"},
		{name: "plain text", body: "The Xero API is currently offline for maintenance", detail: "The Xero API is currently offline for maintenance"},
		{name: "html", body: "<html><body>Bad gateway</body></html>"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newAPIError(response(400, nil, tc.body))
			if e.Title != tc.title || e.Detail != tc.detail || e.Message != tc.message ||
				fmt.Sprint(e.Validation) != fmt.Sprint(tc.validation) {
				t.Errorf("got title %q detail %q message %q validation %q", e.Title, e.Detail, e.Message, e.Validation)
			}
			if string(e.Body) != tc.body {
				t.Errorf("body not kept: %q", e.Body)
			}
			msg := e.Error()
			if !strings.HasPrefix(msg, "GET /api.xro/2.0/Contacts: 400 Bad Request") {
				t.Errorf("Error() = %q", msg)
			}
			for _, want := range append([]string{tc.detail}, tc.validation...) {
				if !strings.Contains(msg, want) {
					t.Errorf("Error() = %q, want it to mention %q", msg, want)
				}
			}
		})
	}
}

func TestAPIErrorTruncatesBody(t *testing.T) {
	e := newAPIError(response(500, nil, strings.Repeat("x", 100_000)))
	if len(e.Body) != maxErrorBody {
		t.Fatalf("kept %d bytes, want %d", len(e.Body), maxErrorBody)
	}
}

func TestBackoff(t *testing.T) {
	const base, maxWait = time.Second, 30 * time.Second
	cases := []struct {
		n        int
		rnd      float64
		min, max time.Duration
	}{
		{1, 0, 500 * time.Millisecond, 500 * time.Millisecond},
		{1, 0.999999, 500 * time.Millisecond, time.Second},
		{2, 0, time.Second, time.Second},
		{3, 0.5, 3 * time.Second, 3 * time.Second},
		{5, 0.999999, 8 * time.Second, 16 * time.Second},
		{6, 0, 15 * time.Second, 15 * time.Second}, // 32 s capped at 30
		{6, 0.999999, 15 * time.Second, 30 * time.Second},
		{40, 0.5, 22500 * time.Millisecond, 22500 * time.Millisecond}, // no overflow
		{0, 0, 500 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, tc := range cases {
		got := backoff(tc.n, base, maxWait, tc.rnd)
		if got < tc.min || got > tc.max {
			t.Errorf("backoff(%d, rnd %.2f) = %v, want in [%v, %v]", tc.n, tc.rnd, got, tc.min, tc.max)
		}
	}
	// Grows until the cap, never exceeds it, whatever the jitter.
	prevLow := time.Duration(0)
	for n := 1; n <= 12; n++ {
		lo, hi := backoff(n, base, maxWait, 0), backoff(n, base, maxWait, 0.999999)
		if lo < prevLow || hi > maxWait || lo > hi {
			t.Errorf("n=%d: [%v,%v] after low %v", n, lo, hi, prevLow)
		}
		prevLow = lo
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"60", time.Minute, true},
		{" 1 ", time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-3", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseRetryAfter(tc.in, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestRetryAfterWinsOverBackoff(t *testing.T) {
	const base, maxWait = time.Second, 30 * time.Second
	cases := []struct {
		name       string
		cls        retryClass
		n          int
		min, max   time.Duration
		tenantWide bool
	}{
		{"Retry-After shorter than the backoff", retryClass{retry: true, wait: 2 * time.Second}, 6, 2 * time.Second, 2 * time.Second, true},
		{"Retry-After longer than the backoff cap", retryClass{retry: true, wait: 5 * time.Minute}, 1, 5 * time.Minute, 5 * time.Minute, true},
		{"no Retry-After: backoff 1", retryClass{retry: true}, 1, 500 * time.Millisecond, time.Second, false},
		{"no Retry-After: backoff 4", retryClass{retry: true}, 4, 4 * time.Second, 8 * time.Second, false},
		{"no Retry-After: capped", retryClass{retry: true}, 20, 15 * time.Second, 30 * time.Second, false},
	}
	for _, tc := range cases {
		for _, rnd := range []float64{0, 0.5, 0.999999} {
			got, wide := retryWait(tc.cls, tc.n, base, maxWait, rnd)
			if got < tc.min || got > tc.max || wide != tc.tenantWide {
				t.Errorf("%s (rnd %.1f): %v tenant-wide %v, want [%v,%v] %v", tc.name, rnd, got, wide, tc.min, tc.max, tc.tenantWide)
			}
		}
	}
}

// Xero's answer to a call without its scope is a 401 like an expired
// token's, told apart by its detail: it is ErrPermission, never
// ErrUnauthorized (which makes callers refresh or sign out).
func TestMissingScopeIsPermissionNotUnauthorized(t *testing.T) {
	for _, c := range []struct {
		body       string
		permission bool
	}{
		{`{"Type":null,"Title":"Unauthorized","Status":401,"Detail":"AuthorizationUnsuccessful","Instance":"x","Extensions":{}}`, true},
		{`{"Title":"Unauthorized","Status":401,"Detail":"AuthenticationUnsuccessful"}`, false},
		{``, false},
	} {
		e := &APIError{Status: http.StatusUnauthorized}
		parseErrorBody(e, []byte(c.body))
		if errors.Is(e, ErrPermission) != c.permission || errors.Is(e, ErrUnauthorized) == c.permission {
			t.Errorf("%s: permission %v, unauthorized %v", c.body, errors.Is(e, ErrPermission), errors.Is(e, ErrUnauthorized))
		}
	}
}

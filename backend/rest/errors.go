package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var (
	// ErrUnauthorized is a 401 for the token itself (bad or expired): the
	// auth layer refreshes or asks the user to sign in again. A missing
	// permission's 401 is ErrPermissionMissing instead, never this.
	ErrUnauthorized = errors.New("xero refused the access token")
	// ErrPermissionMissing is Xero's 401 AuthorizationUnsuccessful: the token
	// is good but lacks the scope the call needs. Refreshing cannot help (the
	// new token has the same scopes); signing in again asking for it can.
	// The error is a *PermissionError naming the scope.
	ErrPermissionMissing = errors.New("xero: the sign-in lacks a permission this call needs")
	// ErrForbidden is a 403: the tenant is not connected.
	ErrForbidden = errors.New("xero refused access to this organisation")
	// ErrUnknownOutcome is a non-idempotent request (a POST without an
	// Idempotency-Key) whose answer was lost: it may or may not have happened,
	// so it is not repeated blindly.
	ErrUnknownOutcome = errors.New("request outcome unknown (connection lost after sending)")
	// ErrNotFound is a 404.
	ErrNotFound = errors.New("not found")
)

// maxErrorBody is how much of an error body is kept.
const maxErrorBody = 4 << 10

// APIError is a non-2xx answer from Xero.
type APIError struct {
	Method, Path     string // the request, without query or host
	Status           int
	Title            string // "Validation failure", "Forbidden", "Too Many Requests"
	Detail           string // Xero's detail: "Extension: boo is not a valid File extension."
	Message          string // Accounting API's Message
	Validation       []string
	RateLimitProblem string        // X-Rate-Limit-Problem: minute, day, appminute, concurrent
	RetryAfter       time.Duration // Retry-After, if sent
	Body             []byte        // the body, truncated
}

var _ error = (*APIError)(nil)

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.Status)
	if t := http.StatusText(e.Status); t != "" {
		b.WriteString(" " + t)
	}
	seen := map[string]bool{http.StatusText(e.Status): true}
	for _, s := range append([]string{e.Title, e.Message, e.Detail}, e.Validation...) {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			b.WriteString(": " + s)
		}
	}
	if e.RateLimitProblem != "" {
		b.WriteString(" (rate limit: " + e.RateLimitProblem + ")")
	}
	return b.String()
}

// Is lets callers match classes of errors with errors.Is.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized && !e.permissionMissing()
	case ErrPermissionMissing:
		return e.permissionMissing()
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	}
	return false
}

// permissionMissing is Xero's answer to a token without the call's scope:
// 401 with Detail "AuthorizationUnsuccessful" (an expired or bad token's 401
// says TokenExpired or AuthenticationUnsuccessful and carries WWW-Authenticate).
func (e *APIError) permissionMissing() bool {
	return e.Status == http.StatusUnauthorized && strings.EqualFold(e.Detail, "AuthorizationUnsuccessful")
}

// PermissionError is a call refused because the sign-in lacks Scope, the
// permission (OAuth scope) chase.md asks for that covers the call.
type PermissionError struct {
	Scope string // "files", "accounting.contacts", "practicemanager.job.read" …
	Err   *APIError
}

var _ error = (*PermissionError)(nil)

func (e *PermissionError) Error() string {
	return fmt.Sprintf("xero: permission %q missing: %v", e.Scope, e.Err)
}

func (e *PermissionError) Unwrap() error { return e.Err }

// Label names the permission as Xero's consent page shows it.
func (e *PermissionError) Label() string {
	switch {
	case e.Scope == "files":
		return "Files"
	case strings.HasPrefix(e.Scope, "accounting.contacts"):
		return "Contacts"
	case strings.HasPrefix(e.Scope, "practicemanager.job"):
		return "Practice Manager jobs"
	case strings.HasPrefix(e.Scope, "practicemanager.client"):
		return "Practice Manager clients"
	case e.Scope == "":
		return "this part of Xero"
	}
	return e.Scope
}

// ScopeFor is the scope chase.md asks for that covers method on path (a path
// below Xero's API host), "" for a path it does not know.
func ScopeFor(method, path string) string {
	p := strings.ToLower(path)
	switch {
	case strings.Contains(p, "/files.xro/"):
		return "files"
	case strings.Contains(p, "/api.xro/"):
		return "accounting.contacts"
	case strings.Contains(p, "/practicemanager/"):
		area := "job"
		if strings.Contains(p, "/client.api/") {
			area = "client"
		}
		if method == http.MethodGet {
			return "practicemanager." + area + ".read"
		}
		return "practicemanager." + area
	}
	return ""
}

// newAPIError reads (at most maxErrorBody of) resp's body and makes sense of
// the shapes Xero uses: problem JSON in either case, the Accounting API's
// ErrorNumber/Elements body, the Files API's array, and plain text.
func newAPIError(resp *http.Response) *APIError {
	e := &APIError{Status: resp.StatusCode, RateLimitProblem: resp.Header.Get("X-Rate-Limit-Problem")}
	if resp.Request != nil {
		e.Method, e.Path = resp.Request.Method, resp.Request.URL.Path
	}
	e.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	if resp.Body != nil {
		e.Body, _ = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	}
	parseErrorBody(e, e.Body)
	return e
}

func parseErrorBody(e *APIError, body []byte) {
	body = []byte(strings.TrimSpace(string(body)))
	if len(body) == 0 {
		return
	}
	switch body[0] {
	case '[': // Files: [{"type":"Validation","title":"Validation failure","detail":"..."}]
		var arr []struct{ Type, Title, Detail string }
		if json.Unmarshal(body, &arr) == nil && len(arr) > 0 {
			e.Title = arr[0].Title
			e.Detail = arr[0].Detail
			for _, a := range arr[1:] {
				e.Validation = append(e.Validation, a.Detail)
			}
		}
	case '{':
		// encoding/json matches keys case-insensitively, so "title" and "Title" both land here.
		var o struct {
			Title, Detail, Message, Type string
			Elements                     []struct {
				ValidationErrors []struct{ Message string }
			}
		}
		if json.Unmarshal(body, &o) == nil {
			e.Title, e.Detail, e.Message = o.Title, o.Detail, o.Message
			if e.Title == "" {
				e.Title = o.Type
			}
			for _, el := range o.Elements {
				for _, v := range el.ValidationErrors {
					e.Validation = append(e.Validation, v.Message)
				}
			}
		}
	case '<': // HTML or XML: keep only the body
	default:
		if len(body) <= 200 {
			e.Detail = string(body)
		}
	}
}

// parseRetryAfter reads seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// retryClass says what to do after an attempt.
type retryClass struct {
	retry bool
	// wait > 0 is the server's own pause (Retry-After, organisation offline):
	// it applies to the whole tenant and overrides backoff. wait == 0 with
	// retry means exponential backoff.
	wait time.Duration
	err  error
}

// idempotent says whether req may be repeated when its outcome is unknown.
func idempotent(req *http.Request) bool {
	if req == nil {
		return false
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return req.Header.Get("Idempotency-Key") != ""
}

// shouldRetry classifies one attempt in one place: the transport error or the
// non-2xx response (whose body it consumes into an *APIError). offlineWait
// is how long an organisation-offline 503 pauses the tenant when Xero gives
// no Retry-After.
func shouldRetry(ctx context.Context, req *http.Request, resp *http.Response, err error, offlineWait time.Duration) retryClass {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return retryClass{err: ctxErr}
	}
	if err != nil {
		if !isConnectionError(err) {
			return retryClass{err: err}
		}
		if !idempotent(req) {
			return retryClass{err: fmt.Errorf("%w: %w", ErrUnknownOutcome, err)}
		}
		return retryClass{retry: true, err: err}
	}
	if resp.StatusCode < 300 || resp.StatusCode == http.StatusNotModified {
		return retryClass{}
	}
	apiErr := newAPIError(resp)
	switch s := resp.StatusCode; {
	case apiErr.permissionMissing():
		pe := &PermissionError{Err: apiErr}
		if req != nil {
			pe.Scope = ScopeFor(req.Method, req.URL.Path)
		}
		return retryClass{err: pe}
	case s == http.StatusTooManyRequests:
		if strings.Contains(strings.ToLower(apiErr.RateLimitProblem), "day") {
			return retryClass{err: apiErr} // the caller turns it into *DailyLimitError
		}
		return retryClass{retry: true, wait: apiErr.RetryAfter, err: apiErr}
	case s == http.StatusServiceUnavailable:
		body := strings.ToLower(string(apiErr.Body))
		switch {
		case strings.Contains(body, "rate limit") || strings.Contains(body, "oauth_problem"):
			// The older docs' rate limit: honour Retry-After, else back off.
			return retryClass{retry: true, wait: apiErr.RetryAfter, err: apiErr}
		case strings.Contains(body, "organisation is offline") || strings.Contains(body, "organisation offline") ||
			strings.Contains(body, "organization is offline") || apiErr.RetryAfter >= time.Minute:
			wait := apiErr.RetryAfter
			if wait == 0 {
				wait = offlineWait
			}
			return retryClass{retry: true, wait: wait, err: apiErr}
		}
		// Maintenance: the request was refused before any work, so any method may retry.
		return retryClass{retry: true, wait: apiErr.RetryAfter, err: apiErr}
	case s == http.StatusConflict && req != nil && req.Header.Get("Idempotency-Key") != "":
		// The first request with this key is still being processed: ask again shortly for its result.
		return retryClass{retry: true, err: apiErr}
	case s == http.StatusInternalServerError || s == http.StatusBadGateway || s == http.StatusGatewayTimeout:
		if !idempotent(req) {
			return retryClass{err: fmt.Errorf("%w: %w", ErrUnknownOutcome, apiErr)}
		}
		return retryClass{retry: true, err: apiErr}
	}
	return retryClass{err: apiErr}
}

// isConnectionError is a failure of the connection rather than of anything
// Xero said: reset, refused, EOF, timeout.
func isConnectionError(err error) bool {
	// *url.Error is itself a net.Error: judge what it wraps (an oauth2
	// refresh failure arrives wrapped in one too).
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded): // the attempt's own deadline (the caller's was checked first)
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

// backoff is the wait before retry n (1-based): base·2^(n-1), capped, with
// "equal jitter" (between half and all of it) so that clients that failed
// together do not retry together. rnd is in [0,1).
func backoff(n int, base, maxWait time.Duration, rnd float64) time.Duration {
	if n < 1 {
		n = 1
	}
	d := maxWait
	if n <= 30 {
		if e := base << (n - 1); e > 0 && e < maxWait {
			d = e
		}
	}
	return d/2 + time.Duration(rnd*float64(d/2))
}

func jitter() float64 { return rand.Float64() }

// Unreachable reports whether err means Xero could not be reached or could
// not answer: a dropped, refused or timed-out connection, a 5xx other than a
// rate limit, or a garbled answer. A refusal Xero sent (4xx, 429) is not.
func Unreachable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		body := strings.ToLower(string(apiErr.Body))
		return apiErr.Status >= 500 && !strings.Contains(body, "rate limit") && !strings.Contains(body, "oauth_problem")
	}
	var de *decodeError
	if errors.As(err, &de) {
		return true
	}
	return isConnectionError(err)
}

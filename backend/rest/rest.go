// Package rest is the HTTP core shared by chase.md's Xero clients: requests
// with the tenant header, JSON helpers, typed errors classified in one place
// (shouldRetry), and a pacer per tenant that keeps to Xero's limits.
//
// The split follows rclone: this file does transport (Opts, Call, CallJSON,
// drain-and-close), errors.go decides what a failure means, pacer.go decides
// when a call may go.
package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Opts describe one request.
type Opts struct {
	Method string     // default GET
	Path   string     // escaped, below the client's base URL, e.g. "/api.xro/2.0/Contacts"; url.PathEscape the segments
	Query  url.Values // optional
	Header http.Header
	Tenant string // xero-tenant-id; also picks the pacer ("" = no tenant header, no per-tenant pacing)

	// Body is sent as is. For a request that may be retried, set GetBody
	// instead (or as well): it is called for every attempt.
	Body          io.Reader
	GetBody       func() (io.Reader, error)
	ContentType   string
	ContentLength int64 // > 0 when known

	Accept         string // default application/json
	IdempotencyKey string // Idempotency-Key; makes a POST safe to retry

	// Progress, if set, is told how many body bytes have been sent so far
	// (from 0 again if the request is retried).
	Progress func(sent int64)
}

// Option configures a Client.
type Option func(*Client)

// WithPacers shares a pacer registry (one per app, so every client of a
// tenant shares its budget). Default: a registry of the client's own.
func WithPacers(p *Pacers) Option { return func(c *Client) { c.pacers = p } }

// WithUserAgent sets the User-Agent (default "chase.md/dev").
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithVersion sets the User-Agent to "chase.md/<version>".
func WithVersion(v string) Option { return func(c *Client) { c.userAgent = "chase.md/" + v } }

// WithAttemptTimeout bounds each attempt, response body included (default
// 5 minutes, enough for 10 MB on a slow line; 0 = none).
func WithAttemptTimeout(d time.Duration) Option { return func(c *Client) { c.attemptTimeout = d } }

// WithMaxRetries bounds the attempts after the first (default 10).
func WithMaxRetries(n int) Option { return func(c *Client) { c.maxRetries = n } }

// WithObserver has every attempt's outcome told to f (the connection's
// state in backend/core): whether Xero answered, and when the next retry goes.
// f runs on the caller's goroutine: keep it quick.
func WithObserver(f func(Attempt)) Option { return func(c *Client) { c.observe = f } }

// Attempt is the outcome of one try of a call, for whoever shows the
// connection's health; it carries no request data beyond the tenant.
type Attempt struct {
	Tenant string
	// Err is why Xero could not be reached: a dropped or refused connection,
	// a 5xx or a garbled answer. Nil means Xero answered (a refusal included).
	Err error
	// Retry is the number of the retry that follows (1-based) and RetryAt
	// when it goes; 0 and zero when the call ends here.
	Retry   int
	RetryAt time.Time
	// DailyReset is set when Xero's daily limit for the tenant is spent, until then.
	DailyReset time.Time
}

// Client sends requests to one API host. It is safe for concurrent use.
type Client struct {
	http           *http.Client
	base           *url.URL
	pacers         *Pacers
	userAgent      string
	maxRetries     int
	attemptTimeout time.Duration
	observe        func(Attempt)

	wakeMu sync.Mutex
	wake   chan struct{} // closed by RetryNow: calls waiting to retry go at once
}

// RetryNow ends the backoff wait of every call waiting to retry after a
// failure ("Retry now"); waits Xero asked for (Retry-After) still hold.
func (c *Client) RetryNow() {
	c.wakeMu.Lock()
	defer c.wakeMu.Unlock()
	if c.wake != nil {
		close(c.wake)
	}
	c.wake = make(chan struct{})
}

func (c *Client) woken() <-chan struct{} {
	c.wakeMu.Lock()
	defer c.wakeMu.Unlock()
	if c.wake == nil {
		c.wake = make(chan struct{})
	}
	return c.wake
}

func (c *Client) report(a Attempt) {
	if c.observe != nil {
		c.observe(a)
	}
}

// New makes a client for baseURL. httpClient must add the Bearer token
// itself (oauth2.NewClient, or a transport from backend/auth).
func New(httpClient *http.Client, baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("rest: base URL %q is not an absolute URL", baseURL)
	}
	if httpClient == nil {
		httpClient = http.DefaultClient
	}
	c := &Client{http: httpClient, base: u, userAgent: "chase.md/dev", maxRetries: 10, attemptTimeout: 5 * time.Minute}
	for _, o := range opts {
		o(c)
	}
	if c.pacers == nil {
		c.pacers = NewPacers()
	}
	return c, nil
}

// Pacers is the client's pacer registry.
func (c *Client) Pacers() *Pacers { return c.pacers }

// Call sends the request, pacing and retrying as the tenant's limits and
// Xero's answers require, and returns a 2xx response whose body the caller
// must close. Any other outcome is an error (an *APIError for Xero's answers).
func (c *Client) Call(ctx context.Context, opts *Opts) (*http.Response, error) {
	var out *http.Response
	err := c.do(ctx, opts, func(resp *http.Response) error {
		out = resp
		return errKeepBody
	})
	return out, err
}

// CallJSON sends in (if not nil) as JSON and decodes a 2xx answer into out
// (if not nil; left alone on 204 and 304). A body that fails to decode is
// retried like a dropped connection (only if the request is idempotent). The
// response is returned, body closed, for its status and headers.
func (c *Client) CallJSON(ctx context.Context, opts *Opts, in, out any) (*http.Response, error) {
	o := *opts
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("rest: encode %s: %w", o.Path, err)
		}
		o.GetBody = func() (io.Reader, error) { return bytes.NewReader(b), nil }
		o.ContentType, o.ContentLength = "application/json", int64(len(b))
	}
	var got *http.Response
	err := c.do(ctx, &o, func(resp *http.Response) error {
		got = resp
		if out == nil || resp.StatusCode == http.StatusNotModified || resp.StatusCode == http.StatusNoContent {
			return nil
		}
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return &decodeError{err: err, contentType: resp.Header.Get("Content-Type")}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return got, nil
}

// errKeepBody tells do to hand the open body to the caller.
var errKeepBody = errors.New("keep body")

// decodeError is a 2xx whose body could not be read as expected: a truncated
// or garbled answer, retried like a dropped connection.
type decodeError struct {
	err         error
	contentType string
}

func (e *decodeError) Error() string {
	return fmt.Sprintf("malformed response (%s): %v", e.contentType, e.err)
}
func (e *decodeError) Unwrap() error { return e.err }

func (c *Client) do(ctx context.Context, opts *Opts, handle func(*http.Response) error) error {
	var pacer *Pacer
	if opts.Tenant != "" {
		pacer = c.pacers.For(opts.Tenant)
	}
	prio := PriorityOf(ctx)
	minute := c.pacers.Minute()
	offlineWait := 5 * minute
	backoffBase, backoffMax := minute/60, minute/2
	// A plain Body can be sent once only: a second attempt would send what is left of it.
	oneShot := opts.GetBody == nil && opts.Body != nil
	var lastErr error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if attempt > c.maxRetries || oneShot {
				return fmt.Errorf("gave up after %d attempts: %w", attempt, lastErr)
			}
			if pacer != nil {
				pacer.retried()
			}
		}
		release, answered := func() {}, func() {}
		if pacer != nil {
			t, err := pacer.acquire(ctx, prio)
			if err != nil {
				if lastErr != nil && ctx.Err() != nil {
					return fmt.Errorf("%w (last error: %v)", err, lastErr)
				}
				return err
			}
			release, answered = t.done, t.answered
		}
		// Each attempt has its own deadline, so a connection that hangs gives
		// back its in-flight slot and is retried like a dropped one.
		actx, cancel := ctx, context.CancelFunc(func() {})
		if c.attemptTimeout > 0 {
			actx, cancel = context.WithTimeout(ctx, c.attemptTimeout)
		}
		release = chain(release, cancel)
		// Checked after the wait for a slot, right before sending.
		if err := checkPrecondition(ctx); err != nil {
			release()
			return err
		}
		req, err := c.newRequest(actx, opts)
		if err != nil {
			release()
			return err
		}
		resp, err := c.http.Do(req)
		answered() // Xero counted the call, if it did, before now
		if resp != nil && pacer != nil {
			pacer.Observe(resp.Header)
		}
		cls := shouldRetry(ctx, req, resp, err, offlineWait)
		if err == nil && cls.err == nil {
			herr := handle(resp)
			if herr == errKeepBody {
				resp.Body = &releasingBody{ReadCloser: resp.Body, release: release}
				return nil
			}
			drainAndClose(resp.Body)
			release()
			var de *decodeError
			if herr == nil || !errors.As(herr, &de) {
				c.report(Attempt{Tenant: opts.Tenant})
				return herr
			}
			// A garbled answer: the request happened; repeat only what is safe to repeat.
			if !idempotent(req) {
				return fmt.Errorf("%w: %w", ErrUnknownOutcome, herr)
			}
			cls = retryClass{retry: true, err: herr}
		} else {
			if resp != nil {
				drainAndClose(resp.Body)
			}
			release()
		}
		lastErr = cls.err
		var apiErr *APIError
		if errors.As(cls.err, &apiErr) && apiErr.Status == http.StatusTooManyRequests && pacer != nil {
			pacer.throttled()
			switch problem := strings.ToLower(apiErr.RateLimitProblem); {
			case strings.Contains(problem, "day"): // "day" (Xero also documents it as "daily")
				reset := c.pacers.now().Add(apiErr.RetryAfter)
				pacer.DayExhausted(reset)
				c.report(Attempt{Tenant: opts.Tenant, DailyReset: reset})
				return &DailyLimitError{Tenant: opts.Tenant, Reset: reset}
			case strings.Contains(problem, "app") && apiErr.RetryAfter > 0:
				// The app-wide minute is shared by every tenant (and every copy of chase.md): all of them wait.
				c.pacers.PauseAll(apiErr.RetryAfter)
			}
		}
		var unreachable error
		if Unreachable(cls.err) {
			unreachable = cls.err
		}
		if !cls.retry || attempt+1 > c.maxRetries || oneShot {
			if ctx.Err() == nil {
				c.report(Attempt{Tenant: opts.Tenant, Err: unreachable})
			}
			if !cls.retry {
				return cls.err
			}
			continue // the top of the loop gives up
		}
		wait, tenantWide := retryWait(cls, attempt+1, backoffBase, backoffMax, jitter())
		c.report(Attempt{Tenant: opts.Tenant, Err: unreachable, Retry: attempt + 1, RetryAt: c.pacers.now().Add(wait)})
		if tenantWide && pacer != nil {
			pacer.Pause(wait) // Acquire waits it out, with every other call of the tenant
			continue
		}
		if err := sleep(ctx, wait, c.woken()); err != nil {
			return fmt.Errorf("%w (last error: %v)", err, lastErr)
		}
	}
}

// retryWait is the wait before retry n: Xero's own Retry-After (or the
// organisation-offline pause) exactly, for the whole tenant, whatever the
// backoff would say; otherwise exponential backoff with jitter for this call.
func retryWait(cls retryClass, n int, base, maxWait time.Duration, rnd float64) (wait time.Duration, tenantWide bool) {
	if cls.wait > 0 {
		return cls.wait, true
	}
	return backoff(n, base, maxWait, rnd), false
}

func (c *Client) newRequest(ctx context.Context, opts *Opts) (*http.Request, error) {
	u := *c.base
	// opts.Path is already escaped (segments through url.PathEscape): keep
	// that form on the wire rather than escaping its % signs again.
	raw := c.base.EscapedPath() + opts.Path
	p, err := url.PathUnescape(raw)
	if err != nil {
		return nil, fmt.Errorf("rest: path %q: %w", opts.Path, err)
	}
	u.Path, u.RawPath = p, raw
	if len(opts.Query) > 0 {
		u.RawQuery = opts.Query.Encode()
	}
	var body io.Reader
	switch {
	case opts.GetBody != nil:
		b, err := opts.GetBody()
		if err != nil {
			return nil, fmt.Errorf("rest: body for %s: %w", opts.Path, err)
		}
		body = b
	case opts.Body != nil:
		body = opts.Body
	}
	if body != nil && opts.Progress != nil {
		body = &progressReader{r: body, fn: opts.Progress}
	}
	method := opts.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, fmt.Errorf("rest: %s %s: %w", method, opts.Path, err)
	}
	if opts.ContentLength > 0 {
		req.ContentLength = opts.ContentLength
	}
	if opts.GetBody != nil {
		// Lets the auth transport resend the body after refreshing a token Xero
		// refused (a 401), instead of failing the upload.
		req.GetBody = func() (io.ReadCloser, error) {
			b, err := opts.GetBody()
			if err != nil {
				return nil, err
			}
			return io.NopCloser(b), nil
		}
	}
	for k, v := range opts.Header {
		req.Header[k] = append([]string(nil), v...)
	}
	accept := opts.Accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.userAgent)
	if opts.ContentType != "" {
		req.Header.Set("Content-Type", opts.ContentType)
	}
	if opts.Tenant != "" {
		req.Header.Set("xero-tenant-id", opts.Tenant)
	}
	if opts.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", opts.IdempotencyKey)
	}
	return req, nil
}

func chain(a, b func()) func() { return func() { a(); b() } }

// drainAndClose reads what is left (up to a limit) so the connection can be
// reused, then closes.
func drainAndClose(rc io.ReadCloser) {
	if rc == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, rc, 64<<10)
	_ = rc.Close()
}

// releasingBody ends the pacer's in-flight slot when the caller closes it:
// the call lasts until its body has been read.
type releasingBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// progressReader reports bytes read (that is, handed to the transport).
type progressReader struct {
	r  io.Reader
	n  int64
	fn func(int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n += int64(n)
		p.fn(p.n)
	}
	return n, err
}

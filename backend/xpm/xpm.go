package xpm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"chase.md/backend/rest"
)

// basePath is XPM v3.1 below the API host (https://api.xero.com or the sandbox).
const basePath = "/practicemanager/3.1"

// maxBody bounds a response read into memory: a practice's full client list
// with contacts is a few MB.
const maxBody = 64 << 20

// ErrNoAccess means the app may not use XPM for this connection: a 403 (no
// practicemanager scope, the tenant is not a connected practice, or Xero has
// not approved the app for XPM), or no XPM tenant at all. The app switches to
// the no-XPM chase list when errors.Is(err, ErrNoAccess).
var ErrNoAccess = errors.New("xpm: no access to Practice Manager")

// ErrUnsupported means the server does not have the method (jobstate.api/list
// is in the withdrawn spec only).
var ErrUnsupported = errors.New("xpm: method not available")

// Client talks to one XPM practice (the PRACTICEMANAGER tenant). It is safe
// for concurrent use; its calls are paced with the tenant's own budget by the
// rest.Client's pacer registry.
type Client struct {
	rc     *rest.Client
	tenant string
	// retries is how many more times a garbled 200 to a GET is asked again.
	retries int
}

// New makes a client for the XPM tenant tenantID over rc, whose base URL is
// the API host. An empty tenantID (no XPM connection) makes every call fail
// with ErrNoAccess.
func New(rc *rest.Client, tenantID string) *Client {
	return &Client{rc: rc, tenant: tenantID, retries: 2}
}

// TenantID is the XPM tenant the client talks to.
func (c *Client) TenantID() string { return c.tenant }

// Pacer is the tenant's pacer, for its Stats (calls used, budget left).
func (c *Client) Pacer() *rest.Pacer { return c.rc.Pacers().For(c.tenant) }

// get fetches path (below basePath) and decodes the checked body into out.
func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	return c.call(ctx, http.MethodGet, path, q, nil, out)
}

func (c *Client) call(ctx context.Context, method, path string, q url.Values, body []byte, out any) error {
	if c.tenant == "" {
		return fmt.Errorf("xpm: %s %s: %w (no XPM tenant connected)", method, path, ErrNoAccess)
	}
	var lastErr error
	for attempt := 0; attempt <= c.retries; attempt++ {
		opts := &rest.Opts{
			Method: method,
			Path:   basePath + path,
			Query:  q,
			Tenant: c.tenant,
			// XML is XPM's documented format; JSON only where a server insists.
			Accept: "text/xml, application/xml;q=0.9, application/json;q=0.5",
		}
		if body != nil {
			b := body
			opts.GetBody = func() (io.Reader, error) { return bytes.NewReader(b), nil }
			opts.ContentType, opts.ContentLength = "text/xml; charset=utf-8", int64(len(b))
		}
		resp, err := c.rc.Call(ctx, opts)
		if err != nil {
			return fmt.Errorf("xpm: %s %s: %w", method, path, classify(err))
		}
		data, rerr := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if rerr == nil {
			rerr = decode(data, resp.Header.Get("Content-Type"), out)
			if rerr == nil || !errors.Is(rerr, ErrMalformed) {
				if rerr != nil {
					return fmt.Errorf("xpm: %s %s: %w", method, path, rerr)
				}
				return nil
			}
		} else {
			rerr = fmt.Errorf("%w: read body: %v", ErrMalformed, rerr)
		}
		// A truncated or garbled answer: the request happened. Reads and
		// PUT job.api/state (setting a state twice is the same as once) are
		// safe to ask again.
		lastErr = rerr
		if ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("xpm: %s %s: %w", method, path, lastErr)
}

// classify maps rest's errors onto what the app must decide on.
func classify(err error) error {
	var ae *rest.APIError
	switch {
	case errors.Is(err, rest.ErrForbidden), errors.Is(err, rest.ErrPermission):
		return fmt.Errorf("%w: %w", ErrNoAccess, err)
	case errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusMethodNotAllowed):
		return fmt.Errorf("%w: %w", ErrUnsupported, err)
	}
	return err
}

// isUnknownMethod tells "this server has no such method" from a real failure:
// a 404/405 (classify has made it ErrUnsupported), or an ERROR envelope whose
// description says the method or route does not exist, which some XPM front
// ends send with a 200 for a method they do not route. Any other envelope
// (a refused permission, a failure inside the method) is a real error.
func isUnknownMethod(err error) bool {
	if errors.Is(err, ErrUnsupported) {
		return true
	}
	var xe *Error
	return errors.As(err, &xe) && xe.unknownMethod()
}

// unknownMethodWords are the descriptions of "no such method": ASP.NET Web
// API's routing answers (XPM runs on it) sent as a description, and the plain
// wordings of a method lookup that failed. Matched lower-cased, as parts.
var unknownMethodWords = []string{
	"no http resource was found", // Web API: "No HTTP resource was found that matches the request URI …"
	"does not support http method",
	"method not found",
	"unknown method",
	"no such method",
	"method does not exist",
	"not a valid method",
}

// unknownMethod says whether the envelope is the server not having the method.
func (e *Error) unknownMethod() bool {
	d := strings.ToLower(strings.Join(strings.Fields(e.Description), " "))
	for _, w := range unknownMethodWords {
		if strings.Contains(d, w) {
			return true
		}
	}
	return false
}

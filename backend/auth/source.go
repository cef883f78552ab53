package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Refresh retry policy for refresh calls that got no answer. Package
// variables so tests can shrink the waits.
var (
	refreshAttempts = 4
	refreshBackoff  = time.Second // doubled after each try
	refreshTimeout  = 30 * time.Second
)

// RefreshGrace is how long Xero keeps accepting a refresh token after it was
// rotated, for clients whose refresh response was lost.
const RefreshGrace = 30 * time.Minute

// TokenSource returns a source of fresh tokens whose refreshes run under ctx.
// Give it a long-lived ctx (the app's), not a request's.
func (c *Connection) TokenSource(ctx context.Context) oauth2.TokenSource {
	return ctxSource{c: c, ctx: ctx}
}

type ctxSource struct {
	c   *Connection
	ctx context.Context
}

func (s ctxSource) Token() (*oauth2.Token, error) { return s.c.Token(s.ctx) }

// Client returns an HTTP client that authorises each request with a fresh
// access token. A 401 (the token was revoked or expired early) invalidates
// that token and the request is retried once with a new one; if the refresh
// token is dead too, the error is ErrReauthRequired.
//
// It does not use oauth2.NewClient: its ReuseTokenSource judges expiry by
// the wall clock with a 10 s margin, while Token refreshes RefreshBefore
// early on opts.Now.
func (c *Connection) Client(ctx context.Context) *http.Client {
	base := c.opts.HTTPClient
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &http.Client{
		Transport:     &transport{c: c, ctx: ctx, base: rt},
		CheckRedirect: base.CheckRedirect,
		Jar:           base.Jar,
		Timeout:       base.Timeout,
	}
}

type transport struct {
	c    *Connection
	ctx  context.Context
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.c.Token(t.ctx)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.base.RoundTrip(authorized(req, req.Body, tok))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	if scopeMissing(resp) {
		// The token is good but lacks the call's scope: a new one would
		// carry the same scopes, so neither refresh nor sign out.
		return resp, nil
	}
	if req.Body != nil && req.GetBody == nil {
		// The body cannot be sent again, but the next request must not reuse
		// the token Xero just refused: it refreshes first.
		t.c.Invalidate(tok.AccessToken)
		return resp, nil
	}
	var body io.ReadCloser
	if req.Body != nil {
		if body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	drainClose(resp.Body)
	t.c.Invalidate(tok.AccessToken)
	tok, err = t.c.Token(t.ctx)
	if err != nil {
		if body != nil {
			body.Close()
		}
		return nil, err
	}
	return t.base.RoundTrip(authorized(req, body, tok))
}

// scopeMissing reads a 401's body (putting it back for the caller) and says
// whether Xero refused for a missing scope ("AuthorizationUnsuccessful")
// rather than for the token itself ("AuthenticationUnsuccessful").
func scopeMissing(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	var p struct{ Detail string }
	return json.Unmarshal(b, &p) == nil && strings.EqualFold(strings.TrimSpace(p.Detail), "AuthorizationUnsuccessful")
}

// authorized clones req (RoundTrippers must not modify it) with body and
// tok's Authorization header.
func authorized(req *http.Request, body io.ReadCloser, tok *oauth2.Token) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	tok.SetAuthHeader(r)
	return r
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// Invalidate marks accessToken as unusable (Xero answered 401 to it), so
// the next Token refreshes. A token other than the current one is ignored:
// a concurrent caller has already replaced it.
func (c *Connection) Invalidate(accessToken string) {
	c.lock <- struct{}{}
	defer c.release()
	if c.tok != nil && c.tok.AccessToken == accessToken {
		t := *c.tok
		t.AccessToken = ""
		c.tok = &t
	}
}

// Token returns an access token that is valid for at least RefreshBefore,
// refreshing it if needed. Concurrent callers share one refresh. The rotated
// token is saved to the store before anyone gets it. The result must not be
// modified.
func (c *Connection) Token(ctx context.Context) (*oauth2.Token, error) {
	if err := c.acquire(ctx); err != nil {
		return nil, err
	}
	defer c.release()

	if c.pending != nil {
		// An earlier refresh succeeded but its save failed: Xero has
		// already rotated, so store that token rather than spend the
		// (now superseded) refresh token again.
		if err := c.save(ctx, c.pending); err != nil {
			return nil, err
		}
		c.adopt(c.pending, true)
	}
	switch c.State() {
	case SignedOut:
		return nil, ErrSignedOut
	case ReconnectNeeded:
		return nil, ErrReauthRequired
	}
	if c.fresh(c.tok) {
		return c.tok, nil
	}
	if c.tok.RefreshToken == "" {
		c.setState(ReconnectNeeded, "no refresh token")
		return nil, ErrReauthRequired
	}
	tok, err := c.refresh(ctx, c.tok.RefreshToken)
	if err != nil {
		return nil, err
	}
	if err := c.save(ctx, tok); err != nil {
		c.pending = tok
		return nil, err
	}
	c.adopt(tok, true)
	c.log.Info("xero access token refreshed", "expires", tok.Expiry)
	return tok, nil
}

func (c *Connection) fresh(tok *oauth2.Token) bool {
	if tok == nil || tok.AccessToken == "" {
		return false
	}
	return tok.Expiry.IsZero() || c.opts.Now().Add(c.opts.RefreshBefore).Before(tok.Expiry)
}

// refresh spends rt once and, when the answer is lost (network error, dropped
// connection, 5xx), tries the same rt again: Xero honours a rotated refresh
// token for RefreshGrace, so a retry recovers the connection instead of
// losing it. invalid_grant means rt is dead: reconnect needed.
func (c *Connection) refresh(ctx context.Context, rt string) (*oauth2.Token, error) {
	conf := c.oauthConfig("", nil)
	wait := refreshBackoff
	var lastErr error
	for attempt := 1; ; attempt++ {
		tok, err := c.refreshOnce(ctx, conf, rt)
		if err == nil {
			if attempt > 1 {
				c.log.Info("xero token refresh recovered with the previous refresh token", "attempt", attempt)
			}
			return tok, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("auth: refresh token: %w", ctx.Err())
		}
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			he := &HTTPError{Op: "refresh token", Status: re.Response.StatusCode, Code: re.ErrorCode}
			switch re.ErrorCode {
			case "invalid_grant": // stale, revoked or already-spent refresh token
				c.setState(ReconnectNeeded, "Xero no longer accepts the saved sign-in")
				return nil, fmt.Errorf("%w: %w", ErrReauthRequired, he)
			case "invalid_client", "unauthorized_client": // the app's client ID was changed or disabled
				c.setState(ReconnectNeeded, "Xero does not accept this app's client ID")
				return nil, fmt.Errorf("%w: %w", ErrReauthRequired, he)
			}
			if he.Status < 500 {
				return nil, he
			}
			lastErr = he
		} else {
			// No answer. The error (a *url.Error) names the token URL and
			// the cause, never the form body.
			lastErr = err
		}
		c.log.Warn("xero token refresh got no usable answer; will retry with the same refresh token", "attempt", attempt, "err", lastErr)
		if attempt >= refreshAttempts {
			return nil, fmt.Errorf("auth: refresh token: no answer after %d tries: %w", attempt, lastErr)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("auth: refresh token: %w", ctx.Err())
		}
		wait *= 2
	}
}

func (c *Connection) refreshOnce(ctx context.Context, conf *oauth2.Config, rt string) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	// A fresh tokenRefresher each time: it is given rt explicitly, so a
	// retry spends the same refresh token.
	tok, err := conf.TokenSource(c.httpContext(ctx), &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		return nil, err
	}
	c.stamp(tok)
	return tok, nil
}

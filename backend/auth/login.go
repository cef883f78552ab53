package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// Login runs the sign-in flow: it opens a loopback callback server on
// 127.0.0.1 (first free port of opts.Ports), shows Xero's consent page with
// opts.OpenURL, waits for one valid callback (or LoginTimeout, or ctx's end:
// the user's Cancel), exchanges the code with the PKCE verifier and saves the
// token. Use Scopes(xpm) for scopes; on ErrScopeRefused call it again with
// Scopes(false).
func (c *Connection) Login(ctx context.Context, scopes []string) error {
	if c.opts.OpenURL == nil {
		return errors.New("auth: login: no way to open the browser (Options.OpenURL)")
	}
	if !c.loggingIn.CompareAndSwap(false, true) {
		return ErrLoginInProgress
	}
	defer c.loggingIn.Store(false)
	ln, err := listenLoopback(c.opts.Ports)
	if err != nil {
		return err
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	if c.onListen != nil {
		c.onListen(ln.Addr())
	}

	ctx, cancel := context.WithTimeout(ctx, c.opts.LoginTimeout)
	defer cancel()

	conf := c.oauthConfig(redirectURI(port), scopes)
	verifier := oauth2.GenerateVerifier()
	state := randomState()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	cb := &callbackHandler{state: state, port: port, results: make(chan callback, 1), done: ctx.Done()}
	srv := &http.Server{Handler: cb, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(ln) // returns ErrServerClosed on Shutdown
	}()
	defer func() {
		// Let the handler finish writing the result page, then close the
		// port: a replayed callback finds nobody listening.
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
		<-served
	}()

	opened := make(chan error, 1)
	go func() { opened <- c.opts.OpenURL(authURL) }()

	for {
		select {
		case err := <-opened:
			if err != nil {
				return fmt.Errorf("auth: login: open browser: %w", err)
			}
			opened = nil
		case r := <-cb.results:
			err := r.err
			if err == nil {
				err = c.finishLogin(ctx, conf, r.code, verifier)
			}
			r.reply <- err
			return err
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return ErrLoginTimeout
			}
			return fmt.Errorf("auth: login: %w", ctx.Err())
		}
	}
}

func (c *Connection) finishLogin(ctx context.Context, conf *oauth2.Config, code, verifier string) error {
	tok, err := conf.Exchange(c.httpContext(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return &HTTPError{Op: "exchange code", Status: re.Response.StatusCode, Code: re.ErrorCode}
		}
		return fmt.Errorf("auth: exchange code: %w", err)
	}
	c.stamp(tok)
	if tok.RefreshToken == "" {
		return errors.New("auth: Xero returned no refresh token (is offline_access among the scopes?)")
	}
	if err := c.acquire(ctx); err != nil {
		return err
	}
	defer c.release()
	if err := c.save(ctx, tok); err != nil {
		return err
	}
	c.adopt(tok, false)
	c.log.Info("signed in to xero", "key", c.opts.Key)
	if u, ok := userFromToken(tok); ok && c.opts.OnSignIn != nil {
		c.opts.OnSignIn(u)
	}
	return nil
}

// listenLoopback binds 127.0.0.1 only: the callback carries an authorization
// code and must not be reachable from other interfaces.
func listenLoopback(ports []int) (net.Listener, error) {
	var errs []error
	for _, p := range ports {
		ln, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			return ln, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("%w among %v: %w", ErrNoFreePort, ports, errors.Join(errs...))
}

func randomState() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand docs)
	return base64.RawURLEncoding.EncodeToString(b)
}

type callback struct {
	code  string
	err   error
	reply chan error // the flow's outcome, for the page
}

// callbackHandler accepts exactly one GET /callback carrying the flow's
// state. Wrong state: 400, the flow goes on (it may be a stale tab). Any
// callback after the first: 400. Other paths: 404.
type callbackHandler struct {
	state   string
	port    int
	used    atomic.Bool
	results chan callback
	done    <-chan struct{}
}

func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/callback" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, pageRejected, "")
		return
	}
	// Refuse other Host names: a web page cannot then reach this server
	// through a DNS-rebound name.
	p := strconv.Itoa(h.port)
	if r.Host != "localhost:"+p && r.Host != "127.0.0.1:"+p {
		writePage(w, http.StatusBadRequest, pageRejected, "")
		return
	}
	q := r.URL.Query()
	got := q.Get("state")
	if subtle.ConstantTimeCompare([]byte(got), []byte(h.state)) != 1 {
		writePage(w, http.StatusBadRequest, pageRejected, "")
		return
	}
	if !h.used.CompareAndSwap(false, true) {
		writePage(w, http.StatusBadRequest, pageRejected, "")
		return
	}
	res := callback{code: q.Get("code"), reply: make(chan error, 1)}
	switch e := q.Get("error"); {
	case e == "invalid_scope":
		res.err = ErrScopeRefused
	case e == "access_denied":
		res.err = ErrAccessDenied
	case e != "":
		res.err = fmt.Errorf("auth: Xero sign-in failed: %q", e)
	case res.code == "":
		res.err = errors.New("auth: callback without an authorization code")
	}
	h.results <- res // buffered; only the first valid callback gets here
	var err error
	select {
	case err = <-res.reply:
	case <-h.done:
		err = errors.New("sign-in was cancelled")
	}
	if err != nil {
		writePage(w, http.StatusOK, pageFailed, userMessage(err))
		return
	}
	writePage(w, http.StatusOK, pageOK, "")
}

func userMessage(err error) string {
	switch {
	case errors.Is(err, ErrScopeRefused):
		return "Xero did not grant access to Practice Manager. chase.md can sign in again without it."
	case errors.Is(err, ErrAccessDenied):
		return "Access was not allowed on the Xero page."
	default:
		return err.Error() // our own errors, which never hold token values
	}
}

type pageKind int

const (
	pageOK pageKind = iota
	pageFailed
	pageRejected
)

var pageTmpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>chase.md: {{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}h1{font-size:1.4em}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Body}}</p>{{if .Detail}}<p>{{.Detail}}</p>{{end}}</body></html>
`))

func writePage(w http.ResponseWriter, status int, kind pageKind, detail string) {
	d := struct{ Title, Body, Detail string }{Detail: detail}
	switch kind {
	case pageOK:
		d.Title = "Signed in to Xero"
		d.Body = "You can close this tab and return to chase.md."
	case pageFailed:
		d.Title = "Sign-in did not complete"
		d.Body = "Return to chase.md to try again."
	default:
		d.Title = "This sign-in link is not valid"
		d.Body = "It does not belong to the sign-in chase.md is waiting for, or it was already used. Return to chase.md and start again if needed."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, d)
}

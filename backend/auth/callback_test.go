package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"chase.md/backend/sandbox"
)

// Wrong state, wrong path and wrong method are rejected without ending the
// flow; the real callback then completes it; replaying it afterwards fails.
func TestCallbackRejectsForgeriesAndReplay(t *testing.T) {
	e := newEnv(t)
	pages := make(chan browserResult, 1)
	type probe struct {
		name string
		code int
	}
	var probes []probe
	e.conn.opts.OpenURL = e.browserTo(func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect := u.Query().Get("redirect_uri")
		get := func(name, method, rawURL string) {
			req, _ := http.NewRequest(method, rawURL, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				probes = append(probes, probe{name, -1})
				return
			}
			readAll(resp)
			probes = append(probes, probe{name, resp.StatusCode})
		}
		get("wrong state", "GET", redirect+"?code=forged&state=not-the-state")
		get("no state", "GET", redirect+"?code=forged")
		get("other path", "GET", strings.Replace(redirect, "/callback", "/callbackx", 1)+"?state="+u.Query().Get("state"))
		get("root", "GET", strings.TrimSuffix(redirect, "/callback")+"/")
		get("POST", "POST", redirect+"?code=forged&state="+u.Query().Get("state"))
		return nil
	}, pages)

	e.login()
	want := map[string]int{"wrong state": 400, "no state": 400, "other path": 404, "root": 404, "POST": 405}
	if len(probes) != len(want) {
		t.Fatalf("probes = %+v", probes)
	}
	for _, p := range probes {
		if p.code != want[p.name] {
			t.Errorf("%s: HTTP %d, want %d", p.name, p.code, want[p.name])
		}
	}
	res := <-pages
	if res.status != 200 || res.callbackURL == "" {
		t.Fatalf("real callback: %+v", res)
	}

	// Replay after success: the listener is closed, or it answers 400.
	resp, err := http.Get(res.callbackURL)
	if err == nil {
		body := readAll(resp)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("replayed callback: HTTP %d %q", resp.StatusCode, body)
		}
	} else if !isConnRefused(err) {
		t.Fatalf("replayed callback: %v", err)
	}
	if e.conn.State() != Connected {
		t.Fatalf("state = %v", e.conn.State())
	}
}

// Replay while the listener is still open: the handler itself refuses a
// second callback with the right state.
func TestCallbackHandlerAcceptsOneCallback(t *testing.T) {
	h := &callbackHandler{state: "s3cr3t-state", port: 4242, results: make(chan callback, 1), done: make(chan struct{})}
	serve := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "http://localhost:4242/callback?code=c1&state=s3cr3t-state", nil)
		h.ServeHTTP(rec, req)
		return rec
	}
	go func() {
		r := <-h.results
		if r.code != "c1" || r.err != nil {
			r.reply <- fmt.Errorf("unexpected callback %+v", r)
			return
		}
		r.reply <- nil
	}()
	if rec := serve(); rec.Code != 200 || !strings.Contains(rec.Body.String(), "return to chase.md") {
		t.Fatalf("first callback: %d %q", rec.Code, rec.Body)
	}
	if rec := serve(); rec.Code != http.StatusBadRequest {
		t.Fatalf("replayed callback: %d", rec.Code)
	}
	// A foreign Host (DNS rebinding) is refused too.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "http://evil.example:4242/callback?code=c&state=s3cr3t-state", nil))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("foreign host: %d", rec.Code)
	}
}

// The callback listener binds 127.0.0.1 only: it cannot be reached on the
// machine's other addresses.
func TestCallbackListenerIsLoopbackOnly(t *testing.T) {
	e := newEnv(t)
	var tried []string
	var reached []string
	e.conn.opts.OpenURL = e.browser(func(authURL string) error {
		u, _ := url.Parse(authURL)
		ru, _ := url.Parse(u.Query().Get("redirect_uri"))
		port := ru.Port()
		addrs, err := net.InterfaceAddrs()
		if err != nil {
			return err
		}
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.IsLoopback() || ipn.IP.IsLinkLocalUnicast() {
				continue
			}
			target := net.JoinHostPort(ipn.IP.String(), port)
			tried = append(tried, target)
			c, err := net.DialTimeout("tcp", target, 2*time.Second)
			if err == nil {
				c.Close()
				reached = append(reached, target)
			}
		}
		return nil
	})
	e.login()
	addr := (<-e.addrs).(*net.TCPAddr)
	if !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Fatalf("callback listener bound to %v, want 127.0.0.1", addr.IP)
	}
	if len(reached) > 0 {
		t.Fatalf("callback port reachable from other interfaces: %v", reached)
	}
	t.Logf("non-loopback addresses tried: %v", tried)
}

func TestLoginTriesPortsInOrder(t *testing.T) {
	e := newEnv(t)
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	e.conn.opts.Ports = []int{busyPort, 0}
	e.login()
	if got := (<-e.addrs).(*net.TCPAddr).Port; got == busyPort {
		t.Fatalf("bound the busy port %d", got)
	}

	_, err = listenLoopback([]int{busyPort})
	if !errors.Is(err, ErrNoFreePort) || !strings.Contains(err.Error(), strconv.Itoa(busyPort)) {
		t.Fatalf("all ports busy: %v", err)
	}
}

func TestLoginCancelAndTimeout(t *testing.T) {
	e := newEnv(t)
	opened := make(chan string, 1)
	e.conn.opts.OpenURL = func(u string) error { opened <- u; return nil } // the user never finishes

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- e.conn.Login(ctx, Scopes(false)) }()
	authURL := <-opened
	if err := e.conn.Login(context.Background(), Scopes(false)); !errors.Is(err, ErrLoginInProgress) {
		t.Fatalf("second concurrent Login = %v, want ErrLoginInProgress", err)
	}
	cancel() // the user's Cancel
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Login = %v", err)
	}
	u, _ := url.Parse(authURL)
	ru, _ := url.Parse(u.Query().Get("redirect_uri"))
	if _, err := http.Get(ru.String() + "?code=x&state=" + u.Query().Get("state")); err == nil || !isConnRefused(err) {
		t.Fatalf("callback port still open after Cancel: %v", err)
	}

	e.conn.opts.LoginTimeout = 50 * time.Millisecond
	if err := e.conn.Login(context.Background(), Scopes(false)); !errors.Is(err, ErrLoginTimeout) {
		t.Fatalf("Login without a callback = %v, want ErrLoginTimeout", err)
	}
	<-opened
	if e.conn.State() != SignedOut {
		t.Fatalf("state = %v", e.conn.State())
	}
}

// Consent declined → ErrAccessDenied; the flow ends and says so.
func TestLoginAccessDenied(t *testing.T) {
	e := newEnv(t)
	pages := make(chan string, 1)
	e.conn.opts.OpenURL = func(authURL string) error {
		_, page, err := sandbox.Decline(http.DefaultClient, authURL)
		pages <- page
		return err
	}
	if err := e.conn.Login(context.Background(), Scopes(false)); !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("Login with consent declined = %v", err)
	}
	if p := <-pages; !strings.Contains(p, "Sign-in did not complete") || !strings.Contains(p, "not allowed") {
		t.Errorf("callback page after a declined consent: %q", p)
	}
}

// Xero refuses a scope (error=invalid_scope on the callback): Login returns
// ErrScopeRefused and a sign-in without the refused scopes works.
func TestLoginScopeRefusedThenWithoutXPM(t *testing.T) {
	e := newEnv(t)
	pages := make(chan browserResult, 2)
	e.conn.opts.OpenURL = func(authURL string) error {
		// Xero redirects straight back with the error: follow it.
		resp, err := http.Get(authURL)
		if err != nil {
			return err
		}
		pages <- browserResult{status: resp.StatusCode, page: readAll(resp)}
		return nil
	}
	err := e.conn.Login(context.Background(), append(Scopes(true), "practicemanager-not-granted"))
	if !errors.Is(err, ErrScopeRefused) {
		t.Fatalf("Login with a refused scope = %v, want ErrScopeRefused", err)
	}
	if p := <-pages; !strings.Contains(p.page, "Practice Manager") {
		t.Errorf("callback page does not explain: %q", p.page)
	}
	e.conn.opts.OpenURL = e.browser(nil)
	if err := e.conn.Login(context.Background(), Scopes(false)); err != nil {
		t.Fatalf("Login without XPM: %v", err)
	}
	ts, err := e.conn.Tenants(context.Background())
	if err != nil || len(ts) == 0 {
		t.Fatalf("Tenants: %v %v", ts, err)
	}
	for _, x := range ts {
		if x.TenantType != "ORGANISATION" {
			t.Errorf("tenant %s of type %s without XPM scopes", x.TenantName, x.TenantType)
		}
	}
}

func isConnRefused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

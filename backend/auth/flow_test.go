package auth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLoginEndToEnd(t *testing.T) {
	e := newEnv(t)
	pages := make(chan browserResult, 1)
	e.conn.opts.OpenURL = e.browserTo(nil, pages)
	if got := e.conn.State(); got != SignedOut {
		t.Fatalf("state before login = %v", got)
	}
	changed := e.conn.Changed()
	e.login()

	res := <-pages
	if res.status != http.StatusOK || !strings.Contains(res.page, "return to chase.md") {
		t.Errorf("callback page: HTTP %d %q", res.status, res.page)
	}
	au, _ := url.Parse(res.authURL)
	q := au.Query()
	if au.Path != "/identity/connect/authorize" || q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 ||
		len(q.Get("state")) < 32 || q.Get("client_id") != testClientID || q.Get("response_type") != "code" {
		t.Errorf("authorize URL lacks PKCE/state: %s", res.authURL)
	}
	if !strings.Contains(q.Get("scope"), "offline_access") || !strings.Contains(q.Get("scope"), "practicemanager.job.read") {
		t.Errorf("scopes = %q", q.Get("scope"))
	}
	ru, _ := url.Parse(q.Get("redirect_uri"))
	addr := (<-e.addrs).(*net.TCPAddr)
	if ru.Scheme != "http" || ru.Hostname() != "localhost" || ru.Port() != strconv.Itoa(addr.Port) || ru.Path != "/callback" {
		t.Errorf("redirect_uri = %s, listener %s", ru, addr)
	}
	if strings.Contains(res.callbackURL, "code=") == false {
		t.Errorf("browser never reached the callback with a code: %q", res.callbackURL)
	}

	select {
	case <-changed:
	default:
		t.Error("Changed() was not signalled by the sign-in")
	}
	if st := e.conn.Status(); st.State != Connected || st.AccessExpiry.Sub(e.clk.Now()) != 30*time.Minute {
		t.Errorf("status after login = %+v", st)
	}
	tok := e.stored()
	if tok.RefreshToken == "" || tok.AccessToken == "" {
		t.Fatal("no token saved to the store")
	}

	// An API call with the stored token.
	ts, err := e.conn.Tenants(context.Background())
	if err != nil {
		t.Fatalf("Tenants: %v", err)
	}
	var org, practice *Tenant
	for i := range ts {
		switch ts[i].TenantType {
		case "ORGANISATION":
			org = &ts[i]
		case "PRACTICEMANAGER", "PRACTICE":
			practice = &ts[i]
		}
		if ts[i].TenantName == "" || ts[i].TenantID == "" || ts[i].ID == "" || ts[i].Created.IsZero() {
			t.Errorf("incomplete tenant %+v", ts[i])
		}
	}
	if org == nil || practice == nil {
		t.Fatalf("want an organisation and the XPM practice, got %+v", ts)
	}
	if d := ts[0].Created.Sub(e.clk.Now()); d > time.Second || d < -time.Second {
		t.Errorf("createdDateUtc %v, clock %v", ts[0].Created, e.clk.Now())
	}

	// A second Connection opened on the same store resumes without a login.
	again := e.open(nil)
	if again.State() != Connected {
		t.Fatalf("reopened state = %v", again.State())
	}
	if code, err := e.getConnections(context.Background(), again.Client(context.Background())); err != nil || code != 200 {
		t.Fatalf("API call with the reopened connection: %d %v", code, err)
	}

	// Disconnect the practice; the organisation stays.
	if err := e.conn.Disconnect(context.Background(), practice.ID); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	after, err := e.conn.Tenants(context.Background())
	if err != nil {
		t.Fatalf("Tenants after disconnect: %v", err)
	}
	if len(after) != len(ts)-1 {
		t.Errorf("after disconnect: %d tenants, want %d", len(after), len(ts)-1)
	}
	for _, x := range after {
		if x.ID == practice.ID {
			t.Error("disconnected tenant still listed")
		}
	}
	var he *HTTPError
	if err := e.conn.Disconnect(context.Background(), practice.ID); !errors.As(err, &he) || he.Status != 404 {
		t.Errorf("second Disconnect = %v, want HTTP 404", err)
	}
}

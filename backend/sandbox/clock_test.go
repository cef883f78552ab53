package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// blackBox drives `chase sandbox` (Main) only over HTTP, as a test in another
// process would: OAuth with PKCE, the API, and the /_sandbox controls.
type blackBox struct {
	t                      *testing.T
	base, redirect, tenant string
	access, refresh        string
	hc                     *http.Client
}

func startBlackBox(t *testing.T, args ...string) *blackBox {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	done := make(chan error, 1)
	const redirect = "http://localhost:53682/callback"
	go func() {
		done <- Main(ctx, append([]string{"--addr", "127.0.0.1:0", "--contacts", "5", "--auto-consent"}, args...), &out, redirect)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Main: %v", err)
		}
	})
	login := regexp.MustCompile(`login:\s+(http://127\.0\.0\.1:\d+)/identity/connect/authorize`)
	b := &blackBox{t: t, redirect: redirect,
		hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	for deadline := time.Now().Add(10 * time.Second); b.base == "" && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := login.FindStringSubmatch(out.String()); m != nil {
			b.base = m[1]
		}
	}
	if b.base == "" {
		t.Fatalf("no URLs printed:\n%s", out.String())
	}
	return b
}

func (b *blackBox) do(method, path string, form url.Values, hdr ...string) (int, http.Header, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(raw)
}

// signIn runs the authorization code flow with PKCE against the
// auto-consenting sandbox and keeps the first organisation.
func (b *blackBox) signIn() {
	b.t.Helper()
	verifier := strings.Repeat("v3rifier-", 6)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {"chase-demo"}, "redirect_uri": {b.redirect},
		"scope": {"openid offline_access accounting.contacts files"}, "state": {"st"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	_, h, page := b.do("GET", "/identity/connect/authorize?"+q.Encode(), nil)
	loc, err := url.Parse(h.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		b.t.Fatalf("authorize: Location %q, page %.200s", h.Get("Location"), page)
	}
	status, _, raw := b.do("POST", "/connect/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {"chase-demo"},
		"code": {loc.Query().Get("code")}, "redirect_uri": {b.redirect}, "code_verifier": {verifier}})
	b.takeTokens(status, raw)
	status, _, raw = b.do("GET", "/connections", nil, "Authorization", "Bearer "+b.access)
	var conns []struct{ TenantID, TenantType string }
	if status != 200 || json.Unmarshal([]byte(raw), &conns) != nil || len(conns) == 0 {
		b.t.Fatalf("connections: %d %s", status, raw)
	}
	b.tenant = conns[0].TenantID
}

func (b *blackBox) takeTokens(status int, raw string) {
	b.t.Helper()
	var tok struct {
		Access  string `json:"access_token"`
		Refresh string `json:"refresh_token"`
	}
	if status != 200 || json.Unmarshal([]byte(raw), &tok) != nil || tok.Access == "" || tok.Refresh == "" {
		b.t.Fatalf("token: %d %s", status, raw)
	}
	b.access, b.refresh = tok.Access, tok.Refresh
}

func (b *blackBox) refreshWith(rt string) (int, string) {
	b.t.Helper()
	status, _, raw := b.do("POST", "/connect/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"chase-demo"},
		"refresh_token": {rt}})
	return status, raw
}

func (b *blackBox) files() (int, http.Header, string) {
	b.t.Helper()
	return b.do("GET", "/files.xro/1.0/Folders", nil, "Authorization", "Bearer "+b.access, "xero-tenant-id", b.tenant)
}

func (b *blackBox) advance(by string) {
	b.t.Helper()
	if status, _, raw := b.do("POST", "/_sandbox/clock/advance?by="+by, nil); status != 200 || !strings.Contains(raw, `"now"`) {
		b.t.Fatalf("advance %s: %d %s", by, status, raw)
	}
}

func (b *blackBox) clock() time.Time {
	b.t.Helper()
	status, _, raw := b.do("GET", "/_sandbox/clock", nil)
	var c struct{ Now time.Time }
	if status != 200 || json.Unmarshal([]byte(raw), &c) != nil {
		b.t.Fatalf("clock: %d %s", status, raw)
	}
	return c.Now
}

// Time moved from outside: an access token dies after 30 minutes and a
// refresh revives it; a rotated refresh token is honoured during its grace
// and refused after it.
func TestClockAdvancedFromOutsideExpiresAndSpendsGrace(t *testing.T) {
	b := startBlackBox(t)
	b.signIn()
	if status, _, raw := b.files(); status != 200 {
		t.Fatalf("files with a fresh token: %d %s", status, raw)
	}
	before := b.clock()
	b.advance("31m")
	if got := b.clock().Sub(before); got < 31*time.Minute {
		t.Fatalf("clock moved %v, want 31m", got)
	}
	status, h, raw := b.files()
	if status != 401 || !strings.Contains(raw, "TokenExpired") || !strings.Contains(h.Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("after 31m: %d %q %s, want the expired token's 401", status, h.Get("WWW-Authenticate"), raw)
	}
	first := b.refresh
	b.takeTokens(b.refreshWith(first))
	if status, _, raw := b.files(); status != 200 {
		t.Fatalf("files after refresh: %d %s", status, raw)
	}
	// The first refresh's answer "was lost": within the grace the rotated
	// token still works (its successor unused).
	b.takeTokens(b.refreshWith(first))
	b.advance("31m")
	if status, raw := b.refreshWith(first); status != 400 || !strings.Contains(raw, "invalid_grant") {
		t.Fatalf("rotated refresh token after the grace: %d %s, want 400 invalid_grant", status, raw)
	}
	b.takeTokens(b.refreshWith(b.refresh)) // the current one still works
	if status, _, raw := b.files(); status != 200 {
		t.Fatalf("files after the latest refresh: %d %s", status, raw)
	}
	if status, _, raw := b.do("POST", "/_sandbox/clock/advance?by=-5m", nil); status != 400 {
		t.Errorf("moving the clock back: %d %s", status, raw)
	}
	if status, _, raw := b.do("GET", "/_sandbox/stats", nil); status != 200 || !strings.Contains(raw, `"tokenRefreshes":3`) {
		t.Errorf("stats: %d %s", status, raw)
	}
}

// The daily limit (5,000 calls per tenant) is spent a minute's worth (60) at
// a time, moving the clock between, and comes back once a day has passed.
func TestClockAdvancedFromOutsideResetsTheDailyLimit(t *testing.T) {
	b := startBlackBox(t)
	b.signIn()
	sinceRefresh := 0
	call := func() (int, http.Header, string) {
		status, h, raw := b.files()
		if status == 401 {
			b.takeTokens(b.refreshWith(b.refresh))
			status, h, raw = b.files()
		}
		return status, h, raw
	}
	for n := 0; n < 5000; n++ {
		if n > 0 && n%60 == 0 {
			b.advance("61s")
			if sinceRefresh++; sinceRefresh == 25 {
				b.takeTokens(b.refreshWith(b.refresh))
				sinceRefresh = 0
			}
		}
		if status, _, raw := call(); status != 200 {
			t.Fatalf("call %d: %d %s", n+1, status, raw)
		}
	}
	b.advance("61s")
	status, h, _ := call()
	if status != 429 || h.Get("X-Rate-Limit-Problem") != "day" || h.Get("X-DayLimit-Remaining") != "0" {
		t.Fatalf("call 5001: %d %q remaining %q, want the daily limit's 429", status, h.Get("X-Rate-Limit-Problem"), h.Get("X-DayLimit-Remaining"))
	}
	b.advance("24h")
	status, h, raw := call()
	if status != 200 || h.Get("X-DayLimit-Remaining") != "4999" {
		t.Fatalf("a day later: %d remaining %q %s", status, h.Get("X-DayLimit-Remaining"), raw)
	}
}

// --clock-scale runs the clock faster than real time, and --help says how
// to move it.
func TestClockScaleFlag(t *testing.T) {
	b := startBlackBox(t, "--clock-scale", "600")
	t0 := b.clock()
	time.Sleep(50 * time.Millisecond) // at least 30 s of sandbox time
	if got := b.clock().Sub(t0); got < 30*time.Second {
		t.Errorf("clock moved %v in 50 ms at 600x", got)
	}
	var out lockedBuffer
	_ = Main(context.Background(), []string{"--help"}, &out)
	for _, want := range []string{"-clock-scale", "/_sandbox/clock/advance?by=", "-redirect-uris"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, out.String())
		}
	}
}

// POST /_sandbox/faults sets the faults only when the sandbox was told to
// take such orders (demo mode in e2e builds); otherwise it is unknown.
func TestFaultControlIsOptIn(t *testing.T) {
	for _, on := range []bool{false, true} {
		s := New(Options{FaultControl: on})
		ctx, cancel := context.WithCancel(context.Background())
		base, err := s.Start(ctx, "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(base+"/_sandbox/faults?spec="+url.QueryEscape("/*=drop"), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[bool]int{false: 404, true: 200}[on]; resp.StatusCode != want {
			t.Errorf("FaultControl %v: %d, want %d", on, resp.StatusCode, want)
		}
		_, err = http.Get(base + "/api.xro/2.0/Organisation")
		if on != (err != nil) {
			t.Errorf("FaultControl %v: the API answered %v", on, err)
		}
		cancel()
	}
}

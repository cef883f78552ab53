package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"chase.md/backend/auth"
	"chase.md/backend/sandbox"
)

func run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return out.String() + errb.String(), code
}

func demoEnv(t *testing.T) {
	t.Setenv("CHASE_DEMO", "1")
	t.Setenv("CHASE_DATA_DIR", t.TempDir())
}

func TestVersionAndHelp(t *testing.T) {
	if out, code := run(t, "version"); code != 0 || !strings.HasPrefix(out, "chase.md ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if out, code := run(t, "help"); code != 0 || !strings.Contains(out, "chase upload --client") {
		t.Fatalf("help: %d %q", code, out)
	}
	if out, code := run(t, "frobnicate"); code != 2 || !strings.Contains(out, `unknown command "frobnicate"`) {
		t.Fatalf("unknown: %d %q", code, out)
	}
}

func TestDemoSyncPrintsSummary(t *testing.T) {
	demoEnv(t)
	out, code := run(t, "sync", "--full")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	m := regexp.MustCompile(`Full sync of Demo Practice Ltd: (\d+) added, 0 changed`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" {
		t.Fatalf("summary missing: %s", out)
	}
	if !strings.Contains(out, "Xero calls: 1 this sync") { // 200 demo contacts fit one page of 1000
		t.Fatalf("calls line: %s", out)
	}
}

func TestDemoUploadRefusesAndUploads(t *testing.T) {
	demoEnv(t)
	if out, code := run(t, "sync", "--full"); code != 0 {
		t.Fatalf("sync: %s", out)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "GST return Q3.pdf")
	bad := filepath.Join(dir, "setup.exe")
	os.WriteFile(good, []byte("%PDF-1.4"), 0o600)
	os.WriteFile(bad, []byte("MZ"), 0o600)
	// Every CLI run starts its own demo Xero from the same seed, so the contact IDs
	// synced by the previous run are valid in the next one.
	sb := sandbox.New(sandbox.Options{})
	org := sb.TenantID(sandbox.PracticeOrgName)
	var target sandbox.Contact
	for _, c := range sb.Contacts(org) {
		if c.ContactStatus == "ACTIVE" {
			target = c
			break
		}
	}
	out, code := run(t, "upload", "--client", target.ContactID, good, bad)
	if code == 0 || !strings.Contains(out, "refused  setup.exe") || !strings.Contains(out, "GST return Q3.pdf") {
		t.Fatalf("upload: %d %s", code, out)
	}
	if strings.Contains(out, "refused  GST return Q3.pdf") {
		t.Fatalf("good file refused: %s", out)
	}
	out, code = run(t, "upload", "--client", "no such client at all", good)
	if code == 0 || !strings.Contains(out, "No client matches") {
		t.Fatalf("unknown client: %d %s", code, out)
	}
	out, code = run(t, "tenants")
	if code != 0 || !strings.Contains(out, "* ORGANISATION") || !strings.Contains(out, "PRACTICEMANAGER") {
		t.Fatalf("tenants: %d %s", code, out)
	}
}

func TestDemoChaseList(t *testing.T) {
	demoEnv(t)
	out, code := run(t, "chase-list", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("csv has no rows: %q", out)
	}
	md, code := run(t, "chase-list")
	if code != 0 || !strings.Contains(md, "|") {
		t.Fatalf("markdown: %d %q", code, md)
	}
}

const cliClientID = "chase-cli-test"

// realXero points the CLI at a sandbox as if it were Xero, not demo mode: the
// sandbox accepts only the redirect URIs the README tells users to register,
// the OS keyring is go-keyring's in-memory mock (no test touches a real
// keyring), and PATH holds no browser, so none opens: the test's person
// opens the sign-in address the CLI prints. It returns the sandbox and its
// base URL.
func realXero(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	keyring.MockInit()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent") // past KeyringStore's guard; the mock never dials it
	t.Setenv("PATH", t.TempDir())
	t.Setenv("CHASE_DEMO", "")
	t.Setenv("CHASE_DATA_DIR", t.TempDir())
	sb := sandbox.New(sandbox.Options{ClientIDs: []string{cliClientID}, RedirectURIs: auth.RedirectURIs(nil), DisableLimits: true})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	base, err := sb.Start(ctx, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"CHASE_XERO_LOGIN_URL", "CHASE_XERO_IDENTITY_URL", "CHASE_XERO_API_URL"} {
		t.Setenv(k, base)
	}
	t.Setenv("CHASE_XERO_CLIENT_ID", cliClientID)
	return sb, base
}

var signInAddress = regexp.MustCompile(`visit:\n  (\S+)`)

// person is the CLI's stdout and the person at the browser: each sign-in
// address the CLI prints is answered at the sandbox's consent page.
type person struct {
	answer func(hc *http.Client, authURL string) (int, string, error) // sandbox.Consent or Decline
	wg     sync.WaitGroup
	mu     sync.Mutex
	out    strings.Builder
	urls   []string
	pages  []string // the last page each sign-in showed
	errs   []error
}

func (b *person) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.out.Write(p)
	for _, m := range signInAddress.FindAllSubmatch(p, -1) {
		u := string(m[1])
		b.urls = append(b.urls, u)
		b.wg.Go(func() {
			_, page, err := b.answer(http.DefaultClient, u)
			b.mu.Lock()
			defer b.mu.Unlock()
			b.pages = append(b.pages, page)
			if err != nil {
				b.errs = append(b.errs, err)
			}
		})
	}
	return len(p), nil
}

// login runs `chase login` with b at the browser and returns its output.
func (b *person) login(t *testing.T) (string, int) {
	t.Helper()
	var errb bytes.Buffer
	code := Run(context.Background(), []string{"login"}, b, &errb)
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.errs) > 0 {
		t.Fatalf("browser: %v", errors.Join(b.errs...))
	}
	return b.out.String() + errb.String(), code
}

// storedToken reads the refresh token the CLI keeps in the (mock) keyring.
func storedToken(t *testing.T) (refresh string, err error) {
	t.Helper()
	v, err := keyring.Get(auth.KeyringService, "xero")
	if err != nil {
		return "", err
	}
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal([]byte(v), &tok); err != nil || tok.RefreshToken == "" {
		t.Fatalf("keyring entry without a refresh token: %v", err)
	}
	return tok.RefreshToken, nil
}

// `chase login`, `tenants` and `logout` against a Xero that is not the demo:
// the consent in the browser, the token in the keyring, the tenants listed,
// and sign-out revoking the refresh token at Xero and deleting it here.
func TestLoginTenantsLogout(t *testing.T) {
	sb, base := realXero(t)
	t.Setenv("CHASE_XERO_XPM", "1") // the practice's Xero app has Practice Manager access
	b := &person{answer: sandbox.Consent}
	out, code := b.login(t)
	if code != 0 {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
	for _, want := range []string{"Opening Xero's sign-in page", "Signed in to Xero.",
		"Choose the organisation that holds your clients"} { // two organisations: the person picks
		if !strings.Contains(out, want) {
			t.Errorf("login output lacks %q:\n%s", want, out)
		}
	}
	if len(b.urls) != 1 || len(b.pages) != 1 || !strings.Contains(b.pages[0], "Signed in to Xero") {
		t.Fatalf("sign-ins %v ended on %q", b.urls, b.pages)
	}
	au, _ := url.Parse(b.urls[0])
	if q := au.Query(); q.Get("client_id") != cliClientID || !strings.Contains(q.Get("scope"), "practicemanager.job.read") ||
		q.Get("redirect_uri") != auth.RedirectURIs(nil)[0] {
		t.Errorf("authorize request %v", q)
	}
	refresh, err := storedToken(t)
	if err != nil {
		t.Fatalf("no token in the keyring after login: %v", err)
	}

	out, code = run(t, "tenants")
	if code != 0 || strings.Count(out, "ORGANISATION") != 2 || !strings.Contains(out, "* PRACTICEMANAGER") ||
		!strings.Contains(out, sandbox.PracticeOrgName) {
		t.Fatalf("tenants: exit %d\n%s", code, out)
	}

	out, code = run(t, "logout")
	if code != 0 || !strings.Contains(out, "Signed out. Your local clients and history are kept.") {
		t.Fatalf("logout: exit %d\n%s", code, out)
	}
	if _, err := storedToken(t); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring after logout: %v, want no entry", err)
	}
	resp, err := http.PostForm(base+"/connect/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}, "client_id": {cliClientID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the refresh token still works at Xero after logout: %d", resp.StatusCode)
	}
	if out, code := run(t, "tenants"); code == 0 || !strings.Contains(out, "not signed in") {
		t.Errorf("tenants after logout: exit %d\n%s", code, out)
	}
	// A second logout has nothing to revoke and still succeeds.
	if out, code := run(t, "logout"); code != 0 || sb.CountRequests(http.MethodPost, "/connect/revocation") != 1 {
		t.Errorf("second logout: exit %d, %d revocations\n%s", code, sb.CountRequests(http.MethodPost, "/connect/revocation"), out)
	}
}

// Cancel on Xero's consent page: `chase login` fails, saying so, and
// stores nothing.
func TestLoginDeclined(t *testing.T) {
	realXero(t)
	b := &person{answer: sandbox.Decline}
	out, code := b.login(t)
	if code != ExitFailed || strings.Contains(out, "chase login: ") || !strings.Contains(out, "access was not granted") {
		t.Fatalf("declined login: exit %d\n%s", code, out)
	}
	if len(b.pages) != 1 || !strings.Contains(b.pages[0], "Access was not allowed") {
		t.Errorf("callback page after Cancel: %q", b.pages)
	}
	if _, err := storedToken(t); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring after a declined login: %v", err)
	}
}

// A Xero app without Practice Manager access: Xero answers a request for the
// XPM scopes with its error page and never comes back, so chase.md asks for
// them only when told the app has access. Without that it signs in with the
// other scopes, says how to add XPM, and gets no practice tenant.
func TestLoginWithoutXPMAccess(t *testing.T) {
	sb, _ := realXero(t)
	sb.SetRefuseXPMScopes(true)
	b := &person{answer: sandbox.Consent}
	out, code := b.login(t)
	if code != 0 || !strings.Contains(out, "Signed in to Xero.") || !strings.Contains(out, "CHASE_XERO_XPM=1") {
		t.Fatalf("login: exit %d\n%s", code, out)
	}
	au, _ := url.Parse(b.urls[0])
	if sc := au.Query().Get("scope"); strings.Contains(sc, "practicemanager") || !strings.Contains(sc, "accounting.contacts") {
		t.Errorf("scopes asked for: %q", sc)
	}
	if out, code := run(t, "tenants"); code != 0 || strings.Contains(out, "PRACTICEMANAGER") || !strings.Contains(out, sandbox.PracticeOrgName) {
		t.Errorf("tenants: exit %d\n%s", code, out)
	}
}

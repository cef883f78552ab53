package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/sandbox"
)

// Several processes share one keyring entry and refresh many times each, all
// at once: the refresh lock and the re-read keep them on one refresh-token
// chain, so Xero (the sandbox, which refuses a spent refresh token once its
// successor was used) never answers invalid_grant and the chain survives.
func TestProcessesShareOneRefreshChain(t *testing.T) {
	needKeyring(t)
	sb := sandbox.New(sandbox.Options{ClientIDs: []string{testClientID}, DisableLimits: true})
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	e := &env{t: t, sb: sb, srv: srv}
	ks := &KeyringStore{Service: fmt.Sprintf("chase.md-chain-test-%d", os.Getpid()), LockDir: t.TempDir()}
	defer ks.Delete(context.Background(), "xero")
	opts := Options{
		ClientID: testClientID, Endpoints: Endpoints{LoginURL: srv.URL, IdentityURL: srv.URL, APIURL: srv.URL},
		Store: ks, Ports: []int{0}, OpenURL: e.browser(nil),
	}
	c, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(context.Background(), Scopes(false)); err != nil {
		t.Fatal(err)
	}

	const procs, each = 3, 15
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	outs := make([]string, procs)
	errs := make([]error, procs)
	for i := range procs {
		wg.Go(func() {
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperRefresher$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "CHASE_AUTH_HELPER=1", "HELPER_URL="+srv.URL, "HELPER_SERVICE="+ks.Service,
				"HELPER_LOCKDIR="+ks.LockDir, "HELPER_N="+strconv.Itoa(each))
			out, err := cmd.CombinedOutput()
			outs[i], errs[i] = string(out), err
		})
	}
	wg.Wait()
	for i := range procs {
		if errs[i] != nil || !strings.Contains(outs[i], "REFRESHED "+strconv.Itoa(each)) {
			t.Errorf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	if got := sb.TokenRefreshes(); got != procs*each {
		t.Errorf("sandbox saw %d refreshes, want %d (one per Token call, none spent twice)", got, procs*each)
	}
	// The chain the processes left in the keyring is still alive here.
	again, err := Open(context.Background(), Options{ClientID: testClientID, Store: ks, RefreshBefore: 2 * time.Hour,
		Endpoints: opts.Endpoints})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.Token(context.Background()); err != nil {
		t.Fatalf("refresh after the processes: %v", err)
	}
}

// TestHelperRefresher is one of TestProcessesShareOneRefreshChain's
// processes: it opens the shared keyring entry and asks for a token
// HELPER_N times through API calls, each a refresh (RefreshBefore exceeds
// the token's life). Run directly it does nothing.
func TestHelperRefresher(t *testing.T) {
	if os.Getenv("CHASE_AUTH_HELPER") == "" {
		return
	}
	base := os.Getenv("HELPER_URL")
	n, _ := strconv.Atoi(os.Getenv("HELPER_N"))
	c, err := Open(context.Background(), Options{
		ClientID:      testClientID,
		Endpoints:     Endpoints{LoginURL: base, IdentityURL: base, APIURL: base},
		Store:         &KeyringStore{Service: os.Getenv("HELPER_SERVICE"), LockDir: os.Getenv("HELPER_LOCKDIR")},
		RefreshBefore: 2 * time.Hour,
	})
	if err != nil {
		t.Fatal(err)
	}
	hc := c.Client(context.Background())
	for i := range n {
		resp, err := hc.Get(base + "/connections") // each call refreshes first
		if err != nil {
			t.Fatalf("API call %d: %v", i+1, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("API call %d: HTTP %d", i+1, resp.StatusCode)
		}
	}
	if st := c.Status(); st.Refreshes != n {
		t.Fatalf("%d of %d calls refreshed", st.Refreshes, n)
	}
	fmt.Printf("REFRESHED %d\n", n)
}

// A connection whose token another one (another process, in real life)
// already rotated uses that token while it is fresh instead of spending its
// own, superseded refresh token; past its expiry it refreshes with the
// newest refresh token, and the first connection follows again.
func TestTokenRotatedElsewhereIsReadBack(t *testing.T) {
	e := newEnv(t)
	e.login()
	other := e.open(nil) // loads the same stored token
	base := e.refreshes()
	ctx := context.Background()

	e.clk.Advance(26 * time.Minute)
	first, err := e.conn.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := other.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != first.AccessToken || e.refreshes()-base != 1 {
		t.Fatalf("the other connection refreshed again (%d refreshes) instead of using the rotated token", e.refreshes()-base)
	}

	e.clk.Advance(26 * time.Minute)
	second, err := other.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.conn.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if again.AccessToken != second.AccessToken || e.refreshes()-base != 2 {
		t.Fatalf("%d refreshes, want 2 on one chain", e.refreshes()-base)
	}
	if e.stored().RefreshToken != second.RefreshToken {
		t.Fatal("the store does not hold the newest refresh token")
	}
}

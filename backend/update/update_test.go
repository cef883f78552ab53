package update_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"chase.md/backend/store"
	"chase.md/backend/update"
)

// feedServer serves /feed.json and /feed.json.sig over real HTTP; set swaps what it serves.
type feedServer struct {
	*httptest.Server
	mu        sync.Mutex
	body, sig []byte
}

func newFeedServer(t *testing.T) *feedServer {
	fs := &feedServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		switch r.URL.Path {
		case "/feed.json":
			w.Write(fs.body)
		case "/feed.json.sig":
			w.Write(fs.sig)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(body, sig []byte) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.body, fs.sig = body, sig
}

// signed returns a feed's bytes and its detached signature as the release process makes them.
func signed(t *testing.T, priv ed25519.PrivateKey, f update.Feed) (body, sig []byte) {
	t.Helper()
	body, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return body, []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(priv, body)) + "\n")
}

type fixture struct {
	srv     *feedServer
	priv    ed25519.PrivateKey
	checker *update.Checker
}

// newFixture: a feed server, a key pair, and a checker for version current that
// remembers feed dates in a real SQLite store.
func newFixture(t *testing.T, current string) *fixture {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "chase.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, err := update.ParsePublicKey(base64.StdEncoding.EncodeToString(pub))
	if err != nil {
		t.Fatal(err)
	}
	srv := newFeedServer(t)
	return &fixture{srv: srv, priv: priv, checker: &update.Checker{
		FeedURL: srv.URL + "/feed.json", PublicKey: key, Current: current,
		Memory: update.SettingsMemory{Store: db}, Client: srv.Client(),
	}}
}

var dec1 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func TestGoodFeedAnnouncesNewerVersion(t *testing.T) {
	fx := newFixture(t, "0.9.0+1a2b3c4")
	fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.9.1", URL: "https://chase.md/download", Notes: "Faster sync.", Published: dec1}))

	got, err := fx.checker.Check(context.Background())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := update.Result{Available: true, Version: "0.9.1", URL: "https://chase.md/download", Notes: "Faster sync."}
	if got != want {
		t.Fatalf("Check = %+v, want %+v", got, want)
	}
}

func TestGoodFeedOfTheRunningVersionIsNoUpdate(t *testing.T) {
	fx := newFixture(t, "0.9.1+1a2b3c4")
	fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.9.1", URL: "https://chase.md/download", Published: dec1}))

	got, err := fx.checker.Check(context.Background())
	if err != nil || got.Available {
		t.Fatalf("Check = %+v, %v; want no update and no error", got, err)
	}
}

func TestTamperedFeedIsRefused(t *testing.T) {
	fx := newFixture(t, "0.9.0")
	body, sig := signed(t, fx.priv, update.Feed{Version: "0.9.1", URL: "https://chase.md/download", Published: dec1})
	tampered := []byte(string(body[:len(body)-1]) + ` ` + `}`) // one byte more than what was signed
	evil, _ := json.Marshal(update.Feed{Version: "9.9.9", URL: "https://evil.example/chase.exe", Published: dec1})
	_, otherKey, _ := ed25519.GenerateKey(nil)
	_, otherSig := signed(t, otherKey, update.Feed{Version: "9.9.9", URL: "https://evil.example/chase.exe", Published: dec1})

	for name, feed := range map[string][2][]byte{
		"body changed after signing": {tampered, sig},
		"other feed, old signature":  {evil, sig},
		"signed with another key":    {evil, otherSig},
		"signature not base64":       {body, []byte("not a signature")},
		"signature missing (empty)":  {body, nil},
	} {
		t.Run(name, func(t *testing.T) {
			fx.srv.set(feed[0], feed[1])
			got, err := fx.checker.Check(context.Background())
			if !errors.Is(err, update.ErrBadSignature) {
				t.Fatalf("Check = %+v, %v; want ErrBadSignature", got, err)
			}
			if got.Available || got.URL != "" {
				t.Fatalf("a tampered feed must tell nothing, got %+v", got)
			}
		})
	}
}

func TestStaleFeedIsRefused(t *testing.T) {
	t.Run("older than the running version", func(t *testing.T) {
		fx := newFixture(t, "0.9.0+1a2b3c4")
		fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.8.3", URL: "https://chase.md/download", Published: dec1}))
		if _, err := fx.checker.Check(context.Background()); !errors.Is(err, update.ErrStale) {
			t.Fatalf("Check: %v, want ErrStale", err)
		}
	})
	t.Run("published before a feed already seen (replay)", func(t *testing.T) {
		fx := newFixture(t, "0.9.0")
		fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.9.2", URL: "https://chase.md/download", Published: dec1.AddDate(0, 0, 10)}))
		if got, err := fx.checker.Check(context.Background()); err != nil || !got.Available || got.Version != "0.9.2" {
			t.Fatalf("first Check = %+v, %v; want 0.9.2 available", got, err)
		}
		// An attacker replays the older, genuinely signed 0.9.1 feed to hide 0.9.2's fix.
		fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.9.1", URL: "https://chase.md/download", Published: dec1}))
		if got, err := fx.checker.Check(context.Background()); !errors.Is(err, update.ErrStale) {
			t.Fatalf("replayed Check = %+v, %v; want ErrStale", got, err)
		}
		// The same feed again is fine: a feed is checked many times.
		fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.9.2", URL: "https://chase.md/download", Published: dec1.AddDate(0, 0, 10)}))
		if got, err := fx.checker.Check(context.Background()); err != nil || !got.Available {
			t.Fatalf("Check of the seen feed again = %+v, %v; want it available", got, err)
		}
	})
}

func TestSignedButUnusableFeedIsRefused(t *testing.T) {
	fx := newFixture(t, "0.9.0")
	for name, f := range map[string]update.Feed{
		"script link":     {Version: "0.9.1", URL: "javascript:alert(1)", Published: dec1},
		"not semver":      {Version: "latest", URL: "https://chase.md/download", Published: dec1},
		"no publish date": {Version: "0.9.1", URL: "https://chase.md/download"},
	} {
		t.Run(name, func(t *testing.T) {
			fx.srv.set(signed(t, fx.priv, f))
			if got, err := fx.checker.Check(context.Background()); err == nil {
				t.Fatalf("Check = %+v, want an error", got)
			}
		})
	}
}

func TestNoFeedURLOrKeyChecksNothing(t *testing.T) {
	fx := newFixture(t, "0.9.0")
	fx.srv.set(signed(t, fx.priv, update.Feed{Version: "0.9.1", URL: "https://chase.md/download", Published: dec1}))
	noURL, noKey := *fx.checker, *fx.checker
	noURL.FeedURL, noKey.PublicKey = "", nil
	for _, c := range []*update.Checker{&noURL, &noKey} {
		if _, err := c.Check(context.Background()); !errors.Is(err, update.ErrDisabled) {
			t.Fatalf("Check: %v, want ErrDisabled", err)
		}
	}
}

func TestFeedServerErrorIsAnError(t *testing.T) {
	fx := newFixture(t, "0.9.0")
	fx.checker.FeedURL = fx.srv.URL + "/missing.json"
	if _, err := fx.checker.Check(context.Background()); err == nil || errors.Is(err, update.ErrBadSignature) {
		t.Fatalf("Check: %v, want a fetch error", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	if k, err := update.ParsePublicKey(""); err != nil || k != nil {
		t.Fatalf("empty key = %v, %v; want none", k, err)
	}
	if _, err := update.ParsePublicKey(base64.StdEncoding.EncodeToString([]byte("short"))); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
}

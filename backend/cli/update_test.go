package cli

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/update"
)

// `chase update-check` against a real feed server with the three feeds the issue names:
// a good one (a newer release and its link), a stale one (a replay of an older feed,
// and one naming a version older than this copy) and a tampered one.
func TestUpdateCheckWithGoodStaleAndTamperedFeeds(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	// The build-time values a release sets with -ldflags.
	oldKey, oldVersion := config.UpdatePublicKey, config.Version
	config.UpdatePublicKey, config.Version = base64.StdEncoding.EncodeToString(pub), "0.9.0+1a2b3c4"
	t.Cleanup(func() { config.UpdatePublicKey, config.Version = oldKey, oldVersion })

	var mu sync.Mutex
	var body, sig []byte
	serve := func(f update.Feed, tamper bool) {
		b, _ := json.Marshal(f)
		s := []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(priv, b)))
		if tamper {
			b = []byte(strings.Replace(string(b), "https://chase.md/download", "https://evil.example/chase", 1))
		}
		mu.Lock()
		body, sig = b, s
		mu.Unlock()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/feed.json":
			w.Write(body)
		case "/feed.json.sig":
			w.Write(sig)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Setenv("CHASE_DATA_DIR", t.TempDir())
	t.Setenv("CHASE_UPDATE_FEED_URL", srv.URL+"/feed.json")
	dec1 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

	serve(update.Feed{Version: "0.9.2", URL: "https://chase.md/download", Notes: "Faster sync.", Published: dec1.AddDate(0, 0, 7)}, false)
	out, code := run(t, "update-check")
	if code != 0 || !strings.Contains(out, "chase.md 0.9.2 is out") || !strings.Contains(out, "https://chase.md/download") || !strings.Contains(out, "Faster sync.") {
		t.Fatalf("good feed: %d %q", code, out)
	}

	serve(update.Feed{Version: "0.9.2", URL: "https://chase.md/download", Published: dec1.AddDate(0, 0, 7)}, true)
	if out, code := run(t, "update-check"); code != 1 || !strings.Contains(out, "signature does not match") || strings.Contains(out, "evil.example") {
		t.Fatalf("tampered feed: %d %q", code, out)
	}

	serve(update.Feed{Version: "0.9.1", URL: "https://chase.md/download", Published: dec1}, false) // genuinely signed, but older
	if out, code := run(t, "update-check"); code != 1 || !strings.Contains(out, "older than one already seen") {
		t.Fatalf("replayed feed: %d %q", code, out)
	}
	serve(update.Feed{Version: "0.8.0", URL: "https://chase.md/download", Published: dec1.AddDate(0, 0, 8)}, false)
	if out, code := run(t, "update-check"); code != 1 || !strings.Contains(out, "older than this copy's 0.9.0+1a2b3c4") {
		t.Fatalf("feed older than this copy: %d %q", code, out)
	}

	t.Setenv("CHASE_UPDATE_FEED_URL", "")
	config.UpdatePublicKey = ""
	if out, code := run(t, "update-check"); code != 0 || !strings.Contains(out, "checks no release feed") {
		t.Fatalf("build without a feed: %d %q", code, out)
	}
}

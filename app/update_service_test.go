package app

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/update"
)

// The Settings binding against a real feed server: a newer signed release shows with
// its link, a tampered feed is an error the person can read, and a build without a
// feed checks nothing.
func TestUpdateCheckBinding(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := json.Marshal(update.Feed{Version: "99.0.0", URL: "https://chase.md/download", Notes: "New filing rules.",
		Published: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)})
	sig := base64.StdEncoding.EncodeToString(ed25519.Sign(priv, feed))
	var tamper atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.json":
			if tamper.Load() {
				w.Write([]byte(`{"version":"99.0.0","url":"https://evil.example/chase.exe","published":"2026-12-01T09:00:00Z"}`))
				return
			}
			w.Write(feed)
		case "/feed.json.sig":
			w.Write([]byte(sig))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	a := newTestApp(t, config.Config{UpdateFeedURL: srv.URL + "/feed.json", UpdatePublicKey: base64.StdEncoding.EncodeToString(pub)}, Options{})
	got, err := a.Update.Check()
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	want := UpdateInfo{Enabled: true, Available: true, Current: config.Version, Version: "99.0.0", URL: "https://chase.md/download", Notes: "New filing rules."}
	if got != want {
		t.Fatalf("Check = %+v, want %+v", got, want)
	}

	tamper.Store(true)
	got, err = a.Update.Check()
	if err == nil || got.Available || got.URL != "" {
		t.Fatalf("tampered feed: Check = %+v, %v; want an error and no link", got, err)
	}
	if ui := toUIError(err); ui.Code != "update_check" {
		t.Fatalf("tampered feed: UI error %+v, want code update_check", ui)
	}

	plain := newTestApp(t, config.Config{}, Options{})
	if got, err := plain.Update.Check(); err != nil || got.Enabled || got.Available {
		t.Fatalf("build without a feed: Check = %+v, %v; want not enabled, no error", got, err)
	}
}

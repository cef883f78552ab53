package applog

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What reaches the file has every secret taken out, whichever way it was
// logged, and keeps what support needs.
func TestSecretsNeverReachTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "chase.log")
	var also strings.Builder
	log, c, err := Open(path, Options{Also: &also, AlsoLevel: slog.LevelWarn, Level: slog.LevelDebug})
	if err != nil {
		t.Fatal(err)
	}
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMxMjM0NTYifQ.c2lnbmF0dXJlLXZhbHVl"
	refresh := "4d1c9f2b7a6e5d3c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c"
	log.Info("token refreshed", "access_token", jwt, "refresh_token", refresh, "tenant", "6e1a4c2d")
	log.Warn("refresh failed", "err", fmt.Errorf("oauth2: cannot fetch token: 400\nResponse: {\"error\":\"invalid_grant\",\"refresh_token\":\"%s\"}", refresh))
	log.Debug("request sent Authorization: Bearer " + jwt)
	log.Error("callback", "url", "http://127.0.0.1:53682/callback?code=8f3e2a1b9c&state=xyz", "err", errors.New("form: code_verifier="+refresh+"&grant_type=authorization_code"))
	log.Info("smtp", "password", "hunter2hunter2")
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, where := range []string{string(b), also.String()} {
		for _, secret := range []string{jwt, refresh, "8f3e2a1b9c", "hunter2hunter2", "eyJzdWIi"} {
			if strings.Contains(where, secret) {
				t.Errorf("secret %q in the log:\n%s", secret, where)
			}
		}
	}
	for _, kept := range []string{"token refreshed", "tenant=6e1a4c2d", "invalid_grant", "state=xyz", "refresh failed"} {
		if !strings.Contains(string(b), kept) {
			t.Errorf("the log lost %q:\n%s", kept, b)
		}
	}
	if !strings.Contains(also.String(), "refresh failed") || strings.Contains(also.String(), "token refreshed") {
		t.Errorf("stderr gets warnings and errors only:\n%s", also.String())
	}
}

func TestRotatesBySize(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chase.log")
	log, c, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 1000)
	for range maxSizeMB*1100 + 10 { // a little over maxSizeMB
		log.Info(line)
	}
	c.Close()
	matches, _ := filepath.Glob(filepath.Join(dir, "chase-*.log"))
	if len(matches) == 0 {
		t.Fatal("no rotated file after more than the maximum size")
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > maxSizeMB<<20 {
		t.Fatalf("current log %v, %v", fi, err)
	}
}

func TestAFolderThatCannotBeWrittenFallsBack(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o600)
	var also strings.Builder
	log, c := OpenOrFallback(filepath.Join(blocker, "chase.log"), Options{Also: &also, AlsoLevel: slog.LevelInfo})
	defer c.Close()
	log.Info("still here")
	if !strings.Contains(also.String(), "no log file") || !strings.Contains(also.String(), "still here") {
		t.Fatalf("fallback said %q", also.String())
	}
}

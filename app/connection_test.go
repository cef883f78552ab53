package app

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chase.md/backend/config"
	"chase.md/backend/core"
)

// No raw Go error reaches the window: a refused connection is "can't reach
// Xero" with its next step, an unknown error points at the log.
func TestRawErrorsNeverReachTheWindow(t *testing.T) {
	_, dialErr := net.Dial("tcp", "127.0.0.1:9") // nothing listens on discard
	if dialErr == nil {
		t.Skip("something listens on port 9")
	}
	for _, tc := range []struct {
		err  error
		code string
	}{
		{fmt.Errorf("sync: %w", dialErr), "unreachable"},
		{fmt.Errorf("upload: find client: %w", os.ErrPermission), "internal"},
	} {
		got := decodeUIError(t, FormatError(tc.err))
		if got.Code != tc.code || strings.Contains(got.Message, "dial tcp") || strings.Contains(got.Message, "permission denied") || strings.Contains(got.Message, "find client") {
			t.Errorf("%v shown as %+v", tc.err, got)
		}
	}
}

// Copy diagnostics says what support needs (version, system, data folder,
// connection state, the log's last problems) and never a token, even one
// that reached the log.
func TestDiagnosticsHoldNoToken(t *testing.T) {
	dir := t.TempDir()
	a := newTestApp(t, config.Config{DataDir: dir}, Options{})
	jwt := "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMxMjM0NTYifQ.c2lnbmF0dXJlLXZhbHVl"
	refresh := "4d1c9f2b7a6e5d3c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c"
	// Written raw, as an old build's unscrubbed line would be.
	log := "time=2026-12-04T10:00:00Z level=INFO msg=started\n" +
		"time=2026-12-04T10:01:00Z level=ERROR msg=\"refresh failed\" err=\"oauth2: {\\\"refresh_token\\\":\\\"" + refresh + "\\\"} Authorization: Bearer " + jwt + "\"\n" +
		"time=2026-12-04T10:02:00Z level=WARN msg=\"xero unreachable\" err=\"dial tcp 127.0.0.1:9: connect: connection refused\"\n"
	if err := os.WriteFile(filepath.Join(dir, "chase.log"), []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := a.Status.Diagnostics()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{jwt, refresh, "eyJzdWIi"} {
		if strings.Contains(d, secret) {
			t.Errorf("diagnostics hold a secret %q:\n%s", secret, d)
		}
	}
	for _, want := range []string{"chase.md ", "System: ", "Data folder: " + dir, "Connection: " + string(core.ConnSignedOut), "refresh failed", "connection refused", "Last problems in chase.log (2)"} {
		if !strings.Contains(d, want) {
			t.Errorf("diagnostics lack %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "msg=started") {
		t.Errorf("diagnostics hold an info line:\n%s", d)
	}
}

func TestDisplayVersion(t *testing.T) {
	old := config.Version
	t.Cleanup(func() { config.Version = old })
	for v, want := range map[string]string{"0.9.0+abc1234": "0.9.0+abc1234", "v1.2.3": "1.2.3", "17e8510": "development build (17e8510)", "abc1234-dirty": "development build (abc1234-dirty)"} {
		config.Version = v
		if got := config.DisplayVersion(); got != want {
			t.Errorf("DisplayVersion(%q) = %q, want %q", v, got, want)
		}
	}
}

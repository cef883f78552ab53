package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/config"
	"chase.md/backend/rest"
	"chase.md/backend/store"
	"chase.md/backend/xpm"
)

// newTestApp starts an App the way Wails would, minus the window: a real
// database under t.TempDir().
func newTestApp(t testing.TB, cfg config.Config, opts Options) *App {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	a := New(cfg, opts)
	a.begin(context.Background())
	t.Cleanup(func() { a.shutdown(context.Background()) })
	return a
}

func TestInfoReadsRealState(t *testing.T) {
	a := newTestApp(t, config.Config{}, Options{})
	info, err := a.Status.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode != "xero" || info.Demo {
		t.Errorf("mode = %q demo=%v, want xero", info.Mode, info.Demo)
	}
	if info.SchemaVersion < 1 {
		t.Errorf("schema version = %d, want ≥ 1 (migrations applied)", info.SchemaVersion)
	}
	if filepath.Base(info.DatabasePath) != store.FileName {
		t.Errorf("database = %s", info.DatabasePath)
	}
	if !info.FirstRun {
		t.Error("a fresh database should show the welcome screen")
	}
	if err := a.Settings.CompleteFirstRun(); err != nil {
		t.Fatal(err)
	}
	if info, _ := a.Status.Info(); info.FirstRun {
		t.Error("welcome screen still shown after CompleteFirstRun")
	}
}

func TestDemoModeUsesItsOwnDatabaseAndSandbox(t *testing.T) {
	a := newTestApp(t, config.Config{Demo: true}, Options{})
	info, err := a.Status.Info()
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode != "demo" || info.FirstRun || !strings.HasPrefix(info.SandboxURL, "http://127.0.0.1:") {
		t.Errorf("info = %+v, want demo mode with a loopback sandbox", info)
	}
	if filepath.Base(info.DatabasePath) != "demo.db" {
		t.Errorf("demo database = %s, want demo.db", info.DatabasePath)
	}
}

func TestSwitchModeIsRememberedAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	a := newTestApp(t, config.Config{DataDir: dir}, Options{})
	if err := a.Settings.SetLastScreen("uploads"); err != nil {
		t.Fatal(err)
	}
	info, err := a.Status.SetDemo(true)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Demo {
		t.Fatal("SetDemo(true) did not switch")
	}
	if p, _ := a.Settings.Get(); p.LastScreen != "clients" {
		t.Errorf("demo database shows the real one's last screen %q", p.LastScreen)
	}
	a.shutdown(context.Background())

	b := newTestApp(t, config.Config{DataDir: dir}, Options{})
	if info, _ := b.Status.Info(); !info.Demo {
		t.Fatal("the next launch forgot the user chose the demo")
	}
	if info, err := b.Status.SetDemo(false); err != nil || info.Demo {
		t.Fatalf("leave demo: %+v %v", info, err)
	}
	if p, _ := b.Settings.Get(); p.LastScreen != "uploads" {
		t.Errorf("back in real mode, last screen = %q, want uploads", p.LastScreen)
	}
	b.shutdown(context.Background())
	c := newTestApp(t, config.Config{DataDir: dir}, Options{})
	if info, _ := c.Status.Info(); info.Demo {
		t.Error("leaving the demo was not remembered")
	}
}

func TestPreferences(t *testing.T) {
	a := newTestApp(t, config.Config{}, Options{})
	p, err := a.Settings.Get()
	if err != nil {
		t.Fatal(err)
	}
	if p.LastScreen != "clients" || p.XeroClientID != "" || p.Onboarded {
		t.Errorf("defaults = %+v", p)
	}
	if err := a.Settings.SetLastScreen("nowhere"); err == nil {
		t.Error("unknown screen accepted")
	}
	if err := a.Settings.SetLastScreen("chase"); err != nil {
		t.Fatal(err)
	}
	_, err = a.Settings.SetXeroClientID("not-an-id")
	var in *InputError
	if !errors.As(err, &in) {
		t.Fatalf("bad client ID: err = %v, want *InputError", err)
	}
	p, err = a.Settings.SetXeroClientID("  0123456789abcdef0123456789ABCDEF ")
	if err != nil {
		t.Fatal(err)
	}
	if p.XeroClientID != "0123456789ABCDEF0123456789ABCDEF" || p.LastScreen != "chase" {
		t.Errorf("after save = %+v", p)
	}
	if info, _ := a.Status.Info(); !info.ClientIDSet {
		t.Error("Info does not see the saved client ID")
	}

	// Practice Manager is asked for at sign-in only once the practice says its
	// Xero app has access; the choice is kept.
	if p.XPMAccess {
		t.Error("XPM access on by default in real mode")
	}
	if p, err = a.Settings.SetXPMAccess(true); err != nil || !p.XPMAccess {
		t.Fatalf("SetXPMAccess(true) = %+v, %v", p, err)
	}
	if p, _ = a.Settings.Get(); !p.XPMAccess || p.XeroClientID == "" {
		t.Errorf("after SetXPMAccess: %+v", p)
	}
	if p, _ = a.Settings.SetXPMAccess(false); p.XPMAccess {
		t.Error("XPM access cannot be turned off")
	}
}

func TestStartupErrorReachesTheUI(t *testing.T) {
	dir := t.TempDir()
	// A directory where the database file should be makes Open fail.
	cfg := config.Config{DataDir: dir}
	if err := os.MkdirAll(cfg.DBPath(), 0o700); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, cfg, Options{})
	_, err := a.Status.Info()
	if err == nil {
		t.Fatal("Info succeeded without a database")
	}
	if ui := decodeUIError(t, FormatError(err)); ui.Code != "internal" {
		t.Errorf("code = %q", ui.Code)
	}
}

func TestFormatError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code string
	}{
		{context.Canceled, "cancelled"},
		{fmt.Errorf("sync: page 3: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("clients: %w", store.ErrNotFound), "not_found"},
		{ErrNotReady, "starting"},
		{fmt.Errorf("save: %w", &InputError{Field: "x", Message: "Use a number."}), "invalid_input"},
		{&UIError{Code: "reauth", Message: "Sign in to Xero again."}, "reauth"},
		{errors.New("disk on fire"), "internal"},
		{fmt.Errorf("sync page 3: %w (12 left today)", rest.ErrDailyBudgetReserved), "xero_budget"},
		{fmt.Errorf("upload: %w", &rest.DailyLimitError{Reset: time.Now().Add(time.Hour)}), "xero_limit"},
		{fmt.Errorf("chase: move J1: %w", &xpm.Error{Status: "ERROR", Description: "Invalid state"}), "xpm_refused"},
	} {
		got := decodeUIError(t, FormatError(tc.err))
		if got.Code != tc.code || got.Message == "" {
			t.Errorf("FormatError(%v) = %+v, want code %q", tc.err, got, tc.code)
		}
	}
	if m := decodeUIError(t, FormatError(&xpm.Error{Status: "ERROR", Description: "Invalid state"})).Message; !strings.Contains(m, "Invalid state") || strings.Contains(m, "xpm:") {
		t.Errorf("an XPM refusal (a 200 with Status ERROR) should carry XPM's words, introduced in ours: %q", m)
	}
	if FormatError(nil) != nil {
		t.Error("FormatError(nil) should be nil")
	}
	if decodeUIError(t, FormatError(errors.New("disk on fire"))).Message == "disk on fire" {
		t.Error("an unknown error should be introduced in words the user can act on")
	}
}

func TestFitGeometry(t *testing.T) {
	for _, tc := range []struct {
		name         string
		in           geometry
		sw, sh       int
		want         geometry
		wantKeepsPos bool
	}{
		{"fits", geometry{Width: 1300, Height: 800, X: 100, Y: 50}, 1920, 1080, geometry{Width: 1300, Height: 800, X: 100, Y: 50}, true},
		{"too small grows to minimum", geometry{Width: 200, Height: 100, X: 10, Y: 10}, 1920, 1080, geometry{Width: minWidth, Height: minHeight, X: 10, Y: 10}, true},
		{"larger than screen shrinks", geometry{Width: 4000, Height: 3000, X: 0, Y: 0}, 1920, 1080, geometry{Width: 1920, Height: 1080}, true},
		{"on an unplugged monitor", geometry{Width: 1200, Height: 800, X: 2500, Y: 100}, 1920, 1080, geometry{Width: 1200, Height: 800, X: 2500, Y: 100}, false},
		{"title bar above the screen", geometry{Width: 1200, Height: 800, X: 100, Y: -40}, 1920, 1080, geometry{Width: 1200, Height: 800, X: 100, Y: -40}, false},
		{"no screen information", geometry{Width: 1200, Height: 800, X: 100, Y: 100}, 0, 0, geometry{Width: 1200, Height: 800, X: 100, Y: 100}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, keep := fit(tc.in, tc.sw, tc.sh)
			if got != tc.want || keep != tc.wantKeepsPos {
				t.Errorf("fit = %+v keep=%v, want %+v keep=%v", got, keep, tc.want, tc.wantKeepsPos)
			}
		})
	}
}

// decodeUIError reads FormatError's output the way frontend/src/lib/api.ts does.
func decodeUIError(t *testing.T, v any) UIError {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("FormatError returned %T, want a JSON string", v)
	}
	var ui UIError
	if err := json.Unmarshal([]byte(s), &ui); err != nil {
		t.Fatalf("FormatError returned %q: %v", s, err)
	}
	return ui
}

func TestScreenUnion(t *testing.T) {
	var two []wruntime.Screen
	for _, w := range []int{1920, 1280} {
		var s wruntime.Screen
		s.Size.Width, s.Size.Height = w, 1080-(1920-w)/4
		two = append(two, s)
	}
	if w, h := screenUnion(two); w != 3200 || h != 1080 {
		t.Errorf("screenUnion = %d×%d, want 3200×1080", w, h)
	}
	if w, h := screenUnion(nil); w != 0 || h != 0 {
		t.Errorf("no screens = %d×%d", w, h)
	}
}

package app

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"chase.md/backend/core"
)

// SettingsService keeps the user's choices in the store's settings table.
// Tokens are never settings: they live only in the OS keyring.
type SettingsService struct{ app *App }

// Screens are the shell's screens, in navigation order; LastScreen is one of them.
var Screens = []string{"clients", "chase", "reminders", "uploads", "watch", "activity", "settings"}

// Preferences is what the UI reads at start and edits in Settings.
type Preferences struct {
	LastScreen   string `json:"lastScreen"`
	XeroClientID string `json:"xeroClientId"`
	Onboarded    bool   `json:"onboarded"` // the welcome screen has been answered
	// XPMAccess: the practice's Xero app may use Practice Manager, so sign-in
	// asks for it (always true in demo mode and with CHASE_XERO_XPM=1).
	XPMAccess bool `json:"xpmAccess"`
	// XPMJobWrite: "Move jobs in Practice Manager": sign-in asks for the job
	// write scope too, so a confirmed move can change the job's state.
	XPMJobWrite bool `json:"xpmJobWrite"`
}

const (
	keyLastScreen = "ui.last_screen"
	keyClientID   = core.KeyClientID
	keyOnboarded  = "ui.onboarded"
	keyXPMAccess  = core.KeyXPMAccess
	keyXPMJobs    = core.KeyXPMJobWrite
)

// Xero shows an app's client ID as 32 upper-case hex characters.
var clientIDRe = regexp.MustCompile(`^[0-9A-F]{32}$`)

// Get returns the saved preferences, with defaults for what was never set.
func (s *SettingsService) Get() (Preferences, error) {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return Preferences{}, err
	}
	defer done()
	return loadPreferences(ctx, sess)
}

func loadPreferences(ctx context.Context, sess *session) (Preferences, error) {
	p := Preferences{LastScreen: Screens[0]}
	for key, v := range map[string]any{keyLastScreen: &p.LastScreen, keyClientID: &p.XeroClientID, keyOnboarded: &p.Onboarded, keyXPMAccess: &p.XPMAccess,
		keyXPMJobs: &p.XPMJobWrite} {
		if _, err := sess.db.GetSetting(ctx, key, v); err != nil {
			return Preferences{}, err
		}
	}
	if !slices.Contains(Screens, p.LastScreen) {
		p.LastScreen = Screens[0]
	}
	p.XPMAccess = p.XPMAccess || sess.cfg.Demo || sess.cfg.XPM
	return p, nil
}

// SetLastScreen remembers the screen to reopen on the next launch.
func (s *SettingsService) SetLastScreen(screen string) error {
	if !slices.Contains(Screens, screen) {
		return &InputError{Field: "screen", Message: "There is no screen called " + screen + "."}
	}
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return err
	}
	defer done()
	return sess.db.SetSetting(ctx, keyLastScreen, screen)
}

// SetXeroClientID saves the client ID of the practice's own Xero app (PKCE, no
// secret). An empty value clears it.
func (s *SettingsService) SetXeroClientID(id string) (Preferences, error) {
	id = strings.ToUpper(strings.TrimSpace(id))
	if id != "" && !clientIDRe.MatchString(id) {
		return Preferences{}, &InputError{Field: "client ID",
			Message: "A Xero client ID is 32 letters and digits (0–9, A–F). Copy it from your app's page at developer.xero.com/app/manage."}
	}
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return Preferences{}, err
	}
	defer done()
	if err := sess.db.SetSetting(ctx, keyClientID, id); err != nil {
		return Preferences{}, err
	}
	if id != "" && !sess.cfg.Demo {
		// The backend waits for a client ID; a keyring problem now shows where sign-in is.
		if err := s.app.reopenCore(); err != nil {
			s.app.log.Info("backend still not started", "err", err)
		}
	}
	return loadPreferences(ctx, sess)
}

// SetXPMAccess records whether the practice's Xero app has Practice Manager
// access. Xero shows an error page instead of returning to chase.md when an
// app asks for scopes it was not granted, so sign-in asks for XPM only when
// this is on; a change takes effect at the next sign-in.
func (s *SettingsService) SetXPMAccess(on bool) (Preferences, error) {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return Preferences{}, err
	}
	defer done()
	if err := sess.db.SetSetting(ctx, keyXPMAccess, on); err != nil {
		return Preferences{}, err
	}
	return loadPreferences(ctx, sess)
}

// SetXPMJobWrite turns "Move jobs in Practice Manager" on or off. Xero gives
// an app the right to change jobs only when sign-in asks for it, so a change
// takes effect at the next sign-in.
func (s *SettingsService) SetXPMJobWrite(on bool) (Preferences, error) {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return Preferences{}, err
	}
	defer done()
	if err := sess.db.SetSetting(ctx, keyXPMJobs, on); err != nil {
		return Preferences{}, err
	}
	return loadPreferences(ctx, sess)
}

// CompleteFirstRun records that the welcome screen has been answered.
func (s *SettingsService) CompleteFirstRun() error {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return err
	}
	defer done()
	return sess.db.SetSetting(ctx, keyOnboarded, true)
}

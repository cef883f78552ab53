package app

import (
	"runtime"

	"chase.md/backend/auth"
	"chase.md/backend/config"
)

// StatusService tells the UI what it is running against.
type StatusService struct{ app *App }

// Info describes this copy of chase.md: shown in the top bar and Settings › About.
type Info struct {
	Version       string `json:"version"`
	Mode          string `json:"mode"` // "demo" or "xero"
	Demo          bool   `json:"demo"`
	SandboxURL    string `json:"sandboxUrl"` // demo mode's local Xero, "" when none runs
	APIURL        string `json:"apiUrl"`
	DataDir       string `json:"dataDir"`
	DatabasePath  string `json:"databasePath"`
	SchemaVersion int    `json:"schemaVersion"`
	OS            string `json:"os"`
	Arch          string `json:"arch"`
	GoVersion     string `json:"goVersion"`
	ClientIDSet   bool   `json:"clientIdSet"` // a Xero app client ID is configured (env, Settings or built in)
	FirstRun      bool   `json:"firstRun"`    // show the welcome screen
	// RedirectURIs must be registered with the practice's Xero app for sign-in.
	RedirectURIs []string `json:"redirectUris"`
	// BuiltinApp: this build carries chase.md's own Xero app, so no client ID needs entering
	// (the practice's own app is an Advanced setting).
	BuiltinApp bool `json:"builtinApp"`
}

// Info reads the live state from the session and its database.
func (s *StatusService) Info() (Info, error) {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return Info{}, err
	}
	defer done()
	v, err := sess.db.SchemaVersion(ctx)
	if err != nil {
		return Info{}, err
	}
	p, err := loadPreferences(ctx, sess)
	if err != nil {
		return Info{}, err
	}
	info := Info{
		Version:       config.DisplayVersion(),
		Mode:          "xero",
		Demo:          sess.cfg.Demo,
		APIURL:        sess.cfg.APIURL,
		DataDir:       sess.cfg.DataDir,
		DatabasePath:  sess.db.Path(),
		SchemaVersion: v,
		OS:            runtime.GOOS,
		Arch:          runtime.GOARCH,
		GoVersion:     runtime.Version(),
		ClientIDSet:   sess.cfg.ClientID != "" || p.XeroClientID != "" || sess.cfg.BuiltinClientID != "",
		FirstRun:      !sess.cfg.Demo && !p.Onboarded,
		RedirectURIs:  auth.RedirectURIs(nil),
		BuiltinApp:    sess.cfg.BuiltinClientID != "",
	}
	if sess.cfg.Demo {
		info.Mode = "demo"
		if sess.core != nil {
			info.SandboxURL = sess.cfg.APIURL
		}
	}
	return info, nil
}

// SetDemo switches between the demo practice and the user's own Xero. Each mode
// keeps its own database, so demo clients never mix with real ones.
func (s *StatusService) SetDemo(on bool) (Info, error) {
	if err := s.app.switchMode(on); err != nil {
		return Info{}, err
	}
	info, err := s.Info()
	if err == nil {
		s.app.emit(EvModeChanged, info)
	}
	return info, err
}

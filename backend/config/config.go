// Package config holds where chase.md talks to and where it keeps its files,
// read from the environment so the app can be pointed at any Xero-compatible server.
package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"chase.md/backend/store"
)

// Xero's real hosts. The sandbox serves all three from one base URL.
const (
	XeroLoginURL    = "https://login.xero.com"
	XeroIdentityURL = "https://identity.xero.com"
	XeroAPIURL      = "https://api.xero.com"
)

// DemoClientID is the client ID the embedded sandbox accepts in demo mode.
const DemoClientID = "chase-demo"

// Config is the resolved configuration of one run.
type Config struct {
	Demo        bool   // embedded sandbox instead of Xero
	LoginURL    string // authorize page host
	IdentityURL string // token endpoint host
	APIURL      string // API host (connections, api.xro, files.xro, practicemanager)
	ClientID    string // the Xero app's client ID (PKCE, no secret): CHASE_XERO_CLIENT_ID
	// BuiltinClientID is the product's own Xero app, carried by a release build; used when
	// neither CHASE_XERO_CLIENT_ID nor Settings (the practice's own app) names one.
	BuiltinClientID string
	XPM             bool   // the Xero app has Practice Manager access (CHASE_XERO_XPM=1); else a setting says so
	DataDir         string // database, logs
	// DemoContacts sizes the demo practice (CHASE_DEMO_CONTACTS; default 200),
	// so the demo can show what 10,000 clients feel like.
	DemoContacts int
	// UpdateFeedURL and UpdatePublicKey: the signed release feed to check for a newer
	// version and its base64 ed25519 key (build-time; CHASE_UPDATE_FEED_URL moves the feed,
	// the key stays the build's). Either empty: no update check.
	UpdateFeedURL   string
	UpdatePublicKey string
}

// FromEnv reads CHASE_DEMO, CHASE_XERO_LOGIN_URL, CHASE_XERO_IDENTITY_URL,
// CHASE_XERO_API_URL, CHASE_XERO_CLIENT_ID, CHASE_XERO_XPM, CHASE_UPDATE_FEED_URL and CHASE_DATA_DIR.
func FromEnv() Config {
	c := Config{
		Demo:        truthy(os.Getenv("CHASE_DEMO")),
		LoginURL:    env("CHASE_XERO_LOGIN_URL", XeroLoginURL),
		IdentityURL: env("CHASE_XERO_IDENTITY_URL", XeroIdentityURL),
		APIURL:      env("CHASE_XERO_API_URL", XeroAPIURL),
		ClientID:    os.Getenv("CHASE_XERO_CLIENT_ID"),

		BuiltinClientID: BuiltinClientID,
		XPM:             truthy(os.Getenv("CHASE_XERO_XPM")),

		UpdateFeedURL:   env("CHASE_UPDATE_FEED_URL", UpdateFeedURL),
		UpdatePublicKey: UpdatePublicKey,
	}
	if n, err := strconv.Atoi(os.Getenv("CHASE_DEMO_CONTACTS")); err == nil && n > 0 {
		c.DemoContacts = n
	}
	if d, err := store.DataDir(); err == nil {
		c.DataDir = d
	}
	return c
}

// WithSandbox points every endpoint at one sandbox base URL (demo mode).
func (c Config) WithSandbox(baseURL string) Config {
	c.Demo = true
	c.LoginURL, c.IdentityURL, c.APIURL = baseURL, baseURL, baseURL
	c.ClientID = DemoClientID
	return c
}

// DBPath is the SQLite file; demo mode keeps its own so demo data never mixes with a practice's.
func (c Config) DBPath() string {
	if c.Demo {
		return filepath.Join(c.DataDir, "demo.db")
	}
	return filepath.Join(c.DataDir, store.FileName)
}

// LogPath is the log file.
func (c Config) LogPath() string { return filepath.Join(c.DataDir, "chase.log") }

func env(k, def string) string {
	if v := strings.TrimRight(os.Getenv(k), "/"); v != "" {
		return v
	}
	return def
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Version is set at build time with -ldflags "-X chase.md/backend/config.Version=…":
// the Makefile sets the VERSION file's semantic version plus the build, e.g. 0.9.0+1a2b3c4.
// A plain `go build` reports "0.0.0-dev", older than any release.
var Version = "0.0.0-dev"

// BuiltinClientID is chase.md's own Xero app client ID, set at build time (make
// XERO_CLIENT_ID=…): PKCE needs no secret, so a release build can carry it and people
// just sign in. Empty (developer builds): each practice enters its own app's ID.
var BuiltinClientID = ""

// The release feed chase.md checks for a newer version (backend/update), and the base64
// ed25519 public key its signature must match; both set at build time (make
// UPDATE_FEED_URL=… UPDATE_PUBLIC_KEY=…). Empty: no update check.
var (
	UpdateFeedURL   = ""
	UpdatePublicKey = ""
)

// DisplayVersion is Version as a person reads it: a release's semantic
// version ("0.9.0+abc1234") as is, and a build from a bare commit (what `git
// describe --always` gives without a tag) as a development build of it.
func DisplayVersion() string {
	v := strings.TrimPrefix(Version, "v")
	if v == "" {
		return "development build"
	}
	if c := v[0]; c < '0' || c > '9' || !strings.Contains(v, ".") {
		return "development build (" + v + ")"
	}
	return v
}

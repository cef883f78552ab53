// Package auth connects chase.md to Xero: the OAuth2 Authorization Code flow
// with PKCE over a loopback callback, token storage in the OS keyring, a
// persisting token source that survives Xero's single-use refresh tokens, and
// the tenant (connection) list.
//
// Token values never appear in errors, logs or anything this package writes
// outside the TokenStore.
package auth

import (
	"errors"
	"net/http"
	"strconv"
)

// Endpoints are the three Xero hosts the sign-in flow talks to. The sandbox
// serves all three from one address.
type Endpoints struct {
	LoginURL    string // authorize page: LoginURL + "/identity/connect/authorize"
	IdentityURL string // token and revocation: IdentityURL + "/connect/token", "/connect/revocation"
	APIURL      string // tenants: APIURL + "/connections"
}

// XeroEndpoints are the production hosts.
var XeroEndpoints = Endpoints{
	LoginURL:    "https://login.xero.com",
	IdentityURL: "https://identity.xero.com",
	APIURL:      "https://api.xero.com",
}

func (e Endpoints) authorizeURL() string   { return e.LoginURL + "/identity/connect/authorize" }
func (e Endpoints) tokenURL() string       { return e.IdentityURL + "/connect/token" }
func (e Endpoints) revocationURL() string  { return e.IdentityURL + "/connect/revocation" }
func (e Endpoints) connectionsURL() string { return e.APIURL + "/connections" }

// Scopes chase.md asks for. XPM access is gated by Xero, so its scopes are
// requested only when the practice enables XPM.
var (
	BaseScopes = []string{"openid", "profile", "email", "offline_access", "accounting.contacts", "files"}
	XPMScopes  = []string{"practicemanager.job.read", "practicemanager.client.read"}
)

// XPMJobWriteScope lets the app change jobs (PUT job.api/state) as well as
// read them; it replaces practicemanager.job.read when asked for.
const XPMJobWriteScope = "practicemanager.job"

// Scopes returns the scopes to request, with the XPM ones when xpm is set.
func Scopes(xpm bool) []string { return ScopesFor(xpm, false) }

// ScopesFor is Scopes with the right to move jobs when moveJobs (and xpm)
// is set: only a practice that turned job moves on asks Xero for it.
func ScopesFor(xpm, moveJobs bool) []string {
	s := append([]string(nil), BaseScopes...)
	if !xpm {
		return s
	}
	for _, sc := range XPMScopes {
		if moveJobs && sc == "practicemanager.job.read" {
			sc = XPMJobWriteScope
		}
		s = append(s, sc)
	}
	return s
}

// DefaultPorts are the loopback ports tried in order for the callback. Each
// must be registered with the Xero app as http://localhost:PORT/callback.
var DefaultPorts = []int{53682, 53683, 53684}

// RedirectURIs lists the redirect URIs to register for the given ports.
func RedirectURIs(ports []int) []string {
	if len(ports) == 0 {
		ports = DefaultPorts
	}
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = redirectURI(p)
	}
	return out
}

func redirectURI(port int) string { return "http://localhost:" + strconv.Itoa(port) + "/callback" }

var (
	// ErrReauthRequired means the refresh token is no longer accepted
	// (invalid_grant): the user must sign in again. Work should pause, not fail.
	ErrReauthRequired = errors.New("auth: Xero connection expired, reconnect needed")
	// ErrSignedOut means there is no stored token for this connection.
	ErrSignedOut = errors.New("auth: not signed in to Xero")
	// ErrScopeRefused means Xero refused the requested scopes (invalid_scope),
	// in practice the gated Practice Manager ones: sign in again without them.
	ErrScopeRefused = errors.New("auth: Xero refused the requested scopes (Practice Manager access is not enabled for this app or user); sign in again without XPM")
	// ErrAccessDenied means the user declined the consent page.
	ErrAccessDenied = errors.New("auth: access was not granted on the Xero consent page")
	// ErrLoginTimeout means no valid callback arrived in time.
	ErrLoginTimeout = errors.New("auth: sign-in timed out waiting for the browser")
	// ErrLoginInProgress means another sign-in of this connection is waiting
	// for its browser; cancel it first.
	ErrLoginInProgress = errors.New("auth: a sign-in is already in progress")
	// ErrNoFreePort means every configured callback port was taken.
	ErrNoFreePort = errors.New("auth: no free callback port")
)

// HTTPError is a non-2xx answer from a Xero identity or connections endpoint.
// It holds no body: bodies of identity endpoints are not shown to anyone.
type HTTPError struct {
	Op     string
	Status int
	Code   string // OAuth "error" value when there is one
}

var _ error = (*HTTPError)(nil)

func (e *HTTPError) Error() string {
	s := "auth: " + e.Op + ": HTTP " + strconv.Itoa(e.Status) + " " + http.StatusText(e.Status)
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	return s
}

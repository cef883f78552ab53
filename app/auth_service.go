package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/core"
)

// AuthService is the Xero connection as the UI sees it: sign in and out, the
// connection's health and which organisations chase.md works with.
type AuthService struct {
	app *App

	mu           sync.Mutex
	cancelSignIn context.CancelFunc // non-nil while a sign-in waits for the browser
	signInURL    string             // Xero's sign-in address while a sign-in waits, for the copy-link fallback
}

// AuthStatus is the connection card, the top bar and the Reconnect banner's state.
type AuthStatus struct {
	// Running is false when the backend could not start; Reason then says why
	// in words and ReasonCode is "no_client_id", "keyring" or "internal".
	Running    bool   `json:"running"`
	Reason     string `json:"reason,omitempty"`
	ReasonCode string `json:"reasonCode,omitempty"`
	Demo       bool   `json:"demo"`

	State        string    `json:"state"` // "signed-out", "connected", "reconnect-needed"
	AccessExpiry time.Time `json:"accessExpiry"`
	LastRefresh  time.Time `json:"lastRefresh"`
	Refreshes    int       `json:"refreshes"`
	LastError    string    `json:"lastError,omitempty"`
	SigningIn    bool      `json:"signingIn"`
	// SignInURL is the address the browser was asked to open while a sign-in
	// waits: the UI offers it to copy when no browser came up.
	SignInURL string `json:"signInUrl,omitempty"`
	// NeedsChoice: signed in, but no organisation is chosen yet (more than one
	// was granted), so the UI asks which one holds the clients.
	NeedsChoice bool `json:"needsChoice"`

	Orgs       []core.TenantRef `json:"orgs"` // the first is the main one
	Practice   *core.TenantRef  `json:"practice,omitempty"`
	XPMRefused bool             `json:"xpmRefused"`
}

// Tenant is one organisation or practice the sign-in granted, for the picker.
type Tenant struct {
	TenantID     string    `json:"tenantId"`
	ConnectionID string    `json:"connectionId"`
	Name         string    `json:"name"`
	Type         string    `json:"type"` // "organisation" or "practice"
	Connected    time.Time `json:"connected"`
	Chosen       bool      `json:"chosen"` // an organisation whose contacts are clients, or the chosen practice
	Main         bool      `json:"main"`
}

// Status reports the connection without calling Xero.
func (s *AuthService) Status() (AuthStatus, error) {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return AuthStatus{}, err
	}
	defer done()
	st := AuthStatus{Demo: sess.cfg.Demo, State: auth.SignedOut.String(), Orgs: []core.TenantRef{}}
	_, c, done, err := s.app.backend()
	if err != nil {
		st.Reason, st.ReasonCode = whyNotRunning(err)
		return st, nil
	}
	defer done()
	st.Running = true
	a := c.Conn.Status()
	st.State, st.AccessExpiry, st.LastRefresh, st.Refreshes, st.LastError = a.State.String(), a.AccessExpiry, a.LastRefresh, a.Refreshes, a.LastError
	s.mu.Lock()
	st.SigningIn = s.cancelSignIn != nil
	if st.SigningIn {
		st.SignInURL = s.signInURL
	}
	s.mu.Unlock()
	ch, err := c.Choice(ctx)
	if err != nil {
		return AuthStatus{}, err
	}
	if ch.Orgs != nil {
		st.Orgs = ch.Orgs
	}
	st.Practice, st.XPMRefused = ch.Practice, ch.XPMRefused
	st.NeedsChoice = a.State == auth.Connected && len(ch.Orgs) == 0
	return st, nil
}

func whyNotRunning(err error) (words, code string) {
	switch {
	case errors.Is(err, core.ErrNoClientID):
		return "chase.md needs your Xero app's client ID before it can sign in. Enter it under Xero connection.", "no_client_id"
	case errors.Is(err, auth.ErrKeyringUnavailable):
		// The keyring error carries the fix for this system (which keyring to install or unlock).
		msg := err.Error()
		if i := strings.Index(msg, "chase.md keeps"); i >= 0 {
			msg = msg[i:]
		}
		return "This computer's password keyring could not be reached. " + msg, "keyring"
	default:
		return toUIError(err).Message, "internal"
	}
}

// SignIn opens Xero's consent page in the system browser (in demo mode the
// sandbox consents by itself) and waits for the user to come back, at most five
// minutes; CancelSignIn stops the wait.
func (s *AuthService) SignIn() (AuthStatus, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return AuthStatus{}, err
	}
	defer done()
	ctx, cancel := context.WithCancel(ctx)
	s.mu.Lock()
	if s.cancelSignIn != nil {
		s.mu.Unlock()
		cancel()
		return AuthStatus{}, auth.ErrLoginInProgress
	}
	s.cancelSignIn = cancel
	s.mu.Unlock()
	_, _, err = c.SignIn(ctx)
	s.mu.Lock()
	s.cancelSignIn, s.signInURL = nil, ""
	s.mu.Unlock()
	cancel()
	if err != nil {
		return AuthStatus{}, fmt.Errorf("sign in to Xero: %w", err)
	}
	return s.Status()
}

// SignInAddress is the payload of EvSignInURL.
type SignInAddress struct {
	URL string `json:"url"`
	// Opened is false when the system browser could not be asked to open it:
	// the UI shows the address at once instead of after a pause.
	Opened bool `json:"opened"`
}

// browse shows Xero's sign-in page: it remembers the address for Status and
// tells the UI, then asks the system browser. It never fails the sign-in:
// when no browser opens, the person copies the address from the window.
func (s *AuthService) browse(url string) error {
	s.mu.Lock()
	s.signInURL = url
	s.mu.Unlock()
	err := s.app.opts.Browse(url)
	if err != nil {
		s.app.log.Warn("open the browser for sign-in", "err", err)
	}
	s.app.emit(EvSignInURL, SignInAddress{URL: url, Opened: err == nil})
	return nil
}

// CancelSignIn stops a sign-in that waits for the browser; a no-op without one.
func (s *AuthService) CancelSignIn() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancelSignIn != nil {
		s.cancelSignIn()
	}
}

// Tenants lists what the sign-in granted (GET /connections), organisations
// first, marking the ones chosen.
func (s *AuthService) Tenants() ([]Tenant, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return nil, err
	}
	defer done()
	ts, err := c.Conn.Tenants(ctx)
	if err != nil {
		return nil, fmt.Errorf("list your Xero organisations: %w", err)
	}
	ch, err := c.Choice(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Tenant, 0, len(ts))
	for _, t := range ts {
		kind := ""
		switch {
		case strings.EqualFold(t.TenantType, auth.TenantOrganisation):
			kind = "organisation"
		case strings.EqualFold(t.TenantType, auth.TenantPractice):
			kind = "practice"
		default:
			continue
		}
		row := Tenant{TenantID: t.TenantID, ConnectionID: t.ID, Name: t.TenantName, Type: kind, Connected: t.Created}
		if kind == "practice" {
			row.Chosen = ch.Practice != nil && ch.Practice.ID == t.TenantID
		} else {
			i := slices.IndexFunc(ch.Orgs, func(r core.TenantRef) bool { return r.ID == t.TenantID })
			row.Chosen, row.Main = i >= 0, i == 0
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b Tenant) int {
		if a.Type != b.Type {
			return strings.Compare(a.Type, b.Type) // "organisation" < "practice"
		}
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out, nil
}

// SetChoice picks the organisations whose contacts are the practice's clients
// (the first is the main one) and the XPM practice ("" for none), then syncs.
func (s *AuthService) SetChoice(orgIDs []string, practiceID string) (AuthStatus, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return AuthStatus{}, err
	}
	defer done()
	if len(orgIDs) == 0 {
		return AuthStatus{}, &InputError{Field: "organisation", Message: "Choose the organisation that holds your clients."}
	}
	ts, err := c.Conn.Tenants(ctx)
	if err != nil {
		return AuthStatus{}, fmt.Errorf("list your Xero organisations: %w", err)
	}
	find := func(id, kind string) (core.TenantRef, bool) {
		for _, t := range ts {
			if strings.EqualFold(t.TenantID, id) && strings.EqualFold(t.TenantType, kind) {
				return core.TenantRef{ID: t.TenantID, Name: t.TenantName, ConnectionID: t.ID}, true
			}
		}
		return core.TenantRef{}, false
	}
	prev, err := c.Choice(ctx)
	if err != nil {
		return AuthStatus{}, err
	}
	next := core.Choice{XPMRefused: prev.XPMRefused}
	for _, id := range orgIDs {
		r, ok := find(id, auth.TenantOrganisation)
		if !ok {
			return AuthStatus{}, &InputError{Field: "organisation",
				Message: "That organisation is no longer connected to chase.md. Sign in again to add it."}
		}
		if !slices.ContainsFunc(next.Orgs, func(o core.TenantRef) bool { return o.ID == r.ID }) {
			next.Orgs = append(next.Orgs, r)
		}
	}
	if practiceID != "" {
		r, ok := find(practiceID, auth.TenantPractice)
		if !ok {
			return AuthStatus{}, &InputError{Field: "practice",
				Message: "That Practice Manager practice is no longer connected to chase.md. Sign in again to add it."}
		}
		next.Practice = &r
	}
	if err := c.SetChoice(ctx, next); err != nil {
		return AuthStatus{}, err
	}
	return s.Status()
}

// Disconnect removes one organisation's or practice's connection at Xero.
func (s *AuthService) Disconnect(tenantID string) (AuthStatus, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return AuthStatus{}, err
	}
	defer done()
	if err := c.Disconnect(ctx, tenantID); err != nil {
		return AuthStatus{}, fmt.Errorf("disconnect %s: %w", tenantID, err)
	}
	return s.Status()
}

// SignOut revokes the sign-in and forgets the tokens; synced clients, uploads
// and the chase list stay on this computer.
func (s *AuthService) SignOut() (AuthStatus, error) {
	ctx, c, done, err := s.app.backend()
	if err != nil {
		return AuthStatus{}, err
	}
	defer done()
	if err := c.SignOut(ctx); err != nil {
		return AuthStatus{}, fmt.Errorf("sign out of Xero: %w", err)
	}
	return s.Status()
}

// DemoRevoke makes the demo's Xero refuse the current sign-in, as Xero does
// when a refresh token is revoked, and starts a sync that runs into it: the
// app then shows what a real practice sees (the Reconnect banner, paused work).
func (s *AuthService) DemoRevoke() error {
	_, c, done, err := s.app.backend()
	if err != nil {
		return err
	}
	defer done()
	if c.Sandbox == nil {
		return &UIError{Code: "not_demo", Message: "That only works in the demo practice."}
	}
	c.Sandbox.RevokeRefreshTokens()
	c.Sandbox.ExpireAccessTokens()
	c.Scheduler.Trigger(false)
	return nil
}

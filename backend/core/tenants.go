package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"chase.md/backend/auth"
	"chase.md/backend/sandbox"
)

// Choice is which tenants chase.md works with, remembered in settings.
type Choice struct {
	// Orgs are the organisations whose contacts are the practice's clients;
	// the first is the main one.
	Orgs []TenantRef `json:"orgs"`
	// Practice is the XPM practice tenant, if the practice has one and granted it.
	Practice *TenantRef `json:"practice,omitempty"`
	// XPMRefused records that Xero refused the XPM scopes at the last sign-in.
	XPMRefused bool `json:"xpmRefused,omitempty"`
}

// TenantRef names one tenant.
type TenantRef struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ConnectionID string `json:"connectionId"`
}

const keyChoice = "xero.tenants"

// Main is the organisation work goes to by default, or "" before one is chosen.
func (c Choice) Main() string {
	if len(c.Orgs) == 0 {
		return ""
	}
	return c.Orgs[0].ID
}

// Choice reads the remembered tenants.
func (s *Session) Choice(ctx context.Context) (Choice, error) {
	var c Choice
	if _, err := s.DB.GetSetting(ctx, keyChoice, &c); err != nil {
		return Choice{}, err
	}
	return c, nil
}

// SetChoice remembers the tenants to work with and starts a sync of them.
func (s *Session) SetChoice(ctx context.Context, c Choice) error {
	if err := s.DB.SetSetting(ctx, keyChoice, c); err != nil {
		return err
	}
	s.Scheduler.Trigger(false)
	return nil
}

func (s *Session) syncTenants(ctx context.Context) ([]string, error) {
	c, err := s.Choice(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(c.Orgs))
	for _, o := range c.Orgs {
		ids = append(ids, o.ID)
	}
	return ids, nil
}

// KeyXPMAccess is the setting that says the practice's Xero app may use
// Practice Manager (Xero grants that per app); CHASE_XERO_XPM=1 sets it too.
const KeyXPMAccess = "xero.xpm_access"

// AsksForXPM reports whether sign-in asks for the Practice Manager scopes:
// always in demo mode, otherwise only when the practice says its Xero app has
// XPM access. Xero answers an app that asks for scopes it was not granted with
// an error page and never returns to chase.md, so asking by default would
// leave a practice without XPM unable to sign in at all.
func (s *Session) AsksForXPM(ctx context.Context) (bool, error) {
	if s.cfg.Demo || s.cfg.XPM {
		return true, nil
	}
	var on bool
	if _, err := s.DB.GetSetting(ctx, KeyXPMAccess, &on); err != nil {
		return false, fmt.Errorf("read the Practice Manager setting: %w", err)
	}
	return on, nil
}

// KeyXPMJobWrite is the setting "Move jobs in Practice Manager": sign-in
// then asks for the job write scope (practicemanager.job).
const KeyXPMJobWrite = "xero.xpm_job_write"

// AsksToMoveJobs reports whether sign-in asks for the right to move jobs:
// only when it asks for XPM and the practice turned job moves on.
func (s *Session) AsksToMoveJobs(ctx context.Context) (bool, error) {
	withXPM, err := s.AsksForXPM(ctx)
	if err != nil || !withXPM {
		return false, err
	}
	var on bool
	if _, err := s.DB.GetSetting(ctx, KeyXPMJobWrite, &on); err != nil {
		return false, fmt.Errorf("read the job moves setting: %w", err)
	}
	return on, nil
}

// SignIn runs Xero's consent flow, with the XPM scopes when AsksForXPM; if
// Xero refuses them with a redirect it signs in again without them and says so
// in the choice. After a sign-in it picks tenants where the choice is obvious
// (one organisation, one practice; in demo mode the demo practice) and starts a sync.
func (s *Session) SignIn(ctx context.Context) (Choice, []auth.Tenant, error) {
	withXPM, err := s.AsksForXPM(ctx)
	if err != nil {
		return Choice{}, nil, err
	}
	moveJobs, err := s.AsksToMoveJobs(ctx)
	if err != nil {
		return Choice{}, nil, err
	}
	xpmRefused := false
	err = s.Conn.Login(ctx, auth.ScopesFor(withXPM, moveJobs))
	if moveJobs && errors.Is(err, auth.ErrScopeRefused) {
		// The app may read jobs but not change them: keep XPM, without moves
		// (a move then says Xero did not give the permission).
		s.log.Info("xero refused the job write scope; signing in to read jobs only")
		err = s.Conn.Login(ctx, auth.ScopesFor(withXPM, false))
	}
	if withXPM && errors.Is(err, auth.ErrScopeRefused) {
		xpmRefused = true
		err = s.Conn.Login(ctx, auth.Scopes(false))
	}
	if err != nil {
		return Choice{}, nil, err
	}
	tenants, err := s.Conn.Tenants(ctx)
	if err != nil {
		return Choice{}, nil, fmt.Errorf("list the organisations you connected: %w", err)
	}
	c, err := s.Choice(ctx)
	if err != nil {
		return Choice{}, nil, err
	}
	c = reconcile(c, tenants, s.cfg.Demo)
	c.XPMRefused = xpmRefused
	if err := s.SetChoice(ctx, c); err != nil {
		return Choice{}, nil, err
	}
	s.Scheduler.Trigger(true)
	return c, tenants, nil
}

// reconcile drops chosen tenants that are no longer connected and fills in
// obvious choices.
func reconcile(c Choice, tenants []auth.Tenant, demo bool) Choice {
	byID := map[string]auth.Tenant{}
	var orgs, practices []auth.Tenant
	for _, t := range tenants {
		byID[t.TenantID] = t
		switch {
		case strings.EqualFold(t.TenantType, auth.TenantOrganisation):
			orgs = append(orgs, t)
		case strings.EqualFold(t.TenantType, auth.TenantPractice):
			practices = append(practices, t)
		}
	}
	kept := c.Orgs[:0:0]
	for _, o := range c.Orgs {
		if t, ok := byID[o.ID]; ok {
			kept = append(kept, ref(t))
		}
	}
	c.Orgs = kept
	if c.Practice != nil {
		if t, ok := byID[c.Practice.ID]; ok {
			r := ref(t)
			c.Practice = &r
		} else {
			c.Practice = nil
		}
	}
	if len(c.Orgs) == 0 {
		switch {
		case len(orgs) == 1:
			c.Orgs = []TenantRef{ref(orgs[0])}
		case demo:
			for _, t := range orgs {
				if t.TenantName == sandbox.PracticeOrgName {
					c.Orgs = []TenantRef{ref(t)}
				}
			}
		}
	}
	if c.Practice == nil && len(practices) == 1 {
		r := ref(practices[0])
		c.Practice = &r
	}
	return c
}

func ref(t auth.Tenant) TenantRef {
	return TenantRef{ID: t.TenantID, Name: t.TenantName, ConnectionID: t.ID}
}

// Disconnect removes one tenant's connection at Xero and forgets it here.
func (s *Session) Disconnect(ctx context.Context, tenantID string) error {
	c, err := s.Choice(ctx)
	if err != nil {
		return err
	}
	tenants, err := s.Conn.Tenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range tenants {
		if t.TenantID == tenantID {
			if err := s.Conn.Disconnect(ctx, t.ID); err != nil {
				return err
			}
		}
	}
	rest := tenants[:0:0]
	for _, t := range tenants {
		if t.TenantID != tenantID {
			rest = append(rest, t)
		}
	}
	return s.SetChoice(ctx, reconcile(c, rest, false))
}

// SignOut revokes the sign-in and deletes the stored tokens; the local history
// (contacts, uploads, chase list) stays.
func (s *Session) SignOut(ctx context.Context) error {
	return s.Conn.SignOut(ctx)
}

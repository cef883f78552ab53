package app

import (
	"slices"
	"testing"

	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/sandbox"
)

func TestAuthStatusSaysWhyTheBackendIsNotRunning(t *testing.T) {
	a := newTestApp(t, config.Config{}, Options{})
	st, err := a.Auth.Status()
	if err != nil {
		t.Fatal(err)
	}
	// Real mode checks the keyring first (the test runner may provide one), then the client ID.
	if st.Running || (st.ReasonCode != "no_client_id" && st.ReasonCode != "keyring") || st.Reason == "" || st.State != "signed-out" {
		t.Errorf("status without a client ID = %+v", st)
	}
	if err := a.Auth.DemoRevoke(); err == nil {
		t.Error("DemoRevoke outside the demo succeeded")
	}
	if _, err := a.Auth.SignIn(); toUIError(err).Code != st.ReasonCode {
		t.Errorf("SignIn without a client ID: %v, want code %s", err, st.ReasonCode)
	}
	cs, err := a.Clients.SyncStatus()
	if err != nil || cs.Connected || cs.Reason == "" {
		t.Errorf("sync status without a client ID = %+v, %v", cs, err)
	}
}

func TestTenantPickerAndReconnect(t *testing.T) {
	a, _ := syncedDemoApp(t)
	ts, err := a.Auth.Tenants()
	if err != nil {
		t.Fatal(err)
	}
	var orgs, practices []Tenant
	for _, x := range ts {
		if x.Type == "organisation" {
			orgs = append(orgs, x)
		} else {
			practices = append(practices, x)
		}
	}
	if len(orgs) < 2 {
		t.Fatalf("demo organisations = %+v, want the practice's and at least one more", orgs)
	}
	i := slices.IndexFunc(orgs, func(x Tenant) bool { return x.Name == sandbox.PracticeOrgName })
	if i < 0 || !orgs[i].Main || !orgs[i].Chosen || orgs[i].Connected.IsZero() {
		t.Errorf("the demo practice's organisation should be the chosen main one: %+v", orgs)
	}
	if len(practices) != 1 || !practices[0].Chosen {
		t.Errorf("XPM practice = %+v, want one, chosen", practices)
	}

	if _, err := a.Auth.SetChoice([]string{"not-a-tenant"}, ""); toUIError(err).Code != "invalid_input" {
		t.Errorf("unknown tenant: %v", err)
	}
	if _, err := a.Auth.SetChoice(nil, ""); toUIError(err).Code != "invalid_input" {
		t.Errorf("no organisation: %v", err)
	}
	other := orgs[(i+1)%len(orgs)]
	st, err := a.Auth.SetChoice([]string{other.TenantID, orgs[i].TenantID}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Orgs) != 2 || st.Orgs[0].ID != other.TenantID || st.Practice != nil {
		t.Errorf("after SetChoice: %+v", st)
	}
	if ss, _ := a.Clients.SyncStatus(); ss.TenantID != other.TenantID {
		t.Errorf("Clients screen shows tenant %s, want the new main %s", ss.TenantID, other.TenantID)
	}

	st, err = a.Auth.Disconnect(other.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(st.Orgs, func(r core.TenantRef) bool { return r.ID == other.TenantID }) {
		t.Errorf("disconnected organisation still chosen: %+v", st.Orgs)
	}
	if ts, _ := a.Auth.Tenants(); slices.ContainsFunc(ts, func(x Tenant) bool { return x.TenantID == other.TenantID }) {
		t.Error("disconnected organisation still listed by Xero")
	}

	// Xero rejects the refresh token: reconnect-needed, then Sign in fixes it.
	if err := a.Auth.DemoRevoke(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "reconnect-needed", func() bool {
		st, err := a.Auth.Status()
		return err == nil && st.State == "reconnect-needed"
	})
	st, err = a.Auth.SignIn()
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "connected" || st.SigningIn {
		t.Errorf("after reconnect: %+v", st)
	}
	a.Auth.CancelSignIn() // nothing to cancel: a no-op
}

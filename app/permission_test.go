package app

import (
	"strings"
	"testing"

	"chase.md/backend/auth"
)

// A demo sign-in that Xero grants without "files": the error the app gives
// for a Files call names the permission in words and offers to sign in
// again, and the user stays signed in.
func TestMissingPermissionInTheAppsWords(t *testing.T) {
	a, c, tenant, _ := demoApp(t)
	c.Sandbox.WithholdScopes("files")
	if _, err := a.Auth.SignIn(); err != nil {
		t.Fatalf("sign in again: %v", err)
	}
	ctx, _, done, err := a.backend()
	if err != nil {
		t.Fatal(err)
	}
	done() // the test only needs the session, not to hold it open
	refreshes := c.Sandbox.TokenRefreshes()
	_, err = c.Xero(tenant).Folders(ctx)
	if err == nil {
		t.Fatal("Files answered a token without the files scope")
	}
	ui := decodeUIError(t, FormatError(err))
	if ui.Code != "permission_missing" || ui.Action != "signin" || !strings.Contains(ui.Message, `permission to use Files ("files")`) ||
		!strings.Contains(ui.Message, "Sign in to Xero again") || !strings.Contains(ui.Message, "still signed in") {
		t.Errorf("the app's error: %+v", ui)
	}
	if st := c.Conn.State(); st != auth.Connected {
		t.Errorf("connection %v, want still connected", st)
	}
	if n := c.Sandbox.TokenRefreshes() - refreshes; n != 0 {
		t.Errorf("refreshes = %d, want none", n)
	}
}

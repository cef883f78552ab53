package core

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/upload"
)

// A sign-in whose token lacks "files" (Xero answers an upload 401
// AuthorizationUnsuccessful): the upload is asked once, nothing is refreshed,
// the user stays signed in, and the item says which permission is missing
// and to sign in again.
func TestMissingPermissionIsNotAnExpiredToken(t *testing.T) {
	s, ctx := openDemo(t)
	s.Sandbox.WithholdScopes("files")
	if _, _, err := s.SignIn(ctx); err != nil {
		t.Fatal(err)
	}
	main := s.Sandbox.TenantID(sandbox.PracticeOrgName)
	c := s.Sandbox.Contacts(main)[0]
	deadline := time.Now().Add(time.Minute) // the sign-in's sync (Contacts are allowed) brings the contact in
	for {
		if counts, err := s.DB.CountContacts(ctx, main); err == nil && counts.Total == len(s.Sandbox.Contacts(main)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the demo contacts never synced")
		}
		time.Sleep(20 * time.Millisecond)
	}
	target, err := s.UploadContact(ctx, main, c.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	refreshes, posts := s.Sandbox.TokenRefreshes(), s.Sandbox.CountRequests("POST", "/files.xro/1.0/Files")
	tokenCalls := s.Sandbox.CountRequests("POST", "/connect/token")
	path := filepath.Join(t.TempDir(), "bank statement.pdf")
	if err := os.WriteFile(path, []byte("%PDF-1.4 no permission"), 0o600); err != nil {
		t.Fatal(err)
	}
	items, err := s.Uploads.Enqueue(ctx, []upload.Request{{Path: path, TenantID: main, Contact: target, Source: upload.SourceDrop}})
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	done, err := s.Uploads.Wait(wctx, items[0].ID)
	if err != nil {
		t.Fatalf("wait: %v", err)
	}
	it := done[0]
	if it.State != upload.StateFailed || !it.Retryable || !strings.Contains(it.Reason, `permission to use Files ("files")`) ||
		!strings.Contains(it.Reason, "Sign in to Xero again") {
		t.Fatalf("item %s: %q", it.State, it.Reason)
	}
	if n := s.Sandbox.CountRequests("POST", "/files.xro/1.0/Files") - posts; n != 1 {
		t.Errorf("uploads sent = %d, want exactly one", n)
	}
	if n := s.Sandbox.TokenRefreshes() - refreshes; n != 0 {
		t.Errorf("refreshes at the identity server = %d, want none", n)
	}
	if n := s.Sandbox.CountRequests("POST", "/connect/token") - tokenCalls; n != 0 {
		t.Errorf("calls at the identity server's token endpoint = %d, want none", n)
	}
	if st := s.Conn.State(); st != auth.Connected {
		t.Errorf("connection %v after a missing permission, want still connected", st)
	}
	// The same call made directly: a typed error naming the permission, not
	// an expired token's.
	_, err = s.Xero(main).Folders(ctx)
	var pe *rest.PermissionError
	if !errors.As(err, &pe) || pe.Scope != "files" || !errors.Is(err, rest.ErrPermissionMissing) ||
		errors.Is(err, rest.ErrUnauthorized) || errors.Is(err, auth.ErrReauthRequired) {
		t.Fatalf("folders: %v", err)
	}
	if n := s.Sandbox.TokenRefreshes() - refreshes; n != 0 {
		t.Errorf("refreshes after a second refused call = %d, want none", n)
	}
}

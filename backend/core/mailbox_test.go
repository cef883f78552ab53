package core

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/mail"
)

// The mailbox password goes to the OS keyring and nowhere else: after it is
// saved, no file in the data folder holds it, and the sender reads it back.
// A computer that is not the practice's sender has no sender.
func TestMailboxPasswordOnlyInTheKeyring(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CHASE_REQUIRE_KEYRING") == "" {
			t.Skip("no D-Bus session: run under scripts/with-keyring.sh (make test does)")
		}
		t.Fatal("CHASE_REQUIRE_KEYRING is set but DBUS_SESSION_BUS_ADDRESS is not")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := t.TempDir()
	s, err := Open(ctx, Options{Config: config.Config{DataDir: dir, ClientID: "test-client",
		// Never called: nothing here signs in or syncs.
		LoginURL: "http://127.0.0.1:9", IdentityURL: "http://127.0.0.1:9", APIURL: "http://127.0.0.1:9"}, TokenStore: auth.NewMemoryStore()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const pw = "correct-horse-battery-staple-7731"
	set := mail.Settings{Host: "smtp.practice.test", Port: 587, Security: mail.StartTLS, Username: "office-" + filepath.Base(dir) + "@practice.test",
		FromName: "Smith & Co", FromAddress: "office@practice.test"}
	t.Cleanup(func() { mail.DeletePassword(set) })
	if err := s.SaveMailSettings(ctx, set, pw); err != nil {
		t.Fatal(err)
	}
	if !s.MailPasswordSaved(ctx) {
		t.Fatal("the password is not in the keyring")
	}
	if _, err := s.MailSender(ctx); err != ErrNotSender {
		t.Fatalf("sender on a computer that does not send: %v, want ErrNotSender", err)
	}
	if err := s.SetThisComputerSends(ctx, true); err != nil {
		t.Fatal(err)
	}
	snd, err := s.MailSender(ctx)
	if err != nil || snd.From() != "office@practice.test" {
		t.Fatalf("sender = %v, %v", snd, err)
	}
	s.Close()
	err = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(pw)) {
			t.Errorf("%s holds the mailbox password", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

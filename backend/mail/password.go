package mail

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/zalando/go-keyring"
)

// keyringService is chase.md's keyring service; the mailbox password is the
// entry of user "smtp:<username>@<host>".
const keyringService = "chase.md"

// ErrNoPassword: no password is saved for the mailbox.
var ErrNoPassword = errors.New("mail: no password saved for the mailbox")

func passwordKey(s Settings) string { return "smtp:" + s.Username + "@" + s.Host }

// usable mirrors backend/auth: without a session bus, go-keyring may spawn
// daemons on Linux, so it is not called at all.
func usable() error {
	if runtime.GOOS == "linux" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return &Error{Kind: NotSetUp, Words: "chase.md cannot reach this computer's password keyring, where it keeps the mailbox password. Unlock or install a keyring."}
	}
	return nil
}

// SavePassword keeps the mailbox password in the OS keyring, never elsewhere.
func SavePassword(s Settings, password string) error {
	if err := usable(); err != nil {
		return err
	}
	if err := keyring.Set(keyringService, passwordKey(s), password); err != nil {
		return fmt.Errorf("mail: save the mailbox password in the keyring: %w", err)
	}
	return nil
}

// LoadPassword reads the mailbox password (ErrNoPassword when none).
func LoadPassword(s Settings) (string, error) {
	if err := usable(); err != nil {
		return "", err
	}
	pw, err := keyring.Get(keyringService, passwordKey(s))
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNoPassword
	}
	if err != nil {
		return "", fmt.Errorf("mail: read the mailbox password from the keyring: %w", err)
	}
	return pw, nil
}

// DeletePassword forgets the mailbox password.
func DeletePassword(s Settings) error {
	if err := usable(); err != nil {
		return err
	}
	if err := keyring.Delete(keyringService, passwordKey(s)); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("mail: delete the mailbox password: %w", err)
	}
	return nil
}

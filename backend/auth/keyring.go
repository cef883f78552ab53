package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/zalando/go-keyring"
	"golang.org/x/oauth2"
)

// KeyringService is the service name of chase.md's keyring entries.
const KeyringService = "chase.md"

// ErrKeyringUnavailable means the OS keyring cannot be used. On Linux that is
// usually a missing or locked Secret Service; its message says how to fix it.
var ErrKeyringUnavailable = errors.New("auth: the system keyring is not available")

// KeyringError says which keyring operation failed and why; it matches
// ErrKeyringUnavailable with errors.Is.
type KeyringError struct {
	Op  string
	Err error // the go-keyring error, or nil when the keyring was not tried
}

var _ error = (*KeyringError)(nil)

func (e *KeyringError) Error() string {
	why := "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)"
	if e.Err != nil {
		why = e.Err.Error()
	}
	return fmt.Sprintf("auth: keyring %s: %s. %s", e.Op, why, keyringHint())
}

func (e *KeyringError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrKeyringUnavailable}
	}
	return []error{ErrKeyringUnavailable, e.Err}
}

func keyringHint() string {
	switch runtime.GOOS {
	case "windows":
		return "chase.md keeps its Xero sign-in in the Windows Credential Manager; check that it is accessible for this user."
	case "darwin":
		return "chase.md keeps its Xero sign-in in the macOS Keychain; unlock the login keychain and allow access."
	default:
		return "chase.md keeps its Xero sign-in in the Secret Service: install and unlock a keyring " +
			"(e.g. `apt install gnome-keyring` and log in to a desktop session, or KeePassXC with Secret Service enabled), " +
			"or use the demo mode, which keeps tokens in memory only."
	}
}

// KeyringStore keeps each connection's token as JSON in one OS keyring entry
// (service KeyringService, user = connection key).
type KeyringStore struct {
	Service string // default KeyringService
	// LockDir holds the refresh lock files (LockRefresh); default the
	// user's cache folder, chase.md.
	LockDir string

	set func(service, user, secret string) error // keyring.Set; tests mimic Windows' size cap
}

var (
	_ TokenStore    = (*KeyringStore)(nil)
	_ RefreshLocker = (*KeyringStore)(nil)
)

func (s *KeyringStore) service() string {
	if s.Service == "" {
		return KeyringService
	}
	return s.Service
}

// usable reports whether go-keyring may be called at all. On Linux and other
// Secret Service platforms, calling it without a session bus can spawn a
// dbus-daemon and keyring daemon that outlive us, so refuse up front.
func usable(op string) error {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return &KeyringError{Op: op}
	}
	return nil
}

// Check probes the keyring with a read of an entry that need not exist.
func (s *KeyringStore) Check(ctx context.Context) error {
	if err := usable("check"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := keyring.Get(s.service(), "chase.md-probe"); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &KeyringError{Op: "check", Err: err}
	}
	return nil
}

// Load reads the token of key; ErrSignedOut when there is none.
func (s *KeyringStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	if err := usable("read"); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	v, err := keyring.Get(s.service(), key)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil, ErrSignedOut
	}
	if err != nil {
		return nil, &KeyringError{Op: "read", Err: err}
	}
	return decodeToken([]byte(v))
}

// Save writes tok under key, replacing any previous token.
func (s *KeyringStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if err := usable("write"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := encodeToken(tok)
	if err != nil {
		return err
	}
	set := s.set
	if set == nil {
		set = keyring.Set
	}
	err = set(s.service(), key, string(b))
	if errors.Is(err, keyring.ErrSetDataTooBig) {
		// Windows caps a credential at 2560 bytes and Xero's access token
		// is a JWT of 1-2 kB. The refresh token is what must survive: keep
		// it alone, and the next Token refreshes at once.
		if b, err = encodeToken(&oauth2.Token{RefreshToken: tok.RefreshToken, TokenType: tok.TokenType}); err != nil {
			return err
		}
		err = set(s.service(), key, string(b))
	}
	if err != nil {
		return &KeyringError{Op: "write", Err: err}
	}
	return nil
}

// Delete removes key's entry; a missing entry is not an error.
func (s *KeyringStore) Delete(ctx context.Context, key string) error {
	if err := usable("delete"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := keyring.Delete(s.service(), key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &KeyringError{Op: "delete", Err: err}
	}
	return nil
}

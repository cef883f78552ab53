package auth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// RefreshLocker is a TokenStore that several processes share (the OS
// keyring): the app, `chase watch` and any other command read the same
// entry. LockRefresh holds a lock across processes while one of them reads
// and rotates key's token, so they all follow one refresh-token chain
// instead of spending the same refresh token twice (Xero then revokes the
// chain: a forced sign-in).
type RefreshLocker interface {
	LockRefresh(ctx context.Context, key string) (unlock func(), err error)
}

// lockRetry is how often a refresh waiting for another process's tries the lock again.
const lockRetry = 20 * time.Millisecond

// LockRefresh takes the refresh lock of key: a file lock (flock on Unix,
// LockFileEx on Windows) beside the keyring entry, in LockDir. The OS
// releases it when the process dies, so a crash never leaves it held.
func (s *KeyringStore) LockRefresh(ctx context.Context, key string) (func(), error) {
	dir := s.LockDir
	if dir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			d = os.TempDir()
		}
		dir = filepath.Join(d, "chase.md")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: refresh lock: %w", err)
	}
	return LockFile(ctx, filepath.Join(dir, "refresh-"+fileSafe(s.service())+"-"+fileSafe(key)+".lock"))
}

// LockFile waits for an exclusive OS lock on path (created if missing) until
// ctx ends, and returns its release.
func LockFile(ctx context.Context, path string) (func(), error) {
	fl := flock.New(path, flock.SetPermissions(0o600))
	ok, err := fl.TryLockContext(ctx, lockRetry)
	if err == nil && !ok {
		err = errors.New("not acquired")
	}
	if err != nil {
		fl.Close()
		return nil, fmt.Errorf("auth: lock %s: %w", filepath.Base(path), err)
	}
	return func() { fl.Unlock() }, nil
}

func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// lockShared takes the cross-process refresh lock when the store is shared
// with other processes; callers hold c.lock.
func (c *Connection) lockShared(ctx context.Context) (func(), error) {
	if l, ok := c.opts.Store.(RefreshLocker); ok {
		return l.LockRefresh(ctx, c.opts.Key)
	}
	return func() {}, nil
}

// reload re-reads the stored token under the refresh lock: another process
// may have rotated it since we loaded ours, and its refresh token is then the
// only one left to spend. Ours is kept when nobody rotated it (it may carry
// an Invalidate). Callers hold c.lock and the refresh lock.
func (c *Connection) reload(ctx context.Context) error {
	tok, err := c.opts.Store.Load(ctx, c.opts.Key)
	if errors.Is(err, ErrSignedOut) {
		c.tok = nil
		c.setState(SignedOut, "signed out in another chase.md window or command")
		return ErrSignedOut
	}
	if err != nil {
		return fmt.Errorf("auth: re-read the saved sign-in: %w", err)
	}
	if c.tok != nil && tok.RefreshToken == c.tok.RefreshToken {
		return nil
	}
	c.adopt(tok, false)
	c.log.Info("xero sign-in was refreshed by another chase.md process; using its token")
	return nil
}

package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"golang.org/x/oauth2"
)

// TokenStore keeps one token per connection key. Load returns ErrSignedOut
// when the key has no token. Implementations must never put token values in
// their errors.
type TokenStore interface {
	Load(ctx context.Context, key string) (*oauth2.Token, error)
	Save(ctx context.Context, key string, tok *oauth2.Token) error
	Delete(ctx context.Context, key string) error
}

// MemoryStore keeps tokens in memory only; demo mode uses it.
type MemoryStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

var _ TokenStore = (*MemoryStore)(nil)

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[string][]byte{}} }

// Load returns a copy of the token saved under key.
func (s *MemoryStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	s.mu.Lock()
	b, ok := s.m[key]
	s.mu.Unlock()
	if !ok {
		return nil, ErrSignedOut
	}
	return decodeToken(b)
}

// Save stores a copy of tok under key.
func (s *MemoryStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	b, err := encodeToken(tok)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.m[key] = b
	s.mu.Unlock()
	return nil
}

// Delete removes key; deleting a missing key is not an error.
func (s *MemoryStore) Delete(ctx context.Context, key string) error {
	s.mu.Lock()
	delete(s.m, key)
	s.mu.Unlock()
	return nil
}

// encodeToken stores the fields that matter to resume a connection. Expiry is
// absolute, so expires_in (relative to a moment long past) is dropped.
func encodeToken(tok *oauth2.Token) ([]byte, error) {
	if tok == nil {
		return nil, errors.New("auth: encode token: nil token")
	}
	t := oauth2.Token{
		AccessToken:  tok.AccessToken,
		TokenType:    tok.TokenType,
		RefreshToken: tok.RefreshToken,
		Expiry:       tok.Expiry,
	}
	b, err := json.Marshal(&t)
	if err != nil {
		// json errors on this struct cannot quote token values, but keep
		// the message generic anyway.
		return nil, errors.New("auth: encode token failed")
	}
	return b, nil
}

func decodeToken(b []byte) (*oauth2.Token, error) {
	var t oauth2.Token
	if err := json.Unmarshal(b, &t); err != nil {
		// A json.SyntaxError can quote input; never wrap it.
		return nil, fmt.Errorf("auth: stored token is not valid JSON (%d bytes)", len(b))
	}
	if t.RefreshToken == "" && t.AccessToken == "" {
		return nil, errors.New("auth: stored token is empty")
	}
	return &t, nil
}

// Package update tells the person when a newer chase.md is out. It reads a small
// release feed, verifies its detached ed25519 signature against a public key built
// into the binary, and compares semantic versions. It never downloads or installs
// anything: the result is a link for the person to follow.
//
// The feed at FeedURL is JSON
//
//	{"version":"0.9.1","url":"https://chase.md/download","notes":"…","published":"2026-12-01T09:00:00Z"}
//
// and FeedURL+".sig" holds the base64 ed25519 signature of the feed's exact bytes
// (scripts/feedsign makes both the key pair and the signature).
package update

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// maxFeed bounds what is read from the feed server: a feed is a few hundred bytes.
const maxFeed = 64 << 10

var (
	// ErrDisabled: this build has no feed URL or no public key, so there is nothing to check.
	ErrDisabled = errors.New("update: this build checks no release feed")
	// ErrBadSignature: the feed is not signed by the key built into chase.md (tampered or forged).
	ErrBadSignature = errors.New("update: the release feed's signature does not match")
	// ErrStale: the feed is older than one already seen, or names an older version than the
	// running one: a replayed or out-of-date feed, which must not hide a newer release.
	ErrStale = errors.New("update: the release feed is older than one already seen")
)

// Feed is the signed release announcement.
type Feed struct {
	Version   string    `json:"version"`
	URL       string    `json:"url"`
	Notes     string    `json:"notes"`
	Published time.Time `json:"published"`
}

// Result is what the person is told.
type Result struct {
	Available bool   `json:"available"` // Version is newer than the running one
	Version   string `json:"version"`
	URL       string `json:"url"` // where to download it (the feed's link, http or https)
	Notes     string `json:"notes"`
}

// Memory keeps the newest feed date seen, so an older signed feed replayed later is refused.
type Memory interface {
	LastPublished(ctx context.Context) (time.Time, error)
	SetLastPublished(ctx context.Context, t time.Time) error
}

// Checker checks one feed for one running version.
type Checker struct {
	FeedURL   string
	PublicKey ed25519.PublicKey
	Current   string // the running version, e.g. 0.9.0+1a2b3c4
	Memory    Memory
	Client    *http.Client // nil: a client with a 20 s timeout
}

// ParsePublicKey decodes a base64 ed25519 public key as set at build time ("" is no key).
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("update: public key is not base64: %w", err)
	}
	if len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("update: public key has %d bytes, want %d", len(b), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

// Check fetches and verifies the feed and says whether it announces a newer version.
func (c *Checker) Check(ctx context.Context) (Result, error) {
	if c.FeedURL == "" || len(c.PublicKey) != ed25519.PublicKeySize {
		return Result{}, ErrDisabled
	}
	body, err := c.get(ctx, c.FeedURL)
	if err != nil {
		return Result{}, err
	}
	sigText, err := c.get(ctx, c.FeedURL+".sig")
	if err != nil {
		return Result{}, err
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
	if err != nil || !ed25519.Verify(c.PublicKey, body, sig) {
		return Result{}, ErrBadSignature
	}
	var f Feed
	if err := json.Unmarshal(body, &f); err != nil {
		return Result{}, fmt.Errorf("update: read the release feed: %w", err)
	}
	latest, err := parseVersion(f.Version)
	if err != nil {
		return Result{}, fmt.Errorf("update: the release feed's version: %w", err)
	}
	if u, err := url.Parse(f.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Result{}, fmt.Errorf("update: the release feed's download link %q is not a web address", f.URL)
	}
	if f.Published.IsZero() {
		return Result{}, errors.New("update: the release feed has no publication date")
	}
	current, err := parseVersion(c.Current)
	if err != nil {
		return Result{}, fmt.Errorf("update: the running version: %w", err)
	}
	if latest.compare(current) < 0 {
		return Result{}, fmt.Errorf("%w: it names %s, older than this copy's %s", ErrStale, f.Version, c.Current)
	}
	if c.Memory != nil {
		seen, err := c.Memory.LastPublished(ctx)
		if err != nil {
			return Result{}, fmt.Errorf("update: read the last feed date: %w", err)
		}
		if f.Published.Before(seen) {
			return Result{}, fmt.Errorf("%w: published %s, one from %s was seen", ErrStale,
				f.Published.UTC().Format(time.RFC3339), seen.UTC().Format(time.RFC3339))
		}
		if f.Published.After(seen) {
			if err := c.Memory.SetLastPublished(ctx, f.Published); err != nil {
				return Result{}, fmt.Errorf("update: save the feed date: %w", err)
			}
		}
	}
	return Result{Available: latest.compare(current) > 0, Version: f.Version, URL: f.URL, Notes: f.Notes}, nil
}

func (c *Checker) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("update: %w", err)
	}
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("update: fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("update: fetch %s: %s", u, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxFeed+1))
	if err != nil {
		return nil, fmt.Errorf("update: read %s: %w", u, err)
	}
	if len(b) > maxFeed {
		return nil, fmt.Errorf("update: %s is larger than %d bytes", u, maxFeed)
	}
	return b, nil
}

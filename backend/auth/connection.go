package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// Options configure a Connection. ClientID, Endpoints and Store are required.
type Options struct {
	ClientID  string
	Endpoints Endpoints
	Store     TokenStore
	// Key names this connection's entry in Store (one per Xero sign-in).
	Key string // default "xero"
	// HTTPClient carries the identity calls and is the base of Client.
	HTTPClient *http.Client // default http.DefaultClient
	// UserAgent is sent on every identity and connections call that sets
	// none, so they carry the same User-Agent as the API calls (rest's).
	UserAgent string
	// OpenURL shows the consent page to the user: Wails' BrowserOpenURL in
	// the app, a scripted client in tests.
	OpenURL func(url string) error
	// Ports are tried in order for the loopback callback; 0 means any free
	// port (tests only: Xero accepts registered ports only).
	Ports        []int         // default DefaultPorts
	LoginTimeout time.Duration // default 5 minutes
	// RefreshBefore is how long before expiry the access token is renewed,
	// so no request starts with a token that dies in flight.
	RefreshBefore time.Duration // default 5 minutes
	// Now is the clock that judges token expiry; the sandbox tests share it.
	Now    func() time.Time // default time.Now
	Logger *slog.Logger     // default discards; never given token values
	// OnSignIn, if set, is told who signed in (from the id_token), for the
	// activity log's "who".
	OnSignIn func(User)
}

// State is where a Connection stands.
type State int

// The states of a Connection.
const (
	SignedOut       State = iota // no token: first run or after Sign out
	Connected                    // a token that Xero accepts (as far as we know)
	ReconnectNeeded              // Xero rejected the refresh token: sign in again
)

func (s State) String() string {
	switch s {
	case Connected:
		return "connected"
	case ReconnectNeeded:
		return "reconnect-needed"
	default:
		return "signed-out"
	}
}

// MarshalText makes State readable in JSON for the UI.
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Status describes the connection's health for the UI; it holds no secrets.
type Status struct {
	State        State     `json:"state"`
	AccessExpiry time.Time `json:"accessExpiry,omitzero"` // when the current access token dies
	LastRefresh  time.Time `json:"lastRefresh,omitzero"`
	Refreshes    int       `json:"refreshes"` // since the app started
	LastError    string    `json:"lastError,omitempty"`
}

// Connection is one Xero sign-in: it runs the sign-in flow, hands out fresh
// access tokens, and tells waiting work when the connection comes and goes.
type Connection struct {
	opts Options
	log  *slog.Logger

	// lock (one slot) serialises everything that reads or rotates the
	// refresh token: refreshes, sign-in and sign-out. A channel rather
	// than a mutex so that waiters can give up when their ctx ends.
	lock    chan struct{}
	tok     *oauth2.Token // last token saved to the store
	pending *oauth2.Token // refreshed but not yet saved: never handed out

	mu      sync.Mutex // guards the fields below
	state   State
	changed chan struct{} // closed and replaced on every state change
	status  Status

	loggingIn atomic.Bool    // one sign-in at a time
	onListen  func(net.Addr) // test hook: the bound callback address
}

// Open loads the stored token of opts.Key, if any, and returns the
// connection in state Connected or SignedOut.
func Open(ctx context.Context, opts Options) (*Connection, error) {
	if opts.ClientID == "" {
		return nil, errors.New("auth: no Xero client ID configured (settings or CHASE_XERO_CLIENT_ID)")
	}
	if opts.Store == nil {
		return nil, errors.New("auth: no token store")
	}
	if opts.Key == "" {
		opts.Key = "xero"
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = http.DefaultClient
	}
	if opts.UserAgent != "" {
		hc := *opts.HTTPClient
		base := hc.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		hc.Transport = userAgent{base: base, ua: opts.UserAgent}
		opts.HTTPClient = &hc
	}
	if len(opts.Ports) == 0 {
		opts.Ports = DefaultPorts
	}
	if opts.LoginTimeout <= 0 {
		opts.LoginTimeout = 5 * time.Minute
	}
	if opts.RefreshBefore <= 0 {
		opts.RefreshBefore = 5 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &Connection{
		opts:    opts,
		log:     opts.Logger,
		lock:    make(chan struct{}, 1),
		changed: make(chan struct{}),
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	tok, err := opts.Store.Load(ctx, opts.Key)
	switch {
	case errors.Is(err, ErrSignedOut):
	case errors.Is(err, ErrKeyringUnavailable) || ctx.Err() != nil:
		return nil, fmt.Errorf("auth: load token %q: %w", opts.Key, err)
	case err != nil:
		// An unreadable entry must not lock the user out: sign in again
		// overwrites it.
		c.log.Warn("stored Xero sign-in is unreadable; sign in again", "key", opts.Key, "err", err)
	default:
		c.tok = tok
		c.state = Connected
		c.status = Status{State: Connected, AccessExpiry: tok.Expiry}
	}
	return c, nil
}

// State returns the current state.
func (c *Connection) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// Status returns the state and token health.
func (c *Connection) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Changed returns a channel that is closed at the next state change.
func (c *Connection) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// WaitConnected blocks until the state is Connected or ctx ends. Queues call
// it when they meet ErrReauthRequired, so work pauses instead of failing.
func (c *Connection) WaitConnected(ctx context.Context) error {
	for {
		c.mu.Lock()
		st, ch := c.state, c.changed
		c.mu.Unlock()
		if st == Connected {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (c *Connection) setState(s State, lastErr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status.LastError = lastErr
	if c.state == s {
		return
	}
	c.log.Info("xero connection state", "from", c.state.String(), "to", s.String())
	c.state = s
	c.status.State = s
	close(c.changed)
	c.changed = make(chan struct{})
}

func (c *Connection) acquire(ctx context.Context) error {
	select {
	case c.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Connection) release() { <-c.lock }

// oauthConfig is built per use: RedirectURL and scopes belong to one sign-in.
func (c *Connection) oauthConfig(redirectURL string, scopes []string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:    c.opts.ClientID,
		RedirectURL: redirectURL,
		Scopes:      scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:  c.opts.Endpoints.authorizeURL(),
			TokenURL: c.opts.Endpoints.tokenURL(),
			// A public client: no secret. Never AutoDetect, which resends a
			// failed request in the other style and would spend a refresh
			// token twice.
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
}

func (c *Connection) httpContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.opts.HTTPClient)
}

// stamp sets Expiry from expires_in on our clock, so expiry judgements and
// the sandbox's clock agree.
func (c *Connection) stamp(tok *oauth2.Token) {
	if tok.ExpiresIn > 0 {
		tok.Expiry = c.opts.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
}

// save writes tok to the store. Callers hold lock.
func (c *Connection) save(ctx context.Context, tok *oauth2.Token) error {
	if err := c.opts.Store.Save(ctx, c.opts.Key, tok); err != nil {
		c.setState(c.State(), "couldn't store token")
		return fmt.Errorf("couldn't store token: %w", err)
	}
	return nil
}

// adopt makes tok the current token. Callers hold lock and saved tok.
func (c *Connection) adopt(tok *oauth2.Token, refreshed bool) {
	c.tok, c.pending = tok, nil
	c.mu.Lock()
	c.status.AccessExpiry = tok.Expiry
	if refreshed {
		c.status.LastRefresh = c.opts.Now()
		c.status.Refreshes++
	}
	c.mu.Unlock()
	c.setState(Connected, "")
}

// userAgent sets the User-Agent on requests that have none.
type userAgent struct {
	base http.RoundTripper
	ua   string
}

func (u userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context()) // a RoundTripper must not modify the request
		req.Header.Set("User-Agent", u.ua)
	}
	return u.base.RoundTrip(req)
}

// Package sandbox is a local stand-in for Xero: identity (OAuth2 with PKCE),
// Accounting Contacts, Files, and Practice Manager (mounted from xpmsim), with
// Xero's authentication, tenant and scope checks, rate limits, fault injection
// and an inspector for tests.
//
// It is written from Xero's public contract (../shared/xero/) and never from
// chase.md's own client code, so that a misreading on one side shows up as a
// failing test instead of being mirrored on both.
//
// One base URL serves the paths of every Xero host, so a client configured
// with LoginURL = IdentityURL = APIURL = baseURL works:
//
//	login     /identity/connect/authorize
//	identity  /connect/token, /connect/revocation
//	api       /connections, /api.xro/2.0/..., /files.xro/1.0/..., /practicemanager/3.1/...
//	control   /_sandbox/... (not Xero's: see control.go)
//
// For tests, a Server doubles as an inspector: IssueToken skips the browser
// flow; Requests, CountRequests, TokenGrants and TokenRefreshes show what a
// client did; Contacts, Files, FilesFor and Associations show the state;
// UpdateContact, ArchiveContact and AddContact change it between syncs;
// SetFault, SetFaults and ClearFaults inject failures (see FaultSyntax);
// RevokeRefreshTokens, ExpireAccessTokens and Advance age the credentials;
// Practice reaches the XPM practice.
//
// Where Xero's behaviour is not documented the sandbox picks one and says so:
// re-associating a file with the same object returns the existing
// association (201); an Idempotency-Key reused with a different request is
// refused with 422 and one still in flight with 409; an authorize request
// with an unknown client or redirect, or asking for scopes the app may not
// have, gets Xero's error page and no redirect, while its other errors
// (unknown scope, no PKCE) are redirected as RFC 6749 says, though Xero's
// troubleshooting page suggests it shows its error page for those too;
// GET /Contacts without page returns every match; archived contacts come
// back only with includeArchived, IDs or a where on ContactStatus.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"chase.md/backend/sandbox/xpmsim"
)

// Options configure a Server. The zero value is a usable demo sandbox.
type Options struct {
	Clock func() time.Time // injectable; default time.Now
	// ClockScale > 0 runs the default clock this many times faster than real
	// time from New on (60: an access token's 30 minutes pass in 30 s).
	// Ignored when Clock is set. Advance (or POST /_sandbox/clock/advance)
	// moves it further at once.
	ClockScale    float64
	LimitScale    float64  // 1 = real; 60 = "a minute" of rate-limit window passes in a second
	Contacts      int      // demo contacts in the practice organisation (default 200)
	Seed          int64    // demo data and probability faults
	AutoConsent   bool     // demo mode: authorize redirects at once with every tenant granted
	Faults        string   // fault spec, see ParseFaults
	ClientIDs     []string // accepted client_ids; default {"chase-demo"}
	DisableLimits bool     // no rate limits at all (headers are still sent)
	// FaultControl enables POST /_sandbox/faults?spec=SPEC (see control.go):
	// the browser tests break and mend the demo Xero from outside the app.
	// Only builds with the e2e tag turn it on in demo mode.
	FaultControl bool

	// XPMNoJobStateList makes jobstate.api/list answer as an unknown
	// endpoint, as it may for practices where Xero never shipped it.
	XPMNoJobStateList bool

	// RedirectURIs are the app's registered redirect URIs. When set, the
	// authorize page accepts only these, compared exactly as Xero asks
	// ("identical, including trailing slashes"), and so does the code
	// exchange, which wants the code's own redirect_uri; unset, any https
	// redirect or http one to a loopback host is accepted.
	RedirectURIs []string

	// RefuseXPMScopes plays an app that Xero has not given Practice Manager
	// access: see SetRefuseXPMScopes.
	RefuseXPMScopes bool

	// IdempotencyRetention is how long (on the sandbox clock) an
	// Idempotency-Key's answer is replayed; 0 keeps it for the sandbox's
	// life. Xero documents only "safely retry", not how long it remembers
	// a key: a key it has forgotten runs the request again, so a late replay
	// of an upload makes a second file. See also ForgetIdempotencyKeys.
	IdempotencyRetention time.Duration
}

// Server is the sandbox. All methods are safe for concurrent use.
type Server struct {
	opts    Options
	clients map[string]bool

	mu       sync.Mutex // guards everything below and the data of every tenant
	offset   time.Duration
	tenants  []*tenant
	byID     map[string]*tenant
	id       *identity
	faults   []*faultRule
	rng      *rand.Rand
	reqMu    sync.Mutex // guards requests only: handlers write (and so record) while holding mu
	requests []Request
	limits   *limiter
	idem     map[string]*idemEntry // tenant + "\x00" + Idempotency-Key
	practice *xpmsim.Practice
	noXPM    bool     // Options.RefuseXPMScopes, changed by SetRefuseXPMScopes
	withheld []string // WithholdScopes: asked for, consented to, yet not granted

	handler http.Handler
}

// New builds a sandbox with deterministic demo data. It panics only if
// opts.Faults does not parse; use SetFaults to handle that error yourself.
func New(opts Options) *Server {
	if opts.Contacts <= 0 {
		opts.Contacts = 200
	}
	if opts.LimitScale <= 0 {
		opts.LimitScale = 1
	}
	if len(opts.ClientIDs) == 0 {
		opts.ClientIDs = []string{"chase-demo"}
	}
	if opts.Clock == nil && opts.ClockScale > 0 && opts.ClockScale != 1 {
		start, scale := time.Now(), opts.ClockScale
		opts.Clock = func() time.Time { return start.Add(time.Duration(float64(time.Since(start)) * scale)) }
	}
	s := &Server{
		opts:    opts,
		clients: map[string]bool{},
		byID:    map[string]*tenant{},
		rng:     rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed)),
		idem:    map[string]*idemEntry{},
		noXPM:   opts.RefuseXPMScopes,
	}
	for _, c := range opts.ClientIDs {
		s.clients[c] = true
	}
	s.id = newIdentity()
	s.limits = newLimiter(opts.LimitScale)
	s.buildDemo()
	if opts.Faults != "" {
		if err := s.SetFaults(opts.Faults); err != nil {
			panic(fmt.Sprintf("sandbox: %v", err))
		}
	}
	s.handler = s.routes()
	return s
}

// now is the sandbox clock: Options.Clock (or time.Now) plus Advance offsets.
func (s *Server) now() time.Time {
	s.mu.Lock()
	off := s.offset
	s.mu.Unlock()
	return s.nowLocked(off)
}

func (s *Server) nowLocked(off time.Duration) time.Time {
	if s.opts.Clock != nil {
		return s.opts.Clock().Add(off).UTC()
	}
	return time.Now().Add(off).UTC()
}

// Handler serves every route of every Xero host.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr, which must be a loopback address ("127.0.0.1:0"
// picks a free port), and serves until ctx is done. It returns the base URL.
func (s *Server) Start(ctx context.Context, addr string) (string, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: listen address %q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return "", fmt.Errorf("sandbox: refusing to listen on non-loopback address %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: listen: %w", err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	return "http://" + ln.Addr().String(), nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) routes() http.Handler { return http.HandlerFunc(s.serve) }

// serve records the request, applies its fault, and routes on the path
// prefixes of Xero's hosts. Xero matches paths without regard to case
// (/Connections and /connections both work), so routing lower-cases.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := s.now()
	lower := strings.ToLower(r.URL.Path)
	if strings.HasPrefix(lower, controlPrefix) {
		s.control(w, r, lower[len(controlPrefix):]) // the test harness's, not Xero's: not recorded, no faults
		return
	}
	tenantID := r.Header.Get("xero-tenant-id")
	rec := &recorder{ResponseWriter: w}
	// Record as the status goes out, so a client that has its answer finds
	// its request in the log; dropped requests are recorded as they hang up.
	rec.onStatus = func() {
		s.record(Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Tenant: tenantID, UserAgent: r.UserAgent(),
			Status: rec.status, Time: start, Fault: rec.fault})
	}
	defer func() {
		if rec.onStatus != nil {
			rec.onStatus()
		}
	}()

	f := s.matchFault(r.Method, r.URL.Path)
	if f != nil && f.before(rec, r, s) {
		return
	}
	isAPI := strings.HasPrefix(lower, "/api.xro/") || strings.HasPrefix(lower, "/files.xro/") || strings.HasPrefix(lower, "/practicemanager/")
	if f != nil && f.action == "slow" {
		r = r.WithContext(context.WithValue(r.Context(), slowKey{}, f.delay))
		if !isAPI && !slowDown(r) {
			return
		}
	}
	var out http.ResponseWriter = rec
	var buf *bufferedWriter
	if f != nil && f.after() {
		buf = newBufferedWriter()
		out = buf
	}
	switch {
	case lower == "/identity/connect/authorize":
		s.handleAuthorize(out, r)
	case lower == "/identity/connect/consent":
		s.handleConsent(out, r)
	case lower == "/connect/token":
		s.handleToken(out, r)
	case lower == "/connect/revocation":
		s.handleRevocation(out, r)
	case lower == "/connections" || strings.HasPrefix(lower, "/connections/"):
		s.handleConnections(out, r)
	case strings.HasPrefix(lower, "/api.xro/2.0/"):
		s.api(out, r, apiAccounting, r.URL.Path[len("/api.xro/2.0"):])
	case strings.HasPrefix(lower, "/files.xro/1.0/"):
		s.api(out, r, apiFiles, r.URL.Path[len("/files.xro/1.0"):])
	case strings.HasPrefix(lower, "/practicemanager/3.1/"):
		s.api(out, r, apiPractice, r.URL.Path[len("/practicemanager/3.1"):])
	default:
		writeJSON(out, http.StatusNotFound, map[string]any{"Title": "NotFound", "Status": 404,
			"Detail": "The resource you're looking for cannot be found"})
	}
	if buf != nil {
		f.finish(rec, r, buf)
	}
}

// recorder remembers the status written for the request log.
type recorder struct {
	http.ResponseWriter
	status   int
	fault    string
	onStatus func() // called once, when the status is known
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
		if f := r.onStatus; f != nil {
			r.onStatus = nil
			f()
		}
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for drop faults).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Package xpmsim is the Xero Practice Manager v3.1 part of the sandbox: a
// practice's clients, custom job states and jobs, served as XPM serves them
// (XML envelopes, errors as HTTP 200 with <Status>ERROR</Status>).
//
// It is written from ../shared/xero (README, the withdrawn v3.1 spec and the
// documented XML examples), never from chase.md's own client. The core
// sandbox checks token, tenant, scope (RequiredScopes) and rate limits, then
// hands requests to (*Practice).ServeHTTP with the /practicemanager/3.1
// prefix stripped.
package xpmsim

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// ClientSeed is a Xero contact the core wants mirrored as an XPM client.
type ClientSeed struct {
	ContactID, Name, Email, AccountNumber string
	IsPerson                              bool
	FirstName, LastName                   string
}

// Options configure a Practice.
type Options struct {
	Seed  int64
	Clock func() time.Time // default time.Now
	// Clients are XPM clients mostly corresponding to the org's contacts
	// (the core decides which).
	Clients []ClientSeed
	// ExtraClients are clients with no Xero contact.
	ExtraClients int
	// DisableJobStateList makes jobstate.api/list answer like an unknown
	// endpoint, so clients must fall back to the states seen on jobs.
	DisableJobStateList bool
}

// Practice is one XPM practice (one tenant). It is safe for concurrent use.
type Practice struct {
	clock         func() time.Time
	disableStates bool

	mu        sync.RWMutex
	forceJSON bool
	ids       idGen
	states    []State
	staff     []Staff
	clients   []*Client
	jobs      []*Job
	jobSeq    int

	clientByUUID map[string]*Client // lower-case UUID
	jobByID      map[string]*Job    // upper-case job number
	jobsByClient map[string][]*Job  // lower-case client UUID

	sortMu      sync.Mutex // guards the lazy sort below, under mu held for reading
	sorted      []*Client
	sortedDirty bool
}

// New builds a practice with deterministic demo data from opts.
func New(opts Options) *Practice {
	p := &Practice{
		clock:         opts.Clock,
		disableStates: opts.DisableJobStateList,
		clientByUUID:  make(map[string]*Client, len(opts.Clients)+opts.ExtraClients),
		jobByID:       make(map[string]*Job),
		jobsByClient:  make(map[string][]*Job),
	}
	if p.clock == nil {
		p.clock = time.Now
	}
	p.generate(opts)
	return p
}

// RequiredScopes lists the scopes of which any one grants access to the
// route, as the withdrawn spec's security sections name them. relPath is
// relative to /practicemanager/3.1 ("job.api/current" or "/job.api/current").
// It returns nil for a route XPM does not have; the core should then pass
// the request through so the handler answers it as XPM answers an unknown
// method.
func RequiredScopes(method, relPath string) []string {
	rt, ok := route(method, relPath)
	if !ok {
		return nil
	}
	switch {
	case rt.write:
		return []string{"practicemanager.job", "practicemanager"}
	case rt.area == "client":
		return []string{"practicemanager.client.read", "practicemanager.client", "practicemanager.read", "practicemanager"}
	default:
		return []string{"practicemanager.job.read", "practicemanager.job", "practicemanager.read", "practicemanager"}
	}
}

type routeInfo struct {
	area   string // "job", "client", "jobstate"
	op     string // "current", "list", "get", "client", "state", "paged-list"
	arg    string // path identifier, if any
	write  bool
	method string // api-method attribute
}

// route maps a relative path to an operation. Method names match without
// regard to case, as XPM's ASP.NET routing does; identifiers keep theirs.
func route(method, relPath string) (routeInfo, bool) {
	segs := strings.Split(strings.Trim(relPath, "/"), "/")
	if len(segs) < 2 || len(segs) > 3 {
		return routeInfo{}, false
	}
	area, op, arg := strings.ToLower(segs[0]), strings.ToLower(segs[1]), ""
	if len(segs) == 3 {
		arg = segs[2]
		if arg == "" {
			return routeInfo{}, false
		}
	}
	withArg := arg != ""
	get := method == http.MethodGet || method == http.MethodHead
	switch {
	case area == "jobstate.api" && op == "list" && !withArg && get:
		return routeInfo{area: "jobstate", op: op, method: "List"}, true
	case area == "job.api" && (op == "current" || op == "list") && !withArg && get:
		return routeInfo{area: "job", op: op, method: titleOp(op)}, true
	case area == "job.api" && (op == "get" || op == "client") && withArg && get:
		return routeInfo{area: "job", op: op, arg: arg, method: titleOp(op)}, true
	case area == "job.api" && op == "state" && !withArg && method == http.MethodPut:
		return routeInfo{area: "job", op: op, write: true, method: "State"}, true
	case area == "client.api" && (op == "list" || op == "paged-list") && !withArg && get:
		return routeInfo{area: "client", op: op, method: titleOp(op)}, true
	case area == "client.api" && op == "get" && withArg && get:
		return routeInfo{area: "client", op: op, arg: arg, method: "Get"}, true
	}
	return routeInfo{}, false
}

func titleOp(op string) string {
	switch op {
	case "paged-list":
		return "PagedList"
	default:
		return strings.ToUpper(op[:1]) + op[1:]
	}
}

// Package xerospec loads Xero's official OpenAPI specs from ../shared/xero/,
// corrects their known bugs in one place (tolerate), finds the operation a
// request is for and validates requests and responses against it with
// kin-openapi. Only tests import it: the sandbox's contract tests and the
// client's (xero, auth, xpm). It imports none of chase.md's packages, so the
// sandbox can use it and still share nothing with the client.
package xerospec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// The official specs, by file name in ../shared/xero/.
const (
	AccountingFile      = "xero_accounting.yaml"
	FilesFile           = "xero_files.yaml"
	IdentityFile        = "xero-identity.yaml"
	PracticeManagerFile = "xero-practicemanager-v3-1.yaml"
)

// prefixes is where each spec's server lives below the API host
// (https://api.xero.com or the sandbox): the path a request has before the
// spec's own path templates.
var prefixes = map[string]string{
	AccountingFile:      "/api.xro/2.0",
	FilesFile:           "/files.xro/1.0",
	IdentityFile:        "",
	PracticeManagerFile: "/practicemanager/3.1",
}

// Spec is one official document, its known bugs tolerated.
type Spec struct {
	File   string
	Prefix string // path below the API host where the spec's paths start ("" for identity)
	Doc    *openapi3.T
	first  map[string]bool // lower-cased first segments of the path templates
}

type loaded struct {
	once sync.Once
	spec *Spec
	err  error
}

var (
	cache      = map[string]*loaded{}
	cacheMu    sync.Mutex
	formatOnce sync.Once
)

// Load returns the spec in file (one of the *File constants), parsed and
// tolerated once per process: the Accounting spec is 25,000 lines.
func Load(file string) (*Spec, error) {
	prefix, ok := prefixes[file]
	if !ok {
		return nil, fmt.Errorf("xerospec: unknown spec %q", file)
	}
	cacheMu.Lock()
	l := cache[file]
	if l == nil {
		l = &loaded{}
		cache[file] = l
	}
	cacheMu.Unlock()
	l.once.Do(func() { l.spec, l.err = load(file, prefix) })
	return l.spec, l.err
}

// Xero loads the three specs of the Xero API proper (Accounting, Files,
// identity), in parallel.
func Xero() ([]*Spec, error) {
	files := []string{AccountingFile, FilesFile, IdentityFile}
	out := make([]*Spec, len(files))
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Go(func() { out[i], errs[i] = Load(f) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func load(file, prefix string) (*Spec, error) {
	formatOnce.Do(func() {
		// kin-openapi checks only byte and date formats unless told: GUIDs too.
		openapi3.DefineStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC4122))
	})
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	doc, err := loader.LoadFromFile(filepath.Join(dir, file))
	if err != nil {
		return nil, fmt.Errorf("xerospec: load %s: %w", file, err)
	}
	tolerate(file, doc)
	s := &Spec{File: file, Prefix: prefix, Doc: doc, first: map[string]bool{}}
	for tmpl := range doc.Paths.Map() {
		seg, _, _ := strings.Cut(strings.TrimPrefix(tmpl, "/"), "/")
		s.first[strings.ToLower(seg)] = true
	}
	return s, nil
}

// Dir is ../shared/xero/ beside the module root, found by walking up from the
// working directory (a package's directory under go test) to go.mod.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("xerospec: %w", err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "..", "shared", "xero"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("xerospec: no go.mod above %s", wd)
		}
	}
}

// Owns says whether a request path (below the API host) belongs to this
// spec: it starts with the spec's prefix or, for identity (no prefix), with
// one of its paths' first segments.
func (s *Spec) Owns(path string) bool {
	if s.Prefix != "" {
		return hasPrefixFold(path, s.Prefix+"/")
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return s.first[strings.ToLower(seg)]
}

// Owner is the spec in specs that owns path, or nil.
func Owner(specs []*Spec, path string) *Spec {
	for _, s := range specs {
		if s.Owns(path) {
			return s
		}
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// ErrNoRoute means the spec has no operation for the request.
var ErrNoRoute = errors.New("no operation in the spec")

// Route finds the operation for req, whose URL path is below the API host
// (prefix included). kin-openapi's routers refuse these documents (see
// tolerate: the Accounting spec's conflicting templates), so match by hand:
// same method, same number of segments, literals (case-insensitive, as Xero
// treats them) before parameters, and a GUID to a parameter declared as one.
// A non-GUID can still reach a GUID parameter (no other route): the
// validator then reports it.
func (s *Spec) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	rel := req.URL.Path
	if s.Prefix != "" {
		if !hasPrefixFold(rel, s.Prefix+"/") {
			return nil, nil, fmt.Errorf("%s %s: not below %s: %w", req.Method, req.URL.Path, s.Prefix, ErrNoRoute)
		}
		rel = rel[len(s.Prefix):]
	}
	segs := strings.Split(strings.Trim(rel, "/"), "/")
	var best *routers.Route
	var bestParams map[string]string
	bestScore := -1
	for tmpl, item := range s.Doc.Paths.Map() {
		op := item.GetOperation(req.Method)
		if op == nil {
			continue
		}
		ts := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(ts) != len(segs) {
			continue
		}
		params, score, ok := map[string]string{}, 0, true
		for i, seg := range ts {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				name := seg[1 : len(seg)-1]
				params[name] = segs[i]
				// Between /Contacts/{ContactID} and /Contacts/{ContactNumber}, a
				// GUID goes to the parameter declared as one, anything else to
				// the other. A parameter counts less than a literal (2).
				switch uuid := paramFormat(item, op, name) == "uuid"; {
				case uuid && isGUID(segs[i]):
					score += 2
				case !uuid:
					score++
				}
				continue
			}
			if !strings.EqualFold(seg, segs[i]) {
				ok = false
				break
			}
			score += 2
		}
		if ok && (score > bestScore || score == bestScore && tmpl < best.Path) { // ties: the same route every run
			best = &routers.Route{Spec: s.Doc, Path: tmpl, PathItem: item, Method: req.Method, Operation: op}
			bestParams, bestScore = params, score
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("%s %s: %w %s", req.Method, req.URL.Path, ErrNoRoute, s.File)
	}
	return best, bestParams, nil
}

func isGUID(s string) bool { return len(s) == 36 && strings.Count(s, "-") == 4 }

func paramFormat(item *openapi3.PathItem, op *openapi3.Operation, name string) string {
	for _, ps := range []openapi3.Parameters{op.Parameters, item.Parameters} {
		if p := ps.GetByInAndName("path", name); p != nil && p.Schema != nil && p.Schema.Value != nil {
			return p.Schema.Value.Format
		}
	}
	return ""
}

// requestInput routes req and makes the input both validations share.
func (s *Spec) requestInput(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := s.Route(req)
	if err != nil {
		return nil, err
	}
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	// SkipSettingDefaults: validate what was sent, not what the spec's
	// defaults would add to it.
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true, SkipSettingDefaults: true}
	return &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}, nil
}

// ValidateRequest checks req (path, query, headers, body) against its
// operation; body is the request's body, which req.Body need not still hold.
// The route is nil when the spec has no operation for req (ErrNoRoute).
func (s *Spec) ValidateRequest(req *http.Request, body []byte) (*routers.Route, error) {
	in, err := s.requestInput(req, body)
	if err != nil {
		return nil, err
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return in.Route, fmt.Errorf("request %s %s does not validate against %s: %w", req.Method, req.URL.Path, in.Route.Operation.OperationID, err)
	}
	return in.Route, nil
}

// ValidateExchange checks a request and the response it got: the response's
// status must be one the operation declares (tolerate adds the error answers
// the specs omit), and its headers and body must match that declaration.
func (s *Spec) ValidateExchange(req *http.Request, reqBody []byte, status int, header http.Header, respBody []byte) (*routers.Route, error) {
	in, err := s.requestInput(req, reqBody)
	if err != nil {
		return nil, err
	}
	var errs []error
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		errs = append(errs, fmt.Errorf("request %s %s does not validate: %w", req.Method, req.URL.Path, err))
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		errs = append(errs, fmt.Errorf("response %d to %s %s does not validate: %w\n%.400s", status, req.Method, req.URL.Path, err, respBody))
	}
	if err := check401(status, header, respBody); err != nil {
		errs = append(errs, fmt.Errorf("response %d to %s %s: %w", status, req.Method, req.URL.Path, err))
	}
	return in.Route, errors.Join(errs...)
}

// check401 holds the rule the declared 401 cannot say: only the missing-scope
// answer (Detail "AuthorizationUnsuccessful") comes without WWW-Authenticate;
// a bad or expired token's 401 always carries it.
func check401(status int, header http.Header, body []byte) error {
	if status != http.StatusUnauthorized || header.Get("WWW-Authenticate") != "" {
		return nil
	}
	var p struct{ Detail string }
	if json.Unmarshal(body, &p) == nil && p.Detail == "AuthorizationUnsuccessful" {
		return nil
	}
	return errors.New("a 401 other than a missing scope's (AuthorizationUnsuccessful) must carry WWW-Authenticate")
}

// Recorder is an http.RoundTripper that keeps a copy of every request (and
// its body) that goes through it to Next, for validating afterwards.
type Recorder struct {
	Next http.RoundTripper // default http.DefaultTransport
	mu   sync.Mutex
	reqs []Recorded
}

// Recorded is one request a Recorder saw.
type Recorded struct {
	Req  *http.Request
	Body []byte
}

// RoundTrip records req and sends it on.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var b []byte
	if req.Body != nil {
		b, _ = io.ReadAll(req.Body)
		_ = req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, Recorded{Req: req.Clone(context.Background()), Body: b})
	r.mu.Unlock()
	next := r.Next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}

// Requests returns the requests recorded so far.
func (r *Recorder) Requests() []Recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Recorded(nil), r.reqs...)
}

package sandbox

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault specs inject Xero's failure modes into matching requests.
//
//	spec    = rule { ";" rule }
//	rule    = [METHOD " "] PATTERN "=" ACTION [ "@" TRIGGER ]
//	PATTERN = a URL path; "*" matches any run of characters, "/" included; case-insensitive
//	ACTION  = 500          500 Internal Server Error
//	        | 503          503, API offline for maintenance
//	        | offline      503, organisation offline, Retry-After 300 s (scaled by LimitScale)
//	        | 429          429 minute limit, Retry-After 60 s (scaled)
//	        | 503rate      503 with the older "oauth_problem=rate limit exceeded" body
//	        | slow:DUR     wait DUR (e.g. slow:2s) before handling normally
//	        | drop         close the connection before the request is handled
//	        | dropafter    handle the request (writes are committed), then close the
//	                       connection without sending the response
//	        | malformed    handle the request, then send a truncated body
//	        | 400          400 Validation failure, as Xero refuses a request for
//	                       good (a file it will not take); nothing is stored
//	TRIGGER = nN           only the Nth matching call (1-based)
//	        | eN           every Nth matching call
//	        | fN           the first N matching calls
//	        | pF           each call with probability F (0..1), from the seeded generator
//	        (none)         every matching call
//
// Example: "POST /files.xro/1.0/Files*=500@p0.1;GET /api.xro/2.0/Contacts=drop@n3".
// Each rule counts the calls matching it; the first rule that triggers wins.
const FaultSyntax = `RULE[;RULE...]  RULE = [METHOD ]PATTERN=ACTION[@TRIGGER]
  ACTION  500 | 503 | offline | 429 | 503rate | slow:DURATION | drop | dropafter | malformed | 400
  TRIGGER nN (Nth call) | eN (every Nth) | fN (first N) | pF (probability F); none = always
  e.g. "POST /files.xro/1.0/Files*=500@p0.1;GET /api.xro/2.0/Contacts=drop@n3"`

type faultRule struct {
	route   string // as given, for replacement by SetFault
	method  string // "" = any
	pattern string // lower-cased glob
	action  string
	delay   time.Duration
	trigger byte // 0, 'n', 'e', 'f', 'p'
	n       int
	p       float64
	calls   int
}

func parseFaults(spec string) ([]*faultRule, error) {
	var out []*faultRule
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		route, action, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("fault %q: want ROUTE=ACTION", part)
		}
		f, err := parseFault(route, action)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func parseFault(route, spec string) (*faultRule, error) {
	route = strings.TrimSpace(route)
	f := &faultRule{route: route}
	if m, p, ok := strings.Cut(route, " "); ok {
		f.method, route = strings.ToUpper(m), strings.TrimSpace(p)
	}
	if !strings.HasPrefix(route, "/") {
		return nil, fmt.Errorf("fault route %q: path must start with /", f.route)
	}
	f.pattern = strings.ToLower(route)
	action, trig, _ := strings.Cut(strings.TrimSpace(spec), "@")
	switch {
	case action == "500", action == "400", action == "503", action == "offline", action == "429", action == "503rate", action == "drop",
		action == "dropafter", action == "malformed":
		f.action = action
	case strings.HasPrefix(action, "slow:"):
		d, err := time.ParseDuration(action[len("slow:"):])
		if err != nil {
			return nil, fmt.Errorf("fault %q: %w", spec, err)
		}
		f.action, f.delay = "slow", d
	default:
		return nil, fmt.Errorf("fault %q: unknown action %q", spec, action)
	}
	if trig != "" {
		f.trigger = trig[0]
		var err error
		switch f.trigger {
		case 'n', 'e', 'f':
			f.n, err = strconv.Atoi(trig[1:])
			if err == nil && f.n < 1 {
				err = fmt.Errorf("count must be at least 1")
			}
		case 'p':
			f.p, err = strconv.ParseFloat(trig[1:], 64)
			if err == nil && (f.p < 0 || f.p > 1) {
				err = fmt.Errorf("probability must be within 0..1")
			}
		default:
			err = fmt.Errorf("unknown trigger")
		}
		if err != nil {
			return nil, fmt.Errorf("fault %q: trigger %q: %w", spec, trig, err)
		}
	}
	return f, nil
}

// globMatch matches s against a pattern whose "*" matches any run of characters.
func globMatch(pattern, s string) bool {
	for {
		star := strings.IndexByte(pattern, '*')
		if star < 0 {
			return pattern == s
		}
		if !strings.HasPrefix(s, pattern[:star]) {
			return false
		}
		s, pattern = s[star:], pattern[star+1:]
		if pattern == "" {
			return true
		}
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern, s[i:]) {
				return true
			}
		}
		return false
	}
}

// SetFaults replaces every fault rule with those of spec (see FaultSyntax).
func (s *Server) SetFaults(spec string) error {
	rules, err := parseFaults(spec)
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	s.mu.Lock()
	s.faults = rules
	s.mu.Unlock()
	return nil
}

// SetFault sets (or, with an empty spec, removes) the fault for one route,
// e.g. SetFault("POST /files.xro/1.0/Files", "dropafter@n1"). Its call count
// starts from zero.
func (s *Server) SetFault(route, spec string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := s.faults[:0:0]
	for _, f := range s.faults {
		if f.route != strings.TrimSpace(route) {
			kept = append(kept, f)
		}
	}
	if spec != "" {
		f, err := parseFault(route, spec)
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
		kept = append(kept, f)
	}
	s.faults = kept
	return nil
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

func (s *Server) matchFault(method, path string) *faultRule {
	lp := strings.ToLower(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	var hit *faultRule
	for _, f := range s.faults {
		if (f.method != "" && f.method != method) || !globMatch(f.pattern, lp) {
			continue
		}
		f.calls++
		fire := false
		switch f.trigger {
		case 0:
			fire = true
		case 'n':
			fire = f.calls == f.n
		case 'e':
			fire = f.calls%f.n == 0
		case 'f':
			fire = f.calls <= f.n
		case 'p':
			fire = s.rng.Float64() < f.p
		}
		if fire && hit == nil {
			hit = f
		}
	}
	return hit
}

// before applies a fault that acts before the request is handled. It
// reports whether the request is finished.
func (f *faultRule) before(w *recorder, r *http.Request, s *Server) bool {
	w.fault = f.action
	switch f.action {
	case "500":
		writeJSON(w, http.StatusInternalServerError, map[string]any{"Title": "An error occurred", "Status": 500,
			"Detail": "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status."})
	case "400":
		writeJSON(w, http.StatusBadRequest, []map[string]string{{"type": "Validation", "title": "Validation failure",
			"detail": "The file could not be processed"}})
	case "503":
		writeRaw(w, http.StatusServiceUnavailable, "text/plain; charset=utf-8",
			[]byte("The Xero API is currently offline for maintenance"))
	case "offline":
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(s.limits.span(300*time.Second))))
		writeRaw(w, http.StatusServiceUnavailable, "text/plain; charset=utf-8",
			[]byte("The Organisation is offline"))
	case "503rate":
		writeRaw(w, http.StatusServiceUnavailable, "text/plain; charset=utf-8",
			[]byte("oauth_problem=rate%20limit%20exceeded&oauth_problem_advice=please%20wait%20before%20retrying%20the%20xero%20api"))
	case "429":
		w.Header().Set("Retry-After", strconv.Itoa(retrySeconds(s.limits.span(time.Minute))))
		w.Header().Set("X-Rate-Limit-Problem", "minute")
		w.Header().Set("X-MinLimit-Remaining", "0")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"Title": "Too Many Requests", "Status": 429})
	case "slow":
		return false // see slowDown: the delay is served while the request holds its limits
	case "drop":
		hangUp(w)
	default:
		return false
	}
	return true
}

func (f *faultRule) after() bool { return f.action == "dropafter" || f.action == "malformed" }

// finish sends (or withholds) the buffered response of an after-fault.
func (f *faultRule) finish(w *recorder, r *http.Request, b *bufferedWriter) {
	w.fault = f.action
	if f.action == "dropafter" {
		hangUp(w)
		return
	}
	for k, v := range b.h {
		w.Header()[k] = v
	}
	body := b.body.Bytes()
	body = append(body[:len(body)/2:len(body)/2], []byte("\x00<!-- truncated")...)
	writeRaw(w, b.statusOr200(), "", body)
}

// hangUp closes the client's connection without an HTTP response. The
// request is recorded first, so a client that sees the connection close finds
// it in the log (as answered requests are recorded when their status goes out).
func hangUp(w *recorder) {
	if f := w.onStatus; f != nil {
		w.onStatus = nil
		f()
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot be hijacked: abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

type bufferedWriter struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func newBufferedWriter() *bufferedWriter { return &bufferedWriter{h: http.Header{}} }

func (b *bufferedWriter) Header() http.Header { return b.h }
func (b *bufferedWriter) WriteHeader(c int) {
	if b.status == 0 {
		b.status = c
	}
}
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedWriter) statusOr200() int {
	if b.status == 0 {
		return http.StatusOK
	}
	return b.status
}

type slowKey struct{}

// slowDown serves a slow fault's delay (set by serve in the request context)
// and reports whether the client is still waiting. API routes call it after
// taking their rate-limit slot, so a slow response counts as concurrent.
func slowDown(r *http.Request) bool {
	d, _ := r.Context().Value(slowKey{}).(time.Duration)
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

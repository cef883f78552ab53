package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"chase.md/backend/sandbox/xpmsim"
)

type apiKind int

const (
	apiAccounting apiKind = iota
	apiFiles
	apiPractice
)

// api enforces what every Xero API route enforces, in Xero's order: a valid
// unexpired Bearer token (401), a granted xero-tenant-id (403
// AuthenticationUnsuccessful), the route's scope (401 AuthorizationUnsuccessful),
// then the rate limits (429). rel is the path below the API's base.
func (s *Server) api(w http.ResponseWriter, r *http.Request, kind apiKind, rel string) {
	tok, ok := s.bearer(w, r)
	if !ok {
		return
	}
	tenantID := r.Header.Get("xero-tenant-id")
	s.mu.Lock()
	t := s.byID[strings.ToLower(tenantID)]
	granted := t != nil && s.id.connected[t.ID]
	s.mu.Unlock()
	wantType := tenantOrganisation
	if kind == apiPractice {
		wantType = tenantPractice
	}
	if !granted || t.Type != wantType {
		writeJSON(w, http.StatusForbidden, map[string]any{"title": "Forbidden", "status": 403,
			"detail": "AuthenticationUnsuccessful", "instance": s.newID()})
		return
	}
	var need []string
	switch kind {
	case apiAccounting:
		need = []string{"accounting.contacts"}
		if r.Method == http.MethodGet {
			need = append(need, "accounting.contacts.read")
		}
	case apiFiles:
		need = []string{"files"}
		if r.Method == http.MethodGet {
			need = append(need, "files.read")
		}
	case apiPractice:
		need = xpmsim.RequiredScopes(r.Method, rel)
	}
	// A nil list is a route XPM does not have: xpmsim answers it as XPM does.
	if need != nil && !tok.hasAny(need) {
		// Xero answers a call the token has no scope for (a write made with
		// a read-only scope) with 401 AuthorizationUnsuccessful, not 403: a
		// client must not take it for an expired token (contract README).
		w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"Type": nil, "Title": "Unauthorized", "Status": 401,
			"Detail": "AuthorizationUnsuccessful", "Instance": s.newID(), "Extensions": map[string]any{}})
		return
	}
	release, ok := s.limits.acquire(w, t.ID, s.now(), s.opts.DisableLimits)
	if !ok {
		return
	}
	defer release()
	if !slowDown(r) {
		return
	}
	switch kind {
	case apiAccounting:
		s.accounting(w, r, t, rel)
	case apiFiles:
		s.files(w, r, t, rel)
	case apiPractice:
		s.practiceServe(w, r, rel)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, "application/json; charset=utf-8", b)
}

func writeRaw(w http.ResponseWriter, status int, contentType string, b []byte) {
	h := w.Header()
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

package sandbox

import (
	"net/http"
	"time"
)

// controlPrefix is where the sandbox answers its harness rather than Xero's
// clients, so that a test driving `chase sandbox` as a separate process can
// move time and read the counters the in-process inspector gives:
//
//	GET  /_sandbox/clock                the sandbox's time
//	POST /_sandbox/clock/advance?by=31m moves it forward (a Go duration, > 0)
//	GET  /_sandbox/stats                token grants and refreshes so far
//	GET  /_sandbox/files?tenant=ID      the tenant's stored files and their
//	                                    associations (what reached Xero Files)
//	POST /_sandbox/faults?spec=SPEC     replaces every fault (FaultSyntax; "" clears),
//	                                    only with Options.FaultControl
//
// Xero has no such paths; these requests are neither recorded nor faulted.
const controlPrefix = "/_sandbox/"

func (s *Server) control(w http.ResponseWriter, r *http.Request, rel string) {
	switch {
	case rel == "clock" && r.Method == http.MethodGet:
	case rel == "clock/advance" && r.Method == http.MethodPost:
		d, err := time.ParseDuration(r.URL.Query().Get("by"))
		if err != nil || d <= 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "by must be a positive Go duration such as 31m or 24h"})
			return
		}
		s.Advance(d)
	case rel == "faults" && r.Method == http.MethodPost && s.opts.FaultControl:
		if err := s.SetFaults(r.URL.Query().Get("spec")); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"faults": r.URL.Query().Get("spec")})
		return
	case rel == "stats" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]int{"tokenGrants": s.TokenGrants(), "tokenRefreshes": s.TokenRefreshes()})
		return
	case rel == "files" && r.Method == http.MethodGet:
		id := r.URL.Query().Get("tenant")
		s.mu.Lock()
		_, err := s.tenantLocked(id)
		s.mu.Unlock()
		if err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, struct {
			Files        []FileInfo        `json:"files"`
			Associations []AssociationInfo `json:"associations"`
		}{nonNil(s.Files(id)), nonNil(s.Associations(id))})
		return
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such sandbox control"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"now": s.now().Format(time.RFC3339Nano)})
}

// nonNil makes an empty list [] in JSON, not null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

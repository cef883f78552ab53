package sandbox

import (
	"net/http"
	"strings"

	"chase.md/backend/sandbox/xpmsim"
)

// practiceServe hands an XPM request to xpmsim with the path relative to
// /practicemanager/3.1 (auth, tenant, scope and limits already checked).
func (s *Server) practiceServe(w http.ResponseWriter, r *http.Request, rel string) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + strings.TrimLeft(rel, "/")
	r2.URL.RawPath = ""
	s.practice.ServeHTTP(w, r2)
}

// Practice is the XPM practice behind the PRACTICEMANAGER tenant, for tests
// that inspect or change clients, jobs and states between syncs.
func (s *Server) Practice() *xpmsim.Practice { return s.practice }

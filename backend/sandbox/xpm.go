package sandbox

import (
	"net/http"
	"strings"
)

// practiceServe hands an XPM request to xpmsim with the path relative to
// /practicemanager/3.1 (auth, tenant, scope and limits already checked).
func (s *Server) practiceServe(w http.ResponseWriter, r *http.Request, rel string) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + strings.TrimLeft(rel, "/")
	r2.URL.RawPath = ""
	s.practice.ServeHTTP(w, r2)
}

package sandbox

import (
	"crypto/sha256"
	"net/http"
	"time"
)

const idempotencyKeyMax = 128

// idemEntry is a stored answer to an Idempotency-Key. While done is false the
// first request is still being handled.
type idemEntry struct {
	fingerprint [32]byte
	at          time.Time // first seen, on the sandbox clock
	done        bool
	status      int
	header      http.Header
	body        []byte
}

// idempotent runs handle once per (tenant, Idempotency-Key). A repeat with the
// same fingerprint gets the stored response again and changes nothing; a
// repeat with a different request is refused with 422, and one that arrives
// while the first is in progress with 409 (as Stripe and the IETF
// Idempotency-Key draft do). Server errors are not stored, so they can be
// retried. Without the header, handle simply runs.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, t *tenant, fingerprint string, handle func(http.ResponseWriter)) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		handle(w)
		return
	}
	if len(key) > idempotencyKeyMax {
		filesError(w, http.StatusBadRequest, "Validation", "Idempotency-Key must be 128 characters or fewer")
		return
	}
	fp := sha256.Sum256([]byte(r.Method + "\x00" + fingerprint))
	mapKey := t.ID + "\x00" + key
	now := s.now()
	s.mu.Lock()
	e := s.idem[mapKey]
	if e != nil && e.done && s.opts.IdempotencyRetention > 0 && now.Sub(e.at) >= s.opts.IdempotencyRetention {
		e = nil // forgotten: the request runs again
	}
	switch {
	case e == nil:
		e = &idemEntry{fingerprint: fp, at: now}
		s.idem[mapKey] = e
	case e.fingerprint != fp:
		s.mu.Unlock()
		filesError(w, http.StatusUnprocessableEntity, "Validation",
			"Idempotency-Key has already been used with a different request")
		return
	case !e.done:
		s.mu.Unlock()
		filesError(w, http.StatusConflict, "Conflict", "A request with this Idempotency-Key is still in progress")
		return
	default:
		s.mu.Unlock()
		for k, v := range e.header {
			w.Header()[k] = v
		}
		w.Header().Set("Idempotent-Replayed", "true")
		writeRaw(w, e.status, "", e.body)
		return
	}
	s.mu.Unlock()

	m := &memWriter{h: http.Header{}}
	handle(m)
	if m.status == 0 {
		m.status = http.StatusOK
	}
	s.mu.Lock()
	if m.status >= 500 {
		delete(s.idem, mapKey)
	} else {
		e.done, e.status, e.header, e.body = true, m.status, m.h.Clone(), m.body
	}
	s.mu.Unlock()
	for k, v := range m.h {
		w.Header()[k] = v
	}
	writeRaw(w, m.status, "", m.body)
}

// ForgetIdempotencyKeys drops every stored Idempotency-Key answer, as Xero
// will after its (unpublished) retention: a repeat of an earlier request then
// runs again. Requests still in progress keep their keys.
func (s *Server) ForgetIdempotencyKeys() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, e := range s.idem {
		if e.done {
			delete(s.idem, k)
			n++
		}
	}
	return n
}

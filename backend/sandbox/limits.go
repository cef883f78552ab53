package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Xero's published limits.
const (
	limitConcurrent = 5
	limitMinute     = 60
	limitDay        = 5000
	limitAppMinute  = 10000
)

// limiter enforces Xero's limits with sliding-window logs, so the
// Retry-After it computes is exact: a client that waits that long succeeds.
// Windows are divided by scale so tests can live through "a minute" quickly.
type limiter struct {
	scale  float64
	mu     sync.Mutex
	tenant map[string]*tenantLimits
	app    window
}

type tenantLimits struct {
	inFlight    int
	minute, day window
}

// window is a log of call times, oldest first.
type window struct{ calls []time.Time }

func (w *window) trim(now time.Time, span time.Duration) {
	i := 0
	for i < len(w.calls) && !w.calls[i].After(now.Add(-span)) {
		i++
	}
	if i > 0 {
		w.calls = append(w.calls[:0], w.calls[i:]...)
	}
}

// retryAfter is how long until the oldest call leaves the window.
func (w *window) retryAfter(now time.Time, span time.Duration) time.Duration {
	if len(w.calls) == 0 {
		return 0
	}
	return w.calls[0].Add(span).Sub(now)
}

func newLimiter(scale float64) *limiter {
	return &limiter{scale: scale, tenant: map[string]*tenantLimits{}}
}

func (l *limiter) span(d time.Duration) time.Duration {
	return time.Duration(float64(d) / l.scale)
}

// acquire counts a call for tenantID. It always sets the remaining-limit
// headers; when a limit is exceeded it writes the 429 and returns ok=false.
func (l *limiter) acquire(w http.ResponseWriter, tenantID string, now time.Time, disabled bool) (release func(), ok bool) {
	minSpan, daySpan := l.span(time.Minute), l.span(24*time.Hour)
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.tenant[tenantID]
	if t == nil {
		t = &tenantLimits{}
		l.tenant[tenantID] = t
	}
	t.minute.trim(now, minSpan)
	t.day.trim(now, daySpan)
	l.app.trim(now, minSpan)
	h := w.Header()
	setRemaining := func() {
		h.Set("X-MinLimit-Remaining", strconv.Itoa(max(0, limitMinute-len(t.minute.calls))))
		h.Set("X-DayLimit-Remaining", strconv.Itoa(max(0, limitDay-len(t.day.calls))))
		h.Set("X-AppMinLimit-Remaining", strconv.Itoa(max(0, limitAppMinute-len(l.app.calls))))
	}
	if !disabled {
		problem, wait := "", time.Duration(0)
		switch {
		case len(t.day.calls) >= limitDay:
			problem, wait = "day", t.day.retryAfter(now, daySpan)
		case len(l.app.calls) >= limitAppMinute:
			problem, wait = "appminute", l.app.retryAfter(now, minSpan)
		case len(t.minute.calls) >= limitMinute:
			problem, wait = "minute", t.minute.retryAfter(now, minSpan)
		case t.inFlight >= limitConcurrent:
			problem, wait = "concurrent", time.Second
		}
		if problem != "" {
			setRemaining()
			h.Set("Retry-After", strconv.Itoa(retrySeconds(wait)))
			h.Set("X-Rate-Limit-Problem", problem)
			writeJSON(w, http.StatusTooManyRequests, map[string]any{"Title": "Too Many Requests", "Status": 429,
				"Detail": "Rate limit exceeded: " + problem})
			return nil, false
		}
	}
	t.minute.calls = append(t.minute.calls, now)
	t.day.calls = append(t.day.calls, now)
	l.app.calls = append(l.app.calls, now)
	t.inFlight++
	setRemaining()
	return func() {
		l.mu.Lock()
		t.inFlight--
		l.mu.Unlock()
	}, true
}

// retrySeconds rounds up, and never says 0: Retry-After is whole seconds.
func retrySeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}

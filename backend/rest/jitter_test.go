package rest_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// stallTransport holds requests number from to to-1 back for delay before
// they leave, as a busy machine (goroutines not scheduled, a GC pause) or a
// slow connection does to the calls in flight after the pacer let them go.
type stallTransport struct {
	next     http.RoundTripper
	from, to int64
	delay    time.Duration
	count    atomic.Int64
}

func (t *stallTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if n := t.count.Add(1); n >= t.from && n < t.to {
		time.Sleep(t.delay)
	}
	return t.next.RoundTrip(r)
}

// TestPacerNever429sWhenRequestsReachXeroLate runs one tenant flat out
// against the sandbox's real limits (a minute of 1 s) while four calls in a
// row, once the pace is steady, reach the sandbox 200 ms after their grant,
// ten times the 2% safety margin. A pacer that counted calls from their grant
// would see them leave its window while they are still in the sandbox's and
// put 62 there; counting each call until a window after its answer keeps to
// 60 however late it arrived.
func TestPacerNever429sWhenRequestsReachXeroLate(t *testing.T) {
	const scale = 60
	sb, rc, tenant := sandboxClient(t, scale, func(next http.RoundTripper) http.RoundTripper {
		return &stallTransport{next: next, from: 100, to: 104, delay: 200 * time.Millisecond}
	})
	done := flatOut(t, sb, rc, tenant, 3*time.Second)
	if n := count429(sb); n > 0 {
		t.Fatalf("%d answers of 429 in %d calls", n, len(sb.Requests()))
	}
	// Pacing stays close to the limit: 3 minutes hold at least 2.5 minutes' worth.
	if len(done) < 150 {
		t.Fatalf("only %d calls in 3 minutes", len(done))
	}
}

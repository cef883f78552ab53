package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
)

// BenchmarkPacerAgainstSandboxLimits runs one tenant flat out against the
// sandbox's real limits (60 a minute, 5 at once) on a clock where a minute
// lasts two seconds, and reports the calls achieved per minute as a share of
// the 60 allowed, and how many 429s it took to get there (any fails it).
// The first minute is a warm-up (an empty window lets a pacer look better
// than it is) and is left out of the ratio.
func BenchmarkPacerAgainstSandboxLimits(b *testing.B) {
	const scale = 30 // a minute lasts 2 s
	const minutes = 4
	minute := time.Duration(float64(time.Minute) / scale)
	for range b.N {
		sb, rc, tenant := sandboxClient(b, scale, nil)
		start := time.Now()
		done := flatOut(b, sb, rc, tenant, minutes*minute)
		from, calls := start.Add(minute), 0
		last := from
		for _, t := range done {
			if t.After(from) {
				calls++
				if t.After(last) {
					last = t
				}
			}
		}
		ratio := float64(calls) / (last.Sub(from).Seconds() / minute.Seconds()) / rest.XeroPerMinute
		throttled := count429(sb)
		if throttled > 0 {
			b.Errorf("%d answers of 429: the calls outran the pacer", throttled)
		}
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(float64(throttled), "429s")
		fmt.Printf("bench: rest.calls_per_minute_ratio %.3f ratio\n", ratio)
		fmt.Printf("bench: rest.429s %d count\n", throttled)
	}
}

// sandboxClient is a rest client for the sandbox's practice organisation,
// with the sandbox's real limits on a clock scaled by scale; wrap, if not
// nil, wraps the client's transport.
func sandboxClient(tb testing.TB, scale float64, wrap func(http.RoundTripper) http.RoundTripper) (*sandbox.Server, *rest.Client, string) {
	tb.Helper()
	sb := sandbox.New(sandbox.Options{Contacts: 10, LimitScale: scale})
	srv := httptest.NewServer(sb.Handler())
	tb.Cleanup(srv.Close)
	access, _ := sb.IssueToken()
	var base http.RoundTripper = http.DefaultTransport
	if wrap != nil {
		base = wrap(base)
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: base})
	hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	minute := time.Duration(float64(time.Minute) / scale)
	rc, err := rest.New(hc, srv.URL, rest.WithPacers(rest.NewPacers(rest.WithMinute(minute))))
	if err != nil {
		tb.Fatal(err)
	}
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			return sb, rc, tn.ID
		}
	}
	tb.Fatal("sandbox has no organisation")
	return nil, nil, ""
}

// flatOut makes calls from 5 workers as fast as the client lets them for d,
// and returns when each call finished.
func flatOut(tb testing.TB, sb *sandbox.Server, rc *rest.Client, tenant string, d time.Duration) []time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	path := "/api.xro/2.0/Contacts/" + sb.Contacts(tenant)[0].ContactID
	var wg sync.WaitGroup
	var mu sync.Mutex
	var done []time.Time
	for range 5 {
		wg.Go(func() {
			for ctx.Err() == nil {
				if _, err := rc.CallJSON(ctx, &rest.Opts{Path: path, Tenant: tenant}, nil, nil); err != nil {
					if ctx.Err() == nil {
						tb.Error(err)
					}
					return
				}
				mu.Lock()
				done = append(done, time.Now())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return done
}

func count429(sb *sandbox.Server) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Status == http.StatusTooManyRequests {
			n++
		}
	}
	return n
}

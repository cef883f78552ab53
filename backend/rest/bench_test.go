package rest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
)

// BenchmarkPacerAgainstSandboxLimits runs one tenant flat out for ten minutes
// against the sandbox's real limits (60 a minute, 5 at once) on a clock where
// a minute lasts two seconds, and reports the calls of each fixed minute as a
// share of the 60 allowed (the mean and the worst minute), and how many 429s
// it took (any fails it). Goal: at least 0.95 with no 429.
func BenchmarkPacerAgainstSandboxLimits(b *testing.B) {
	const scale = 30 // a minute lasts 2 s
	const minutes = 10
	minute := time.Duration(float64(time.Minute) / scale)
	for range b.N {
		sb, rc, tenant := sandboxClient(b, scale, nil)
		start := time.Now()
		done := flatOut(b, sb, rc, tenant, minutes*minute)
		perMinute := make([]int, minutes)
		for _, t := range done {
			if k := int(t.Sub(start) / minute); k < minutes {
				perMinute[k]++
			}
		}
		total, worst := 0, rest.XeroPerMinute
		for _, n := range perMinute {
			total += n
			worst = min(worst, n)
		}
		mean := float64(total) / minutes / rest.XeroPerMinute
		throttled := count429(sb)
		if throttled > 0 {
			b.Errorf("%d answers of 429: the calls outran the pacer", throttled)
		}
		b.ReportMetric(mean, "ratio")
		b.ReportMetric(float64(throttled), "429s")
		fmt.Printf("bench: rest.calls_per_minute_ratio %.3f ratio (10 fixed minutes, goal >= 0.95)\n", mean)
		fmt.Printf("bench: rest.calls_per_minute_worst %.3f ratio (the slowest fixed minute)\n", float64(worst)/rest.XeroPerMinute)
		fmt.Printf("bench: rest.429s %d count (goal 0)\n", throttled)
	}
}

// BenchmarkPacerTenCallSync times what a first sync of 10,000 contacts asks
// of the pacer, 10 pages one after another, under the sandbox's real limits
// and clock, against the same 10 requests sent without a pacer: a pacer that
// spreads calls over the minute costs seconds here, one that spends the
// minute's unused budget costs nothing.
func BenchmarkPacerTenCallSync(b *testing.B) {
	for range b.N {
		sb, rc, tenant := sandboxClient(b, 1, nil)
		srv := httptest.NewServer(sb.Handler())
		defer srv.Close()
		access, _ := sb.IssueToken()
		path := "/api.xro/2.0/Contacts/" + sb.Contacts(tenant)[0].ContactID
		start := time.Now()
		for range 10 {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+access)
			req.Header.Set("xero-tenant-id", tenant)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("unpaced baseline: %s", resp.Status)
			}
		}
		base := time.Since(start)
		// The raw calls count in the sandbox's minute too; the pacer learns
		// of them from the answers' X-MinLimit-Remaining, as from any
		// other app of the practice's.
		start = time.Now()
		for range 10 {
			if _, err := rc.CallJSON(context.Background(), &rest.Opts{Path: path, Tenant: tenant}, nil, nil); err != nil {
				b.Fatal(err)
			}
		}
		paced := time.Since(start)
		fmt.Printf("bench: rest.sync_10_calls %.1f ms (unpaced baseline %.1f ms, %.1fx; goal about 1x)\n",
			float64(paced.Microseconds())/1000, float64(base.Microseconds())/1000, paced.Seconds()/base.Seconds())
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

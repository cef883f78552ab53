package rest_test

import (
	"context"
	"fmt"
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
// the 60 allowed, and how many 429s it took to get there (the goal: none).
// The first minute is a warm-up (an empty window lets a pacer look better
// than it is) and is left out of the ratio.
func BenchmarkPacerAgainstSandboxLimits(b *testing.B) {
	const scale = 30 // a minute lasts 2 s
	const minutes = 4
	minute := time.Duration(float64(time.Minute) / scale)
	for range b.N {
		sb := sandbox.New(sandbox.Options{Contacts: 10, LimitScale: scale})
		srv := httptest.NewServer(sb.Handler())
		access, _ := sb.IssueToken()
		hc := oauth2.NewClient(context.Background(), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
		rc, err := rest.New(hc, srv.URL, rest.WithPacers(rest.NewPacers(rest.WithMinute(minute))))
		if err != nil {
			b.Fatal(err)
		}
		var tenant string
		for _, tn := range sb.Tenants() {
			if tn.Type == "ORGANISATION" {
				tenant = tn.ID
				break
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), minutes*minute)
		start := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		var done []time.Time
		for range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					_, err := rc.CallJSON(ctx, &rest.Opts{Path: "/api.xro/2.0/Contacts/" + sb.Contacts(tenant)[0].ContactID, Tenant: tenant}, nil, nil)
					if err != nil {
						if ctx.Err() == nil {
							b.Error(err)
						}
						return
					}
					mu.Lock()
					done = append(done, time.Now())
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		cancel()
		srv.Close()
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
		throttled := 0
		for _, r := range sb.Requests() {
			if r.Status == 429 {
				throttled++
			}
		}
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(float64(throttled), "429s")
		fmt.Printf("bench: rest.calls_per_minute_ratio %.3f ratio\n", ratio)
		fmt.Printf("bench: rest.429s %d count\n", throttled)
	}
}

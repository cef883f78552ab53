package auth

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// BenchmarkTokenCached is the cost every API call pays for its token when
// no refresh is due (lock, freshness check).
func BenchmarkTokenCached(b *testing.B) {
	ctx := context.Background()
	st := NewMemoryStore()
	_ = st.Save(ctx, "xero", &oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Now().Add(time.Hour)})
	c, err := Open(ctx, Options{ClientID: "x", Store: st})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Token(ctx); err != nil {
			b.Fatal(err)
		}
	}
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	fmt.Printf("bench: auth.token.cached %.0f ns/op\n", ns)
}

// BenchmarkRefresh is one refresh round trip against the sandbox over
// loopback HTTP, including the save to the (memory) store.
func BenchmarkRefresh(b *testing.B) {
	e := newEnv(b)
	e.login()
	ctx := context.Background()
	for b.Loop() {
		e.clk.Advance(26 * time.Minute)
		if _, err := e.conn.Token(ctx); err != nil {
			b.Fatal(err)
		}
	}
	ms := float64(b.Elapsed().Microseconds()) / 1000 / float64(b.N)
	b.ReportMetric(ms, "ms/refresh")
	fmt.Printf("bench: auth.refresh %.2f ms/op\n", ms)
}

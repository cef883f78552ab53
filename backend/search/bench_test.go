package search

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"
)

// benchDocs are contacts as the store indexes them: name, person, email,
// account and contact numbers, one field a line.
func benchDocs(n int, r *rand.Rand) []Doc[int64] {
	first := []string{"Olivia", "Liam", "Aroha", "Noah", "Mia", "Wiremu", "Zoë", "Jack", "Priya", "Chen", "Sofia", "Mateo"}
	last := []string{"Smith", "Ngata", "Williams", "Brown", "Wilson", "Taylor", "Singh", "Nguyen", "Kumar", "Müller"}
	kinds := []string{"Ltd", "Trust", "Partners", "Holdings", "Bakery", "Builders", "Dental", "Farms", "Consulting"}
	docs := make([]Doc[int64], n)
	for i := range docs {
		f, l, k := first[r.IntN(len(first))], last[r.IntN(len(last))], kinds[r.IntN(len(kinds))]
		name := fmt.Sprintf("%s %s %s %d", f, l, k, i)
		text := fmt.Sprintf("%s\n%s %s\n%s.%s%d@example.com\nacc%05d\ncn-%d\np%d@example.org", name, f, l, f, l, i, i, i, i)
		docs[i] = Doc[int64]{ID: int64(i), Sort: Fold(name), Text: Fold(text), Flags: uint8(1 + r.IntN(3)), Value: int64(i)}
	}
	return docs
}

func benchQueries(docs []Doc[int64], r *rand.Rand, n int) []Query {
	qs := make([]Query, n)
	for i := range qs {
		d := docs[r.IntN(len(docs))]
		t := []rune(d.Text)
		var text string
		switch i % 6 {
		case 0:
			text = string(t[:1]) // first keystroke: broad, worst case
		case 1:
			text = string(t[:3])
		case 2:
			at := r.IntN(len(t) - 7)
			text = string(t[at : at+7])
		case 3:
			text = fmt.Sprintf("%05d", r.IntN(len(docs)))
		case 4:
			text = string(t[:2]) + " " + string(t[len(t)-5:])
		case 5:
			text = ""
		}
		qs[i] = Query{Text: text, Limit: 100, Require: uint8(i % 3)}
	}
	return qs
}

// BenchmarkIndex times Search alone (no SQLite) over 10,000 queries, warm
// and right after an Upsert of one changed entry, and Upsert itself; the
// store's BenchmarkSearch times the whole path against the goals.
func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(5, 6))
			docs := benchDocs(n, r)
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			t0 := time.Now()
			ix := New[int64]()
			ix.Upsert(docs...)
			build := time.Since(t0)
			runtime.GC()
			runtime.ReadMemStats(&m1)
			qs := benchQueries(docs, r, 10000)
			runtime.GC()
			var warm, after, upsert []time.Duration
			b.ResetTimer()
			for range b.N {
				for _, q := range qs {
					t := time.Now()
					ix.Search(q)
					warm = append(warm, time.Since(t))
				}
				for k, q := range qs {
					d := docs[r.IntN(len(docs))]
					d.Text += fmt.Sprintf("\nchanged%d", k)
					if k%4 == 0 {
						d.Sort = Fold(fmt.Sprintf("renamed %d", k))
					}
					t := time.Now()
					ix.Upsert(d)
					upsert = append(upsert, time.Since(t))
					t = time.Now()
					ix.Search(q)
					after = append(after, time.Since(t))
				}
			}
			b.StopTimer()
			label := fmt.Sprintf("search.index.%dk", n/1000)
			fmt.Printf("bench: %s.build %.1f ms\n", label, float64(build.Microseconds())/1e3)
			fmt.Printf("bench: %s.heap %.1f MB (the index's own live heap; the texts are the caller's strings)\n", label, float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20))
			runtime.KeepAlive(docs)
			for _, m := range []struct {
				name string
				lat  []time.Duration
			}{{"warm", warm}, {"after_write", after}, {"upsert_one", upsert}} {
				slices.Sort(m.lat)
				fmt.Printf("bench: %s.%s.p50 %d us\n", label, m.name, m.lat[len(m.lat)/2].Microseconds())
				fmt.Printf("bench: %s.%s.p99 %d us (over %d; max %d us)\n", label, m.name,
					m.lat[len(m.lat)*99/100].Microseconds(), len(m.lat), m.lat[len(m.lat)-1].Microseconds())
			}
		})
	}
}

package upload

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
)

// benchTenant is one organisation in its own sandbox (the sandbox has one
// practice organisation; limits are per tenant either way).
type benchTenant struct {
	sb      *sandbox.Server
	srv     *httptest.Server
	tenant  string
	token   string
	contact Contact
}

func newBenchTenant(b *testing.B, seed int64, scale float64) *benchTenant {
	sb := sandbox.New(sandbox.Options{Contacts: 5, Seed: seed, LimitScale: scale})
	bt := &benchTenant{sb: sb, srv: httptest.NewServer(sb.Handler())}
	bt.token, _ = sb.IssueToken()
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			bt.tenant = tn.ID
			break
		}
	}
	c := sb.Contacts(bt.tenant)[0]
	bt.contact = Contact{ID: c.ContactID, Name: c.Name, Type: Business}
	if c.IsPerson {
		bt.contact.Type = Person
	}
	return bt
}

// runThroughput queues files for every tenant, runs the queue for `minutes`
// scaled minutes and returns how many files were done (uploaded and linked)
// after the first minute, a warm-up in which an empty window flatters.
func runThroughput(b *testing.B, tenants []*benchTenant, scale float64, minutes int) int {
	minute := time.Duration(float64(time.Minute) / scale)
	dir := b.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "chase.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	pacers := rest.NewPacers(rest.WithMinute(minute))
	by := map[string]*benchTenant{}
	for _, bt := range tenants {
		by[bt.tenant] = bt
	}
	var mu sync.Mutex
	var done []time.Time
	q, err := New(Options{DB: db, Senders: func(ctx context.Context, tenantID string) (Sender, error) {
		bt := by[tenantID]
		return newXeroClient(b, bt.srv.URL, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bt.token}), pacers, tenantID), nil
	}, Events: EventFuncs{OnItem: func(it Item) {
		if it.State == StateDone {
			mu.Lock()
			done = append(done, time.Now())
			mu.Unlock()
		}
	}}})
	if err != nil {
		b.Fatal(err)
	}
	perTenant := 30*minutes + 40 // more than the limit allows in the time
	var reqs []Request
	for ti, bt := range tenants {
		for i := range perTenant {
			p := writeFile(b, dir, fmt.Sprintf("t%d doc %04d.pdf", ti, i), 200+i)
			reqs = append(reqs, Request{Path: p, TenantID: bt.tenant, Contact: bt.contact})
		}
	}
	if _, err := q.Enqueue(context.Background(), reqs); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	served := make(chan struct{})
	go func() { defer close(served); q.Serve(ctx) }()
	time.Sleep(time.Duration(minutes) * minute)
	end := time.Now()
	cancel()
	<-served
	n := 0
	for _, t := range done {
		if t.After(start.Add(minute)) && !t.After(end) {
			n++
		}
	}
	for _, bt := range tenants {
		for _, r := range bt.sb.Requests() {
			if r.Status == 429 {
				b.Errorf("tenant %s got a 429: the queue outran the pacer", bt.tenant)
				break
			}
		}
	}
	return n
}

// BenchmarkUploadThroughput measures small-file uploads against the
// sandbox's real limits (60 calls a minute per tenant; 2 calls per file, so
// at most 30 files a minute) on a clock where a minute lasts 2 s: the ratio
// to that maximum for one tenant, and the speed-up of 4 tenants in parallel.
func BenchmarkUploadThroughput(b *testing.B) {
	const scale, minutes = 30, 4
	for range b.N {
		one := []*benchTenant{newBenchTenant(b, 1, scale)}
		single := runThroughput(b, one, scale, minutes)
		ratio := float64(single) / float64(minutes-1) / 30
		var four []*benchTenant
		for i := range 4 {
			four = append(four, newBenchTenant(b, int64(10+i), scale))
		}
		parallel := runThroughput(b, four, scale, minutes)
		for _, bt := range append(one, four...) {
			bt.srv.Close()
		}
		speedup := float64(parallel) / float64(single)
		b.ReportMetric(ratio, "ratio")
		b.ReportMetric(speedup, "x4tenants")
		fmt.Printf("bench: upload.files_per_minute_ratio %.3f ratio\n", ratio)
		fmt.Printf("bench: upload.files_per_minute %.1f files/min\n", float64(single)/float64(minutes-1))
		fmt.Printf("bench: upload.four_tenants_speedup %.2f x\n", speedup)
	}
}

func heapNow() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkQueuedHeap shows that queued items live in SQLite, not in memory:
// the heap with 1,000 files queued (and while they are served) against the
// heap with 100. The sandbox runs in a child process so that the files it
// keeps do not count against the queue.
func BenchmarkQueuedHeap(b *testing.B) {
	for range b.N {
		measure := func(n int) (queued int64, serving uint64) {
			dir := b.TempDir()
			bt := sandboxProcess(b)
			db, err := store.Open(context.Background(), filepath.Join(dir, "chase.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			pacers := rest.NewPacers(rest.WithMinute(time.Minute / 600))
			q, err := New(Options{DB: db, Senders: func(ctx context.Context, tenantID string) (Sender, error) {
				return newXeroClient(b, bt.url, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bt.token}), pacers, tenantID), nil
			}})
			if err != nil {
				b.Fatal(err)
			}
			paths := make([]string, n)
			for i := range n {
				paths[i] = writeFile(b, dir, fmt.Sprintf("doc %04d.pdf", i), 300+i)
			}
			base := heapNow()
			reqs := make([]Request, n)
			for i, p := range paths {
				reqs[i] = Request{Path: p, TenantID: bt.tenant, Contact: bt.contact}
			}
			items, err := q.Enqueue(context.Background(), reqs)
			if err != nil {
				b.Fatal(err)
			}
			ids := ids(items)
			reqs, items = nil, nil
			queued = int64(heapNow()) - int64(base) // may be negative: less garbage than at base
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go q.Serve(ctx)
			stop := make(chan struct{})
			var peak uint64
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
						if h := heapNow(); h > base && h-base > peak {
							peak = h - base
						}
					}
				}
			}()
			wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer wcancel()
			if _, err := q.Wait(wctx, ids...); err != nil {
				b.Fatal(err)
			}
			close(stop)
			return queued, peak
		}
		q100, s100 := measure(100)
		q1000, s1000 := measure(1000)
		b.ReportMetric(float64(q1000)/1024, "KB-queued-1000")
		fmt.Printf("bench: upload.heap_queued_100 %.0f KB\n", float64(q100)/1024)
		fmt.Printf("bench: upload.heap_queued_1000 %.0f KB\n", float64(q1000)/1024)
		fmt.Printf("bench: upload.heap_serving_peak_100 %.0f KB\n", float64(s100)/1024)
		fmt.Printf("bench: upload.heap_serving_peak_1000 %.0f KB\n", float64(s1000)/1024)
	}
}

type remoteTenant struct {
	url, token, tenant string
	contact            Contact
}

// TestHelperSandbox serves a sandbox in a child process for BenchmarkQueuedHeap.
func TestHelperSandbox(t *testing.T) {
	if os.Getenv("CHASE_UPLOAD_HELPER_SANDBOX") == "" {
		return
	}
	sb := sandbox.New(sandbox.Options{Contacts: 5, Seed: 3, LimitScale: 600})
	url, err := sb.Start(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	token, _ := sb.IssueToken()
	for _, tn := range sb.Tenants() {
		if tn.Type == "ORGANISATION" {
			c := sb.Contacts(tn.ID)[0]
			typ := Business
			if c.IsPerson {
				typ = Person
			}
			fmt.Printf("%s %s %s %s %s\n", url, token, tn.ID, c.ContactID, typ)
			break
		}
	}
	io.Copy(io.Discard, os.Stdin) // serve until the parent closes stdin
}

func sandboxProcess(b *testing.B) remoteTenant {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSandbox$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), "CHASE_UPLOAD_HELPER_SANDBOX=1")
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	var rt remoteTenant
	var typ string
	if _, err := fmt.Fscan(out, &rt.url, &rt.token, &rt.tenant, &rt.contact.ID, &typ); err != nil {
		b.Fatal(err)
	}
	rt.contact.Type, rt.contact.Name = ContactType(typ), "Heap Test Client"
	go io.Copy(io.Discard, out)
	return rt
}

// BenchmarkEnqueue1000 is the cost of checking, hashing and queueing a
// batch of 1,000 small files in one call (the watcher's rescan of a busy folder).
func BenchmarkEnqueue1000(b *testing.B) {
	dir := b.TempDir()
	var paths []string
	for i := range 1000 {
		paths = append(paths, writeFile(b, dir, fmt.Sprintf("scan %04d.pdf", i), 2000+i))
	}
	var total time.Duration
	for n := range b.N {
		db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("chase%d.db", n)))
		if err != nil {
			b.Fatal(err)
		}
		q, err := New(Options{DB: db, Senders: func(context.Context, string) (Sender, error) { return nil, nil }})
		if err != nil {
			b.Fatal(err)
		}
		reqs := make([]Request, len(paths))
		for i, p := range paths {
			reqs[i] = Request{Path: p, TenantID: "t", Contact: Contact{ID: "c", Name: "Client", Type: Business}, Source: SourceWatch}
		}
		start := time.Now()
		if _, err := q.Enqueue(context.Background(), reqs); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		db.Close()
	}
	ms := float64(total.Milliseconds()) / float64(b.N)
	b.ReportMetric(ms, "ms/1000files")
	fmt.Printf("bench: upload.enqueue_1000_files %.0f ms\n", ms)
}

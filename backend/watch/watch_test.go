package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func TestMain(m *testing.M) {
	DefaultQuiet = 60 * time.Millisecond
	retryDelay = 100 * time.Millisecond
	UnreadableRetryMax = 300 * time.Millisecond
	os.Exit(m.Run())
}

// collector is a Sink recording every report.
type collector struct {
	mu      sync.Mutex
	files   []File
	at      []time.Time    // when each of files was reported
	fail    map[string]int // rel → failures left
	failErr error          // default: a generic error
	calls   int
}

func (c *collector) FileReady(_ context.Context, f File) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.fail[f.Rel] > 0 {
		c.fail[f.Rel]--
		if c.failErr != nil {
			return c.failErr
		}
		return errors.New("sink down")
	}
	c.files = append(c.files, f)
	c.at = append(c.at, time.Now())
	return nil
}

// reports returns the reports of rel ("/" separated) and when they came.
func (c *collector) reports(rel string) (fs []File, at []time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, f := range c.files {
		if filepath.ToSlash(f.Rel) == rel {
			fs, at = append(fs, f), append(at, c.at[i])
		}
	}
	return fs, at
}

func (c *collector) byRel() map[string][]File {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string][]File{}
	for _, f := range c.files {
		m[filepath.ToSlash(f.Rel)] = append(m[filepath.ToSlash(f.Rel)], f)
	}
	return m
}

// waitFor polls cond; the timeout is only a bound for a failing test.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// start runs a watcher on root until the test ends.
func start(t *testing.T, opts Options, c *collector) *Watcher {
	t.Helper()
	w := New(opts, c)
	return run(t, w)
}

func run(t *testing.T, w *Watcher) *Watcher {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- w.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Serve: %v", err)
		}
	})
	return w
}

// settle gives the watcher a few quiet periods and a rescan to report
// anything it should not, so "exactly once" is checked, not assumed.
func settle(w *Watcher) {
	time.Sleep(3 * w.opts.Quiet)
	w.Rescan()
	time.Sleep(3 * w.opts.Quiet)
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

func write(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// slowWrite writes n chunks to p, pausing gap between them, and returns the
// content, when the last write returned and the longest pause seen.
func slowWrite(t *testing.T, p string, n int, gap time.Duration) (all []byte, last time.Time, longest time.Duration) {
	t.Helper()
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := range n {
		if i > 0 {
			time.Sleep(gap)
		}
		chunk := []byte{byte(i), 1, 2, 3, 4, 5, 6, 7}
		all = append(all, chunk...)
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if i > 0 {
			longest = max(longest, now.Sub(last))
		}
		last = now
	}
	return all, last, longest
}

// TestSlowWriteReportedOnceAfterLastWrite writes a file for six quiet periods
// with pauses a fifth of one: a watcher that reports a quiet period after the
// first event, or at any pause, reports it early or more than once.
func TestSlowWriteReportedOnceAfterLastWrite(t *testing.T) {
	const quiet, writes, gap = 100 * time.Millisecond, 30, 20 * time.Millisecond
	root := t.TempDir()
	c := &collector{}
	w := start(t, Options{Root: root, Quiet: quiet, Rescan: -1}, c)
	for attempt := 1; ; attempt++ {
		name := fmt.Sprintf("scan %d.pdf", attempt)
		all, last, longest := slowWrite(t, filepath.Join(root, name), writes, gap)
		if longest >= quiet-gap {
			// The machine stalled the writer for about a quiet period: a
			// correct watcher may report then, so this run proves nothing.
			if attempt == 3 {
				t.Skipf("the writer was stalled for %v (quiet %v) in 3 attempts", longest, quiet)
			}
			t.Logf("attempt %d: writer stalled for %v, trying again", attempt, longest)
			continue
		}
		waitFor(t, "report", func() bool { return len(c.byRel()[name]) > 0 })
		settle(w)
		got, at := c.reports(name)
		if len(got) != 1 {
			t.Fatalf("reported %d times, want 1", len(got))
		}
		// The event of the last write may be read a moment before Write
		// returns, hence the small allowance.
		if after := at[0].Sub(last); after < quiet-10*time.Millisecond {
			t.Fatalf("reported %v after the last write, want at least the quiet period %v", after, quiet)
		}
		if got[0].SHA256 != sum(all) || got[0].Size != int64(len(all)) {
			t.Fatalf("reported size %d hash %s, want the final %d bytes", got[0].Size, got[0].SHA256, len(all))
		}
		return
	}
}

func TestAtomicSaveReportedOnceUnderFinalName(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	w := start(t, Options{Root: root}, c)
	data := []byte("final content")
	for _, tmp := range []string{"report.pdf.tmp", "~$report.docx", ".report.pdf.swp", "report.pdf.crdownload", "report.pdf.part"} {
		write(t, filepath.Join(root, tmp), data)
	}
	if err := os.Rename(filepath.Join(root, "report.pdf.tmp"), filepath.Join(root, "report.pdf")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "report", func() bool { return len(c.byRel()["report.pdf"]) > 0 })
	settle(w)
	m := c.byRel()
	if len(m) != 1 || len(m["report.pdf"]) != 1 || m["report.pdf"][0].SHA256 != sum(data) {
		t.Fatalf("want report.pdf once and nothing else, got %v", m)
	}
}

func TestFilesPresentAtStartAndUnicode(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	names := []string{"Zoë Müller – bank statement.pdf", "a b/c d.pdf", "日本語.jpg", "Thumbs.db", "desktop.ini", ".hidden", "Filed/Acme/done.pdf", ClaimDir + "/x/1/y.pdf"}
	for _, n := range names {
		write(t, filepath.Join(root, filepath.FromSlash(n)), []byte(n))
	}
	c := &collector{}
	w := start(t, Options{Root: root}, c)
	waitFor(t, "reports", func() bool { return len(c.byRel()) >= 3 })
	settle(w)
	m := c.byRel()
	var got []string
	for k, v := range m {
		if len(v) != 1 {
			t.Errorf("%s reported %d times", k, len(v))
		}
		got = append(got, k)
	}
	slices.Sort(got)
	want := []string{"Zoë Müller – bank statement.pdf", "a b/c d.pdf", "日本語.jpg"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q want %q", got, want)
	}
	f := m["Zoë Müller – bank statement.pdf"][0]
	if f.Path != filepath.Join(root, "Zoë Müller – bank statement.pdf") || f.ModTime.IsZero() {
		t.Fatalf("bad File %+v", f)
	}
}

func TestDeletedBeforeStableDroppedQuietly(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	w := start(t, Options{Root: root, Quiet: 200 * time.Millisecond}, c)
	p := filepath.Join(root, "gone.pdf")
	write(t, p, []byte("x"))
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "kept.pdf"), []byte("y"))
	waitFor(t, "kept.pdf", func() bool { return len(c.byRel()["kept.pdf"]) > 0 })
	settle(w)
	if m := c.byRel(); len(m) != 1 {
		t.Fatalf("want only kept.pdf, got %v", m)
	}
}

func TestNestedNewFolder(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	w := start(t, Options{Root: root}, c)
	write(t, filepath.Join(root, "a", "b", "c", "deep.pdf"), []byte("deep"))
	waitFor(t, "deep.pdf", func() bool { return len(c.byRel()["a/b/c/deep.pdf"]) > 0 })
	// The new folders are watched now: a later file is seen by events.
	write(t, filepath.Join(root, "a", "b", "c", "later.pdf"), []byte("later"))
	waitFor(t, "later.pdf", func() bool { return len(c.byRel()["a/b/c/later.pdf"]) > 0 })
	settle(w)
	for k, v := range c.byRel() {
		if len(v) != 1 {
			t.Fatalf("%s reported %d times", k, len(v))
		}
	}
}

func TestSymlinksNotFollowed(t *testing.T) {
	t.Parallel()
	root, outside := t.TempDir(), t.TempDir()
	write(t, filepath.Join(outside, "secret.pdf"), []byte("s"))
	write(t, filepath.Join(outside, "dir", "inner.pdf"), []byte("i"))
	if err := os.Symlink(filepath.Join(outside, "secret.pdf"), filepath.Join(root, "link.pdf")); err != nil {
		t.Skipf("symlinks unsupported here: %v", err)
	}
	if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(root, "linkdir")); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "real.pdf"), []byte("r"))
	c := &collector{}
	w := start(t, Options{Root: root}, c)
	waitFor(t, "real.pdf", func() bool { return len(c.byRel()["real.pdf"]) > 0 })
	settle(w)
	if m := c.byRel(); len(m) != 1 {
		t.Fatalf("want only real.pdf, got %v", m)
	}
}

func TestSinkFailureRetried(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{fail: map[string]int{"x.pdf": 2}}
	start(t, Options{Root: root}, c)
	write(t, filepath.Join(root, "x.pdf"), []byte("x"))
	waitFor(t, "x.pdf after retries", func() bool { return len(c.byRel()["x.pdf"]) == 1 })
}

func TestSinkNotReadyRetried(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{fail: map[string]int{"x.pdf": 3}, failErr: fmt.Errorf("claim: %w", ErrNotReady)}
	start(t, Options{Root: root}, c)
	write(t, filepath.Join(root, "x.pdf"), []byte("x"))
	waitFor(t, "x.pdf after retries", func() bool { return len(c.byRel()["x.pdf"]) == 1 })
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls != 4 {
		t.Fatalf("sink called %d times, want 4", c.calls)
	}
}

func TestModifiedAfterReportIsReportedAgain(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	w := start(t, Options{Root: root}, c)
	p := filepath.Join(root, "x.pdf")
	write(t, p, []byte("v1"))
	waitFor(t, "v1", func() bool { return len(c.byRel()["x.pdf"]) == 1 })
	write(t, p, []byte("version 2"))
	waitFor(t, "v2", func() bool { return len(c.byRel()["x.pdf"]) == 2 })
	settle(w)
	got := c.byRel()["x.pdf"]
	if len(got) != 2 || got[1].SHA256 != sum([]byte("version 2")) {
		t.Fatalf("got %+v", got)
	}
}

// fakeSource delivers only what the test sends: no kernel events at all.
type fakeSource struct {
	events chan fsnotify.Event
	errs   chan error
}

func (f *fakeSource) Add(string) error              { return nil }
func (f *fakeSource) Remove(string) error           { return nil }
func (f *fakeSource) Events() <-chan fsnotify.Event { return f.events }
func (f *fakeSource) Errors() <-chan error          { return f.errs }
func (f *fakeSource) Close() error                  { return nil }
func (f *fakeSource) factory() func() (source, error) {
	return func() (source, error) { return f, nil }
}

func TestOverflowTriggersRescan(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	fs := &fakeSource{events: make(chan fsnotify.Event), errs: make(chan error)}
	w := New(Options{Root: root, Rescan: -1}, c)
	w.newSource = fs.factory()
	run(t, w)
	// Serve has done its start-up scan once it accepts an error.
	fs.errs <- errors.New("some transient error")
	write(t, filepath.Join(root, "missed.pdf"), []byte("m"))
	time.Sleep(4 * w.opts.Quiet)
	if n := len(c.byRel()); n != 0 {
		t.Fatalf("reported %d files without any event or rescan", n)
	}
	fs.errs <- fsnotify.ErrEventOverflow
	waitFor(t, "missed.pdf after overflow", func() bool { return len(c.byRel()["missed.pdf"]) == 1 })
}

// TestPeriodicRescanFindsFilesWithoutEvents gets no events at all: only the
// periodic rescan can find the files, the second one proving it repeats.
func TestPeriodicRescanFindsFilesWithoutEvents(t *testing.T) {
	t.Parallel()
	const rescan = 200 * time.Millisecond
	root := t.TempDir()
	c := &collector{}
	src := &fakeSource{events: make(chan fsnotify.Event), errs: make(chan error)}
	w := New(Options{Root: root, Rescan: rescan}, c)
	w.newSource = src.factory()
	run(t, w)
	src.errs <- errors.New("sync") // start-up scan done
	for _, name := range []string{"first.pdf", "second.pdf"} {
		write(t, filepath.Join(root, name), []byte(name))
		waitFor(t, name+" found by a rescan", func() bool { return len(c.byRel()[name]) > 0 })
	}
	time.Sleep(3 * rescan)
	if m := c.byRel(); len(m) != 2 || len(m["first.pdf"]) != 1 || len(m["second.pdf"]) != 1 {
		t.Fatalf("want each file once, got %v", m)
	}
}

func TestRescanJitterWithinTenPercent(t *testing.T) {
	t.Parallel()
	const d = time.Second
	lo, hi := d, d
	for range 1000 {
		j := jitter(d)
		lo, hi = min(lo, j), max(hi, j)
	}
	if lo < d*9/10 || hi > d*11/10 || hi-lo < d/10 {
		t.Fatalf("jitter(%v) spans [%v, %v], want about ±10%%", d, lo, hi)
	}
}

// TestUnopenableFileRetriedUntilItOpens: a file that cannot be opened
// (no permission) is not reported while so, is told to Stuck once however
// often it is looked at again (at a pace that slows down), and is reported
// once as soon as it opens.
func TestUnopenableFileRetriedUntilItOpens(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	var smu sync.Mutex
	var stuck []Stuck
	w := New(Options{Root: root, Rescan: -1, Stuck: func(s Stuck) { smu.Lock(); stuck = append(stuck, s); smu.Unlock() }}, c)
	var mu sync.Mutex
	locked, tries := true, 0
	w.open = func(name string) (*os.File, error) {
		if filepath.Base(name) == "locked.pdf" {
			mu.Lock()
			defer mu.Unlock()
			tries++
			if locked {
				return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
			}
		}
		return os.Open(name)
	}
	run(t, w)
	write(t, filepath.Join(root, "locked.pdf"), []byte("scanned"))
	write(t, filepath.Join(root, "free.pdf"), []byte("free"))
	waitFor(t, "free.pdf", func() bool { return len(c.byRel()["free.pdf"]) == 1 })
	waitFor(t, "three tries of locked.pdf", func() bool { mu.Lock(); defer mu.Unlock(); return tries >= 3 })
	if n := len(c.byRel()["locked.pdf"]); n != 0 {
		t.Fatalf("locked.pdf reported %d times while it could not be opened", n)
	}
	mu.Lock()
	locked = false
	mu.Unlock()
	waitFor(t, "locked.pdf once it opens", func() bool { return len(c.byRel()["locked.pdf"]) > 0 })
	settle(w)
	if m := c.byRel(); len(m["locked.pdf"]) != 1 || len(m["free.pdf"]) != 1 {
		t.Fatalf("want each file once, got %v", m)
	}
	smu.Lock()
	defer smu.Unlock()
	if len(stuck) != 1 || stuck[0].Rel != "locked.pdf" || stuck[0].Why != WaitingUnreadable || !errors.Is(stuck[0].Err, fs.ErrPermission) {
		t.Fatalf("stuck reports %+v, want one: locked.pdf unreadable, permission", stuck)
	}
}

func TestChmodIgnoredAndEventsForUnknownPaths(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	c := &collector{}
	fs := &fakeSource{events: make(chan fsnotify.Event), errs: make(chan error)}
	w := New(Options{Root: root, Rescan: -1}, c)
	w.newSource = fs.factory()
	run(t, w)
	p := filepath.Join(root, "a.pdf")
	fs.errs <- errors.New("sync") // start-up scan done
	write(t, p, []byte("a"))
	fs.events <- fsnotify.Event{Name: p, Op: fsnotify.Chmod}
	fs.events <- fsnotify.Event{Name: filepath.Join(root, "nope.pdf"), Op: fsnotify.Create}
	fs.events <- fsnotify.Event{Name: filepath.Join(filepath.Dir(root), "outside.pdf"), Op: fsnotify.Create}
	time.Sleep(4 * w.opts.Quiet)
	if n := len(c.byRel()); n != 0 {
		t.Fatalf("chmod or bogus events reported %d files", n)
	}
	fs.events <- fsnotify.Event{Name: p, Op: fsnotify.Write}
	waitFor(t, "a.pdf", func() bool { return len(c.byRel()["a.pdf"]) == 1 })
}

func TestIgnored(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"~$Book1.xlsx": true, "x.TMP": true, "a.part": true, "b.crdownload": true, ".DS_Store": true,
		"Thumbs.db": true, "DESKTOP.INI": true, "scan.pdf": false, "Zoë.pdf": false, "tmp.pdf": false,
	} {
		if Ignored(name) != want {
			t.Errorf("Ignored(%q) = %v", name, !want)
		}
	}
}

func TestKnownFilesSkipped(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	write(t, filepath.Join(root, "old.pdf"), []byte("already queued"))
	write(t, filepath.Join(root, "new.pdf"), []byte("new"))
	c := &collector{}
	known := func(rel string, size int64, _ time.Time) bool { return rel == "old.pdf" && size == 14 }
	w := start(t, Options{Root: root, Known: known}, c)
	waitFor(t, "new.pdf", func() bool { return len(c.byRel()["new.pdf"]) == 1 })
	settle(w)
	if m := c.byRel(); len(m) != 1 {
		t.Fatalf("known file reported: %v", m)
	}
}

func TestRootThroughSymlink(t *testing.T) {
	t.Parallel()
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "inbox")
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("symlinks unsupported here: %v", err)
	}
	write(t, filepath.Join(real, "sub", "a.pdf"), []byte("a"))
	c := &collector{}
	start(t, Options{Root: link}, c)
	waitFor(t, "sub/a.pdf", func() bool { return len(c.byRel()["sub/a.pdf"]) == 1 })
}

// TestTwoWatchersOneFolder runs two watchers on one folder whose sinks
// claim each file and file it: every file ends up filed exactly once.
func TestTwoWatchersOneFolder(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	const n = 60
	var mu sync.Mutex
	filedBy := map[string][]string{}
	for _, owner := range []string{"pc1", "pc2"} {
		sink := SinkFunc(func(_ context.Context, f File) error {
			c, err := Claim(root, f, owner)
			if errors.Is(err, ErrClaimedElsewhere) {
				return nil
			}
			if err != nil {
				return err
			}
			if _, err := c.Complete(filepath.Join(root, "Filed", owner)); err != nil {
				return err
			}
			mu.Lock()
			filedBy[filepath.ToSlash(f.Rel)] = append(filedBy[filepath.ToSlash(f.Rel)], owner)
			mu.Unlock()
			return nil
		})
		run(t, New(Options{Root: root}, sink))
	}
	for i := range n {
		write(t, filepath.Join(root, fmt.Sprintf("d%d", i%3), fmt.Sprintf("scan %02d.pdf", i)), []byte{byte(i)})
	}
	waitFor(t, "all filed", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(filedBy) == n
	})
	time.Sleep(6 * DefaultQuiet)
	mu.Lock()
	defer mu.Unlock()
	for rel, owners := range filedBy {
		if len(owners) != 1 {
			t.Fatalf("%s filed by %v", rel, owners)
		}
	}
	total := 0
	for _, owner := range []string{"pc1", "pc2"} {
		es, _ := os.ReadDir(filepath.Join(root, "Filed", owner))
		total += len(es)
	}
	if total != n {
		t.Fatalf("%d files in Filed, want %d", total, n)
	}
}

func TestRootRemovedEndsServe(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	root := filepath.Join(parent, "inbox")
	write(t, filepath.Join(root, "a.pdf"), []byte("a"))
	c := &collector{}
	w := New(Options{Root: root}, c)
	errc := make(chan error, 1)
	go func() { errc <- w.Serve(context.Background()) }()
	waitFor(t, "a.pdf", func() bool { return len(c.byRel()["a.pdf"]) == 1 })
	if err := os.Rename(root, filepath.Join(parent, "moved")); err != nil {
		t.Fatal(err)
	}
	w.Rescan() // in case the platform reports no event for the root itself
	select {
	case err := <-errc:
		if err == nil || errors.Is(err, context.Canceled) {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Serve kept running after its folder was renamed")
	}
	if _, err := os.Stat(filepath.Join(parent, "moved", "a.pdf")); err != nil {
		t.Fatal("watcher touched the user's file")
	}
}

func TestServeMissingRoot(t *testing.T) {
	t.Parallel()
	w := New(Options{Root: filepath.Join(t.TempDir(), "nope")}, &collector{})
	if err := w.Serve(context.Background()); err == nil {
		t.Fatal("Serve on a missing folder succeeded")
	}
}

func TestManyFilesAtStartEachOnce(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	const n = 500
	for i := range n {
		write(t, filepath.Join(root, fmt.Sprintf("d%02d", i%7), fmt.Sprintf("f%03d.pdf", i)), []byte{byte(i)})
	}
	c := &collector{}
	w := start(t, Options{Root: root, Workers: 3}, c)
	waitFor(t, "all files", func() bool { return len(c.byRel()) == n })
	settle(w)
	for rel, fs := range c.byRel() {
		if len(fs) != 1 {
			t.Fatalf("%s reported %d times", rel, len(fs))
		}
	}
}

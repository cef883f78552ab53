// Package watch reports files that land in a folder tree once they are
// complete: not while a scanner, browser or copy is still writing them.
//
// One goroutine (Serve) owns all state, as Syncthing's watch aggregator does:
// it receives fsnotify events and timers, debounces each path by pushing its
// deadline back on every event (fsnotify's dedup example, with one timer and
// a deadline heap instead of a timer per path), and hands stable files to a
// bounded pool of workers that hash them off-loop. A file is stable when its size and
// modification time did not change over the quiet period, it can be
// opened for reading (on Windows: without another program holding it open
// for writing) and it is complete for its format where the format tells
// (Whole); the worker then stats, hashes and stats again and requeues the
// file if it changed meanwhile (Syncthing's HashFile). A quiet file that is
// not stable keeps waiting, and Options.Stuck hears of it: at once when it
// cannot be read, after UnfinishedAfter when it looks unfinished.
//
// fsnotify is not recursive, so directories are watched one by one as they
// appear, and their contents scanned because files may land before the
// watch is added. An event-queue overflow, a periodic timer (with jitter) and
// the start itself trigger a full rescan, so nothing added while the app was
// closed or while the kernel dropped events is missed.
//
// The watcher never modifies or deletes anything; see Claim for moving files.
package watch

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Delays that tests shrink.
var (
	// DefaultQuiet is how long a file must stay unchanged.
	DefaultQuiet = 2 * time.Second
	// DefaultRescan is the period of the safety-net rescan.
	DefaultRescan = 5 * time.Minute
	// retryDelay is the wait before retrying a file whose sink call failed.
	retryDelay = 30 * time.Second
	// UnfinishedAfter is how long a quiet file may look unfinished (or stay
	// open in another program) before Options.Stuck hears of it.
	UnfinishedAfter = 10 * time.Minute
	// UnreadableRetryMax is the longest wait between two looks at a file
	// that cannot be read; the wait doubles from the quiet period up to it.
	UnreadableRetryMax = time.Minute
)

// ErrInUse means another program still has a file open for writing.
var ErrInUse = errors.New("another program still has it open")

// Waiting says why a quiet file is not reported yet.
type Waiting string

const (
	// WaitingUnreadable: it cannot be opened or read (permission, a lock).
	WaitingUnreadable Waiting = "unreadable"
	// WaitingUnfinished: incomplete for its format, or still open for
	// writing in another program.
	WaitingUnfinished Waiting = "unfinished"
)

// Stuck is a file the watcher keeps waiting for, told to Options.Stuck.
type Stuck struct {
	Path    string // absolute
	Rel     string // relative to Root, OS separators
	Size    int64
	ModTime time.Time
	Why     Waiting
	Err     error // what failed, if anything (ErrInUse, a permission error)
}

// File is a complete file ready to be filed.
type File struct {
	Path    string // absolute
	Rel     string // relative to Root, OS separators
	Size    int64
	ModTime time.Time
	SHA256  string // hex
}

// Sink receives stable files. It is called from several goroutines at once
// (at most Options.Workers). An error makes the watcher retry the file later:
// after a quiet period for ErrNotReady (e.g. from Claim), otherwise after a
// longer delay. A nil return marks the file handled until it changes, or is
// removed and comes back.
type Sink interface {
	FileReady(ctx context.Context, f File) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(ctx context.Context, f File) error

// FileReady calls fn.
func (fn SinkFunc) FileReady(ctx context.Context, f File) error { return fn(ctx, f) }

// Options configure a Watcher.
type Options struct {
	Root   string
	Quiet  time.Duration // default DefaultQuiet
	Rescan time.Duration // default DefaultRescan, ±10% jitter; negative disables
	// Ignore, if set, is consulted in addition to the built-in rules with
	// the path relative to Root ("/" separated).
	Ignore func(rel string) bool
	// SkipDirs are top-level folder names never descended into; default
	// "Filed" and ClaimDir (the app's own moves).
	SkipDirs []string
	// Known, if set, is asked before hashing a stable file; returning true
	// marks it handled without hashing or reporting it. It lets a restart
	// skip files left in place that were already queued.
	Known func(rel string, size int64, modTime time.Time) bool
	// Stuck, if set, hears of a file that waits for a reason a person
	// should know (see Stuck), once per reason. It is called from Serve's
	// goroutine and must not block for long. The file is still watched and
	// reaches the Sink once it can be read and is whole.
	Stuck   func(Stuck)
	Workers int                           // concurrent hashing/sink calls; default 4
	Logf    func(format string, a ...any) // default: discard
}

// Watcher watches one folder tree. Create it with New and run Serve.
type Watcher struct {
	opts   Options
	sink   Sink
	rescan chan struct{}
	// newSource is replaceable in tests to inject events and errors.
	newSource func() (source, error)
	// open is the stability check's "can it be opened for reading" (and,
	// on Windows, "has no other program open for writing"); replaceable in
	// tests, which run as root and cannot lock a file away.
	open func(name string) (*os.File, error)
}

// source is the part of *fsnotify.Watcher the loop uses.
type source interface {
	Add(name string) error
	Remove(name string) error
	Events() <-chan fsnotify.Event
	Errors() <-chan error
	Close() error
}

type fsnotifySource struct{ w *fsnotify.Watcher }

func (s fsnotifySource) Add(n string) error            { return s.w.Add(n) }
func (s fsnotifySource) Remove(n string) error         { return s.w.Remove(n) }
func (s fsnotifySource) Events() <-chan fsnotify.Event { return s.w.Events }
func (s fsnotifySource) Errors() <-chan error          { return s.w.Errors }
func (s fsnotifySource) Close() error                  { return s.w.Close() }

// newFsnotify keeps the default 64 KiB Windows buffer, the largest that
// works on SMB shares; bursts beyond it overflow and cause a rescan. The
// event channel is buffered so bursts (a 10,000-file drop) wait in user
// space while the loop scans, rather than overflowing the kernel queue.
func newFsnotify() (source, error) {
	w, err := fsnotify.NewBufferedWatcher(1024)
	if err != nil {
		return nil, err
	}
	return fsnotifySource{w}, nil
}

// New returns a watcher; nothing happens until Serve.
func New(opts Options, sink Sink) *Watcher {
	if opts.Quiet <= 0 {
		opts.Quiet = DefaultQuiet
	}
	if opts.Rescan == 0 {
		opts.Rescan = DefaultRescan
	}
	if opts.SkipDirs == nil {
		opts.SkipDirs = []string{"Filed", ClaimDir}
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	opts.Root = filepath.Clean(opts.Root)
	if real, err := filepath.EvalSymlinks(opts.Root); err == nil {
		// A root that is itself a link is resolved once, so walking it
		// works; links below it are still never followed.
		opts.Root = real
	}
	return &Watcher{opts: opts, sink: sink, rescan: make(chan struct{}, 1), newSource: newFsnotify, open: openCheck}
}

// Rescan asks Serve for a full rescan without waiting for it.
func (w *Watcher) Rescan() {
	select {
	case w.rescan <- struct{}{}:
	default:
	}
}

// Ignored reports whether the built-in rules skip a file or folder name:
// Office lock files, partial downloads, temp files, dotfiles and shell junk.
func Ignored(name string) bool {
	l := strings.ToLower(name)
	switch {
	case strings.HasPrefix(l, "~$"), strings.HasPrefix(l, "."), strings.HasPrefix(l, "~"):
		return true
	case l == "thumbs.db", l == "desktop.ini", l == "icon\r":
		return true
	}
	for _, ext := range []string{".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", ".lock", "~"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// stat is what "unchanged" compares. The time is kept as nanoseconds so ==
// compares instants, not time.Time internals.
type stat struct {
	size int64
	mod  int64
}

func statOf(fi fs.FileInfo) stat { return stat{fi.Size(), fi.ModTime().UnixNano()} }

type pending struct {
	last     stat      // at the last event or check
	deadline time.Time // end of the current quiet period
	// A quiet file that is not stable yet:
	since time.Time     // first found quiet but unfinished (zero: not)
	retry time.Duration // the current wait between looks at an unreadable file
	told  Waiting       // what Options.Stuck last heard
}

// alarm is a deadline in the loop's heap. Re-arming a path pushes a new
// alarm; the old one is recognised as stale because the deadline moved.
// One timer for all paths keeps a 10,000-file drop from starting 10,000
// timer goroutines.
type alarm struct {
	at   time.Time
	path string
}

type alarms []alarm

func (a alarms) Len() int           { return len(a) }
func (a alarms) Less(i, j int) bool { return a[i].at.Before(a[j].at) }
func (a alarms) Swap(i, j int)      { a[i], a[j] = a[j], a[i] }
func (a *alarms) Push(x any)        { *a = append(*a, x.(alarm)) }
func (a *alarms) Pop() any {
	old := *a
	x := old[len(old)-1]
	*a = old[:len(old)-1]
	return x
}

type outcome int

const (
	reported outcome = iota // sink accepted it
	changed                 // modified while hashing: wait again
	gone                    // vanished: drop quietly
	failed                  // sink or read error: retry later
)

type result struct {
	path string
	st   stat
	out  outcome
}

type loop struct {
	w       *Watcher
	src     source
	watched map[string]bool
	pend    map[string]*pending
	busy    map[string]bool // with a worker
	dirty   map[string]bool // changed while with a worker
	done    map[string]stat // reported and unchanged since
	queue   []string        // stable, waiting for a worker
	alarms  alarms
	timer   *time.Timer // fires at alarms[0].at
	jobs    chan string
	results chan result
}

// ErrRootGone means the watched folder was removed or renamed.
var ErrRootGone = errors.New("watched folder removed or renamed")

// Serve watches until ctx is cancelled, then returns ctx.Err(). It returns
// earlier with an error when the root cannot be watched or read (removed,
// renamed, a share gone offline); the caller shows the folder in error and
// may call Serve again later, which rescans. Call it once at a time.
func (w *Watcher) Serve(ctx context.Context) error {
	fi, err := os.Stat(w.opts.Root)
	if err != nil {
		return fmt.Errorf("watch: root: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("watch: root %s is not a folder", w.opts.Root)
	}
	src, err := w.newSource()
	if err != nil {
		return fmt.Errorf("watch: start fsnotify: %w", err)
	}
	defer src.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	l := &loop{
		w: w, src: src,
		watched: map[string]bool{}, pend: map[string]*pending{}, busy: map[string]bool{},
		dirty: map[string]bool{}, done: map[string]stat{}, timer: time.NewTimer(time.Hour),
		jobs: make(chan string), results: make(chan result, w.opts.Workers),
	}
	workersDone := make(chan struct{})
	go func() {
		defer close(workersDone)
		l.runWorkers(ctx)
	}()
	defer func() {
		cancel()
		l.timer.Stop()
		<-workersDone
	}()

	if err := src.Add(w.opts.Root); err != nil {
		return fmt.Errorf("watch: add %s: %w", w.opts.Root, err)
	}
	l.watched[w.opts.Root] = true
	if err := l.scan(w.opts.Root); err != nil { // files added while we were not running
		return err
	}

	var rescanC <-chan time.Time
	var rescanT *time.Timer
	if w.opts.Rescan > 0 {
		rescanT = time.NewTimer(jitter(w.opts.Rescan))
		defer rescanT.Stop()
		rescanC = rescanT.C
	}
	for {
		var jobs chan string
		var head string
		if len(l.queue) > 0 {
			jobs, head = l.jobs, l.queue[0]
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-src.Events():
			if !ok {
				return errors.New("watch: fsnotify event channel closed")
			}
			if err := l.event(ev); err != nil {
				return err
			}
		case err, ok := <-src.Errors():
			if !ok {
				return errors.New("watch: fsnotify error channel closed")
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.opts.Logf("watch: %s: event overflow, rescanning", w.opts.Root)
				if err := l.scan(w.opts.Root); err != nil {
					return err
				}
			} else {
				w.opts.Logf("watch: %s: %v", w.opts.Root, err)
			}
		case <-l.timer.C:
			l.ring(time.Now())
		case jobs <- head:
			l.queue = l.queue[1:]
		case r := <-l.results:
			l.finish(r)
		case <-w.rescan:
			if err := l.scan(w.opts.Root); err != nil {
				return err
			}
		case <-rescanC:
			if err := l.scan(w.opts.Root); err != nil {
				return err
			}
			rescanT.Reset(jitter(w.opts.Rescan))
		}
	}
}

func jitter(d time.Duration) time.Duration {
	return d - d/10 + rand.N(d/5+1)
}

// rel returns p relative to Root with "/" separators, or ok=false if p is
// outside it.
func (l *loop) rel(p string) (string, bool) {
	r, err := filepath.Rel(l.w.opts.Root, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// skip applies the ignore rules to every component of the relative path.
func (l *loop) skip(p string) bool {
	r, ok := l.rel(p)
	if !ok {
		return true
	}
	if r == "." {
		return false
	}
	parts := strings.Split(r, "/")
	for _, d := range l.w.opts.SkipDirs {
		if strings.EqualFold(parts[0], d) {
			return true
		}
	}
	for _, part := range parts {
		if Ignored(part) {
			return true
		}
	}
	return l.w.opts.Ignore != nil && l.w.opts.Ignore(r)
}

func (l *loop) event(ev fsnotify.Event) error {
	if ev.Name == l.w.opts.Root && (ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)) {
		return fmt.Errorf("watch: %s: %w", l.w.opts.Root, ErrRootGone)
	}
	if ev.Op == fsnotify.Chmod || l.skip(ev.Name) {
		return nil
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// The old name is gone: forget it (and everything below it if it was
		// a folder); a new name arrives as its own Create.
		l.forget(ev.Name)
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			return l.scan(ev.Name) // watch it and pick up what landed before the watch
		}
	}
	if ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write) {
		l.schedule(ev.Name)
	}
	return nil
}

func (l *loop) forget(p string) {
	delete(l.pend, p) // its alarm, if any, is now stale
	delete(l.done, p)
	if !l.watched[p] {
		return // a file: nothing below it
	}
	// A folder went away: drop everything below it.
	prefix := p + string(filepath.Separator)
	for d := range l.watched {
		if d == p || strings.HasPrefix(d, prefix) {
			delete(l.watched, d)
			_ = l.src.Remove(d) // usually already gone with the folder
		}
	}
	for k := range l.pend {
		if k == p || strings.HasPrefix(k, prefix) {
			delete(l.pend, k)
		}
	}
	for k := range l.done {
		if k == p || strings.HasPrefix(k, prefix) {
			delete(l.done, k)
		}
	}
}

// schedule (re)starts a path's quiet period.
func (l *loop) schedule(p string) {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		// Gone, a folder, a symlink or a device: never filed. Symlinks are
		// not followed: a target inside Root is found under its own name,
		// one outside is out of bounds.
		if err != nil {
			delete(l.pend, p)
		}
		return
	}
	st := statOf(fi)
	if old, ok := l.done[p]; ok && old == st {
		return // already reported, unchanged
	}
	if l.busy[p] {
		l.dirty[p] = true // look again when the worker is done
		return
	}
	l.arm(p, st, l.w.opts.Quiet)
}

// arm (re)starts p's quiet period of length d.
func (l *loop) arm(p string, st stat, d time.Duration) {
	pd := l.pend[p]
	if pd == nil {
		pd = &pending{}
		l.pend[p] = pd
	}
	if pd.last != st {
		pd.since, pd.retry = time.Time{}, 0 // a writer at work is not stuck
	}
	pd.last, pd.deadline = st, time.Now().Add(d)
	heap.Push(&l.alarms, alarm{at: pd.deadline, path: p})
	if l.alarms[0].path == p && l.alarms[0].at.Equal(pd.deadline) {
		l.timer.Reset(d) // the new alarm is the earliest
	}
}

// ring checks every path whose quiet period is over, then re-aims the timer.
func (l *loop) ring(now time.Time) {
	for len(l.alarms) > 0 && !l.alarms[0].at.After(now) {
		a := heap.Pop(&l.alarms).(alarm)
		if pd := l.pend[a.path]; pd != nil && pd.deadline.Equal(a.at) {
			l.check(a.path)
		}
	}
	if len(l.alarms) > 0 {
		l.timer.Reset(time.Until(l.alarms[0].at))
	}
}

// check runs when a quiet period ends.
func (l *loop) check(p string) {
	pd := l.pend[p]
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		delete(l.pend, p) // deleted before it settled: drop quietly
		return
	}
	st := statOf(fi)
	if st != pd.last {
		// Changed without an event we saw (coalesced, or a network share):
		// another quiet period.
		l.arm(p, st, l.w.opts.Quiet)
		return
	}
	f, err := l.w.open(p)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			delete(l.pend, p)
		case errors.Is(err, ErrInUse):
			l.unfinished(p, pd, fi, err)
		default:
			l.unreadable(p, pd, fi, err)
		}
		return
	}
	whole, err := wholeFile(f)
	f.Close()
	switch {
	case err != nil:
		l.unreadable(p, pd, fi, err)
		return
	case !whole:
		l.unfinished(p, pd, fi, nil)
		return
	}
	delete(l.pend, p)
	l.busy[p] = true
	l.queue = append(l.queue, p)
}

// unfinished waits another quiet period for a file that is quiet but
// incomplete for its format or still open in another program: its writer
// may only have paused. Once it has looked so for UnfinishedAfter, a person
// hears of it.
func (l *loop) unfinished(p string, pd *pending, fi fs.FileInfo, err error) {
	now := time.Now()
	if pd.since.IsZero() {
		pd.since = now
	}
	if now.Sub(pd.since) >= UnfinishedAfter {
		l.tell(p, pd, fi, WaitingUnfinished, err)
	}
	l.arm(p, statOf(fi), l.w.opts.Quiet)
}

// unreadable tells a person at once about a file that cannot be read (no
// permission, locked) and looks again at a gentler pace.
func (l *loop) unreadable(p string, pd *pending, fi fs.FileInfo, err error) {
	l.w.opts.Logf("watch: cannot read %s: %v", p, err)
	l.tell(p, pd, fi, WaitingUnreadable, err)
	pd.retry = min(max(2*pd.retry, l.w.opts.Quiet), max(UnreadableRetryMax, l.w.opts.Quiet))
	l.arm(p, statOf(fi), pd.retry)
}

func (l *loop) tell(p string, pd *pending, fi fs.FileInfo, why Waiting, err error) {
	if pd.told == why || l.w.opts.Stuck == nil {
		return
	}
	pd.told = why
	rel, _ := filepath.Rel(l.w.opts.Root, p)
	l.w.opts.Stuck(Stuck{Path: p, Rel: rel, Size: fi.Size(), ModTime: fi.ModTime(), Why: why, Err: err})
}

func (l *loop) finish(r result) {
	delete(l.busy, r.path)
	dirty := l.dirty[r.path]
	delete(l.dirty, r.path)
	switch r.out {
	case reported:
		l.done[r.path] = r.st
		if dirty {
			l.schedule(r.path) // no-op unless it really changed
		}
	case changed:
		l.schedule(r.path)
	case gone:
	case failed:
		// Retry later; an event or rescan may come sooner.
		l.arm(r.path, r.st, retryDelay)
	}
}

// scan watches dir and every folder below it and schedules every file not
// yet reported. Folders that are skipped or symlinked are not entered.
// It fails only if dir itself cannot be read.
func (l *loop) scan(dir string) error {
	seen := map[string]bool{}
	complete := true
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			complete = false
			return nil // vanished or unreadable: the next scan retries
		}
		if p != dir && l.skip(p) {
			if de.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case de.IsDir():
			if !l.watched[p] {
				if err := l.src.Add(p); err != nil {
					l.w.opts.Logf("watch: add %s: %v", p, err)
				} else {
					l.watched[p] = true
				}
			}
		case de.Type().IsRegular():
			seen[p] = true
			if _, queued := l.pend[p]; !queued {
				l.schedule(p)
			}
		}
		return nil
	})
	if err != nil {
		if dir == l.w.opts.Root {
			return fmt.Errorf("watch: scan %s: %w", dir, err)
		}
		return nil // a sub-folder that vanished: its Remove event follows
	}
	if !complete {
		// Part of the tree was unreadable (a share hiccup): keep what we
		// know rather than report it all again next time.
		return nil
	}
	// Forget reported files that are gone, so a file put back is reported.
	prefix := dir + string(filepath.Separator)
	for p := range l.done {
		if (dir == l.w.opts.Root || strings.HasPrefix(p, prefix)) && !seen[p] {
			delete(l.done, p)
		}
	}
	return nil
}

func (l *loop) runWorkers(ctx context.Context) {
	n := l.w.opts.Workers
	stop := make(chan struct{}, n)
	for range n {
		go func() {
			defer func() { stop <- struct{}{} }()
			for {
				select {
				case <-ctx.Done():
					return
				case p := <-l.jobs:
					r := l.w.process(ctx, p)
					select {
					case l.results <- r:
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	for range n {
		<-stop
	}
}

// process hashes a stable file and hands it to the sink.
func (w *Watcher) process(ctx context.Context, p string) result {
	if w.opts.Known != nil {
		if fi, err := os.Lstat(p); err == nil {
			rel, _ := filepath.Rel(w.opts.Root, p)
			if w.opts.Known(rel, fi.Size(), fi.ModTime()) {
				return result{path: p, st: statOf(fi), out: reported}
			}
		}
	}
	f, st, err := hashFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return result{path: p, out: gone}
	case errors.Is(err, errChanged):
		return result{path: p, out: changed}
	case err != nil:
		w.opts.Logf("watch: %v", err)
		return result{path: p, st: st, out: failed}
	}
	rel, _ := filepath.Rel(w.opts.Root, p)
	f.Rel = rel
	if err := w.sink.FileReady(ctx, f); err != nil {
		if errors.Is(err, ErrNotReady) {
			return result{path: p, st: st, out: changed} // still in use: another quiet period
		}
		if ctx.Err() == nil {
			w.opts.Logf("watch: %s: %v", rel, err)
		}
		if _, serr := os.Lstat(p); errors.Is(serr, fs.ErrNotExist) {
			return result{path: p, out: gone}
		}
		return result{path: p, st: st, out: failed}
	}
	return result{path: p, st: st, out: reported}
}

var errChanged = errors.New("changed while hashing")

// hashFile stats, hashes and stats again, failing with errChanged if the
// file was modified meanwhile.
func hashFile(p string) (File, stat, error) {
	fh, err := os.Open(p)
	if err != nil {
		return File{}, stat{}, fmt.Errorf("open %s: %w", p, err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return File{}, stat{}, fmt.Errorf("stat %s: %w", p, err)
	}
	before := statOf(fi)
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return File{}, before, fmt.Errorf("read %s: %w", p, err)
	}
	fi2, err := os.Lstat(p) // by name: a replace-by-rename shows up too
	if err != nil {
		return File{}, before, fmt.Errorf("stat %s: %w", p, err)
	}
	if after := statOf(fi2); after != before {
		return File{}, after, errChanged
	}
	return File{Path: p, Size: fi.Size(), ModTime: fi.ModTime(), SHA256: hex.EncodeToString(h.Sum(nil))}, before, nil
}

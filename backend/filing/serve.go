package filing

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"chase.md/backend/watch"
)

// Serve watches every folder that is not paused until ctx ends, following
// AddFolder, UpdateFolder, RemoveFolder, Pause and Resume as they happen.
// A folder whose watcher fails (removed, a share offline) shows in error and
// is tried again after a growing wait; the others carry on.
func (s *Service) Serve(ctx context.Context) error {
	s.mu.Lock()
	if s.serving {
		s.mu.Unlock()
		return ErrServing
	}
	s.serving = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.serving = false
		s.mu.Unlock()
	}()

	var wg sync.WaitGroup
	defer wg.Wait()
	defer s.stopAll()

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return s.sweep(ctx) })
	g.Go(func() error {
		for {
			if err := s.reconcile(ctx, &wg); err != nil {
				s.log.Warn("filing: folders", "err", err)
			}
			select {
			case <-s.kick:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return ctx.Err()
	}
	return err
}

// reconcile starts folders that should run and stops those that should not
// (removed, paused, or changed: these restart with their new settings).
func (s *Service) reconcile(ctx context.Context, wg *sync.WaitGroup) error {
	fs, err := s.folders(ctx)
	if err != nil {
		return err
	}
	want := map[int64]Folder{}
	for _, f := range fs {
		if !f.Paused {
			want[f.ID] = f
		}
	}
	var stopped []*run
	s.mu.Lock()
	for id, r := range s.runs {
		if f, ok := want[id]; !ok || f != r.folder {
			r.cancel()
			stopped = append(stopped, r)
			delete(s.runs, id)
		}
	}
	s.mu.Unlock()
	for _, r := range stopped {
		<-r.done // its claims are settled before a restart takes new ones
	}
	for _, f := range fs {
		if f.Paused {
			s.emitState(ctx, f)
		}
	}
	for _, f := range want {
		s.mu.Lock()
		_, running := s.runs[f.ID]
		if !running {
			rctx, cancel := context.WithCancel(ctx)
			r := &run{folder: f, cancel: cancel, done: make(chan struct{}), state: StateStarting}
			s.runs[f.ID] = r
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer close(r.done)
				s.runFolder(rctx, r)
			}()
		}
		s.mu.Unlock()
	}
	return nil
}

func (s *Service) stopAll() {
	s.mu.Lock()
	for id, r := range s.runs {
		r.cancel()
		delete(s.runs, id)
	}
	s.mu.Unlock()
}

func (s *Service) setState(ctx context.Context, r *run, st State, msg string) {
	s.mu.Lock()
	changed := r.state != st || r.msg != msg
	r.state, r.msg = st, msg
	s.mu.Unlock()
	if changed {
		s.emitState(ctx, r.folder)
	}
}

func (s *Service) emitState(ctx context.Context, f Folder) {
	ev := s.ev().OnFolderState
	if ev == nil {
		return
	}
	st, err := s.status(context.WithoutCancel(ctx), f)
	if err != nil {
		return
	}
	ev(st)
}

// runFolder keeps one folder watched until ctx ends.
func (s *Service) runFolder(ctx context.Context, r *run) {
	wait := RestartMin
	for {
		err := s.watchOnce(ctx, r)
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("filing: folder stopped", "folder", r.folder.Path, "err", err)
		s.setState(ctx, r, StateError, plainError(r.folder.Path, err))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, RestartMax)
	}
}

// plainError says why a folder cannot be watched, for an accountant.
func plainError(path string, err error) string {
	switch {
	case errors.Is(err, watch.ErrRootGone), errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("The folder %s cannot be found: it was moved, renamed or its drive is offline. chase.md keeps trying.", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("chase.md is not allowed to read or write in %s.", path)
	default:
		return fmt.Sprintf("The folder %s cannot be watched (%v). chase.md keeps trying.", path, err)
	}
}

// resolveRoot is the folder's real path, as the watcher reports files under it.
func resolveRoot(p string) (string, error) {
	root, err := filepath.EvalSymlinks(filepath.Clean(p))
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(root)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s: %w", p, watch.ErrRootGone)
	}
	return root, nil
}

func (s *Service) watchOnce(ctx context.Context, r *run) error {
	f := r.folder
	root, err := resolveRoot(f.Path)
	if err != nil {
		return err
	}
	if err := s.recoverOwn(ctx, f, root); err != nil {
		return err
	}
	if err := watch.Heartbeat(root, s.owner); err != nil {
		return err
	}
	if _, err := watch.RecoverStale(root, s.owner, StaleAfter); err != nil {
		s.log.Warn("filing: recover stale claims", "folder", f.Path, "err", err)
	}
	w := watch.New(watch.Options{
		Root:   root,
		Quiet:  s.o.Quiet,
		Rescan: s.o.Rescan,
		Known:  s.known(f.ID),
		Stuck:  func(st watch.Stuck) { s.recordStuck(ctx, f, root, st) },
		Logf:   func(format string, a ...any) { s.log.Debug(fmt.Sprintf(format, a...)) },
	}, watch.SinkFunc(func(ctx context.Context, file watch.File) error {
		return s.fileReady(ctx, f, root, file)
	}))
	s.mu.Lock()
	r.w = w
	s.mu.Unlock()
	s.setState(ctx, r, StateWatching, "")

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return w.Serve(gctx) })
	g.Go(func() error { return s.heartbeat(gctx, root) })
	g.Go(func() error { return s.recoverStaleLoop(gctx, f, root) })
	g.Go(func() error { return s.contactsLoop(gctx, f, w) })
	return g.Wait()
}

// heartbeat keeps this machine's claims alive on its own loop, so uploads
// never hold it up. It first checks the folder is still there: a heartbeat
// creates its claim folder, and must not re-create a watched folder that was
// moved away. Any other error (a share that stalls or drops) is logged and
// tried again soon, never a reason to stop: a stopped heartbeat lets another
// machine take this one's claims back.
func (s *Service) heartbeat(ctx context.Context, root string) error {
	t := time.NewTimer(HeartbeatEvery)
	defer t.Stop()
	var failing error
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		_, err := os.Lstat(root)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", root, watch.ErrRootGone)
		}
		if err == nil {
			err = watch.Heartbeat(root, s.owner)
		}
		switch {
		case err != nil && failing == nil:
			s.log.Warn("filing: claim heartbeat failed; trying again", "folder", root, "err", err)
		case err == nil && failing != nil:
			s.log.Info("filing: claim heartbeat works again", "folder", root)
		}
		failing = err
		next := HeartbeatEvery
		if err != nil {
			next = min(HeartbeatEvery, heartbeatRetry)
		}
		t.Reset(next)
	}
}

func (s *Service) recoverStaleLoop(ctx context.Context, f Folder, root string) error {
	t := time.NewTicker(RecoverEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if _, err := os.Lstat(root); err != nil {
			return fmt.Errorf("%s: %w", root, watch.ErrRootGone)
		}
		got, err := watch.RecoverStale(root, s.owner, StaleAfter)
		if err != nil {
			s.log.Warn("filing: recover stale claims", "folder", f.Path, "err", err)
		}
		if len(got) > 0 {
			s.log.Info("filing: returned files another machine had claimed", "folder", f.Path, "files", len(got))
		}
	}
}

// contactsLoop rescans the folder when the organisation's contacts change, so
// files waiting for a first sync (or for a new client) are filed.
func (s *Service) contactsLoop(ctx context.Context, f Folder, w *watch.Watcher) error {
	if f.Mode == ModeFixed {
		return nil
	}
	type mark struct {
		rev    int64
		synced time.Time
	}
	look := func() (mark, error) {
		rev, err := s.contactsRev(ctx, f.TenantID)
		if err != nil {
			return mark{}, err
		}
		st, err := s.o.DB.ContactSyncState(ctx, f.TenantID)
		return mark{rev, st.LastSyncAt}, err
	}
	last, _ := look()
	t := time.NewTicker(ContactsEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		// A sync that ends (even changing nothing) or changes contacts.
		if m, err := look(); err == nil && m != last {
			last = m
			w.Rescan()
			if ix, _, err := s.index(ctx, f.TenantID); err == nil && ix.Len() > 0 && !m.synced.IsZero() {
				if err := s.rematch(ctx, f.TenantID, f.ID, ix); err != nil {
					s.log.Warn("filing: look at Review again", "folder", f.Path, "err", err)
				}
			}
		}
	}
}

// ContactsChanged asks every folder to look again at the files it could not
// file for want of contacts (after a sync). The match index itself follows
// the store by its revision.
func (s *Service) ContactsChanged() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.runs {
		if r.w != nil {
			r.w.Rescan()
		}
	}
}

// recoverOwn returns to the folder the files this install had claimed when it
// last stopped, except those whose upload is still queued: the queue reads
// them from the claim area, and they are filed when it finishes.
func (s *Service) recoverOwn(ctx context.Context, f Folder, root string) error {
	var keep []string
	s.mu.Lock()
	for _, cls := range s.pending {
		for _, cl := range cls {
			keep = append(keep, cl.path)
		}
	}
	s.mu.Unlock()
	got, err := watch.RecoverOwnExcept(root, s.owner, keep)
	if len(got) > 0 {
		s.log.Info("filing: returned files claimed before a restart", "folder", f.Path, "files", len(got))
	}
	return err
}

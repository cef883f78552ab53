package filing

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"
)

// CLI runs `chase watch [--folder DIR] [--mode auto|subfolder|filename]`:
// the watched folders and the upload queue without the app (serve runs the
// session's background work), one line per event on stdout, until ctx ends
// (Ctrl-C). --folder adds that folder for the main organisation if it is not
// watched yet.
func CLI(ctx context.Context, s *Service, args []string, serve func(context.Context) error, stdout io.Writer) error {
	dir, mode, err := parseCLI(args, stdout)
	if err != nil {
		return err
	}
	if *dir != "" {
		if err := ensureFolder(ctx, s, *dir, Mode(*mode)); err != nil {
			return err
		}
	}
	fs, err := s.Folders(ctx)
	if err != nil {
		return err
	}
	if len(fs) == 0 {
		return errors.New("no folder is watched: run `chase watch --folder DIR`")
	}

	var mu sync.Mutex // one line at a time
	line := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stdout, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, a...)...)
	}
	for _, f := range fs {
		line("folder %s (%s, after filing: %s)", f.Path, f.Mode, f.After)
	}
	s.SetEvents(Events{
		OnQueued: func(q Queued) { line("queued %s → %s (%s)", q.File, q.Client, q.Reason) },
		OnFiled:  func(f Filed) { line("filed %s → %s", f.File, f.Client) },
		OnReview: func(r Review) { line("review %s: %s", r.Rel, r.Reason) },
		OnFolderState: func(st FolderStatus) {
			if st.Message != "" {
				line("folder %s: %s — %s", st.Path, st.State, st.Message)
			} else {
				line("folder %s: %s", st.Path, st.State)
			}
		},
	})
	defer s.SetEvents(Events{})
	line("watching; press Ctrl-C to stop")
	err = serve(ctx)
	if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
		line("stopped")
		return nil
	}
	return err
}

// CheckArgs parses args as CLI does, doing nothing else: the command line
// checks its flags before it opens the keyring or the database.
func CheckArgs(args []string, stdout io.Writer) error {
	_, _, err := parseCLI(args, stdout)
	return err
}

func parseCLI(args []string, stdout io.Writer) (dir *string, mode *string, err error) {
	fl := flag.NewFlagSet("watch", flag.ContinueOnError)
	fl.SetOutput(stdout)
	dir = fl.String("folder", "", "watch this folder (added with default settings if new)")
	mode = fl.String("mode", "", "how a new --folder matches clients: auto, subfolder or filename")
	if err := fl.Parse(args); err != nil {
		return nil, nil, err
	}
	if fl.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected arguments %q: name the folder with --folder DIR", fl.Args())
	}
	switch Mode(*mode) {
	case "", "auto", "subfolder", "filename":
	default:
		return nil, nil, fmt.Errorf("--mode %q is not known: use auto, subfolder or filename", *mode)
	}
	return dir, mode, nil
}

func ensureFolder(ctx context.Context, s *Service, dir string, mode Mode) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	fs, err := s.folders(ctx)
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.Path == filepath.Clean(abs) {
			if f.Paused {
				return s.Resume(ctx, f.ID)
			}
			return nil
		}
	}
	_, err = s.AddFolder(ctx, Folder{Path: abs, Mode: mode})
	return err
}

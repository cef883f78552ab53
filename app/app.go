// Package app is chase.md's desktop shell: the Wails lifecycle, the services bound
// to the UI and the events sent to it. It is the only package that imports Wails;
// everything it calls lives under backend/ and is testable without a webview.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/auth"
	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/notify"
	"chase.md/backend/owner"
	"chase.md/backend/store"
)

// Options configure an App. The zero value works and logs to stderr.
type Options struct {
	Logger *slog.Logger
	Icon   []byte // window icon on Linux (PNG)
	// ChaseFiles paces the background refresh of the chase list's files in
	// Xero (zero: the backend's defaults); tests shorten or stop it.
	ChaseFiles core.ChaseFiles
	// Browse opens Xero's sign-in page in the system browser (nil: Wails'
	// BrowserOpenURL); tests play the person at the browser here.
	Browse func(url string) error
	// Notifier shows desktop notifications (nil: the system's; tests record them).
	Notifier notify.Closer
	// Background starts without showing the window (autostart's --background).
	Background bool
}

// App owns the lifecycle. Its exported service fields are what the UI binds to.
type App struct {
	base  config.Config
	opts  Options
	log   *slog.Logger
	ready chan struct{} // closed when startup has finished, successfully or not

	wailsCtx context.Context // only for runtime.* calls, which need Wails' own ctx
	ctx      context.Context // root ctx for backend work, cancelled on shutdown
	cancel   context.CancelFunc

	mu       sync.RWMutex
	sess     *session    // nil until startup, or if the store cannot be opened
	owner    *owner.Lock // the data folder, held from startup to shutdown
	startErr error

	Status   *StatusService
	Settings *SettingsService
	Auth     *AuthService
	Clients  *ClientsService
	Chase    *ChaseService
	Uploads  *UploadsService
	Activity *ActivityService
	Folders  *FoldersService
	Desktop  *DesktopService
	Update   *UpdateService
	Remind   *RemindService
}

// session is everything that depends on the mode (demo or a real Xero): the
// resolved endpoints, the database and the backend. Switching modes replaces it.
type session struct {
	cfg    config.Config
	db     *store.DB
	ctx    context.Context    // the bound calls' ctx: ends with the session
	cancel context.CancelFunc // stops the backend (and the demo's sandbox)
	calls  gate               // the bound calls using the session now

	// core is the backend: nil until it can open (real mode needs a client ID
	// and a keyring), with coreErr saying why in the meantime.
	core    *core.Session
	coreErr error
}

// close is stop → wait → close: the bound calls in progress and the core
// session's loops are told to stop and waited for (they write their outcomes
// as they stop) before the store closes; calls that come meanwhile are
// refused with ErrClosing.
func (s *session) close() error {
	s.cancel()
	s.calls.drain()
	if s.core != nil {
		s.core.Close()
	}
	return s.db.Close()
}

// New prepares the app; nothing is opened until Wails calls startup.
func New(cfg config.Config, opts Options) *App {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	a := &App{base: cfg, opts: opts, log: opts.Logger, ready: make(chan struct{})}
	if a.opts.Browse == nil {
		a.opts.Browse = a.browserOpenURL
	}
	a.Status = &StatusService{app: a}
	a.Settings = &SettingsService{app: a}
	a.Auth = &AuthService{app: a}
	a.Clients = &ClientsService{app: a}
	a.Chase = &ChaseService{app: a}
	a.Uploads = &UploadsService{app: a}
	a.Activity = &ActivityService{app: a}
	a.Folders = &FoldersService{app: a}
	a.Desktop = newDesktop(a)
	a.Update = &UpdateService{app: a}
	a.Remind = &RemindService{app: a}
	return a
}

// Bind lists the services the UI may call; `wails generate module` reads them.
func (a *App) Bind() []any {
	return []any{a.Status, a.Settings, a.Auth, a.Clients, a.Chase, a.Uploads, a.Activity, a.Folders, a.Desktop, a.Update, a.Remind}
}

// WailsOptions is the window and lifecycle configuration for wails.Run.
func (a *App) WailsOptions(assets fs.FS) *options.App {
	return &options.App{
		Title:            "chase.md",
		Width:            defaultWidth,
		Height:           defaultHeight,
		MinWidth:         minWidth,
		MinHeight:        minHeight,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 248, B: 250, A: 255}, // --c-bg of the light theme
		StartHidden:      a.opts.Background,
		OnStartup:        a.startup,
		OnBeforeClose:    a.beforeClose,
		OnShutdown:       a.shutdown,
		ErrorFormatter:   a.formatError,
		Bind:             a.Bind(),
		// Two copies would race over one refresh token and one database: the second
		// launch focuses the first window instead.
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "md.chase.desktop",
			OnSecondInstanceLaunch: a.secondInstance,
		},
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Linux: &linux.Options{
			Icon:             a.opts.Icon,
			ProgramName:      "chase", // WM_CLASS; matches StartupWMClass in build/linux/chase-md.desktop
			WebviewGpuPolicy: linux.WebviewGpuPolicyOnDemand,
		},
		Windows: &windows.Options{
			Theme:                windows.SystemDefault,
			WebviewUserDataPath:  "", // WebView2 default (%AppData%\chase-md.exe)
			DisablePinchZoom:     true,
			IsZoomControlEnabled: false,
		},
	}
}

// startup runs when Wails has created the window. On Linux it runs on its own
// goroutine while the page loads, so services wait on a.ready before using the session.
func (a *App) startup(ctx context.Context) {
	a.wailsCtx = ctx
	if sess := a.begin(ctx); sess != nil {
		a.restoreWindow(ctx, sess.db)
	}
	go a.Desktop.serve(a.ctx)
}

// begin derives the root ctx from parent, opens the session and releases the
// services waiting on a.ready. It returns nil if the session could not open;
// the services then report that error to the UI.
func (a *App) begin(parent context.Context) *session {
	defer close(a.ready)
	a.ctx, a.cancel = context.WithCancel(parent)
	lk, err := a.takeDataFolder()
	var sess *session
	if err == nil {
		sess, err = a.openInitialSession(a.ctx)
	}
	a.mu.Lock()
	a.sess, a.owner, a.startErr = sess, lk, err
	a.mu.Unlock()
	if err != nil {
		a.log.Error("startup", "err", err)
	}
	return sess
}

// takeDataFolder makes the app the data folder's owner (package owner), so
// no `chase watch` or `chase upload` works the same queue meanwhile. The
// window's single-instance lock only stops a second window.
func (a *App) takeDataFolder() (*owner.Lock, error) {
	lk, err := owner.Acquire(a.base.DataDir, owner.Holder{Program: owner.App})
	var held *owner.HeldError
	if errors.As(err, &held) {
		return nil, &UIError{Code: "data_folder_in_use", Message: held.Message("", "open chase.md again")}
	}
	return lk, err
}

// openInitialSession honours --demo / CHASE_DEMO, and otherwise the user's last
// choice: someone who picked "Try the demo" comes back to the demo.
func (a *App) openInitialSession(ctx context.Context) (*session, error) {
	if a.base.Demo {
		return a.openSession(ctx, true)
	}
	s, err := a.openSession(ctx, false)
	if err != nil {
		return nil, err
	}
	var demo bool
	if _, err := s.db.GetSetting(ctx, keyPreferDemo, &demo); err != nil || !demo {
		return s, err
	}
	if err := s.close(); err != nil {
		a.log.Warn("close store", "err", err)
	}
	return a.openSession(ctx, true)
}

func (a *App) openSession(ctx context.Context, demo bool) (*session, error) {
	sctx, cancel := context.WithCancel(a.ctx)
	cfg := a.base
	cfg.Demo = demo
	db, err := store.Open(ctx, cfg.DBPath())
	if err != nil {
		cancel()
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &session{cfg: cfg, db: db, ctx: sctx, cancel: cancel}
	a.openCore(sctx, s)
	return s, nil
}

// openCore starts the backend of s. Failing is not fatal: the welcome and
// settings screens work without it and show coreErr (no client ID, no keyring).
func (a *App) openCore(ctx context.Context, s *session) {
	c, err := core.Open(ctx, core.Options{
		Config:     s.cfg,
		DB:         s.db,
		OpenURL:    a.Auth.browse,
		Events:     a.Desktop.observe(a.coreEvents()),
		Logger:     a.log,
		ChaseFiles: a.opts.ChaseFiles,
	})
	if err != nil {
		s.core, s.coreErr = nil, err
		a.log.Info("backend not started", "demo", s.cfg.Demo, "err", err)
		return
	}
	s.core, s.coreErr = c, nil
	s.cfg = c.Config()
	// Loops of the core session: closing it stops and waits for them.
	c.Go(ctx, func(ctx context.Context) {
		if err := c.Serve(ctx); err != nil {
			a.log.Error("backend stopped", "err", err)
		}
	})
	if s.cfg.Demo && c.Conn.State() != auth.Connected {
		// The demo practice is always connected: its sandbox consents by itself.
		c.Go(ctx, func(ctx context.Context) {
			if _, _, err := c.SignIn(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("demo sign-in", "err", err)
			}
		})
	}
}

// reopenCore retries the backend after the user fixed what stopped it (for
// example by entering a client ID).
func (a *App) reopenCore() error {
	_, sess, done, err := a.current()
	if err != nil {
		return err
	}
	defer done()
	a.mu.Lock()
	defer a.mu.Unlock()
	if sess.core != nil {
		return nil
	}
	a.openCore(sess.ctx, sess)
	return sess.coreErr
}

// backend waits for startup and returns the running backend, or why it is
// not running. As with current, done must be called when the call is over.
func (a *App) backend() (context.Context, *core.Session, func(), error) {
	ctx, sess, done, err := a.current()
	if err != nil {
		return nil, nil, nil, err
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	if sess.core == nil {
		done()
		return nil, nil, nil, sess.coreErr
	}
	return ctx, sess.core, done, nil
}

// running is backend for a call that only checks the backend runs (before a
// dialog, say) and holds nothing open.
func (a *App) running() error {
	_, _, done, err := a.backend()
	if err == nil {
		done()
	}
	return err
}

// started is current for a call that only checks that startup succeeded.
func (a *App) started() error {
	_, _, done, err := a.current()
	if err == nil {
		done()
	}
	return err
}

func (a *App) browserOpenURL(url string) error {
	if a.wailsCtx == nil {
		return errors.New("no window to open the browser from")
	}
	wruntime.BrowserOpenURL(a.wailsCtx, url)
	return nil
}

// current waits for startup and returns the session to work with, held open
// until done is called: a bound call defers done, so that shutdown and a mode
// switch wait for it before they close the database. The ctx ends when the
// session starts closing.
func (a *App) current() (ctx context.Context, sess *session, done func(), err error) {
	<-a.ready
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.startErr != nil {
		return nil, nil, nil, a.startErr
	}
	if a.sess == nil {
		if a.ctx.Err() != nil {
			return nil, nil, nil, ErrClosing // shut down
		}
		return nil, nil, nil, ErrNotReady
	}
	if a.ctx.Err() != nil || !a.sess.calls.enter() {
		return nil, nil, nil, ErrClosing
	}
	return a.sess.ctx, a.sess, a.sess.calls.leave, nil
}

// switchMode closes the current session and opens the other one. The user's
// choice is remembered in the real database so the next launch returns to it.
//
// The new session takes the calls that come from then on; the old one closes
// after the calls still working with it have finished (session.close), with
// a.mu released meanwhile, so that those calls can still look at the app.
func (a *App) switchMode(demo bool) error {
	ctx, cur, done, err := a.current()
	if err != nil {
		return err
	}
	// Not held across close below: it would wait for this very call.
	done()
	if cur.cfg.Demo == demo {
		return nil
	}
	a.mu.Lock()
	if a.sess != cur { // another switch or shutdown came first
		a.mu.Unlock()
		return ErrClosing
	}
	if !cur.cfg.Demo {
		if err := cur.db.SetSetting(ctx, keyPreferDemo, true); err != nil {
			a.mu.Unlock()
			return err
		}
	}
	next, err := a.openSession(a.ctx, demo)
	if err == nil && !demo {
		if err = next.db.SetSetting(ctx, keyPreferDemo, false); err != nil {
			next.close()
		}
	}
	if err != nil {
		a.mu.Unlock()
		return err
	}
	a.sess = next
	a.mu.Unlock()
	if err := cur.close(); err != nil {
		a.log.Warn("close previous session", "err", err)
	}
	return nil
}

// emit sends an event to the UI; a no-op before startup and in tests.
func (a *App) emit(name string, data ...any) {
	if a.wailsCtx == nil || a.wailsCtx.Value("events") == nil {
		return
	}
	wruntime.EventsEmit(a.wailsCtx, name, data...)
}

// secondInstance: chase.md was opened again; the running window comes to the front.
func (a *App) secondInstance(d options.SecondInstanceData) {
	select {
	case <-a.ready: // a.wailsCtx is set
	default:
		return
	}
	a.Desktop.showWindow(d.Args)
}

// beforeClose remembers the window's size and position, then keeps chase.md
// running when the person chose so (the window hides) or when they would
// rather not stop uploads on their way (a native question).
func (a *App) beforeClose(ctx context.Context) bool {
	select {
	case <-a.ready:
	default:
		return false // still starting: nothing to remember yet
	}
	if _, s, done, err := a.current(); err == nil {
		defer done()
		a.saveWindow(ctx, s.db)
	}
	return a.Desktop.holdClose(ctx)
}

func (a *App) shutdown(context.Context) {
	if a.cancel != nil {
		a.cancel()
	}
	// The session leaves a.sess before it closes, so that a call looking for
	// it meanwhile is refused at once instead of waiting on a.mu.
	a.mu.Lock()
	sess := a.sess
	a.sess = nil
	a.mu.Unlock()
	if sess != nil {
		if err := sess.close(); err != nil && !errors.Is(err, context.Canceled) {
			a.log.Warn("close store", "err", err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.owner.Release(); err != nil {
		a.log.Warn("release the data folder", "err", err)
	}
	a.owner = nil
}

package app

import (
	"context"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/store"
)

const (
	defaultWidth, defaultHeight = 1200, 780
	minWidth, minHeight         = 960, 600
	keyWindow                   = "window"
	keyPreferDemo               = "app.prefer_demo"
	visibleMargin               = 120 // px of the window that must stay on a screen
)

// geometry is the window's last size and position, saved on close.
type geometry struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Maximised bool `json:"maximised"`
}

// fit makes a saved geometry safe for today's screens: a size within limits and
// a position that keeps the title bar reachable. Screens are compared by their
// union (Wails reports sizes, not offsets), so a window left on a monitor that
// has since been unplugged is moved back rather than opened out of sight.
// keepPos is false when the position should be left to the window manager.
func fit(g geometry, screenW, screenH int) (out geometry, keepPos bool) {
	out = g
	if out.Width < minWidth || out.Height < minHeight {
		out.Width, out.Height = max(out.Width, minWidth), max(out.Height, minHeight)
	}
	if screenW <= 0 || screenH <= 0 {
		return out, false
	}
	out.Width, out.Height = min(out.Width, screenW), min(out.Height, screenH)
	if g.X > screenW-visibleMargin || g.Y > screenH-visibleMargin ||
		g.X+out.Width < visibleMargin || g.Y < 0 {
		return out, false
	}
	return out, true
}

// screenUnion is the width (side by side) and height (tallest) of all screens.
func screenUnion(screens []wruntime.Screen) (w, h int) {
	for _, s := range screens {
		w += s.Size.Width
		h = max(h, s.Size.Height)
	}
	return w, h
}

func (a *App) restoreWindow(ctx context.Context, db *store.DB) {
	var g geometry
	ok, err := db.GetSetting(ctx, keyWindow, &g)
	if err != nil || !ok {
		return
	}
	screens, err := wruntime.ScreenGetAll(ctx)
	if err != nil {
		screens = nil
	}
	sw, sh := screenUnion(screens)
	g, keepPos := fit(g, sw, sh)
	wruntime.WindowSetSize(ctx, g.Width, g.Height)
	if keepPos {
		wruntime.WindowSetPosition(ctx, g.X, g.Y)
	}
	if g.Maximised {
		wruntime.WindowMaximise(ctx)
	}
}

func (a *App) saveWindow(ctx context.Context, db *store.DB) {
	var g geometry
	var prev geometry
	if _, err := db.GetSetting(ctx, keyWindow, &prev); err != nil {
		a.log.Warn("read window geometry", "err", err)
	}
	g.Maximised = wruntime.WindowIsMaximised(ctx)
	if g.Maximised {
		// A maximised window's size is the screen's; keep the size to return to.
		g.Width, g.Height, g.X, g.Y = prev.Width, prev.Height, prev.X, prev.Y
	} else {
		g.Width, g.Height = wruntime.WindowGetSize(ctx)
		g.X, g.Y = wruntime.WindowGetPosition(ctx)
	}
	if err := db.SetSetting(ctx, keyWindow, g); err != nil {
		a.log.Warn("save window geometry", "err", err)
	}
}

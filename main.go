// chase.md: with no arguments (or only --demo) it opens the desktop app; with
// arguments it is the `chase` command line.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"slices"

	"github.com/wailsapp/wails/v2"

	"chase.md/app"
	"chase.md/backend/applog"
	"chase.md/backend/cli"
	"chase.md/backend/config"
)

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	args := os.Args[1:]
	// Only --demo and --background (autostart: no window until opened again)
	// open the app; anything else is the command line.
	demo, background := false, false
	if !slices.ContainsFunc(args, func(a string) bool { return a != "--demo" && a != app.BackgroundFlag }) {
		demo, background, args = slices.Contains(args, "--demo"), slices.Contains(args, app.BackgroundFlag), nil
	}
	if len(args) > 0 {
		os.Exit(cli.Main(args))
	}

	if checkDisplay && cli.NoDisplay(runtime.GOOS, os.Getenv) {
		cli.PrintNoDisplay(os.Stderr)
		os.Exit(cli.ExitUsage)
	}
	cfg := config.FromEnv()
	cfg.Demo = cfg.Demo || demo
	dist, err := fs.Sub(assets, "frontend/dist")
	if err != nil {
		fmt.Fprintln(os.Stderr, "chase:", err)
		os.Exit(1)
	}
	// The Windows build has no console: the log file is where support looks.
	logger, logFile := applog.OpenOrFallback(cfg.LogPath(), applog.Options{Also: os.Stderr, AlsoLevel: slog.LevelInfo})
	defer logFile.Close()
	a := app.New(cfg, app.Options{Icon: icon, Logger: logger, Background: background})
	if err := wails.Run(a.WailsOptions(dist)); err != nil {
		fmt.Fprintln(os.Stderr, "chase:", err)
		os.Exit(1)
	}
}

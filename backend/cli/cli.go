// Package cli is chase.md's command line: `chase <command>`. It never imports Wails.
package cli

import (
	"context"
	"fmt"
	"io"

	"chase.md/backend/config"
)

// Run executes one command and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		return 0
	}
	switch args[0] {
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "chase.md %s\n", config.Version)
		return 0
	case "help", "--help", "-h":
		usage(stdout)
		return 0
	}
	fmt.Fprintf(stderr, "chase: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprint(w, `chase.md — chase clients for documents and file them in Xero.

Usage:
  chase                 open the app (add --demo for the built-in demo Xero)
  chase version         print the version
  chase help            this help
`)
}

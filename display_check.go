//go:build !bindings

package main

// checkDisplay: a window needs a display (see cli.NoDisplay).
const checkDisplay = true

//go:build bindings

package main

// checkDisplay is off while `wails generate module` runs this program
// (built with the bindings tag) to read its bindings: no window opens then.
const checkDisplay = false

package app

import (
	"os"
	"testing"
	"time"

	"chase.md/backend/core"
)

func TestMain(m *testing.M) {
	// Drops still wait in their undo window, briefly, so tests need not wait 10 s each.
	core.UndoWindow = 200 * time.Millisecond
	os.Exit(m.Run())
}

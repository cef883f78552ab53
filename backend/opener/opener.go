// Package opener opens a local file with the program the system uses for
// its type (a PDF viewer, an image viewer).
package opener

import (
	"fmt"
	"os"
)

// Open starts the system's viewer for path and returns without waiting for
// it. path must be a file that exists: the caller decides which files may
// be opened (chase.md opens only files it queued or holds in Review).
func Open(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("opener: %w", err)
	}
	if st.IsDir() {
		return fmt.Errorf("opener: %s is a folder", path)
	}
	cmd := command(path)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opener: start %s: %w", cmd.Path, err)
	}
	go cmd.Wait() // reap it; the viewer lives on its own
	return nil
}

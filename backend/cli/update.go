package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"chase.md/backend/config"
	"chase.md/backend/store"
	"chase.md/backend/update"
)

// updateCheck reads the build's signed release feed once and says whether a newer
// chase.md is out, with its download link. It never downloads anything.
func updateCheck(ctx context.Context, w io.Writer) error {
	cfg := config.FromEnv()
	key, err := update.ParsePublicKey(cfg.UpdatePublicKey)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("create the data folder: %w", err)
	}
	db, err := store.Open(ctx, cfg.DBPath()) // remembers the newest feed date seen (replay)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer db.Close()
	c := update.Checker{FeedURL: cfg.UpdateFeedURL, PublicKey: key, Current: config.Version, Memory: update.SettingsMemory{Store: db}}
	r, err := c.Check(ctx)
	switch {
	case errors.Is(err, update.ErrDisabled):
		fmt.Fprintf(w, "This build of chase.md (%s) checks no release feed.\n", config.Version)
		return nil
	case err != nil:
		return err
	case r.Available:
		fmt.Fprintf(w, "chase.md %s is out (you have %s). Download it from:\n  %s\n", r.Version, config.Version, r.URL)
		if r.Notes != "" {
			fmt.Fprintf(w, "\n%s\n", r.Notes)
		}
	default:
		fmt.Fprintf(w, "chase.md %s is the latest version.\n", config.Version)
	}
	return nil
}

package app

import (
	"errors"

	"chase.md/backend/config"
	"chase.md/backend/update"
)

// UpdateService tells the UI whether a newer chase.md is out. It only reads the
// signed release feed (backend/update): it never downloads or installs anything.
type UpdateService struct{ app *App }

// UpdateInfo is what Settings shows: a newer version and where to download it.
type UpdateInfo struct {
	Enabled   bool   `json:"enabled"`   // this build checks a release feed
	Available bool   `json:"available"` // Version is newer than the running one
	Current   string `json:"current"`
	Version   string `json:"version"`
	URL       string `json:"url"`
	Notes     string `json:"notes"`
}

// ErrUpdateFeed: the release feed could not be read or trusted (a bad signature, a stale
// or replayed feed, the server unreachable). The detail goes to the log.
var ErrUpdateFeed = errors.New("the update check failed")

// Check reads the release feed now.
func (s *UpdateService) Check() (UpdateInfo, error) {
	ctx, sess, done, err := s.app.current()
	if err != nil {
		return UpdateInfo{}, err
	}
	defer done()
	info := UpdateInfo{Current: config.Version}
	key, err := update.ParsePublicKey(sess.cfg.UpdatePublicKey)
	if err != nil {
		s.app.log.Error("update check: the build's public key", "err", err)
		return info, nil // a broken build key is no check at all, not a question for the person
	}
	c := update.Checker{FeedURL: sess.cfg.UpdateFeedURL, PublicKey: key, Current: config.Version,
		Memory: update.SettingsMemory{Store: sess.db}}
	r, err := c.Check(ctx)
	if errors.Is(err, update.ErrDisabled) {
		return info, nil
	}
	info.Enabled = true
	if err != nil {
		s.app.log.Warn("update check failed", "feed", sess.cfg.UpdateFeedURL, "err", err)
		return info, errors.Join(ErrUpdateFeed, err)
	}
	info.Available, info.Version, info.URL, info.Notes = r.Available, r.Version, r.URL, r.Notes
	return info, nil
}

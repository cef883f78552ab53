package core

import (
	"context"
	"time"

	"chase.md/backend/filing"
	"chase.md/backend/upload"
)

// UndoWindow is how long a file a person filed to a client waits (held in
// the queue, visibly, with Undo) before it goes to Xero: a drop (the app
// reads it) and a Review choice (Options.UndoWindow overrides it there).
var UndoWindow = 10 * time.Second

// openFiling builds the watched-folders service on the session's store and
// upload queue; Serve runs it.
func (s *Session) openFiling(ctx context.Context) error {
	f, err := filing.New(ctx, filing.Options{
		DB:      s.DB,
		Queue:   s.Uploads,
		Contact: s.UploadContact,
		MainTenant: func(ctx context.Context) (string, error) {
			c, err := s.Choice(ctx)
			return c.Main(), err
		},
		Events:     s.filingEvents(),
		UndoWindow: s.undoWindow,
		Logger:     s.log,
	})
	if err != nil {
		return err
	}
	s.Folders = f
	return nil
}

// onUploadItem forwards the queue's item events to the app and to the
// watched folders, which file a document once its upload is done.
func (s *Session) onUploadItem(it upload.Item) {
	s.logUpload(it)
	if s.events.UploadItem != nil {
		s.events.UploadItem(it)
	}
	if s.Folders != nil {
		s.Folders.ItemChanged(it)
	}
}

package app

import (
	"chase.md/backend/auth"
	"chase.md/backend/chase"
	"chase.md/backend/core"
	"chase.md/backend/syncer"
	"chase.md/backend/upload"
)

// Event names sent from Go to the UI with runtime.EventsEmit. They are namespaced
// "area:what" and mirrored in frontend/src/lib/events.ts; keep both lists in step.
const (
	EvSyncProgress   = "sync:progress"    // contact/job sync progress
	EvSyncDone       = "sync:done"        // a sync finished (with its summary or error)
	EvUploadProgress = "upload:progress"  // bytes sent for one queued file
	EvUploadDone     = "upload:done"      // a file was filed in Xero (or failed for good)
	EvUploadItem     = "upload:item"      // a queued file changed state; payload is upload.Item
	EvPracticeSync   = "practice:sync"    // an XPM sync started, finished or failed
	EvChaseFiles     = "chase:files"      // contacts' files in Xero were listed for the chase list; payload is chase.RefreshResult
	EvChaseChanged   = "chase:changed"    // the chase list changed (fetch it again); payload is ChaseChanged
	EvAuthState      = "auth:state"       // signed in / out / needs sign-in again
	EvSignInURL      = "auth:signin-url"  // a sign-in waits at this address; payload is SignInAddress
	EvWatchFiled     = "watch:filed"      // a watched folder's file is in Xero; payload is filing.Filed
	EvModeChanged    = "app:mode"         // demo mode switched on or off; payload is Info
	EvNotice         = "app:notice"       // a message for the toast area; payload is Notice
	EvWatchQueued    = "watch:queued"     // a watched folder's file was matched and queued; payload is filing.Queued
	EvWatchReview    = "watch:review"     // a watched folder's file waits in Review; payload is ReviewView
	EvWatchFolder    = "watch:folder"     // a watched folder changed state; payload is FolderView
	EvConnection     = "connection:state" // the one connection state changed; payload is core.ConnState
	EvRemindChanged  = "remind:changed"   // reminders, the outbox or proposals changed (fetch them again); no payload
)

// Notice is the payload of EvNotice: a short message for the toast area.
type Notice struct {
	Kind    string `json:"kind"` // "info", "success", "warning", "error"
	Message string `json:"message"`
}

// coreEvents forwards the backend's progress to the UI.
func (a *App) coreEvents() core.Events {
	return core.Events{
		Auth: func(st auth.Status) { a.emit(EvAuthState, st) },
		Sync: func(e syncer.Event) {
			a.Clients.observe(e)
			switch e.Phase {
			case syncer.PhaseWaiting: // shown through EvConnection
			case syncer.PhaseDone, syncer.PhaseFailed:
				a.emit(EvSyncDone, e)
				a.Chase.changed()
			default:
				a.emit(EvSyncProgress, e)
			}
		},
		UploadItem: func(it upload.Item) {
			a.emit(EvUploadItem, it)
			if it.State == upload.StateDone || it.State == upload.StateFailed {
				a.emit(EvUploadDone, it)
				a.Chase.changed()
			}
		},
		UploadProgress: func(p upload.Progress) { a.emit(EvUploadProgress, p) },
		Practice: func(e core.PracticeEvent) {
			a.emit(EvPracticeSync, e)
			if e.Phase != syncer.PhaseStarted {
				a.Chase.changed()
			}
		},
		Filing: a.filingEvents(),
		ChaseFiles: func(r chase.RefreshResult) {
			a.emit(EvChaseFiles, r)
			a.Chase.changed()
		},
		Connection: func(st core.ConnState) { a.emit(EvConnection, st) },
		Remind:     func() { a.Remind.changed() },
	}
}

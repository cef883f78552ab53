package app

// Event names sent from Go to the UI with runtime.EventsEmit. They are namespaced
// "area:what" and mirrored in frontend/src/lib/events.ts; keep both lists in step.
const (
	EvSyncProgress   = "sync:progress"   // contact/job sync progress
	EvSyncDone       = "sync:done"       // a sync finished (with its summary or error)
	EvUploadProgress = "upload:progress" // bytes sent for one queued file
	EvUploadDone     = "upload:done"     // a file was filed in Xero (or failed for good)
	EvAuthState      = "auth:state"      // signed in / out / needs sign-in again
	EvWatchFiled     = "watch:filed"     // a watched folder's file was matched and queued
	EvModeChanged    = "app:mode"        // demo mode switched on or off; payload is Info
	EvNotice         = "app:notice"      // a message for the toast area; payload is Notice
)

// Notice is the payload of EvNotice: a short message for the toast area.
type Notice struct {
	Kind    string `json:"kind"` // "info", "success", "warning", "error"
	Message string `json:"message"`
}

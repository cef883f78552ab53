package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"chase.md/backend/auth"
	"chase.md/backend/core"
	"chase.md/backend/filing"
	"chase.md/backend/mail"
	"chase.md/backend/remind"
	"chase.md/backend/rest"
	"chase.md/backend/store"
	"chase.md/backend/upload"
	"chase.md/backend/xpm"
)

// UIError is what a rejected binding promise carries to the UI: a stable code the
// screens can branch on and a message written for an accountant, not a developer.
type UIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Action is what the screen offers beside the message: "signin" is a
	// Sign in again button (the sign-in asks for every permission chase.md needs).
	Action string `json:"action,omitempty"`
}

func (e *UIError) Error() string { return e.Code + ": " + e.Message }

var _ error = (*UIError)(nil)

// Errors the bound services return themselves.
var (
	ErrNotReady = errors.New("app: still starting")
	// ErrClosing refuses a call that comes while chase.md closes, or switches
	// between the demo and the practice's own Xero.
	ErrClosing = errors.New("app: closing or switching modes")
)

// InputError is a value the user typed that cannot be used; Message says why in
// the user's words and is shown as is.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Field, e.Message) }

// errorTable maps sentinel errors (matched with errors.Is, first match wins) to
// what the UI shows. Later areas add theirs here: auth.ErrReauthRequired
// → "reauth", rate limit exhaustion → "xero_limit", upload conflicts …
var errorTable = []struct {
	target  error
	code    string
	message string
}{
	{context.Canceled, "cancelled", "The task was stopped before it finished."},
	{context.DeadlineExceeded, "timeout", "This took too long and was stopped. Please try again."},
	{ErrNotReady, "starting", "chase.md is still starting up. Please try again in a moment."},
	{ErrClosing, "closing", "chase.md is closing, or switching between the demo and your own Xero, so this was not done. Please try again in a moment."},
	{store.ErrNotFound, "not_found", "That item no longer exists. It may have been removed."},
	{store.ErrNewerDatabase, "newer_database", "This chase.md database was written by a newer version of chase.md. Install the newer version, or move the database file aside to start again with an empty one."},
	{core.ErrNoOrganisation, "no_organisation", "No Xero organisation is chosen yet. Sign in to Xero and pick the organisation that holds your clients."},
	{xpm.ErrNoAccess, "no_xpm", "Xero Practice Manager refused access. Enable Practice Manager for your Xero app, then sign in again and allow it."},
	{ErrNoPractice, "no_practice", "No Practice Manager practice is connected. Sign in again and allow Practice Manager; until then, mark clients to chase by hand."},
	{ErrNoInterfaceCode, "no_interface_code", "Practice Manager has not told chase.md that job state's Interface Code, so chase.md cannot move jobs there. Move the job in XPM yourself."},
	// Sign-in and connection (AuthService).
	{auth.ErrReauthRequired, "reauth", "Xero needs you to sign in again. Uploads and syncs are paused and will continue after you reconnect."},
	{auth.ErrSignedOut, "signed_out", "chase.md is not signed in to Xero. Sign in under Settings › Xero connection."},
	{auth.ErrAccessDenied, "access_denied", "Access was not granted on Xero's page, so chase.md is not connected. Sign in again and choose Allow access."},
	{auth.ErrLoginTimeout, "signin_timeout", "Sign-in waited five minutes for the browser and stopped. Press Sign in to try again."},
	{auth.ErrLoginInProgress, "signin_busy", "A sign-in is already waiting for your browser. Finish it there, or cancel it and start again."},
	{auth.ErrNoFreePort, "signin_port", "Sign-in could not listen for Xero's answer: the ports registered with your Xero app are in use by another program. Close it and try again."},
	{auth.ErrKeyringUnavailable, "keyring", "chase.md cannot reach this computer's password keyring, where it keeps the Xero sign-in. Unlock or install a keyring, or try the demo."},
	{core.ErrNoClientID, "no_client_id", "Enter your Xero app's client ID under Settings › Xero connection first."},
	// Xero's daily budget (rest's pacer), for syncs and uploads alike.
	{rest.ErrDailyBudgetReserved, "xero_budget", "Today's Xero API budget for this organisation is nearly used up, so syncs are paused and what is left is kept for uploads. They carry on by themselves as the budget comes back."},
	{rest.ErrDailyLimit, "xero_limit", "Xero's daily limit of calls for this organisation is reached. chase.md waits and carries on by itself when Xero resets it, usually within the day."},
	// Uploads and activity (UploadsService, ActivityService).
	{upload.ErrNotFound, "not_found", "That upload is no longer in the queue. It may have been cleared; the Activity screen still lists it."},
	{upload.ErrNotAllowed, "upload_not_allowed", "That isn't possible for this file right now: it may have just finished, or the same file is already queued for this client."},
	{ErrTooManyFiles, "too_many_files", "That drop holds more than 2,000 files. Drop the folders for one client at a time."},
	{ErrNotDemo, "not_demo", "That only works in the demo practice."},
	{ErrUpdateFeed, "update_check", "chase.md could not check for a newer version just now (the release page did not answer, or its answer could not be trusted). Nothing was installed. Try again later."},
	// Reminders and the mailbox (RemindService).
	{core.ErrNotSender, "not_sender", "This computer does not send the practice's reminders, so it shows them without sending. Only one computer of a practice sends (Settings › Email › This computer sends reminders), so no reminder ever goes twice."},
	{core.ErrMailNotSetUp, "mail_not_set_up", "The practice's mailbox is not set up yet. Enter the mail server, the address to send from and the password under Settings › Email."},
	{mail.ErrNoPassword, "mail_not_set_up", "No password is saved for the practice's mailbox. Enter it under Settings › Email."},
	{remind.ErrNotDue, "not_due", "That reminder is no longer waiting: it has been sent, skipped or stopped meanwhile. The list is now up to date."},
	{remind.ErrNotFound, "not_found", "That reminder no longer exists."},
	// Watched folders (FoldersService).
	{filing.ErrNotFound, "not_found", "That folder or file is no longer in the list. It may have been removed or filed already; the list is now up to date."},
}

// FormatError is the Wails ErrorFormatter, so every rejected promise in the UI
// carries the same shape. It returns the UIError as a JSON string, not as an
// object: the v2.15 runtime rejects with `new Error(message.error)`, which turns
// an object into "[object Object]" but keeps a string as the Error's message.
// frontend/src/lib/api.ts parses it back.
func FormatError(err error) any {
	if err == nil {
		return nil
	}
	b, _ := json.Marshal(toUIError(err)) // two strings: cannot fail
	return string(b)
}

// formatError is FormatError that first logs what the screen will not show:
// the UI gets words and a next step, chase.log gets the detail.
func (a *App) formatError(err error) any {
	if err != nil {
		if ui := toUIError(err); ui.Code == "internal" || ui.Code == "unreachable" {
			a.log.Warn("shown to the user", "code", ui.Code, "err", err)
		}
	}
	return FormatError(err)
}

// toUIError picks the code and message for err.
func toUIError(err error) *UIError {
	var ui *UIError
	if errors.As(err, &ui) {
		return ui
	}
	var in *InputError
	if errors.As(err, &in) {
		return &UIError{Code: "invalid_input", Message: in.Message}
	}
	var rin *remind.InputError
	if errors.As(err, &rin) {
		return &UIError{Code: "invalid_input", Message: strings.TrimPrefix(rin.Error(), "remind: ")}
	}
	var me *mail.Error
	if errors.As(err, &me) {
		return &UIError{Code: string(me.Kind), Message: me.Words}
	}
	var perm *rest.PermissionError
	if errors.As(err, &perm) {
		// The sign-in is fine (the user stays signed in); it lacks one permission.
		return &UIError{Code: "permission_missing", Action: "signin", Message: fmt.Sprintf(
			"Xero has not given chase.md permission to use %s (%q), so this could not be done. You are still signed in. Sign in to Xero again and allow %s to fix it.",
			perm.Label(), perm.Scope, perm.Label())}
	}
	for _, e := range errorTable {
		if errors.Is(err, e.target) {
			return &UIError{Code: e.code, Message: e.message}
		}
	}
	var xe *xpm.Error
	if errors.As(err, &xe) {
		// XPM answers 200 with <Status>ERROR</Status>: its own words, introduced in ours.
		msg := "Practice Manager refused this and nothing was changed"
		if xe.Description != "" {
			msg += ", saying: “" + xe.Description + "”"
		}
		return &UIError{Code: "xpm_refused", Message: msg + ". Check the job in Practice Manager, then try again."}
	}
	if rest.Unreachable(err) {
		return &UIError{Code: "unreachable", Message: "chase.md can't reach Xero right now. It keeps trying by itself; check this computer's internet connection, or press Retry now in the top bar."}
	}
	// Unknown: the detail goes to chase.log (formatError), never to the window.
	return &UIError{Code: "internal", Message: "Something went wrong and the details are in chase.md's log. If it keeps happening, use Settings › Copy diagnostics and send that to support."}
}

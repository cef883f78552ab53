package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"chase.md/backend/auth"
	"chase.md/backend/core"
	"chase.md/backend/rest"
)

// errNoConnections is a sign-in for which Xero lists no organisation: the
// connection was removed in Xero (or by `chase logout` elsewhere).
var errNoConnections = errors.New("Xero lists no organisation for this sign-in: the connection was removed in Xero. Run `chase login` to connect again")

// cliWords are the known failures in one sentence with the next step, for
// a person at a terminal; the first match wins. Anything else is said as it
// is, its first letter capitalised: the packages' own errors are written to
// be read, and the full detail is in chase.log.
var cliWords = []struct {
	target error
	words  string
}{
	{core.ErrNoClientID, "chase.md has no Xero app client ID yet: set CHASE_XERO_CLIENT_ID, or enter it in the app's Settings, then run this again"},
	{auth.ErrKeyringUnavailable, ""}, // its own message names the keyring to install or unlock
	{auth.ErrReauthRequired, "Xero needs you to sign in again: run `chase login`, then run this again"},
	{auth.ErrSignedOut, "chase.md is not signed in to Xero: run `chase login` first"},
	{auth.ErrAccessDenied, "Xero's page was left without allowing access, so chase.md is not connected (access was not granted): run `chase login` again and choose Allow access"},
	{auth.ErrLoginTimeout, "the sign-in waited five minutes for the browser and stopped: run `chase login` again"},
	{core.ErrNoOrganisation, "no Xero organisation is chosen yet: run `chase login` (or pick one in the app's Settings)"},
	{rest.ErrDailyLimit, "Xero's daily limit of calls for this organisation is used up: run this again after it resets (usually within the day)"},
	{context.Canceled, "stopped"},
}

// words is err as one sentence with the next step.
func words(err error) string {
	for _, w := range cliWords {
		if errors.Is(err, w.target) {
			if w.words == "" {
				break
			}
			return sentence(w.words)
		}
	}
	if rest.Unreachable(err) {
		return "chase.md can't reach Xero, and gave up for now. Check this computer's internet connection, then run this again."
	}
	msg := err.Error()
	if errors.Is(err, auth.ErrKeyringUnavailable) {
		if i := strings.Index(msg, "chase.md keeps"); i >= 0 {
			msg = "This computer's password keyring could not be reached. " + msg[i:]
		}
	}
	return sentence(msg)
}

// sentence capitalises s and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if c := s[0]; c >= 'a' && c <= 'z' {
		s = string(c-'a'+'A') + s[1:]
	}
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// reportWaits prints a line whenever the connection's state says the
// command waits for Xero: why, until when, that Ctrl-C is safe and what
// then stays; and a line when Xero answers again. org names the
// organisation, resume what carries on ("uploads resume"), kept what
// Ctrl-C leaves ("they stay queued"). The returned stop ends it.
func reportWaits(ctx context.Context, s *core.Session, w io.Writer, org, resume, kept string) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var last string
		waiting := false
		for {
			ch := s.ConnectionChanged()
			line := waitLine(s.Connection(), time.Now(), org, resume, kept)
			switch {
			case line != "" && line != last:
				fmt.Fprintln(w, line)
				waiting = true
			case line == "" && waiting:
				fmt.Fprintln(w, "Xero answers again; carrying on.")
				waiting = false
			}
			last = line
			select {
			case <-ch:
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// waitLine is what a terminal is told of st, "" when nothing: waits are
// said as they begin and as each retry is planned.
func waitLine(st core.ConnState, now time.Time, org, resume, kept string) string {
	stopTip := "Ctrl-C to stop, " + kept + "."
	switch st.Kind {
	case core.ConnUnreachable:
		if st.Until.IsZero() {
			return fmt.Sprintf("Can't reach Xero (attempt %d); %s when it answers — %s", st.Attempt, resume, stopTip)
		}
		return fmt.Sprintf("Can't reach Xero; trying again %s (attempt %d) — %s", when(st.Until, now), st.Attempt+1, stopTip)
	case core.ConnLimit:
		return fmt.Sprintf("Xero's daily limit for %s is used up; %s at %s — %s", org, resume, core.Clock(st.Until, now), stopTip)
	case core.ConnReauth:
		return "Xero needs you to sign in again: run `chase login` in another terminal; " + resume + " after it — " + stopTip
	}
	return ""
}

// when is a retry time as a terminal says it: seconds while they are few.
func when(t, now time.Time) string {
	if d := t.Sub(now).Round(time.Second); d < 2*time.Minute {
		return fmt.Sprintf("in %d s", max(int(d/time.Second), 1))
	}
	return "at " + core.Clock(t, now)
}

// lockedWriter lets a command's own lines and reportWaits' lines share a
// terminal: each Write (one line) goes whole.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// Package applog is chase.md's log: chase.log in the data folder, rotated by
// size, shared by the app, the command line and `chase watch`, with anything
// that looks like a secret taken out before it is written.
//
// Support reads this file, so it must never hold what would let someone act
// as the practice: access and refresh tokens, authorisation codes, PKCE
// verifiers, passwords. Callers are told never to log them; this package is
// the second line, for an error string that carries one by accident.
package applog

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Rotation: a few weeks of a busy practice's log, small enough to email.
const (
	maxSizeMB  = 5
	maxBackups = 3
)

// Options says where else the log goes.
type Options struct {
	// Also receives records at AlsoLevel and above (a terminal's stderr);
	// nil for none (the Windows GUI build has no stderr).
	Also      io.Writer
	AlsoLevel slog.Level
	// Level is the file's threshold (default Info).
	Level slog.Level
}

// Open starts logging to path (created with its folder's permissions,
// rotated at maxSizeMB). Close the returned closer last.
func Open(path string, o Options) (*slog.Logger, io.Closer, error) {
	if path == "" {
		return nil, nil, errors.New("applog: no log path")
	}
	file := &lumberjack.Logger{Filename: path, MaxSize: maxSizeMB, MaxBackups: maxBackups}
	// lumberjack opens lazily; open now so a folder that cannot be written
	// is reported at start, not lost with the first record.
	if _, err := file.Write(nil); err != nil {
		return nil, nil, fmt.Errorf("open log %s: %w", path, err)
	}
	hs := []slog.Handler{slog.NewTextHandler(file, &slog.HandlerOptions{Level: o.Level, ReplaceAttr: Redact})}
	if o.Also != nil {
		hs = append(hs, slog.NewTextHandler(o.Also, &slog.HandlerOptions{Level: o.AlsoLevel, ReplaceAttr: Redact}))
	}
	return slog.New(slog.NewMultiHandler(hs...)), file, nil
}

// secretKey matches attribute names whose values are secrets whatever they hold.
var secretKey = regexp.MustCompile(`(?i)(token|secret|password|passwd|authorization|verifier|^code$|cookie)`)

// secretText matches secrets inside free text: JWTs (Xero's access and ID
// tokens), bearer credentials, and the form and query fields of OAuth2.
var secretText = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`), "[redacted jwt]"},
	{regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`), "$1 [redacted]"},
	{regexp.MustCompile(`(?i)\b(access_token|refresh_token|id_token|code|code_verifier|client_secret|password)(\\?["']?\s*[=:]\s*\\?["']?)[^&\s"',}\\]+`), "$1$2[redacted]"},
}

// Redact is a slog ReplaceAttr that blanks secret-named attributes and
// scrubs secrets out of every string, error and Stringer value (the message
// included).
func Redact(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindGroup {
		return a
	}
	if secretKey.MatchString(a.Key) && a.Key != slog.MessageKey {
		return slog.String(a.Key, "[redacted]")
	}
	var s string
	switch a.Value.Kind() {
	case slog.KindString:
		s = a.Value.String()
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case error:
			s = v.Error()
		case fmt.Stringer:
			s = v.String()
		default:
			return a
		}
	default:
		return a
	}
	return slog.String(a.Key, Scrub(s))
}

// Scrub takes secrets out of free text.
func Scrub(s string) string {
	if !strings.ContainsAny(s, "=:.") && !strings.Contains(strings.ToLower(s), "bearer") {
		return s
	}
	for _, r := range secretText {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

// OpenOrFallback is Open, or on failure a logger writing only to o.Also (or
// nowhere) that says once why the file could not be opened: a log folder
// that cannot be written must not stop the app.
func OpenOrFallback(path string, o Options) (*slog.Logger, io.Closer) {
	l, c, err := Open(path, o)
	if err == nil {
		return l, c
	}
	var h slog.Handler = slog.DiscardHandler
	if o.Also != nil {
		h = slog.NewTextHandler(o.Also, &slog.HandlerOptions{Level: o.AlsoLevel, ReplaceAttr: Redact})
	}
	l = slog.New(h)
	l.Warn("no log file", "err", err)
	return l, io.NopCloser(nil)
}

// tailBytes is how much of the log's end Problems reads: a day or two of a
// busy practice's warnings.
const tailBytes = 256 << 10

// Problems is the last n warnings and errors in the log at path, oldest
// first, scrubbed again (a line written before a scrubbing rule existed must
// not leave in a support email either). A missing log has none.
func Problems(path string, n int) ([]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	off := max(st.Size()-tailBytes, 0)
	b := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read log: %w", err)
	}
	lines := strings.Split(string(b), "\n")
	if off > 0 {
		lines = lines[1:] // the first is cut
	}
	var out []string
	for _, l := range lines {
		if strings.Contains(l, " level=WARN ") || strings.Contains(l, " level=ERROR ") {
			out = append(out, Scrub(l))
		}
	}
	return out[max(len(out)-n, 0):], nil
}

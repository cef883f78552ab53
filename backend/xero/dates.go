package xero

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseMSDate parses the Accounting API's Microsoft JSON dates:
// "/Date(1503348544227+0000)/", "/Date(1503348544227)/", "/Date(1503348544227+1300)/".
// The milliseconds are since the Unix epoch in UTC whatever the offset; the
// offset only says which zone the value was local to, so the result is that
// instant shown in that zone (UTC when there is none).
func ParseMSDate(s string) (time.Time, error) {
	in := s
	s = strings.ReplaceAll(strings.TrimSpace(s), `\/`, `/`)
	if !strings.HasPrefix(s, "/Date(") || !strings.HasSuffix(s, ")/") {
		return time.Time{}, fmt.Errorf("xero: not a /Date(...)/ value: %q", in)
	}
	body := s[len("/Date(") : len(s)-len(")/")]
	// The sign of the offset is the first + or - after the first character
	// (which may be the sign of a date before 1970).
	msPart, offPart := body, ""
	if i := strings.IndexAny(body[min(1, len(body)):], "+-"); i >= 0 {
		msPart, offPart = body[:i+1], body[i+1:]
	}
	ms, err := strconv.ParseInt(msPart, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("xero: date %q: bad milliseconds", in)
	}
	t := time.UnixMilli(ms).UTC()
	if offPart == "" {
		return t, nil
	}
	if len(offPart) != 5 {
		return time.Time{}, fmt.Errorf("xero: date %q: bad offset", in)
	}
	hh, err1 := strconv.Atoi(offPart[1:3])
	mm, err2 := strconv.Atoi(offPart[3:5])
	if err1 != nil || err2 != nil || hh > 14 || mm > 59 {
		return time.Time{}, fmt.Errorf("xero: date %q: bad offset", in)
	}
	secs := hh*3600 + mm*60
	if offPart[0] == '-' {
		secs = -secs
	}
	if secs == 0 {
		return t, nil
	}
	return t.In(time.FixedZone(offPart, secs)), nil
}

// filesLayout is the Files API's timestamp: no zone, up to 7 fractional digits, UTC.
const filesLayout = "2006-01-02T15:04:05.999999999"

// ParseFilesTime parses the Files API's "2021-02-10T16:02:54.9930000" (UTC,
// no zone, which time.RFC3339 refuses) and also accepts RFC 3339.
func ParseFilesTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation(filesLayout, s, time.UTC); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("xero: not a Files API timestamp: %q", s)
}

// ParseTime accepts either form, for fields that Xero has sent both ways
// (the Accounting envelope's DateTimeUTC).
func ParseTime(s string) (time.Time, error) {
	if strings.Contains(s, "Date(") {
		return ParseMSDate(s)
	}
	return ParseFilesTime(s)
}

// ifModifiedSince formats t as the spec's date-time (RFC 3339), in UTC as the
// official SDKs send it: "2009-11-12T00:00:00Z". Seconds are truncated, so a
// contact changed in the same second as the last sync is fetched again
// rather than missed.
func ifModifiedSince(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

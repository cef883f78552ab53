package xpm

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Error is an XPM error envelope: <Response><Status>ERROR</Status><ErrorDescription>…</ErrorDescription></Response>.
// XPM sends it with HTTP 200, so every body is checked for it.
type Error struct {
	Status      string // "ERROR" or another non-OK status
	Description string
}

var _ error = (*Error)(nil)

func (e *Error) Error() string {
	if e.Description == "" {
		return "xpm: request failed with status " + e.Status
	}
	return "xpm: " + e.Description
}

// ErrMalformed wraps bodies that are neither the documented XML nor JSON.
var ErrMalformed = errors.New("xpm: malformed response")

// Bool accepts XPM's two spellings: Yes/No in clients, true/false in jobs.
type Bool bool

func (b *Bool) UnmarshalText(t []byte) error {
	switch strings.ToLower(strings.TrimSpace(string(t))) {
	case "yes", "true", "1":
		*b = true
	case "no", "false", "0", "":
		*b = false
	default:
		return fmt.Errorf("xpm: %q is not a boolean", t)
	}
	return nil
}

func (b *Bool) UnmarshalJSON(d []byte) error {
	var v any
	if err := json.Unmarshal(d, &v); err != nil {
		return err
	}
	switch x := v.(type) {
	case bool:
		*b = Bool(x)
		return nil
	case string:
		return b.UnmarshalText([]byte(x))
	case nil:
		*b = false
		return nil
	}
	return fmt.Errorf("xpm: %s is not a boolean", d)
}

// Time is an XPM date-time: local practice time without a zone ("2008-09-29T00:00:00").
// It is kept as a wall-clock value in UTC, which is how the practice reads it.
type Time struct{ time.Time }

var timeLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.9999999",
	time.RFC3339Nano,
	"2006-01-02",
	"20060102",
}

func (t *Time) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" {
		t.Time = time.Time{}
		return nil
	}
	for _, l := range timeLayouts {
		if v, err := time.Parse(l, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return fmt.Errorf("xpm: %q is not a date", s)
}

func (t *Time) UnmarshalJSON(d []byte) error {
	var s *string
	if err := json.Unmarshal(d, &s); err != nil {
		return err
	}
	if s == nil {
		t.Time = time.Time{}
		return nil
	}
	return t.UnmarshalText([]byte(*s))
}

// Float accepts XPM's decimals written as text ("55.00") or empty elements.
type Float float64

func (f *Float) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("xpm: %q is not a number", s)
	}
	*f = Float(v)
	return nil
}

// envelope is the part every response shares.
type envelope struct {
	Status           string `xml:"Status" json:"status"`
	ErrorDescription string `xml:"ErrorDescription" json:"errorDescription"`
}

// decode fills v from an XPM body, XML as documented or JSON where the server sends
// JSON, and turns a non-OK <Status> into *Error whatever the HTTP status was.
func decode(body []byte, contentType string, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return fmt.Errorf("%w: empty body", ErrMalformed)
	}
	isJSON := strings.Contains(strings.ToLower(contentType), "json") || trimmed[0] == '{'
	var env envelope
	if isJSON {
		// JSON property names are camelCase; Go's decoder matches them case-insensitively.
		if err := json.Unmarshal(trimmed, &env); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
	} else {
		if err := unmarshalXML(trimmed, &env); err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
	}
	if !strings.EqualFold(strings.TrimSpace(env.Status), "OK") {
		st := strings.TrimSpace(env.Status)
		if st == "" {
			return fmt.Errorf("%w: no <Status> in response", ErrMalformed)
		}
		return &Error{Status: st, Description: strings.TrimSpace(env.ErrorDescription)}
	}
	if v == nil {
		return nil
	}
	var err error
	if isJSON {
		err = json.Unmarshal(trimmed, v)
	} else {
		err = unmarshalXML(trimmed, v)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return nil
}

// unmarshalXML is lenient where Xero's own documentation is: its pagination links
// carry a bare "&" between query parameters, which strict XML rejects.
func unmarshalXML(b []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	return d.Decode(v)
}

// UnmarshalJSON accepts a number, a numeric string or null.
func (f *Float) UnmarshalJSON(d []byte) error {
	s := strings.Trim(strings.TrimSpace(string(d)), `"`)
	if s == "null" {
		s = ""
	}
	return f.UnmarshalText([]byte(s))
}

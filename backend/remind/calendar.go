package remind

import (
	"slices"
	"time"
)

// A day is a calendar date in the practice's time zone, held as midnight UTC
// so adding days never meets a daylight-saving change.
func dayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dayString(d time.Time) string { return d.Format(time.DateOnly) }

func parseDay(s string) (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, s)
	return d, err == nil
}

// quiet reports whether p never sends on d.
func (p Plan) quiet(d time.Time) bool { return slices.Contains(p.QuietDays, int(d.Weekday())) }

// sendDay is d, or the first day after it that is not quiet.
func (p Plan) sendDay(d time.Time) time.Time {
	for i := 0; i < 7 && p.quiet(d); i++ {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// addBusinessDays is the n-th day after d that is not quiet (the plan's quiet
// days are its weekend).
func (p Plan) addBusinessDays(d time.Time, n int) time.Time {
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if !p.quiet(d) {
			n--
		}
		if len(p.QuietDays) >= 7 {
			break // a plan quiet every day never sends; keep the loop finite
		}
	}
	return p.sendDay(d)
}

// inHours reports whether an automatic send may go at t (local time).
func (p Plan) inHours(t time.Time, loc *time.Location) bool {
	h := t.In(loc).Hour()
	return h >= p.SendFrom && h < p.SendUntil && !p.quiet(dayOf(t, loc))
}

// timeDate is the instant a day starts in the practice's time zone.
func timeDate(y, m, d int, s *Service) time.Time {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, s.loc)
}

package dsn

import "time"

// commonDateLayout is the date-time form nearly every MTA writes: day of
// week, numeric zone (RFC 5322 section 3.3).
const commonDateLayout = "Mon, 2 Jan 2006 15:04:05 -0700"

// parseCommonDate parses value if it has exactly commonDateLayout's
// form. net/mail.ParseDate (Go 1.26) tries 24 layouts without a day of
// week before this one, and each failure allocates an error, so trying
// this layout first saves most of the cost of a date field. For any
// value this layout accepts, ParseDate returns the same time, because
// the earlier layouts all start with a digit and this one with a letter.
func parseCommonDate(value string) (time.Time, bool) {
	if len(value) < len("Mon, 2 Jan 2006 15:04:05 -0700") || value[0] < 'A' || value[0] > 'Z' {
		return time.Time{}, false
	}

	t, err := time.Parse(commonDateLayout, value)
	return t, err == nil
}

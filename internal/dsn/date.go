package dsn

import (
	"slices"
	"time"
)

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

	if t, ok := scanCommonDate(value); ok {
		return t, true
	}
	t, err := time.Parse(commonDateLayout, value)
	return t, err == nil
}

var (
	shortDayNames   = []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	shortMonthNames = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// scanCommonDate parses the strictest form of commonDateLayout, "Thu, 4
// Dec 2026 09:05:00 +0100" with single spaces and a one- or two-digit
// day, in a fraction of the time that time.Parse takes to interpret the
// layout. It returns the time that time.Parse returns, in time.Local
// when the offset is Local's at that instant and in an unnamed fixed
// zone otherwise. ok is false for any other form, valid or not, which is
// left to time.Parse.
func scanCommonDate(v string) (t time.Time, ok bool) {
	if len(v) < len("Mon, 2 Jan 2006 15:04:05 -0700") || v[3] != ',' || v[4] != ' ' || !slices.Contains(shortDayNames, v[:3]) {
		return t, false
	}
	return scanDateTime(v[5:])
}

// parseDateNoWeekday parses value if it has the strict form of
// commonDateLayout without the day of week, "4 Dec 2026 09:05:00 +0100",
// the second most common form. The first layout that net/mail.ParseDate
// (Go 1.26) tries is that form, so for any value this accepts, ParseDate
// returns the same time. The scan spares ParseDate's own reading of the
// value and time.Parse's reading of the layout.
func parseDateNoWeekday(value string) (time.Time, bool) {
	if value == "" || !isDigit(value[0]) {
		return time.Time{}, false
	}
	return scanDateTime(value)
}

// scanDateTime is scanCommonDate after the day of week.
func scanDateTime(v string) (t time.Time, ok bool) {
	day, n := fixedNumber(v, 1), 1
	if len(v) > 1 && isDigit(v[1]) {
		day, n = fixedNumber(v, 2), 2
	}
	v = v[n:]
	// Now " Jan 2006 15:04:05 -0700", 24 bytes.
	if len(v) != 24 || day < 1 || v[0] != ' ' || v[4] != ' ' || v[9] != ' ' || v[12] != ':' || v[15] != ':' || v[18] != ' ' {
		return t, false
	}
	month := slices.Index(shortMonthNames, v[1:4]) + 1
	year, hour, minute, sec := fixedNumber(v[5:], 4), fixedNumber(v[10:], 2), fixedNumber(v[13:], 2), fixedNumber(v[16:], 2)
	zoneHour, zoneMinute := fixedNumber(v[20:], 2), fixedNumber(v[22:], 2)
	if month == 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 ||
		zoneHour < 0 || zoneHour > 23 || zoneMinute < 0 || zoneMinute > 59 || v[19] != '+' && v[19] != '-' {
		return t, false
	}

	offset := (zoneHour*60 + zoneMinute) * 60
	if v[19] == '-' {
		offset = -offset
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day {
		return time.Time{}, false // past the end of the month
	}
	t = t.Add(-time.Duration(offset) * time.Second)
	if _, localOffset := t.In(time.Local).Zone(); localOffset == offset {
		return t.In(time.Local), true
	}
	return t.In(time.FixedZone("", offset)), true
}

// fixedNumber returns the decimal number of the first n bytes of s, or
// -1 when one of them is no digit or s is shorter.
func fixedNumber(s string, n int) int {
	if len(s) < n {
		return -1
	}
	x := 0
	for i := range n {
		if !isDigit(s[i]) {
			return -1
		}
		x = x*10 + int(s[i]-'0')
	}
	return x
}

package dsn

import (
	"fmt"
	"math/rand/v2"
	"net/mail"
	"testing"
	"time"
)

// TestParseCommonDate_SameAsNetMail checks that the fast path returns
// what net/mail.ParseDate returns for every value it accepts, and leaves
// the other shapes to ParseDate.
func TestParseCommonDate_SameAsNetMail(t *testing.T) {
	tests := []struct {
		value  string
		accept bool
	}{
		{"Mon, 02 Jan 2006 15:04:05 -0700", true},
		{"Thu, 1 Feb 2024 09:00:00 +0000", true},
		{"Sat, 31 Dec 2022 23:59:59 +1400", true},
		{"Tue, 4 Jun 2019 01:02:03 -0000", true},
		{"Mon, 02 Jan 2006 15:04:05 GMT", false},
		{"Mon, 02 Jan 2006 15:04 -0700", false},
		{"02 Jan 2006 15:04:05 -0700", false},
		{"Mon, 02 Jan 06 15:04:05 -0700", false},
		{"Mon, 02 Jan 2006 15:04:05 -0700 (PDT)", false},
		{"Mon, 02 Jan 2006 15:04:05 -0700 extra", false},
		{"Mon,  2 Jan 2006 15:04:05 -0700", true}, // time.Parse skips the space before a one-digit day
		{"mon, 02 jan 2006 15:04:05 -0700", false},
	}
	for _, tt := range tests {
		got, ok := parseCommonDate(tt.value)
		if ok != tt.accept {
			t.Errorf("parseCommonDate(%q) accepted = %v, want %v", tt.value, ok, tt.accept)
			continue
		}
		if !ok {
			continue
		}

		want, err := mail.ParseDate(tt.value)
		if err != nil {
			t.Errorf("mail.ParseDate(%q): %v", tt.value, err)
			continue
		}
		if !got.Equal(want) || got.String() != want.String() {
			t.Errorf("parseCommonDate(%q) = %v, net/mail gives %v", tt.value, got, want)
		}
	}
}

// TestScanCommonDate_SameAsTimeParse checks that every date the hand
// scanner accepts gives what time.Parse gives, in the same zone.
func TestScanCommonDate_SameAsTimeParse(t *testing.T) {
	texts := randomDates(25, "Mon", "Thu", "Sun", "Sat", "mon", "Xyz")
	// Offsets of UTC, Europe/Berlin and America/New_York, for runs with
	// $TZ set, where the scanner must choose time.Local as time.Parse does.
	texts = append(texts, "Fri, 4 Dec 2026 09:05:00 +0100", "Sat, 4 Jul 2026 09:05:00 +0200", "Fri, 4 Dec 2026 09:05:00 -0500",
		"Thu, 29 Feb 2024 09:00:00 +0000", "Fri, 29 Feb 2023 09:00:00 +0000", "Sun, 01 Jan 0000 00:00:00 -0000")
	parse := func(text string) (time.Time, error) { return time.Parse(commonDateLayout, text) }
	checkDateScanner(t, "scanCommonDate", scanCommonDate, "time.Parse", parse, texts)
}

// TestParseDateNoWeekday_SameAsNetMail checks that every date without a
// day of week that the scanner accepts gives what net/mail.ParseDate
// gives, in the same zone.
func TestParseDateNoWeekday_SameAsNetMail(t *testing.T) {
	texts := append(randomDates(33, ""), "Fri, 4 Dec 2026 09:05:00 +0100", "4 Dec 2026 09:05:00 +0100",
		"4 Jul 2026 09:05:00 +0200", "29 Feb 2023 09:00:00 +0000")
	checkDateScanner(t, "parseDateNoWeekday", parseDateNoWeekday, "net/mail", mail.ParseDate, texts)
}

// checkDateScanner checks that every date of texts that scan accepts
// gives what reference gives, in the same zone, and that scan accepts
// at least one in a hundred.
func checkDateScanner(t *testing.T, name string, scan func(string) (time.Time, bool),
	refName string, reference func(string) (time.Time, error), texts []string) {
	t.Helper()
	accepted := 0
	for _, text := range texts {
		got, ok := scan(text)
		if !ok {
			continue
		}
		accepted++
		want, err := reference(text)
		if err != nil {
			t.Errorf("%s(%q) accepted what %s rejects: %v", name, text, refName, err)
			continue
		}
		gotName, gotOffset := got.Zone()
		wantName, wantOffset := want.Zone()
		if !got.Equal(want) || gotName != wantName || gotOffset != wantOffset || got.Location().String() != want.Location().String() {
			t.Errorf("%s(%q) = %v in %v, %s gives %v in %v", name, text, got, got.Location(), refName, want, want.Location())
		}
	}
	if accepted < len(texts)/100 {
		t.Errorf("%s accepted only %d dates; the test covers too few", name, accepted)
	}
}

// randomDates returns 100,000 dates near commonDateLayout's form, with
// one of weekdays ("" for none) and random fields, most of them valid.
func randomDates(seed uint64, weekdays ...string) []string {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	pick := func(list ...string) string { return list[rng.IntN(len(list))] }
	number := func(max, width int) string { return fmt.Sprintf("%0*d", width, rng.IntN(max)) }
	texts := make([]string, 0, 100000)
	for range 100000 {
		weekday := pick(weekdays...)
		if weekday != "" {
			weekday += pick(", ", ", ", ", ", ",", ",  ")
		}
		texts = append(texts, weekday+pick(number(33, 1), number(33, 2), " "+number(10, 1))+pick(" ", " ", " ", "  ")+
			pick("Jan", "Feb", "Apr", "Dec", "Jun", "jan")+" "+pick(number(3000, 4), number(100, 2))+" "+
			number(26, 1+rng.IntN(2))+":"+number(62, 2)+":"+number(62, 2)+pick("", "", "", ".5")+" "+
			pick("+", "-", "+", "-", "*")+number(26, 2)+number(62, 2)+pick("", "", "", " ", " (UTC)"))
	}
	return texts
}

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
	accepted := 0
	for _, text := range texts {
		got, ok := scanCommonDate(text)
		if !ok {
			continue
		}
		accepted++
		want, err := time.Parse(commonDateLayout, text)
		if err != nil {
			t.Errorf("scanCommonDate(%q) accepted what time.Parse rejects: %v", text, err)
			continue
		}
		if !got.Equal(want) || got.Location() != want.Location() && got.Location().String() != want.Location().String() {
			t.Errorf("scanCommonDate(%q) = %v in %v, time.Parse gives %v in %v", text, got, got.Location(), want, want.Location())
		}
		gotName, gotOffset := got.Zone()
		wantName, wantOffset := want.Zone()
		if gotName != wantName || gotOffset != wantOffset {
			t.Errorf("scanCommonDate(%q) zone = %q %d, time.Parse gives %q %d", text, gotName, gotOffset, wantName, wantOffset)
		}
	}
	if accepted < len(texts)/100 {
		t.Errorf("scanCommonDate accepted only %d dates; the test covers too few", accepted)
	}
}

// TestParseDateNoWeekday_SameAsNetMail checks that every date without a
// day of week that the scanner accepts gives what net/mail.ParseDate
// gives, in the same zone.
func TestParseDateNoWeekday_SameAsNetMail(t *testing.T) {
	texts := append(randomDates(33, ""), "Fri, 4 Dec 2026 09:05:00 +0100", "4 Dec 2026 09:05:00 +0100",
		"4 Jul 2026 09:05:00 +0200", "29 Feb 2023 09:00:00 +0000")
	accepted := 0
	for _, text := range texts {
		got, ok := parseDateNoWeekday(text)
		if !ok {
			continue
		}
		accepted++
		want, err := mail.ParseDate(text)
		if err != nil {
			t.Errorf("parseDateNoWeekday(%q) accepted what net/mail rejects: %v", text, err)
			continue
		}
		gotName, gotOffset := got.Zone()
		wantName, wantOffset := want.Zone()
		if !got.Equal(want) || gotName != wantName || gotOffset != wantOffset || got.Location().String() != want.Location().String() {
			t.Errorf("parseDateNoWeekday(%q) = %v, net/mail gives %v", text, got, want)
		}
	}
	if accepted < len(texts)/100 {
		t.Errorf("parseDateNoWeekday accepted only %d dates; the test covers too few", accepted)
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

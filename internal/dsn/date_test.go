package dsn

import (
	"net/mail"
	"testing"
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

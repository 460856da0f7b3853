package dsn

import (
	"strings"
	"testing"
)

// lowerCases covers ASCII, text without capitals, and characters that
// strings.ToLower maps to ASCII or to a different length.
var lowerCases = []string{
	"",
	"from mx.Example.ORG (HELO x) by MX1 with ESMTP id 4AbC",
	"already lower",
	"Kelvin \u212a sign",
	"\u0130stanbul",
	"caf\u00c9 \xff invalid",
}

func TestWriteLower_MatchesToLower(t *testing.T) {
	for _, s := range lowerCases {
		var b strings.Builder
		writeLower(&b, s)
		if got, want := b.String(), strings.ToLower(s); got != want {
			t.Errorf("writeLower(%q) = %q, want %q", s, got, want)
		}
	}
}

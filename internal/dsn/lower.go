package dsn

import (
	"strings"
	"unicode/utf8"
)

// writeLower appends strings.ToLower(s) to b. ASCII text, the usual
// case in a header, is lowered byte by byte without the temporary string
// that strings.ToLower returns.
func writeLower(b *strings.Builder, s string) {
	if !isASCII(s) {
		b.WriteString(strings.ToLower(s))
		return
	}
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b.WriteString(s[start:i])
			b.WriteByte(c + 'a' - 'A')
			start = i + 1
		}
	}
	b.WriteString(s[start:])
}

// isASCII reports whether s holds only ASCII bytes. strings.ToLower maps
// some other characters to ASCII letters (the Kelvin sign to k), so only
// pure ASCII may take the byte-wise path.
func isASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

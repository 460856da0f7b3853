package dsn

import "testing"

func TestNormalizeLineEndings(t *testing.T) {
	tests := []struct {
		name, in  string
		limit     int
		want      string
		truncated bool
	}{
		{"LF unchanged", "a\nb\n", 10, "a\nb\n", false},
		{"CRLF", "a\r\nb\r\n", 10, "a\nb\n", false},
		{"CR only", "a\rb\r", 10, "a\nb\n", false},
		{"mixed", "a\r\nb\rc\n", 10, "a\nb\nc\n", false},
		{"blank CR lines", "a\r\r\rb", 10, "a\n\n\nb", false},
		{"LF cut", "abc\ndef", 4, "abc\n", true},
		{"CRLF cut at the same place", "abc\r\ndef", 4, "abc\n", true},
		{"CR cut at the same place", "abc\rdef", 4, "abc\n", true},
		{"LF exactly at the limit", "abc\n", 4, "abc\n", false},
		{"CRLF exactly at the limit", "abc\r\n", 4, "abc\n", false},
		{"CR exactly at the limit", "abc\r", 4, "abc\n", false},
		{"newline past the limit", "abc\r\n", 3, "abc", true},
		{"cut inside a line", "abcdef\r\n", 3, "abc", true},
		{"empty", "", 4, "", false},
	}

	for _, tt := range tests {
		got, truncated := normalizeLineEndings([]byte(tt.in), tt.limit)
		if string(got) != tt.want || truncated != tt.truncated {
			t.Errorf("%s: got %q, %v, want %q, %v", tt.name, got, truncated, tt.want, tt.truncated)
		}
	}
}

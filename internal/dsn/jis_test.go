package dsn

import (
	"strings"
	"testing"
)

func TestDecodeJIS(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"user unknown", "550 \x1b$B%f!<%6\x1b(B unknown", "550 ユーザ unknown"},
		{"JIS X 0208-1978", "550 \x1b$@%f!<\x1b(J", "550 ユー"},
		{"no escape", "550 5.1.1 user unknown", "550 5.1.1 user unknown"},
		{"cut after escape", "550 \x1b$B%f!<", "550 ユー"},
		{"escape alone", "\x1b$B", ""},
		{"escape flood", strings.Repeat("\x1b$B\x1b(B", 1000), ""},
		// Bytes past 0x7f are no ISO-2022-JP: decoding them would turn
		// the UTF-8 reason into U+FFFD.
		{"UTF-8 beside an escape", "550 ユーザ \x1b$B%f\x1b(B", "550 ユーザ \x1b$B%f\x1b(B"},
		{"Latin-1 beside an escape", "550 Empf\xe4nger \x1b$B%f", "550 Empf\xe4nger \x1b$B%f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeJIS(tt.in); got != tt.want {
				t.Errorf("decodeJIS(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

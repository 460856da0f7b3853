package verp

import (
	"strings"
	"testing"
)

// testKey is a key of the minimum length; its signature of
// alice@example.com is pinned below, so that a change of algorithm, which
// would break every sender, fails a test.
const testKey = "0123456789abcdef"

func TestSign_KnownAnswer(t *testing.T) {
	keys, err := NewKeys([]string{testKey})
	if err != nil {
		t.Fatal(err)
	}
	got, err := keys.Sign("bounces", "", "Alice@Example.com", "b.example.org")
	if err != nil {
		t.Fatal(err)
	}
	const want = "bounces=" + aliceSignature + "+Alice=Example.com@b.example.org"
	if got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

// aliceSignature is base32 of HMAC-SHA256("0123456789abcdef",
// "alice@example.com"), computed with openssl as documented in
// docs/verp.md.
const aliceSignature = "6pln3r63"

func TestVerify(t *testing.T) {
	old, cur := "old-key-0123456789", "new-key-0123456789"
	oldOnly, _ := NewKeys([]string{old})
	rotated, _ := NewKeys([]string{cur, old})
	signedOld, _ := oldOnly.Sign("b", "c1", "alice@example.com", "b.example.org")
	signedNew, _ := rotated.Sign("b", "c1", "alice@example.com", "b.example.org")

	tests := []struct {
		name string
		keys Keys
		addr string
		want bool
	}{
		{"current key", rotated, signedNew, true},
		{"previous key after rotation", rotated, signedOld, true},
		{"new key unknown before rotation", oldOnly, signedNew, false},
		{"upper-cased by an MTA", rotated, strings.ToUpper(signedNew), true},
		{"recipient changed", rotated, strings.Replace(signedNew, "alice", "bob", 1), false},
		{"plain address", rotated, "b-c1+alice=example.com@b.example.org", false},
		{"short signature", rotated, "b=abc+alice=example.com@b.example.org", false},
		{"no keys", nil, signedNew, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := Decode(tt.addr)
			if !ok {
				t.Fatalf("Decode(%q) failed", tt.addr)
			}
			if got := tt.keys.Verify(a); got != tt.want {
				t.Errorf("Verify(%q) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

func TestNewKeys_TooShort(t *testing.T) {
	_, err := NewKeys([]string{testKey, "short"})
	if err == nil || err.Error() != "verp key 2 is 5 bytes, want at least 16" {
		t.Errorf("NewKeys error = %v, want the short key named", err)
	}
}

func TestSign_NoKeys(t *testing.T) {
	if _, err := Keys(nil).Sign("b", "", "alice@example.com", "b.example.org"); err != ErrNoKeys {
		t.Errorf("Sign without keys: err = %v, want ErrNoKeys", err)
	}
}

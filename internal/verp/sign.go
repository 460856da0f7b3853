package verp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
)

// SignatureLen is the length of a signature in characters: 8 base32
// characters carry 40 bits of the HMAC, short enough to keep a VERP local
// part near the 64 octets RFC 5321 allows.
const SignatureLen = 8

// MinKeyLen is the shortest key accepted, in bytes.
const MinKeyLen = 16

// encoding is lower-case base32 (RFC 4648 alphabet) without padding:
// letters and digits only, so that a signature survives an MTA that
// lower-cases local parts.
var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// ErrNoKeys is returned by Sign when no key is configured.
var ErrNoKeys = errors.New("verp: no signing key")

// Keys are the HMAC keys of signed VERP addresses. The first key signs;
// every key verifies, so that a new key can be put first while bounces
// to addresses signed with the old one still arrive.
type Keys [][]byte

// NewKeys returns the keys for the given secrets, each used as its bytes.
// It fails for a secret shorter than MinKeyLen.
func NewKeys(secrets []string) (Keys, error) {
	keys := make(Keys, 0, len(secrets))
	for i, s := range secrets {
		if len(s) < MinKeyLen {
			return nil, fmt.Errorf("verp key %d is %d bytes, want at least %d", i+1, len(s), MinKeyLen)
		}
		keys = append(keys, []byte(s))
	}
	return keys, nil
}

// Sign returns the signed VERP address of recipient, signed with the first
// key.
func (k Keys) Sign(prefix, tag, recipient, bounceDomain string) (string, error) {
	if len(k) == 0 {
		return "", ErrNoKeys
	}
	addr, ok := encode(prefix, tag, signature(k[0], recipient), recipient, bounceDomain)
	if !ok {
		return "", fmt.Errorf("verp: cannot encode recipient %q with prefix %q and tag %q at %q", recipient, prefix, tag, bounceDomain)
	}
	return addr, nil
}

// Verify reports whether a carries a signature of its recipient made with
// one of the keys.
func (k Keys) Verify(a Address) bool {
	if len(a.Signature) != SignatureLen {
		return false
	}
	got := []byte(asciiLower(a.Signature))
	for _, key := range k {
		if hmac.Equal(got, []byte(signature(key, a.Recipient))) {
			return true
		}
	}
	return false
}

// signature is the first SignatureLen characters of the base32 HMAC-SHA256
// of the recipient with ASCII letters lower-cased.
func signature(key []byte, recipient string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(asciiLower(recipient)))
	return encoding.EncodeToString(mac.Sum(nil))[:SignatureLen]
}

// asciiLower lower-cases A to Z only, so that every sender's
// implementation gets the same bytes whatever its Unicode tables.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

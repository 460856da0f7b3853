// Package verp encodes and decodes Variable Envelope Return Paths: bounce
// addresses that carry the original recipient in their local part, so that
// a bounce names the failed recipient even when its report does not.
//
// The plain form is prefix+local=domain@bounce-domain, for example
// bounces+alice=example.com@bounces.example.org for alice@example.com. An
// optional tag (a message or campaign id) may follow the prefix:
// bounces-TAG+alice=example.com@bounces.example.org.
//
// The signed form adds an HMAC signature of the recipient after an '=' at
// the end of the part before the '+':
// bounces=k3x9a2bq+alice=example.com@bounces.example.org. docs/verp.md
// gives the algorithm for senders.
package verp

import "strings"

// Address is a decoded VERP address.
type Address struct {
	Prefix    string // the part before the tag and '+', such as "bounces"
	Tag       string // message or campaign tag; empty when absent
	Recipient string // the original recipient, such as "alice@example.com"

	// Signature is the signature of a signed address as written; empty
	// for a plain one. Keys.Verify checks it.
	Signature string
}

// Decode decodes the VERP bounce address addr. It reports false when addr
// carries no recipient.
//
// The recipient's own '=' signs cannot be told apart from the separator, so
// the last '=' is taken as the '@': domains contain no '='.
func Decode(addr string) (Address, bool) {
	local, _, ok := cutLast(addr, "@")
	if !ok {
		return Address{}, false
	}
	head, encoded, ok := strings.Cut(local, "+")
	if !ok {
		return Address{}, false
	}
	user, domain, ok := cutLast(encoded, "=")
	if !ok || user == "" || domain == "" || strings.Contains(user, "@") || strings.ContainsAny(domain, "@+") {
		return Address{}, false
	}

	head, signature, _ := strings.Cut(head, "=")
	prefix, tag, _ := strings.Cut(head, "-")
	return Address{Prefix: prefix, Tag: tag, Recipient: user + "@" + domain, Signature: signature}, true
}

// Encode returns the plain VERP address of recipient under prefix and tag
// (tag may be empty) at bounceDomain. It reports false when recipient has
// no '@' or prefix or tag contain a separator of the format.
func Encode(prefix, tag, recipient, bounceDomain string) (string, bool) {
	return encode(prefix, tag, "", recipient, bounceDomain)
}

func encode(prefix, tag, signature, recipient, bounceDomain string) (string, bool) {
	user, domain, ok := cutLast(recipient, "@")
	if !ok || user == "" || domain == "" || prefix == "" || bounceDomain == "" {
		return "", false
	}
	if strings.ContainsAny(prefix, "-+=@") || strings.ContainsAny(tag, "+=@") || strings.ContainsAny(domain, "=+") {
		return "", false
	}

	var b strings.Builder
	b.WriteString(prefix)
	if tag != "" {
		b.WriteString("-" + tag)
	}
	if signature != "" {
		b.WriteString("=" + signature)
	}
	b.WriteString("+" + user + "=" + domain + "@" + bounceDomain)
	return b.String(), true
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

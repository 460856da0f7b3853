// Package verp decodes Variable Envelope Return Paths: bounce addresses
// that carry the original recipient in their local part, so that a bounce
// names the failed recipient even when its report does not.
//
// The form is prefix+local=domain@bounce-domain, for example
// bounces+alice=example.com@bounces.example.org for alice@example.com. An
// optional tag (a message or campaign id) may follow the prefix:
// bounces-TAG+alice=example.com@bounces.example.org.
package verp

import "strings"

// Address is a decoded VERP address.
type Address struct {
	Prefix    string // the part before the tag and '+', such as "bounces"
	Tag       string // message or campaign tag; empty when absent
	Recipient string // the original recipient, such as "alice@example.com"
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
	if !ok || user == "" || domain == "" || strings.ContainsAny(domain, "@+") {
		return Address{}, false
	}

	prefix, tag, _ := strings.Cut(head, "-")
	return Address{Prefix: prefix, Tag: tag, Recipient: user + "@" + domain}, true
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

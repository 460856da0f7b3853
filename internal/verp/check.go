package verp

import (
	"errors"
	"fmt"
	"strings"
)

// separators are the characters that delimit the parts of a VERP address,
// with the part each one starts.
var separators = []struct {
	char byte
	role string
}{
	{'-', "the tag"},
	{'=', "the signature"},
	{'+', "the encoded recipient"},
	{'@', "the bounce domain"},
}

// Check returns nil when prefix, tag, recipient and bounceDomain form a
// VERP address, else an error that names the part at fault and why. The prefix
// is RFC 5322 atext or '.', without '-', '=', '+' or '@', which separate
// the parts of the address. The tag has the same characters and may also
// contain '-'; it may be empty.
func Check(prefix, tag, recipient, bounceDomain string) error {
	user, domain, ok := cutLast(recipient, "@")
	if !ok || user == "" || domain == "" {
		return fmt.Errorf("recipient %q is not an address of the form local-part@domain", recipient)
	}
	if strings.ContainsAny(domain, "=+") {
		return fmt.Errorf("recipient domain %q contains '=' or '+', which no domain name has", domain)
	}
	if bounceDomain == "" {
		return errors.New("bounce domain is empty")
	}
	if prefix == "" {
		return errors.New("prefix is empty")
	}
	if err := checkPart("prefix", prefix, "-=+@"); err != nil {
		return err
	}
	return checkPart("tag", tag, "=+@")
}

// checkPart checks the prefix or tag value against the characters of a
// local part and the separators in forbidden.
func checkPart(name, value, forbidden string) error {
	for _, sep := range separators {
		if strings.IndexByte(forbidden, sep.char) >= 0 && strings.IndexByte(value, sep.char) >= 0 {
			return fmt.Errorf("%s %q contains '%c', which starts %s in a VERP address", name, value, sep.char, sep.role)
		}
	}
	for _, r := range value {
		if !isAtext(r) && r != '.' {
			return fmt.Errorf("%s %q contains %q, which is not allowed in the local part of an address", name, value, r)
		}
	}
	return nil
}

// isAtext reports whether r is an atext character of RFC 5322 section
// 3.2.3: a letter, a digit or one of !#$%&'*+-/=?^_`{|}~.
func isAtext(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

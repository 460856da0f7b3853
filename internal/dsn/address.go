package dsn

import "strings"

// plainMailbox returns the address of value when value is one mailbox
// in a plain shape: "a@b", "<a@b>", "Name <a@b>" or "\"Name\" <a@b>",
// in ASCII, without comments, group syntax, encoded words or quoted
// local parts. For these mail.ParseAddressList returns that one address,
// and plainMailbox spares its allocations. ok is false for any other
// value, which the caller leaves to mail.ParseAddressList.
func plainMailbox(value string) (addr string, ok bool) {
	s := strings.Trim(value, " \t")
	if isPlainAddrSpec(s) {
		return s, true
	}
	if !strings.HasSuffix(s, ">") {
		return "", false
	}

	open := strings.LastIndexByte(s, '<')
	if open < 0 {
		return "", false
	}
	spec := s[open+1 : len(s)-1]
	name := strings.TrimRight(s[:open], " \t")
	if !isPlainAddrSpec(spec) || name != "" && !isPlainDisplayName(name) {
		return "", false
	}
	return spec, true
}

// isPlainAddrSpec reports whether s is a local part and a domain, each a
// dot-atom of ASCII characters (RFC 5322 section 3.2.3), joined by "@".
func isPlainAddrSpec(s string) bool {
	local, domain, found := strings.Cut(s, "@")
	return found && isPlainDotAtom(local) && isPlainDotAtom(domain)
}

// isPlainDotAtom reports whether s is one or more runs of ASCII atext
// characters joined by single dots.
func isPlainDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && !isASCIIAtext(c) {
			return false
		}
	}
	return true
}

// isASCIIAtext reports whether c is an atext character of RFC 5322
// section 3.2.3: printable ASCII other than the specials.
func isASCIIAtext(c byte) bool {
	return '!' <= c && c <= '~' && !addressSpecials.has(c)
}

var addressSpecials = newByteSet(`()<>[]:;@\,".`)

var displayNamePunct = newByteSet(" \t.-_")

// isPlainDisplayName reports whether name is a display name that
// net/mail reads as a phrase with nothing left over: words of letters,
// digits, dots, hyphens and underscores separated by blanks, or one
// quoted string of printable ASCII without quotes or backslashes.
func isPlainDisplayName(name string) bool {
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		for i := 1; i < len(name)-1; i++ {
			if c := name[i]; c != '\t' && (c < ' ' || c > '~' || c == '"' || c == '\\') {
				return false
			}
		}
		return true
	}

	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlnum(rune(c)) && !displayNamePunct.has(c) {
			return false
		}
	}
	return true
}

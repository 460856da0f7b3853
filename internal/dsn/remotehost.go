package dsn

import "strings"

// scanRemoteHost finds the remote server in a quoted reply as
// remoteHostRE does, without a regular expression, because it runs on
// every diagnostic. It returns the host as the expression's first group,
// and decided false for text holding "ſ" (U+017F) or the Kelvin sign
// (U+212A), which the expression's case folding matches as "s" and "k".
// Between alternatives and repetition counts it prefers what the
// expression prefers: the leftmost match, a host name over an address,
// and longer runs over shorter ones.
func scanRemoteHost(text string) (host string, decided bool) {
	if strings.Contains(text, "\u017f") || strings.Contains(text, "\u212a") {
		return "", false
	}

	for i := 0; i < len(text); i++ {
		if i > 0 && isWordChar(text[i-1]) {
			continue
		}
		n := remoteKeywordAt(text, i)
		if n == 0 {
			continue
		}
		if host, ok := matchRemoteHostAt(text, i+n); ok {
			return host, true
		}
	}
	return "", true
}

// remoteKeywordAt returns the length of the word at text[i:] that comes
// before a remote server's name, or 0.
func remoteKeywordAt(text string, i int) int {
	switch text[i] | 0x20 { // the keywords' first letters, in either case
	case 'h', 's', 'b', 't':
	default:
		return 0
	}
	for _, w := range []string{"host", "server", "by", "talking to"} {
		if len(text)-i >= len(w) && strings.EqualFold(text[i:i+len(w)], w) {
			return len(w)
		}
	}
	return 0
}

// matchRemoteHostAt matches the rest of remoteHostRE after its keyword:
// white space, the host in optional brackets and what ends a reply's
// introduction.
func matchRemoteHostAt(text string, i int) (string, bool) {
	spaces := spaceRun(text, i)
	if spaces == 0 {
		return "", false
	}
	p := i + spaces
	if p < len(text) && text[p] == '[' {
		p++
	}

	if end, ok := matchHostName(text, p); ok {
		return text[p:end], true
	}
	for end := p + classRun(text, p, isAddressChar); end > p; end-- {
		if matchReplyIntro(text, end) {
			return text[p:end], true
		}
	}
	return "", false
}

// matchHostName matches [a-z0-9][a-z0-9.\-]*\.[a-z0-9\-]+ at text[p:],
// followed by a reply's introduction, and returns where the name ends.
// It tries the longest split first, as the expression does.
func matchHostName(text string, p int) (int, bool) {
	if p >= len(text) || !isAlnum(rune(text[p])) {
		return 0, false
	}

	run := p + 1 + classRun(text, p+1, isHostChar)
	for dot := run - 1; dot > p; dot-- {
		if text[dot] != '.' {
			continue
		}
		label := dot + 1 + classRun(text, dot+1, isHostLabelChar)
		for end := label; end > dot+1; end-- {
			if matchReplyIntro(text, end) {
				return end, true
			}
		}
	}
	return 0, false
}

// matchReplyIntro matches \]?\.?\s*(?:\[[0-9a-f.:]+\]|said|\(|:) at
// text[i:], case-insensitively. Each optional part is taken when
// present, because none of them can start what follows it.
func matchReplyIntro(text string, i int) bool {
	if i < len(text) && text[i] == ']' {
		i++
	}
	if i < len(text) && text[i] == '.' {
		i++
	}
	i += spaceRun(text, i)
	if i >= len(text) {
		return false
	}

	switch text[i] {
	case '(', ':':
		return true
	case '[':
		n := classRun(text, i+1, isAddressChar)
		return n > 0 && i+1+n < len(text) && text[i+1+n] == ']'
	}
	return len(text)-i >= 4 && strings.EqualFold(text[i:i+4], "said")
}

func spaceRun(text string, i int) int {
	return classRun(text, i, isSpace)
}

// classRun returns the number of bytes at text[i:] for which in is true.
func classRun(text string, i int, in func(byte) bool) int {
	n := 0
	for i+n < len(text) && in(text[i+n]) {
		n++
	}
	return n
}

// isWordChar reports whether c is a word character as \b of Go's regexp
// syntax sees it.
func isWordChar(c byte) bool {
	return isAlnum(rune(c)) || c == '_'
}

func isHostLabelChar(c byte) bool { return isAlnum(rune(c)) || c == '-' }

func isHostChar(c byte) bool { return isHostLabelChar(c) || c == '.' }

// isAddressChar reports whether c may be part of an IPv4 or IPv6 address.
func isAddressChar(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.'
}

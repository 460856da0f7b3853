package dsn

import (
	"strings"
)

// replyPrefixLen returns the length of the code prefix at the start of
// line that a line of a multi-line SMTP reply carries, as in "550-5.7.1 "
// or "550 ", or 0 when there is none. The prefix is a reply code, a space
// or hyphen, and then, when they follow, an enhanced status code with an
// optional "#" and one white space character. It matches what the regular
// expression ^([2-5][0-5][0-9])[ -](?:#?[245]\.[0-9]{1,3}\.[0-9]{1,3}\s)?
// matches, without running one on every line of a diagnostic.
func replyPrefixLen(line string) int {
	if len(line) < 4 || !isReplyCodeStart(line, 0) || line[3] != ' ' && line[3] != '-' {
		return 0
	}

	i := 4
	if i < len(line) && line[i] == '#' {
		i++
	}
	if i+1 >= len(line) || line[i] != '2' && line[i] != '4' && line[i] != '5' || line[i+1] != '.' {
		return 4
	}
	subject := digitRun(line, i+2)
	dot := i + 2 + subject
	if subject < 1 || subject > 3 || dot >= len(line) || line[dot] != '.' {
		return 4
	}
	detail := digitRun(line, dot+1)
	end := dot + 1 + detail
	if detail < 1 || detail > 3 || end >= len(line) || !isRegexpSpace(line[end]) {
		return 4
	}
	return end + 1
}

// isRegexpSpace reports whether c is in the \s class of Go's regular
// expressions: tab, LF, form feed, CR or space.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// collapseSpace returns strings.Join(strings.Fields(s), " "): s with its
// runs of white space turned into single spaces and none at either end.
// ASCII text that needs no change is returned without a copy.
func collapseSpace(s string) string {
	if !isASCII(s) {
		return strings.Join(strings.Fields(s), " ")
	}
	if !needsCollapse(s) {
		return s
	}

	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIISpace(c) {
			b = append(b, c)
			continue
		}
		if len(b) > 0 && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// needsCollapse reports whether the ASCII text s has white space at
// either end, white space other than a space, or two spaces in a row.
func needsCollapse(s string) bool {
	if len(s) > 0 && (isASCIISpace(s[0]) || isASCIISpace(s[len(s)-1])) {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && isASCIISpace(c) || c == ' ' && i+1 < len(s) && s[i+1] == ' ' {
			return true
		}
	}
	return false
}

// isASCIISpace reports whether c is an ASCII character that
// unicode.IsSpace reports as white space.
func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

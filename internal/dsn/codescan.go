package dsn

// Hand-written scanners for the codes in a diagnostic text. They run on
// every diagnostic and on every line of a plain-text bounce's prose, where
// the regular expressions they replace took about a sixth of the CPU time
// of BenchmarkAnalyzeCorpus. codescan_test.go checks each against its
// expression.
//
// A reply code is three digits whose first is 2 to 5 and second 0 to 5
// (RFC 5321 section 4.2). An enhanced status code is class.subject.detail
// with class 2, 4 or 5 and one to three digits in the others (RFC 3463
// section 2). A code counts only after a delimiter, so that digits inside
// addresses and host names do not match, and only when what follows
// leaves it complete (see isCodeEnd).

// codeMatch is one code found by a scanner: the code, and where the scan
// goes on when the code is rejected.
type codeMatch struct {
	replyCode string // three digits; empty for a status on its own
	status    string // class.subject.detail
	complete  bool   // followed by nothing or a full stop, no more digits
	end       int
}

// scanStatusAt matches an enhanced status code at s[i:]. complete is
// false when digits, or a dot and digits, follow it, as in an IP address.
func scanStatusAt(s string, i int) (m codeMatch, ok bool) {
	if i+1 >= len(s) || s[i] != '2' && s[i] != '4' && s[i] != '5' || s[i+1] != '.' {
		return m, false
	}
	subject := digitRun(s, i+2)
	dot := i + 2 + subject
	if subject < 1 || subject > 3 || dot >= len(s) || s[dot] != '.' {
		return m, false
	}
	detail := digitRun(s, dot+1)
	if detail < 1 {
		return m, false
	}

	statusEnd := dot + 1 + min(detail, 3)
	m.status = s[i:statusEnd]
	m.end = dot + 1 + detail
	switch {
	case detail > 3:
		m.complete = false
	case m.end < len(s) && s[m.end] == '.':
		more := digitRun(s, m.end+1)
		m.complete = more == 0
		m.end += 1 + more
	default:
		m.complete = true
	}
	return m, true
}

// digitRun returns the number of ASCII digits at s[i:].
func digitRun(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

// scanReplyWithStatusAt matches a reply code followed by an enhanced
// status code at s[i:], as in "550 5.1.1", "550-5.1.1", "451 #4.4.1" and
// "550-'5.2.2" (Amazon SES quoting a remote reply).
func scanReplyWithStatusAt(s string, i int) (m codeMatch, ok bool) {
	if i+4 >= len(s) || !isReplyCodeStart(s, i) || s[i+3] != ' ' && s[i+3] != '-' {
		return m, false
	}

	j := i + 4
	if s[j] == '\'' || s[j] == '"' {
		j++
	}
	if j < len(s) && s[j] == '#' {
		j++
	}
	m, ok = scanStatusAt(s, j)
	m.replyCode = s[i : i+3]
	return m, ok
}

// isReplyCodeStart reports whether s[i:i+3] is a reply code.
func isReplyCodeStart(s string, i int) bool {
	return i+2 < len(s) && s[i] >= '2' && s[i] <= '5' && s[i+1] >= '0' && s[i+1] <= '5' && isDigit(s[i+2])
}

// nextCode returns the first code that scan matches in s at or after
// from, at the start of s or after a byte for which isDelimiter is true.
func nextCode(s string, from int, isDelimiter func(byte) bool, scan func(string, int) (codeMatch, bool)) (codeMatch, bool) {
	if from == 0 {
		if m, ok := scan(s, 0); ok {
			return m, true
		}
	}
	for i := from; i < len(s); i++ {
		if !isDelimiter(s[i]) {
			continue
		}
		if m, ok := scan(s, i+1); ok {
			return m, true
		}
	}
	return codeMatch{}, false
}

// isSpace reports whether c is white space as \s of Go's regexp syntax.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// isReplyDelimiter reports whether c may stand before a reply code
// followed by a status.
func isReplyDelimiter(c byte) bool {
	switch c {
	case ':', ';', '(', '[', '"', '\'', '=':
		return true
	}
	return isSpace(c)
}

// isStatusDelimiter reports whether c may stand before an enhanced status
// code on its own.
func isStatusDelimiter(c byte) bool {
	switch c {
	case ':', ';', '(', '[', '#', '"', '\'', '=', '<', '-':
		return true
	}
	return isSpace(c)
}

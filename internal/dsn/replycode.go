package dsn

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// sendmailInnerReplyRE matches Sendmail's own code before the address
	// and the reply it failed on after it, as in "554 <a@b>... 550 Host
	// unknown".
	sendmailInnerReplyRE = regexp.MustCompile(`^[2-5][0-5][0-9] <[^<>\s]*>\.\.\. ([2-5][0-5][0-9])(?:[\s,-]|$)`)

	// quotedReplyRE matches a reply code after the phrase that
	// introduces a remote server's reply: "host mx.example.org said:",
	// "RCPT TO:<a@b>:", "[192.0.2.1]:", Sendmail's "<a@b>..." and the
	// "<<<" of its session transcript, Postfix's "refused to talk to
	// me:", "failed with:". Go's regexp has no lookahead, so the code
	// checks what follows a match. The other codes are found by the
	// scanners of codescan.go.
	quotedReplyRE = regexp.MustCompile(
		`(?i)(?:[>\]]:|\.\.\.|<<<|\b(?:said|reply|response|replied|responded|error|error_code|response ?code|failed with|talk to me|returned was)\s*:?)\s*([2-5][0-5][0-9])(?:[\s,-]|:\s|$)`)
)

// scanDiagnostic returns the SMTP reply code and the enhanced status code
// found in a Diagnostic-Code text, zero and empty where there are none. A
// reply code directly followed by an enhanced code of the same class is
// trusted first. Otherwise the reply code must start the text or follow
// the phrase that quotes a remote reply, and the enhanced code is the
// first one standing on its own.
func scanDiagnostic(text string) (replyCode int, status string) {
	if !hasCodeCandidate(text) {
		return 0, ""
	}
	if code, st := findReplyWithStatus(text); code != 0 {
		return code, st
	}
	return findReplyCode(text), findEnhancedStatus(text)
}

func findReplyWithStatus(text string) (int, string) {
	for from := 0; ; {
		m, ok := nextCode(text, from, isReplyDelimiter, scanReplyWithStatusAt)
		if !ok {
			return 0, ""
		}
		if m.replyCode[0] == m.status[0] && m.complete {
			return atoi(m.replyCode), m.status
		}
		from = m.end
	}
}

func findReplyCode(text string) int {
	text = strings.TrimSpace(text)
	if isReplyCodeStart(text, 0) && (len(text) == 3 || isSpace(text[3]) || text[3] == '-' || strings.HasPrefix(text[3:], ": ")) {
		if !strings.HasPrefix(text[3:], " <") {
			return atoi(text[:3]) // spares sendmailInnerReplyRE, which needs the "<"
		}
		if inner := sendmailInnerReplyRE.FindStringSubmatch(text); inner != nil {
			return atoi(inner[1])
		}
		return atoi(text[:3])
	}
	if !hasReplyCodeWord(text) {
		return 0 // spares quotedReplyRE, which needs such a code
	}
	if !isASCII(text) {
		// Under (?i) the expression also matches "ſ" (U+017F) for "s"
		// and the Kelvin sign for "k", which findQuotedReply does not.
		if m := quotedReplyRE.FindStringSubmatch(text); m != nil {
			return atoi(m[1])
		}
		return 0
	}
	return findQuotedReply(text)
}

// quotedReplyPhrases are the phrases of quotedReplyRE before a quoted
// reply code, the longer of two that share a start first, so that the
// first phrase found at a position is the only one a code can follow.
var quotedReplyPhrases = newPhraseSet([]string{
	">:", "]:", "...", "<<<",
	"said", "reply", "responsecode", "response code", "response", "replied", "responded",
	"error_code", "error", "failed with", "talk to me", "returned was",
})

// findQuotedReply returns the reply code that quotedReplyRE captures in
// the ASCII text, or 0, scanning once instead of running the expression.
func findQuotedReply(text string) int {
	for from := 0; ; {
		at, id := indexPhraseFold(quotedReplyPhrases, text, from)
		if at < 0 {
			return 0
		}
		if code := quotedReplyAt(text, at, quotedReplyPhrases.phrases[id]); code != 0 {
			return code
		}
		from = at + 1
	}
}

// quotedReplyAt returns the reply code that follows phrase at text[at:]
// as quotedReplyRE requires, or 0. A word must start a word, and may be
// followed by a colon among the blanks before the code.
func quotedReplyAt(text string, at int, phrase string) int {
	i := at + len(phrase)
	if isAlnum(rune(phrase[0])) {
		if at > 0 && isWordByte(text[at-1]) {
			return 0
		}
		i = skipRegexpSpace(text, i)
		if i < len(text) && text[i] == ':' {
			i++
		}
	}
	i = skipRegexpSpace(text, i)

	if !isReplyCodeStart(text, i) {
		return 0
	}
	end := i + 3
	if end == len(text) || isRegexpSpace(text[end]) || text[end] == ',' || text[end] == '-' ||
		text[end] == ':' && end+1 < len(text) && isRegexpSpace(text[end+1]) {
		return atoi(text[i:end])
	}
	return 0
}

// isWordByte reports whether c is in the \w class of Go's regular
// expressions.
func isWordByte(c byte) bool {
	return isAlnum(rune(c)) || c == '_'
}

func skipRegexpSpace(s string, i int) int {
	for i < len(s) && isRegexpSpace(s[i]) {
		i++
	}
	return i
}

// hasReplyCodeWord reports whether text holds a reply code followed by
// white space, a comma, a hyphen, a colon or the end of text, anywhere,
// as quotedReplyRE requires.
func hasReplyCodeWord(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		if isReplyCodeStart(text, i) && (i+3 == len(text) || isSpace(text[i+3]) || strings.IndexByte(",-:", text[i+3]) >= 0) {
			return true
		}
	}
	return false
}

// findEnhancedStatus returns the first enhanced status code standing on
// its own in s, or "". It also reads Status values with trailing text,
// such as "5.1.1 (user unknown)".
func findEnhancedStatus(s string) string {
	for from := 0; ; {
		m, ok := nextCode(s, from, isStatusDelimiter, scanStatusAt)
		if !ok {
			return ""
		}
		if m.complete {
			return m.status
		}
		from = m.end
	}
}

// atoi converts a string the scanners have checked to be digits.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// SpecificStatus returns the most specific enhanced status code known for
// the recipient. That is DiagnosticStatus, the code the remote server
// gave, unless it is missing or generic (class.0.0); then Status, the
// reporting MTA's summary. The remote's code wins because MTAs map
// replies to Status coarsely: Exim writes 5.0.0 for every failure and
// Sendmail may write 5.1.1 for a "550 5.7.1" block.
func (r Recipient) SpecificStatus() string {
	if r.DiagnosticStatus == "" || isGenericStatus(r.DiagnosticStatus) && r.Status != "" {
		return r.Status
	}
	return r.DiagnosticStatus
}

func isGenericStatus(status string) bool {
	return strings.HasSuffix(status, ".0.0")
}

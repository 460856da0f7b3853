package dsn

import (
	"regexp"
	"strconv"
	"strings"
)

// Patterns for the codes in a diagnostic text. A reply code is three
// digits whose first is 2 to 5 and second 0 to 5 (RFC 5321 section 4.2);
// an enhanced status code is class.subject.detail with class 2, 4 or 5 and
// up to three digits in the others (RFC 3463 section 2). Each pattern
// requires a delimiter before the code, so digits inside addresses and
// host names do not match. Go's regexp has no lookahead, so the code
// checks what follows a match.
var (
	// replyWithStatusRE matches a reply code followed by an enhanced
	// status code, as in "550 5.1.1", "550-5.1.1", "451 #4.4.1" and
	// "550-'5.2.2" (Amazon SES quoting a remote reply).
	replyWithStatusRE = regexp.MustCompile(
		`(?:^|[\s:;(\["'=])([2-5][0-5][0-9])[ -]['"]?#?([245]\.[0-9]{1,3}\.[0-9]{1,3})(\.?[0-9]*)`)

	// leadingReplyRE matches a reply code that starts the text.
	leadingReplyRE = regexp.MustCompile(`^([2-5][0-5][0-9])(?:[\s-]|$)`)

	// sendmailInnerReplyRE matches Sendmail's own code before the address
	// and the reply it failed on after it, as in "554 <a@b>... 550 Host
	// unknown".
	sendmailInnerReplyRE = regexp.MustCompile(`^[2-5][0-5][0-9] <[^<>\s]*>\.\.\. ([2-5][0-5][0-9])(?:[\s,-]|$)`)

	// quotedReplyRE matches a reply code after the phrase that
	// introduces a remote server's reply: "host mx.example.org said:",
	// "RCPT TO:<a@b>:", "[192.0.2.1]:", Sendmail's "<a@b>...".
	quotedReplyRE = regexp.MustCompile(
		`(?i)(?:[>\]]:|\.\.\.|\b(?:said|reply|response|replied|responded|error|error_code|response ?code)\s*:?)\s*([2-5][0-5][0-9])(?:[\s,-]|$)`)

	// enhancedStatusRE matches an enhanced status code on its own.
	enhancedStatusRE = regexp.MustCompile(
		`(?:^|[\s:;(\[#"'=<-])([245]\.[0-9]{1,3}\.[0-9]{1,3})(\.?[0-9]*)`)
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
	for _, m := range replyWithStatusRE.FindAllStringSubmatch(text, -1) {
		code, status, tail := m[1], m[2], m[3]
		if code[0] != status[0] || !isCodeEnd(tail) {
			continue
		}
		return atoi(code), status
	}
	return 0, ""
}

func findReplyCode(text string) int {
	text = strings.TrimSpace(text)
	if m := leadingReplyRE.FindStringSubmatch(text); m != nil {
		if inner := sendmailInnerReplyRE.FindStringSubmatch(text); inner != nil {
			return atoi(inner[1])
		}
		return atoi(m[1])
	}
	if m := quotedReplyRE.FindStringSubmatch(text); m != nil {
		return atoi(m[1])
	}
	return 0
}

// findEnhancedStatus returns the first enhanced status code standing on
// its own in s, or "". It also reads Status values with trailing text,
// such as "5.1.1 (user unknown)".
func findEnhancedStatus(s string) string {
	for _, m := range enhancedStatusRE.FindAllStringSubmatch(s, -1) {
		if isCodeEnd(m[2]) {
			return m[1]
		}
	}
	return ""
}

// isCodeEnd reports whether the digits and dot matched right after a code
// leave it complete: nothing, or a full stop ending a sentence. Anything
// else means the code was the start of a longer number or an IP address.
func isCodeEnd(tail string) bool {
	return tail == "" || tail == "."
}

// atoi converts a string the patterns above have checked to be digits.
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

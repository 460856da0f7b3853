package dsn

import (
	"bytes"
	"strings"
)

// giveUpPhrases are phrases, lower-cased, with which a plain-text bounce
// states that the MTA stopped retrying after its queue lifetime: Sendmail's
// "Cannot send message for 5 days" in the subject and "Message could not
// be delivered for 5 days" in the prose, and notices such as "Delivery
// was aborted after 5.0 hour(s)". qmail-send's "I'm not going to try
// again" is left out: qmail sends no delay notices, so its bounces are
// failures already, and the classifier reads its stated causes.
var giveUpPhrases = []string{
	"cannot send message for", "could not be delivered for", "was aborted after",
}

// giveUpStatement returns the subject, lower-cased, or the first line of
// lines that states that the MTA gave up, trimmed, or "" when none does.
func giveUpStatement(subject string, lines []string) string {
	if hasGiveUpPhrase([]byte(subject)) {
		return strings.TrimSpace(subject)
	}
	var lower []byte
	for _, line := range lines {
		lower = lowerASCII(lower[:0], line)
		if hasGiveUpPhrase(lower) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// lowerASCII appends s to dst with its ASCII letters lower-cased, which is
// all that matching the ASCII giveUpPhrases needs.
func lowerASCII(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	for i := n; i < len(dst); i++ {
		if c := dst[i]; 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// hasGiveUpPhrase reports whether lower holds one of giveUpPhrases
// followed by a number, the queue lifetime. Without the number,
// "could not be delivered for the following reason" would read as a
// give-up and make a delay notice a failure.
func hasGiveUpPhrase(lower []byte) bool {
	for _, p := range giveUpPhrases {
		for rest := lower; ; {
			i := bytes.Index(rest, []byte(p))
			if i < 0 {
				break
			}
			rest = rest[i+len(p):]
			if after := bytes.TrimLeft(rest, " "); len(after) > 0 && isDigit(after[0]) {
				return true
			}
		}
	}
	return false
}

// markGivenUp records, for the recipients of a bounce that gave up, that
// they failed: a temporary reply (4xx) in it is the last attempt's, not
// a sign of a delay. A recipient whose diagnostic quotes no code gets the
// statement before it, since the statement is then its reason, as in a
// list of recipients headed "Delivery was aborted after 5.0 hour(s):".
func (b *plainBounce) markGivenUp(rcpts []Recipient) {
	if len(rcpts) == 0 {
		return
	}
	gaveUp := giveUpStatement(b.subject, b.lines)
	if gaveUp == "" {
		return
	}
	for i := range rcpts {
		r := &rcpts[i]
		if r.Action == "" {
			r.Action = ActionFailed
		}
		hasCode := r.ReplyCode != 0 || r.DiagnosticStatus != ""
		if !hasCode && !strings.Contains(r.DiagnosticCode, gaveUp) {
			r.DiagnosticCode = strings.TrimSpace(gaveUp + " " + r.DiagnosticCode)
		}
	}
}

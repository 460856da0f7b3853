package dsn

import (
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

// giveUpStatement returns the subject, or else the first of lines, that
// states that the MTA gave up, trimmed of white space, or "" when none
// does. It keeps the case of the text, which for a plainBounce's subject
// is lower-case already.
func giveUpStatement(subject string, lines []string) string {
	if hasGiveUpPhrase(subject) {
		return strings.TrimSpace(subject)
	}
	for _, line := range lines {
		if hasGiveUpPhrase(line) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

var giveUpPhraseSet = newPhraseSet(giveUpPhrases)

// hasGiveUpPhrase reports whether text holds one of giveUpPhrases,
// ignoring the case of ASCII letters, followed by a number, the queue
// lifetime. Without the number, "could not be delivered for the
// following reason" would read as a give-up and make a delay notice a
// failure.
func hasGiveUpPhrase(text string) bool {
	for from := 0; ; {
		at, id := indexPhraseFold(giveUpPhraseSet, text, from)
		if at < 0 {
			return false
		}
		after := strings.TrimLeft(text[at+len(giveUpPhraseSet.phrases[id]):], " ")
		if len(after) > 0 && isDigit(after[0]) {
			return true
		}
		from = at + 1
	}
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

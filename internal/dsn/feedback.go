package dsn

import (
	"io"
	"strings"
)

// readFeedbackReport reads a message/feedback-report body (RFC 5965
// section 3.1), a single header block, for its Feedback-Type and the
// complained-about recipients.
func (p *parser) readFeedbackReport(body io.Reader) {
	data, err := io.ReadAll(io.LimitReader(body, maxPartBytes))
	if err != nil {
		p.warnf("read feedback-report part: %v", err)
	}

	p.complaint = true
	for _, h := range readHeaderBlocks(data) {
		if p.report.FeedbackType == "" {
			p.report.FeedbackType = strings.ToLower(strings.TrimSpace(h.Get("Feedback-Type")))
		}
		if p.report.ReportingMTA == "" {
			p.report.ReportingMTA = parseMTAName(h.Get("Reporting-Mta"))
		}
		if p.report.ArrivalDate.IsZero() {
			p.report.ArrivalDate = parseDate(h.Get("Arrival-Date"))
		}
		for _, v := range h.Values("Original-Rcpt-To") {
			p.complained = append(p.complained, parseAddressField(v))
		}
	}
}

// addComplainedRecipients makes a recipient of each Original-Rcpt-To of
// a feedback report, or of the returned message's To when the report
// names none (Original-Rcpt-To is optional) and To names one address.
// One person complained, and a To of several does not say which of them.
func (p *parser) addComplainedRecipients() {
	addrs := p.complained
	if len(addrs) == 0 && p.report.Original.To != "" && !strings.Contains(p.report.Original.To, ", ") {
		addrs = []string{p.report.Original.To}
	}

	for _, a := range addrs {
		// A To of "<Undisclosed Recipients>" names no mailbox to suppress.
		if !strings.Contains(a, "@") || len(p.report.Recipients) >= MaxRecipients {
			continue
		}
		p.report.Recipients = append(p.report.Recipients, Recipient{FinalRecipient: a})
	}
}

// isAutoReply reports whether a message that is no report is an
// automatic reply: marked "Auto-Submitted: auto-replied" (RFC 3834
// section 5) and not sent by a mailer daemon or postmaster, whose
// messages so marked are bounces in a plain-text format.
func isAutoReply(h header) bool {
	value := strings.ToLower(removeComments(h.Get("Auto-Submitted")))
	if strings.TrimSpace(strings.SplitN(value, ";", 2)[0]) != "auto-replied" {
		return false
	}
	if h.Has("X-Failed-Recipients") {
		return false
	}

	local, _, _ := strings.Cut(strings.ToLower(senderAddress(h)), "@")
	return local != "mailer-daemon" && local != "postmaster"
}

// addAutoReplySender makes the sender of an automatic reply its
// recipient: the address the original was sent to.
func (p *parser) addAutoReplySender(h header) {
	if a := senderAddress(h); a != "" {
		p.report.Recipients = append(p.report.Recipients, Recipient{FinalRecipient: a})
	}
}

func senderAddress(h header) string {
	return firstAddress(h, "From")
}

// autoReplySubjects are subject prefixes and phrases of vacation and
// out-of-office replies sent without Auto-Submitted, lower-cased:
// Outlook and Exchange ("Automatic reply:"), Apple iCloud ("Auto
// reply:"), Lotus Notes ("... is out of the office") and their
// translations.
var autoReplySubjects = []string{
	"automatic reply", "auto reply", "auto-reply", "autoreply", "auto:",
	"out of office", "out of the office", "is out of office", "vacation",
	"away from the office", "abwesenheit", "automatische antwort",
	"réponse automatique", "respuesta automática", "risposta automatica",
	"自動応答", "不在",
}

// isAutoReplyText reports whether a message that is no report is a
// vacation or out-of-office reply that does not say so with
// Auto-Submitted: a field that autoresponders set (X-Autoreply,
// X-Autorespond, Apple's X-Apple-Action: VACATION, Precedence:
// auto_reply), or an auto-reply subject from a sender that is no mailer
// daemon.
func isAutoReplyText(h header, s *headerSummary) bool {
	if h.Has("X-Autoreply") || h.Has("X-Autorespond") ||
		strings.EqualFold(strings.TrimSpace(h.Get("X-Apple-Action")), "vacation") ||
		strings.EqualFold(strings.TrimSpace(h.Get("Precedence")), "auto_reply") {
		return true
	}
	if looksLikeBounce(s) {
		return false
	}
	for _, w := range autoReplySubjects {
		if strings.Contains(s.subject, w) {
			return true
		}
	}
	return false
}

// isUnsubscribeRequest reports whether a message is an unsubscribe
// request that a mail client sent to a List-Unsubscribe mailto: address
// (RFC 2369) on the user's behalf. Apple Mail marks its own with
// "X-Apple-Unsubscribe: true" and "Auto-Submitted: auto-replied", so it
// is an opt-out, not a vacation reply.
func isUnsubscribeRequest(h header) bool {
	return strings.EqualFold(strings.TrimSpace(h.Get("X-Apple-Unsubscribe")), "true")
}

package dsn

import (
	"bytes"
	"strings"
)

// A format recovers the recipients of one family of bounces that carry
// no delivery-status part: the vendor and provider shapes, each with its
// own way of quoting the remote server's reply.
type format interface {
	// name is the family's name, for tests and warnings.
	name() string

	// detect reports, from a cheap look at the header, whether the
	// message is likely of this family, so that it is tried early.
	detect(s *headerSummary) bool

	// extract returns the failed recipients, or nil when the message
	// is not of this family.
	extract(m *bounceMessage) []Recipient
}

// headerSummary holds the lower-cased header values that decide which
// formats are tried first.
type headerSummary struct {
	from, subject, mailer string
	failedRecipients      string

	header       header
	received     string // see receivedText
	haveReceived bool
}

func summarizeHeader(h header) *headerSummary {
	return &headerSummary{
		from:             strings.ToLower(h.Get("From")),
		subject:          strings.ToLower(decodedHeaderText(h, "Subject")),
		mailer:           strings.ToLower(h.Get("X-Mailer")),
		failedRecipients: h.Get("X-Failed-Recipients"),
		header:           h,
	}
}

// receivedText returns the values of the Received fields, lower-cased,
// each followed by an LF. It is built on first use, because most
// messages are decided without it and it is the largest part of a
// header.
func (s *headerSummary) receivedText() string {
	if s.haveReceived {
		return s.received
	}

	// One builder, sized up front: appending to a string per field was
	// quadratic in the number of Received fields.
	received := s.header.Values("Received")
	n := 0
	for _, v := range received {
		n += len(v) + 1
	}
	var b strings.Builder
	b.Grow(n)
	for _, v := range received {
		writeLower(&b, v)
		b.WriteByte('\n')
	}
	s.received, s.haveReceived = b.String(), true
	return s.received
}

// bounceMessage is the input of a format: the header and the text that
// the MIME walk kept.
type bounceMessage struct {
	header  header
	summary *headerSummary
	prose   []byte // the text part before the returned original
	plain   *plainBounce

	// kind and feedbackType are set by a format that decides the kind
	// itself, such as a complaint; an empty kind follows the Actions.
	kind         Kind
	feedbackType string

	// original is set by a format that carries the original's header
	// in its own shape, such as the JSON of Amazon SES.
	original *Original

	// complainant and originalTo come from the returned message: the
	// recipient a complaint notice names, and the To addresses.
	complainant, originalTo string
}

// formats is every format in the default order. Those whose detect
// matches the header move to the front; the generic plain-text format is
// always last.
var formats = []format{
	complaintNotice{},
	sesNotification{},
	embeddedStatus{},
	listRejection{},
	genericText{},
}

// orderFormats returns the formats to try for s: the detected ones
// first, then the others, each group in the default order.
func orderFormats(s *headerSummary) []format {
	ordered := make([]format, 0, len(formats))
	for _, f := range formats {
		if f.detect(s) {
			ordered = append(ordered, f)
		}
	}
	for _, f := range formats {
		if !f.detect(s) {
			ordered = append(ordered, f)
		}
	}
	return ordered
}

// embeddedStatus reads delivery-status fields written into the text of
// a bounce, as Amazon WorkMail and some appliances do.
type embeddedStatus struct{}

func (embeddedStatus) name() string { return "embedded-status" }

func (embeddedStatus) detect(s *headerSummary) bool {
	return strings.Contains(s.mailer, "workmail") || strings.Contains(s.from, "amazonses.com")
}

func (embeddedStatus) extract(m *bounceMessage) []Recipient {
	section := findStatusSection(m.prose)
	if section == nil {
		return nil
	}

	var rcpts []Recipient
	for _, h := range readHeaderBlocks(section) {
		if h.Has("Final-Recipient") || h.Has("Original-Recipient") {
			rcpts = append(rcpts, parseRecipient(h))
		}
	}
	return rcpts
}

// needsBounceSigns reports whether f reads prose that an ordinary message
// could contain too, such as an address at the start of a line or a
// quoted "Final-Recipient:" field, so that it runs only on a message whose
// header or prose says it is a bounce.
func needsBounceSigns(f format) bool {
	switch f.(type) {
	case genericText, embeddedStatus:
		return true
	}
	return false
}

// genericText reads the prose of a plain-text bounce (see extractPlain).
type genericText struct{}

func (genericText) name() string { return "text" }

func (genericText) detect(*headerSummary) bool { return false }

func (genericText) extract(m *bounceMessage) []Recipient {
	return extractPlain(m.plain)
}

// bounceSubjectWords are words of the subjects of bounces, lower-cased.
var bounceSubjectWords = []string{
	"undeliver", "delivery status", "delivery fail", "delivery notification",
	"failure notice", "returned mail", "could not be delivered", "non-deliver",
	"nondeliver", "not delivered", "delivery problem", "mail delivery",
	"failed delivery", "delivery error", "mail system error", "unable to deliver",
	"rejected", "bounce", "warning: could not send", "delivery report",
	"mail failure", "message not delivered", "delayed mail", "delivery delayed",
	"undelivered", "error sending", "not be delivered", "mail error",
	"returned to sender", "permanent error", "unzustellbar", "nicht zugestellt",
	"non remis", "non distribu", "échec de la remise", "no se pudo entregar",
	"エラー", "不達", "配信できません", "送信できません", "退信", "未送达",
}

// looksLikeBounce reports whether the header says the message is a
// bounce: it is sentByMailSystem, or its subject names a delivery
// failure and is no reply ("Re:") to one.
func looksLikeBounce(s *headerSummary) bool {
	if sentByMailSystem(s) {
		return true
	}
	if strings.HasPrefix(strings.TrimSpace(s.subject), "re:") {
		return false
	}
	for _, w := range bounceSubjectWords {
		if strings.Contains(s.subject, w) {
			return true
		}
	}
	return false
}

// bounceProsePhrases are phrases, lower-cased, that only a bounce's prose
// uses, for the bounces whose header gives no sign, such as the notices
// of Japanese mobile carriers sent from a no-reply address.
var bounceProsePhrases = []string{
	"could not be delivered to", "couldn't be delivered", "was not delivered to",
	"delivery to the following recipient", "the following addresses had",
	"the following address(es) failed", "did not reach the following recipient",
	"unable to deliver your message", "wasn't able to deliver your message",
}

// proseLooksLikeBounce reports whether prose holds one of
// bounceProsePhrases, in a message that is no reply or forward.
func proseLooksLikeBounce(s *headerSummary, prose []byte) bool {
	subject := strings.TrimSpace(s.subject)
	if strings.HasPrefix(subject, "re:") || strings.HasPrefix(subject, "fw") {
		return false
	}
	return containsPhraseFold(bounceProsePhraseSet, prose[:min(len(prose), 4096)])
}

var bounceProsePhraseSet = newPhraseSet(bounceProsePhrases)

// sentByMailSystem reports whether the header names a mail system as the
// sender: an X-Failed-Recipients field, or a mailer-daemon, postmaster or
// "Mail Delivery" From.
func sentByMailSystem(s *headerSummary) bool {
	if s.failedRecipients != "" {
		return true
	}
	for _, w := range []string{"mailer-daemon", "mailer_daemon", "postmaster", "post_master", "mail delivery", "mail deliver", "mail-daemon", "mmdf", "mail administrator"} {
		if strings.Contains(s.from, w) {
			return true
		}
	}
	return false
}

// readPlainBounce runs the formats over a message that had no
// delivery-status part, and takes the original's header from a quoted
// copy when no MIME part returned it.
func (p *parser) readPlainBounce(h header, s *headerSummary, data []byte) {
	if p.brokenMIME {
		// The walk lost the text, as go-message does with a boundary
		// it cannot find: read the raw body instead.
		if _, body, found := bytes.Cut(data, []byte("\n\n")); found {
			p.text = firstRawPart(body[:min(len(body), maxTextBytes)])
		}
	}

	prose, quoted := splitOriginal(p.text)
	if !p.haveOriginal {
		if section := quotedOriginalHeader(quoted); section != nil {
			p.readOriginal(newRawBody(section))
		}
	}

	m := &bounceMessage{header: h, summary: s, prose: prose, complainant: p.complainant, originalTo: p.report.Original.To}
	m.plain = p.newPlainBounce(h, prose)
	m.plain.trusted = sentByMailSystem(s)
	m.plain.subject = s.subject
	bounce := looksLikeBounce(s) || proseLooksLikeBounce(s, prose)
	for _, f := range orderFormats(s) {
		if needsBounceSigns(f) && !bounce {
			continue
		}
		if rcpts := f.extract(m); len(rcpts) > 0 {
			if m.original != nil && !p.haveOriginal {
				p.report.Original, p.haveOriginal = *m.original, true
			}
			p.addRecipients(rcpts)
			p.kind, p.report.FeedbackType = m.kind, m.feedbackType
			return
		}
	}

	// A bounce that names no recipient, such as a Postfix report whose
	// delivery report is unavailable, is about the original's recipients,
	// and its prose, if any, gives the reason.
	if looksLikeBounce(s) && p.report.Original.To != "" && !isAutoReply(h) {
		p.addRecipients([]Recipient{m.plain.diagnoseBlock(m.plain.linesFrom(p.report.Original.To))})
	}
}

// linesFrom returns the prose from the first line that names the first
// address of to, or all of it when no line does. The prose names an
// address it did not take as a recipient when that address is a
// mailbox such as postmaster@, and the reason then follows it.
func (b *plainBounce) linesFrom(to string) []string {
	first, _, _ := strings.Cut(to, ", ")
	if at := b.positions([]string{first})[0]; at >= 0 {
		return b.lines[at:]
	}
	return b.lines
}

func (p *parser) newPlainBounce(h header, prose []byte) *plainBounce {
	b := &plainBounce{notRecipient: map[string]bool{}}
	b.lines = splitProse(prose)

	// A plain scan for addresses is enough here, and much cheaper than
	// parsing the fields as RFC 5322 address lists.
	for _, v := range h.Values("X-Failed-Recipients") {
		b.failed = append(b.failed, addressesIn(v)...)
	}
	b.failed = b.failed[:min(len(b.failed), MaxRecipients)]
	for _, key := range []string{"From", "To", "Reply-To", "Return-Path"} {
		for _, a := range addressesIn(h.Get(key)) {
			b.notRecipient[strings.ToLower(a)] = true
		}
	}
	if from := p.report.Original.From; from != "" {
		b.notRecipient[strings.ToLower(from)] = true
	}
	return b
}

// addRecipients adds rcpts up to MaxRecipients, and makes the original's
// first To address the recipient of one whose address the prose did not
// name.
func (p *parser) addRecipients(rcpts []Recipient) {
	for _, r := range rcpts {
		if len(p.report.Recipients) >= MaxRecipients {
			p.warnf("more than %d recipients; the rest skipped", MaxRecipients)
			return
		}
		if r.FinalRecipient == "" {
			r.FinalRecipient, _, _ = strings.Cut(p.report.Original.To, ", ")
		}
		p.report.Recipients = append(p.report.Recipients, r)
	}
}

// firstRawPart returns the body of the first MIME part with text in the
// raw body of a multipart. A part's body starts after a delimiter line
// ("--" and no spaces) and the blank line that ends its header, and ends
// at the next delimiter. Nested multiparts are walked through the same
// way, because their delimiters look alike. A body without delimiter
// lines is returned whole.
func firstRawPart(body []byte) []byte {
	start := -1
	offset := 0
	for line := range bytes.Lines(body) {
		next := offset + len(line)
		if !isDelimiterLine(line) {
			offset = next
			continue
		}

		if start >= 0 && offset >= start && len(bytes.TrimSpace(body[start:offset])) > 0 {
			return body[start:offset]
		}
		_, rest, found := bytes.Cut(body[next:], []byte("\n\n"))
		if !found {
			break
		}
		start = len(body) - len(rest)
		offset = next
	}
	if start < 0 {
		return body
	}
	return body[start:]
}

// isDelimiterLine reports whether line looks like a MIME boundary
// delimiter: it starts with "--" and holds no spaces.
func isDelimiterLine(line []byte) bool {
	trimmed := bytes.TrimSpace(line)
	return line[0] == '-' && bytes.HasPrefix(trimmed, []byte("--")) && len(trimmed) > 2 &&
		bytes.IndexAny(trimmed, " \t") < 0
}

// hotmailRecipientField is the field that Microsoft's junk mail reports
// (JMRP) add to the returned message to name the complaining recipient.
const hotmailRecipientField = "X-Hmxmroriginalrecipient"

// complaintNotice reads complaints that are no feedback report (RFC
// 5965): a notice whose subject says it is a complaint, with the message
// complained about attached, as Microsoft's older JMRP notices ("complaint
// about message from 192.0.2.1") are.
type complaintNotice struct{}

func (complaintNotice) name() string { return "complaint-notice" }

func (complaintNotice) detect(s *headerSummary) bool {
	for _, w := range []string{"complaint about message", "abuse report", "spam complaint", "spam report"} {
		if strings.Contains(s.subject, w) {
			return true
		}
	}
	return false
}

func (c complaintNotice) extract(m *bounceMessage) []Recipient {
	if !c.detect(m.summary) {
		return nil
	}

	addrs := []string{m.complainant}
	if m.complainant == "" {
		addrs = strings.Split(m.originalTo, ", ")
	}
	var rcpts []Recipient
	for _, a := range addrs {
		if a != "" {
			rcpts = append(rcpts, Recipient{FinalRecipient: a})
		}
	}
	m.kind, m.feedbackType = KindComplaint, "abuse"
	return rcpts
}

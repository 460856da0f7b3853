package dsn

import (
	"bytes"
	"strings"
)

// readNestedBounce reads the delivery report that a bounce returns in
// place of the original message, for a bounce that gives no details of
// its own. Mail filters such as Trend Micro InterScan send such a
// notice: a line of prose that names no recipient, with the real DSN
// attached as the "returned message". The nested report's recipients
// and original then stand for the outer ones. Only one level is read,
// so the work stays within twice that of one message.
func (p *parser) readNestedBounce(data []byte, s *headerSummary) {
	if p.nested || p.complaint || !p.lacksDetail(s) {
		return
	}
	returned := returnedMessage(data)
	if returned == nil || !mayBeBounce(returned) {
		return
	}

	inner := &parser{report: &Report{Kind: KindNotBounce}, opts: p.opts, nested: true}
	defer inner.release()
	found, bySystem := inner.parseNested(returned)
	if !found {
		return
	}
	p.mergeNested(inner.report, bySystem)
}

// lacksDetail reports whether the report, so far, is a bounce with no
// recipient that carries a status or reply code.
func (p *parser) lacksDetail(s *headerSummary) bool {
	if len(p.report.Recipients) == 0 {
		return looksLikeBounce(s)
	}
	for _, r := range p.report.Recipients {
		if r.SpecificStatus() != "" || r.ReplyCode != 0 {
			return false
		}
	}
	return true
}

// parseNested parses the returned message as a report of its own and
// reports whether it is a failure or delay with recipients, and whether
// its header names a mail system as the sender.
func (p *parser) parseNested(data []byte) (found, bySystem bool) {
	root, err := readRoot(data)
	if err != nil && !isSoftError(err) {
		return false, false
	}

	h := root.header
	mediaType, params, _ := h.contentType()
	p.walkRoot(root, mediaType, params, true)
	summary := summarizeHeader(h)
	if len(p.report.Recipients) == 0 {
		p.readPlainBounce(h, summary, data)
	} else {
		p.completeFromText()
	}
	p.decideKind(h, summary)

	kind := p.report.Kind
	found = (kind == KindFailure || kind == KindDelay) && len(p.report.Recipients) > 0
	return found, sentByMailSystem(summary)
}

// mergeNested takes the details of the nested report. An outer recipient
// that the nested report names gets its status, reply and diagnostic.
// When it names none of them, and the outer recipients are only the
// returned message's To that readPlainBounce assumed, they are the
// nested report's sender, so the nested recipients replace them. That
// happens only when bySystem reports that a mail system sent the nested
// report. Otherwise the returned message is an original that quotes a
// bounce, and its author could name any address there.
func (p *parser) mergeNested(inner *Report, bySystem bool) {
	matched := false
	for i := range p.report.Recipients {
		r := &p.report.Recipients[i]
		for _, in := range inner.Recipients {
			if strings.EqualFold(r.FinalRecipient, in.FinalRecipient) {
				fillFromNested(r, in)
				matched = true
			}
		}
	}
	if !matched && (!bySystem || !p.onlyOriginalTo()) {
		return
	}

	if !matched {
		p.report.Recipients = p.report.Recipients[:0]
		p.addRecipients(inner.Recipients)
	}
	if inner.Original.MessageID != "" || inner.Original.From != "" {
		// The outer returned header is the nested report's own.
		p.report.Original = inner.Original
	}
	if p.report.ReportingMTA == "" {
		p.report.ReportingMTA = inner.ReportingMTA
	}
}

// onlyOriginalTo reports whether every outer recipient is an address of
// the returned message's To field, the recipient that readPlainBounce
// assumes for a bounce that names none.
func (p *parser) onlyOriginalTo() bool {
	// A set, because a substring search of To per recipient takes time
	// proportional to MaxRecipients times a To of up to a megabyte.
	to := make(map[string]bool)
	for _, a := range strings.Split(p.report.Original.To, ", ") {
		to[strings.ToLower(a)] = true
	}
	for _, r := range p.report.Recipients {
		if r.FinalRecipient == "" || !to[strings.ToLower(r.FinalRecipient)] {
			return false
		}
	}
	return true
}

// fillFromNested copies to r what the nested report gives for the same
// recipient. The nested diagnostic replaces the outer one, which carried
// no code and so is prose of the wrapping notice.
func fillFromNested(r *Recipient, in Recipient) {
	r.Status, r.DiagnosticStatus, r.ReplyCode = in.Status, in.DiagnosticStatus, in.ReplyCode
	if in.DiagnosticCode != "" {
		r.DiagnosticCode, r.DiagnosticType = in.DiagnosticCode, in.DiagnosticType
	}
	if r.Action == "" {
		r.Action = in.Action
	}
	if r.RemoteMTA == "" {
		r.RemoteMTA = in.RemoteMTA
	}
	if r.FailedCommand == "" {
		r.FailedCommand = in.FailedCommand
	}
}

// nestedBounceSigns are lower-cased markers, one of which a returned
// message that is itself a bounce holds near its start: the media type
// or part of a DSN, a mail system's sender, or the prose of Sendmail's
// and Postfix's notices.
var nestedBounceSigns = []string{
	"multipart/report", "delivery-status", "mailer-daemon", "postmaster@",
	"the following addresses had", "transcript of session", "the mail system",
}

// mayBeBounce reports whether the first 8 KiB of a returned message hold
// one of nestedBounceSigns, so that an ordinary returned original, the
// usual case, is not parsed a second time.
func mayBeBounce(returned []byte) bool {
	return containsPhraseLower(nestedBounceSignSet, returned[:min(len(returned), 8<<10)])
}

var nestedBounceSignSet = newPhraseSet(nestedBounceSigns)

// returnedMessage returns the body of the first message/rfc822 part of
// data, found by a scan of the raw lines, or nil when there is none. The
// body runs to the end of data: the outer close delimiter after it is
// epilogue text to the nested parse.
//
// NOTE: a returned message in base64 or quoted-printable is not decoded
// here, so a nested report in one is not read.
func returnedMessage(data []byte) []byte {
	// Only a line that holds "822" can name message/rfc822, and the
	// digits are rare in text: look for them, not at every line.
	for from := 0; ; {
		i := bytes.Index(data[from:], []byte("822"))
		if i < 0 {
			return nil
		}
		start := bytes.LastIndexByte(data[:from+i], '\n') + 1
		_, offset := lineAt(data, from+i)
		if !isRFC822ContentType(data[start:offset]) {
			from = offset
			continue
		}
		if end := headerEnd(data[offset:]); end < len(data[offset:]) {
			return data[offset+end:]
		}
		return nil
	}
}

// isRFC822ContentType reports whether line is a Content-Type field of
// message/rfc822, as a MIME part header holds it.
func isRFC822ContentType(line []byte) bool {
	name, value, found := bytes.Cut(line, []byte{':'})
	if !found || !bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Type")) {
		return false
	}
	value = bytes.TrimSpace(value)
	return len(value) >= len("message/rfc822") && bytes.EqualFold(value[:len("message/rfc822")], []byte("message/rfc822"))
}

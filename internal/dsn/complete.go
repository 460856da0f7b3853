package dsn

import "strings"

// completeFromText fills in, for the recipients of a delivery-status
// report, what MTAs write only in the human-readable part: the failed
// SMTP command (Postfix writes "(in reply to RCPT TO command)" there and
// not in Diagnostic-Code) and a reply code the report left out.
func (p *parser) completeFromText() {
	var prose []string
	for i := range p.report.Recipients {
		r := &p.report.Recipients[i]
		if r.FailedCommand == "" {
			r.FailedCommand = findFailedCommand(r.DiagnosticCode)
		}
		if r.FailedCommand != "" && r.ReplyCode != 0 || p.text == nil || r.FinalRecipient == "" {
			continue
		}

		if prose == nil {
			text, _ := splitOriginal(p.text)
			prose = strings.Split(string(text), "\n")
		}
		p.completeRecipient(r, prose)
	}
}

// completeRecipient reads the paragraph of prose that names r.
func (p *parser) completeRecipient(r *Recipient, prose []string) {
	at := lineOf(prose, r.FinalRecipient)
	if at < 0 {
		return
	}

	para := joinReplyLines(firstParagraph(prose[at:]))
	if r.FailedCommand == "" {
		r.FailedCommand = findFailedCommand(para)
	}
	if r.ReplyCode == 0 {
		code, status := scanDiagnostic(para)
		if status == "" || status == r.SpecificStatus() {
			r.ReplyCode = code
		}
	}
}

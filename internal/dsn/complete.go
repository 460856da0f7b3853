package dsn

// completeFromText fills in, for the recipients of a delivery-status
// report, what MTAs write only in the human-readable part: the failed
// SMTP command (Postfix writes "(in reply to RCPT TO command)" there and
// not in Diagnostic-Code) and a reply code the report left out.
func (p *parser) completeFromText() {
	var prose *plainBounce
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
			prose = &plainBounce{lines: splitProse(text)}
		}
		completeRecipient(r, prose)
	}
}

// completeRecipient reads the paragraph of the prose that names r.
func completeRecipient(r *Recipient, prose *plainBounce) {
	at := prose.positions([]string{r.FinalRecipient})[0]
	if at < 0 {
		return
	}

	para := joinReplyLines(firstParagraph(prose.lines[at:min(at+maxBlockLines, len(prose.lines))]))
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

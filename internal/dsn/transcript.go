package dsn

import "strings"

// maxTranscriptReplies is the number of "<<<" reply lines of a transcript
// that are compared with each recipient. Each recipient is compared with
// every reply, so the cap bounds the work of a bounce that lists many
// recipients above a long transcript. A real transcript has a reply or
// two per failed recipient, well below it for MaxRecipients recipients.
const maxTranscriptReplies = 4 * MaxRecipients

// transcriptCommand returns the SMTP command whose reply failed rcpt in
// a session transcript within lines, or "" when the transcript does not
// show it. Sendmail writes the session after "Transcript of session
// follows" as ">>> COMMAND" lines, each followed by the "<<< reply" lines
// it got. Appliances such as m-FILTER write the command on the line after
// an "SMTP command" heading instead. A reply counts only when it names
// rcpt or is the reply of the diagnostic, so that in a transcript of
// several recipients each one gets the command that failed it.
func transcriptCommand(lines []string, rcpt, diagnostic string) string {
	return readTranscript(lines).command(rcpt, diagnostic)
}

// transcriptCommand is transcriptCommand of the prose, whose transcript
// is read once for all recipients.
func (b *plainBounce) transcriptCommand(rcpt, diagnostic string) string {
	if b.transcript == nil {
		b.transcript = readTranscript(b.lines)
	}
	return b.transcript.command(rcpt, diagnostic)
}

// transcript is the part of a session transcript that decides the failed
// command of any recipient: the replies up to the first "SMTP command"
// heading, and the command that the heading names.
type transcript struct {
	lines   []string
	replies []transcriptReply
	heading string // the command after the heading, or ""
}

// transcriptReply is one "<<<" line that follows a ">>>" command.
type transcriptReply struct {
	command string
	reply   string // lower-cased, without "<<< "
	at      int    // the index of the line in lines

	// afterGoAhead is set when a 354 reply came before this one after
	// the same command. DATA was accepted, so this reply is the reply to
	// the message, not to a pipelined RCPT TO.
	afterGoAhead bool

	// rcptChecked and rcpt cache, for a reply after DATA, whether it was
	// the reply to a pipelined RCPT TO (see hasLaterReply).
	rcptChecked, rcpt bool
}

func readTranscript(lines []string) *transcript {
	t := &transcript{lines: lines}
	command, goAhead := "", false
	for i, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, ">>> "):
			command, goAhead = commandAt(asciiLower(line[len(">>> "):])), false
		case strings.HasPrefix(line, "<<< ") && command != "":
			reply := transcriptReply{command: command, reply: asciiLower(line[len("<<< "):]), at: i, afterGoAhead: goAhead}
			if len(t.replies) < maxTranscriptReplies {
				t.replies = append(t.replies, reply)
			}
			goAhead = goAhead || strings.HasPrefix(reply.reply, "354")
		case isCommandHeading(line) && i+1 < len(lines):
			t.heading = commandAt(asciiLower(strings.TrimSpace(lines[i+1])))
			return t
		}
	}
	return t
}

// command returns the command of the first reply for rcpt or diagnostic,
// else the command that a heading names.
func (t *transcript) command(rcpt, diagnostic string) string {
	rcpt, diagnostic = asciiLower(rcpt), asciiLower(diagnostic)
	for i := range t.replies {
		r := &t.replies[i]
		if !isReplyFor(r.reply, rcpt, diagnostic) {
			continue
		}
		if r.command == "DATA" && !r.afterGoAhead && t.answersRCPT(r) {
			return "RCPT"
		}
		return r.command
	}
	return t.heading
}

// answersRCPT reports whether r, a reply after DATA, was the reply to a
// pipelined RCPT TO. The result is cached because each recipient that
// the reply names asks again, and the lines up to the next reply may be
// most of the prose.
func (t *transcript) answersRCPT(r *transcriptReply) bool {
	if !r.rcptChecked {
		r.rcptChecked, r.rcpt = true, hasLaterReply(t.lines[r.at:])
	}
	return r.rcpt
}

// hasLaterReply reports whether, after the reply whose first line is
// lines[0], another "<<<" reply follows before the next ">>>" command.
// With PIPELINING (RFC 2920) Sendmail writes RCPT TO and DATA together
// and logs only ">>> DATA". The replies come back in command order, so a
// reply with another after it is the reply to a RCPT TO, and only the
// last one is the reply to DATA. The continuation lines of a multi-line reply ("550-")
// belong to the same reply.
func hasLaterReply(lines []string) bool {
	inReply := true
	for _, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, ">>> "):
			return false
		case !strings.HasPrefix(line, "<<< "):
			continue
		case !inReply:
			return true
		}
		inReply = isContinuationLine(line[len("<<< "):])
	}
	return false
}

// isContinuationLine reports whether reply is a line of a multi-line SMTP
// reply other than the last: three digits and a hyphen (RFC 5321 section
// 4.2.1).
func isContinuationLine(reply string) bool {
	return len(reply) > 3 && reply[3] == '-' && isDigit(reply[0]) && isDigit(reply[1]) && isDigit(reply[2])
}

// isReplyFor reports whether the lower-cased transcript reply names rcpt
// or is part of diagnostic.
func isReplyFor(reply, rcpt, diagnostic string) bool {
	if rcpt != "" && strings.Contains(reply, rcpt) {
		return true
	}
	return len(reply) > len("550 ") && strings.Contains(diagnostic, reply)
}

// isCommandHeading reports whether line is a heading such as
// "-------SMTP command" that the failed command follows.
func isCommandHeading(line string) bool {
	line = strings.TrimSpace(trimSet(line, headingMarks))
	return strings.EqualFold(line, "smtp command")
}

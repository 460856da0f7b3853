package dsn

import "strings"

// transcriptCommand returns the SMTP command whose reply failed rcpt in
// a session transcript within lines, or "" when the transcript does not
// show it. Sendmail writes the session after "Transcript of session
// follows" as ">>> COMMAND" lines, each followed by the "<<< reply" lines
// it got. Appliances such as m-FILTER write the command on the line after
// an "SMTP command" heading instead. A reply counts only when it names
// rcpt or is the reply of the diagnostic, so that in a transcript of
// several recipients each one gets the command that failed it.
func transcriptCommand(lines []string, rcpt, diagnostic string) string {
	rcpt, diagnostic = asciiLower(rcpt), asciiLower(diagnostic)
	command := ""
	for i, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, ">>> "):
			command = commandAt(asciiLower(line[len(">>> "):]))
		case strings.HasPrefix(line, "<<< ") && command != "":
			if !isReplyFor(asciiLower(line[len("<<< "):]), rcpt, diagnostic) {
				continue
			}
			if command == "DATA" && hasLaterReply(lines[i:]) {
				return "RCPT"
			}
			return command
		case isCommandHeading(line) && i+1 < len(lines):
			return commandAt(asciiLower(strings.TrimSpace(lines[i+1])))
		}
	}
	return ""
}

// hasLaterReply reports whether, after the reply whose first line is
// lines[0], another "<<<" reply follows before the next ">>>" command.
// With PIPELINING (RFC 2920) Sendmail writes RCPT TO and DATA together
// and logs only ">>> DATA"; the replies come back in command order, so a
// reply with another after it answered a RCPT TO, and only the last one
// answered DATA. The continuation lines of a multi-line reply ("550-")
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
	line = strings.TrimSpace(strings.Trim(line, "-=:* "))
	return strings.EqualFold(line, "smtp command")
}

package dsn

import "strings"

// quotedLastReply returns the reply code and enhanced status code of the
// remote server's last reply, quoted in angle brackets at the end of the
// reporting MTA's own summary. Amazon SES and WorkMail write such a
// summary when a message expires:
//
//	554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>
//
// The summary's 554 and 4.4.7 only state that the retries ran out. The
// quoted reply is the receiving server's, which a sender needs to act on.
func quotedLastReply(diagnostic string) (replyCode int, status string, ok bool) {
	text := strings.TrimSpace(diagnostic)
	if !strings.HasSuffix(text, ">") {
		return 0, "", false
	}
	open := strings.LastIndexByte(text, '<')
	if open <= 0 {
		return 0, "", false
	}
	quoted := text[open+1 : len(text)-1]
	if len(quoted) < 4 || !isReplyCodeStart(quoted, 0) || quoted[3] != ' ' {
		return 0, "", false
	}

	code, status := scanDiagnostic(quoted)
	if code == 0 || status == "" || !strings.HasPrefix(quoted[4:], status) {
		return 0, "", false
	}
	return code, status, true
}

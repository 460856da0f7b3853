package classify

import "strings"

// commands are the values of a rule's command condition.
var commands = []string{"CONNECT", "HELO", "MAIL", "RCPT", "DATA"}

// normalizeCommand reduces a failed SMTP command as reports give it ("RCPT
// TO:<a@b>", "end of DATA", "ehlo", "BDAT", "greeting") to one of
// commands, or "" when it is none of them.
func normalizeCommand(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	switch {
	case strings.HasPrefix(s, "CONNECT"), strings.HasPrefix(s, "GREETING"), strings.HasPrefix(s, "BANNER"):
		return "CONNECT"
	case strings.HasPrefix(s, "HELO"), strings.HasPrefix(s, "EHLO"), strings.HasPrefix(s, "LHLO"):
		return "HELO"
	case strings.HasPrefix(s, "MAIL"):
		return "MAIL"
	case strings.HasPrefix(s, "RCPT"):
		return "RCPT"
	case strings.HasPrefix(s, "DATA"), strings.HasPrefix(s, "BDAT"), strings.Contains(s, "END OF DATA"),
		strings.Contains(s, "END-OF-DATA"), strings.HasPrefix(s, "."):
		return "DATA"
	}
	return ""
}

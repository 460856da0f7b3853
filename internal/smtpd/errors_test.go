package smtpd

import "testing"

// badCommands are command lines that go-smtp rejects itself, with the
// start of its reply: an unknown command, a malformed line and an empty
// line.
var badCommands = []struct{ line, reply string }{
	{"XXXX", "500 5.5.2 "},
	{"BOGUS", "501 5.5.2 "},
	{"", "500 5.5.2 "},
}

// go-smtp v0.26.0 counts the command lines it rejects itself (errThreshold
// in conn.go) and closes the session at the fourth, whatever MaxErrors is.
// deploy/bounced.example.yml documents this limit.
func TestSession_GoSMTPClosesAtFourthBadCommand(t *testing.T) {
	addr, _ := testServer(t, Config{})
	s := openSession(t, addr)
	s.send("EHLO mta.test")
	s.expect("250 ")
	for _, c := range badCommands {
		s.send(c.line)
		s.expect(c.reply)
	}
	s.send("XXXX")
	s.expect("500 5.5.2 ")
	if got, want := s.reply(), "500 5.5.1 Too many errors. Quiting now"; got != want {
		t.Errorf("reply after the fourth bad command = %q, want %q", got, want)
	}
	s.expectClosed()
}

// MaxErrors counts rejected recipients only, and go-smtp's own count does
// not include them, so neither limit brings the other forward.
func TestSession_MaxErrorsCountsRejectedRecipients(t *testing.T) {
	addr, _ := testServer(t, Config{Domains: []string{"bounces.example.org"}, MaxErrors: 3})
	s := openSession(t, addr)
	s.send("EHLO mta.test")
	s.expect("250 ")
	for _, c := range badCommands {
		s.send(c.line)
		s.expect(c.reply)
	}
	s.send("MAIL FROM:<>")
	s.expect("250 ")
	for range 2 {
		s.send("RCPT TO:<victim@example.com>")
		s.expect("550 5.1.2 ")
	}
	s.send("RCPT TO:<victim@example.com>")
	s.expect("421 4.7.0 ")
	s.expectClosed()
}

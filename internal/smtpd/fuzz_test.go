package smtpd

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"testing"
	"time"
)

// sessionStates are the command prefixes that bring a session to each
// state before the fuzzed input: connected, greeted, with a sender, with
// a recipient, and inside DATA.
var sessionStates = []string{
	"",
	"EHLO mta.test\r\n",
	"EHLO mta.test\r\nMAIL FROM:<>\r\n",
	"EHLO mta.test\r\nMAIL FROM:<>\r\nRCPT TO:<b@bounces.example.org>\r\n",
	"EHLO mta.test\r\nMAIL FROM:<>\r\nRCPT TO:<b@bounces.example.org>\r\nDATA\r\n",
}

// replyLine is a well-formed reply line: three digits, then a space or a
// hyphen.
var replyLine = regexp.MustCompile(`^[2-5][0-9][0-9][ -]`)

// FuzzSession sends fuzzed bytes in each session state and checks that
// the server neither panics (go-smtp turns a panic into 421 Internal
// server error) nor writes a malformed reply.
func FuzzSession(f *testing.F) {
	seeds := []string{
		"NOOP\r\n",
		"RCPT TO:<b@bounces.example.org> NOTIFY=FAILURE ORCPT=rfc822;a+2Bb@example.com\r\n",
		"MAIL FROM:<> SIZE=99999999999 BODY=8BITMIME\r\n",
		"BDAT 5\r\nabcdeBDAT 0 LAST\r\n",
		"Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n",
		"STARTTLS\r\nAUTH PLAIN AGE=\r\n",
		"RCPT TO:<+=@>\r\nRCPT TO:<bounces=aaaaaaaa+a=b@x>\r\n",
		"\x00\r\n\n.\n\r\n.\r\n",
	}
	for state := range sessionStates {
		for _, seed := range seeds {
			f.Add(uint8(state), []byte(seed))
		}
	}

	addr, _ := testServer(f, Config{
		CommandTimeout: time.Second,
		DataTimeout:    time.Second,
		KeepBytes:      4096,
		VERPKeys:       testKeys,
	})
	f.Fuzz(func(t *testing.T, state uint8, input []byte) {
		prefix := sessionStates[int(state)%len(sessionStates)]
		out := exchange(t, addr, append([]byte(prefix), input...))

		if !bytes.HasPrefix(out, []byte("220 ")) {
			t.Fatalf("no greeting before %q: %q", input, out)
		}
		if bytes.Contains(out, []byte("Internal server error")) {
			t.Fatalf("server panicked on %q:\n%s", input, out)
		}
		for _, line := range bytes.SplitAfter(out, []byte("\r\n")) {
			if len(line) > 0 && !replyLine.Match(line) {
				t.Fatalf("malformed reply line %q to %q", line, input)
			}
		}
	})
}

// exchange writes input on a new connection, closes its write side, and
// returns all the server wrote.
func exchange(t *testing.T, addr string, input []byte) []byte {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))

	go func() {
		conn.Write(input)
		conn.(*net.TCPConn).CloseWrite()
	}()
	out, _ := io.ReadAll(conn)
	return out
}

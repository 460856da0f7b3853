package smtpd

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hostileCase is one abusive session against a server with cfg. run drives
// it and checks the replies; afterwards the test checks that the server
// still stores a message in a new session.
type hostileCase struct {
	name string
	cfg  Config
	run  func(t testing.TB, addr string)
}

var hostileCases = []hostileCase{
	{
		name: "command line past MaxLineLength",
		cfg:  Config{MaxLineLength: 1000},
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.send("EHLO " + strings.Repeat("x", 2000))
			s.expect("500 5.4.0 ")
			s.expectClosed()
		},
	},
	{
		name: "message line past MaxLineLength",
		cfg:  Config{MaxLineLength: 1000},
		run: func(t testing.TB, addr string) {
			body := "Subject: long\r\n\r\n" + strings.Repeat("x", 2000) + "\r\n"
			sendMessage(t, addr, strings.NewReader(body), "554 5.6.0 ")
		},
	},
	{
		name: "bare LF ends commands, not DATA",
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.write("EHLO mta.test\nMAIL FROM:<>\nRCPT TO:<b@bounces.example.org>\nDATA\n")
			s.expect("250 ")
			s.expect("250 ")
			s.expect("250 ")
			s.expect("354 ")
			// "\n.\n" must not end the data (SMTP smuggling); only
			// CRLF.CRLF does, so exactly one message is stored.
			s.write("Subject: x\n\nbody\n.\nMAIL FROM:<>\nRCPT TO:<c@bounces.example.org>\nDATA\n\r\n.\r\n")
			s.expect("250 2.0.0 Stored as ")
			// Had the data ended early, this would be the reply to the
			// smuggled MAIL FROM.
			s.send("NOOP")
			s.expect("250 2.0.0 I have successfully done nothing")
		},
	},
	{
		name: "NUL bytes in commands and data",
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.send("EHLO mta\x00.test")
			s.expect("250 ")
			s.send("MAIL FROM:<\x00>")
			s.expect("501 ")
			s.send("MAIL FROM:<>")
			s.expect("250 ")
			s.send("RCPT TO:<b@bounces.example.org>")
			s.expect("250 ")
			s.send("DATA")
			s.expect("354 ")
			s.write("Subject: \x00\x00\r\n\r\n\x00body\x00\r\n.\r\n")
			s.expect("250 2.0.0 Stored as ")
		},
	},
	{
		name: "pipelined NOOP flood",
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			const n = 5000
			go s.write("EHLO mta.test\r\n" + strings.Repeat("NOOP\r\n", n))
			s.expect("250 ")
			for range n {
				s.expect("250 2.0.0 ")
			}
		},
	},
	{
		name: "recipients past MaxRecipients",
		cfg:  Config{MaxRecipients: 3},
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.write("EHLO mta.test\r\nMAIL FROM:<>\r\n" + strings.Repeat("RCPT TO:<b@bounces.example.org>\r\n", 5))
			s.expect("250 ")
			s.expect("250 ")
			for range 3 {
				s.expect("250 ")
			}
			s.expect("452 4.5.3 ")
			s.expect("452 4.5.3 ")
		},
	},
	{
		name: "commands out of order",
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.send("MAIL FROM:<>")
			s.expect("502 5.5.1 ")
			s.send("EHLO mta.test")
			s.expect("250 ")
			s.send("RCPT TO:<b@bounces.example.org>")
			s.expect("502 5.5.1 ")
			s.send("DATA")
			s.expect("502 5.5.1 ")
			s.send("MAIL FROM:<>")
			s.expect("250 ")
			s.send("DATA")
			s.expect("502 5.5.1 ")
			s.send("BDAT 10 LAST")
			s.write("0123456789")
			s.expect("502 5.5.1 ")
			s.send("NOOP")
			s.expect("250 ")
		},
	},
	{
		// go-smtp v0.26.0 counts the command lines it rejects itself
		// (errThreshold in conn.go) and closes the session at the fourth,
		// whatever MaxErrors is. deploy/bounced.example.yml documents it.
		name: "bad command lines past go-smtp's limit",
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.send("EHLO mta.test")
			s.expect("250 ")
			s.sendBadCommands()
			s.send("XXXX")
			s.expect("500 5.5.2 ")
			if got, want := s.reply(), "500 5.5.1 Too many errors. Quiting now"; got != want {
				t.Errorf("reply after the fourth bad command = %q, want %q", got, want)
			}
			s.expectClosed()
		},
	},
	{
		name: "rejected recipients past MaxErrors",
		cfg:  Config{Domains: []string{"bounces.example.org"}, MaxErrors: 3},
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.send("EHLO mta.test")
			s.expect("250 ")
			// MaxErrors counts rejected recipients only, and go-smtp's own
			// count of bad command lines does not include them, so neither
			// limit brings the other forward.
			s.sendBadCommands()
			s.send("MAIL FROM:<>")
			s.expect("250 ")
			for range 2 {
				s.send("RCPT TO:<victim@example.com>")
				s.expect("550 5.1.2 ")
			}
			s.send("RCPT TO:<victim@example.com>")
			s.expect("421 4.7.0 ")
			s.expectClosed()
		},
	},
	{
		name: "idle client hits CommandTimeout",
		cfg:  Config{CommandTimeout: 200 * time.Millisecond},
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.expect("421 4.4.2 ")
			s.expectClosed()
		},
	},
	{
		name: "stalled DATA hits DataTimeout",
		cfg:  Config{DataTimeout: 300 * time.Millisecond},
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			s.startData()
			s.write("Subject: slow\r\n")
			s.expect("451 4.3.0 ")
		},
	},
	{
		name: "busy client hits SessionTimeout",
		cfg:  Config{SessionTimeout: 500 * time.Millisecond},
		run: func(t testing.TB, addr string) {
			s := openSession(t, addr)
			for range 100 {
				time.Sleep(50 * time.Millisecond)
				s.send("NOOP")
				if reply := s.reply(); strings.HasPrefix(reply, "421 4.4.2 ") {
					return
				} else if !strings.HasPrefix(reply, "250 ") {
					t.Fatalf("NOOP = %q, want 250 until 421 4.4.2", reply)
				}
			}
			t.Fatal("session outlived SessionTimeout by 10 times")
		},
	},
	{
		name: "connections past MaxConnectionsPerIP",
		cfg:  Config{MaxConnectionsPerIP: 2},
		run:  func(t testing.TB, addr string) { connectionsPastLimit(t, addr, 2) },
	},
	{
		name: "connections past MaxConnections",
		cfg:  Config{MaxConnections: 3},
		run:  func(t testing.TB, addr string) { connectionsPastLimit(t, addr, 3) },
	},
	{
		name: "50 MiB bounce",
		run: func(t testing.TB, addr string) {
			body := repeatLines("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\r\n", 50<<20)
			sendMessage(t, addr, io.MultiReader(strings.NewReader(bounceHead), body), "250 2.0.0 Stored as ")
		},
	},
	{
		name: "MIME tree 10,000 levels deep",
		run: func(t testing.TB, addr string) {
			sendMessage(t, addr, strings.NewReader(deepMIME(10000)), "250 2.0.0 Stored as ")
		},
	},
	{
		name: "base64 part past the kept bytes",
		run: func(t testing.TB, addr string) {
			// The part is cut at KeepBytes, so the parser reads no more
			// than that of it, however large it would decode.
			head := bounceHead + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
			body := repeatLines("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", 60<<20)
			sendMessage(t, addr, io.MultiReader(strings.NewReader(head), body), "250 2.0.0 Stored as ")
		},
	},
}

// sendBadCommands sends three command lines that go-smtp rejects itself,
// an unknown command, a malformed line and an empty line, and checks the
// reply to each.
func (s *rawSession) sendBadCommands() {
	s.t.Helper()
	for _, c := range []struct{ line, reply string }{
		{"XXXX", "500 5.5.2 "},
		{"BOGUS", "501 5.5.2 "},
		{"", "500 5.5.2 "},
	} {
		s.send(c.line)
		s.expect(c.reply)
	}
}

func TestHostileSessions(t *testing.T) {
	for _, tc := range hostileCases {
		t.Run(tc.name, func(t *testing.T) {
			addr, _ := testServer(t, tc.cfg)
			tc.run(t, addr)

			replies := dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>", "RCPT TO:<b@bounces.example.org>", "DATA", minimalBounce)
			if got := replies[5]; !strings.HasPrefix(got, "250 2.0.0 Stored as ") {
				t.Errorf("message after the hostile session = %q, want 250 Stored as", got)
			}
		})
	}
}

// BenchmarkHostileSessions runs every hostile case once per iteration and
// reports the peak heap in use, sampled every millisecond, as
// peak-heap-MiB.
func BenchmarkHostileSessions(b *testing.B) {
	for _, tc := range hostileCases {
		b.Run(tc.name, func(b *testing.B) {
			addr, _ := testServer(b, tc.cfg)
			stop := sampleHeap(b)
			for b.Loop() {
				tc.run(b, addr)
			}
			stop()
		})
	}
}

// sampleHeap samples HeapInuse until the returned function is called,
// which reports the peak.
func sampleHeap(b *testing.B) func() {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	}
}

// connectionsPastLimit opens limit sessions, checks that one more gets
// 421 4.7.0, then closes them and waits until the server admits a
// connection again.
func connectionsPastLimit(t testing.TB, addr string, limit int) {
	t.Helper()
	var open []*rawSession
	for range limit {
		open = append(open, openSession(t, addr))
	}
	s := openSession(t, addr)
	if !strings.HasPrefix(s.greeting, "421 4.7.0 ") {
		t.Errorf("connection past the limit of %d greeted %q, want 421 4.7.0", limit, s.greeting)
	}
	s.expectClosed()

	for _, s := range open {
		s.conn.Close()
	}
	// The server frees a slot a moment after the close reaches it, so
	// retry. A retry still over the limit may be closed with no reply at
	// all while many rejections are being written at once.
	for range 100 {
		if greeting(addr) == "220" {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("server admits no connection after the others closed")
}

// greeting returns the reply code of the server's greeting, or "" when
// the connection fails or closes first.
func greeting(addr string) string {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return ""
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || len(line) < 3 {
		return ""
	}
	return line[:3]
}

// bounceHead starts a multipart report whose boundary is b.
const bounceHead = "From: MAILER-DAEMON@example.net\r\nTo: b@bounces.example.org\r\nSubject: Undelivered\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
	"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
	"Final-Recipient: rfc822; alice@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"

// deepMIME returns a message of depth nested multipart parts.
func deepMIME(depth int) string {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@example.net\r\nSubject: deep\r\nMIME-Version: 1.0\r\n")
	for i := range depth {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	b.WriteString("Content-Type: text/plain\r\n\r\nleaf\r\n")
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.String()
}

// repeatLines returns a reader of line repeated to about size bytes,
// generated as it is read.
func repeatLines(line string, size int64) io.Reader {
	return io.LimitReader(&repeater{line: line}, size-size%int64(len(line)))
}

type repeater struct {
	line string
	off  int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.line[r.off:])
		n += c
		r.off = (r.off + c) % len(r.line)
	}
	return n, nil
}

// sendMessage sends body, which must end in CRLF, as the data of one
// message and checks the reply.
func sendMessage(t testing.TB, addr string, body io.Reader, want string) {
	t.Helper()
	s := openSession(t, addr)
	s.startData()
	if _, err := io.Copy(s.conn, io.MultiReader(body, strings.NewReader(".\r\n"))); err != nil {
		t.Fatalf("sending message: %v", err)
	}
	s.expect(want)
}

// rawSession is a client that writes raw bytes and reads replies.
type rawSession struct {
	t        testing.TB
	conn     net.Conn
	r        *bufio.Reader
	greeting string
}

func openSession(t testing.TB, addr string) *rawSession {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	s := &rawSession{t: t, conn: conn, r: bufio.NewReader(conn)}
	s.greeting = s.reply()
	return s
}

func (s *rawSession) write(data string) {
	if _, err := io.WriteString(s.conn, data); err != nil {
		s.t.Errorf("writing %.40q: %v", data, err)
	}
}

func (s *rawSession) send(line string) {
	s.write(line + "\r\n")
}

// reply returns the last line of the next reply, or "" at the end of the
// connection.
func (s *rawSession) reply() string {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return ""
		}
		if len(line) < 4 || line[3] != '-' {
			return strings.TrimRight(line, "\r\n")
		}
	}
}

func (s *rawSession) expect(prefix string) {
	s.t.Helper()
	if got := s.reply(); !strings.HasPrefix(got, prefix) {
		s.t.Fatalf("reply = %q, want prefix %q", got, prefix)
	}
}

// startData pipelines EHLO, MAIL, RCPT and DATA and checks their replies.
func (s *rawSession) startData() {
	s.t.Helper()
	s.write("EHLO mta.test\r\nMAIL FROM:<>\r\nRCPT TO:<b@bounces.example.org>\r\nDATA\r\n")
	s.expect("250 ")
	s.expect("250 ")
	s.expect("250 ")
	s.expect("354 ")
}

// expectClosed checks that the server closes the connection without
// another reply.
func (s *rawSession) expectClosed() {
	s.t.Helper()
	if line, err := s.r.ReadString('\n'); err == nil {
		s.t.Errorf("got %q, want the connection closed", line)
	}
}

package smtpd

// maxPendingReply bounds the bytes of a multiline reply held back before
// its last line. go-smtp's longest reply, to EHLO, is a few hundred bytes.
const maxPendingReply = 4 << 10

// Write sends b, except for a line of a multiline reply that is not its
// last, which it holds until the last line comes. go-smtp writes and
// flushes every reply line on its own, so the eight lines of an EHLO reply
// would take eight system calls and wake the peer eight times.
//
// A write after STARTTLS carries TLS records, which never start with a
// reply code, so it goes out at once.
func (c *conn) Write(b []byte) (int, error) {
	if isContinuationLine(b) && len(c.pending)+len(b) <= maxPendingReply {
		c.pending = append(c.pending, b...)
		return len(b), nil
	}
	if len(c.pending) == 0 {
		return c.Conn.Write(b)
	}

	out := append(c.pending, b...)
	c.pending = c.pending[:0]
	n, err := c.Conn.Write(out)
	if err != nil {
		// The held lines were reported written already; count only
		// what went out of b.
		return max(0, n-(len(out)-len(b))), err
	}
	return len(b), nil
}

// isContinuationLine reports whether b is one whole reply line that another
// follows: three digits, a hyphen (RFC 5321, section 4.2.1), then text
// ending in CRLF with no other line break.
func isContinuationLine(b []byte) bool {
	if len(b) < 6 || b[3] != '-' || b[len(b)-2] != '\r' || b[len(b)-1] != '\n' {
		return false
	}
	for _, d := range b[:3] {
		if d < '0' || d > '9' {
			return false
		}
	}
	for _, ch := range b[4 : len(b)-2] {
		if ch == '\n' {
			return false
		}
	}
	return true
}

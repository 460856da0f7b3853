package dsn

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"
)

// maxQPLine is the longest line, LF included, that decodeQuotedPrintable
// decodes. mime/quotedprintable reads lines through a 4096-byte
// bufio.Reader and fails on longer ones, so those are left to it.
const maxQPLine = 4095

// The line ends that decodeQuotedPrintable writes back.
var (
	crlf = []byte("\r\n")
	lf   = []byte("\n")
)

// decodeTextFast returns the decoded body of a planned text part, cut to
// maxTextBytes, for the common encodings: none, or quoted-printable, in
// UTF-8 or US-ASCII. The result is what readText would read from the
// entity that message.New returns. ok is false for any other part, and
// for one whose decoding would warn, so that go-message decodes it and
// words the warning.
func (p *parser) decodeTextFast(part plannedPart) (data []byte, ok bool) {
	charset, hasCharset := part.params.charset, part.params.hasCharset
	charset = strings.ToLower(charset)
	if hasCharset && charset != "utf-8" && charset != "us-ascii" {
		return nil, false
	}

	switch {
	case isIdentityEncoding(part.header):
		data = part.body[:min(len(part.body), maxTextBytes):min(len(part.body), maxTextBytes)]
	case strings.EqualFold(part.header.Get("Content-Transfer-Encoding"), "quoted-printable"):
		bp := bufferPool.Get().(*[]byte)
		p.buffers = append(p.buffers, bp)
		data, ok = decodeQuotedPrintable((*bp)[:0], part.body, maxTextBytes)
		*bp = data
		if !ok {
			return nil, false
		}
	default:
		return nil, false
	}

	// The charset decoders of golang.org/x/text pass valid text through
	// unchanged and replace the rest.
	switch {
	case charset == "utf-8" && !utf8.Valid(data), charset == "us-ascii" && !isASCII(data):
		return nil, false
	case data == nil:
		data = []byte{} // readText tells a read empty part from none by nil
	}
	return data, true
}

// decodeQuotedPrintable appends the quoted-printable src, decoded, to
// dst, up to limit bytes in all, as mime/quotedprintable.Reader of Go
// 1.26 decodes it: a "=" not followed by two hex digits is a literal
// "=", trailing blanks are dropped, and "=" ends a soft line break. ok
// is false where that reader would return an error before limit bytes,
// or might (a line longer than maxQPLine).
func decodeQuotedPrintable(dst, src []byte, limit int) ([]byte, bool) {
	for len(src) > 0 && len(dst) < limit {
		line, rest := src, []byte(nil)
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, rest = src[:i+1], src[i+1:]
		}
		if len(line) > maxQPLine {
			return dst, false
		}
		src = rest

		text, lineEnd, ok := splitQPLine(line)
		if !ok {
			return dst, false
		}
		if dst, ok = decodeQPText(dst, text, limit); !ok {
			return dst, false
		}
		for i := 0; i < len(lineEnd) && len(dst) < limit; i++ {
			dst = append(dst, lineEnd[i])
		}
	}
	return dst, true
}

// splitQPLine returns the encoded text of line, trailing blanks removed,
// and the line end to write after it: none after a soft line break or on
// a last line without LF. ok is false for a "=" followed by other bytes
// than blanks and the line end.
func splitQPLine(line []byte) (text, lineEnd []byte, ok bool) {
	text = trimRightSet(line, blanksAndEOL)
	if bytes.HasSuffix(text, []byte("=")) {
		after := trimLeftSet(line[len(text):], blanks)
		text = text[:len(text)-1]
		lastLine := !bytes.HasSuffix(line, []byte("\n"))
		ok = bytes.HasPrefix(after, []byte("\n")) || bytes.HasPrefix(after, []byte("\r\n")) ||
			len(after) == 0 && len(text) > 0 && lastLine
		return text, nil, ok
	}

	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		lineEnd = crlf
	case bytes.HasSuffix(line, lf):
		lineEnd = lf
	}
	return text, lineEnd, true
}

// decodeQPText appends the decoded text of one line to dst. A "=" that
// ends the text, which only a soft line break after "==" leaves, is an
// error to mime/quotedprintable.
func decodeQPText(dst, text []byte, limit int) ([]byte, bool) {
	for i := 0; i < len(text) && len(dst) < limit; i++ {
		// Copy the run of bytes that stand for themselves at once.
		run := i + literalRun(text[i:])
		if run > i {
			n := min(run-i, limit-len(dst))
			dst = append(dst, text[i:i+n]...)
			i += n - 1
			continue
		}

		b := text[i]
		switch {
		case b == '=':
			if i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]) {
				b = unhex(text[i+1])<<4 | unhex(text[i+2])
				i += 2
			} else if i+1 == len(text) || text[i+1] == '\r' || text[i+1] == '\n' {
				return dst, false
			}
		case b < ' ' || b > '~':
			return dst, false
		}
		dst = append(dst, b)
	}
	return dst, true
}

// literalRun returns the length of the run of bytes at the start of text
// for which isLiteralQP is true. It tests eight bytes at a time for the
// bytes that may end the run, because a long HTML part spends most of
// its decoding here, and finishes byte by byte.
func literalRun(text []byte) int {
	i := 0
	for ; i+8 <= len(text); i += 8 {
		if mayEndLiteralRun(binary.LittleEndian.Uint64(text[i:])) {
			break
		}
	}
	for i < len(text) && isLiteralQP(text[i]) {
		i++
	}
	return i
}

// mayEndLiteralRun reports whether one of the eight bytes of x may be
// no literal: a byte below 0x20, DEL or "=". It never misses one. A
// borrow between bytes can make it report one that is not there, which
// only sends the caller to the byte-wise test.
func mayEndLiteralRun(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	below := (x - 0x20*ones) &^ x
	del := x ^ 0x7f*ones
	eq := x ^ '='*ones
	return (below|(del-ones)&^del|(eq-ones)&^eq)&highs != 0
}

// isLiteralQP reports whether the byte c of quoted-printable text
// decodes to itself: it is no "=", and a printable ASCII character, a
// tab, a line end or a byte above ASCII.
func isLiteralQP(c byte) bool {
	return literalQP.has(c)
}

var literalQP = func() *byteSet {
	var s byteSet
	for c := range 256 {
		if c != '=' && (' ' <= c && c <= '~' || c == '\t' || c == '\r' || c == '\n' || c >= 0x80) {
			s[c] = true
		}
	}
	return &s
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' || 'a' <= c && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

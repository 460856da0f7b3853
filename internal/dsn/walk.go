package dsn

import (
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// maxDelimiterLine is the length, LF included, past which a line that
// go-message's multipart reader reads whole (preamble, delimiter) is left
// to go-message: its 4 KiB buffer fails on longer ones.
const maxDelimiterLine = 4000

// plannedPart is one entity below the top level that walkFast found: the
// fields of its header that isEntityField selects, and its raw body,
// before any transfer decoding.
type plannedPart struct {
	header    header
	body      []byte
	mediaType string // as message.Header.ContentType returns it
	params    mediaParams

	// truncated is set on the last part of a multipart that ends
	// without a close delimiter (see truncatedPart).
	truncated bool
}

// walkFast visits the parts of a well-formed multipart message as walk
// does, finding them by scanning body, the raw bytes after the top
// header, instead of through go-message's multipart reader. It reports
// false, having changed nothing, when the message is not multipart or
// its structure is anything but plain. That covers a missing or odd
// boundary, a part header that readHeaderFast declines, a missing close
// delimiter other than after a last top-level part that needs no
// decoding (see truncatedPart), and the depth or part limits. The
// caller then walks the message with go-message, which words its
// warnings as before.
func (p *parser) walkFast(mediaType string, params mediaParams, body []byte) bool {
	if !strings.HasPrefix(mediaType, "multipart/") {
		return false
	}

	plan := make([]plannedPart, 0, 8) // most reports have a few parts
	if !planMultipart(body, params.boundary, 0, &plan) || len(plan)+1 >= MaxParts {
		return false
	}

	p.parts++
	for _, part := range plan {
		if part.truncated {
			p.readTruncatedPart(part)
			break
		}
		p.readPlannedPart(part)
	}
	return true
}

// readTruncatedPart visits the last part of a multipart cut off before
// its close delimiter, as walk does. go-message reads the part's body to
// the end of the input and fails with io.ErrUnexpectedEOF, and its next
// call for a part fails with "multipart: NextPart: EOF".
func (p *parser) readTruncatedPart(part plannedPart) {
	p.parts++
	p.readPart(part.mediaType, &truncatedBody{bytes.NewReader(part.body)})
	p.warnf("read MIME part %d: multipart: NextPart: EOF", p.parts)
	p.brokenMIME = true
}

// truncatedBody reads a body and then fails with io.ErrUnexpectedEOF, as
// the body of a part cut off before its delimiter does.
type truncatedBody struct {
	r *bytes.Reader
}

func (b *truncatedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// readPlannedPart visits one part that walkFast found, as walk visits
// the entity that message.New makes of it.
func (p *parser) readPlannedPart(part plannedPart) {
	if p.wantsText(part.mediaType) {
		if data, ok := p.decodeTextFast(part); ok {
			p.parts++
			p.keepText(part.mediaType, data)
			return
		}
	}

	partBody, err := decodedBody(part)
	p.warn(err)
	p.parts++

	if !strings.HasPrefix(part.mediaType, "multipart/") {
		p.readPart(part.mediaType, partBody)
	}
}

// planMultipart appends the parts of a multipart body, nested ones
// included, to plan in the order walk visits them. It follows the rules
// of go-message v0.18's multipart reader for LF line endings. A part
// starts after a delimiter line: "--", the boundary and optional blanks.
// Its body ends before the LF that precedes the next "--" and boundary
// followed by a blank, a hyphen, a line end or the end of the input.
func planMultipart(body []byte, boundary string, depth int, plan *[]plannedPart) bool {
	if depth >= MaxDepth || !isPlainBoundary(boundary) {
		return false
	}
	delim := newDelimiterSearch(boundary)
	dash := delim.nlDash[1:]

	pos, ok := skipPreamble(body, dash)
	for ok {
		if len(*plan) >= MaxParts {
			return false
		}
		var part plannedPart
		start := pos
		part, pos, ok = nextPlannedPart(body, pos, dash, delim)
		if !ok && depth == 0 {
			part, ok = truncatedPart(body, start, dash)
			*plan = append(*plan, part)
			return ok
		}
		if !ok {
			return false
		}
		mediaType, params, err := part.header.contentType()
		part.mediaType, part.params = mediaType, params
		*plan = append(*plan, part)
		if strings.HasPrefix(mediaType, "multipart/") &&
			(err != nil || !planMultipart(part.body, params.boundary, depth+1, plan)) {
			return false
		}

		var final bool
		pos, final, ok = readDelimiter(body, pos, dash)
		if final {
			return true
		}
	}
	return false
}

// boundaryPunct are the characters other than letters and digits that
// RFC 2046 section 5.1.1 allows in a boundary.
var boundaryPunct = newByteSet("'()+_,-./:=?")

// maxPlainBoundary is the longest boundary that walkFast handles. RFC
// 2046 allows 70 characters, but a longer one is still scanned up to
// this length. One longer still is left to go-message.
const maxPlainBoundary = 200

// isPlainBoundary reports whether boundary is non-empty, at most
// maxPlainBoundary bytes long, and has only the characters RFC 2046
// section 5.1.1 allows, so that no line ending or blank can be part of a
// delimiter.
func isPlainBoundary(boundary string) bool {
	if boundary == "" || len(boundary) > maxPlainBoundary {
		return false
	}
	for i := 0; i < len(boundary); i++ {
		c := boundary[i]
		if !isAlnum(rune(c)) && !boundaryPunct.has(c) {
			return false
		}
	}
	return true
}

// skipPreamble returns the offset after the first delimiter line. It
// reports false for a preamble line that starts with "--" and the
// boundary but is no delimiter line, such as an early close delimiter,
// and leaves that message to go-message.
func skipPreamble(body, dash []byte) (int, bool) {
	pos := 0
	for pos < len(body) {
		line, next := lineAt(body, pos)
		if len(line) >= maxDelimiterLine {
			return 0, false
		}
		if bytes.HasPrefix(line, dash) {
			rest := trimLeftBlanks(line[len(dash):])
			return next, len(rest) == 0 && next <= len(body) && body[next-1] == '\n'
		}
		pos = next
	}
	return 0, false
}

// nextPlannedPart reads the part whose header starts at pos and returns
// it with the offset of its end: the LF before the next delimiter, or
// the delimiter itself when the body is empty.
func nextPlannedPart(body []byte, pos int, dash []byte, delim delimiterSearch) (plannedPart, int, bool) {
	h, n, ok := readHeaderFields(body[pos:], isEntityField[[]byte])
	if !ok {
		return plannedPart{}, 0, false
	}
	start := pos + n

	if bytes.HasPrefix(body[start:], dash) && endsDelimiter(body, start+len(dash)) {
		return plannedPart{header: h, body: body[start:start]}, start, true
	}
	for from := start; ; {
		i := delim.index(body[from:])
		if i < 0 {
			return plannedPart{}, 0, false
		}
		end := from + i
		if endsDelimiter(body, end+len(delim.nlDash)) {
			return plannedPart{header: h, body: body[start:end]}, end, true
		}
		from = end + len(delim.nlDash)
	}
}

// delimiterSearch finds an LF followed by "--" and a boundary. It looks
// for the byte of the boundary that is likely the rarest in a body, such
// as "_" in "----=_Part_1", instead of for the LF that bytes.Index looks
// for first and that ends every line.
type delimiterSearch struct {
	nlDash []byte
	rare   int // the index in nlDash of the byte to look for
}

// newDelimiterSearch returns the search for the delimiters of boundary.
// It keeps the LF at index 0 as the byte to look for when no byte of the
// boundary ranks above it, and index then uses bytes.Index.
func newDelimiterSearch(boundary string) delimiterSearch {
	d := delimiterSearch{nlDash: []byte("\n--" + boundary)}
	best := rarity('\n')
	for i := 1; i < len(d.nlDash); i++ {
		if r := rarity(d.nlDash[i]); r > best {
			d.rare, best = i, r
		}
	}
	return d
}

// rarity ranks how seldom c occurs in mail text, by a rough guess:
// punctuation that prose and base64 seldom use, then capital letters and
// digits, then the rest, LF included.
func rarity(c byte) int {
	switch {
	case rarePunct.has(c):
		return 3
	case 'A' <= c && c <= 'Z':
		return 2
	case isDigit(c):
		return 1
	}
	return 0
}

var rarePunct = newByteSet("_()'?")

// index returns the index of the first occurrence of d.nlDash in s, or
// -1, as bytes.Index does.
func (d delimiterSearch) index(s []byte) int {
	if d.rare == 0 {
		return bytes.Index(s, d.nlDash)
	}
	c := d.nlDash[d.rare]
	for i := d.rare; i < len(s); {
		j := bytes.IndexByte(s[i:], c)
		if j < 0 {
			return -1
		}
		start := i + j - d.rare
		if bytes.HasPrefix(s[start:], d.nlDash) {
			return start
		}
		i += j + 1
	}
	return -1
}

// truncatedPart returns the part whose header starts at pos when it is
// the last of a top-level multipart cut off before its close delimiter:
// a complete header and then a body with no delimiter line. Its body is
// what go-message's part reader returns before io.ErrUnexpectedEOF: all
// of it but a last line that could still start a delimiter, such as a
// lone LF. ok is false when that is not the case, or when the body would
// need decoding, a multipart or a start with a hyphen, whose reading
// fails in ways that only go-message words.
func truncatedPart(body []byte, pos int, dash []byte) (part plannedPart, ok bool) {
	h, n, ok := readHeaderFields(body[pos:], isEntityField[[]byte])
	section := body[pos : pos+n]
	if !ok || !bytes.HasSuffix(section, []byte("\n\n")) && !bytes.Equal(section, []byte("\n")) {
		return part, false
	}
	rest := body[pos+n:]
	if len(rest) > 0 && rest[0] == '-' || hasDelimiter(rest, dash) {
		return part, false
	}

	nlDash := append([]byte{'\n'}, dash...)
	if i := bytes.LastIndexByte(rest, '\n'); i >= 0 && bytes.HasPrefix(nlDash, rest[i:]) {
		rest = rest[:i]
	}
	part = plannedPart{header: h, body: rest, truncated: true}
	mediaType, params, err := h.contentType()
	part.mediaType, part.params = mediaType, params
	needsDecoding := !isIdentityEncoding(h) || strings.HasPrefix(mediaType, "text/") && params.hasCharset
	return part, err == nil && !needsDecoding && !strings.HasPrefix(mediaType, "multipart/")
}

// hasDelimiter reports whether body holds an LF followed by a delimiter
// of dash, one that go-message ends a part body at.
func hasDelimiter(body, dash []byte) bool {
	nlDash := append([]byte{'\n'}, dash...)
	for from := 0; ; {
		i := bytes.Index(body[from:], nlDash)
		if i < 0 {
			return false
		}
		end := from + i + len(nlDash)
		if endsDelimiter(body, end) {
			return true
		}
		from = end
	}
}

// decodedBody returns the body of part as message.New decodes it, and
// message.New's error. A body that needs no decoding, the usual case for
// delivery-status and returned-message parts, is read as it is, sparing
// a second parse of the Content-Type.
func decodedBody(part plannedPart) (io.Reader, error) {
	hasCharset := part.params.hasCharset
	isText := strings.HasPrefix(part.mediaType, "text/")
	if isIdentityEncoding(part.header) && !(isText && hasCharset) {
		return newRawBody(part.body), nil
	}
	if isIdentityEncoding(part.header) {
		// go-message passes UTF-8 and US-ASCII text through as it is.
		charset := strings.ToLower(part.params.charset)
		if charset == "utf-8" || charset == "us-ascii" {
			return newRawBody(part.body), nil
		}
		if text, ok := decodeCharsetBytes(charset, part.body); ok {
			return newRawBody(text), nil
		}
	}

	e, err := message.New(message.Header{Header: part.header.entityHeader()}, bytes.NewReader(part.body))
	return e.Body, err
}

// isIdentityEncoding reports whether the Content-Transfer-Encoding of h
// leaves the body as it is: one that message.New does not decode.
func isIdentityEncoding(h header) bool {
	switch strings.ToLower(h.Get("Content-Transfer-Encoding")) {
	case "7bit", "8bit", "binary", "":
		return true
	}
	return false
}

// isEntityField reports whether name is one of the fields that a planned
// part's header is read for: message.New decodes the body by them, and
// walkFast dispatches on the media type. The other fields are never read.
func isEntityField[T string | []byte](name T) bool {
	return equalFoldASCII(name, "Content-Type") || equalFoldASCII(name, "Content-Transfer-Encoding")
}

// endsDelimiter reports whether a delimiter that ends at body[i] counts
// as one: it is followed by a blank, a hyphen, a line end or the end.
func endsDelimiter(body []byte, i int) bool {
	return i >= len(body) || strings.IndexByte(" \t\r\n-", body[i]) >= 0
}

// readDelimiter reads the delimiter line at pos, after the LF that ends
// the previous body unless that body was empty. It returns the offset
// after it, and whether it was the close delimiter. ok is false for a
// line go-message would reject.
func readDelimiter(body []byte, pos int, dash []byte) (next int, final, ok bool) {
	if pos < len(body) && body[pos] == '\n' {
		pos++
	}
	line, next := lineAt(body, pos)
	if !bytes.HasPrefix(line, dash) || len(line) >= maxDelimiterLine {
		return 0, false, false
	}

	rest := line[len(dash):]
	if bytes.HasPrefix(rest, []byte("--")) {
		return next, len(trimLeftBlanks(rest[2:])) == 0, false
	}
	hasLF := next <= len(body) && next > pos && body[next-1] == '\n'
	return next, false, len(trimLeftBlanks(rest)) == 0 && hasLF
}

func trimLeftBlanks(b []byte) []byte {
	return trimLeftSet(b, blanks)
}

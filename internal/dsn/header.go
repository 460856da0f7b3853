package dsn

import (
	"bytes"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// maxFastFields bounds the fields readHeaderFast collects before it
// leaves a header section to textproto.ReadHeader.
const maxFastFields = 1024

// headerField is one field of a header section, unfolded.
type headerField struct {
	key, value string
}

// readHeaderFast reads the header section at the start of data, as
// textproto.ReadHeader of go-message v0.18 does, and returns it with the
// number of bytes it takes up, the blank line included. It handles the
// common shape only: LF line endings, a first line that is a field, and
// every field line with a colon after a valid name. For anything else ok
// is false and the caller uses ReadHeader. data must hold no CR, which the
// caller checks once for all the sections it reads. It is cheaper than
// ReadHeader because it slices data in place instead of copying each
// line into a fresh buffer.
func readHeaderFast(data []byte) (h textproto.Header, n int, ok bool) {
	if len(data) > 0 && (data[0] == ' ' || data[0] == '\t') {
		return h, 0, false
	}

	fields := make([]headerField, 0, 32) // on the stack for most headers
	pos := 0
	for pos < len(data) {
		line, next := lineAt(data, pos)
		if len(line) == 0 {
			pos = next
			break
		}

		colon := bytes.IndexByte(line, ':')
		if colon < 0 || len(fields) >= maxFastFields {
			return h, 0, false
		}
		key := trimBlanks(line[:colon])
		if !isFieldName(key) {
			return h, 0, false
		}

		value := unfold(data, line[colon+1:], &next)
		if len(key) > 0 {
			fields = append(fields, headerField{string(key), value})
		}
		pos = next
	}

	// Header.Add puts each field on top, so the fields go in last first.
	for i := len(fields) - 1; i >= 0; i-- {
		h.Add(fields[i].key, fields[i].value)
	}
	return h, pos, true
}

// lineAt returns the line at data[pos:] without its LF, and the offset
// of the line after it.
func lineAt(data []byte, pos int) (line []byte, next int) {
	i := bytes.IndexByte(data[pos:], '\n')
	if i < 0 {
		return data[pos:], len(data)
	}
	return data[pos : pos+i], pos + i + 1
}

// unfold returns a field's value: first, the rest of its first line,
// joined with the continuation lines from *next on by single spaces, each
// trimmed of blanks, and empty ones left out. It advances *next past the
// continuation lines.
func unfold(data, first []byte, next *int) string {
	first = trimBlanks(first)
	if *next >= len(data) || data[*next] != ' ' && data[*next] != '\t' {
		return string(first)
	}

	var value strings.Builder
	value.Grow(len(first) + foldedLength(data, *next))
	value.Write(first)
	for *next < len(data) && (data[*next] == ' ' || data[*next] == '\t') {
		var line []byte
		line, *next = lineAt(data, *next)
		if line = trimBlanks(line); len(line) > 0 {
			if value.Len() > 0 {
				value.WriteByte(' ')
			}
			value.Write(line)
		}
	}
	return value.String()
}

// foldedLength returns the length of the continuation lines at
// data[pos:], an upper bound on what they add to a field's value.
func foldedLength(data []byte, pos int) int {
	start := pos
	for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t') {
		_, pos = lineAt(data, pos)
	}
	return pos - start
}

// trimBlanks removes leading and trailing spaces and tabs.
func trimBlanks(b []byte) []byte {
	return bytes.Trim(b, " \t")
}

// isFieldName reports whether name holds only the printable ASCII
// characters other than the colon that a field name may have (RFC 5322
// section 2.2). The empty name passes, because ReadHeader skips such a
// field rather than failing.
func isFieldName(name []byte) bool {
	for _, c := range name {
		if c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// readHeaderBlocksFast reads the header blocks of a delivery-status body
// with readHeaderFast for as long as it can, keeping at most
// MaxRecipients+1 blocks as readHeaderBlocks does, and returns the blocks
// and the data it left unread.
func readHeaderBlocksFast(data []byte) ([]textproto.Header, []byte) {
	if bytes.IndexByte(data, '\r') >= 0 {
		return nil, data
	}

	var blocks []textproto.Header
	for len(blocks) <= MaxRecipients && len(data) > 0 {
		h, n, ok := readHeaderFast(data)
		if !ok {
			break
		}
		if h.Len() > 0 {
			blocks = append(blocks, h)
		}
		data = data[n:]
	}
	return blocks, data
}

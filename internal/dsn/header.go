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
// ReadHeader because it copies the section into one string and slices
// the names and unfolded values from it, instead of copying each line
// into a fresh buffer.
func readHeaderFast(data []byte) (h textproto.Header, n int, ok bool) {
	return readHeaderFields(data, nil)
}

// readHeaderFields is readHeaderFast keeping only the fields whose name
// keep accepts, or every field when keep is nil. It still declines the
// same sections as readHeaderFast.
func readHeaderFields(data []byte, keep func(name string) bool) (h textproto.Header, n int, ok bool) {
	if len(data) > 0 && (data[0] == ' ' || data[0] == '\t') {
		return h, 0, false
	}
	section := string(data[:headerEnd(data)])

	fields := make([]headerField, 0, 32) // on the stack for most headers
	pos := 0
	for pos < len(section) {
		line, next := lineAtString(section, pos)
		if len(line) == 0 {
			pos = next
			break
		}

		colon := strings.IndexByte(line, ':')
		if colon < 0 || len(fields) >= maxFastFields {
			return h, 0, false
		}
		key := trimBlanksString(line[:colon])
		if !isFieldName(key) {
			return h, 0, false
		}

		if keep != nil && !keep(key) {
			pos = skipFolded(section, next)
			continue
		}
		value := unfold(section, line[colon+1:], &next)
		if len(key) > 0 {
			fields = append(fields, headerField{key, value})
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

// lineAtString is lineAt for a string.
func lineAtString(s string, pos int) (line string, next int) {
	i := strings.IndexByte(s[pos:], '\n')
	if i < 0 {
		return s[pos:], len(s)
	}
	return s[pos : pos+i], pos + i + 1
}

// unfold returns a field's value: first, the rest of its first line,
// joined with the continuation lines of section from *next on by single
// spaces, each trimmed of blanks, and empty ones left out. It advances
// *next past the continuation lines. A value of one line is a substring
// of section.
func unfold(section, first string, next *int) string {
	first = trimBlanksString(first)
	end := skipFolded(section, *next)
	if end == *next {
		return first
	}

	var value strings.Builder
	value.Grow(len(first) + end - *next)
	value.WriteString(first)
	for *next < end {
		var line string
		line, *next = lineAtString(section, *next)
		if line = trimBlanksString(line); len(line) > 0 {
			if value.Len() > 0 {
				value.WriteByte(' ')
			}
			value.WriteString(line)
		}
	}
	return value.String()
}

// skipFolded returns the offset after the continuation lines, those that
// start with a blank, at section[pos:].
func skipFolded(section string, pos int) int {
	for pos < len(section) && (section[pos] == ' ' || section[pos] == '\t') {
		_, pos = lineAtString(section, pos)
	}
	return pos
}

// trimBlanksString removes leading and trailing spaces and tabs.
func trimBlanksString(s string) string {
	return strings.Trim(s, " \t")
}

// isFieldName reports whether name holds only the printable ASCII
// characters other than the colon that a field name may have (RFC 5322
// section 2.2). The empty name passes, because ReadHeader skips such a
// field rather than failing.
func isFieldName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
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

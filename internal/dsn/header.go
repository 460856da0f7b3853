package dsn

import (
	"bytes"
	"strings"

	"github.com/emersion/go-message/textproto"
)

// maxFastFields bounds the fields readHeaderFast collects before it
// leaves a header section to textproto.ReadHeader, and maxFastSection
// the bytes, so that a hostile header is not copied only to be read
// again by go-message (see readRoot).
const (
	maxFastFields  = 1024
	maxFastSection = maxHeaderBytes / 2
)

// header is one header section, of a message, a MIME part or a
// delivery-status block, with its fields in the order they appear.
// Lookups ignore the case of ASCII letters in a name, as go-message's
// canonical keys do, and return the first field of that name, as
// textproto.Header.Get does. Values are unfolded when they are read, so
// that fields the parser never reads, such as DKIM-Signature, cost nothing.
type header struct {
	fields []headerField

	// names has the nameBit of every field's name set. The parser looks
	// up many optional fields that are absent, and such a lookup most
	// often returns without a scan. Zero means not computed.
	names uint64
}

// nameBit returns the bit of a field name in header.names: one of 64,
// picked by its length and its first letter in either case.
func nameBit(name string) uint64 {
	if name == "" {
		return ^uint64(0)
	}
	return 1 << ((uint(len(name))*7 + uint(lowerByte(name[0]))) & 63)
}

// headerField is one field of a header section. value is the text after
// the colon, trimmed of blanks when it is one line, or else with its
// continuation lines and their LFs, for Get to unfold.
type headerField struct {
	key, value string
}

// Get returns the unfolded value of the first field named key, or "".
func (h header) Get(key string) string {
	if f := h.field(key); f != nil {
		return unfoldValue(f.value)
	}
	return ""
}

// Values returns the unfolded values of the fields named key, in order.
func (h header) Values(key string) []string {
	if h.names != 0 && h.names&nameBit(key) == 0 {
		return nil
	}
	var values []string
	for i := range h.fields {
		if f := &h.fields[i]; equalFoldASCII(f.key, key) {
			values = append(values, unfoldValue(f.value))
		}
	}
	return values
}

// Has reports whether h has a field named key.
func (h header) Has(key string) bool {
	return h.field(key) != nil
}

// Len returns the number of fields.
func (h header) Len() int {
	return len(h.fields)
}

func (h header) field(key string) *headerField {
	if h.names != 0 && h.names&nameBit(key) == 0 {
		return nil
	}
	for i := range h.fields {
		if f := &h.fields[i]; equalFoldASCII(f.key, key) {
			return f
		}
	}
	return nil
}

// entityHeader returns the fields of h by which message.New decodes a
// body (see isEntityField), in go-message's header type.
func (h header) entityHeader() textproto.Header {
	var th textproto.Header
	// Header.Add puts each field on top, so the fields go in last first.
	for i := len(h.fields) - 1; i >= 0; i-- {
		if f := h.fields[i]; isEntityField(f.key) {
			th.Add(f.key, unfoldValue(f.value))
		}
	}
	return th
}

// headerFromTextproto returns the fields of th, which go-message read.
func headerFromTextproto(th textproto.Header) header {
	h := header{fields: make([]headerField, 0, th.Len())}
	for f := th.Fields(); f.Next(); {
		h.fields = append(h.fields, headerField{f.Key(), f.Value()})
	}
	return h
}

// equalFoldASCII reports whether a and b are equal when ASCII letters
// are lower-cased. Header field names are ASCII; unlike strings.EqualFold
// it does not match the Kelvin sign to "k", as go-message would not.
func equalFoldASCII[T string | []byte](a T, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if x, y := a[i], b[i]; x != y && lowerByte(x) != lowerByte(y) {
			return false
		}
	}
	return true
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// readHeaderFast reads the header section at the start of data, as
// textproto.ReadHeader of go-message v0.18 does, and returns it with the
// number of bytes it takes up, the blank line included. It handles the
// common shape only: LF line endings, a first line that is a field, and
// every field line with a colon after a valid name. For anything else ok
// is false and the caller uses ReadHeader. data must hold no CR, which the
// caller checks once for all the sections it reads. It is cheaper than
// ReadHeader because it copies the section into one string and slices
// the names and values from it, instead of copying each line into a
// fresh buffer.
func readHeaderFast(data []byte) (h header, n int, ok bool) {
	return readHeaderFields(data, nil)
}

// readHeaderFields is readHeaderFast keeping only the fields whose name
// keep accepts, or every field when keep is nil. It still declines the
// same sections as readHeaderFast.
func readHeaderFields(data []byte, keep func(name []byte) bool) (h header, n int, ok bool) {
	if len(data) > 0 && (data[0] == ' ' || data[0] == '\t') {
		return h, 0, false
	}

	var buf [64]fieldSpan // on the stack for most headers
	spans, n, ok := scanFields(data, keep, buf[:0])
	if !ok || n > maxFastSection {
		return h, 0, false
	}
	if len(spans) == 0 {
		return h, n, true
	}

	return newHeader(fieldsAt(string(data[:n]), spans)), n, true
}

// newHeader returns the header of fields, with its names set.
func newHeader(fields []headerField) header {
	h := header{fields: fields}
	for _, f := range fields {
		h.names |= nameBit(f.key)
	}
	return h
}

// fieldSpan is the position of a field's name and value in a header
// section, as start and end offsets. The value runs from after the colon
// to the end of its last continuation line, without the LF.
type fieldSpan struct {
	key, value [2]int
}

// fieldsAt returns the fields at spans in section, the one copy of the
// scanned bytes that every name and value is sliced from, with each value
// trimmed as headerField keeps it.
func fieldsAt(section string, spans []fieldSpan) []headerField {
	fields := make([]headerField, len(spans))
	for i, s := range spans {
		fields[i] = headerField{section[s.key[0]:s.key[1]], trimValue(section[s.value[0]:s.value[1]])}
	}
	return fields
}

// scanFields appends to spans the fields of the header section at the
// start of data that keep accepts, and returns them with the length of
// the section, the blank line included. ok is false for a section that
// readHeaderFast declines.
func scanFields(data []byte, keep func(name []byte) bool, spans []fieldSpan) (_ []fieldSpan, n int, ok bool) {
	pos := 0
	for pos < len(data) {
		line, next := lineAt(data, pos)
		if len(line) == 0 {
			return spans, next, true
		}

		colon := bytes.IndexByte(line, ':')
		if colon < 0 || len(spans) >= maxFastFields {
			return nil, 0, false
		}
		keyStart, keyEnd := trimBlanksAt(line, 0, colon)
		if !isFieldName(line[keyStart:keyEnd]) {
			return nil, 0, false
		}

		end := skipFolded(data, next)
		if keyEnd > keyStart && (keep == nil || keep(line[keyStart:keyEnd])) {
			valueEnd := end
			if valueEnd > 0 && data[valueEnd-1] == '\n' {
				valueEnd--
			}
			spans = append(spans, fieldSpan{
				key:   [2]int{pos + keyStart, pos + keyEnd},
				value: [2]int{pos + colon + 1, max(valueEnd, pos+colon+1)},
			})
		}
		pos = end
	}
	return spans, pos, true
}

// trimBlanksAt returns the bounds of line[start:end] without its leading
// and trailing spaces and tabs.
func trimBlanksAt(line []byte, start, end int) (int, int) {
	for start < end && (line[start] == ' ' || line[start] == '\t') {
		start++
	}
	for end > start && (line[end-1] == ' ' || line[end-1] == '\t') {
		end--
	}
	return start, end
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

// trimValue returns the value of a field as headerField keeps it.
func trimValue(value string) string {
	if strings.IndexByte(value, '\n') < 0 {
		return trimBlanksString(value)
	}
	return value
}

// unfoldValue returns the value of a field as go-message reads it: its
// lines trimmed of blanks and joined by single spaces, empty ones left
// out. A value of one line is returned as it is.
func unfoldValue(value string) string {
	if strings.IndexByte(value, '\n') < 0 {
		return value
	}

	var b strings.Builder
	b.Grow(len(value))
	for line := range strings.Lines(value) {
		if line = trimBlanksString(strings.TrimSuffix(line, "\n")); len(line) > 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(line)
		}
	}
	return b.String()
}

// skipFolded returns the offset after the continuation lines, those that
// start with a blank, at data[pos:].
func skipFolded(data []byte, pos int) int {
	for pos < len(data) && (data[pos] == ' ' || data[pos] == '\t') {
		_, pos = lineAt(data, pos)
	}
	return pos
}

// trimBlanksString removes leading and trailing spaces and tabs.
func trimBlanksString(s string) string {
	return trimSet(s, blanks)
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
// and the data it left unread. The blocks share one copy of the bytes
// read and one slice of fields, instead of two allocations per block.
func readHeaderBlocksFast(data []byte) ([]header, []byte) {
	if bytes.IndexByte(data, '\r') >= 0 {
		return nil, data
	}

	var spanStack [128]fieldSpan
	var boundStack [8]int
	spans, bounds := spanStack[:0], boundStack[:0] // bounds: the end of each block's spans
	pos := 0
	for len(bounds) <= MaxRecipients && pos < len(data) {
		blockStart := len(spans)
		var n int
		var ok bool
		spans, n, ok = scanBlock(data, pos, spans)
		if !ok {
			break
		}
		// A block without fields, such as one made by extra blank
		// lines, is no header, as in readHeaderBlocks.
		if len(spans) > blockStart {
			bounds = append(bounds, len(spans))
		}
		pos += n
	}
	if len(bounds) == 0 {
		return nil, data[pos:]
	}

	fields := fieldsAt(string(data[:pos]), spans)
	blocks := make([]header, len(bounds))
	start := 0
	for i, end := range bounds {
		blocks[i] = newHeader(fields[start:end:end])
		start = end
	}
	return blocks, data[pos:]
}

// scanBlock appends the spans of the header block at data[pos:] to
// spans, as offsets into data, and returns them with the block's length.
// ok is false for a block that readHeaderFast declines.
func scanBlock(data []byte, pos int, spans []fieldSpan) (_ []fieldSpan, n int, ok bool) {
	if data[pos] == ' ' || data[pos] == '\t' {
		return spans, 0, false
	}
	var buf [64]fieldSpan
	block, n, ok := scanFields(data[pos:], nil, buf[:0])
	if !ok || n > maxFastSection {
		return spans, 0, false
	}
	for _, s := range block {
		s.key[0], s.key[1] = s.key[0]+pos, s.key[1]+pos
		s.value[0], s.value[1] = s.value[0]+pos, s.value[1]+pos
		spans = append(spans, s)
	}
	return spans, n, true
}

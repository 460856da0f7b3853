package classify

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// code is an enhanced status code of RFC 3463: class.subject.detail. The
// zero value is "no code".
type code struct {
	class, subject, detail int
}

func (c code) valid() bool { return c.class != 0 }

// generic reports whether the code carries no more than its class, as
// 5.0.0 does.
func (c code) generic() bool { return c.subject == 0 && c.detail == 0 }

// parseCode parses "5.1.1". It returns the zero code for anything that is
// not class 2, 4 or 5 followed by two numbers of one to three digits.
func parseCode(s string) code {
	s = strings.TrimSpace(s)
	class, rest, ok := strings.Cut(s, ".")
	if !ok || (class != "2" && class != "4" && class != "5") {
		return code{}
	}
	subject, detail, ok := strings.Cut(rest, ".")
	if !ok {
		return code{}
	}

	sub, ok1 := smallNumber(subject)
	det, ok2 := smallNumber(detail)
	if !ok1 || !ok2 {
		return code{}
	}
	return code{class: int(class[0] - '0'), subject: sub, detail: det}
}

// smallNumber parses one to three ASCII digits.
func smallNumber(s string) (int, bool) {
	if len(s) == 0 || len(s) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// codePattern matches enhanced status codes; a part of -1 matches any
// value, written "x" in the rule table.
type codePattern struct {
	class, subject, detail int
}

// parseCodePattern parses the status pattern of a rule, such as "5.1.1"
// or "x.4.x".
func parseCodePattern(s string) (codePattern, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return codePattern{}, fmt.Errorf("invalid status pattern %q: want three parts such as \"5.1.1\" or \"x.4.x\"", s)
	}

	var values [3]int
	for i, p := range parts {
		if p == "x" {
			values[i] = -1
			continue
		}
		n, ok := smallNumber(p)
		if !ok {
			return codePattern{}, fmt.Errorf("invalid status pattern %q: part %q is neither a number nor \"x\"", s, p)
		}
		values[i] = n
	}
	if values[0] != -1 && values[0] != 2 && values[0] != 4 && values[0] != 5 {
		return codePattern{}, fmt.Errorf("invalid status pattern %q: class must be 2, 4, 5 or x", s)
	}
	return codePattern{values[0], values[1], values[2]}, nil
}

func (p codePattern) match(c code) bool {
	if !c.valid() {
		return false
	}
	return (p.class < 0 || p.class == c.class) &&
		(p.subject < 0 || p.subject == c.subject) &&
		(p.detail < 0 || p.detail == c.detail)
}

// findCode returns the first enhanced status code in text that is not part
// of a longer dotted number, so that "4.16.55.1" in a Yahoo reply or an IP address is not
// taken for one.
func findCode(text string) code {
	for i := 0; i < len(text); i++ {
		b := text[i]
		if b != '2' && b != '4' && b != '5' {
			continue
		}
		if i > 0 && (isDigit(text[i-1]) || text[i-1] == '.') {
			continue
		}
		end := codeEnd(text, i)
		if end < 0 {
			continue
		}
		if end < len(text) && (isDigit(text[end]) || (text[end] == '.' && end+1 < len(text) && isDigit(text[end+1]))) {
			continue
		}
		if c := parseCode(text[i:end]); c.valid() {
			return c
		}
	}
	return code{}
}

// codeEnd returns the end of a digits.digits.digits run starting at i, or
// -1 when there is none.
func codeEnd(text string, i int) int {
	j := i + 1
	for part := 0; part < 2; part++ {
		if j >= len(text) || text[j] != '.' {
			return -1
		}
		j++
		start := j
		for j < len(text) && isDigit(text[j]) && j-start < 3 {
			j++
		}
		if j == start {
			return -1
		}
	}
	return j
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// leadingReplyCode returns the SMTP reply code that starts text, as in
// "550 5.1.1 ..." or "550-5.7.1 ...", or zero.
func leadingReplyCode(text string) int {
	text = strings.TrimLeft(text, " \t")
	if len(text) < 3 || !isDigit(text[0]) || !isDigit(text[1]) || !isDigit(text[2]) {
		return 0
	}
	if len(text) > 3 && text[3] != ' ' && text[3] != '-' {
		return 0
	}
	n := int(text[0]-'0')*100 + int(text[1]-'0')*10 + int(text[2]-'0')
	if n < 200 || n > 599 {
		return 0
	}
	return n
}

// normalize lower-cases ASCII letters and collapses runs of white space to
// one space. It also drops the reply-code prefixes ("550-", "550-5.7.1", or
// "550 5.7.1" after the first line) that multi-line SMTP replies (RFC 5321
// section 4.2.1) leave inside joined text, so that phrases split over reply
// lines still match.
func normalize(text string) string {
	n := normalizer{}
	n.b.Grow(len(text))
	if isASCII(text) {
		n.addASCIIFields(text)
	} else {
		for field := range strings.FieldsSeq(text) {
			n.add(field, nil)
		}
	}
	if n.pendingReply != "" {
		writeLower(&n.b, n.pendingReply)
	}
	return n.b.String()
}

// normalizer holds the state of one normalize call.
type normalizer struct {
	b            strings.Builder
	pendingReply string // a bare reply code not yet known to be a prefix
}

// addASCIIFields adds the fields of the ASCII text, split as
// strings.Fields splits them but without its iterator, which costs more
// than the rest of normalize. They are written from a copy of the text
// lower-cased in one pass.
func (n *normalizer) addASCIIFields(text string) {
	var stack [512]byte // on the stack for most diagnostics
	lowered := stack[:0]
	if len(text) > len(stack) {
		lowered = make([]byte, 0, len(text))
	}
	lowered = appendLowerASCII(lowered, text)

	for i := 0; i < len(text); {
		for i < len(text) && isASCIISpace(text[i]) {
			i++
		}
		start := i
		for i < len(text) && !isASCIISpace(text[i]) {
			i++
		}
		if i > start {
			n.add(text[start:i], lowered[start:i])
		}
	}
}

// add writes the next field of the text. lowered is the field with its
// ASCII letters lower-cased, or nil for add to lower-case it.
func (n *normalizer) add(field string, lowered []byte) {
	if n.pendingReply != "" {
		isPrefix := parseCode(field).valid()
		if !isPrefix {
			writeLower(&n.b, n.pendingReply)
		}
		n.pendingReply = ""
		if isPrefix {
			return
		}
	}
	if isContinuationPrefix(field) {
		return
	}
	if n.b.Len() > 0 && len(field) == 3 && leadingReplyCode(field) != 0 {
		// Inside the text, "550 5.7.1" is the prefix of a
		// continuation line; drop the pair.
		n.pendingReply = field
		return
	}
	if lowered == nil {
		writeLower(&n.b, field)
		return
	}
	if n.b.Len() > 0 {
		n.b.WriteByte(' ')
	}
	n.b.Write(lowered)
}

// appendLowerASCII appends s to dst with its ASCII letters lower-cased.
func appendLowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isASCIISpace reports whether c is an ASCII character that
// unicode.IsSpace reports as white space, as strings.Fields splits at.
func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// writeLower writes field lower-cased, after a space unless it is the
// first. It copies in chunks, because a call per byte costs more than the
// rest of normalize.
func writeLower(b *strings.Builder, field string) {
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	var chunk [64]byte
	for len(field) > 0 {
		n := copy(chunk[:], field)
		for i := range n {
			if 'A' <= chunk[i] && chunk[i] <= 'Z' {
				chunk[i] += 'a' - 'A'
			}
		}
		b.Write(chunk[:n])
		field = field[n:]
	}
}

// isContinuationPrefix reports whether field is "550-" or "550-5.7.1", the
// start of a non-final line of a multi-line SMTP reply.
func isContinuationPrefix(field string) bool {
	if len(field) < 4 || field[3] != '-' || leadingReplyCode(field[:3]) == 0 {
		return false
	}
	rest := field[4:]
	return rest == "" || parseCode(rest).valid()
}

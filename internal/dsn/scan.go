package dsn

import (
	"strings"
	"unicode/utf8"
)

// replyPrefixLen returns the length of the code prefix at the start of
// line that a line of a multi-line SMTP reply carries, as in "550-5.7.1 "
// or "550 ", or 0 when there is none. The prefix is a reply code, a space
// or hyphen, and then, when they follow, an enhanced status code with an
// optional "#" and one white space character. It matches what the regular
// expression ^([2-5][0-5][0-9])[ -](?:#?[245]\.[0-9]{1,3}\.[0-9]{1,3}\s)?
// matches, without running one on every line of a diagnostic.
func replyPrefixLen(line string) int {
	if len(line) < 4 || !isReplyCodeStart(line, 0) || line[3] != ' ' && line[3] != '-' {
		return 0
	}

	i := 4
	if i < len(line) && line[i] == '#' {
		i++
	}
	if i+1 >= len(line) || line[i] != '2' && line[i] != '4' && line[i] != '5' || line[i+1] != '.' {
		return 4
	}
	subject := digitRun(line, i+2)
	dot := i + 2 + subject
	if subject < 1 || subject > 3 || dot >= len(line) || line[dot] != '.' {
		return 4
	}
	detail := digitRun(line, dot+1)
	end := dot + 1 + detail
	if detail < 1 || detail > 3 || end >= len(line) || !isRegexpSpace(line[end]) {
		return 4
	}
	return end + 1
}

// isRegexpSpace reports whether c is in the \s class of Go's regular
// expressions: tab, LF, form feed, CR or space.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// collapseSpace returns strings.Join(strings.Fields(s), " "): s with its
// runs of white space turned into single spaces and none at either end.
// ASCII text that needs no change is returned without a copy.
func collapseSpace(s string) string {
	// One pass finds the first byte that is not ASCII or needs a change;
	// most texts have neither.
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case ' ' < c && c < utf8.RuneSelf:
			continue
		case c >= utf8.RuneSelf:
			return strings.Join(strings.Fields(s), " ")
		case c == ' ' && i > 0 && i+1 < len(s) && s[i+1] != ' ', !isASCIISpace(c):
			// A space inside s that no space follows, or a control
			// character that is not white space, needs no change.
			continue
		}

		// c is white space that must change. s[:i] is ASCII, so only
		// the rest decides between the ASCII path and strings.Fields.
		if !isASCII(s[i:]) {
			return strings.Join(strings.Fields(s), " ")
		}
		return collapseASCIISpace(s)
	}
	return s
}

// collapseASCIISpace is collapseSpace for ASCII text.
func collapseASCIISpace(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isASCIISpace(c) {
			b = append(b, c)
			continue
		}
		if len(b) > 0 && b[len(b)-1] != ' ' {
			b = append(b, ' ')
		}
	}
	if len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// isASCIISpace reports whether c is an ASCII character that
// unicode.IsSpace reports as white space.
func isASCIISpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// phraseSet finds any of a list of lower-case phrases in a text, ignoring
// case, in one pass over the text instead of one per phrase, and without
// a lower-cased copy of ASCII text.
type phraseSet struct {
	phrases []string
	ascii   bool         // every phrase is ASCII
	byFirst [256][]int32 // indexes of the phrases that start with a byte, in either case

	// next holds, for each first byte, a bit for each byte that follows
	// it in a phrase, numbered by its low six bits, in either case: a
	// cheap test that rules out most positions. A phrase of one byte
	// sets them all.
	next [256]uint64
}

// newPhraseSet returns the set of phrases. A phrase with an ASCII capital
// is left out, because no lower-cased text contains it, and so is the
// empty phrase. A phrase's id is its index in s.phrases, which equals its
// index in phrases only when none before it was left out, as qmailCommand
// relies on.
func newPhraseSet(phrases []string) *phraseSet {
	s := &phraseSet{ascii: true}
	for _, p := range phrases {
		s.ascii = s.ascii && isASCII(p)
		if p == "" || strings.ContainsFunc(p, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
			continue
		}
		id := int32(len(s.phrases))
		s.phrases = append(s.phrases, p)
		next := ^uint64(0)
		if len(p) > 1 {
			next = 1<<(p[1]&63) | 1<<(upperASCII(p[1])&63)
		}
		for _, first := range []byte{p[0], upperASCII(p[0])} {
			if len(s.byFirst[first]) == 0 || s.byFirst[first][len(s.byFirst[first])-1] != id {
				s.byFirst[first] = append(s.byFirst[first], id)
			}
			s.next[first] |= next
		}
	}
	return s
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// containsPhraseFold reports whether asciiLower(text) contains one of
// the phrases of s.
func containsPhraseFold[T string | []byte](s *phraseSet, text T) bool {
	for i := 0; i < len(text); i++ {
		next := s.next[text[i]]
		if next == 0 || i+1 < len(text) && next&(1<<(text[i+1]&63)) == 0 {
			continue
		}
		for _, id := range s.byFirst[text[i]] {
			if hasPrefixASCIIFold(text[i:], s.phrases[id]) {
				return true
			}
		}
	}
	return false
}

// indexPhraseFold returns the first position at or after from where
// asciiLower(text) holds a phrase of s, and the phrase's index in
// s.phrases; -1 when there is none. Of phrases that start at the same
// position, the first in s.phrases wins.
func indexPhraseFold(s *phraseSet, text string, from int) (at int, id int32) {
	for i := from; i < len(text); i++ {
		next := s.next[text[i]]
		if next == 0 || i+1 < len(text) && next&(1<<(text[i+1]&63)) == 0 {
			continue
		}
		for _, id := range s.byFirst[text[i]] {
			if hasPrefixASCIIFold(text[i:], s.phrases[id]) {
				return i, id
			}
		}
	}
	return -1, 0
}

// containsPhraseLower reports whether strings.ToLower(text) contains one
// of the phrases of s. Text with characters other than ASCII is
// lower-cased first, unless the phrases are ASCII and the text lacks the
// only two characters that strings.ToLower maps to ASCII letters: "İ"
// (U+0130) and the Kelvin sign (U+212A).
//
// For ASCII phrases the text is searched as it is first: a phrase found
// there is also in the lower-cased text, whose ASCII letters are the
// text's lowered in place. The same pass finds whether the text contains
// other characters, so ASCII text, nearly all of it, is read once.
func containsPhraseLower[T string | []byte](s *phraseSet, text T) bool {
	if !s.ascii {
		if !isASCII(text) {
			return containsPhraseFold(s, strings.ToLower(string(text)))
		}
		return containsPhraseFold(s, text)
	}

	found, ascii := scanPhraseFold(s, text)
	if found || ascii || !lowersToASCII(string(text)) {
		return found
	}
	return containsPhraseFold(s, strings.ToLower(string(text)))
}

// scanPhraseFold is containsPhraseFold that also reports, when it finds
// no phrase, whether text is ASCII.
func scanPhraseFold[T string | []byte](s *phraseSet, text T) (found, ascii bool) {
	var all byte // every byte of text ORed
	for i := 0; i < len(text); i++ {
		all |= text[i]
		next := s.next[text[i]]
		if next == 0 || i+1 < len(text) && next&(1<<(text[i+1]&63)) == 0 {
			continue
		}
		for _, id := range s.byFirst[text[i]] {
			if hasPrefixASCIIFold(text[i:], s.phrases[id]) {
				return true, false
			}
		}
	}
	return false, all < utf8.RuneSelf
}

// lowersToASCII reports whether text holds a character other than ASCII
// that strings.ToLower maps to an ASCII letter.
func lowersToASCII(text string) bool {
	return strings.Contains(text, "\u0130") || strings.Contains(text, "\u212a")
}

// hasPrefixASCIIFold reports whether asciiLower(s) starts with prefix,
// which is lower-case.
func hasPrefixASCIIFold[T string | []byte](s T, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerByte(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// byteSet is a set of bytes, for the per-character tests of scanners,
// where a call to strings.IndexByte per character costs more than the
// rest of the loop. A table of 256 entries takes one load per test.
type byteSet [256]bool

func newByteSet(chars string) *byteSet {
	var s byteSet
	for i := 0; i < len(chars); i++ {
		s[chars[i]] = true
	}
	return &s
}

func (s *byteSet) has(c byte) bool {
	return s[c]
}

// trimSet returns s without the leading and trailing bytes in set, as
// strings.Trim and bytes.Trim do with an ASCII cutset, without building
// the cutset's table on every call.
func trimSet[T string | []byte](s T, set *byteSet) T {
	return trimRightSet(trimLeftSet(s, set), set)
}

func trimLeftSet[T string | []byte](s T, set *byteSet) T {
	i := 0
	for i < len(s) && set.has(s[i]) {
		i++
	}
	return s[i:]
}

func trimRightSet[T string | []byte](s T, set *byteSet) T {
	i := len(s)
	for i > 0 && set.has(s[i-1]) {
		i--
	}
	return s[:i]
}

// Cutsets of the trims on the hot paths.
var (
	blanks       = newByteSet(" \t")
	blanksAndLF  = newByteSet(" \t\n")
	lineEnds     = newByteSet("\r\n")
	blanksAndEOL = newByteSet("\n\r \t")
	headingMarks = newByteSet("-=:* ")
)

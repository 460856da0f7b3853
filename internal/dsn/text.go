package dsn

import (
	"bytes"
	"io"
	"strings"
)

// maxTextBytes bounds how much of a text part is kept for the plain-text
// formats. A bounce's prose comes first, so the cut only loses the tail
// of a returned message.
const maxTextBytes = 256 << 10

// readText keeps the decoded body of the first text part, which holds
// the prose of a bounce that is no RFC 3464 report. A text/html part is
// kept only while no text/plain part was seen, with its tags removed.
func (p *parser) readText(mediaType string, body io.Reader) {
	if !p.wantsText(mediaType) {
		return
	}

	data, err := p.readBody(body, maxTextBytes)
	if err != nil {
		p.warnf("read %s part: %v", mediaType, err)
	}
	p.keepText(mediaType, data)
}

// wantsText reports whether a part of mediaType would be kept as the
// bounce's text: it is a text part, and no text/plain part came before
// it, nor a text/html part before an HTML one.
func (p *parser) wantsText(mediaType string) bool {
	switch mediaType {
	case "text/plain", "text/html", "":
		return p.text == nil || !p.textIsPlain && mediaType != "text/html"
	}
	return false
}

// keepText stores the decoded body of a text part as the bounce's text.
func (p *parser) keepText(mediaType string, data []byte) {
	if mediaType == "text/html" {
		data = stripTags(data)
	}
	p.text = normalizeText(data)
	p.textIsPlain = mediaType != "text/html"
}

// normalizeText turns the CR line endings that a decoded base64 or
// quoted-printable part may still carry into LF.
func normalizeText(data []byte) []byte {
	out, _ := normalizeLineEndings(data, maxTextBytes)
	return out
}

// stripTags removes HTML tags and turns <br> and block ends into line
// breaks, enough to read the words and codes of an HTML bounce.
func stripTags(html []byte) []byte {
	out := make([]byte, 0, len(html))
	for len(html) > 0 {
		open := bytes.IndexByte(html, '<')
		if open < 0 {
			out = append(out, html...)
			break
		}
		out = append(out, html[:open]...)

		end := bytes.IndexByte(html[open:], '>')
		if end < 0 {
			break
		}
		if endsLine(html[open+1 : open+min(end, 4)]) {
			out = append(out, '\n')
		}
		html = html[open+end+1:]
	}
	return unescapeEntities(out)
}

// endsLine reports whether a tag that starts with name, its first three
// bytes at most, ends a line of text: <br>, </p>, </div>, </td>, <li>
// and the like, in any case.
func endsLine(name []byte) bool {
	if !isASCII(name) {
		return hasLineEndPrefix(strings.ToLower(string(name)))
	}
	return hasLineEndPrefix(name)
}

func hasLineEndPrefix[T string | []byte](tag T) bool {
	for _, prefix := range []string{"br", "/p", "/d", "/t", "li"} {
		if hasPrefixASCIIFold(tag, prefix) {
			return true
		}
	}
	return false
}

// htmlEntities are the HTML entities that matter around addresses and
// codes, and their text. None is a prefix of another.
var htmlEntities = []struct{ name, text string }{
	{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&quot;", `"`}, {"&nbsp;", " "}, {"&#64;", "@"},
}

// unescapeEntities decodes htmlEntities, left to right and without
// decoding the text of one again, as a strings.Replacer does, but jumping
// from one "&" to the next: the text of a large HTML part has few.
func unescapeEntities(b []byte) []byte {
	i := bytes.IndexByte(b, '&')
	if i < 0 {
		return b
	}

	out := make([]byte, 0, len(b))
	for ; i >= 0; i = bytes.IndexByte(b, '&') {
		out = append(out, b[:i]...)
		b = b[i:]
		out, b = appendEntity(out, b)
	}
	return append(out, b...)
}

// appendEntity appends the text of the entity that starts b, or only its
// "&" when htmlEntities does not list it, and returns the rest of b.
func appendEntity(out, b []byte) ([]byte, []byte) {
	for _, e := range htmlEntities {
		if bytes.HasPrefix(b, []byte(e.name)) {
			return append(out, e.text...), b[len(e.name):]
		}
	}
	return append(out, '&'), b[1:]
}

// originalMarkers are the lines that plain-text bounces put before the
// returned copy of the original message, lower-cased. Text from the
// first such line on is the original, not the bounce's prose.
var originalMarkers = []string{
	"this is a copy of the message",
	"this is a copy of your message",            // Exim 4.8x and later
	"this is a copy of the body of the message", // Exim, when the headers are not returned
	"below this line is a copy of the message",
	"original message",
	"unsent message follows",
	"message headers follow",
	"returned message",
	"header of the original message",
	"headers of the original message",
	"the original message was",
	"original message headers",
	"message/rfc822",
	"copy of the original",
	"included is the original",
	"bounced e-mail:",
	"your message reads",
	"content-type: message/rfc822",
}

var originalMarkerSet = newPhraseSet(originalMarkers)

// originalMarkerAnchors are words one of which every phrase of
// originalMarkers holds. A line without one is no marker, and the search
// for the few anchors spares most lines the search for all the phrases.
var originalMarkerAnchors = newPhraseSet([]string{"message", "original", "bounced"})

// splitOriginal returns the prose of a bounce and the quoted original
// after it, split at the first line that starts the original.
func splitOriginal(text []byte) (prose, original []byte) {
	offset := 0
	for line := range bytes.Lines(text) {
		if offset > 0 && isOriginalMarker(line) {
			return text[:offset], text[offset+len(line):]
		}
		offset += len(line)
	}
	return text, nil
}

// isOriginalMarker reports whether line introduces the returned
// original: a line that names it and is framed by dashes or similar, or
// too short to be a sentence of prose.
func isOriginalMarker(line []byte) bool {
	trimmed := bytes.TrimSpace(line)
	framed := len(trimmed) > 0 && strings.IndexByte("-=*_#", trimmed[0]) >= 0
	if len(trimmed) > 120 || !framed && len(trimmed) > 50 {
		return false
	}

	return containsPhraseLower(originalMarkerAnchors, trimmed) && containsPhraseLower(originalMarkerSet, trimmed)
}

// quotedOriginalHeader returns the header section of a quoted original:
// the first run of "Name: value" lines, skipping what some MTAs write
// before it (blank lines, an SMTP transcript).
func quotedOriginalHeader(original []byte) []byte {
	for len(original) > 0 {
		line, rest, _ := bytes.Cut(original, []byte{'\n'})
		if isFieldLine(bytes.TrimRight(line, " \t")) && !bytes.HasPrefix(line, []byte(" ")) {
			if section, ok := rawHeaderSection(newRawBody(original)); ok {
				return section
			}
			section, _ := readHeaderSection(nil, bytes.NewReader(original))
			return section
		}
		original = rest
	}
	return nil
}

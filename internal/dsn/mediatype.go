package dsn

import (
	"strings"

	"github.com/emersion/go-message"
)

// mediaParams are the parameters of a Content-Type that the parser reads.
type mediaParams struct {
	boundary   string
	charset    string
	hasCharset bool
}

// maxSimpleParams is the most parameters that parseSimpleMediaType reads.
// A value with more is left to go-message.
const maxSimpleParams = 8

// contentType returns the media type and parameters of h as
// message.Header.ContentType of go-message v0.18 returns them. The type is
// lower-cased, or the raw value along with the error for a value that
// does not parse. A header without Content-Type gives "text/plain".
func (h header) contentType() (string, mediaParams, error) {
	v := h.Get("Content-Type")
	if v == "" {
		return "text/plain", mediaParams{}, nil
	}
	if typ, params, ok := parseSimpleMediaType(v); ok {
		return typ, params, nil
	}

	// go-message decodes encoded words in parameter values.
	var mh message.Header
	mh.Set("Content-Type", v)
	typ, m, err := mh.ContentType()
	charset, hasCharset := m["charset"]
	return typ, mediaParams{boundary: m["boundary"], charset: charset, hasCharset: hasCharset}, err
}

// parseSimpleMediaType parses a Content-Type value in ASCII whose
// parameters are tokens or quoted strings without escapes, as
// mime.ParseMediaType does, without its allocations. ok is false for any
// other value, and for one that mime.ParseMediaType rejects, which the
// caller then leaves to go-message.
func parseSimpleMediaType(v string) (typ string, params mediaParams, ok bool) {
	if !isASCII(v) || strings.Contains(v, "=?") {
		return "", params, false
	}
	base, _, hasParams := strings.Cut(v, ";")
	typ = strings.ToLower(strings.TrimSpace(base))
	if !isMediaType(typ) {
		return "", params, false
	}
	if !hasParams {
		return typ, params, true
	}

	var seen [maxSimpleParams][2]string
	n := 0
	rest := v[len(base):] // from the first ";" on, which nextMediaParam expects
	for {
		rest = trimASCIISpaceLeft(rest)
		if rest == "" {
			return typ, params, true
		}
		key, value, next, found := nextMediaParam(rest)
		if !found {
			// A trailing semicolon is allowed; anything else is an
			// error that go-message words.
			return typ, params, strings.TrimSpace(rest) == ";"
		}
		if n == maxSimpleParams || !mayAddParam(seen[:n], key, value) {
			return "", params, false
		}
		seen[n] = [2]string{key, value}
		n++
		switch key {
		case "boundary":
			params.boundary = value
		case "charset":
			params.charset, params.hasCharset = value, true
		}
		rest = next
	}
}

// mayAddParam reports whether key may be added to seen: it is new, or it
// repeats with the same value, which mime.ParseMediaType allows.
func mayAddParam(seen [][2]string, key, value string) bool {
	for _, kv := range seen {
		if kv[0] == key {
			return kv[1] == value
		}
	}
	return true
}

// nextMediaParam reads "; key=value" at the start of s, with optional
// white space around each part, as mime.ParseMediaType reads a
// parameter. The key is lower-cased. found is false when s starts with no
// parameter, or with one that parseSimpleMediaType leaves to mime: a key
// with "*" (RFC 2231) or a quoted value with an escape or a line break.
func nextMediaParam(s string) (key, value, rest string, found bool) {
	s, ok := strings.CutPrefix(trimASCIISpaceLeft(s), ";")
	if !ok {
		return "", "", s, false
	}
	key, s = consumeToken(trimASCIISpaceLeft(s))
	if key == "" || strings.Contains(key, "*") {
		return "", "", s, false
	}
	if s, ok = strings.CutPrefix(trimASCIISpaceLeft(s), "="); !ok {
		return "", "", s, false
	}

	s = trimASCIISpaceLeft(s)
	if !strings.HasPrefix(s, `"`) {
		value, s = consumeToken(s)
		return strings.ToLower(key), value, s, value != ""
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 || strings.ContainsAny(s[1:1+end], "\\\r\n") {
		return "", "", s, false
	}
	return strings.ToLower(key), s[1 : 1+end], s[2+end:], true
}

// isMediaType reports whether typ is a token, optionally followed by "/"
// and another token, as mime.ParseMediaType requires.
func isMediaType(typ string) bool {
	main, rest := consumeToken(typ)
	if main == "" {
		return false
	}
	if rest == "" {
		return true
	}
	sub, rest := consumeToken(strings.TrimPrefix(rest, "/"))
	return strings.HasPrefix(typ[len(main):], "/") && sub != "" && rest == ""
}

// tspecials are the characters of RFC 2045 section 5.1 that end a token.
var tspecials = newByteSet(`()<>@,;:\"/[]?=`)

// consumeToken splits s after its leading run of token characters (RFC
// 2045 section 5.1).
func consumeToken(s string) (token, rest string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || tspecials.has(c) {
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// trimASCIISpaceLeft removes the white space that unicode.IsSpace
// reports from the start of the ASCII text s.
func trimASCIISpaceLeft(s string) string {
	for len(s) > 0 && isASCIISpace(s[0]) {
		s = s[1:]
	}
	return s
}

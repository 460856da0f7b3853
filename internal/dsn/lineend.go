package dsn

import "bytes"

// normalizeLineEndings returns raw with CRLF and lone CR line endings
// turned into LF, cut to at most limit bytes of output, and whether it
// was cut. Cutting after the conversion makes a message give the same
// report whatever its line endings, even past the limit. Input without
// CR is returned as is, not copied.
func normalizeLineEndings(raw []byte, limit int) ([]byte, bool) {
	if bytes.IndexByte(raw, '\r') < 0 {
		if len(raw) > limit {
			return raw[:limit], true
		}
		return raw, false
	}

	out := make([]byte, 0, min(len(raw), limit))
	for len(raw) > 0 && len(out) < limit {
		i := bytes.IndexByte(raw, '\r')
		if i < 0 {
			i = len(raw)
		}

		n := min(i, limit-len(out))
		out = append(out, raw[:n]...)
		raw = raw[n:]
		if len(raw) == 0 || raw[0] != '\r' || len(out) == limit {
			continue
		}

		out = append(out, '\n')
		raw = bytes.TrimPrefix(raw[1:], []byte{'\n'})
	}
	return out, len(raw) > 0
}

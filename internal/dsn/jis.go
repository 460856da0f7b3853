package dsn

import (
	"strings"

	"golang.org/x/text/encoding/japanese"
)

// decodeJIS returns text with its ISO-2022-JP (RFC 1468) sequences
// decoded to UTF-8. Lotus Domino and Japanese carriers write the reason
// in ISO-2022-JP into a Diagnostic-Code field, and the delivery-status
// part names no charset. The encoding is 7-bit, and its escape to JIS X
// 0208 ("ESC $ B", or "ESC $ @" for the 1978 set) is what marks it.
// Text that does not decode is returned as it is, and so is text with
// bytes outside 7-bit ASCII: it is not ISO-2022-JP, and the decoder would
// replace its UTF-8 or Latin-1 characters with U+FFFD.
func decodeJIS(text string) string {
	if !strings.Contains(text, "\x1b$B") && !strings.Contains(text, "\x1b$@") {
		return text
	}
	if !isASCII(text) {
		return text
	}

	decoded, err := japanese.ISO2022JP.NewDecoder().String(text)
	if err != nil {
		return text
	}
	return decoded
}

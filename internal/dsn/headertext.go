package dsn

import (
	"bytes"
	"io"
	"mime"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/ianaindex"
)

// headerWordDecoder decodes RFC 2047 encoded words as go-message's
// Header.Text does, with a charset reader that converts a word in one
// call. The charset.Reader of go-message allocates two 4 KiB buffers
// per word and io.Copy a 32 KiB one, for words of a few dozen bytes.
var headerWordDecoder = mime.WordDecoder{CharsetReader: decodeCharset}

// decodeHeaderText returns the value s with its encoded words decoded,
// or s and the error when one does not decode, as go-message v0.18's
// Header.Text returns it.
func decodeHeaderText(s string) (string, error) {
	text, err := headerWordDecoder.DecodeHeader(s)
	if err != nil {
		return s, err
	}
	return text, nil
}

// decodeCharset converts input from the charset name, already lower
// case, to UTF-8 as charset.Reader does. A charset that IANA's MIME index
// knows is converted at once into a bytes.Reader, which io.Copy drains
// without a buffer of its own. Other names, go-message's own aliases
// among them, and text that fails to convert go to charset.Reader.
func decodeCharset(name string, input io.Reader) (io.Reader, error) {
	content, err := io.ReadAll(input)
	if err != nil {
		return nil, err
	}

	if text, ok := decodeCharsetBytes(name, content); ok {
		return bytes.NewReader(text), nil
	}
	return charset.Reader(name, bytes.NewReader(content))
}

// decodeCharsetBytes converts content from the charset name, already
// lower case, to UTF-8 in one call, as the reader of charset.Reader would
// convert it, for a charset that IANA's MIME index lists and go-message
// maps no differently. ok is false for other names, and for content that
// fails to convert, which the caller leaves to charset.Reader.
func decodeCharsetBytes(name string, content []byte) (text []byte, ok bool) {
	if name == "ansi_x3.110-1983" || name == "x-utf_8j" {
		return nil, false
	}
	enc, err := ianaindex.MIME.Encoding(name)
	if err != nil || enc == nil {
		return nil, false
	}
	text, err = enc.NewDecoder().Bytes(content)
	return text, err == nil
}

// decodedHeaderText returns the decoded value of field key of h, or its
// raw value when it does not decode.
func decodedHeaderText(h header, key string) string {
	text, _ := decodeHeaderText(h.Get(key))
	return text
}

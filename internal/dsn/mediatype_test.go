package dsn

import (
	"strings"
	"testing"

	"github.com/emersion/go-message"
)

// checkContentType compares header.contentType with go-message's
// Header.ContentType on value.
func checkContentType(t *testing.T, value string) {
	t.Helper()
	if strings.ContainsRune(value, '\n') {
		return // no field value holds a line break once unfolded
	}

	var mh message.Header
	mh.Set("Content-Type", value)
	wantType, m, wantErr := mh.ContentType()
	wantCharset, wantHasCharset := m["charset"]

	h := header{fields: []headerField{{"Content-Type", value}}}
	typ, params, err := h.contentType()
	if typ != wantType || (err == nil) != (wantErr == nil) || params.boundary != m["boundary"] ||
		params.charset != wantCharset || params.hasCharset != wantHasCharset {
		t.Errorf("contentType(%q) = %q, %+v, %v; go-message gives %q, %q, %v", value, typ, params, err, wantType, m, wantErr)
	}
}

var contentTypeSeeds = []string{
	"text/plain", "TEXT/Plain; Charset=US-ASCII", "multipart/report; report-type=delivery-status;\tboundary=\"a b/c\"",
	"text/plain; charset=utf-8;", "text/plain; charset=utf-8; ;", "text/plain;charset", "text/plain; =x", "text/plain; charset=",
	"text", "text/", "/plain", "text/plain x", "text/plain; a=1; a=1", "text/plain; a=1; A=2", `text/plain; a="x\"y"`,
	`text/plain; a="unterminated`, `text/plain; a=""`, "text/plain; name*=utf-8''x", "text/plain; a*0=x; a*1=y",
	"text/plain; charset=\"=?utf-8?q?x?=\"", "text/pl\u00e1in", " text/plain ; charset = x ", "text/plain;\vcharset=x",
	"multipart/mixed; boundary=x; a=1; b=2; c=3; d=4; e=5; f=6; g=7; h=8",
}

func TestContentType_SameAsGoMessage(t *testing.T) {
	for _, v := range contentTypeSeeds {
		checkContentType(t, v)
	}

	pieces := []string{"text", "/", "plain", ";", " ", "\t", "charset", "boundary", "=", `"`, "a b", "\\", "*", "x",
		"UTF-8", ",", "\u00e9", "\r", "=?", "?="}
	for _, v := range randomTexts(17, 100000, 10, pieces) {
		checkContentType(t, v)
	}
}

func FuzzContentType(f *testing.F) {
	for _, v := range contentTypeSeeds {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, value string) {
		checkContentType(t, value)
	})
}

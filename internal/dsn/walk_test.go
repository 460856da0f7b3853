package dsn

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// checkWalkFast parses raw with walkFast and with go-message's walk
// alone, and fails when the reports differ.
func checkWalkFast(t *testing.T, name string, raw []byte) {
	t.Helper()

	opts := Options{ExtraHeaders: []string{"X-Campaign-ID"}}
	fast, fastErr := parseOptions(raw, opts, true)
	slow, slowErr := parseOptions(raw, opts, false)
	if !reflect.DeepEqual(fast, slow) || (fastErr == nil) != (slowErr == nil) {
		t.Errorf("%s: walkFast gives\n%+v, %v\ngo-message's walk gives\n%+v, %v", name, fast, fastErr, slow, slowErr)
	}
}

// walkSeeds are multipart shapes around the edges of what walkFast
// takes on.
var walkSeeds = []string{
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\npreamble\n--x\n\n--x\n\nsecond\n--x--",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\n" +
		"Final-Recipient: rfc822; a@b\nAction: failed\nStatus: 5.1.1\n--x--\n",
	"Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/alternative; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nplain 550 5.1.1 <a@b>\n--b\nContent-Type: text/html\n\n<p>x</p>\n--b--\n--a--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\n--x\nContent-Type: text/plain\n\nbody\n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x \t\nContent-Type: text/plain\n\n--xy\n--x- \n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: text/plain\n\nno close\n",
	"Content-Type: multipart/report; boundary=x\n\n--x--\n--x\n\nbody\n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nbad header line\n\nbody\n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: text/plain; charset=x-unknown\n\nbody\n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Transfer-Encoding: x-uuencode\n\nbody\n--x--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--x--  \n",
	"Content-Type: multipart/report; boundary=\"a b\"\n\n--a b\n\nbody\n--a b--\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: multipart/mixed\n\n--y\n\nz\n--x--\n",

	// Cut off before the close delimiter.
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n" +
		"--x\nContent-Type: message/rfc822\n\nSubject: a\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/rfc822\n\nSubject: a\n\nbody\n",
	"Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/delivery-status\n\n" +
		"Final-Recipient: rfc822; a@b\nStatus: 5.1.1\n\n",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello 550 5.1.1\n--",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n--x",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n--xy",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\n\n-abc\n",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\n",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\n\n",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; charset=utf-8\n\nhello\n",
	"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: multipart/alternative; boundary=y\n\n--y\n\nz\n",
}

func TestWalkFast_SameAsGoMessage(t *testing.T) {
	for i, s := range walkSeeds {
		checkWalkFast(t, "seed "+string(rune('a'+i)), []byte(s))
	}

	paths, err := filepath.Glob("testdata/*.eml")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"bsd", "not"} {
		more, _ := filepath.Glob(filepath.Join(corpusDir, "maildir", dir, "*.eml"))
		paths = append(paths, more...)
	}
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkWalkFast(t, path, raw)
	}
}

func TestDelimiterSearch_SameAsIndex(t *testing.T) {
	pieces := []string{"\n", "-", "--", "x", "_", "P", "7", "=", "a", " ", "\n--", "--=_P7"}
	texts := randomTexts(22, 50000, 16, pieces)
	for _, boundary := range []string{"=_P7", "abc", "a_b", "Z", "7x", "=-"} {
		dash := []byte("--" + boundary)
		d := newDelimiterSearch(boundary)
		nlDash := append([]byte{'\n'}, dash...)
		for _, text := range texts {
			if got, want := d.index([]byte(text)), bytes.Index([]byte(text), nlDash); got != want {
				t.Errorf("index of %q in %q = %d, want %d", nlDash, text, got, want)
			}
		}
	}
}

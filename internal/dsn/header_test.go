package dsn

import (
	"bufio"
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-message/textproto"
	nettextproto "net/textproto"
)

// fieldList returns the fields of h from top to bottom, unfolded, with
// their names in go-message's canonical form.
func fieldList(h header) []headerField {
	var list []headerField
	for _, f := range h.fields {
		list = append(list, headerField{nettextproto.CanonicalMIMEHeaderKey(f.key), unfoldValue(f.value)})
	}
	return list
}

// checkHeaderFast compares readHeaderFast with textproto.ReadHeader on
// data: the same fields in the same order, the same values for each key,
// and the same number of bytes read.
func checkHeaderFast(t *testing.T, data []byte) {
	t.Helper()
	if bytes.IndexByte(data, '\r') >= 0 {
		return
	}

	h, n, ok := readHeaderFast(data)
	if !ok {
		return
	}
	r := bytes.NewReader(data)
	br := bufio.NewReader(r)
	want, err := textproto.ReadHeader(br)
	if err != nil {
		t.Errorf("readHeaderFast(%q) read a header that ReadHeader rejects: %v", data, err)
		return
	}

	if got, wantFields := fieldList(h), fieldList(headerFromTextproto(want)); !slices.Equal(got, wantFields) {
		t.Errorf("readHeaderFast(%q) = %q; ReadHeader gives %q", data, got, wantFields)
	}
	for _, f := range fieldList(headerFromTextproto(want)) {
		if !slices.Equal(h.Values(f.key), want.Values(f.key)) || h.Get(f.key) != want.Get(f.key) {
			t.Errorf("readHeaderFast(%q): values of %q differ from ReadHeader's", data, f.key)
		}
	}
	if read := len(data) - r.Len() - br.Buffered(); n != read {
		t.Errorf("readHeaderFast(%q) read %d bytes; ReadHeader read %d", data, n, read)
	}
}

// headerSeeds are header sections of bounces and their edge cases.
var headerSeeds = []string{
	"", "\n", "\n\nbody", "From: a@b\n", "From: a@b", "From: a@b\n\nbody\n",
	"Subject: one\n two\n\tthree\nTo: c@d\n\n",
	"Received: from x\n by y\n\nX: 1\n",
	"A:\n  \n b\nB :  v  \n\n", ": empty name\nC: c\n\n", "no colon\n\n", " leading: space\n\n",
	"Bad Name: v\n\n", "D: v\nd: w\nD: x\n\n", "Final-Recipient: rfc822; a@b\nAction: failed\n\nStatus: 5.1.1\n",
	"K: \xff\xfe\n\n", "K:v\n  \n\n", "K: v\n\t", "Content-Type: multipart/report;\n  boundary=\"x\"\n\n--x\n",
}

func TestReadHeaderFast_SameAsReadHeader(t *testing.T) {
	for _, s := range headerSeeds {
		checkHeaderFast(t, []byte(s))
	}

	// Random sections over the bytes that matter to the syntax.
	pieces := []string{"From", "to", "X-A", ":", " ", "\t", "\n", "\n", "v", "a@b", "-", "\xc3"}
	for _, text := range randomTexts(5, 100000, 20, pieces) {
		checkHeaderFast(t, []byte(text))
	}
}

func FuzzReadHeaderFast(f *testing.F) {
	for _, s := range headerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkHeaderFast(t, data)
	})
}

func TestReadHeaderFields_KeepsEntityFields(t *testing.T) {
	data := []byte("X-Mailer: m\ncontent-type: text/plain;\n charset=utf-8\nReceived: a\n b\n" +
		"Content-Transfer-Encoding: base64\n\nbody\n")

	h, n, ok := readHeaderFields(data, isEntityField[[]byte])
	if !ok {
		t.Fatal("readHeaderFields declined a plain header")
	}
	if want := bytes.Index(data, []byte("body")); n != want {
		t.Errorf("read %d bytes, want %d", n, want)
	}
	want := []headerField{
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "base64"},
	}
	if got := fieldList(h); !slices.Equal(got, want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
}

func TestReadHeaderFields_DeclinesBadSkippedField(t *testing.T) {
	if _, _, ok := readHeaderFields([]byte("Bad Name: x\n\n"), isEntityField[[]byte]); ok {
		t.Error("readHeaderFields accepted an invalid field name it skips")
	}
}

func TestRawHeaderSection_SameAsReader(t *testing.T) {
	long := strings.Repeat("x", headerLineBuffer-1)
	pieces := []string{"\n", "\n", " ", "\t", "Subject: s", "To: a@b", "x", long, "\n\n"}
	texts := append(randomTexts(16, 20000, 8, pieces), "", "\n", "\n\nA: b\n\nbody", long+"\n\n", long+"xx\n\n")
	for _, text := range texts {
		got, ok := rawHeaderSection(newRawBody([]byte(text)))
		if !ok {
			continue
		}
		want, err := readHeaderSection(nil, bytes.NewReader([]byte(text)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("rawHeaderSection(%q) = %q; readHeaderSection gives %q, %v", text, got, want, err)
		}
	}
}

func TestReadHeaderFast_DeclinesLargeSection(t *testing.T) {
	value := strings.Repeat("x", maxFastSection)
	if _, _, ok := readHeaderFast([]byte("Subject: " + value + "\n\nbody")); ok {
		t.Errorf("readHeaderFast took a section of more than %d bytes", maxFastSection)
	}
	if _, n, ok := readHeaderFast([]byte("Subject: " + value[:1000] + "\n\nbody")); !ok || n != len("Subject: ")+1002 {
		t.Errorf("readHeaderFast of a small section = %d, %v; want %d, true", n, ok, len("Subject: ")+1002)
	}
}

// readHeaderBlocksEach is readHeaderBlocksFast as it was before the
// blocks shared one copy: readHeaderFast on each block.
func readHeaderBlocksEach(data []byte) ([]header, []byte) {
	if bytes.IndexByte(data, '\r') >= 0 {
		return nil, data
	}

	var blocks []header
	for len(blocks) <= MaxRecipients && len(data) > 0 {
		h, n, ok := readHeaderFast(data)
		if !ok {
			break
		}
		if h.Len() > 0 {
			blocks = append(blocks, h)
		}
		data = data[n:]
	}
	return blocks, data
}

func TestReadHeaderBlocksFast_SameAsEachBlock(t *testing.T) {
	pieces := []string{"Final-Recipient: rfc822; a@b\n", "Action: failed\n", "Status: 5.1.1", "\n", "\n\n", " folded\n",
		"\tx\n", "no colon\n", ": empty name\n", "Bad Name: x\n", "X:", "\r", "é: y\n"}
	texts := append(randomTexts(27, 50000, 12, pieces), "", "\n", strings.Repeat("A: b\n\n", MaxRecipients+3))
	for _, text := range texts {
		gotBlocks, gotRest := readHeaderBlocksFast([]byte(text))
		wantBlocks, wantRest := readHeaderBlocksEach([]byte(text))
		if !reflect.DeepEqual(gotBlocks, wantBlocks) || !bytes.Equal(gotRest, wantRest) {
			t.Errorf("readHeaderBlocksFast(%q) = %v, %q; each block alone gives %v, %q", text, gotBlocks, gotRest, wantBlocks, wantRest)
		}
	}
}

func TestHeaderNames_SameLookups(t *testing.T) {
	pieces := []string{"From: a\n", "from: b\n", "X-Mailer: c\n", "Subject: d\n", "SUBJECT: e\n", "To: f\n", "Status: g\n",
		"X: h\n", "Received: i\n", " folded\n"}
	keys := []string{"From", "FROM", "Subject", "X-Mailer", "x-mailer", "To", "Status", "X", "Received", "Date", "Y", "Content-Type"}
	for _, text := range randomTexts(30, 20000, 8, pieces) {
		h, _, ok := readHeaderFast([]byte(text + "\n"))
		if !ok {
			continue
		}
		plain := header{fields: h.fields}
		for _, key := range keys {
			if got, want := h.Get(key), plain.Get(key); got != want {
				t.Errorf("Get(%q) of %q = %q, want %q", key, text, got, want)
			}
			if got, want := h.Values(key), plain.Values(key); !slices.Equal(got, want) {
				t.Errorf("Values(%q) of %q = %q, want %q", key, text, got, want)
			}
		}
	}
}

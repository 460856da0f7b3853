package dsn

import (
	"bytes"
	"encoding/binary"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
)

// checkQuotedPrintable compares decodeQuotedPrintable with
// mime/quotedprintable read through a limit, as readBody reads a part:
// where the fast decoder accepts src, the standard reader must return
// the same bytes and no error.
func checkQuotedPrintable(t *testing.T, src []byte, limit int) {
	t.Helper()

	got, ok := decodeQuotedPrintable(nil, src, limit)
	want, err := io.ReadAll(io.LimitReader(quotedprintable.NewReader(bytes.NewReader(src)), int64(limit)))
	if !ok {
		return
	}
	if err != nil {
		t.Errorf("decodeQuotedPrintable(%q) accepted input that mime/quotedprintable rejects: %v", src, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("decodeQuotedPrintable(%q) = %q, mime/quotedprintable gives %q", src, got, want)
	}
}

var qpCases = []string{
	"",
	"plain line\n",
	"caf=C3=A9 =3D sign\nsecond line",
	"soft break=\ncontinued\n",
	"soft break with blanks=  \t\nnext\n",
	"trailing blanks   \n\t\n",
	"literal = and =4 and =G1 and =4\n",
	"lower hex =c3=a9\n",
	"last line soft=",
	"=",
	"x=\n",
	"bad = x\n",
	"bad after soft= x\nrest\n",
	"control \x01 byte\n",
	"high \xff byte\n",
	"tab\there\n\n\n",
	strings.Repeat("a", 5000) + "\n",
}

func TestDecodeQuotedPrintable_MatchesStandardReader(t *testing.T) {
	for _, src := range qpCases {
		for _, limit := range []int{0, 1, 5, 17, maxTextBytes} {
			checkQuotedPrintable(t, []byte(src), limit)
		}
	}
}

func TestDecodeQuotedPrintable_DeclinesErrors(t *testing.T) {
	for _, src := range []string{"control \x01 byte\n", "=", strings.Repeat("a", 5000)} {
		if _, ok := decodeQuotedPrintable(nil, []byte(src), maxTextBytes); ok {
			t.Errorf("decodeQuotedPrintable(%q) accepted input mime/quotedprintable fails on", src)
		}
	}
}

func FuzzDecodeQuotedPrintable(f *testing.F) {
	for _, src := range qpCases {
		f.Add([]byte(src), uint16(64))
	}
	f.Fuzz(func(t *testing.T, src []byte, limit uint16) {
		checkQuotedPrintable(t, src, int(limit))
	})
}

func TestLiteralRun_SameAsByteLoop(t *testing.T) {
	pieces := []string{"a", "abcdefgh", " ", "\t", "\r", "\n", "=", "=3D", "\x00", "\x1f", "\x7f", "\x80", "\xff", "~", "!", "\x20\x20"}
	for _, text := range randomTexts(35, 100000, 20, pieces) {
		want := 0
		for want < len(text) && isLiteralQP(text[want]) {
			want++
		}
		if got := literalRun([]byte(text)); got != want {
			t.Errorf("literalRun(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestMayEndLiteralRun_MissesNone(t *testing.T) {
	for c := range 256 {
		if isLiteralQP(byte(c)) {
			continue
		}
		for pos := range 8 {
			for _, fill := range []byte{'a', 0x20, 0xff, 0x80} {
				word := bytes.Repeat([]byte{fill}, 8)
				word[pos] = byte(c)
				if !mayEndLiteralRun(binary.LittleEndian.Uint64(word)) {
					t.Errorf("mayEndLiteralRun(%q) = false; byte %d (%#x) is no literal", word, pos, c)
				}
			}
		}
	}
}

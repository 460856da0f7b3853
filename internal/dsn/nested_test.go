package dsn

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestParse_NestedKeepsNoticeRecipient checks filter notices whose
// returned message must not replace the notice's own recipient.
func TestParse_NestedKeepsNoticeRecipient(t *testing.T) {
	tests := []struct {
		fixture, why string
		want         string
	}{
		{
			"nested-quoted-bounce.eml",
			"the returned original quotes a bounce that its writer chose",
			"alice@example.org",
		},
		{
			"nested-to-substring.eml",
			"the recipient is only a substring of the returned report's To",
			"bob@example.org",
		},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			r := mustParse(t, readFixture(t, tt.fixture))

			if len(r.Recipients) != 1 {
				t.Fatalf("got %d recipients %+v, want 1", len(r.Recipients), r.Recipients)
			}
			if got := r.Recipients[0].FinalRecipient; got != tt.want {
				t.Errorf("recipient %q, want %q: %s", got, tt.want, tt.why)
			}
			if got := r.Recipients[0].ReplyCode; got != 0 {
				t.Errorf("reply code %d, want none: 550 is the nested report's", got)
			}
		})
	}
}

// nestedNotice returns a filter notice that names no code and returns
// inner, a report of its own.
func nestedNotice(header, inner string) []byte {
	return []byte("From: Mail Delivery System <MAILER-DAEMON@filter.example.org>\n" + header +
		"Subject: Undeliverable message\nContent-Type: multipart/mixed; boundary=\"OUTER\"\n\n" +
		"--OUTER\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" +
		"--OUTER\nContent-Type: message/rfc822\n\n" + inner + "\n--OUTER--\n")
}

// manyRecipientsNested returns a notice for MaxRecipients addresses without
// codes whose returned report fails as many others and has a To of junk
// bytes of filler before the notice's addresses.
func manyRecipientsNested(junk int) []byte {
	var outer, inner, prose []string
	for i := range MaxRecipients {
		outer = append(outer, fmt.Sprintf("a%d@x.example", i))
		inner = append(inner, fmt.Sprintf("b%d@y.example", i))
		prose = append(prose, fmt.Sprintf("<b%d@y.example>: 550 5.1.1 User unknown", i))
	}
	return nestedNotice("X-Failed-Recipients: "+strings.Join(outer, ", ")+"\n",
		"From: MAILER-DAEMON@mx.example.net\nX-Failed-Recipients: "+strings.Join(inner, ", ")+
			"\nTo: "+strings.Repeat("j ", junk/2)+strings.Join(outer, ", ")+
			"\nSubject: Returned mail: see transcript for details\n\n"+strings.Join(prose, "\n")+"\n")
}

// largeNestedNotice returns a notice whose returned report, parsed a
// second time, has a body of about size bytes.
func largeNestedNotice(size int) []byte {
	line := "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n"
	return nestedNotice("", "From: MAILER-DAEMON@mx.example.net\n"+
		"Subject: Returned mail: see transcript for details\n\n"+
		"<x@example.net>: 550 5.1.1 User unknown\n\n"+strings.Repeat(line, size/len(line)))
}

// returnedMessageByLine is returnedMessage as it was before it looked
// for "822" first: isRFC822ContentType on every line.
func returnedMessageByLine(data []byte) []byte {
	offset := 0
	for line := range bytes.Lines(data) {
		offset += len(line)
		if !isRFC822ContentType(line) {
			continue
		}
		if end := headerEnd(data[offset:]); end < len(data[offset:]) {
			return data[offset+end:]
		}
		return nil
	}
	return nil
}

func TestReturnedMessage_SameAsByLine(t *testing.T) {
	pieces := []string{"Content-Type: message/rfc822\n", "content-type:MESSAGE/RFC822", " Content-Type : message/rfc822; x\n",
		"Content-Type: text/rfc822-headers\n", "822", "\n", "\n\n", "x", "From: a\n", "rfc822\n"}
	found := 0
	for _, text := range randomTexts(32, 50000, 10, pieces) {
		got, want := returnedMessage([]byte(text)), returnedMessageByLine([]byte(text))
		if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("returnedMessage(%q) = %q, want %q", text, got, want)
		}
		if want != nil {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("only %d texts return a message; the test covers too few", found)
	}
}

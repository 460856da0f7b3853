package dsn

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, keeps its limits and gives
// the same result for LF, CRLF and CR line endings. It calls parse, not
// Parse, so that the recover in Parse does not hide a panic.
func FuzzParse(f *testing.F) {
	paths, err := filepath.Glob("testdata/*.eml")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range paths {
		f.Add(readFixture(f, filepath.Base(path)))
	}

	// A report cut off inside its delivery-status part.
	f.Add([]byte("Content-Type: multipart/report; boundary=x\n\n--x\n" +
		"Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b\nStat"))
	// A multipart without a boundary parameter.
	f.Add([]byte("Content-Type: multipart/report\n\n--\nFinal-Recipient: a@b\n"))
	// An unterminated comment, escape and angle bracket.
	f.Add([]byte("Content-Type: message/delivery-status\n\n" +
		"Final-Recipient: utf-8; (x <a\\x{D800}@b\nDiagnostic-Code: smtp; 550-5.1.1\n"))
	// A feedback report naming no recipient and returning no message.
	f.Add([]byte("Content-Type: message/feedback-report\n\nFeedback-Type: abuse\n"))

	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := parse(raw)
		if err != nil {
			if r != nil {
				t.Fatalf("got a report with error %v", err)
			}
			return
		}

		checkReport(t, r)
		if slow, err := parseOptions(raw, Options{}, false); err != nil || !reflect.DeepEqual(slow, r) {
			t.Fatalf("walkFast changed the report:\n got %+v\nwant %+v, %v", r, slow, err)
		}
		for _, variant := range [][]byte{toCRLF(raw), toCR(raw)} {
			r2, err := parse(variant)
			if err != nil || !reflect.DeepEqual(r2, r) {
				t.Fatalf("line endings changed the report:\n got %+v, %v\nwant %+v", r2, err, r)
			}
		}
	})
}

func checkReport(t *testing.T, r *Report) {
	t.Helper()

	switch r.Kind {
	case KindFailure, KindDelay, KindDelivered, KindComplaint, KindAutoReply:
	case KindNotBounce:
		if len(r.Recipients) != 0 {
			t.Fatalf("kind %q with %d recipients", r.Kind, len(r.Recipients))
		}
	default:
		t.Fatalf("unknown kind %q", r.Kind)
	}

	if len(r.Recipients) > MaxRecipients {
		t.Fatalf("%d recipients, limit %d", len(r.Recipients), MaxRecipients)
	}
	if len(r.Warnings) > maxWarnings {
		t.Fatalf("%d warnings, limit %d", len(r.Warnings), maxWarnings)
	}
}

// largeBounce returns the Cox fixture with a returned body of about size
// bytes.
func largeBounce(b *testing.B, size int) []byte {
	raw := readFixture(b, "postfix-cox-aup.eml")
	at := bytes.Index(raw, []byte("Hello Alice"))
	line := []byte("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n")

	var buf bytes.Buffer
	buf.Write(raw[:at])
	for buf.Len() < size {
		buf.Write(line)
	}
	buf.Write(raw[at:])
	return buf.Bytes()
}

func BenchmarkParse(b *testing.B) {
	inputs := []struct {
		name string
		raw  []byte
	}{
		{"typical", readFixture(b, "postfix-cox-aup.eml")},
		{"typical-crlf", toCRLF(readFixture(b, "postfix-cox-aup.eml"))},
		{"4MiB", largeBounce(b, 4<<20)},
		{"16MiB", largeBounce(b, 16<<20)},
		{"16MiB-nested", largeNestedNotice(16 << 20)},
		{"1000-recipients-nested", manyRecipientsNested(0)},
		{"1000-recipients-nested-1MiB-To", manyRecipientsNested(1 << 20)},
		{"4MiB-hostile-text", hostileText(strings.Repeat("a.", 2<<20))},
		{"hostile-short-lines", hostileText(strings.Repeat("a\n", 128<<10))},
	}

	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.raw)))
			for b.Loop() {
				if _, err := Parse(in.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// hostileText returns a plain-text bounce whose X-Failed-Recipients names
// 1000 addresses that its body, body, never mentions: each recipient's
// block is then the whole prose, which made the work quadratic before
// blocks were bounded.
func hostileText(body string) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.org\nSubject: failure notice\nX-Failed-Recipients: " +
		strings.Repeat("q@example.net, ", MaxRecipients) + "\n\n" + body)
}

func TestParse_HostilePlainText(t *testing.T) {
	bodies := map[string]string{
		"one long line":   strings.Repeat("a.", 2<<20),
		"at signs":        strings.Repeat("@", 4<<20),
		"reply codes":     strings.Repeat("550 5.1.1 ", 400000),
		"command phrases": strings.Repeat("after after after ", 200000),
		"addresses":       strings.Repeat("x@y.example ", 300000),
		// Each recipient once read every line for a transcript: seconds.
		"short lines": strings.Repeat("a\n", 128<<10),
	}
	for name, body := range bodies {
		r, err := parse(hostileText(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkReport(t, r)
		if len(r.Recipients) == 0 {
			t.Errorf("%s: no recipient from X-Failed-Recipients", name)
		}
	}
}

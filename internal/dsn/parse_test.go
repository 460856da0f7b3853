package dsn

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden JSON files in testdata")

// TestParse_Golden parses each testdata/*.eml and compares the report
// with testdata/*.json.
func TestParse_Golden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.eml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in testdata: %v", err)
	}

	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}

			var got bytes.Buffer
			enc := json.NewEncoder(&got)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.TrimSuffix(path, ".eml")+".json", got.Bytes())
		})
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()

	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}

	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file missing, run with -update: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("report differs from %s:\n got %s\nwant %s", path, got, want)
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()

	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func mustParse(t *testing.T, raw []byte) *Report {
	t.Helper()

	r, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return r
}

// toLF, toCRLF and toCR rewrite a message's line endings.
func toLF(raw []byte) []byte {
	out, _ := normalizeLineEndings(raw, len(raw))
	return out
}

func toCRLF(raw []byte) []byte {
	return bytes.ReplaceAll(toLF(raw), []byte("\n"), []byte("\r\n"))
}

func toCR(raw []byte) []byte {
	return bytes.ReplaceAll(toLF(raw), []byte("\n"), []byte("\r"))
}

func TestParse_LineEndingsGiveSameReport(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.eml")
	for _, path := range paths {
		raw := readFixture(t, filepath.Base(path))
		want := mustParse(t, toLF(raw))
		for name, variant := range map[string][]byte{"CRLF": toCRLF(raw), "CR": toCR(raw)} {
			if got := mustParse(t, variant); !reflect.DeepEqual(got, want) {
				t.Errorf("%s with %s line endings:\n got %+v\nwant %+v", path, name, got, want)
			}
		}
	}
}

func TestParse_CoxAUP(t *testing.T) {
	r := mustParse(t, readFixture(t, "postfix-cox-aup.eml"))
	if r.Kind != KindFailure {
		t.Errorf("Kind = %q, want %q", r.Kind, KindFailure)
	}
	if len(r.Recipients) != 1 {
		t.Fatalf("got %d recipients, want 1", len(r.Recipients))
	}

	rcpt := r.Recipients[0]
	if rcpt.ReplyCode != 552 {
		t.Errorf("ReplyCode = %d, want 552", rcpt.ReplyCode)
	}
	if rcpt.SpecificStatus() != "5.2.0" {
		t.Errorf("SpecificStatus() = %q, want 5.2.0", rcpt.SpecificStatus())
	}
	if !strings.Contains(rcpt.DiagnosticCode, "sender rejected AUP#POL") {
		t.Errorf("DiagnosticCode = %q, want the AUP#POL text", rcpt.DiagnosticCode)
	}
	if rcpt.RemoteMTA != "cxr.mx.a.cloudfilter.net" {
		t.Errorf("RemoteMTA = %q, want cxr.mx.a.cloudfilter.net", rcpt.RemoteMTA)
	}
	if r.Original.MessageID != "newsletter-2025-01.alice@example.org" {
		t.Errorf("Original.MessageID = %q", r.Original.MessageID)
	}
}

func TestParse_GenericStatusRefined(t *testing.T) {
	r := mustParse(t, readFixture(t, "exim-crlf-generic-status.eml"))
	if len(r.Recipients) != 1 {
		t.Fatalf("got %d recipients, want 1", len(r.Recipients))
	}

	rcpt := r.Recipients[0]
	if rcpt.Status != "5.0.0" {
		t.Errorf("Status = %q, want 5.0.0 as reported", rcpt.Status)
	}
	if rcpt.DiagnosticStatus != "5.1.1" {
		t.Errorf("DiagnosticStatus = %q, want 5.1.1", rcpt.DiagnosticStatus)
	}
	if rcpt.SpecificStatus() != "5.1.1" {
		t.Errorf("SpecificStatus() = %q, want 5.1.1", rcpt.SpecificStatus())
	}
}

func TestParse_Kinds(t *testing.T) {
	tests := []struct {
		fixture    string
		kind       Kind
		recipients []string
	}{
		{"postfix-cox-aup.eml", KindFailure, []string{"alice@cox.net"}},
		{"sendmail-folded-multi.eml", KindFailure,
			[]string{"carol@example.com", "dave@example.net", "erin@example.org"}},
		{"delay-nested-mixed.eml", KindDelay, []string{"frank@example.com"}},
		// "could not be delivered for the following reason" names no
		// queue lifetime, so the 451 is still a delay.
		{"delay-delivered-for-reason.eml", KindDelay, []string{"bob@example.org"}},
		{"arf-abuse.eml", KindComplaint, []string{"grace@example.net"}},
		// No Original-Rcpt-To, and the To names three: one complained.
		{"arf-several-to.eml", KindComplaint, nil},
		{"vacation.eml", KindAutoReply, []string{"heidi@example.com"}},
		{"plain-mail.eml", KindNotBounce, nil},
		{"global-dsn.eml", KindFailure, []string{"陳健@example.cn"}},
		{"missing-boundary.eml", KindFailure, []string{"kim@example.net"}},
	}

	for _, tt := range tests {
		r := mustParse(t, readFixture(t, tt.fixture))
		if r.Kind != tt.kind {
			t.Errorf("%s: Kind = %q, want %q", tt.fixture, r.Kind, tt.kind)
		}

		var got []string
		for _, rcpt := range r.Recipients {
			got = append(got, rcpt.FinalRecipient)
		}
		if !reflect.DeepEqual(got, tt.recipients) {
			t.Errorf("%s: recipients %q, want %q", tt.fixture, got, tt.recipients)
		}
	}
}

func TestParse_Errors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string
	}{
		{"empty", "", "dsn: empty message"},
		{"blank lines", "\r\n\r\n", "dsn: empty message"},
		{"no header", "just some text\nwithout a header\n", "dsn: read message header: "},
		{"header starts folded", " folded: value\n\nbody\n", "dsn: read message header: "},
	}

	for _, tt := range tests {
		r, err := Parse([]byte(tt.input))
		if err == nil {
			t.Errorf("%s: got report %+v, want error", tt.name, r)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want prefix %q", tt.name, err, tt.want)
		}
		if errors.Is(err, errEmpty) != strings.Contains(tt.want, "empty") {
			t.Errorf("%s: errors.Is(err, errEmpty) wrong for %v", tt.name, err)
		}
	}
}

func TestParse_UnknownCharsetIsWarning(t *testing.T) {
	raw := []byte("From: a@example.org\nContent-Type: text/plain; charset=x-no-such-charset\n\nbody\n")
	r := mustParse(t, raw)
	if r.Kind != KindNotBounce {
		t.Errorf("Kind = %q, want %q", r.Kind, KindNotBounce)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "x-no-such-charset") {
		t.Errorf("Warnings = %q, want one about the charset", r.Warnings)
	}
}

func TestParse_UnknownEncodingIsWarning(t *testing.T) {
	raw := readFixture(t, "postfix-cox-aup.eml")
	raw = bytes.Replace(raw, []byte("Content-Type: message/delivery-status\n"),
		[]byte("Content-Type: message/delivery-status\nContent-Transfer-Encoding: x-uuencode\n"), 1)

	r := mustParse(t, raw)
	if len(r.Warnings) == 0 {
		t.Error("no warning for an unknown transfer encoding")
	}
	if len(r.Recipients) != 1 {
		t.Errorf("got %d recipients, want 1 read from the undecoded body", len(r.Recipients))
	}
}

// nestedMultipart returns a message with depth multiparts nested in each
// other and a delivery-status part at the bottom.
func nestedMultipart(depth int) []byte {
	var b strings.Builder
	b.WriteString("From: a@example.org\n")
	for i := range depth {
		b.WriteString("Content-Type: multipart/mixed; boundary=b" + string(rune('a'+i)) + "\n\n")
		b.WriteString("--b" + string(rune('a'+i)) + "\n")
	}
	b.WriteString("Content-Type: message/delivery-status\n\n")
	b.WriteString("Final-Recipient: rfc822; deep@example.net\nAction: failed\nStatus: 5.1.1\n")
	for i := depth - 1; i >= 0; i-- {
		b.WriteString("\n--b" + string(rune('a'+i)) + "--\n")
	}
	return []byte(b.String())
}

func TestParse_DepthLimit(t *testing.T) {
	r := mustParse(t, nestedMultipart(MaxDepth))
	if len(r.Recipients) != 1 {
		t.Errorf("at depth %d: got %d recipients, want 1", MaxDepth, len(r.Recipients))
	}

	r = mustParse(t, nestedMultipart(MaxDepth+1))
	if len(r.Recipients) != 0 {
		t.Errorf("at depth %d: got %d recipients, want 0", MaxDepth+1, len(r.Recipients))
	}
	if len(r.Warnings) == 0 {
		t.Errorf("at depth %d: no warning", MaxDepth+1)
	}
}

func TestParse_PartLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\nContent-Type: multipart/mixed; boundary=x\n\n")
	for range MaxParts + 10 {
		b.WriteString("--x\nContent-Type: text/plain\n\nfiller\n")
	}
	b.WriteString("--x\nContent-Type: message/delivery-status\n\n")
	b.WriteString("Final-Recipient: rfc822; late@example.net\nAction: failed\n--x--\n")

	r := mustParse(t, []byte(b.String()))
	if len(r.Recipients) != 0 {
		t.Errorf("got %d recipients past the part limit, want 0", len(r.Recipients))
	}
	if len(r.Warnings) == 0 {
		t.Error("no warning at the part limit")
	}
}

func TestParse_RecipientLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.org\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx\n")
	for range MaxRecipients + 5 {
		b.WriteString("\nFinal-Recipient: rfc822; r@example.net\nAction: failed\n")
	}

	r := mustParse(t, []byte(b.String()))
	if len(r.Recipients) != MaxRecipients {
		t.Errorf("got %d recipients, want %d", len(r.Recipients), MaxRecipients)
	}
}

func TestParse_TruncatedInput(t *testing.T) {
	raw := readFixture(t, "postfix-cox-aup.eml")
	cut := bytes.Index(raw, []byte("Hello Alice"))
	big := append(bytes.Clone(raw[:cut]), bytes.Repeat([]byte("x"), MaxInputBytes)...)

	r := mustParse(t, big)
	if !r.Truncated {
		t.Error("Truncated = false for input over MaxInputBytes")
	}
	if len(r.Recipients) != 1 || r.Original.MessageID == "" {
		t.Errorf("report lost its fields: %d recipients, Message-ID %q",
			len(r.Recipients), r.Original.MessageID)
	}
}

func TestParse_MboxFromLine(t *testing.T) {
	raw := append([]byte("From MAILER-DAEMON Tue Jan 14 09:12:44 2025\n"), readFixture(t, "postfix-cox-aup.eml")...)
	r := mustParse(t, raw)
	if len(r.Recipients) != 1 {
		t.Errorf("got %d recipients, want 1", len(r.Recipients))
	}
}

func TestParse_OriginalHeaders(t *testing.T) {
	r := mustParse(t, readFixture(t, "sendmail-folded-multi.eml"))

	want := "cafe-hours-0116@example.org"
	if r.Original.MessageID != want {
		t.Errorf("MessageID = %q, want %q", r.Original.MessageID, want)
	}
	if r.Original.Subject != "Café opening hours" {
		t.Errorf("Subject = %q, want the RFC 2047 decoded text", r.Original.Subject)
	}
	if r.Original.From != "team@example.org" {
		t.Errorf("From = %q, want team@example.org", r.Original.From)
	}
	if r.Original.To != "carol@example.com, dave@example.net, erin@example.org" {
		t.Errorf("To = %q", r.Original.To)
	}
	if r.Original.Date.IsZero() {
		t.Error("Date not parsed")
	}
}

func TestParse_Concurrent(t *testing.T) {
	paths, _ := filepath.Glob("testdata/*.eml")
	inputs := make([][]byte, len(paths))
	want := make([]*Report, len(paths))
	for i, path := range paths {
		inputs[i] = readFixture(t, filepath.Base(path))
		want[i] = mustParse(t, inputs[i])
	}

	var wg sync.WaitGroup
	errs := make(chan string, 8*len(paths))
	for range 8 {
		wg.Go(func() {
			for i, raw := range inputs {
				if got, err := Parse(raw); err != nil || !reflect.DeepEqual(got, want[i]) {
					errs <- paths[i]
				}
			}
		})
	}
	wg.Wait()
	close(errs)

	for path := range errs {
		t.Errorf("%s: concurrent Parse gave a different report", path)
	}
}

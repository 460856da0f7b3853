package dsn

import (
	"bytes"
	"reflect"
	"testing"
	"time"
)

func TestParseAddressField(t *testing.T) {
	tests := []struct {
		value, want string
	}{
		{"rfc822; a@example.org", "a@example.org"},
		{"rfc822;a@example.org", "a@example.org"},
		{"RFC822; <a@example.org>", "a@example.org"},
		{"rfc822; a@example.org (old address)", "a@example.org"},
		{"rfc822; (comment (nested)) <a@example.org>", "a@example.org"},
		{"rfc822; Alice <a@example.org>", "a@example.org"},
		{"rfc822; 'a@example.org'", "a@example.org"},
		{`rfc822; "a..b"@example.org`, `"a..b"@example.org`},
		{"a@example.org", "a@example.org"},
		{"utf-8; \\x{9673}\\x{5065}@example.cn", "陳健@example.cn"},
		{"utf-8; bad\\x{zz}@example.cn", "bad\\x{zz}@example.cn"},
		{"rfc822; ", ""},
		{"", ""},
	}

	for _, tt := range tests {
		if got := parseAddressField(tt.value); got != tt.want {
			t.Errorf("parseAddressField(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestSplitTyped(t *testing.T) {
	tests := []struct {
		value, typ, rest string
	}{
		{"dns; mx.example.org", "dns", "mx.example.org"},
		{"SMTP;550 5.1.1 user unknown", "smtp", "550 5.1.1 user unknown"},
		{"X-Postfix; connect to mx: timed out", "x-postfix", "connect to mx: timed out"},
		{"550 5.1.1 <a@b>; user unknown", "", "550 5.1.1 <a@b>; user unknown"},
		{"mx.example.org", "", "mx.example.org"},
		{"", "", ""},
	}

	for _, tt := range tests {
		typ, rest := splitTyped(tt.value)
		if typ != tt.typ || rest != tt.rest {
			t.Errorf("splitTyped(%q) = %q, %q, want %q, %q", tt.value, typ, rest, tt.typ, tt.rest)
		}
	}
}

func TestParseAction(t *testing.T) {
	tests := []struct {
		value string
		want  Action
	}{
		{"failed", ActionFailed},
		{"FAILED", ActionFailed},
		{"failure", ActionFailed},
		{"delayed (retrying)", ActionDelayed},
		{"delivered", ActionDelivered},
		{"relayed", ActionRelayed},
		{"expanded", ActionExpanded},
		{"bounced", "bounced"},
		{"", ""},
	}

	for _, tt := range tests {
		if got := parseAction(tt.value); got != tt.want {
			t.Errorf("parseAction(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestParseDiagnosticCode(t *testing.T) {
	tests := []struct {
		name     string
		values   []string
		typ, txt string
	}{
		{"one line", []string{"smtp; 550 5.1.1 user unknown"}, "smtp", "550 5.1.1 user unknown"},
		{"joined folds", []string{"smtp; 550-5.1.1 line one  550 5.1.1 line two"},
			"smtp", "550-5.1.1 line one 550 5.1.1 line two"},
		{"repeated field", []string{"smtp; 550-5.7.1 first", "smtp; 550 5.7.1 second"},
			"smtp", "550-5.7.1 first 550 5.7.1 second"},
		{"repeated untyped", []string{"smtp; 550-5.7.1 first", "550 5.7.1 second"},
			"smtp", "550-5.7.1 first 550 5.7.1 second"},
		{"no type", []string{"550 user unknown"}, "", "550 user unknown"},
		{"absent", nil, "", ""},
	}

	for _, tt := range tests {
		typ, txt := parseDiagnosticCode(tt.values)
		if typ != tt.typ || txt != tt.txt {
			t.Errorf("%s: got %q, %q, want %q, %q", tt.name, typ, txt, tt.typ, tt.txt)
		}
	}
}

// blockFields returns the value of name in each block read from body.
func blockFields(body, name string) []string {
	var values []string
	for _, h := range readHeaderBlocks([]byte(body)) {
		values = append(values, h.Get(name))
	}
	return values
}

func TestReadHeaderBlocks(t *testing.T) {
	tests := []struct {
		name, body, field string
		want              []string
	}{
		{
			name:  "two blocks",
			body:  "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@b\nAction: failed\n",
			field: "Final-Recipient",
			want:  []string{"", "rfc822; a@b"},
		},
		{
			name:  "no final blank line or newline",
			body:  "Final-Recipient: rfc822; a@b\n\nFinal-Recipient: rfc822; c@d",
			field: "Final-Recipient",
			want:  []string{"rfc822; a@b", "rfc822; c@d"},
		},
		{
			name:  "whitespace blank lines",
			body:  "Reporting-MTA: dns; mx\n \t \nFinal-Recipient: rfc822; a@b\n   \n\n\nFinal-Recipient: rfc822; c@d\n",
			field: "Final-Recipient",
			want:  []string{"", "rfc822; a@b", "rfc822; c@d"},
		},
		{
			name:  "folded field",
			body:  "Diagnostic-Code: smtp; 550 5.1.1 <a@b>:\n    Recipient address rejected:\n\tUser unknown\n",
			field: "Diagnostic-Code",
			want:  []string{"smtp; 550 5.1.1 <a@b>: Recipient address rejected: User unknown"},
		},
		{
			name:  "unindented continuation",
			body:  "Diagnostic-Code: smtp; 550 5.1.1 mailbox\nnot found here\nStatus: 5.1.1\n",
			field: "Diagnostic-Code",
			want:  []string{"smtp; 550 5.1.1 mailbox not found here"},
		},
		{
			name:  "garbage at block start",
			body:  "this is no field\nFinal-Recipient: rfc822; a@b\n",
			field: "Final-Recipient",
			want:  []string{"rfc822; a@b"},
		},
		{
			name:  "indented first field",
			body:  "  \n   Final-Recipient: rfc822; a@b\nAction: failed\n",
			field: "Final-Recipient",
			want:  []string{"rfc822; a@b"},
		},
		{
			name:  "field names in any case",
			body:  "FINAL-RECIPIENT: rfc822; a@b\n\nfinal-recipient: rfc822; c@d\n",
			field: "Final-Recipient",
			want:  []string{"rfc822; a@b", "rfc822; c@d"},
		},
		{
			name: "recipients without blank line between",
			body: "Final-Recipient: rfc822; a@b\nOriginal-Recipient: rfc822; a@b\nAction: failed\n" +
				"Final-Recipient: rfc822; c@d\nOriginal-Recipient: rfc822; c@d\nAction: delayed\n",
			field: "Action",
			want:  []string{"failed", "delayed"},
		},
		{
			name: "original recipient first without blank line",
			body: "Original-Recipient: rfc822; a@b\nFinal-Recipient: rfc822; a@b\nStatus: 5.1.1\n" +
				"Original-Recipient: rfc822; c@d\nFinal-Recipient: rfc822; c@d\nStatus: 5.2.2\n",
			field: "Final-Recipient",
			want:  []string{"rfc822; a@b", "rfc822; c@d"},
		},
		{
			name:  "space before colon",
			body:  "Status : 5.0.0\n",
			field: "Status",
			want:  []string{"5.0.0"},
		},
	}

	for _, tt := range tests {
		if got := blockFields(tt.body, tt.field); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %s values %q, want %q", tt.name, tt.field, got, tt.want)
		}
	}
}

func TestParseRecipient_MissingOptionalFields(t *testing.T) {
	blocks := readHeaderBlocks([]byte("Final-Recipient: rfc822; a@example.org\nAction: failed\nStatus: 5.0.0\n"))
	if len(blocks) != 1 {
		t.Fatalf("got %d blocks, want 1", len(blocks))
	}

	got := parseRecipient(blocks[0])
	want := Recipient{FinalRecipient: "a@example.org", Action: ActionFailed, Status: "5.0.0"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseRecipient_AllFields(t *testing.T) {
	body := "Original-Recipient: rfc822;a@example.org\n" +
		"Final-Recipient: rfc822; <b@example.org>\n" +
		"Action: failed\n" +
		"Status: 5.1.1 (user unknown)\n" +
		"Remote-MTA: dns; mx.example.org (the primary MX)\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <b@example.org>:\n  user unknown\n" +
		"Last-Attempt-Date: Thu, 16 Jan 2025 11:20:31 +0100 (CET)\n"

	got := parseRecipient(readHeaderBlocks([]byte(body))[0])
	want := Recipient{
		FinalRecipient:    "b@example.org",
		OriginalRecipient: "a@example.org",
		Action:            ActionFailed,
		Status:            "5.1.1",
		DiagnosticStatus:  "5.1.1",
		ReplyCode:         550,
		DiagnosticType:    "smtp",
		DiagnosticCode:    "550 5.1.1 <b@example.org>: user unknown",
		RemoteMTA:         "mx.example.org",
		LastAttemptDate:   time.Date(2025, 1, 16, 10, 20, 31, 0, time.UTC),
	}
	if !got.LastAttemptDate.Equal(want.LastAttemptDate) {
		t.Errorf("LastAttemptDate = %v, want %v", got.LastAttemptDate, want.LastAttemptDate)
	}
	got.LastAttemptDate = want.LastAttemptDate
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestParseRecipient_OriginalOnly(t *testing.T) {
	got := parseRecipient(readHeaderBlocks([]byte("Original-Recipient: rfc822; a@example.org\nAction: failed\n"))[0])
	if got.FinalRecipient != "a@example.org" {
		t.Errorf("FinalRecipient = %q, want the Original-Recipient", got.FinalRecipient)
	}
}

func TestParseDate_Invalid(t *testing.T) {
	for _, v := range []string{"", "yesterday", "32 Foo 2025 99:99:99"} {
		if got := parseDate(v); !got.IsZero() {
			t.Errorf("parseDate(%q) = %v, want zero", v, got)
		}
	}
}

// repairHeaderBlocksCopying is repairHeaderBlocks as it was before it
// returned unchanged input without a copy.
func repairHeaderBlocksCopying(data []byte) []byte {
	out := make([]byte, 0, len(data)+64)
	var block blockState
	for line := range bytes.Lines(data) {
		line = bytes.TrimRight(line, " \t\n")
		if !block.open {
			line = bytes.TrimLeft(line, " \t")
		}

		switch {
		case len(line) == 0:
			block = blockState{}
		case isFieldLine(line):
			if block.startsRecipient(line) {
				out = append(out, '\n')
			}
		case block.open:
			out = append(out, ' ')
		default:
			continue
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out
}

func TestRepairHeaderBlocks_SameAsCopying(t *testing.T) {
	pieces := []string{"Final-Recipient: rfc822; a@b\n", "Original-Recipient: rfc822; a@b\n", "Action: failed\n",
		"Status: 5.1.1", "\n", " ", "\t", "  wrapped text\n", "no field\n", "X: y", ":", "\r", "Diagnostic-Code: smtp; 550"}
	texts := append(randomTexts(21, 100000, 10, pieces), "", "\n", "A: b", "A: b\n\n")
	for _, text := range texts {
		data := []byte(text)
		got, want := repairHeaderBlocks(data), repairHeaderBlocksCopying(data)
		if !bytes.Equal(got, want) {
			t.Errorf("repairHeaderBlocks(%q) = %q, want %q", text, got, want)
		}
		if string(data) != text {
			t.Fatalf("repairHeaderBlocks(%q) changed its input to %q", text, data)
		}
	}
}

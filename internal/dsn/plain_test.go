package dsn

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFindFailedCommand(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"550 5.1.1 <a@b>: User unknown (in reply to RCPT TO command)", "RCPT"},
		{"SMTP error from remote mail server after RCPT TO:<a@example.org>:", "RCPT"},
		{"SMTP error from remote mail server after end of data:", "DATA"},
		{"SMTP error from remote mail server after MAIL FROM:<s@example.org> SIZE=1543:", "MAIL"},
		{"most progress was RCPT TO response; remote host 192.0.2.1 said: 550", "RCPT"},
		{"mx.example.jp [192.0.2.1] did not like our final DATA:", "DATA"},
		{"550 5.1.1 <a@b>... User Unknown [RCPT_TO]", "RCPT"},
		{">>> DATA\n<<< 554 5.7.1 rejected", "DATA"},
		{"(in reply to end of DATA command)", "DATA"},
		{"conversation with mx.example.org timed out while sending greeting (in reply to initial connection)", "CONNECT"},
		{"<a@example.org>: 192.0.2.1 does not like recipient. Remote host said: 550 5.1.1 User unknown", "RCPT"},
		{"192.0.2.1 does not like sender. Remote host said: 553 sender rejected", "MAIL"},
		{"Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name", "HELO"},
		{"delivery failed after three days of retries", ""},
		{"Sorry, I wasn't able to establish an SMTP connection", ""},
		{"the message was rejected after authentication of the sender", ""},
	}
	for _, tt := range tests {
		if got := findFailedCommand(tt.text); got != tt.want {
			t.Errorf("findFailedCommand(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestHasCodeCandidate(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"550 5.1.1 user unknown", true},
		{"550-5.7.26 Unauthenticated", true},
		{"(#5.5.0)", true},
		{"said: 421", true},
		{"Thu, 29 Apr 2013 23:45:22 +0900", false},
		{"host 192.0.2.153 refused", false},
		{"id 1P1ceB-000FL1-4q", false},
		{"no digits at all", false},
	}
	for _, tt := range tests {
		if got := hasCodeCandidate(tt.text); got != tt.want {
			t.Errorf("hasCodeCandidate(%q) = %t, want %t", tt.text, got, tt.want)
		}
	}
}

func TestJoinReplyLines_MultilineReply(t *testing.T) {
	lines := []string{
		"550-5.7.1 first part",
		"550-5.7.1 second part",
		"550 5.7.1 last part",
	}
	want := "550 5.7.1 first part second part last part"
	if got := joinReplyLines(lines); got != want {
		t.Errorf("joinReplyLines = %q, want %q", got, want)
	}
}

// TestJoinReplyLines_CapCountsCharacters checks that the diagnostic cap
// keeps as many letters of a two-byte script as of ASCII.
func TestJoinReplyLines_CapCountsCharacters(t *testing.T) {
	for _, letter := range []string{"a", "λ", "ж", "ع", "日"} {
		word := strings.Repeat(letter, 9)
		lines := slices.Repeat([]string{word}, 2*maxDiagnosticChars/10)
		got := joinReplyLines(lines)
		if n := utf8.RuneCountInString(got); n != maxDiagnosticChars {
			t.Errorf("joinReplyLines of %q words kept %d characters, want %d", letter, n, maxDiagnosticChars)
		}
		if !utf8.ValidString(got) {
			t.Errorf("joinReplyLines of %q words split a character", letter)
		}
	}
}

func TestFirstRawPart(t *testing.T) {
	body := "preamble\n\n--b1\nContent-Type: text/plain\n\nfirst part\n\n--b1\nsecond\n"
	if got := string(firstRawPart([]byte(body))); got != "first part\n\n" {
		t.Errorf("firstRawPart = %q, want the first part's body", got)
	}
	if got := string(firstRawPart([]byte("no parts\n"))); got != "no parts\n" {
		t.Errorf("firstRawPart without delimiters = %q, want the body", got)
	}
}

func TestExtractPlain_SenderGreetingIsNoRecipient(t *testing.T) {
	b := &plainBounce{
		lines:        strings.Split("sender@b.example.org 様\n\nThe group does not exist.\n", "\n"),
		notRecipient: map[string]bool{"sender@b.example.org": true},
		trusted:      true,
	}
	if rcpts := extractPlain(b); len(rcpts) != 0 {
		t.Errorf("got recipients %+v from a greeting to the sender, want none", rcpts)
	}
}

func TestExtractPlain_BounceToSelf(t *testing.T) {
	b := &plainBounce{
		lines:        strings.Split("<self@example.jp>:\nRemote host said: 552 Mailbox full\n", "\n"),
		notRecipient: map[string]bool{"self@example.jp": true},
	}
	rcpts := extractPlain(b)
	if len(rcpts) != 1 || rcpts[0].FinalRecipient != "self@example.jp" || rcpts[0].ReplyCode != 552 {
		t.Errorf("got %+v, want self@example.jp with reply code 552", rcpts)
	}
}

func TestParseWithOptions_ExtraHeaders(t *testing.T) {
	tests := []struct {
		fixture string
		want    map[string]string
	}{
		{"sendmail-text.eml", map[string]string{"X-Campaign-ID": "welcome-2026"}}, // quoted copy in the text
		{"postfix-cox-aup.eml", nil}, // returned message without the field
	}
	for _, tt := range tests {
		r, err := ParseWithOptions(readFixture(t, tt.fixture), Options{ExtraHeaders: []string{"X-Campaign-ID"}})
		if err != nil {
			t.Fatalf("%s: %v", tt.fixture, err)
		}
		if len(r.Original.Headers) != len(tt.want) {
			t.Errorf("%s: headers %q, want %q", tt.fixture, r.Original.Headers, tt.want)
		}
		for k, v := range tt.want {
			if r.Original.Headers[k] != v {
				t.Errorf("%s: header %s = %q, want %q", tt.fixture, k, r.Original.Headers[k], v)
			}
		}
	}
}

func TestParse_NotAutoReplyFromMailerDaemon(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example.org\nTo: s@b.example.org\nSubject: Undeliverable: Out of office\n\n" +
		"<x@example.net>: 550 5.1.1 user unknown\n"
	r := mustParse(t, []byte(raw))
	if r.Kind != KindFailure {
		t.Errorf("kind %q, want %q", r.Kind, KindFailure)
	}
}

func TestParse_QuotedStatusFieldsInOrdinaryMail(t *testing.T) {
	raw := "From: Ivan <ivan@example.com>\nTo: support@example.org\nSubject: question\n\n" +
		"My bounce said:\nFinal-Recipient: rfc822; judy@example.net\nStatus: 5.1.1\n"
	r := mustParse(t, []byte(raw))
	if r.Kind != KindNotBounce || len(r.Recipients) != 0 {
		t.Errorf("kind %q with %d recipients, want %q and none", r.Kind, len(r.Recipients), KindNotBounce)
	}
}

func TestAngleAddressAfter(t *testing.T) {
	tests := []struct {
		rest, want string
	}{
		{" <b@example.net>: malformed address", "b@example.net"},
		{` "<b@example.net>"`, "b@example.net"},
		{": user unknown", ""},
		{" <b@example.net", ""},
		{" <not an address>", ""},
		{" <x b@example.net>", ""},
	}
	for _, tt := range tests {
		if got := angleAddressAfter(tt.rest); got != tt.want {
			t.Errorf("angleAddressAfter(%q) = %q, want %q", tt.rest, got, tt.want)
		}
	}
}

func TestIsBareAddressLine(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"<a@example.jp>", true},
		{"  * a@example.jp", true},
		{"a@example.jp [User unknown]", false},
		{"a@example.jp: mailbox full", false},
		{"no address here", false},
	}
	for _, tt := range tests {
		if got := isBareAddressLine(tt.line); got != tt.want {
			t.Errorf("isBareAddressLine(%q) = %t, want %t", tt.line, got, tt.want)
		}
	}
}

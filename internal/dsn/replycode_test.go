package dsn

import "testing"

func TestScanDiagnostic(t *testing.T) {
	tests := []struct {
		text   string
		code   int
		status string
	}{
		// Reply code and enhanced code together.
		{"550 5.1.1 <a@example.org>: Recipient address rejected", 550, "5.1.1"},
		{"552 5.2.0 <user@cox.net>... sender rejected AUP#POL", 552, "5.2.0"},
		{"550-5.1.1 The email account does not exist. 550 5.1.1 more", 550, "5.1.1"},
		{"host mx.example.org said: 421 4.7.0 Try again later", 421, "4.7.0"},
		{"Remote host said: 554 #5.7.1 blocked", 554, "5.7.1"},
		{"550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found", 550, "5.1.10"},
		{"mx [192.0.2.20]: 550 5.7.0 <a@b>... Please use your ISP.", 550, "5.7.0"},
		{"RCPT TO:<a@b>: 550 5.1.1 unknown.", 550, "5.1.1"},

		// Reply code alone.
		{"550 User unknown", 550, ""},
		{"  554-Bad DNS PTR 554 see http://example.org/", 554, ""},
		{"host mx.example.org said: 550 no such user", 550, ""},
		{"<a@example.org>... 550 User unknown", 550, ""},
		{"554 <a@example.org>... 550 Host unknown (Authoritative answer from name server)", 550, ""},
		{"SMTP error after RCPT TO:<a@b>: 452 Too many recipients", 452, ""},
		{"a@example.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action not taken", 550, ""},
		{"[Status: Error, Address: <a@example.jp>, ResponseCode 421, , Host not reachable.]", 421, ""},
		{">>> RCPT TO:<a@example.jp> <<< 550 <a@example.jp>: User unknown", 550, ""},
		{"550: 5.2.2 <a@example.jp>... Mailbox Full", 550, "5.2.2"},
		{"<a@example.jp>: 550: 5.2.2 <a@example.jp>... Mailbox Full", 550, "5.2.2"},
		{"Server mx.example.org[192.0.2.5] failed with: 550 <a@example.org> No such user here", 550, ""},
		{"connect to mx.example.com[192.0.2.9]: server refused to talk to me: 421 Service not available", 421, ""},
		{"The error that the other server returned was: 500 Remote server does not support TLS (state 6).", 500, ""},

		// Enhanced code alone.
		{"5.1.1 Recipient unknown", 0, "5.1.1"},
		{"Delivery failed (#5.2.2)", 0, "5.2.2"},
		{"Status 5.0.0 (permanent failure)", 0, "5.0.0"},

		// Mismatched classes are no pair; the enhanced code still counts.
		{"550 4.2.2 odd", 550, "4.2.2"},

		// Numbers that are no codes.
		{"<user550@example.org>: mailbox unavailable", 0, ""},
		{"Connection to 192.168.0.250 timed out", 0, ""},
		{"connect to mx[203.0.113.9]:25: Connection refused", 0, ""},
		{"Message size 5242880 exceeds limit", 0, ""},
		{"mailbox quota exceeded: 500 messages stored", 0, ""},
		{"host 4.3.2.1 unreachable", 0, ""},
		{"version 5.1.1234 of the filter", 0, ""},
		{"550 on 2025-01-14 nothing", 550, ""},
		{"1550 5.1.1 not a code", 0, "5.1.1"},
		{"650 5.1.1 no such class", 0, "5.1.1"},
		{"77", 0, ""},
		{"", 0, ""},
	}

	for _, tt := range tests {
		code, status := scanDiagnostic(tt.text)
		if code != tt.code {
			t.Errorf("scanDiagnostic(%q) reply code = %d, want %d", tt.text, code, tt.code)
		}
		if status != tt.status {
			t.Errorf("scanDiagnostic(%q) status = %q, want %q", tt.text, status, tt.status)
		}
	}
}

func TestFindEnhancedStatus_StatusField(t *testing.T) {
	tests := []struct {
		value, want string
	}{
		{"5.1.1", "5.1.1"},
		{"5.0.0 (permanent failure)", "5.0.0"},
		{"4.4.7", "4.4.7"},
		{" 2.0.0", "2.0.0"},
		{"550", ""},
		{"5.1", ""},
		{"3.1.1", ""},
		{"", ""},
	}

	for _, tt := range tests {
		if got := findEnhancedStatus(tt.value); got != tt.want {
			t.Errorf("findEnhancedStatus(%q) = %q, want %q", tt.value, got, tt.want)
		}
	}
}

func TestSpecificStatus(t *testing.T) {
	tests := []struct {
		name               string
		status, diagnostic string
		want               string
	}{
		{"generic refined", "5.0.0", "5.1.1", "5.1.1"},
		{"no diagnostic code", "5.1.1", "", "5.1.1"},
		{"no status", "", "5.7.1", "5.7.1"},
		{"remote code wins", "5.1.1", "5.7.1", "5.7.1"},
		{"generic diagnostic", "5.1.1", "5.0.0", "5.1.1"},
		{"both generic", "5.0.0", "5.0.0", "5.0.0"},
		{"only generic diagnostic", "", "4.0.0", "4.0.0"},
		{"neither", "", "", ""},
	}

	for _, tt := range tests {
		r := Recipient{Status: tt.status, DiagnosticStatus: tt.diagnostic}
		if got := r.SpecificStatus(); got != tt.want {
			t.Errorf("%s: SpecificStatus() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

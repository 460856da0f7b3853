package dsn

import "testing"

func TestQuotedLastReply(t *testing.T) {
	tests := []struct {
		name, diagnostic string
		code             int
		status           string
		ok               bool
	}{
		{"expiry quoting a timeout", "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>", 421, "4.4.2", true},
		{"expiry quoting a refusal", "554 4.4.7 Message expired: unable to deliver in 1440 minutes.<450 4.2.1 Mailbox busy, try later> ", 450, "4.2.1", true},
		{"address in brackets", "550 5.1.1 <bob@example.org>", 0, "", false},
		{"reply code without status", "554 4.4.7 Message expired.<421 Service not available>", 0, "", false},
		{"plain reply", "550 5.1.1 user unknown", 0, "", false},
		{"brackets at the start", "<421 4.4.2 timed out>", 0, "", false},
		{"status not right after the code", "554 4.4.7 expired.<421 try 4.4.2 later>", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, status, ok := quotedLastReply(tt.diagnostic)
			if code != tt.code || status != tt.status || ok != tt.ok {
				t.Errorf("quotedLastReply(%q) = %d, %q, %v; want %d, %q, %v", tt.diagnostic, code, status, ok, tt.code, tt.status, tt.ok)
			}
		})
	}
}

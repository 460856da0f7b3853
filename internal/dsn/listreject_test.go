package dsn

import "testing"

func TestListAddressIn(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"You are not a member of this mailing list <list@example.org>.", "list@example.org"},
		{"Post to <not an address> was refused by <list@example.org>", "list@example.org"},
		{"You are not a member of this list yet.", ""},
	}
	for _, tt := range tests {
		if got := listAddressIn(tt.line); got != tt.want {
			t.Errorf("listAddressIn(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestParse_ListInvitationIsNoBounce(t *testing.T) {
	raw := []byte("From: owner@lists.example.org\r\nTo: pat@example.net\r\n" +
		"Subject: Join us\r\n\r\nYou are not a member of this list yet. Reply to join.\r\n")
	r := mustParse(t, raw)
	if r.Kind != KindNotBounce || len(r.Recipients) != 0 {
		t.Errorf("kind %q with %d recipients, want %q with none", r.Kind, len(r.Recipients), KindNotBounce)
	}
}

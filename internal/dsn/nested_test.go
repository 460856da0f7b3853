package dsn

import "testing"

// TestParse_NestedQuotedBounce checks that a filter notice returning an
// original that quotes someone else's bounce keeps its own recipient: the
// writer of the original chose the quoted address and its code.
func TestParse_NestedQuotedBounce(t *testing.T) {
	r := mustParse(t, readFixture(t, "nested-quoted-bounce.eml"))

	if len(r.Recipients) != 1 {
		t.Fatalf("got %d recipients %+v, want 1", len(r.Recipients), r.Recipients)
	}
	if got := r.Recipients[0].FinalRecipient; got != "alice@example.org" {
		t.Errorf("recipient %q, want the notice's alice@example.org", got)
	}
	if got := r.Recipients[0].ReplyCode; got != 0 {
		t.Errorf("reply code %d, want none: 550 is the quoted bounce's", got)
	}
}

package dsn

import "testing"

func TestHeaderSummary_ReceivedText(t *testing.T) {
	h, _, ok := readHeaderFast([]byte("Received: from MX.Example.org\n\tby mx2 (Postfix)\nFrom: a@b\nreceived: by LOCAL\n\nbody"))
	if !ok {
		t.Fatal("readHeaderFast declined the header")
	}

	s := summarizeHeader(h)
	want := "from mx.example.org by mx2 (postfix)\nby local\n"
	if got := s.receivedText(); got != want {
		t.Errorf("receivedText() = %q, want %q", got, want)
	}
	if got := s.receivedText(); got != want {
		t.Errorf("second receivedText() = %q, want %q", got, want)
	}
}

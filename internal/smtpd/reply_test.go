package smtpd

import (
	"net"
	"testing"
)

func TestConnWrite_MultilineReplyInOneWrite(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	c := &conn{Conn: server}
	lines := []string{"250-Hello x\r\n", "250-PIPELINING\r\n", "250 CHUNKING\r\n"}
	want := lines[0] + lines[1] + lines[2]

	go func() {
		for _, l := range lines {
			if n, err := c.Write([]byte(l)); n != len(l) || err != nil {
				t.Errorf("Write(%q) = %d, %v", l, n, err)
			}
		}
	}()

	// A read on a net.Pipe returns the bytes of at most one write.
	buf := make([]byte, 1024)
	n, err := client.Read(buf)
	if err != nil || string(buf[:n]) != want {
		t.Errorf("first read = %q, %v; want the whole reply %q", buf[:n], err, want)
	}
}

func TestIsContinuationLine(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"250-PIPELINING\r\n", true},
		{"250 PIPELINING\r\n", false},
		{"250-PIPELINING", false},
		{"250-A\r\n250-B\r\n", false},
		{"25a-PIPELINING\r\n", false},
		{"\x17\x03\x03\x00\x10-abc\r\n", false}, // a TLS record
		{"", false},
	}
	for _, tt := range tests {
		if got := isContinuationLine([]byte(tt.in)); got != tt.want {
			t.Errorf("isContinuationLine(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

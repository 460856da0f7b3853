package dsn

import (
	"strings"
	"testing"
)

func TestTranscriptCommand_Pipelining(t *testing.T) {
	tests := []struct {
		name       string
		transcript string
		rcpt       string
		diagnostic string
		want       string
	}{
		{
			name: "pipelined RCPT reply after DATA",
			transcript: `>>> DATA
<<< 550 5.1.1 <lena@example.net>... Mailbox unknown
550 5.1.1 <lena@example.net>... User unknown
<<< 554 5.5.1 Error: no valid recipients`,
			rcpt:       "lena@example.net",
			diagnostic: "550 5.1.1 <lena@example.net>... Mailbox unknown",
			want:       "RCPT",
		},
		{
			name: "DATA reply after the message",
			transcript: `>>> DATA
<<< 354 Enter mail, end with "." on a line by itself
<<< 554 5.7.1 Message refused as spam`,
			rcpt:       "lena@example.net",
			diagnostic: "554 5.7.1 Message refused as spam",
			want:       "DATA",
		},
		{
			name: "multi-line DATA reply",
			transcript: `>>> DATA
<<< 550-5.7.1 Message refused by the content filter
<<< 550-5.7.1 of example.net, see the postmaster page
<<< 550 5.7.1 for details
>>> QUIT
<<< 221 2.0.0 Bye`,
			rcpt:       "lena@example.net",
			diagnostic: "550-5.7.1 Message refused by the content filter",
			want:       "DATA",
		},
		{
			// The 354 accepted DATA, so the refusal is the reply to the message
			// and the 421 that follows it closes the session.
			name: "DATA refusal before a closing reply",
			transcript: `>>> DATA
<<< 354 Enter mail, end with "." on a line by itself
<<< 550 5.1.1 <lena@example.net>... User unknown
<<< 421 4.7.0 mx.example.net closing connection`,
			rcpt:       "lena@example.net",
			diagnostic: "550 5.1.1 <lena@example.net>... User unknown",
			want:       "DATA",
		},
		{
			name: "RCPT logged on its own",
			transcript: `>>> RCPT To:<lena@example.net>
<<< 550 5.1.1 <lena@example.net>... User unknown
>>> DATA
<<< 554 5.5.1 Error: no valid recipients`,
			rcpt:       "lena@example.net",
			diagnostic: "550 5.1.1 <lena@example.net>... User unknown",
			want:       "RCPT",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.Split(tt.transcript, "\n")
			if got := transcriptCommand(lines, tt.rcpt, tt.diagnostic); got != tt.want {
				t.Errorf("transcriptCommand = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTranscriptCommand_ReplyLimit(t *testing.T) {
	lines := []string{">>> RCPT To:<lena@example.net>"}
	for range maxTranscriptReplies {
		lines = append(lines, "<<< 451 4.3.0 try again later")
	}
	lines = append(lines, "<<< 550 5.1.1 <lena@example.net>... User unknown")
	if got := transcriptCommand(lines, "lena@example.net", ""); got != "" {
		t.Errorf("transcriptCommand = %q, want none: the reply is past the limit", got)
	}
}

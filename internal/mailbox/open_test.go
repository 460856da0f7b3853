package mailbox

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpen_FileKinds(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []string // messages; nil with wantErr
		wantErr string
	}{
		{name: "mbox", content: writeMbox([]string{"Subject: one\n\nbody\n", "Subject: two\n\nbody\n"}),
			want: []string{"Subject: one\n\nbody\n", "Subject: two\n\nbody\n"}},
		{name: "mbox after blank lines", content: "\n\n" + writeMbox([]string{"Subject: one\n\nbody\n"}),
			want: []string{"Subject: one\n\nbody\n"}},
		{name: "single message", content: "Return-Path: <>\r\nSubject: one\r\n\r\nbody\r\n",
			want: []string{"Return-Path: <>\r\nSubject: one\r\n\r\nbody\r\n"}},
		{name: "empty", content: "", wantErr: "it is empty"},
		{name: "blank lines only", content: "\n\r\n\n", wantErr: "it is empty"},
		{name: "binary", content: "\xe7@Z@\x8eV,\xb1-\b\xd2\x0e\n", wantErr: "neither an mbox"},
		{name: "text without a header", content: "hello world\nSubject: late\n", wantErr: `first line "hello world"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "input")
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			messages, err := Open(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Open: err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			var got []string
			for msg, err := range messages {
				if err != nil {
					t.Fatalf("reading %s: %v", msg.Source, err)
				}
				got = append(got, string(msg.Raw))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("messages = %q, want %q", got, tt.want)
			}
		})
	}
}

package mailbox

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readAll(t *testing.T, mbox string) []string {
	t.Helper()
	var got []string
	for _, m := range ReadMbox(strings.NewReader(mbox)) {
		if m.Err != nil {
			t.Fatalf("ReadMbox: %v", m.Err)
		}
		got = append(got, string(m.Raw))
	}
	return got
}

func TestReadMbox(t *testing.T) {
	tests := []struct {
		name string
		mbox string
		want []string
	}{
		{"two messages", "From a Tue Dec 1 10:00:00 2026\nSubject: one\n\nbody\n\nFrom b Tue Dec 1 10:00:01 2026\nSubject: two\n\nbody\n",
			[]string{"Subject: one\n\nbody\n", "Subject: two\n\nbody\n"}},
		{"quoted From", "From a x\nSubject: q\n\n>From the start\n>>From deeper\n",
			[]string{"Subject: q\n\nFrom the start\n>From deeper\n"}},
		{"From inside a paragraph", "From a x\nSubject: p\n\nline\nFrom here on\n",
			[]string{"Subject: p\n\nline\nFrom here on\n"}},
		{"CRLF", "From a x\r\nSubject: c\r\n\r\nbody\r\n\r\nFrom b x\r\nSubject: d\r\n\r\nbody\r\n",
			[]string{"Subject: c\r\n\r\nbody\r\n", "Subject: d\r\n\r\nbody\r\n"}},
		{"no final newline", "From a x\nSubject: e\n\nbody", []string{"Subject: e\n\nbody"}},
		{"empty", "", nil},
		{"not an mbox", "Subject: x\n\nbody\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readAll(t, tt.mbox); !slices.Equal(got, tt.want) {
				t.Errorf("messages = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOpen_Maildir(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []struct{ name, body string }{
		{"new/1.a", "Subject: new\n\n"}, {"cur/2.b:2,S", "Subject: cur\n\n"}, {"tmp/3.c", "Subject: tmp\n\n"},
	} {
		path := filepath.Join(dir, f.name)
		os.MkdirAll(filepath.Dir(path), 0o700)
		if err := os.WriteFile(path, []byte(f.body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	messages, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var got []string
	for m, err := range messages {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(m.Raw))
	}
	slices.Sort(got)
	if want := []string{"Subject: cur\n\n", "Subject: new\n\n"}; !slices.Equal(got, want) {
		t.Errorf("messages = %q, want %q (tmp/ skipped)", got, want)
	}
}

func TestOpen_NotAMaildir(t *testing.T) {
	_, err := Open(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "is not a Maildir") {
		t.Errorf("Open of an empty directory: err = %v, want not a Maildir", err)
	}
}

package mailbox

import (
	"iter"
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
	got := collect(t, messages)
	slices.Sort(got)
	if want := []string{"Subject: cur\n\n", "Subject: new\n\n"}; !slices.Equal(got, want) {
		t.Errorf("messages = %q, want %q (tmp/ skipped)", got, want)
	}
}

func TestOpen_NotAMaildir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("Subject: x\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "neither a Maildir") {
		t.Errorf("Open of a directory without cur/ or .eml files: err = %v, want neither a Maildir nor a folder of .eml files", err)
	}
}

func TestOpen_EmlFolder(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"b.eml": "Subject: b\n\n", "a.eml": "Subject: a\n\n", "notes.txt": "not a message"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	messages, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	got := collect(t, messages)
	if want := []string{"Subject: a\n\n", "Subject: b\n\n"}; !slices.Equal(got, want) {
		t.Errorf("messages = %q, want %q (.eml files in name order, others skipped)", got, want)
	}
}

// writeMbox writes messages as an mboxrd file: a "From " line before each,
// ">" before every line matching ">*From ", an empty line after each.
func writeMbox(messages []string) string {
	var b strings.Builder
	for _, m := range messages {
		b.WriteString("From MAILER-DAEMON Tue Dec  1 10:00:00 2026\n")
		for _, line := range strings.SplitAfter(m, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
				b.WriteString(">")
			}
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FuzzReadMbox checks that reading what writeMbox wrote returns the
// messages unchanged, for any pair of messages ending in a newline.
func FuzzReadMbox(f *testing.F) {
	f.Add("Subject: one\n\nbody\n", "Subject: two\n\nFrom the start\n>From quoted\n")
	f.Add("Subject: crlf\r\n\r\nbody\r\n", "\n\n")
	f.Add("From \n", ">>From \n\n")
	f.Fuzz(func(t *testing.T, first, second string) {
		in := []string{first, second}
		for _, m := range in {
			if !strings.HasSuffix(m, "\n") {
				t.Skip("writeMbox needs messages that end in a newline")
			}
		}
		got := readAll(t, writeMbox(in))
		if !slices.Equal(got, in) {
			t.Errorf("read back %q, want %q", got, in)
		}
	})
}

// collect returns the bytes of every message, failing t on an error.
func collect(t *testing.T, messages iter.Seq2[Message, error]) []string {
	t.Helper()
	var got []string
	for m, err := range messages {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(m.Raw))
	}
	return got
}

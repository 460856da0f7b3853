package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs the built binary against daemon d and returns its stdout; it
// fails the test when the exit status is not wantStatus.
func (d *daemon) cli(t *testing.T, wantStatus int, args ...string) string {
	t.Helper()
	out, _ := d.cliErr(t, wantStatus, args...)
	return out
}

// cliErr is cli that also returns stderr.
func (d *daemon) cliErr(t *testing.T, wantStatus int, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bouncedBin, args...)
	cmd.Env = append(os.Environ(), "BOUNCED_API_ADDR="+d.httpAddr, "BOUNCED_API_TOKEN=")
	var errOut strings.Builder
	cmd.Stderr = &errOut
	out, err := cmd.Output()
	status := 0
	if exit, ok := err.(*exec.ExitError); ok {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("running bounced %v: %v", args, err)
	}
	if status != wantStatus {
		t.Fatalf("bounced %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, status, wantStatus, out, errOut.String())
	}
	return string(out), errOut.String()
}

// writeMbox writes the testdata fixtures as one mbox file.
func writeMbox(t *testing.T, names ...string) string {
	t.Helper()
	var b strings.Builder
	for i, name := range names {
		raw, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("From MAILER-DAEMON Tue Dec  1 10:00:00 2026\n")
		// A fixture named twice stands for two bounces, so each copy
		// differs, or import would skip it as imported before.
		fmt.Fprintf(&b, "X-Test-Copy: %d\n", i+1)
		b.Write(raw)
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "bounces.mbox")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCLI_ImportAndSuppressions(t *testing.T) {
	d := startDaemon(t, t.TempDir())

	mbox := writeMbox(t, "two-recipients.eml", "cox-aup.eml")
	out := d.cli(t, 0, "import", mbox)
	if strings.Count(out, `"message_id"`) != 2 || !strings.Contains(out, `"suppressed":1`) {
		t.Errorf("import output = %s, want two messages, one suppressing", out)
	}
	out, errOut := d.cliErr(t, 0, "import", mbox)
	if strings.Count(out, `"duplicate":true`) != 2 || !strings.Contains(errOut, "messages imported: 0, imported before and skipped: 2") {
		t.Errorf("second import of the same mbox: stdout %s stderr %s, want both messages skipped", out, errOut)
	}

	steps := []struct {
		args     []string
		status   int
		contains string
	}{
		{[]string{"suppressions", "get", "Dave@Example.com"}, 0, `"reason":"userunknown"`},
		{[]string{"suppressions", "get", "carol@cox.net"}, 1, ""},
		{[]string{"suppressions", "add", "-comment", "asked by support", "*@closed.example"}, 0, `"kind":"manual"`},
		{[]string{"suppressions", "check", "x@closed.example", "erin@example.com"}, 0, `"address":"x@closed.example","suppressed":true`},
		{[]string{"suppressions", "list", "-kind", "hard"}, 0, `"address":"dave@example.com"`},
		{[]string{"suppressions", "export"}, 0, "*@closed.example,manual,manual"},
		{[]string{"suppressions", "remove", "-comment", "reopened", "*@closed.example"}, 0, `"kind":"manual_remove"`},
		{[]string{"suppressions", "remove", "*@closed.example"}, 1, ""},
		{[]string{"events", "-policy", "aup", "-all"}, 0, `"recipient":"carol@cox.net"`},
		{[]string{"events", "-since", "yesterday"}, 1, ""},
		{[]string{"quarantine"}, 0, ""},
		{[]string{"quarantine", "-limit", "1"}, 0, ""},
		{[]string{"quarantine", "-limit", "0"}, 1, ""},
		{[]string{"reprocess"}, 0, `"messages":2`},
		{[]string{"suppressions", "get", "dave@example.com"}, 0, `"kind":"hard"`},
		{[]string{"suppressions", "frobnicate"}, 2, ""},
	}
	for _, s := range steps {
		out := d.cli(t, s.status, s.args...)
		if !strings.Contains(out, s.contains) {
			t.Errorf("bounced %v: output %s does not contain %s", s.args, out, s.contains)
		}
	}
}

func TestCLI_NoDaemon(t *testing.T) {
	d := &daemon{httpAddr: "127.0.0.1:1"}
	d.cli(t, 1, "suppressions", "get", "a@example.com")
}

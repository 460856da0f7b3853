package main

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// noDaemon is a daemon address where nothing listens, for commands that
// must fail or exit before they connect.
var noDaemon = &daemon{httpAddr: "127.0.0.1:1"}

func TestCLI_HelpExitsZero(t *testing.T) {
	commands := [][]string{
		{"-h"}, {"serve", "-h"}, {"parse", "-h"}, {"verp", "-h"}, {"verp", "encode", "-h"},
		{"verp", "decode", "-h"}, {"rules", "-h"}, {"rules", "test", "-h"}, {"suppressions", "-h"},
		{"suppressions", "list", "-h"}, {"suppressions", "add", "--help"}, {"events", "-limit", "2", "-h"},
		{"quarantine", "-h"}, {"import", "-h"}, {"reprocess", "-help"}, {"eval", "-h"},
	}
	for _, args := range commands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr := noDaemon.cliErr(t, 0, args...)
			if stdout+stderr == "" {
				t.Error("no usage printed")
			}
		})
	}
	stdout, _ := noDaemon.cliErr(t, 0, "verp", "-h")
	if !strings.Contains(stdout, "bounced verp encode") {
		t.Errorf("verp -h printed %q, want the verp usage", stdout)
	}
}

func TestCLI_ServeExtraArgument(t *testing.T) {
	_, stderr := noDaemon.cliErr(t, 2, "serve", "-data.dir", t.TempDir(), "extra-arg")
	if !strings.Contains(stderr, `unexpected argument "extra-arg"`) {
		t.Errorf("stderr = %q, want it to name the extra argument", stderr)
	}
}

func TestCLI_ParseBinaryFileEscaped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "garbage.eml")
	garbage := []byte("\xe7@Z@\x8eV,\xb1-\b\xd2\x0e\x1b[31m\xff\xfe\r\n\r\n")
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr := noDaemon.cliErr(t, 1, "parse", path)
	if !utf8.ValidString(stderr) {
		t.Errorf("stderr is not valid UTF-8: %q", stderr)
	}
	for _, r := range strings.TrimSuffix(stderr, "\n") {
		if !unicode.IsPrint(r) {
			t.Errorf("stderr holds the control character %U: %q", r, stderr)
		}
	}
	if !strings.Contains(stderr, `\x1b[31m`) {
		t.Errorf("stderr = %q, want the escape character shown as \\x1b", stderr)
	}
}

func TestPrintable(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text: é and ✓", "plain text: é and ✓"},
		{"bell\a tab\t", `bell\a tab\t`},
		{"bad \xff byte", `bad \xff byte`},
		{"real \ufffd stays", "real \ufffd stays"},
	}
	for _, tt := range tests {
		if got := printable(tt.in); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCLI_ImportNotAMailbox(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.eml")
	empty := filepath.Join(dir, "empty.mbox")
	os.WriteFile(garbage, []byte("\xe7@Z@\x8eV,\xb1-\n"), 0o600)
	os.WriteFile(empty, nil, 0o600)
	os.MkdirAll(filepath.Join(dir, "maildir", "cur"), 0o700)

	stdout, stderr := d.cliErr(t, 0, "import", filepath.Join("testdata", "cox-aup.eml"))
	if !strings.Contains(stdout, `"recipients":1`) || !strings.Contains(stderr, "messages imported: 1") {
		t.Errorf("import of one message file: stdout %q, stderr %q; want one message imported", stdout, stderr)
	}
	for path, want := range map[string]string{
		garbage:                       "neither an mbox",
		empty:                         "it is empty",
		filepath.Join(dir, "maildir"): "contains no message",
	} {
		if _, stderr := d.cliErr(t, 1, "import", path); !strings.Contains(stderr, want) {
			t.Errorf("import %s: stderr %q, want %q", path, stderr, want)
		}
	}
}

var cursorHint = regexp.MustCompile(`-cursor (\S+)`)

func TestCLI_PagingAndFilters(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	d.cli(t, 0, "import", writeMbox(t, "two-recipients.eml", "cox-aup.eml"))

	stdout, stderr := d.cliErr(t, 0, "events", "-limit", "2")
	m := cursorHint.FindStringSubmatch(stderr)
	if strings.Count(stdout, "\n") != 2 || m == nil {
		t.Fatalf("events -limit 2: stdout %q, stderr %q; want 2 lines and a -cursor hint", stdout, stderr)
	}
	stdout, stderr = d.cliErr(t, 0, "events", "-limit", "2", "-cursor", m[1])
	if strings.Count(stdout, "\n") != 1 || strings.Contains(stderr, "-cursor") {
		t.Errorf("second page: stdout %q, stderr %q; want the last event and no hint", stdout, stderr)
	}
	if _, stderr := d.cliErr(t, 1, "events", "-cursor", "garbage"); !strings.Contains(stderr, "cursor") {
		t.Errorf("bad cursor: stderr %q, want it to name the cursor", stderr)
	}

	for _, args := range [][]string{
		{"events", "-reason", "bogus"}, {"events", "-provider", "bogus"}, {"events", "-policy", "bogus"},
		{"suppressions", "list", "-reason", "nosuch"},
	} {
		if _, stderr := d.cliErr(t, 1, args...); !strings.Contains(stderr, "unknown "+strings.TrimPrefix(args[len(args)-2], "-")) {
			t.Errorf("bounced %v: stderr %q, want it to name the filter", args, stderr)
		}
	}
}

func TestCLI_AddContinuesPastInvalid(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	stdout, stderr := d.cliErr(t, 1, "suppressions", "add", "not-an-address", "ok@example.com", "also@bad@example.com")
	if !strings.Contains(stdout, `"address":"ok@example.com"`) {
		t.Errorf("stdout %q, want the valid address added", stdout)
	}
	for _, bad := range []string{"not-an-address", "also@bad@example.com"} {
		if !strings.Contains(stderr, "suppressions add: "+bad+":") {
			t.Errorf("stderr %q does not report %s", stderr, bad)
		}
	}
	d.cli(t, 0, "suppressions", "get", "ok@example.com")
}

func TestCLI_AddExpiresDuration(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	before := time.Now()
	out := d.cli(t, 0, "suppressions", "add", "-expires", "30d", "later@example.com")
	m := regexp.MustCompile(`"expires":"([^"]+)"`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("output %q has no expires", out)
	}
	expires, err := time.Parse(time.RFC3339, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if want := before.Add(30 * 24 * time.Hour); expires.Before(want.Add(-time.Second)) || expires.After(want.Add(time.Hour)) {
		t.Errorf("expires = %v, want about %v", expires, want)
	}
	d.cli(t, 0, "suppressions", "add", "-expires", "24h", "tomorrow@example.com")
	d.cli(t, 0, "suppressions", "add", "-expires", before.Add(time.Hour).UTC().Format(time.RFC3339), "hour@example.com")
	if _, stderr := d.cliErr(t, 1, "suppressions", "add", "-expires", "soon", "x@example.com"); !strings.Contains(stderr, `invalid -expires "soon"`) {
		t.Errorf("stderr %q, want invalid -expires", stderr)
	}
}

// TestCLI_ReprocessKeepsRemovalAndDelivery is the operator's sequence:
// three bounces of two-recipients.eml (dave hard, erin mailbox full),
// dave removed by hand, a delivery to erin reported, then reprocess.
func TestCLI_ReprocessKeepsRemovalAndDelivery(t *testing.T) {
	d := startDaemon(t, t.TempDir())
	d.cli(t, 0, "import", writeMbox(t, "two-recipients.eml", "two-recipients.eml", "two-recipients.eml"))
	d.cli(t, 0, "suppressions", "get", "erin@example.com")

	d.cli(t, 0, "suppressions", "remove", "-comment", "resubscribed", "dave@example.com")
	resp, err := http.Post("http://"+d.httpAddr+"/api/v1/deliveries", "application/json",
		bytes.NewReader([]byte(`{"address":"erin@example.com"}`)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v1/deliveries: status %d", resp.StatusCode)
	}

	d.cli(t, 0, "reprocess")
	d.cli(t, 1, "suppressions", "get", "dave@example.com")
	d.cli(t, 1, "suppressions", "get", "erin@example.com")
	lines := strings.Split(strings.TrimSpace(d.cli(t, 0, "events", "-recipient", "dave@example.com")), "\n")
	if last := lines[len(lines)-1]; len(lines) != 4 || !strings.Contains(last, `"kind":"manual_remove"`) {
		t.Errorf("events of dave@example.com:\n%s\nwant 3 bounces, then the removal", strings.Join(lines, "\n"))
	}
}

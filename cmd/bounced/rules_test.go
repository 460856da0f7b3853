package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/store"
)

const partnerRules = `rules:
  - id: local-cox-aup
    reason: blocked
    policy: aup
    provider: cox
    hint: "Ask the Cox account manager."
    source: "our Cox contract"
    when:
      text: ["aup#pol"]
`

func writeTempFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCommand(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRulesCheck_Valid(t *testing.T) {
	path := writeTempFile(t, "rules.yml", partnerRules)
	code, stdout, stderr := runCommand("rules", "check", path)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(stdout, path+": valid; ") {
		t.Errorf("stdout = %q", stdout)
	}
}

func TestRulesCheck_InvalidNamesFileLineAndRule(t *testing.T) {
	path := writeTempFile(t, "rules.yml", partnerRules+"  - id: second\n    reason: mailboxfull\n    hardness: sometimes\n    source: x\n    when: {reply: [552]}\n")
	code, _, stderr := runCommand("rules", "check", path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := "bounced rules check: " + path + `:10: rule "second": invalid hardness "sometimes": want soft, hard or hard-if-permanent` + "\n"
	if stderr != want {
		t.Errorf("stderr = %q\nwant     %q", stderr, want)
	}
}

func TestRulesCheck_ReportsEveryError(t *testing.T) {
	path := writeTempFile(t, "rules.yml", partnerRules+`  - id: nosuch-rule
    disable: true
  - id: second
    reason: mailboxfull
    hardness: sometimes
    source: x
    when: {reply: [552]}
`)
	code, stdout, stderr := runCommand("rules", "check", path)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	want := "bounced rules check: " + path + `:10: rule "nosuch-rule": no embedded rule has this id, so disable: true would remove nothing; check the id's spelling` + "\n" +
		"bounced rules check: " + path + `:12: rule "second": invalid hardness "sometimes": want soft, hard or hard-if-permanent` + "\n"
	if stderr != want {
		t.Errorf("stderr = %q\nwant     %q", stderr, want)
	}
}

func TestRulesTest_ShowsRuleAndConditions(t *testing.T) {
	code, stdout, stderr := runCommand("rules", "test", "testdata/cox-aup.eml")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"testdata/cox-aup.eml: failure, 1 recipient\n",
		"  carol@cox.net\n",
		"    verdict:  policyviolation, soft, policy aup, provider cox\n",
		"    rule:     cox-aup-pol (builtin:rules.yaml:",
		"    because:  text contains \"aup#pol\"\n",
		"    hint:     The receiver refused the sender under its acceptable use policy.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestRulesTest_OperatorFileOverrides(t *testing.T) {
	path := writeTempFile(t, "rules.yml", partnerRules)
	code, stdout, stderr := runCommand("rules", "test", "-rules", path, "testdata/cox-aup.eml")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "    rule:     local-cox-aup ("+path+":2)\n") {
		t.Errorf("operator rule did not fire:\n%s", stdout)
	}
	if !strings.Contains(stdout, "    verdict:  blocked, soft, policy aup, provider cox\n") {
		t.Errorf("verdict not the operator's:\n%s", stdout)
	}
}

func TestRulesTest_MissingFile(t *testing.T) {
	code, _, stderr := runCommand("rules", "test", "testdata/none.eml")
	if code != 1 || !strings.Contains(stderr, "testdata/none.eml: no such file or directory") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestServe_InvalidRulesFileStopsStart(t *testing.T) {
	path := writeTempFile(t, "rules.yml", "rules:\n  - id: x\n    reason: nope\n    source: x\n    when: {reply: [550]}\n")
	var stderr bytes.Buffer
	code := run([]string{"serve", "-smtp.listen", "127.0.0.1:0", "-http.listen", "127.0.0.1:0",
		"-data.dir", t.TempDir(), "-rules.file", path}, &bytes.Buffer{}, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if want := path + `:2: rule \"x\": unknown reason \"nope\"`; !strings.Contains(stderr.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, stderr.String())
	}
}

// TestServe_HangupReloadsRules reloads a changed rules file with SIGHUP
// while an SMTP session is open, then a broken one. It checks that the
// session survives, the daemon logs both results, and the message sent
// after the reload is classified by the new rule.
func TestServe_HangupReloadsRules(t *testing.T) {
	path := writeTempFile(t, "rules.yml", partnerRules)
	dataDir := t.TempDir()
	d := startDaemon(t, dataDir, "-rules.file", path)

	c, err := smtp.Dial(d.smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mta.test"); err != nil {
		t.Fatal(err)
	}

	changed := strings.ReplaceAll(partnerRules, "local-cox-aup", "local-cox-aup-changed")
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	d.waitLog(t, `msg="rules reloaded"`)

	raw, err := os.ReadFile("testdata/cox-aup.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("", nil); err != nil {
		t.Fatalf("MAIL after reload: %v", err)
	}
	if err := c.Rcpt("bounces+carol=cox.net@"+bounceDomain, nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := w.Close(); err != nil {
		t.Fatalf("DATA after reload: %v", err)
	}

	if err := os.WriteFile(path, []byte("rules: [{id: broken}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	d.waitLog(t, `msg="rules reload failed, keeping the previous rules"`)
	if err := c.Quit(); err != nil {
		t.Fatalf("QUIT after a failed reload: %v", err)
	}
	d.stop(t)

	st, err := store.Open(filepath.Join(dataDir, "bounced.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.EventsByRecipient("carol@cox.net", 0)
	if err != nil || len(events) != 1 {
		t.Fatalf("events of carol@cox.net: %d, err %v", len(events), err)
	}
	if events[0].Rule != "local-cox-aup-changed" {
		t.Errorf("event decided by rule %q, want the reloaded local-cox-aup-changed", events[0].Rule)
	}
}

// waitLog waits until the daemon's log contains s.
func (d *daemon) waitLog(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(d.logText(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %q after 10s:\n%s", s, d.logText())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

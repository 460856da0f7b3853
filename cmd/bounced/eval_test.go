package main

import (
	"github.com/bounced/bounced/internal/eval"

	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The eval fixtures are three messages and a labels file with four rows,
// one of them for a recipient the bounce does not name, so every score is
// 3/4.
const evalDir = "testdata/eval"

func TestEval_Text(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"eval", evalDir}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, stderr.String())
	}

	out := stdout.String()
	for _, want := range []string{
		"files 3, errors 0, suppressed from unlabelled files 0\n",
		"recipient   75.00% (3/4)\n",
		"reason      75.00% (3/4)\n",
		"suppression by the default policy, not compared with labels: 1 labelled recipients\n",
		"  mailboxfull      mailboxfull:1\n",
		`  exim-text.eml missing@example.com recipient: got "", want "missing@example.com" []`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestEval_JSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "-json", evalDir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, stderr.String())
	}

	var report eval.Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("output is no JSON report: %v\n%s", err, stdout.String())
	}
	s := report.Scores["status"]
	if s.Agreed != 3 || s.Rows != 4 {
		t.Errorf("status score %+v, want 3 of 4", s)
	}
	if len(report.Misses) != 1 || report.Misses[0].Field != "recipient" {
		t.Errorf("disagreements %+v, want the one missing recipient", report.Misses)
	}
}

func TestEval_MinimumNotReached(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"eval", evalDir, "-min-reason", "0.9"}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	want := "bounced eval: reason agreement 0.7500 is below -min-reason 0.9000\n"
	if stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

func TestEval_MinimumReached(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "-min-recipient", "0.75", evalDir}, &stdout, &stderr); code != 0 {
		t.Errorf("exit code %d, want 0; stderr %s", code, stderr.String())
	}
}

func TestEval_MissingLabels(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"eval", "-labels", "testdata/eval/none.tsv", evalDir}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "read labels: open testdata/eval/none.tsv") {
		t.Errorf("exit code %d, stderr %q; want 1 and the missing file named", code, stderr.String())
	}
}

func TestEval_SuppressedUnlabelled(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile("testdata/eval/qmail-text.eml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "unlabelled.eml"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	header := "file\trecipient\tstatus\treplycode\treason\thardbounce\tfeedbacktype\n"
	if err := os.WriteFile(filepath.Join(dir, "labels.tsv"), []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}

	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "-json", dir}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d, stderr %s", code, stderr.String())
	}
	var report eval.Report
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	// taro@example.jp is unknown (550 5.1.1), a hard bounce; hanako's
	// full mailbox is soft.
	if report.SuppressedUnlabelled != 1 {
		t.Errorf("suppressed from unlabelled files = %d, want 1", report.SuppressedUnlabelled)
	}
	if len(report.Unlabelled) != 1 || report.Unlabelled[0].Recipient != "taro@example.jp" {
		t.Errorf("unlabelled suppressions %+v, want taro@example.jp", report.Unlabelled)
	}
	if len(report.Misses) != 0 {
		t.Errorf("disagreements %+v, want none: a file without labels has nothing to disagree with", report.Misses)
	}
}

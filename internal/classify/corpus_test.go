package classify

import (
	"bufio"
	"cmp"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusDir is the shared labelled corpus: $BOUNCED_CORPUS, or else the
// corpus beside the module root. A git worktree elsewhere sets the
// variable.
var corpusDir = cmp.Or(os.Getenv("BOUNCED_CORPUS"), "../../../shared/corpus")

// Minimum agreement with the corpus labels on the recipients whose
// Diagnostic-Code this test can extract. The labels come from another
// parser whose vocabulary matches ours but whose verdicts sometimes rest on
// facts the diagnostic alone does not carry (the failed SMTP command, the
// reporting MTA), so full agreement is not expected. Measured with go
// test on the 227 recipients extracted from maildir/bsd: reason 89.4%
// (203/227), hardness 95.6% (217/227).
const (
	minCorpusReasonAgreement   = 0.89
	minCorpusHardnessAgreement = 0.95
)

type corpusLabel struct {
	file, recipient, status, reply, reason, hard string
}

type corpusRecipient struct {
	recipient, action, status, diagnosticType, diagnostic string

	// command is the first failed SMTP command the message names
	// (">>> DATA", "in reply to end of DATA command"): a crude stand-in
	// for the per-recipient command a parser reports.
	command string
}

// TestClassify_CorpusDiagnosticCodes classifies the Diagnostic-Code fields
// of the corpus DSNs and compares the reason and hardness with the labels.
// It extracts the fields with a crude scan rather than the dsn package, so
// that it measures the classifier alone.
func TestClassify_CorpusDiagnosticCodes(t *testing.T) {
	labels := loadCorpusLabels(t)

	var total, reasonAgree, hardAgree int
	for file, fileLabels := range labels {
		raw, err := os.ReadFile(filepath.Join(corpusDir, "maildir", "bsd", file))
		if err != nil {
			continue
		}
		for _, rcpt := range extractDSNRecipients(string(raw)) {
			label, ok := matchLabel(fileLabels, rcpt)
			if !ok {
				continue
			}
			got := Classify(corpusInput(rcpt))
			total++

			if string(got.Reason) == label.reason {
				reasonAgree++
			} else {
				t.Logf("%s %s: got %s (rule %s), label %s; status %s, diagnostic %q",
					file, rcpt.recipient, got.Reason, got.Rule, label.reason, rcpt.status, rcpt.diagnostic)
			}
			if got.Hard == (label.hard == "true") {
				hardAgree++
			} else {
				t.Logf("%s %s: got hard=%t (rule %s), label hard=%s", file, rcpt.recipient, got.Hard, got.Rule, label.hard)
			}
		}
	}

	if total < 100 {
		t.Fatalf("extracted %d labelled diagnostics, want at least 100: is the corpus complete?", total)
	}
	reasonShare := float64(reasonAgree) / float64(total)
	hardShare := float64(hardAgree) / float64(total)
	t.Logf("reason agreement %d/%d (%.1f%%), hardness agreement %d/%d (%.1f%%)",
		reasonAgree, total, 100*reasonShare, hardAgree, total, 100*hardShare)

	if reasonShare < minCorpusReasonAgreement {
		t.Errorf("reason agreement %.3f, want at least %.2f", reasonShare, minCorpusReasonAgreement)
	}
	if hardShare < minCorpusHardnessAgreement {
		t.Errorf("hardness agreement %.3f, want at least %.2f", hardShare, minCorpusHardnessAgreement)
	}
}

func loadCorpusLabels(t *testing.T) map[string][]corpusLabel {
	t.Helper()

	f, err := os.Open(filepath.Join(corpusDir, "labels.tsv"))
	if os.IsNotExist(err) {
		t.Skipf("corpus not present at %s", corpusDir)
	}
	if err != nil {
		t.Fatalf("open labels: %v", err)
	}
	defer f.Close()

	labels := make(map[string][]corpusLabel)
	scanner := bufio.NewScanner(f)
	scanner.Scan() // header row
	for scanner.Scan() {
		cols := strings.Split(scanner.Text(), "\t")
		if len(cols) < 6 {
			continue
		}
		l := corpusLabel{file: cols[0], recipient: strings.ToLower(cols[1]), status: cols[2], reply: cols[3], reason: cols[4], hard: cols[5]}
		labels[l.file] = append(labels[l.file], l)
	}
	if err := scanner.Err(); err != nil {
		t.Fatalf("read labels: %v", err)
	}
	return labels
}

var (
	qpSoftBreak   = regexp.MustCompile(`=\r?\n`)
	failedCommand = regexp.MustCompile(`(?i)(?:>>> |in reply to\s+(?:end\s+of\s+)?)(DATA|RCPT|MAIL|HELO|EHLO)\b`)
	blankLine     = regexp.MustCompile(`\r?\n[ \t]*\r?\n`)
	diagnosticTyp = regexp.MustCompile(`^\s*([A-Za-z0-9-]+)\s*;\s*`)
)

// extractDSNRecipients returns the per-recipient field blocks of an
// RFC 3464 delivery-status part that carry a Diagnostic-Code.
func extractDSNRecipients(raw string) []corpusRecipient {
	raw = qpSoftBreak.ReplaceAllString(raw, "")
	var command string
	if m := failedCommand.FindStringSubmatch(raw); m != nil {
		command = m[1]
	}

	var out []corpusRecipient
	for _, block := range blankLine.Split(raw, -1) {
		fields := parseFieldBlock(block)
		if fields["final-recipient"] == "" || fields["diagnostic-code"] == "" {
			continue
		}
		rcpt := fields["final-recipient"]
		if _, addr, ok := strings.Cut(rcpt, ";"); ok {
			rcpt = addr
		}
		diagnostic := fields["diagnostic-code"]
		var diagnosticType string
		if m := diagnosticTyp.FindStringSubmatch(diagnostic); m != nil {
			diagnosticType = strings.ToLower(m[1])
			diagnostic = diagnostic[len(m[0]):]
		}
		out = append(out, corpusRecipient{
			recipient:      strings.ToLower(strings.Trim(strings.TrimSpace(rcpt), "<>")),
			action:         strings.ToLower(fields["action"]),
			status:         fields["status"],
			diagnosticType: diagnosticType,
			diagnostic:     diagnostic,
			command:        command,
		})
	}
	return out
}

// parseFieldBlock reads header fields, joining folded lines, and keeps the
// first value of each lower-cased name.
func parseFieldBlock(block string) map[string]string {
	fields := make(map[string]string)
	var name string
	for line := range strings.Lines(block) {
		line = strings.TrimRight(line, "\r\n")
		if line != "" && (line[0] == ' ' || line[0] == '\t') {
			if name != "" {
				fields[name] += " " + strings.TrimSpace(line)
			}
			continue
		}
		n, v, ok := strings.Cut(line, ":")
		if !ok || strings.ContainsAny(n, " \t") {
			name = ""
			continue
		}
		name = strings.ToLower(n)
		if _, dup := fields[name]; dup {
			name = ""
			continue
		}
		fields[name] = strings.TrimSpace(v)
	}
	return fields
}

func matchLabel(labels []corpusLabel, rcpt corpusRecipient) (corpusLabel, bool) {
	for _, l := range labels {
		if l.recipient == rcpt.recipient && l.reason != "" {
			return l, true
		}
	}
	return corpusLabel{}, false
}

func corpusInput(rcpt corpusRecipient) Input {
	kind := KindFailure
	if rcpt.action == "delayed" {
		kind = KindDelay
	}
	return Input{
		Kind:           kind,
		Action:         rcpt.action,
		Status:         rcpt.status,
		Diagnostic:     rcpt.diagnostic,
		DiagnosticType: rcpt.diagnosticType,
		Command:        rcpt.command,
		Recipient:      rcpt.recipient,
	}
}

// BenchmarkClassify_Corpus classifies every labelled corpus diagnostic in
// turn, a realistic mix of texts and codes.
func BenchmarkClassify_Corpus(b *testing.B) {
	var inputs []Input
	files, _ := filepath.Glob(filepath.Join(corpusDir, "maildir", "bsd", "*.eml"))
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, rcpt := range extractDSNRecipients(string(raw)) {
			inputs = append(inputs, corpusInput(rcpt))
		}
	}
	if len(inputs) == 0 {
		b.Skipf("no corpus diagnostics under %s", corpusDir)
	}

	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Classify(inputs[i%len(inputs)])
	}
}

package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/ingest"
)

const rulesUsage = `Usage:
  bounced rules check FILE
      Validate an operator rules file together with the embedded rules.
  bounced rules test [-rules FILE] FILE.eml...
      Parse each bounce and show, per recipient, the verdict, the rule that
      decided it and the conditions that held.
`

// rulesCommand implements `bounced rules`.
func rulesCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, rulesUsage)
		return 2
	}
	switch args[0] {
	case "check":
		return rulesCheck(args[1:], stdout, stderr)
	case "test":
		return rulesTest(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, rulesUsage)
		return 0
	default:
		fmt.Fprintf(stderr, "bounced rules: unknown subcommand %q\n%s", args[0], rulesUsage)
		return 2
	}
}

// rulesCheck exits 1 when the file is invalid, printing each of its
// errors on a line of its own with the file, line and rule id.
func rulesCheck(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, rulesUsage)
		return 2
	}
	set, err := classify.LoadRules(args[0])
	if err != nil {
		printErrors(stderr, "bounced rules check", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: valid; %d rules in effect with the embedded ones\n", args[0], set.Len())
	return 0
}

// printErrors prints err, or each error joined in it, on a line of its
// own after prefix.
func printErrors(w io.Writer, prefix string, err error) {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, err := range errs {
		fmt.Fprintf(w, "%s: %v\n", prefix, err)
	}
}

// rulesTest exits 1 when the rules or a file could not be read or parsed,
// after printing what it could for the other files.
func rulesTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, rulesUsage) }
	rulesFile := fs.String("rules", "", "operator rules `file` to test; default: the embedded rules alone")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	c, err := classify.NewClassifier(*rulesFile)
	if err != nil {
		printErrors(stderr, "bounced rules test", err)
		return 1
	}
	status := 0
	for _, name := range fs.Args() {
		if err := explainFile(stdout, c, name); err != nil {
			fmt.Fprintf(stderr, "bounced rules test: %v\n", err)
			status = 1
		}
	}
	return status
}

func explainFile(w io.Writer, c *classify.Classifier, name string) error {
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	report, events, err := ingest.AnalyzeWith(raw, ingest.Envelope{}, c)
	if err != nil {
		return fmt.Errorf("parsing %s: %w", name, err)
	}

	noun := "recipients"
	if len(report.Recipients) == 1 {
		noun = "recipient"
	}
	fmt.Fprintf(w, "%s: %s, %d %s\n", name, report.Kind, len(report.Recipients), noun)
	for i, rcpt := range report.Recipients {
		in := ingest.ClassifyInput(report, rcpt, events[i].Recipient)
		result, explanation := c.Explain(in)
		writeExplanation(w, in, result, explanation)
	}
	return nil
}

func writeExplanation(w io.Writer, in classify.Input, r classify.Result, e classify.Explanation) {
	hardness := "soft"
	if r.Hard {
		hardness = "hard"
	}
	policy := string(r.Policy)
	if policy == "" {
		policy = "none"
	}
	fmt.Fprintf(w, "  %s\n    verdict:  %s, %s, policy %s, provider %s\n", in.Recipient, r.Reason, hardness, policy, r.Provider)
	fmt.Fprintf(w, "    input:    status %q, reply %d, command %q, remote MTA %q\n    diagnostic: %q\n", in.Status, in.ReplyCode, in.Command, in.RemoteMTA, in.Diagnostic)
	if e.Rule == "" {
		fmt.Fprintln(w, "    rule:     none matched")
		return
	}
	fmt.Fprintf(w, "    rule:     %s (%s)\n    source:   %s\n", e.Rule, e.Origin, e.Source)
	fmt.Fprintf(w, "    because:  %s\n", strings.Join(e.Conditions, "; "))
	if r.Hint != "" {
		fmt.Fprintf(w, "    hint:     %s\n", r.Hint)
	}
}

package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
	"github.com/bounced/bounced/internal/suppress"
)

// evalLabel is one row of a labels file: tab-separated columns file,
// recipient, status, replycode, reason, hardbounce (and more, ignored),
// after a header row.
type evalLabel struct {
	File      string `json:"file"`
	Recipient string `json:"recipient"`
	Status    string `json:"status"`
	ReplyCode int    `json:"reply_code"`
	Reason    string `json:"reason"`
	Hard      bool   `json:"hard"`
}

// labellerStatusRE matches refinements of an unspecified x.0.0 status,
// such as 5.0.947, that some labellers write and no MTA sends. Rows with
// such a status do not count towards status agreement.
var labellerStatusRE = regexp.MustCompile(`^[245]\.0\.9[0-9][0-9]$`)

// evalFields are the compared fields, in output order.
var evalFields = []string{"recipient", "status", "replycode", "reason", "hardness"}

// evalScore is how many label rows agree on one field.
type evalScore struct {
	Agreed int     `json:"agreed"`
	Rows   int     `json:"rows"`
	Rate   float64 `json:"rate"`
}

// evalMiss is one disagreement between a label and the result.
type evalMiss struct {
	File      string `json:"file"`
	Recipient string `json:"recipient"`
	Field     string `json:"field"`
	Got       string `json:"got"`
	Want      string `json:"want"`
	Rule      string `json:"rule,omitempty"`
}

// evalSuppression is a recipient that the default suppression policy
// would put on the list.
type evalSuppression struct {
	File      string `json:"file"`
	Recipient string `json:"recipient"`
	Rule      string `json:"rule,omitempty"`
}

// evalReport is the outcome of `bounced eval`, printed as text or JSON.
//
// Suppression is reported beside the scores, not compared with the
// labels. A label's hardbounce states whether the failure is permanent,
// and the hardness score compares that. The default policy also
// suppresses on complaints, which are no hard bounces.
type evalReport struct {
	Files  int `json:"files"`
	Errors int `json:"errors"`

	// SuppressedLabelled counts the label rows whose event the default
	// policy suppresses.
	SuppressedLabelled int `json:"suppressed_labelled"`

	// SuppressedUnlabelled counts suppressing events from files without
	// label rows, such as mail that is no bounce; Unlabelled lists them.
	SuppressedUnlabelled int               `json:"suppressed_unlabelled"`
	Unlabelled           []evalSuppression `json:"unlabelled_suppressions"`

	Scores    map[string]*evalScore     `json:"scores"`
	Confusion map[string]map[string]int `json:"reason_confusion"`
	Misses    []evalMiss                `json:"disagreements"`
}

// evalMinimums holds the -min-FIELD flags.
type evalMinimums map[string]*float64

// evalCommand implements `bounced eval`: it runs every .eml file of DIR
// through ingest.Analyze, the daemon's own parse and classify step, and
// compares the result with a labels file. It exits 1 when a score is below
// its -min flag or a file could not be read.
func evalCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	labelsPath := fs.String("labels", "", "labels `file` (default: labels.tsv in DIR or up to two folders above it)")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	mins := evalMinimums{}
	for _, field := range evalFields {
		mins[field] = fs.Float64("min-"+field, 0, "exit 1 when the "+field+" agreement rate (0 to 1) is below `rate`")
	}
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: bounced eval [flags] DIR\n\nScores parse and classify on the .eml files of DIR against a labels file.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir := fs.Arg(0)
	if fs.NArg() > 1 {
		// Flags may follow DIR too.
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return 2
		}
		if fs.NArg() != 0 {
			fs.Usage()
			return 2
		}
	}
	if dir == "" {
		fs.Usage()
		return 2
	}

	report, err := runEval(dir, *labelsPath)
	if err != nil {
		fmt.Fprintf(stderr, "bounced eval: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		err = enc.Encode(report)
	} else {
		err = report.write(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "bounced eval: %v\n", err)
		return 1
	}
	return mins.check(report, stderr)
}

// check returns 1 and names each field whose rate is below its minimum.
func (m evalMinimums) check(report *evalReport, stderr io.Writer) int {
	status := 0
	for _, field := range evalFields {
		s := report.Scores[field]
		if min := *m[field]; s.Rate < min {
			fmt.Fprintf(stderr, "bounced eval: %s agreement %.4f is below -min-%s %.4f\n", field, s.Rate, field, min)
			status = 1
		}
	}
	if report.Errors > 0 {
		status = 1
	}
	return status
}

func runEval(dir, labelsPath string) (*evalReport, error) {
	if labelsPath == "" {
		labelsPath = findLabels(dir)
	}
	labels, err := readEvalLabels(labelsPath)
	if err != nil {
		return nil, err
	}

	paths, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no .eml files in %q", dir)
	}

	report := newEvalReport()
	for _, path := range paths {
		report.addFile(path, labels[filepath.Base(path)])
	}
	report.finish()
	return report, nil
}

// findLabels returns the first labels.tsv in dir or its two parents, the
// corpus layout being labels.tsv beside maildir/bsd/.
func findLabels(dir string) string {
	for range 3 {
		path := filepath.Join(dir, "labels.tsv")
		if _, err := os.Stat(path); err == nil {
			return path
		}
		dir = filepath.Join(dir, "..")
	}
	return filepath.Join(dir, "labels.tsv")
}

// readEvalLabels reads a labels file by hand, because encoding/csv would
// take the quotes of a quoted local part for field quoting.
func readEvalLabels(path string) (map[string][]evalLabel, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}

	labels := make(map[string][]evalLabel)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for n, line := range lines[1:] {
		cols := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(cols) < 6 {
			return nil, fmt.Errorf("%s:%d: want at least 6 tab-separated columns, got %d", path, n+2, len(cols))
		}

		code, _ := strconv.Atoi(cols[3])
		l := evalLabel{File: cols[0], Recipient: cols[1], Status: cols[2], ReplyCode: code, Reason: cols[4], Hard: cols[5] == "true"}
		labels[l.File] = append(labels[l.File], l)
	}
	return labels, nil
}

func newEvalReport() *evalReport {
	r := &evalReport{Scores: map[string]*evalScore{}, Confusion: map[string]map[string]int{}}
	for _, field := range evalFields {
		r.Scores[field] = &evalScore{}
	}
	return r
}

// addFile analyzes one file and compares its events with its label rows.
func (r *evalReport) addFile(path string, labels []evalLabel) {
	r.Files++
	raw, err := os.ReadFile(path)
	var events []store.Event
	if err == nil {
		_, events, err = ingest.Analyze(raw, ingest.Envelope{})
	}
	if err != nil {
		r.Errors++
		r.Misses = append(r.Misses, evalMiss{File: filepath.Base(path), Field: "error", Got: err.Error()})
	}

	if len(labels) == 0 {
		for _, ev := range events {
			if wouldSuppress(ev) {
				r.SuppressedUnlabelled++
				r.Unlabelled = append(r.Unlabelled, evalSuppression{File: filepath.Base(path), Recipient: ev.Recipient, Rule: ev.Rule})
			}
		}
		return
	}
	for i, l := range labels {
		r.compare(l, matchEvent(events, l, i))
	}
}

// wouldSuppress reports whether the default suppression policy puts the
// recipient of ev on the list on this one event, as the daemon would for
// an address with no history.
func wouldSuppress(ev store.Event) bool {
	if ev.Recipient == "" {
		return false
	}
	_, d := suppress.Default().Apply(ev.Recipient, suppress.State{}, suppress.Event{
		Time: ev.Time, Kind: ev.Kind, Reason: ev.Reason, Hard: ev.Hard, Policy: ev.Policy,
	})
	return d.Suppressed
}

// matchEvent finds the event a label row is about: by recipient, or by
// position for a row without one.
func matchEvent(events []store.Event, l evalLabel, pos int) *store.Event {
	if l.Recipient == "" {
		if pos < len(events) {
			return &events[pos]
		}
		return nil
	}

	i := slices.IndexFunc(events, func(ev store.Event) bool {
		return strings.EqualFold(ev.Recipient, l.Recipient) || strings.EqualFold(ev.OriginalRecipient, l.Recipient)
	})
	if i < 0 {
		return nil
	}
	return &events[i]
}

func (r *evalReport) compare(l evalLabel, ev *store.Event) {
	if ev == nil {
		// A row without its recipient counts against every field.
		for _, field := range evalFields {
			if field != "status" || !labellerStatusRE.MatchString(l.Status) {
				r.Scores[field].Rows++
			}
		}
		r.miss(l.File, l.Recipient, "recipient", "", l.Recipient, "")
		return
	}

	r.score("recipient", l, "", l.Recipient, l.Recipient)
	if !labellerStatusRE.MatchString(l.Status) {
		r.score("status", l, ev.Rule, ev.Status, l.Status)
	}
	r.score("replycode", l, ev.Rule, codeString(ev.ReplyCode), codeString(l.ReplyCode))
	r.score("reason", l, ev.Rule, ev.Reason, l.Reason)
	r.score("hardness", l, ev.Rule, strconv.FormatBool(ev.Hard), strconv.FormatBool(l.Hard))
	if wouldSuppress(*ev) {
		r.SuppressedLabelled++
	}

	if r.Confusion[l.Reason] == nil {
		r.Confusion[l.Reason] = map[string]int{}
	}
	r.Confusion[l.Reason][ev.Reason]++
}

func codeString(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}

func (r *evalReport) score(field string, l evalLabel, rule, got, want string) {
	s := r.Scores[field]
	s.Rows++
	if got == want {
		s.Agreed++
		return
	}
	r.miss(l.File, l.Recipient, field, got, want, rule)
}

func (r *evalReport) miss(file, rcpt, field, got, want, rule string) {
	r.Misses = append(r.Misses, evalMiss{File: file, Recipient: rcpt, Field: field, Got: got, Want: want, Rule: rule})
}

func (r *evalReport) finish() {
	for _, s := range r.Scores {
		if s.Rows > 0 {
			s.Rate = float64(s.Agreed) / float64(s.Rows)
		}
	}
}

// write prints the report for people: scores, the reason confusion table
// (label reason, then the reasons given for it), and each disagreement.
func (r *evalReport) write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "files %d, errors %d, suppressed from unlabelled files %d\n", r.Files, r.Errors, r.SuppressedUnlabelled)
	for _, field := range evalFields {
		s := r.Scores[field]
		fmt.Fprintf(&b, "%-10s %6.2f%% (%d/%d)\n", field, 100*s.Rate, s.Agreed, s.Rows)
	}

	fmt.Fprintf(&b, "suppression by the default policy, not compared with labels: %d labelled recipients\n", r.SuppressedLabelled)

	b.WriteString("\nreason confusion (label: result count ...)\n")
	for _, want := range sortedKeys(r.Confusion) {
		fmt.Fprintf(&b, "  %-16s", want)
		for _, got := range sortedKeys(r.Confusion[want]) {
			fmt.Fprintf(&b, " %s:%d", got, r.Confusion[want][got])
		}
		b.WriteString("\n")
	}

	b.WriteString("\ndisagreements (file recipient field: got, want [rule])\n")
	for _, m := range r.Misses {
		fmt.Fprintf(&b, "  %s %s %s: got %q, want %q [%s]\n", m.File, m.Recipient, m.Field, m.Got, m.Want, m.Rule)
	}

	if len(r.Unlabelled) > 0 {
		b.WriteString("\nsuppressed from files without labels (file recipient [rule])\n")
		for _, s := range r.Unlabelled {
			fmt.Fprintf(&b, "  %s %s [%s]\n", s.File, s.Recipient, s.Rule)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

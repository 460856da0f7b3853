// Package eval scores parsing and classification against labelled bounce
// mail: a folder of .eml files and a labels file of tab-separated rows
// (file, recipient, status, replycode, reason, hardbounce, ...), the
// layout of the shared bounce corpus. It runs each file through
// ingest.Analyze, the daemon's own parse and classify step.
package eval

import (
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

// Label is one row of a labels file: tab-separated columns file,
// recipient, status, replycode, reason, hardbounce (and more, ignored),
// after a header row.
type Label struct {
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

// Fields are the compared fields, in output order.
var Fields = []string{"recipient", "status", "replycode", "reason", "hardness"}

// Score is how many label rows agree on one field.
type Score struct {
	Agreed int     `json:"agreed"`
	Rows   int     `json:"rows"`
	Rate   float64 `json:"rate"`
}

// Miss is one disagreement between a label and the result.
type Miss struct {
	File      string `json:"file"`
	Recipient string `json:"recipient"`
	Field     string `json:"field"`
	Got       string `json:"got"`
	Want      string `json:"want"`
	Rule      string `json:"rule,omitempty"`
}

// Suppression is a recipient that the default suppression policy
// would put on the list.
type Suppression struct {
	File      string `json:"file"`
	Recipient string `json:"recipient"`
	Rule      string `json:"rule,omitempty"`
}

// Report is the outcome of an evaluation, printed as text by Write or
// encoded as JSON.
//
// Suppression is reported beside the scores, not compared with the
// labels. A label's hardbounce states whether the failure is permanent,
// and the hardness score compares that. The default policy also
// suppresses on complaints, which are no hard bounces.
type Report struct {
	Files  int `json:"files"`
	Errors int `json:"errors"`

	// SuppressedLabelled counts the label rows whose event the default
	// policy suppresses.
	SuppressedLabelled int `json:"suppressed_labelled"`

	// SuppressedUnlabelled counts suppressing events from files without
	// label rows, such as mail that is no bounce; Unlabelled lists them.
	SuppressedUnlabelled int           `json:"suppressed_unlabelled"`
	Unlabelled           []Suppression `json:"unlabelled_suppressions"`

	Scores    map[string]*Score         `json:"scores"`
	Confusion map[string]map[string]int `json:"reason_confusion"`
	Misses    []Miss                    `json:"disagreements"`
}

// Run runs every .eml file of dir through ingest.Analyze and compares the
// results with the labels file at labelsPath, or, when that is empty, the
// labels.tsv that FindLabels finds.
func Run(dir, labelsPath string) (*Report, error) {
	if labelsPath == "" {
		labelsPath = FindLabels(dir)
	}
	labels, err := readLabels(labelsPath)
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

	report := newReport()
	for _, path := range paths {
		report.addFile(path, labels[filepath.Base(path)])
	}
	report.finish()
	return report, nil
}

// FindLabels returns the first labels.tsv in dir or its two parents, the
// corpus layout being labels.tsv beside maildir/bsd/.
func FindLabels(dir string) string {
	for range 3 {
		path := filepath.Join(dir, "labels.tsv")
		if _, err := os.Stat(path); err == nil {
			return path
		}
		dir = filepath.Join(dir, "..")
	}
	return filepath.Join(dir, "labels.tsv")
}

// readLabels reads a labels file by hand, because encoding/csv would
// take the quotes of a quoted local part for field quoting.
func readLabels(path string) (map[string][]Label, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}

	labels := make(map[string][]Label)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for n, line := range lines[1:] {
		cols := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(cols) < 6 {
			return nil, fmt.Errorf("%s:%d: want at least 6 tab-separated columns, got %d", path, n+2, len(cols))
		}

		code, _ := strconv.Atoi(cols[3])
		l := Label{File: cols[0], Recipient: cols[1], Status: cols[2], ReplyCode: code, Reason: cols[4], Hard: cols[5] == "true"}
		labels[l.File] = append(labels[l.File], l)
	}
	return labels, nil
}

func newReport() *Report {
	r := &Report{Scores: map[string]*Score{}, Confusion: map[string]map[string]int{}}
	for _, field := range Fields {
		r.Scores[field] = &Score{}
	}
	return r
}

// addFile analyzes one file and compares its events with its label rows.
func (r *Report) addFile(path string, labels []Label) {
	r.Files++
	raw, err := os.ReadFile(path)
	var events []store.Event
	if err == nil {
		_, events, err = ingest.Analyze(raw, ingest.Envelope{})
	}
	if err != nil {
		r.Errors++
		r.Misses = append(r.Misses, Miss{File: filepath.Base(path), Field: "error", Got: err.Error()})
	}

	if len(labels) == 0 {
		for _, ev := range events {
			if WouldSuppress(ev) {
				r.SuppressedUnlabelled++
				r.Unlabelled = append(r.Unlabelled, Suppression{File: filepath.Base(path), Recipient: ev.Recipient, Rule: ev.Rule})
			}
		}
		return
	}
	for i, l := range labels {
		r.compare(l, matchEvent(events, l, i))
	}
}

// WouldSuppress reports whether the default suppression policy puts the
// recipient of ev on the list on this one event, as the daemon would for
// an address with no history.
func WouldSuppress(ev store.Event) bool {
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
func matchEvent(events []store.Event, l Label, pos int) *store.Event {
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

func (r *Report) compare(l Label, ev *store.Event) {
	if ev == nil {
		// A row without its recipient counts against every field.
		for _, field := range Fields {
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
	if WouldSuppress(*ev) {
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

func (r *Report) score(field string, l Label, rule, got, want string) {
	s := r.Scores[field]
	s.Rows++
	if got == want {
		s.Agreed++
		return
	}
	r.miss(l.File, l.Recipient, field, got, want, rule)
}

func (r *Report) miss(file, rcpt, field, got, want, rule string) {
	r.Misses = append(r.Misses, Miss{File: file, Recipient: rcpt, Field: field, Got: got, Want: want, Rule: rule})
}

func (r *Report) finish() {
	for _, s := range r.Scores {
		if s.Rows > 0 {
			s.Rate = float64(s.Agreed) / float64(s.Rows)
		}
	}
}

// Write prints the report for people: scores, the reason confusion table
// (label reason, then the reasons given for it), and each disagreement.
func (r *Report) Write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "files %d, errors %d, suppressed from unlabelled files %d\n", r.Files, r.Errors, r.SuppressedUnlabelled)
	for _, field := range Fields {
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

package classify

import (
	"github.com/bounced/bounced/internal/yamlerr"

	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ruleFile is the YAML form of a rules file.
type ruleFile struct {
	// Hints are named remediation lines that rules refer to by name.
	Hints map[string]string `yaml:"hints"`
	Rules []ruleSpec        `yaml:"rules"`
}

// ruleSpec is the YAML form of one rule.
type ruleSpec struct {
	ID       string `yaml:"id"`
	Reason   string `yaml:"reason"`
	Hardness string `yaml:"hardness"`
	Policy   string `yaml:"policy"`
	Provider string `yaml:"provider"`
	Hint     string `yaml:"hint"`
	Source   string `yaml:"source"`

	// Disable removes the embedded rule of the same id; only an operator
	// file may set it.
	Disable bool `yaml:"disable"`

	When conditionSpec `yaml:"when"`
}

// conditionSpec is the YAML form of a rule's conditions. A condition
// that any one of several values meets takes a list or a single value.
type conditionSpec struct {
	Kind           valueList[string] `yaml:"kind"`
	Action         valueList[string] `yaml:"action"`
	Command        valueList[string] `yaml:"command"`
	Provider       valueList[string] `yaml:"provider"`
	DiagnosticType valueList[string] `yaml:"diagnostic_type"`
	Status         valueList[string] `yaml:"status"`
	Reply          valueList[int]    `yaml:"reply"`
	Text           valueList[string] `yaml:"text"`
	Pattern        patternSpec       `yaml:"pattern"`
}

// valueList is a condition's list of values, written in a rules file as a
// YAML sequence or, for one value, as a scalar.
type valueList[T any] []T

func (l *valueList[T]) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.SequenceNode {
		var values []T
		err := n.Decode(&values)
		*l = values
		return err
	}
	if n.Tag == "!!null" {
		*l = nil
		return nil
	}
	var value T
	if err := n.Decode(&value); err != nil {
		return err
	}
	*l = valueList[T]{value}
	return nil
}

// patternSpec is the one regular expression of a rule.
type patternSpec string

func (p *patternSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		// A *yaml.TypeError lets the decoder go on and report the
		// file's other problems too.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf(
			"line %d: pattern takes one regular expression, not a list: join alternatives with |", n.Line)}}
	}
	*p = patternSpec(n.Value)
	return nil
}

// RuleError is a problem with one rule of a rules file.
type RuleError struct {
	File string
	Line int
	Rule string // the rule's id; empty when the rule has none
	Err  error
}

func (e *RuleError) Error() string {
	if e.Rule == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: rule %q: %v", e.File, e.Line, e.Rule, e.Err)
}

func (e *RuleError) Unwrap() error { return e.Err }

// decodedRules is a decoded, validated, not yet compiled rules file.
type decodedRules struct {
	rules []rule
	hints map[string]string
}

// has reports whether d contains a rule with the given id.
func (d *decodedRules) has(id string) bool {
	return slices.ContainsFunc(d.rules, func(r rule) bool { return r.id == id })
}

// decodeRules decodes and validates a rules file and returns every
// problem found, joined. base is nil for the embedded file. An operator
// file is decoded on top of base: it inherits base's hints, and it may
// disable only rules of base. A disabled rule comes back with an empty
// reason.
func decodeRules(name string, data []byte, base *decodedRules) (decodedRules, error) {
	lines, err := ruleLines(data)
	if err != nil {
		return decodedRules{}, syntaxError(name, data, err)
	}
	var file ruleFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err = dec.Decode(&file)
	var typeErr *yaml.TypeError
	if err != nil && !errors.Is(err, io.EOF) && !errors.As(err, &typeErr) {
		return decodedRules{}, fmt.Errorf("%s: %w", name, err)
	}

	// The decoder reads one document, so the rules of any after it would
	// be dropped without a word.
	var next yaml.Node
	if dec.Decode(&next) == nil && len(next.Content) > 0 {
		return decodedRules{}, &RuleError{File: name, Line: next.Line,
			Err: errors.New("a second YAML document starts here; put all rules in one document")}
	}

	if len(file.Rules) != len(lines) {
		// The decoder drops an entry of the rules list that is not a
		// mapping, so the lines no longer match the rules. The type
		// error names that entry.
		errs, _ := typeErrors(name, typeErr, nil, nil)
		if len(errs) == 0 {
			return decodedRules{}, fmt.Errorf("%s: %d entries of the rules list gave %d rules", name, len(lines), len(file.Rules))
		}
		return decodedRules{}, errors.Join(errs...)
	}
	errs, skip := typeErrors(name, typeErr, lines, file.Rules)
	decoded := decodedRules{hints: inheritHints(base, file.Hints)}
	seen := make(map[string]bool, len(file.Rules))
	for i, spec := range file.Rules {
		if skip[i] {
			continue
		}
		fail := func(err error) { errs = append(errs, &RuleError{File: name, Line: lines[i], Rule: spec.ID, Err: err}) }
		if seen[spec.ID] {
			fail(errors.New("duplicate rule id"))
			continue
		}
		seen[spec.ID] = true

		r, err := spec.rule(decoded.hints, base)
		if err != nil {
			fail(err)
			continue
		}
		r.origin = fmt.Sprintf("%s:%d", name, lines[i])
		decoded.rules = append(decoded.rules, r)
	}
	slices.SortStableFunc(errs, func(a, b error) int { return errorLine(a) - errorLine(b) })
	return decoded, errors.Join(errs...)
}

// errorLine returns the line of a *RuleError, and 0 for other errors.
func errorLine(err error) int {
	var ruleErr *RuleError
	if errors.As(err, &ruleErr) {
		return ruleErr.Line
	}
	return 0
}

// ruleLines returns the line of each entry of the rules list.
func ruleLines(data []byte) ([]int, error) {
	var doc struct {
		Rules []yaml.Node `yaml:"rules"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var typeErr *yaml.TypeError
		if errors.As(err, &typeErr) {
			// The decoder reports the same problem with the file's
			// other ones.
			return nil, nil
		}
		return nil, err
	}
	lines := make([]int, len(doc.Rules))
	for i, n := range doc.Rules {
		lines[i] = n.Line
	}
	return lines, nil
}

// syntaxError returns the YAML syntax error err of data as a RuleError at
// the line of the problem, which yaml.v3 itself gets wrong.
func syntaxError(name string, data []byte, err error) error {
	line, problem, ok := yamlerr.Locate(data, err)
	if !ok {
		return fmt.Errorf("%s: %w", name, err)
	}
	return &RuleError{File: name, Line: line, Err: fmt.Errorf("invalid YAML: %s", problem)}
}

// typeErrors converts the messages of a YAML type error, such as an
// unknown field or a list where a string belongs, into RuleErrors naming
// the rule at each message's line. skip holds the index of each rule with
// such an error, which is then left undecoded.
func typeErrors(name string, typeErr *yaml.TypeError, lines []int, specs []ruleSpec) (errs []error, skip map[int]bool) {
	if typeErr == nil {
		return nil, nil
	}
	skip = make(map[int]bool)
	for _, msg := range typeErr.Errors {
		// NOTE: yaml.v3 gives the line of a type error only inside its
		// message, as "line N: problem".
		var line int
		fmt.Sscanf(msg, "line %d:", &line)
		_, problem, _ := strings.Cut(msg, ": ")
		problem = yamlerr.Problem(problem)
		ruleErr := &RuleError{File: name, Line: line, Err: errors.New(problem)}

		i := ruleAt(lines, line)
		if i >= 0 && i < len(specs) {
			ruleErr.Rule = specs[i].ID
			skip[i] = true
		}
		errs = append(errs, ruleErr)
	}
	return errs, skip
}

// ruleAt returns the index of the rule whose entry contains line, or -1
// for a line before the first rule. lines must be ascending, as the
// entries of a YAML sequence are.
func ruleAt(lines []int, line int) int {
	i, found := slices.BinarySearch(lines, line)
	if found {
		return i
	}
	return i - 1
}

// inheritHints returns the hints of base with defined added on top.
func inheritHints(base *decodedRules, defined map[string]string) map[string]string {
	hints := make(map[string]string)
	if base != nil {
		for k, v := range base.hints {
			hints[k] = v
		}
	}
	for k, v := range defined {
		hints[k] = v
	}
	return hints
}

// rule converts and validates one rule, resolving a hint given by name.
// base is nil for the embedded file, and the rules that a disabling rule
// of an operator file may remove otherwise.
func (s *ruleSpec) rule(hints map[string]string, base *decodedRules) (rule, error) {
	if s.ID == "" {
		return rule{}, errors.New("missing id")
	}
	if s.Disable {
		return s.disablingRule(base)
	}
	if s.Reason == "" {
		return rule{}, errors.New("missing reason: want one of the bounce reasons, such as userunknown")
	}

	hardness, ok := hardnessNames[s.Hardness]
	if !ok {
		return rule{}, fmt.Errorf("invalid hardness %q: want soft, hard or hard-if-permanent", s.Hardness)
	}
	hint, err := resolveHint(s.Hint, hints)
	if err != nil {
		return rule{}, err
	}
	if strings.TrimSpace(s.Source) == "" {
		return rule{}, errors.New("missing source: say which RFC or provider documentation the rule rests on")
	}

	r := rule{
		id: s.ID, reason: Reason(s.Reason), hard: hardness, policy: Policy(s.Policy),
		provider: Provider(s.Provider), hint: hint, source: s.Source,
	}
	if err := s.When.apply(&r); err != nil {
		return rule{}, err
	}
	if err := r.validate(); err != nil {
		return rule{}, err
	}
	// compileSet compiles the pattern again. Checking it here lets a
	// rules file report a bad pattern with its other problems.
	if _, err := regexp.Compile(r.pattern); err != nil {
		return rule{}, fmt.Errorf("invalid pattern: %w", err)
	}
	return r, nil
}

// disablingRule validates a rule with `disable: true`. The id must name a
// rule of base, so that a misspelt id fails instead of disabling nothing.
func (s *ruleSpec) disablingRule(base *decodedRules) (rule, error) {
	if base == nil {
		return rule{}, errors.New("disable is only allowed in an operator rules file")
	}
	var conditions rule
	if s.Reason != "" || s.When.apply(&conditions) != nil || conditions.conditions() > 0 {
		return rule{}, errors.New("a disabling rule has only an id and disable: true")
	}
	if !base.has(s.ID) {
		return rule{}, errors.New("no embedded rule has this id, so disable: true would remove nothing; check the id's spelling")
	}
	return rule{id: s.ID}, nil
}

// resolveHint returns the named hint when value is one word, and value
// itself otherwise.
func resolveHint(value string, hints map[string]string) (string, error) {
	if value == "" || strings.ContainsAny(value, " \t") {
		return value, nil
	}
	hint, ok := hints[value]
	if !ok {
		return "", fmt.Errorf("unknown hint %q: define it under hints, or write the hint as a sentence", value)
	}
	return hint, nil
}

func (c *conditionSpec) apply(r *rule) error {
	r.kinds = c.Kind
	r.actions = lowerAll(c.Action)
	r.commands = c.Command
	for _, p := range c.Provider {
		r.providers = append(r.providers, Provider(p))
	}
	r.dtypes = lowerAll(c.DiagnosticType)
	r.replies = c.Reply
	r.text = c.Text
	r.pattern = string(c.Pattern)

	for _, s := range c.Status {
		p, err := parseCodePattern(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		r.codes = append(r.codes, p)
	}
	return nil
}

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}

package classify

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// builtinRules is the embedded rules file. Its comments describe the
// format.
//
//go:embed rules.yaml
var builtinRules []byte

// builtinRulesName names the embedded file in errors and explanations.
const builtinRulesName = "builtin:rules.yaml"

// RuleSet is a compiled, ordered list of rules: those of an operator file
// first, then the embedded ones. It is immutable once built, so one set can
// serve concurrent calls.
type RuleSet struct {
	rules   []rule
	matcher *literalMatcher

	// ungated are the rules that can match whatever literals a text
	// contains. gates[id] are the rules that can match only when literal
	// id occurs, because their text or pattern requires it. Classify tries
	// only the ungated rules and those whose gate opened.
	ungated ruleMask
	gates   [][]int32

	// providerLiterals[p] are the literal ids of the text signals of
	// provider p, for detectProvider.
	providerLiterals [][]int32
}

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

// conditionSpec is the YAML form of a rule's conditions.
type conditionSpec struct {
	Kind           []string `yaml:"kind"`
	Action         []string `yaml:"action"`
	Command        []string `yaml:"command"`
	Provider       []string `yaml:"provider"`
	DiagnosticType []string `yaml:"diagnostic_type"`
	Status         []string `yaml:"status"`
	Reply          []int    `yaml:"reply"`
	Text           []string `yaml:"text"`
	Pattern        string   `yaml:"pattern"`
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

// LoadRules reads the operator rules file at path and returns it compiled
// ahead of the embedded rules. An operator rule replaces the embedded rule
// of the same id, and one with `disable: true` removes it. An empty path
// gives the embedded rules alone.
func LoadRules(path string) (*RuleSet, error) {
	if path == "" {
		return builtinSet()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading rules file: %w", err)
	}
	return ParseRules(path, data)
}

// ParseRules compiles the operator rules in data, read from the file
// named name, ahead of the embedded rules.
func ParseRules(name string, data []byte) (*RuleSet, error) {
	builtin, err := builtinRuleList()
	if err != nil {
		return nil, err
	}
	operator, _, err := decodeRules(name, data, builtin.hints, true)
	if err != nil {
		return nil, err
	}
	return compileSet(mergeRules(operator, builtin.rules))
}

// decodedRules is a decoded, validated, not yet compiled rules file.
type decodedRules struct {
	rules []rule
	hints map[string]string
}

// builtinRuleList decodes the embedded rules once. Callers must not
// modify the rules it returns: compileSet works on a copy.
var builtinRuleList = sync.OnceValues(func() (decodedRules, error) {
	rules, hints, err := decodeRules(builtinRulesName, builtinRules, nil, false)
	return decodedRules{rules, hints}, err
})

var builtinSet = sync.OnceValues(func() (*RuleSet, error) {
	builtin, err := builtinRuleList()
	if err != nil {
		return nil, err
	}
	return compileSet(builtin.rules)
})

// mergeRules puts the operator rules first and drops the embedded rules
// they replace or disable.
func mergeRules(operator, builtin []rule) []rule {
	replaced := make(map[string]bool, len(operator))
	var merged []rule
	for _, r := range operator {
		replaced[r.id] = true
		if r.reason != "" {
			merged = append(merged, r)
		}
	}
	for _, r := range builtin {
		if !replaced[r.id] {
			merged = append(merged, r)
		}
	}
	return merged
}

// decodeRules decodes and validates a rules file. Hints defined in the
// file come on top of inherited. A disabled rule comes back with an empty
// reason.
func decodeRules(name string, data []byte, inherited map[string]string, operator bool) ([]rule, map[string]string, error) {
	var file ruleFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	lines, err := ruleLines(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}

	hints := make(map[string]string, len(inherited)+len(file.Hints))
	for k, v := range inherited {
		hints[k] = v
	}
	for k, v := range file.Hints {
		hints[k] = v
	}

	rules := make([]rule, 0, len(file.Rules))
	seen := make(map[string]bool, len(file.Rules))
	for i, spec := range file.Rules {
		fail := func(err error) error { return &RuleError{File: name, Line: lines[i], Rule: spec.ID, Err: err} }
		if seen[spec.ID] {
			return nil, nil, fail(errors.New("duplicate rule id"))
		}
		seen[spec.ID] = true

		r, err := spec.rule(hints, operator)
		if err != nil {
			return nil, nil, fail(err)
		}
		r.origin = fmt.Sprintf("%s:%d", name, lines[i])
		rules = append(rules, r)
	}
	return rules, hints, nil
}

// ruleLines returns the line of each entry of the rules list.
func ruleLines(data []byte) ([]int, error) {
	var doc struct {
		Rules []yaml.Node `yaml:"rules"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	lines := make([]int, len(doc.Rules))
	for i, n := range doc.Rules {
		lines[i] = n.Line
	}
	return lines, nil
}

// rule converts and validates one rule, resolving a hint given by name.
func (s *ruleSpec) rule(hints map[string]string, operator bool) (rule, error) {
	if s.Disable {
		if !operator {
			return rule{}, errors.New("disable is only allowed in an operator rules file")
		}
		var conditions rule
		if s.Reason != "" || s.When.apply(&conditions) != nil || conditions.conditions() > 0 {
			return rule{}, errors.New("a disabling rule has only an id and disable: true")
		}
		return rule{id: s.ID}, nil
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
	return r, r.validate()
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
	r.pattern = c.Pattern

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

// compileSet compiles the patterns of rules and builds the one literal
// matcher they share with provider detection.
func compileSet(rules []rule) (*RuleSet, error) {
	var lits literalTable
	set := &RuleSet{rules: slices.Clone(rules), providerLiterals: providerSignalIDs(&lits)}

	for i := range set.rules {
		r := &set.rules[i]
		if err := r.compilePattern(&lits); err != nil {
			return nil, fmt.Errorf("%s: rule %q: %w", r.origin, r.id, err)
		}
	}
	m, err := newLiteralMatcher(lits.list)
	if err != nil {
		return nil, err
	}
	set.matcher = m
	return set, set.buildGates(len(lits.list))
}

// buildGates sorts the rules into ungated ones and those gated by the
// literals they require.
func (s *RuleSet) buildGates(literals int) error {
	if len(s.rules) > maxRules {
		return fmt.Errorf("%d rules, more than the %d supported", len(s.rules), maxRules)
	}
	s.gates = make([][]int32, literals)
	for i := range s.rules {
		r := &s.rules[i]
		gate := r.textIDs
		if gate == nil {
			gate = r.required
		}
		if gate == nil {
			s.ungated.set(int32(i))
			continue
		}
		for _, id := range gate {
			s.gates[id] = append(s.gates[id], int32(i))
		}
	}
	return nil
}

// candidates returns the rules that can match a text holding hits.
func (s *RuleSet) candidates(hits *literalSet) ruleMask {
	mask := s.ungated
	for word, bits := range hits[:(len(s.gates)+63)/64] {
		for bits != 0 {
			id := word*64 + bitsTrailingZeros(bits)
			bits &= bits - 1
			for _, r := range s.gates[id] {
				mask.set(r)
			}
		}
	}
	return mask
}

// RuleIDs returns the ids of the rules in order, so that per-rule counters
// can start at zero.
func (s *RuleSet) RuleIDs() []string {
	ids := make([]string, len(s.rules))
	for i := range s.rules {
		ids[i] = s.rules[i].id
	}
	return ids
}

// Len returns the number of rules.
func (s *RuleSet) Len() int { return len(s.rules) }

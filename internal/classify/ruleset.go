package classify

import (
	_ "embed"
	"fmt"
	"math/bits"
	"os"
	"slices"
	"sync"
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
// named name, ahead of the embedded rules. On error it returns every
// problem of the file it found, each a *RuleError or a YAML syntax error,
// joined with errors.Join.
func ParseRules(name string, data []byte) (*RuleSet, error) {
	builtin, err := builtinRuleList()
	if err != nil {
		return nil, err
	}
	operator, err := decodeRules(name, data, &builtin)
	if err != nil {
		return nil, err
	}
	return compileSet(mergeRules(operator.rules, builtin.rules))
}

// builtinRuleList decodes the embedded rules once. Callers must not
// modify the rules it returns: compileSet works on a copy.
var builtinRuleList = sync.OnceValues(func() (decodedRules, error) {
	return decodeRules(builtinRulesName, builtinRules, nil)
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
	for word, set := range hits[:(len(s.gates)+63)/64] {
		for set != 0 {
			id := word*64 + bits.TrailingZeros64(set)
			set &= set - 1
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

package classify

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// hardness is whether a rule's verdict is permanent for the address.
type hardness int

const (
	soft hardness = iota
	hard
	// hardIfPermanent is hard when the report gives a permanent (5xx or
	// 5.x.x) code and soft otherwise. It serves reasons such as a null MX,
	// which no retry can overcome once the receiver states it for good.
	hardIfPermanent
)

// rule is one row of the rule table. All conditions that are set must hold
// for the rule to match; a condition left at its zero value always holds.
// The first matching rule in table order decides the result.
type rule struct {
	id     string // stable kebab-case name, stored with each event
	reason Reason
	hard   hardness
	policy Policy
	hint   string // one line for the sender; empty when only dropping the address helps
	source string // the RFC or provider documentation behind the rule's meaning

	kinds   []string // Input.Kind values
	actions []string // Input.Action values
	text    []string // lower-case substrings of the normalised diagnostic; any one matches
	pattern string   // regular expression on the normalised diagnostic
	dtypes  []string // Input.DiagnosticType values
	status  string   // enhanced status code patterns, comma-separated, such as "5.1.1", "x.1.1" or "x.4.x"; any one matches
	replies []int    // SMTP reply codes; any one matches

	re       *regexp.Regexp
	required []string // literals one of which a match of re contains; nil when unknown
	codes    []codePattern
}

// compileRules validates the table and compiles its patterns, so that
// Classify never compiles anything per call.
func compileRules(table []rule) ([]rule, error) {
	compiled := make([]rule, len(table))
	seen := make(map[string]bool, len(table))

	for i, r := range table {
		if err := r.compile(); err != nil {
			return nil, fmt.Errorf("rule %d %q: %w", i, r.id, err)
		}
		if seen[r.id] {
			return nil, fmt.Errorf("rule %d: duplicate id %q", i, r.id)
		}
		seen[r.id] = true
		compiled[i] = r
	}
	return compiled, nil
}

var ruleIDSyntax = regexp.MustCompile(`^[a-z0-9]+(?:[-.][a-z0-9]+)*$`)

func (r *rule) compile() error {
	if !ruleIDSyntax.MatchString(r.id) {
		return fmt.Errorf("invalid rule id %q: want lower-case words joined by '-' or '.'", r.id)
	}
	if !slices.Contains(Reasons, r.reason) {
		return fmt.Errorf("unknown reason %q", r.reason)
	}
	if r.policy != PolicyNone && !slices.Contains(Policies, r.policy) {
		return fmt.Errorf("unknown policy kind %q", r.policy)
	}
	if len(r.kinds)+len(r.actions)+len(r.dtypes)+len(r.text)+len(r.replies) == 0 && r.pattern == "" && r.status == "" {
		return fmt.Errorf("rule has no condition, so it would match every input")
	}

	for _, s := range r.text {
		if s != strings.ToLower(s) || strings.TrimSpace(s) != s || s == "" {
			return fmt.Errorf("text %q must be lower-case and trimmed", s)
		}
	}
	if r.pattern != "" {
		re, err := regexp.Compile(r.pattern)
		if err != nil {
			return fmt.Errorf("invalid pattern: %w", err)
		}
		r.re = re
		r.required = requiredLiterals(r.pattern)
	}
	if r.status != "" {
		for p := range strings.SplitSeq(r.status, ",") {
			code, err := parseCodePattern(strings.TrimSpace(p))
			if err != nil {
				return err
			}
			r.codes = append(r.codes, code)
		}
	}
	return nil
}

// facts is the input prepared once per call for all rules.
type facts struct {
	kind    string
	action  string
	dtype   string
	text    string // normalised diagnostic
	status  code   // effective enhanced status code
	reply   int
	delayed bool
}

func (r *rule) matches(f *facts) bool {
	if len(r.kinds) > 0 && !slices.Contains(r.kinds, f.kind) {
		return false
	}
	if len(r.actions) > 0 && !slices.Contains(r.actions, f.action) {
		return false
	}
	if len(r.dtypes) > 0 && !slices.Contains(r.dtypes, f.dtype) {
		return false
	}
	if len(r.codes) > 0 && !matchesAnyCode(r.codes, f.status) {
		return false
	}
	if len(r.replies) > 0 && !slices.Contains(r.replies, f.reply) {
		return false
	}
	if len(r.text) > 0 && !containsAny(f.text, r.text) {
		return false
	}
	if r.re != nil {
		if r.required != nil && !containsAny(f.text, r.required) {
			return false
		}
		if !r.re.MatchString(f.text) {
			return false
		}
	}
	return true
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func matchesAnyCode(patterns []codePattern, c code) bool {
	for _, p := range patterns {
		if p.match(c) {
			return true
		}
	}
	return false
}

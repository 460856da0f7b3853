package classify

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// hardness is whether a rule's verdict is permanent for the address.
type hardness int

const (
	soft hardness = iota
	hard
	// hardIfPermanent is hard when the report gives a permanent (5xx or
	// 5.x.x) code, or is a failure report that gives no code at all, and
	// soft otherwise. It serves reasons such as a null MX, which no retry
	// can overcome once the receiver states it for good. A plain-text
	// failure notice without codes ("host example.org not found") is the
	// MTA's final word, so it counts as permanent.
	hardIfPermanent
)

// hardnessNames are the values of a rule's hardness in a rules file.
var hardnessNames = map[string]hardness{
	"":                  soft,
	"soft":              soft,
	"hard":              hard,
	"hard-if-permanent": hardIfPermanent,
}

// rule is one compiled rule. All conditions that are set must hold for the
// rule to match; a condition left at its zero value always holds. The
// first matching rule in order decides the result.
type rule struct {
	id       string // stable kebab-case name, stored with each event
	reason   Reason
	hard     hardness
	policy   Policy
	provider Provider // assigned provider; empty keeps the detected one
	hint     string   // one line for the sender; empty when only dropping the address helps
	source   string   // the RFC or provider documentation behind the rule's meaning
	origin   string   // file:line the rule was read from

	kinds     []string   // Input.Kind values
	actions   []string   // Input.Action values, lower-case
	commands  []string   // normalised Input.Command values: CONNECT, HELO, MAIL, RCPT, DATA
	providers []Provider // detected providers
	dtypes    []string   // Input.DiagnosticType values, lower-case
	text      []string   // lower-case substrings of the normalised diagnostic; any one matches
	pattern   string     // regular expression on the normalised diagnostic
	codes     []codePattern
	replies   []int // SMTP reply codes; any one matches

	re         *regexp.Regexp
	textIDs    []int32 // literal ids of text
	required   []int32 // literal ids one of which a match of re contains; nil when unknown
	sufficient []int32 // literal ids any of which proves that re matches

	// residual matches where re does in a text without a sufficient
	// literal (see residualPattern); nil when it then never matches.
	// residualRequired are literal ids one of which a match of residual
	// contains; nil when unknown.
	residual         *regexp.Regexp
	residualRequired []int32
}

// facts is the input prepared once per call for all rules.
type facts struct {
	kind     string
	action   string
	command  string
	dtype    string
	text     string // normalised diagnostic
	status   code   // effective enhanced status code
	reply    int
	delayed  bool
	provider Provider // detected provider
	hits     literalSet
}

func (r *rule) matches(f *facts) bool {
	if len(r.kinds) > 0 && !slices.Contains(r.kinds, f.kind) {
		return false
	}
	if len(r.actions) > 0 && !slices.Contains(r.actions, f.action) {
		return false
	}
	if len(r.commands) > 0 && !slices.Contains(r.commands, f.command) {
		return false
	}
	if len(r.providers) > 0 && !slices.Contains(r.providers, f.provider) {
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
	if len(r.textIDs) > 0 && !f.hits.any(r.textIDs) {
		return false
	}
	if r.re != nil {
		if r.required != nil && !f.hits.any(r.required) {
			return false
		}
		if !f.hits.any(r.sufficient) && !r.residualMatches(f) {
			return false
		}
	}
	return true
}

// conditionsMet returns the conditions of r as f met them, one phrase
// each, for `bounced rules test`. It is called only for a rule that
// matched.
func (r *rule) conditionsMet(f *facts) []string {
	var met []string
	add := func(format string, args ...any) { met = append(met, fmt.Sprintf(format, args...)) }

	if len(r.kinds) > 0 {
		add("kind %q in %q", f.kind, r.kinds)
	}
	if len(r.actions) > 0 {
		add("action %q in %q", f.action, r.actions)
	}
	if len(r.commands) > 0 {
		add("command %q in %q", f.command, r.commands)
	}
	if len(r.providers) > 0 {
		add("provider %q in %q", f.provider, r.providers)
	}
	if len(r.dtypes) > 0 {
		add("diagnostic type %q in %q", f.dtype, r.dtypes)
	}
	if len(r.codes) > 0 {
		add("status %s matches %s", f.status, joinCodes(r.codes))
	}
	if len(r.replies) > 0 {
		add("reply code %d in %v", f.reply, r.replies)
	}
	for _, s := range r.text {
		if strings.Contains(f.text, s) {
			add("text contains %q", s)
			break
		}
	}
	if r.re != nil {
		add("pattern %q matched %q", r.pattern, r.re.FindString(f.text))
	}
	return met
}

func (r *rule) result(f *facts) Result {
	res := Result{
		Reason:   r.reason,
		Policy:   r.policy,
		Rule:     r.id,
		Hint:     r.hint,
		Provider: f.provider,
	}
	if r.provider != "" {
		res.Provider = r.provider
	}

	switch r.hard {
	case hard:
		res.Hard = true
	case hardIfPermanent:
		res.Hard = f.status.class == 5 || (!f.status.valid() && (f.reply >= 500 || f.reply == 0 && f.kind == KindFailure))
	}
	if f.delayed {
		res.Hard = false
	}
	return res
}

var ruleIDSyntax = regexp.MustCompile(`^[a-z0-9]+(?:[-.][a-z0-9]+)*$`)

// validate checks the fields of a rule that do not need compiling.
func (r *rule) validate() error {
	if !ruleIDSyntax.MatchString(r.id) {
		return fmt.Errorf("invalid rule id %q: want lower-case words joined by '-' or '.'", r.id)
	}
	if !slices.Contains(Reasons, r.reason) {
		return fmt.Errorf("unknown reason %q", r.reason)
	}
	if r.policy != PolicyNone && !slices.Contains(Policies, r.policy) {
		return fmt.Errorf("unknown policy kind %q", r.policy)
	}
	if r.policy != PolicyNone && r.hard != soft {
		return fmt.Errorf("policy kind %q with hardness other than soft: a policy rejection describes the sender", r.policy)
	}
	if r.provider != "" && !slices.Contains(Providers, r.provider) {
		return fmt.Errorf("unknown provider %q", r.provider)
	}
	for _, p := range r.providers {
		if !slices.Contains(Providers, p) {
			return fmt.Errorf("unknown provider %q in condition", p)
		}
	}
	for _, k := range r.kinds {
		if !slices.Contains(reportKinds, k) {
			return fmt.Errorf("invalid kind %q: want one of %s", k, strings.Join(reportKinds, ", "))
		}
	}
	for _, code := range r.replies {
		if code < 200 || code > 599 {
			return fmt.Errorf("invalid reply code %d: want a three-digit SMTP reply code from 200 to 599", code)
		}
	}
	for _, c := range r.commands {
		if normalizeCommand(c) != c {
			return fmt.Errorf("invalid command %q: want one of %s", c, strings.Join(commands, ", "))
		}
	}
	if r.conditions() == 0 {
		return fmt.Errorf("rule has no condition, so it would match every input")
	}
	for _, s := range r.text {
		if s != strings.ToLower(s) || strings.TrimSpace(s) != s || s == "" {
			return fmt.Errorf("text %q must be lower-case and trimmed", s)
		}
	}
	return nil
}

func (r *rule) conditions() int {
	n := len(r.kinds) + len(r.actions) + len(r.commands) + len(r.providers) + len(r.dtypes) +
		len(r.text) + len(r.codes) + len(r.replies)
	if r.pattern != "" {
		n++
	}
	return n
}

// compilePattern compiles the pattern and registers the literals of text
// and pattern with lits, so that one scan of the text serves every rule.
func (r *rule) compilePattern(lits *literalTable) error {
	for _, s := range r.text {
		r.textIDs = append(r.textIDs, lits.add(s))
	}
	if r.pattern == "" {
		return nil
	}
	re, err := regexp.Compile(r.pattern)
	if err != nil {
		return fmt.Errorf("invalid pattern: %w", err)
	}
	r.re = re
	for _, s := range requiredLiterals(r.pattern) {
		r.required = append(r.required, lits.add(s))
	}
	for _, s := range sufficientLiterals(r.pattern) {
		r.sufficient = append(r.sufficient, lits.add(s))
	}
	return r.compileResidual(lits)
}

// compileResidual compiles the residual of the pattern (see
// residualPattern) and registers its required literals with lits.
func (r *rule) compileResidual(lits *literalTable) error {
	residual := residualPattern(r.pattern)
	switch residual {
	case "":
		return nil
	case r.pattern:
		r.residual, r.residualRequired = r.re, r.required
		return nil
	}

	re, err := regexp.Compile(residual)
	if err != nil {
		return fmt.Errorf("compiling the residual %q of the pattern: %w", residual, err)
	}
	r.residual = re
	for _, s := range requiredLiterals(residual) {
		r.residualRequired = append(r.residualRequired, lits.add(s))
	}
	return nil
}

// residualMatches reports whether the residual of the pattern matches
// f's text, which holds none of the sufficient literals.
func (r *rule) residualMatches(f *facts) bool {
	if r.residual == nil {
		return false
	}
	if r.residualRequired != nil && !f.hits.any(r.residualRequired) {
		return false
	}
	return r.residual.MatchString(f.text)
}

func matchesAnyCode(patterns []codePattern, c code) bool {
	for _, p := range patterns {
		if p.match(c) {
			return true
		}
	}
	return false
}

func joinCodes(patterns []codePattern) string {
	parts := make([]string, len(patterns))
	for i, p := range patterns {
		parts[i] = p.String()
	}
	return strings.Join(parts, ", ")
}

func (c code) String() string {
	if !c.valid() {
		return "(none)"
	}
	return fmt.Sprintf("%d.%d.%d", c.class, c.subject, c.detail)
}

func (p codePattern) String() string {
	part := func(n int) string {
		if n < 0 {
			return "x"
		}
		return strconv.Itoa(n)
	}
	return part(p.class) + "." + part(p.subject) + "." + part(p.detail)
}

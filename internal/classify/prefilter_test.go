package classify

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// patternTexts returns the normalised diagnostics of the case tables and
// random texts made of the literals of the embedded rules, so that many
// texts hold some literals of a rule and not others.
func patternTexts(set *RuleSet) []string {
	var texts []string
	for _, cases := range allCaseTables {
		for _, tc := range cases {
			texts = append(texts, normalize(tc.in.Diagnostic))
		}
	}

	var pieces []string
	for i := range set.rules {
		r := &set.rules[i]
		pieces = append(pieces, r.text...)
		pieces = append(pieces, requiredLiterals(r.pattern)...)
		pieces = append(pieces, sufficientLiterals(r.pattern)...)
	}
	pieces = append(pieces, " ", " ", "x", "1", ":", "-", "'", "account", "a@b.example")

	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

// TestResidualPattern_SameAsPattern checks that the literal prefilter and
// the residual of each pattern decide as the whole pattern does.
func TestResidualPattern_SameAsPattern(t *testing.T) {
	set := defaultSet()
	for _, text := range patternTexts(set) {
		var f facts
		f.text = text
		set.matcher.scan(text, &f.hits)
		for i := range set.rules {
			r := &set.rules[i]
			if r.re == nil {
				continue
			}
			got := f.hits.any(r.sufficient) || r.residualMatches(&f)
			if want := r.re.MatchString(text); got != want {
				t.Errorf("rule %q on %q: prefilter and residual give %v, the pattern %v", r.id, text, got, want)
			}
		}
	}
}

func TestResidualPattern(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{`user unknown|no such user`, ``},
		{`user unknown|doesn't have an? \S+ account`, `doesn't have an? [^\t\n\f\r ]+ account`},
		{`\bspam\b|junk`, `\bspam\b`},
		{`\bspam\b`, `\bspam\b`},
		{`rfc ?822(?:$|[^;])|missing date`, `(?-m:rfc ?822(?:$|[^;]))`},
	}
	for _, tt := range tests {
		if got := residualPattern(tt.pattern); got != tt.want {
			t.Errorf("residualPattern(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

// TestLiteralMatcher_NarrowTableSameHits checks that the uint16 table
// finds what the int32 table it replaces finds.
func TestLiteralMatcher_NarrowTableSameHits(t *testing.T) {
	literals := []string{"user unknown", "mailbox full", "unknown", "spam", "550", "5.1.1", "no such user", "a", "user"}
	m, err := newLiteralMatcher(literals)
	if err != nil {
		t.Fatal(err)
	}
	if m.next16 == nil {
		t.Fatal("newLiteralMatcher kept the int32 table for a few states")
	}
	wide := *m
	wide.next16, wide.next = nil, make([]int32, len(m.next16))
	for i, s := range m.next16 {
		wide.next[i] = int32(s)
	}

	rng := rand.New(rand.NewPCG(37, 38))
	pieces := append([]string{" ", "x", "us", "er", "5", "0"}, literals...)
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		var got, want literalSet
		m.scan(b.String(), &got)
		wide.scan(b.String(), &want)
		if got != want {
			t.Fatalf("scan(%q) with the uint16 table found other literals than with the int32 one", b.String())
		}
	}
}

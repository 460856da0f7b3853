package classify

import (
	"regexp/syntax"
	"strings"
)

// requiredLiterals returns strings of which every match of pattern
// contains at least one, or nil when it cannot tell. Classify checks them
// with strings.Contains before it runs the regular expression, which skips
// most patterns for most texts at a fraction of the cost.
func requiredLiterals(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	lits, ok := literalsOf(re.Simplify())
	if !ok {
		return nil
	}
	return lits
}

// maxLiteralSet bounds the sets built from products of alternations.
const maxLiteralSet = 64

// literalsOf returns a set of literals one of which occurs in every match
// of re, and false when re has no such set. Among several sets it prefers
// the one whose shortest literal is longest, because that one filters
// best.
func literalsOf(re *syntax.Regexp) ([]string, bool) {
	if exact, ok := exactLiterals(re); ok && minLen(exact) > 0 {
		return exact, true
	}

	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return literalsOf(re.Sub[0])

	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil, false
		}
		return literalsOf(re.Sub[0])

	case syntax.OpConcat:
		return concatLiterals(re.Sub)

	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits, ok := literalsOf(sub)
			if !ok {
				return nil, false
			}
			all = append(all, lits...)
		}
		return all, true
	}
	return nil, false
}

// concatLiterals picks the best set among runs of exactly known elements
// and single required elements of a concatenation.
func concatLiterals(subs []*syntax.Regexp) ([]string, bool) {
	var best []string
	consider := func(set []string) {
		if len(set) > 0 && minLen(set) > minLen(best) {
			best = set
		}
	}

	run := []string{""}
	for _, sub := range subs {
		if exact, ok := exactLiterals(sub); ok {
			if product := crossJoin(run, exact); product != nil {
				run = product
				continue
			}
		}
		consider(run)
		run = []string{""}
		if lits, ok := literalsOf(sub); ok {
			consider(lits)
		}
	}
	consider(run)
	return best, best != nil
}

// exactLiterals returns every string re can match when that set is finite
// and small.
func exactLiterals(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpBeginLine, syntax.OpEndLine:
		return []string{""}, true
	case syntax.OpCapture:
		return exactLiterals(re.Sub[0])
	case syntax.OpQuest:
		sub, ok := exactLiterals(re.Sub[0])
		if !ok {
			return nil, false
		}
		return append(sub, ""), true
	case syntax.OpCharClass:
		return charClassLiterals(re.Rune)
	case syntax.OpConcat:
		set := []string{""}
		for _, sub := range re.Sub {
			exact, ok := exactLiterals(sub)
			if !ok {
				return nil, false
			}
			if set = crossJoin(set, exact); set == nil {
				return nil, false
			}
		}
		return set, true
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			exact, ok := exactLiterals(sub)
			if !ok || len(all)+len(exact) > maxLiteralSet {
				return nil, false
			}
			all = append(all, exact...)
		}
		return all, true
	}
	return nil, false
}

// charClassLiterals expands a class of a few characters, such as [- ].
func charClassLiterals(ranges []rune) ([]string, bool) {
	var out []string
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if len(out) == 4 {
				return nil, false
			}
			out = append(out, string(r))
		}
	}
	return out, len(out) > 0
}

// crossJoin returns every a+b, or nil when the set would grow too large.
func crossJoin(as, bs []string) []string {
	if len(as)*len(bs) > maxLiteralSet {
		return nil
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out
}

func minLen(set []string) int {
	if len(set) == 0 {
		return 0
	}
	n := len(set[0])
	for _, s := range set[1:] {
		n = min(n, len(s))
	}
	return n
}

// sufficientLiterals returns literals whose presence alone proves that
// pattern matches: the strings of alternatives that match a small, fixed
// set of strings with no assertion such as \b. Classify takes a hit on one
// of them as a match and skips the regular expression, whose backtracking
// over a long alternation costs far more than the scan.
func sufficientLiterals(pattern string) []string {
	var out []string
	for _, alt := range alternativesOf(pattern) {
		out = append(out, sufficientExact(alt)...)
	}
	return out
}

// residualPattern returns the alternatives of pattern that
// sufficientLiterals takes no literals from, joined into one pattern. In
// a text without any sufficient literal, pattern matches exactly where the
// residual does, so Classify runs the residual, often a small part of a
// long alternation. It returns "" when every alternative gave literals,
// and pattern itself when none did.
func residualPattern(pattern string) string {
	alternatives := alternativesOf(pattern)
	var rest []string
	for _, alt := range alternatives {
		if sufficientExact(alt) == nil {
			rest = append(rest, alt.String())
		}
	}
	if len(rest) == len(alternatives) {
		return pattern
	}
	return strings.Join(rest, "|")
}

// alternativesOf returns the top-level alternatives of pattern,
// simplified, or nil when it does not parse.
func alternativesOf(pattern string) []*syntax.Regexp {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	if re.Op == syntax.OpAlternate {
		return re.Sub
	}
	return []*syntax.Regexp{re}
}

// sufficientExact returns the strings that alt matches when it matches
// a small, fixed set of non-empty strings with no assertion, else nil.
func sufficientExact(alt *syntax.Regexp) []string {
	if hasAssertion(alt) {
		return nil
	}
	exact, ok := exactLiterals(alt)
	if !ok || minLen(exact) == 0 {
		return nil
	}
	return exact
}

func hasAssertion(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpBeginLine, syntax.OpEndLine:
		return true
	}
	for _, sub := range re.Sub {
		if hasAssertion(sub) {
			return true
		}
	}
	return false
}

package classify

import "slices"

// RuleIDs returns the ids of the embedded rules in table order. The list is
// closed, so it can be a metric label; an operator file adds a bounded
// number more.
func RuleIDs() []string {
	return defaultSet().RuleIDs()
}

// Verdict is one combination of reason, policy kind and hardness that
// Classify can return.
type Verdict struct {
	Reason Reason
	Policy Policy
	Hard   bool
}

// Verdicts returns every combination of reason, policy kind and hardness
// that the embedded rules can produce, Undefined included, without
// duplicates.
func Verdicts() []Verdict {
	return defaultSet().Verdicts()
}

// Verdicts returns every combination of reason, policy kind and hardness
// that the rules of s can produce, Undefined included, without duplicates.
// A rule that can be hard can also be soft, because a delay is never hard.
func (s *RuleSet) Verdicts() []Verdict {
	verdicts := []Verdict{{Reason: Undefined}}
	add := func(v Verdict) {
		if !slices.Contains(verdicts, v) {
			verdicts = append(verdicts, v)
		}
	}
	for i := range s.rules {
		r := &s.rules[i]
		add(Verdict{Reason: r.reason, Policy: r.policy})
		if r.hard != soft {
			add(Verdict{Reason: r.reason, Policy: r.policy, Hard: true})
		}
	}
	return verdicts
}

package classify

import "slices"

// RuleIDs returns the ids of the rule table in table order. The list is
// closed, so it can be a metric label.
func RuleIDs() []string {
	ids := make([]string, len(rules))
	for i := range rules {
		ids[i] = rules[i].id
	}
	return ids
}

// Verdict is one combination of reason, policy kind and hardness that
// Classify can return.
type Verdict struct {
	Reason Reason
	Policy Policy
	Hard   bool
}

// Verdicts returns every combination of reason, policy kind and hardness
// that the rule table can produce, Undefined included, without duplicates.
// A rule that can be hard can also be soft, because a delay is never hard.
func Verdicts() []Verdict {
	verdicts := []Verdict{{Reason: Undefined}}
	add := func(v Verdict) {
		if !slices.Contains(verdicts, v) {
			verdicts = append(verdicts, v)
		}
	}
	for i := range rules {
		r := &rules[i]
		add(Verdict{Reason: r.reason, Policy: r.policy})
		if r.hard != soft {
			add(Verdict{Reason: r.reason, Policy: r.policy, Hard: true})
		}
	}
	return verdicts
}

package classify

import "sync/atomic"

// Classifier classifies by a rule set that can be replaced while it is in
// use, so that a daemon reloads its rules without stopping: calls in
// flight finish with the set they started with.
type Classifier struct {
	path string // operator rules file; empty for the embedded rules alone
	set  atomic.Pointer[RuleSet]
}

// NewClassifier returns a classifier with the rules of the operator file
// at path ahead of the embedded rules; an empty path means the embedded
// rules alone.
func NewClassifier(path string) (*Classifier, error) {
	set, err := LoadRules(path)
	if err != nil {
		return nil, err
	}
	c := &Classifier{path: path}
	c.set.Store(set)
	return c, nil
}

// Reload reads the operator rules file again. On error it keeps the rules
// it had and returns the error.
func (c *Classifier) Reload() (*RuleSet, error) {
	set, err := LoadRules(c.path)
	if err != nil {
		return nil, err
	}
	c.set.Store(set)
	return set, nil
}

// Path returns the operator rules file, or "" for none.
func (c *Classifier) Path() string { return c.path }

// Rules returns the rule set in use.
func (c *Classifier) Rules() *RuleSet { return c.set.Load() }

// Classify returns the verdict for in by the current rules.
func (c *Classifier) Classify(in Input) Result { return c.set.Load().Classify(in) }

// Explain returns the verdict for in by the current rules, with the rule
// that decided it and why.
func (c *Classifier) Explain(in Input) (Result, Explanation) { return c.set.Load().Explain(in) }

// RuleIDs returns the ids of the current rules in order.
func (c *Classifier) RuleIDs() []string { return c.set.Load().RuleIDs() }

package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/suppress"
)

// Suppression configures the suppression policy over its defaults
// (suppress.Default): a rule given here replaces the default rule of that
// reason or policy kind.
type Suppression struct {
	// Reasons maps a reason (mailboxfull, userunknown, ...) to its rule.
	Reasons map[string]SuppressionRule `yaml:"reasons"`

	// Policies maps a policy kind (aup, blocklist, ...) to its rule. It
	// takes precedence over Reasons.
	Policies map[string]SuppressionRule `yaml:"policies"`

	// Expiry is the default lifetime of an entry per kind (hard, soft,
	// complaint, manual); 0 means it does not expire.
	Expiry map[string]Duration `yaml:"expiry"`
}

// SuppressionRule is one rule of the suppression policy.
type SuppressionRule struct {
	// Action is suppress (at once), threshold (after Threshold events
	// within Window) or count (never suppress).
	Action    string   `yaml:"action"`
	Threshold int      `yaml:"threshold"`
	Window    Duration `yaml:"window"`

	// Expiry overrides the expiry of the entry kind for this rule.
	Expiry Duration `yaml:"expiry"`
}

// Store configures the database.
type Store struct {
	// RawRetention is how long raw messages are kept, for reprocessing
	// and GET /api/v1/events/{id}/raw; 0 keeps them forever.
	RawRetention Duration `yaml:"raw_retention"`

	// EventRetention is how long events and message records are kept; 0
	// keeps them forever, and the file then grows without bound.
	// Suppression entries are kept regardless.
	EventRetention Duration `yaml:"event_retention"`
}

// Defaults of Store: raw messages for 90 days, events for 400 days so
// that a year can be compared with the one before.
const (
	DefaultRawRetention   = 90 * 24 * time.Hour
	DefaultEventRetention = 400 * 24 * time.Hour
)

// Policy returns the suppression policy: the defaults with the file's
// rules over them. It fails on an invalid rule or an unknown entry kind.
func (s Suppression) Policy() (*suppress.Policy, error) {
	expiry := make(map[suppress.Kind]time.Duration, len(s.Expiry))
	for kind, d := range s.Expiry {
		switch k := suppress.Kind(kind); k {
		case suppress.KindHard, suppress.KindSoft, suppress.KindComplaint, suppress.KindManual:
			expiry[k] = time.Duration(d)
		default:
			return nil, fmt.Errorf("suppression.expiry: invalid kind %q, want hard, soft, complaint or manual", kind)
		}
	}
	if err := checkNames("suppression.reasons", s.Reasons, classify.Reasons); err != nil {
		return nil, err
	}
	if err := checkNames("suppression.policies", s.Policies, classify.Policies); err != nil {
		return nil, err
	}
	p := suppress.Default().WithOverrides(rules(s.Reasons), rules(s.Policies), expiry)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("suppression: %w", err)
	}
	return p, nil
}

func rules(in map[string]SuppressionRule) map[string]suppress.Rule {
	out := make(map[string]suppress.Rule, len(in))
	for name, r := range in {
		out[name] = suppress.Rule{
			Action:    suppress.Action(r.Action),
			Threshold: r.Threshold,
			Window:    time.Duration(r.Window),
			Expiry:    time.Duration(r.Expiry),
		}
	}
	return out
}

// checkNames rejects a rule for a name the classifier never produces,
// which would otherwise be a silent no-op such as a misspelt reason.
func checkNames[T ~string](section string, rules map[string]SuppressionRule, known []T) error {
	for name := range rules {
		if name == "" || !slices.Contains(known, T(name)) {
			return fmt.Errorf("%s: unknown name %q, want one of %v", section, name, known)
		}
	}
	return nil
}

package suppress

import (
	"cmp"
	"fmt"
	"maps"
	"time"
)

// Policy is the set of rules that decide suppression. Match picks the rule
// for an event in this order: the rule for its policy kind, the rule for
// its reason, then the defaults by event kind and hardness.
type Policy struct {
	// ByPolicy holds rules per policy kind (aup, blocklist, ...).
	ByPolicy map[string]Rule
	// ByReason holds rules per reason (mailboxfull, userunknown, ...).
	ByReason map[string]Rule

	// Hard, Soft, Complaint and Other are the fallbacks: a hard failure,
	// a soft failure, a complaint, and any other report (auto-reply,
	// delay, not a bounce).
	Hard, Soft, Complaint, Other Rule

	// Expiry is the default lifetime of an entry per kind; zero or absent
	// means it does not expire.
	Expiry map[Kind]time.Duration
}

// Defaults of the threshold rules for soft bounces.
const (
	DefaultSoftThreshold = 3
	DefaultSoftWindow    = 7 * 24 * time.Hour
	DefaultSoftExpiry    = 30 * 24 * time.Hour
)

// Default returns the default policy: hard bounces and complaints suppress
// at once and do not expire; a full or disabled mailbox suppresses after
// DefaultSoftThreshold bounces within DefaultSoftWindow, for
// DefaultSoftExpiry; policy rejections, auto-replies, delays and other soft
// failures are only counted. A policy rejection describes the sender, not
// the recipient, so suppressing its recipient would hide the real problem.
func Default() *Policy {
	soft := Rule{Action: ActionThreshold, Threshold: DefaultSoftThreshold, Window: DefaultSoftWindow}
	p := &Policy{
		ByPolicy: map[string]Rule{},
		ByReason: map[string]Rule{
			// A mailbox that is full, over quota or suspended may recover;
			// several bounces in a row say it has been abandoned.
			"mailboxfull": soft,
			"exceedlimit": soft,
			"suspend":     soft,
		},
		Hard:      Rule{Action: ActionSuppress},
		Soft:      Rule{Action: ActionCount},
		Complaint: Rule{Action: ActionSuppress},
		Other:     Rule{Action: ActionCount},
		Expiry:    map[Kind]time.Duration{KindSoft: DefaultSoftExpiry},
	}
	for _, kind := range []string{"aup", "blocklist", "reputation", "auth", "ptr", "rate_limit", "content"} {
		p.ByPolicy[kind] = Rule{Action: ActionCount}
	}
	p.nameRules()
	return p
}

// Match returns the rule that applies to ev.
func (p *Policy) Match(ev Event) Rule {
	if r, ok := p.ByPolicy[ev.Policy]; ok && ev.Policy != "" {
		return r
	}
	if r, ok := p.ByReason[ev.Reason]; ok {
		return r
	}
	switch {
	case ev.Kind == EventComplaint:
		return p.Complaint
	case ev.Kind == EventAutoReply || ev.Kind == EventDelay || ev.Kind == "not_bounce":
		return p.Other
	case ev.Policy != "":
		// A policy kind without its own rule still describes the sender.
		return Rule{ID: "policy:" + ev.Policy, Action: ActionCount}
	case ev.Hard:
		return p.Hard
	default:
		return p.Soft
	}
}

// Validate reports the first rule that cannot work.
func (p *Policy) Validate() error {
	for _, r := range p.rules() {
		if err := r.validate(); err != nil {
			return err
		}
	}
	return nil
}

func (r Rule) validate() error {
	switch r.Action {
	case ActionSuppress, ActionCount:
	case ActionThreshold:
		if r.Threshold < 1 || r.Window <= 0 {
			return fmt.Errorf("rule %q: threshold %d and window %v must be positive", r.ID, r.Threshold, r.Window)
		}
	default:
		return fmt.Errorf("rule %q: invalid action %q, want suppress, threshold or count", r.ID, r.Action)
	}
	if r.Expiry < 0 {
		return fmt.Errorf("rule %q: expiry %v is negative", r.ID, r.Expiry)
	}
	return nil
}

func (p *Policy) rules() []Rule {
	rules := []Rule{p.Hard, p.Soft, p.Complaint, p.Other}
	for _, r := range p.ByPolicy {
		rules = append(rules, r)
	}
	for _, r := range p.ByReason {
		rules = append(rules, r)
	}
	return rules
}

// nameRules gives every rule without an ID the name of its place in the
// policy, so entries and events can say which rule decided.
func (p *Policy) nameRules() {
	for k, r := range p.ByPolicy {
		r.ID = cmp.Or(r.ID, "policy:"+k)
		p.ByPolicy[k] = r
	}
	for k, r := range p.ByReason {
		r.ID = cmp.Or(r.ID, "reason:"+k)
		p.ByReason[k] = r
	}
	p.Hard.ID = cmp.Or(p.Hard.ID, "default:hard")
	p.Soft.ID = cmp.Or(p.Soft.ID, "default:soft")
	p.Complaint.ID = cmp.Or(p.Complaint.ID, "default:complaint")
	p.Other.ID = cmp.Or(p.Other.ID, "default:other")
}

// WithOverrides returns a copy of p in which each rule of byReason and
// byPolicy replaces or adds the rule of that name, and each expiry given
// replaces the default of its kind.
func (p *Policy) WithOverrides(byReason, byPolicy map[string]Rule, expiry map[Kind]time.Duration) *Policy {
	q := *p
	q.ByReason = merge(p.ByReason, byReason)
	q.ByPolicy = merge(p.ByPolicy, byPolicy)
	q.Expiry = merge(p.Expiry, expiry)
	q.nameRules()
	return &q
}

func merge[K comparable, V any](base, over map[K]V) map[K]V {
	m := make(map[K]V, len(base)+len(over))
	maps.Copy(m, base)
	maps.Copy(m, over)
	return m
}

// MaxWindow returns the longest window of the policy's threshold rules:
// a soft bounce older than that can no longer count towards any rule.
func (p *Policy) MaxWindow() time.Duration {
	var longest time.Duration
	for _, r := range p.rules() {
		if r.Action == ActionThreshold {
			longest = max(longest, r.Window)
		}
	}
	return longest
}

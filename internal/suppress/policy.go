// Package suppress decides, from the events of one address, whether that
// address is on the suppression list. It is pure: the store keeps the
// State of each address and calls Apply inside the transaction that stores
// the event, so counts over a window stay consistent under concurrent
// ingest.
package suppress

import (
	"slices"
	"time"
)

// Action is the effect of a rule on a matching event.
type Action string

// The actions a rule can take.
const (
	// ActionSuppress suppresses the address at once.
	ActionSuppress Action = "suppress"
	// ActionThreshold suppresses the address once Threshold matching events
	// fell within Window.
	ActionThreshold Action = "threshold"
	// ActionCount records the event and never suppresses.
	ActionCount Action = "count"
)

// Kind is the class of a suppression entry. Each kind has its own default
// expiry.
type Kind string

// The kinds of suppression entries.
const (
	KindHard      Kind = "hard"      // a permanent failure
	KindSoft      Kind = "soft"      // repeated temporary failures; cleared by a delivery
	KindComplaint Kind = "complaint" // the recipient reported the mail as spam
	KindManual    Kind = "manual"    // added by an operator
)

// Event kinds that Apply treats specially. They match the report kinds of
// the parser, plus the two manual operations.
const (
	EventDelivered    = "delivered"
	EventComplaint    = "complaint"
	EventAutoReply    = "auto_reply"
	EventDelay        = "delay"
	EventManualAdd    = "manual_add"
	EventManualRemove = "manual_remove"
)

// Rule is one line of the policy.
type Rule struct {
	// ID names the rule in entries and events, e.g. "reason:mailboxfull".
	ID     string `json:"id"`
	Action Action `json:"action"`

	// Threshold and Window apply to ActionThreshold.
	Threshold int           `json:"threshold,omitempty"`
	Window    time.Duration `json:"window,omitempty"`

	// Expiry is how long an entry made by this rule lasts; zero means the
	// default of its kind.
	Expiry time.Duration `json:"expiry,omitempty"`
}

// Event is the part of one event of an address that Apply reads.
type Event struct {
	ID      uint64
	Time    time.Time
	Kind    string // report kind, or EventManualAdd/EventManualRemove
	Reason  string
	Hard    bool
	Policy  string // policy kind; empty when the failure is about the recipient
	Comment string

	// Expires, for a manual add, overrides the default expiry.
	Expires time.Time

	// Untrusted marks an event whose signed return path did not verify.
	// It is counted, but it never suppresses and never clears an entry.
	Untrusted bool
}

// Entry is one suppression list entry.
type Entry struct {
	Address   string    `json:"address"`
	Kind      Kind      `json:"kind"`
	Reason    string    `json:"reason"`
	Policy    string    `json:"policy,omitempty"`
	Rule      string    `json:"rule,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`

	// Count is the number of events that suppressed or re-suppressed the
	// address.
	Count int `json:"count"`

	// EventID is the event that last suppressed the address.
	EventID uint64 `json:"event_id"`

	// Expires is when the entry stops suppressing; zero means never.
	Expires time.Time `json:"expires,omitzero"`

	Comment string `json:"comment,omitempty"`
}

// Active reports whether the entry suppresses at time now.
func (e *Entry) Active(now time.Time) bool {
	return e != nil && (e.Expires.IsZero() || now.Before(e.Expires))
}

// State is the policy's record of one address.
type State struct {
	// Entry is the suppression entry, or nil.
	Entry *Entry

	// Recent are the times of the soft events counted towards a threshold
	// rule, oldest first, at most the rule's threshold of them. Times
	// outside the rule's window are dropped, so counts decay.
	Recent []time.Time
}

// Decision is the outcome of Apply for one event.
type Decision struct {
	Rule       string // the rule that matched
	Action     Action
	Suppressed bool // the event suppressed or re-suppressed the address
	Cleared    bool // the event removed the address's entry
}

// Apply returns the state of address after ev, and what ev decided.
func (p *Policy) Apply(address string, st State, ev Event) (State, Decision) {
	switch ev.Kind {
	case EventManualAdd:
		return p.manualAdd(address, st, ev)
	case EventManualRemove:
		return State{}, Decision{Rule: "manual", Action: ActionCount, Cleared: st.Entry != nil}
	case EventDelivered:
		if ev.Untrusted {
			// A forged delivery report must not reopen an address either.
			return st, Decision{Rule: "delivered", Action: ActionCount}
		}
		return p.delivered(st)
	}

	rule := p.Match(ev)
	d := Decision{Rule: rule.ID, Action: rule.Action}
	if ev.Untrusted {
		// Whatever the rule, an untrusted event is only counted, and its
		// decision records that.
		d.Action = ActionCount
		return st, d
	}
	if rule.Action == ActionCount {
		return st, d
	}
	if rule.Action == ActionThreshold {
		st.Recent = recentWithin(st.Recent, ev.Time, rule.Window, rule.Threshold-1)
		st.Recent = append(st.Recent, ev.Time)
		if len(st.Recent) < rule.Threshold {
			return st, d
		}
	}

	st.Entry = p.suppress(address, st.Entry, ev, rule)
	d.Suppressed = true
	return st, d
}

// delivered clears a soft entry and the soft count: the mailbox accepts
// mail again. Hard, complaint and manual entries stay, because one
// delivery does not undo them.
func (p *Policy) delivered(st State) (State, Decision) {
	d := Decision{Rule: "delivered", Action: ActionCount}
	st.Recent = nil
	if st.Entry != nil && st.Entry.Kind == KindSoft {
		st.Entry = nil
		d.Cleared = true
	}
	return st, d
}

func (p *Policy) manualAdd(address string, st State, ev Event) (State, Decision) {
	e := p.suppress(address, st.Entry, ev, Rule{ID: "manual", Action: ActionSuppress})
	e.Kind = KindManual
	e.Comment = ev.Comment
	e.Expires = ev.Expires
	if e.Expires.IsZero() {
		e.Expires = p.expiry(KindManual, Rule{}, ev.Time)
	}
	if e.Reason == "" {
		e.Reason = "manual"
	}
	st.Entry = e
	return st, Decision{Rule: "manual", Action: ActionSuppress, Suppressed: true}
}

// suppress returns prev refreshed by ev, or a new entry when prev is nil or
// expired. The latest event gives the reason; the first one the start.
func (p *Policy) suppress(address string, prev *Entry, ev Event, rule Rule) *Entry {
	e := &Entry{Address: address, FirstSeen: ev.Time}
	if prev.Active(ev.Time) {
		*e = *prev
	}
	kind := entryKind(ev)
	if e.Kind == "" || kindRank(kind) >= kindRank(e.Kind) {
		e.Kind = kind
	}
	e.Reason = ev.Reason
	e.Policy = ev.Policy
	e.Rule = rule.ID
	e.LastSeen = ev.Time
	e.EventID = ev.ID
	e.Count++
	e.Expires = p.expiry(e.Kind, rule, ev.Time)
	return e
}

func (p *Policy) expiry(kind Kind, rule Rule, at time.Time) time.Time {
	d := rule.Expiry
	if d == 0 {
		d = p.Expiry[kind]
	}
	if d <= 0 {
		return time.Time{}
	}
	return at.Add(d)
}

func entryKind(ev Event) Kind {
	switch {
	case ev.Kind == EventComplaint:
		return KindComplaint
	case ev.Hard:
		return KindHard
	default:
		return KindSoft
	}
}

// kindRank orders kinds so that a soft event does not turn a hard entry
// into one that a delivery would clear.
func kindRank(k Kind) int {
	return slices.Index([]Kind{KindSoft, KindHard, KindComplaint, KindManual}, k)
}

// recentWithin returns the last max times of recent that lie within
// window before now. Keeping no more than the threshold needs bounds the
// state of an address that bounces all day.
func recentWithin(recent []time.Time, now time.Time, window time.Duration, max int) []time.Time {
	cutoff := now.Add(-window)
	kept := recent[:0:0]
	for _, t := range recent {
		if t.After(cutoff) {
			kept = append(kept, t)
		}
	}
	return kept[len(kept)-min(len(kept), max):]
}

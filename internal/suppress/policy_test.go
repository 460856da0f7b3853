package suppress

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func bounce(reason string, hard bool, at time.Time) Event {
	return Event{Time: at, Kind: "failure", Reason: reason, Hard: hard}
}

// applyAll runs events through p from an empty state and returns the
// final state and the last decision.
func applyAll(p *Policy, events ...Event) (State, Decision) {
	var st State
	var d Decision
	for i, ev := range events {
		ev.ID = uint64(i + 1)
		st, d = p.Apply("a@example.com", st, ev)
	}
	return st, d
}

func TestApply_Defaults(t *testing.T) {
	tests := []struct {
		name     string
		event    Event
		suppress bool
		rule     string
		kind     Kind
	}{
		{"hard bounce", bounce("userunknown", true, t0), true, "default:hard", KindHard},
		{"complaint", Event{Time: t0, Kind: EventComplaint, Reason: "feedback"}, true, "default:complaint", KindComplaint},
		{"one mailbox full", bounce("mailboxfull", false, t0), false, "reason:mailboxfull", ""},
		{"hard policy rejection", Event{Time: t0, Kind: "failure", Reason: "policyviolation", Hard: true, Policy: "aup"}, false, "policy:aup", ""},
		{"auto-reply", Event{Time: t0, Kind: EventAutoReply, Reason: "vacation"}, false, "default:other", ""},
		{"delay", Event{Time: t0, Kind: EventDelay, Reason: "expired"}, false, "default:other", ""},
		{"other soft failure", bounce("networkerror", false, t0), false, "default:soft", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, d := applyAll(Default(), tt.event)
			if d.Suppressed != tt.suppress {
				t.Errorf("Suppressed = %v, want %v", d.Suppressed, tt.suppress)
			}
			if d.Rule != tt.rule {
				t.Errorf("Rule = %q, want %q", d.Rule, tt.rule)
			}
			if tt.suppress && (st.Entry == nil || st.Entry.Kind != tt.kind) {
				t.Errorf("entry = %+v, want kind %q", st.Entry, tt.kind)
			}
			if !tt.suppress && st.Entry != nil {
				t.Errorf("entry = %+v, want none", st.Entry)
			}
		})
	}
}

func TestApply_HardDoesNotExpire(t *testing.T) {
	st, _ := applyAll(Default(), bounce("userunknown", true, t0))
	if !st.Entry.Expires.IsZero() {
		t.Errorf("Expires = %v, want zero", st.Entry.Expires)
	}
	if !st.Entry.Active(t0.AddDate(10, 0, 0)) {
		t.Error("hard entry inactive after ten years")
	}
}

func TestApply_SoftThresholdWithinWindow(t *testing.T) {
	day := 24 * time.Hour
	st, d := applyAll(Default(),
		bounce("mailboxfull", false, t0),
		bounce("mailboxfull", false, t0.Add(2*day)),
		bounce("mailboxfull", false, t0.Add(4*day)),
	)
	if !d.Suppressed || st.Entry == nil {
		t.Fatalf("third bounce within the window: Suppressed = %v, entry %+v", d.Suppressed, st.Entry)
	}
	if st.Entry.Kind != KindSoft || st.Entry.EventID != 3 {
		t.Errorf("entry = %+v, want soft, event 3", st.Entry)
	}
	if want := t0.Add(4 * day).Add(DefaultSoftExpiry); !st.Entry.Expires.Equal(want) {
		t.Errorf("Expires = %v, want %v", st.Entry.Expires, want)
	}
}

func TestApply_SoftCountsDecay(t *testing.T) {
	day := 24 * time.Hour
	st, d := applyAll(Default(),
		bounce("mailboxfull", false, t0),
		bounce("mailboxfull", false, t0.Add(5*day)),
		// The first bounce is now outside the 7-day window.
		bounce("mailboxfull", false, t0.Add(8*day)),
	)
	if d.Suppressed || st.Entry != nil {
		t.Errorf("bounces spread over 8 days suppressed: entry %+v", st.Entry)
	}
	if len(st.Recent) != 2 {
		t.Errorf("Recent = %v, want the 2 bounces within the window", st.Recent)
	}
}

func TestApply_ExpiredEntryStartsOver(t *testing.T) {
	p := Default().WithOverrides(map[string]Rule{"mailboxfull": {Action: ActionSuppress, Expiry: time.Hour}}, nil, nil)
	st, _ := applyAll(p, bounce("mailboxfull", false, t0), bounce("mailboxfull", false, t0.Add(2*time.Hour)))
	if st.Entry.Count != 1 || !st.Entry.FirstSeen.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("entry after expiry = %+v, want a new entry with count 1", st.Entry)
	}
	if st.Entry.Active(t0.Add(4 * time.Hour)) {
		t.Error("entry active past its one-hour expiry")
	}
}

func TestApply_UntrustedNeverSuppresses(t *testing.T) {
	ev := bounce("userunknown", true, t0)
	ev.Untrusted = true
	st, d := applyAll(Default(), ev)
	if d.Suppressed || st.Entry != nil {
		t.Errorf("untrusted hard bounce suppressed: %+v", st.Entry)
	}
	if d.Rule != "default:hard" {
		t.Errorf("Rule = %q, want the matching rule recorded", d.Rule)
	}
	if d.Action != ActionCount {
		t.Errorf("Action = %q, want %q: an untrusted event is only counted", d.Action, ActionCount)
	}
}

func TestApply_UntrustedSoftNotCounted(t *testing.T) {
	ev := bounce("mailboxfull", false, t0)
	ev.Untrusted = true
	st, _ := applyAll(Default(), ev, ev, ev)
	if st.Entry != nil || len(st.Recent) != 0 {
		t.Errorf("untrusted soft bounces counted: entry %+v, recent %v", st.Entry, st.Recent)
	}
}

func TestApply_DeliveredClearsSoftOnly(t *testing.T) {
	delivered := Event{Time: t0.Add(time.Hour), Kind: EventDelivered}
	soft := bounce("mailboxfull", false, t0)

	st, d := applyAll(Default(), soft, soft, soft, delivered)
	if st.Entry != nil || !d.Cleared || len(st.Recent) != 0 {
		t.Errorf("after delivery: entry %+v, cleared %v, recent %v; want all cleared", st.Entry, d.Cleared, st.Recent)
	}

	st, d = applyAll(Default(), bounce("userunknown", true, t0), delivered)
	if st.Entry == nil || d.Cleared {
		t.Error("a delivery cleared a hard entry")
	}
}

func TestApply_SoftDoesNotDowngradeHard(t *testing.T) {
	soft := bounce("mailboxfull", false, t0.Add(time.Hour))
	st, _ := applyAll(Default(), bounce("userunknown", true, t0), soft, soft, soft)
	if st.Entry.Kind != KindHard || !st.Entry.Expires.IsZero() {
		t.Errorf("entry = kind %q expires %v, want hard without expiry", st.Entry.Kind, st.Entry.Expires)
	}
}

func TestApply_ManualAddAndRemove(t *testing.T) {
	expires := t0.Add(48 * time.Hour)
	add := Event{Time: t0, Kind: EventManualAdd, Comment: "asked by support", Expires: expires}
	st, d := applyAll(Default(), add)
	if !d.Suppressed || st.Entry.Kind != KindManual || st.Entry.Comment != "asked by support" || st.Entry.Reason != "manual" {
		t.Fatalf("manual add: entry %+v", st.Entry)
	}
	if !st.Entry.Expires.Equal(expires) {
		t.Errorf("Expires = %v, want %v", st.Entry.Expires, expires)
	}

	remove := Event{Time: t0.Add(time.Hour), Kind: EventManualRemove}
	st, d = applyAll(Default(), add, remove)
	if st.Entry != nil || !d.Cleared {
		t.Errorf("manual remove: entry %+v, cleared %v", st.Entry, d.Cleared)
	}

	st, d = applyAll(Default(), add, remove, bounce("userunknown", true, t0.Add(2*time.Hour)))
	if !d.Suppressed || st.Entry.Kind != KindHard || st.Entry.Count != 1 {
		t.Errorf("hard bounce after removal: entry %+v, want a new hard entry", st.Entry)
	}
}

func TestMatch_PolicyBeforeReason(t *testing.T) {
	p := Default().WithOverrides(
		map[string]Rule{"blocked": {Action: ActionSuppress}},
		map[string]Rule{"blocklist": {Action: ActionThreshold, Threshold: 2, Window: time.Hour}},
		nil)
	got := p.Match(Event{Kind: "failure", Reason: "blocked", Policy: "blocklist", Hard: true})
	if got.ID != "policy:blocklist" || got.Action != ActionThreshold {
		t.Errorf("Match = %+v, want the blocklist rule", got)
	}
	got = p.Match(Event{Kind: "failure", Reason: "blocked", Hard: true})
	if got.ID != "reason:blocked" {
		t.Errorf("Match without policy = %+v, want the blocked rule", got)
	}
}

func TestValidate_Default(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Errorf("default policy invalid: %v", err)
	}
}

func TestApply_RecentBounded(t *testing.T) {
	var events []Event
	for i := range 50 {
		events = append(events, bounce("mailboxfull", false, t0.Add(time.Duration(i)*time.Minute)))
	}
	st, d := applyAll(Default(), events...)
	if !d.Suppressed {
		t.Error("fiftieth bounce within the window did not suppress")
	}
	if len(st.Recent) != DefaultSoftThreshold {
		t.Errorf("Recent holds %d times, want at most the threshold %d", len(st.Recent), DefaultSoftThreshold)
	}
}

func TestApply_ManualDefaultExpiry(t *testing.T) {
	p := Default().WithOverrides(nil, nil, map[Kind]time.Duration{KindManual: 24 * time.Hour})
	st, _ := applyAll(p, Event{Time: t0, Kind: EventManualAdd})
	if want := t0.Add(24 * time.Hour); !st.Entry.Expires.Equal(want) {
		t.Errorf("Expires = %v, want the manual default %v", st.Entry.Expires, want)
	}
}

func TestApply_UntrustedDeliveryKeepsEntry(t *testing.T) {
	soft := bounce("mailboxfull", false, t0)
	st, d := applyAll(Default(), soft, soft, soft, Event{Time: t0, Kind: EventDelivered, Untrusted: true})
	if st.Entry == nil || d.Cleared {
		t.Error("an untrusted delivery report cleared a soft entry")
	}
}

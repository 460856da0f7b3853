package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bounced/bounced/internal/suppress"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

// openAt opens a store whose clock reads *now.
func openAt(t *testing.T, now *time.Time, opts Options) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bounced.db")
	opts.Now = func() time.Time { return *now }
	st, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		st.Close()
		checkConsistency(t, path)
	})
	return st
}

func deliver(t *testing.T, st *Store, msg *Message, events ...Event) {
	t.Helper()
	if err := st.Deliver(context.Background(), msg, events); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
}

func TestOpen_MigratesV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounced.db")
	writeV1File(t, path)

	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of a version 1 file: %v", err)
	}
	defer func() {
		st.Close()
		checkConsistency(t, path)
	}()

	msg, err := st.Message(1)
	if err != nil || string(msg.Raw) != "raw v1 bytes" {
		t.Errorf("Message(1) = %q, %v; want the raw bytes of version 1", msg.Raw, err)
	}
	events, _, err := st.Events(EventFilter{Provider: "gmail"}, "", 0)
	if err != nil || len(events) != 1 || events[0].Recipient != "a@example.com" {
		t.Errorf("events at gmail = %+v, %v; want the version 1 event", events, err)
	}
	sup, err := st.Suppression("a@example.com")
	if err != nil || sup.Kind != suppress.KindHard {
		t.Errorf("suppression = %+v, %v; want kind hard", sup, err)
	}
	byRecipient, err := st.EventsByRecipient("a@example.com", 0)
	if err != nil || len(byRecipient) != 1 {
		t.Errorf("events of a@example.com = %+v, %v; want the version 1 event once", byRecipient, err)
	}
	byDomain, _, err := st.Suppressions(SuppressionFilter{Domain: "example.com"}, "", 0)
	if err != nil || len(byDomain) != 1 {
		t.Errorf("suppressions of example.com = %+v, %v; want 1", byDomain, err)
	}
}

// writeV1File writes the layout of schema version 1: one message with its
// raw bytes uncompressed, one event, its recipient index key and its
// suppression.
func writeV1File(t *testing.T, path string) {
	t.Helper()
	updateFile(t, path, func(tx *bolt.Tx) error {
		records := map[string]map[string]string{
			"meta":                {"schema": string(binary.BigEndian.AppendUint32(nil, 1))},
			"messages":            {string(itob(1)): `{"id":1,"received":"2026-12-01T10:00:00Z","mail_from":"","rcpt_to":null,"size":12}`},
			"raw":                 {string(itob(1)): "raw v1 bytes"},
			"events":              {string(itob(1)): `{"id":1,"message_id":1,"time":"2026-12-01T10:00:00Z","recipient":"a@example.com","kind":"failure","reason":"userunknown","hard":true,"provider":"gmail","suppress":true}`},
			"events_by_recipient": {"a@example.com\x00" + string(itob(1)): ""},
			"suppressions":        {"a@example.com": `{"address":"a@example.com","reason":"userunknown","first_seen":"2026-12-01T10:00:00Z","last_seen":"2026-12-01T10:00:00Z","count":1,"event_id":1}`},
		}
		for bucket, kv := range records {
			b, err := tx.CreateBucket([]byte(bucket))
			if err != nil {
				return err
			}
			for k, v := range kv {
				if err := b.Put([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func TestDeliver_RawCompressed(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	raw := []byte(fmt.Sprintf("%08000d", 0)) // 8000 zeros compress well
	msg := &Message{Received: t0, Raw: raw}
	deliver(t, st, msg)

	var stored int
	st.db.View(func(tx *bolt.Tx) error {
		stored = len(tx.Bucket(bucketRaw).Get(itob(msg.ID)))
		return nil
	})
	if stored == 0 || stored >= len(raw)/10 {
		t.Errorf("stored %d bytes for %d raw bytes, want under a tenth", stored, len(raw))
	}
	got, err := st.Message(msg.ID)
	if err != nil || string(got.Raw) != string(raw) {
		t.Errorf("Message(%d) raw differs after compression (err %v)", msg.ID, err)
	}
}

func TestDeliver_SoftThresholdAcrossMessages(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	soft := Event{Recipient: "full@example.com", Kind: "failure", Reason: "mailboxfull"}
	for i := range 3 {
		soft.Time = t0.Add(time.Duration(i) * time.Hour)
		deliver(t, st, &Message{Received: soft.Time}, soft)
		_, err := st.Suppression("full@example.com")
		if suppressed := err == nil; suppressed != (i == 2) {
			t.Errorf("after bounce %d: suppressed %v, want %v", i+1, suppressed, i == 2)
		}
	}
	events, _ := st.EventsByRecipient("full@example.com", 0)
	if last := events[len(events)-1]; !last.Suppress || last.SuppressionRule != "reason:mailboxfull" || last.Decision != suppress.ActionThreshold {
		t.Errorf("third event = %+v, want it to record the threshold rule that suppressed", last)
	}
}

func TestDeliver_UntrustedStoredNotSuppressed(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	ev := hardEvent("forged@example.com", t0)
	ev.Untrusted = true
	deliver(t, st, &Message{Received: t0}, ev)

	if _, err := st.Suppression("forged@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Suppression of an untrusted bounce: err = %v, want ErrNotFound", err)
	}
	events, _ := st.EventsByRecipient("forged@example.com", 0)
	if len(events) != 1 || !events[0].Untrusted || events[0].Suppress {
		t.Errorf("events = %+v, want one untrusted event that did not suppress", events)
	}
}

func TestSuppression_ExpiredIsNotFound(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	_, err := st.AddSuppressions(context.Background(), []ManualEntry{{Address: "temp@example.com", Expires: t0.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Suppression("temp@example.com"); err != nil {
		t.Errorf("before expiry: %v", err)
	}
	now = t0.Add(2 * time.Hour)
	if _, err := st.Suppression("temp@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after expiry: err = %v, want ErrNotFound", err)
	}
}

func TestSuppression_DomainWide(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	_, err := st.AddSuppressions(context.Background(), []ManualEntry{{Address: "*@Blocked.example", Comment: "whole domain"}})
	if err != nil {
		t.Fatal(err)
	}
	sup, err := st.Suppression("anyone@blocked.example")
	if err != nil || sup.Address != "*@blocked.example" || sup.Comment != "whole domain" {
		t.Errorf("Suppression(anyone@blocked.example) = %+v, %v; want the domain-wide entry", sup, err)
	}
	found, err := st.CheckSuppressions([]string{"x@blocked.example", "x@other.example"})
	if err != nil || len(found) != 1 {
		t.Errorf("CheckSuppressions = %v, %v; want only x@blocked.example", found, err)
	}
}

func TestRemoveSuppression_RecordedAndResuppressed(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	ctx := context.Background()
	deliver(t, st, &Message{Received: t0}, hardEvent("gone@example.com", t0))

	ev, err := st.RemoveSuppression(ctx, "gone@example.com", "customer says it works")
	if err != nil {
		t.Fatalf("RemoveSuppression: %v", err)
	}
	if ev.Kind != suppress.EventManualRemove || ev.Comment != "customer says it works" || !ev.Cleared {
		t.Errorf("removal event = %+v", ev)
	}
	if _, err := st.Suppression("gone@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after removal: err = %v, want ErrNotFound", err)
	}
	if _, err := st.RemoveSuppression(ctx, "gone@example.com", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("second removal: err = %v, want ErrNotFound", err)
	}

	deliver(t, st, &Message{Received: t0.Add(time.Hour)}, hardEvent("gone@example.com", t0.Add(time.Hour)))
	if _, err := st.Suppression("gone@example.com"); err != nil {
		t.Errorf("hard bounce after removal: %v, want suppressed again", err)
	}
	events, _ := st.EventsByRecipient("gone@example.com", 0)
	if len(events) != 3 {
		t.Errorf("events = %d, want bounce, removal, bounce", len(events))
	}
}

func TestRecordDelivery_ClearsSoft(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	soft := Event{Time: t0, Recipient: "full@example.com", Kind: "failure", Reason: "mailboxfull"}
	deliver(t, st, &Message{Received: t0}, soft, soft, soft)
	if _, err := st.Suppression("full@example.com"); err != nil {
		t.Fatalf("after three soft bounces: %v", err)
	}
	ev, err := st.RecordDelivery(context.Background(), "full@example.com", time.Time{})
	if err != nil || !ev.Cleared {
		t.Fatalf("RecordDelivery = %+v, %v; want it to clear", ev, err)
	}
	if _, err := st.Suppression("full@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delivery: err = %v, want ErrNotFound", err)
	}
}

func TestEvents_Filters(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	evs := []Event{
		{Time: t0, Recipient: "a@gmail.com", Kind: "failure", Reason: "userunknown", Hard: true, Provider: "gmail"},
		{Time: t0.Add(time.Hour), Recipient: "b@cox.net", Kind: "failure", Reason: "policyviolation", Policy: "aup", Provider: "cox"},
		{Time: t0.Add(2 * time.Hour), Recipient: "c@gmail.com", Kind: "failure", Reason: "mailboxfull", Provider: "gmail"},
		{Time: t0.Add(3 * time.Hour), Recipient: "a@gmail.com", Kind: "delay", Reason: "expired", Provider: "gmail"},
	}
	for _, ev := range evs {
		deliver(t, st, &Message{Received: ev.Time}, ev)
	}

	tests := []struct {
		name   string
		filter EventFilter
		want   []string // recipient/reason of each event, in order
	}{
		{"all", EventFilter{}, []string{"a@gmail.com/userunknown", "b@cox.net/policyviolation", "c@gmail.com/mailboxfull", "a@gmail.com/expired"}},
		{"recipient", EventFilter{Recipient: "<A@gmail.com>"}, []string{"a@gmail.com/userunknown", "a@gmail.com/expired"}},
		{"domain", EventFilter{Domain: "COX.net"}, []string{"b@cox.net/policyviolation"}},
		{"provider since", EventFilter{Provider: "gmail", Since: t0.Add(time.Hour)}, []string{"c@gmail.com/mailboxfull", "a@gmail.com/expired"}},
		{"reason", EventFilter{Reason: "mailboxfull"}, []string{"c@gmail.com/mailboxfull"}},
		{"policy", EventFilter{Policy: "aup"}, []string{"b@cox.net/policyviolation"}},
		{"time range", EventFilter{Since: t0.Add(time.Hour), Until: t0.Add(3 * time.Hour)}, []string{"b@cox.net/policyviolation", "c@gmail.com/mailboxfull"}},
		{"recipient until", EventFilter{Recipient: "a@gmail.com", Until: t0.Add(time.Hour)}, []string{"a@gmail.com/userunknown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pageThrough(t, st, tt.filter)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("events = %v, want %v", got, tt.want)
			}
		})
	}
}

// pageThrough reads every page of f one event at a time, following the
// cursor.
func pageThrough(t *testing.T, st *Store, f EventFilter) []string {
	t.Helper()
	var got []string
	cursor := ""
	for range 100 {
		page, next, err := st.Events(f, cursor, 1)
		if err != nil {
			t.Fatalf("Events: %v", err)
		}
		for _, ev := range page {
			got = append(got, ev.Recipient+"/"+ev.Reason)
		}
		if next == "" {
			return got
		}
		cursor = next
	}
	t.Fatal("cursor did not end")
	return nil
}

func TestEvents_InvalidCursor(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	if _, _, err := st.Events(EventFilter{Provider: "gmail"}, "bm9wZQ", 10); !errors.Is(err, ErrInvalidCursor) {
		t.Errorf("Events with a foreign cursor: err = %v, want ErrInvalidCursor", err)
	}
}

func TestSuppressions_FiltersAndPages(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	deliver(t, st, &Message{Received: t0},
		hardEvent("a@one.example", t0),
		hardEvent("b@one.example", t0.Add(time.Hour)),
		hardEvent("c@two.example", t0),
		Event{Time: t0, Recipient: "d@two.example", Kind: "complaint", Reason: "feedback"},
	)

	tests := []struct {
		name   string
		filter SuppressionFilter
		want   int
	}{
		{"all", SuppressionFilter{}, 4},
		{"domain", SuppressionFilter{Domain: "one.example"}, 2},
		{"kind", SuppressionFilter{Kind: suppress.KindComplaint}, 1},
		{"reason", SuppressionFilter{Reason: "userunknown"}, 3},
		{"since", SuppressionFilter{Since: t0.Add(time.Minute)}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := 0
			cursor := ""
			for {
				page, next, err := st.Suppressions(tt.filter, cursor, 1)
				if err != nil {
					t.Fatalf("Suppressions: %v", err)
				}
				seen += len(page)
				if next == "" {
					break
				}
				cursor = next
			}
			if seen != tt.want {
				t.Errorf("entries = %d, want %d", seen, tt.want)
			}
		})
	}
}

func TestRunRetention_DeletesOldRawAndExpired(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{RawRetention: 24 * time.Hour, RetentionInterval: time.Hour})
	old := &Message{Received: t0, Raw: []byte("old")}
	recent := &Message{Received: t0.Add(47 * time.Hour), Raw: []byte("recent")}
	deliver(t, st, old, hardEvent("a@example.com", t0))
	deliver(t, st, recent)
	if _, err := st.AddSuppressions(context.Background(), []ManualEntry{{Address: "temp@example.com", Expires: t0.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}

	now = t0.Add(48 * time.Hour)
	got := st.RunRetention(context.Background())
	if want := (Retained{Raw: 1, Entries: 1}); got != want {
		t.Errorf("RunRetention = %+v, want %+v", got, want)
	}
	if msg, err := st.Message(old.ID); err != nil || msg.Raw != nil {
		t.Errorf("old message = raw %q, err %v; want the record without raw bytes", msg.Raw, err)
	}
	if msg, _ := st.Message(recent.ID); string(msg.Raw) != "recent" {
		t.Errorf("recent raw = %q, want kept", msg.Raw)
	}
	if _, err := st.Suppression("a@example.com"); err != nil {
		t.Errorf("hard entry after retention: %v", err)
	}
	all, _, _ := st.Suppressions(SuppressionFilter{}, "", 0)
	if len(all) != 1 {
		t.Errorf("entries after retention = %+v, want only the hard one", all)
	}
}

func TestQuarantine_ListsParseFailures(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	deliver(t, st, &Message{Received: t0, Raw: []byte("fine")})
	bad := &Message{Received: t0, Raw: []byte("garbage"), ParseError: "no report found"}
	deliver(t, st, bad)

	msgs, next, err := st.Quarantine("", 0)
	if err != nil || next != "" || len(msgs) != 1 || msgs[0].ID != bad.ID || msgs[0].ParseError != "no report found" {
		t.Errorf("Quarantine = %+v, %q, %v; want the unparsed message", msgs, next, err)
	}
}

func TestReplaceEvents_RebuildsSuppressions(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	ctx := context.Background()
	bad := &Message{Received: t0, Raw: []byte("garbage"), ParseError: "no report found"}
	deliver(t, st, bad)
	first := &Message{Received: t0}
	deliver(t, st, first, hardEvent("misread@example.com", t0))

	// A rules change: the first message was a full mailbox, not an
	// unknown user, and the quarantined one now parses.
	soft := Event{Time: t0, Recipient: "misread@example.com", Kind: "failure", Reason: "mailboxfull"}
	if err := st.ReplaceEvents(ctx, first.ID, "", []Event{soft}); err != nil {
		t.Fatalf("ReplaceEvents: %v", err)
	}
	if err := st.ReplaceEvents(ctx, bad.ID, "", []Event{hardEvent("found@example.com", t0)}); err != nil {
		t.Fatalf("ReplaceEvents of the quarantined message: %v", err)
	}

	if _, err := st.Suppression("misread@example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("misread@example.com: err = %v, want no longer suppressed", err)
	}
	events, _ := st.EventsByRecipient("misread@example.com", 0)
	if len(events) != 1 || events[0].Reason != "mailboxfull" {
		t.Errorf("events = %+v, want only the new one", events)
	}
	if _, err := st.Suppression("found@example.com"); err != nil {
		t.Errorf("found@example.com: %v, want suppressed", err)
	}
	if q, _, _ := st.Quarantine("", 0); len(q) != 0 {
		t.Errorf("quarantine = %+v, want empty", q)
	}
	if hard, _, _ := st.Events(EventFilter{Reason: "userunknown", Domain: "example.com"}, "", 0); len(hard) != 1 {
		t.Errorf("userunknown events = %+v, want only found@example.com", hard)
	}
}

func TestMessages_SinceAndPages(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	for i := range 5 {
		deliver(t, st, &Message{Received: t0.Add(time.Duration(i) * time.Hour), Raw: []byte{byte('a' + i)}})
	}
	var got []string
	var after uint64
	for {
		page, last, err := st.Messages(t0.Add(2*time.Hour), after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if last == 0 {
			break
		}
		for _, m := range page {
			got = append(got, string(m.Raw))
		}
		after = last
	}
	if fmt.Sprint(got) != "[c d e]" {
		t.Errorf("messages since the third = %v, want [c d e]", got)
	}
}

func TestRunRetention_DeletesOldEvents(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{EventRetention: 30 * 24 * time.Hour})
	old := &Message{Received: t0, Raw: []byte("old")}
	recent := &Message{Received: t0.Add(20 * 24 * time.Hour), Raw: []byte("recent")}
	deliver(t, st, old, hardEvent("a@example.com", old.Received), Event{Time: old.Received, Recipient: "b@example.com", Reason: "mailboxfull", Provider: "gmail"})
	deliver(t, st, recent, hardEvent("c@example.com", recent.Received))

	now = t0.Add(40 * 24 * time.Hour)
	got := st.RunRetention(context.Background())
	if want := (Retained{Events: 2, Messages: 1, Counts: 1}); got != want {
		t.Errorf("RunRetention = %+v, want %+v", got, want)
	}
	if _, err := st.Message(old.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("old message: err = %v, want ErrNotFound", err)
	}
	for _, f := range []EventFilter{{}, {Recipient: "a@example.com"}, {Provider: "gmail"}, {Reason: "userunknown"}, {Domain: "example.com"}} {
		events, _, err := st.Events(f, "", 0)
		if err != nil || len(events) > 1 || (len(events) == 1 && events[0].Recipient != "c@example.com") {
			t.Errorf("events %+v after retention = %+v, %v; want at most c's", f, events, err)
		}
	}
	if _, err := st.Suppression("a@example.com"); err != nil {
		t.Errorf("entry of a deleted event: %v, want kept", err)
	}
}

func TestRunRetention_PrunesStaleSoftCounts(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	soft := func(rcpt string, at time.Time) Event {
		return Event{Time: at, Recipient: rcpt, Kind: "failure", Reason: "mailboxfull"}
	}
	stale := t0
	live := t0.Add(39 * 24 * time.Hour)
	deliver(t, st, &Message{Received: stale}, soft("stale@example.com", stale))
	deliver(t, st, &Message{Received: live}, soft("live@example.com", live))

	now = t0.Add(40 * 24 * time.Hour)
	if got := st.RunRetention(context.Background()).Counts; got != 1 {
		t.Fatalf("soft counts pruned = %d, want 1 (the one older than the longest window)", got)
	}
	err := st.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSoftCounts)
		if b.Get([]byte("stale@example.com")) != nil {
			t.Error("stale soft count kept")
		}
		if b.Get([]byte("live@example.com")) == nil {
			t.Error("soft count within the window deleted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestStaleSoftCounts_ResumesAfterSlice(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	const n = softCountSlice + 10
	err := st.db.Update(func(tx *bolt.Tx) error {
		for i := range n {
			key := fmt.Appendf(nil, "u%05d@example.com", i)
			if err := putJSON(tx.Bucket(bucketSoftCounts), key, []time.Time{t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	now = t0.Add(40 * 24 * time.Hour)
	if got := st.RunRetention(context.Background()).Counts; got != n {
		t.Errorf("soft counts pruned = %d, want all %d across several transactions", got, n)
	}
}

// TestRunRetention_SpaceReused writes raw messages, lets retention delete
// them, and writes as much again, six times over. Without reuse of the
// freed pages the file would hold all six fills; with it, it stays within
// a few fills plus bbolt's 16 MiB allocation step.
func TestRunRetention_SpaceReused(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{RawRetention: time.Hour, EventRetention: time.Hour})
	fill := func() int64 {
		t.Helper()
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				for i := range 25 {
					raw := make([]byte, 64<<10)
					rand.Read(raw) // incompressible, so the pages are really used
					ev := hardEvent(fmt.Sprintf("u%d-%d@example.com", w, i), now)
					if err := st.Deliver(context.Background(), &Message{Received: now, Raw: raw}, []Event{ev}); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		info, err := os.Stat(st.Path())
		if err != nil {
			t.Fatal(err)
		}
		return info.Size()
	}

	const rounds, fillBytes = 6, 200 * 64 << 10
	var size int64
	for round := range rounds {
		if round > 0 {
			now = now.Add(2 * time.Hour)
			if r := st.RunRetention(context.Background()); r.Raw != 200 || r.Events != 200 {
				t.Fatalf("round %d: RunRetention = %+v, want 200 raw messages and events", round, r)
			}
		}
		size = fill()
		t.Logf("round %d: %d bytes", round, size)
	}
	if limit := int64(3*fillBytes + 16<<20); size > limit {
		t.Errorf("file is %d bytes after %d fills of %d bytes with retention between them, want at most %d", size, rounds, fillBytes, limit)
	}
}

package ingest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/bounced/bounced/internal/store"
)

// TestReprocess_KeepsLaterRemovalAndDelivery replays an operator's
// sequence: bounces, then a manual removal of the hard-bounced address and
// a delivery to the soft-bounced one, then a reprocess. The reprocessed
// bounces get higher event ids than the removal and the delivery, but
// they are older, so the removal and the delivery must still hold.
func TestReprocess_KeepsLaterRemovalAndDelivery(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newTestPipeline(t)
	raw := readFixture(t, "two-recipients.eml")

	// dave@example.com: hard bounce; erin@example.com: mailbox full, three
	// times, which meets the default soft threshold.
	start := time.Now().Add(-time.Hour)
	for i := range 3 {
		env := envelope("bounces@b.example.org")
		env.Received = start.Add(time.Duration(i) * time.Minute)
		if _, err := p.Ingest(ctx, env, raw); err != nil {
			t.Fatalf("Ingest %d: %v", i, err)
		}
	}
	for _, a := range []string{"dave@example.com", "erin@example.com"} {
		if _, err := st.Suppression(a); err != nil {
			t.Fatalf("%s not suppressed before the removal: %v", a, err)
		}
	}

	if _, err := st.RemoveSuppression(ctx, "dave@example.com", "resubscribed"); err != nil {
		t.Fatalf("RemoveSuppression: %v", err)
	}
	delivery, err := st.RecordDelivery(ctx, "erin@example.com", time.Time{})
	if err != nil || !delivery.Cleared {
		t.Fatalf("RecordDelivery = %+v, %v; want cleared", delivery, err)
	}

	if _, err := p.Reprocess(ctx, time.Time{}); err != nil {
		t.Fatalf("Reprocess: %v", err)
	}

	for _, a := range []string{"dave@example.com", "erin@example.com"} {
		if e, err := st.Suppression(a); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after reprocess, Suppression(%s) = %+v, %v; want not found", a, e, err)
		}
	}
	events, err := st.EventsByRecipient("dave@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(events); n != 4 || events[n-1].Kind != "manual_remove" {
		t.Errorf("events of dave@example.com = %+v; want 3 bounces, then the removal", events)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Time.Before(events[i-1].Time) {
			t.Errorf("event %d at %v listed after event %d at %v", events[i].ID, events[i].Time, events[i-1].ID, events[i-1].Time)
		}
	}
}

// TestReprocess_KeepsUntrusted checks that a bounce stored as untrusted
// (signed return paths required, none verified) stays untrusted when it is
// analysed again, so that a rules change cannot turn a forged bounce into
// a suppression.
func TestReprocess_KeepsUntrusted(t *testing.T) {
	ctx := context.Background()
	p, st, _ := newTestPipeline(t)

	env := envelope("bounces@b.example.org")
	env.RequireVerified = true
	if _, err := p.Ingest(ctx, env, readFixture(t, "two-recipients.eml")); err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if _, err := st.Suppression("dave@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("untrusted hard bounce suppressed before reprocess: %v", err)
	}

	if _, err := p.Reprocess(ctx, time.Time{}); err != nil {
		t.Fatalf("Reprocess: %v", err)
	}

	if e, err := st.Suppression("dave@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after reprocess, Suppression(dave) = %+v, %v; want not found", e, err)
	}
	events, err := st.EventsByRecipient("dave@example.com", 0)
	if err != nil || len(events) != 1 {
		t.Fatalf("events of dave = %+v, %v; want one", events, err)
	}
	if !events[0].Untrusted {
		t.Errorf("reprocessed event = %+v, want untrusted", events[0])
	}
}

// BenchmarkReprocess_SharedRecipients reprocesses 1,000 bounces of the
// same two recipients, the case where replaying a recipient's history for
// every message would cost time quadratic in the number of messages.
func BenchmarkReprocess_SharedRecipients(b *testing.B) {
	ctx := context.Background()
	p, _, _ := newTestPipeline(b)
	raw := readFixture(b, "two-recipients.eml")
	start := time.Now().Add(-time.Hour)
	for i := range 1000 {
		env := envelope("bounces@b.example.org")
		env.Received = start.Add(time.Duration(i) * time.Second)
		if _, err := p.Ingest(ctx, env, raw); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	for range b.N {
		if _, err := p.Reprocess(ctx, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

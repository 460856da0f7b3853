package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"testing"
	"time"
)

func TestSuppressionsByReason(t *testing.T) {
	st, _ := openTest(t)
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

	complaint := Event{Time: at, Recipient: "c@example.com", Kind: "complaint", Reason: "feedback", Suppress: true}
	events := []Event{hardEvent("a@example.com", at), hardEvent("b@example.com", at), complaint,
		{Time: at, Recipient: "d@example.com", Reason: "mailboxfull"}}
	if err := st.Deliver(context.Background(), &Message{Received: at}, events); err != nil {
		t.Fatal(err)
	}
	// A second hard bounce refreshes an entry and must not count twice.
	if err := st.Deliver(context.Background(), &Message{Received: at}, []Event{hardEvent("A@example.com", at)}); err != nil {
		t.Fatal(err)
	}

	got, err := st.SuppressionsByReason()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"userunknown": 2, "feedback": 1}
	if !maps.Equal(got, want) {
		t.Errorf("SuppressionsByReason = %v, want %v", got, want)
	}
}

// BenchmarkSuppressionsByReason measures one scrape of the suppression list
// size with 100,000 entries.
func BenchmarkSuppressionsByReason(b *testing.B) {
	st, err := Open(filepath.Join(b.TempDir(), "bounced.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()

	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for batch := range 100 {
		events := make([]Event, 1000)
		for i := range events {
			events[i] = hardEvent(fmt.Sprintf("user%d.%d@example.com", batch, i), at)
		}
		if err := st.Deliver(context.Background(), &Message{Received: at}, events); err != nil {
			b.Fatal(err)
		}
	}

	for b.Loop() {
		counts, err := st.SuppressionsByReason()
		if err != nil || counts["userunknown"] != 100_000 {
			b.Fatalf("counts = %v, err %v", counts, err)
		}
	}
}

func TestSuppressionReason_Encodings(t *testing.T) {
	tests := []struct {
		name string
		sup  Suppression
	}{
		{"plain", Suppression{Address: "a@example.com", Reason: "userunknown"}},
		{"quote in address", Suppression{Address: `"reason":"x"@example.com`, Reason: "hasmoved"}},
		{"escaped reason", Suppression{Address: "a@example.com", Reason: `odd "reason"`}},
		{"empty reason", Suppression{Address: "a@example.com"}},
	}
	for _, tt := range tests {
		v, err := json.Marshal(tt.sup)
		if err != nil {
			t.Fatal(err)
		}
		got, err := suppressionReason(v)
		if err != nil || got != tt.sup.Reason {
			t.Errorf("%s: suppressionReason(%s) = %q, %v; want %q", tt.name, v, got, err, tt.sup.Reason)
		}
	}

	if _, err := suppressionReason([]byte("{not json")); err == nil {
		t.Error("suppressionReason of invalid JSON returned no error")
	}
}

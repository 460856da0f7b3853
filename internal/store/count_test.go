package store

import (
	"context"
	"maps"
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

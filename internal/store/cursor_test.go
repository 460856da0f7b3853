package store

import (
	"errors"
	"testing"
)

func TestCursor_Rejected(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	deliver(t, st, &Message{Received: t0},
		hardEvent("a@one.example", t0),
		hardEvent("b@one.example", t0),
		hardEvent("c@two.example", t0),
	)
	_, suppressionCursor, err := st.Suppressions(SuppressionFilter{}, "", 1)
	if err != nil || suppressionCursor == "" {
		t.Fatalf("first page: cursor %q, err %v; want a cursor", suppressionCursor, err)
	}
	_, eventCursor, err := st.Events(EventFilter{}, "", 1)
	if err != nil || eventCursor == "" {
		t.Fatalf("first page of events: cursor %q, err %v; want a cursor", eventCursor, err)
	}

	if _, _, err := st.Suppressions(SuppressionFilter{}, suppressionCursor, 1); err != nil {
		t.Errorf("Suppressions with its own cursor: %v", err)
	}
	tests := []struct {
		name   string
		cursor string
	}{
		{"garbage", "garbage"},
		{"not base64", "!!"},
		{"another listing's", eventCursor},
		{"one character changed", "A" + suppressionCursor[1:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cursor == suppressionCursor {
				t.Skip("the change left the cursor as it was")
			}
			if _, _, err := st.Suppressions(SuppressionFilter{}, tt.cursor, 1); !errors.Is(err, ErrInvalidCursor) {
				t.Errorf("Suppressions: err = %v, want ErrInvalidCursor", err)
			}
			if _, _, err := st.Quarantine(tt.cursor, 1); !errors.Is(err, ErrInvalidCursor) {
				t.Errorf("Quarantine: err = %v, want ErrInvalidCursor", err)
			}
		})
	}
}

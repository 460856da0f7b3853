package store

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestEvents_RecipientInTimeOrder(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})

	// The later event is stored first, so its id is the lower one.
	deliver(t, st, &Message{}, hardEvent("late@example.com", t0.Add(time.Hour)))
	deliver(t, st, &Message{}, hardEvent("late@example.com", t0))

	events, err := st.EventsByRecipient("late@example.com", 0)
	if err != nil || len(events) != 2 {
		t.Fatalf("EventsByRecipient = %+v, %v; want 2 events", events, err)
	}
	if !events[0].Time.Equal(t0) {
		t.Errorf("first event at %v, want the older one at %v", events[0].Time, t0)
	}
}

func TestReplaceEvents_RemovalAfterBounceHolds(t *testing.T) {
	ctx := context.Background()
	now := t0.Add(time.Hour)
	st := openAt(t, &now, Options{})
	msg := &Message{}
	deliver(t, st, msg, hardEvent("dave@example.com", t0))
	if _, err := st.RemoveSuppression(ctx, "dave@example.com", "resubscribed"); err != nil {
		t.Fatalf("RemoveSuppression: %v", err)
	}

	// The new event gets an id above the removal's but keeps its time.
	if err := st.ReplaceEvents(ctx, msg.ID, "", []Event{hardEvent("dave@example.com", t0)}); err != nil {
		t.Fatalf("ReplaceEvents: %v", err)
	}
	if e, err := st.Suppression("dave@example.com"); err == nil {
		t.Errorf("removed address suppressed again by the replay: %+v", e)
	}
}

func TestOpen_MigratesV2RecipientIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounced.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, st, &Message{}, hardEvent("v2@example.com", t0.Add(time.Hour)))
	deliver(t, st, &Message{}, hardEvent("v2@example.com", t0))
	st.Close()
	writeV2RecipientIndex(t, path)

	st, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of a version 2 file: %v", err)
	}
	defer func() {
		st.Close()
		checkConsistency(t, path)
	}()
	events, err := st.EventsByRecipient("v2@example.com", 0)
	if err != nil || len(events) != 2 {
		t.Fatalf("EventsByRecipient = %+v, %v; want 2 events", events, err)
	}
	if events[0].ID != 2 || events[1].ID != 1 {
		t.Errorf("event ids in order %d, %d; want 2, 1 (time order)", events[0].ID, events[1].ID)
	}
}

// writeV2RecipientIndex rewrites the recipient index of the file at path
// in the id-ordered layout of schema version 2 and records version 2.
func writeV2RecipientIndex(t *testing.T, path string) {
	t.Helper()
	updateFile(t, path, func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketByRecipient); err != nil {
			return err
		}
		index, err := tx.CreateBucket(bucketByRecipient)
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
			ev, err := decodeEvent(v)
			if err != nil {
				return err
			}
			return index.Put(join(recipientPrefix(ev.Recipient), k), nil)
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 2))
	})
}

package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bounced/bounced/internal/suppress"
)

// ManualEntry is an operator's request to suppress an address or a
// domain ("*@example.com").
type ManualEntry struct {
	Address string
	Reason  string // defaults to "manual"
	Comment string
	Expires time.Time // zero means never
}

// AddSuppressions suppresses each address of entries and records a
// manual_add event for it, all in one transaction. The events are
// returned.
func (s *Store) AddSuppressions(ctx context.Context, entries []ManualEntry) ([]Event, error) {
	now := s.now()
	events := make([]Event, len(entries))
	for i, e := range entries {
		events[i] = Event{
			Time:      now,
			Recipient: e.Address,
			Kind:      suppress.EventManualAdd,
			Reason:    e.Reason,
			Comment:   e.Comment,
			Expires:   e.Expires,
		}
	}
	err := s.submit(ctx, func(tx *bolt.Tx) error {
		for i := range events {
			if err := s.putEvent(tx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return events, err
}

// RemoveSuppression deletes the entry of address, whatever its kind, and
// records a manual_remove event. It returns ErrNotFound, and records
// nothing, when the address has no entry of its own.
func (s *Store) RemoveSuppression(ctx context.Context, address, comment string) (Event, error) {
	ev := Event{Time: s.now(), Recipient: address, Kind: suppress.EventManualRemove, Comment: comment}
	found := false
	err := s.submit(ctx, func(tx *bolt.Tx) error {
		_, err := getEntry(tx, NormalizeAddress(address))
		if found = err == nil; !found {
			// Not an error of the transaction, which other requests share.
			return nil
		}
		return s.putEvent(tx, &ev)
	})
	if err == nil && !found {
		err = ErrNotFound
	}
	return ev, err
}

// RecordDelivery records that mail to address was delivered, which clears
// a soft suppression and the soft count.
func (s *Store) RecordDelivery(ctx context.Context, address string, at time.Time) (Event, error) {
	if at.IsZero() {
		at = s.now()
	}
	ev := Event{Time: at, Recipient: address, Kind: suppress.EventDelivered, Reason: "delivered"}
	err := s.submit(ctx, func(tx *bolt.Tx) error {
		return s.putEvent(tx, &ev)
	})
	return ev, err
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bounced/bounced/internal/suppress"
)

// Deliver stores a received message and its events in one transaction and
// returns once that transaction is on disk. It assigns msg.ID and the
// events' ID and MessageID, runs the suppression policy over each event in
// the same transaction, and records the outcome in the event's
// SuppressionRule, Decision, Suppress and Cleared fields. A message with a
// ParseError goes to the quarantine.
//
// When ctx ends before the commit, Deliver returns ctx.Err(), but the
// commit may still happen: the caller must treat the message as not stored
// and let the sender retry, which can store it twice.
//
// A message with an ImportDigest that an earlier import stored is not
// stored again: Deliver sets msg.ID to the earlier message and returns
// ErrDuplicate.
func (s *Store) Deliver(ctx context.Context, msg *Message, events []Event) error {
	compressed := s.compress(msg.Raw)
	var duplicate bool
	err := s.submit(ctx, func(tx *bolt.Tx) error {
		// The writer may run this again alone after a failed group
		// commit, so nothing is carried over from a first run.
		duplicate = false
		if id, ok := importedID(tx, msg.ImportDigest); ok {
			msg.ID, duplicate = id, true
			return nil
		}
		if err := putMessage(tx, msg, compressed); err != nil {
			return err
		}
		for i := range events {
			events[i].MessageID = msg.ID
			if err := s.putEvent(tx, &events[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && duplicate {
		err = ErrDuplicate
	}
	return err
}

// importedID returns the id of the message stored with digest, if any.
func importedID(tx *bolt.Tx, digest []byte) (uint64, bool) {
	if len(digest) == 0 {
		return 0, false
	}
	v := tx.Bucket(bucketImported).Get(digest)
	if len(v) != 8 {
		return 0, false
	}
	return btoi(v), true
}

// putMessage writes msg and its compressed raw bytes under a new id.
func putMessage(tx *bolt.Tx, msg *Message, compressed []byte) error {
	messages := tx.Bucket(bucketMessages)
	id, err := messages.NextSequence()
	if err != nil {
		return fmt.Errorf("allocating message id: %w", err)
	}
	msg.ID = id

	if err := putJSON(messages, itob(id), msg); err != nil {
		return fmt.Errorf("writing message %d: %w", id, err)
	}
	if err := putRaw(tx.Bucket(bucketRaw), itob(id), compressed); err != nil {
		return fmt.Errorf("writing raw message %d: %w", id, err)
	}
	if len(msg.ImportDigest) > 0 {
		if err := tx.Bucket(bucketImported).Put(msg.ImportDigest, itob(id)); err != nil {
			return fmt.Errorf("writing import digest of message %d: %w", id, err)
		}
	}
	if msg.ParseError != "" {
		return tx.Bucket(bucketQuarantine).Put(itob(id), nil)
	}
	return nil
}

// putEvent assigns ev an id, applies the policy and writes ev with its
// indexes.
func (s *Store) putEvent(tx *bolt.Tx, ev *Event) error {
	events := tx.Bucket(bucketEvents)
	id, err := events.NextSequence()
	if err != nil {
		return fmt.Errorf("allocating event id: %w", err)
	}
	ev.ID = id
	ev.Recipient = NormalizeAddress(ev.Recipient)

	if indexable(ev.Recipient) {
		if err := s.applyPolicy(tx, ev); err != nil {
			return err
		}
	}
	if err := putJSON(events, itob(id), ev); err != nil {
		return fmt.Errorf("writing event %d: %w", id, err)
	}
	return putEventIndexes(tx, ev)
}

// applyPolicy runs the policy over ev with the stored state of its
// recipient, stores the new state and records the decision in ev.
func (s *Store) applyPolicy(tx *bolt.Tx, ev *Event) error {
	st, err := loadState(tx, ev.Recipient)
	if err != nil {
		return err
	}
	prev := st.Entry

	next, d := s.policy.Apply(ev.Recipient, st, policyEvent(ev))
	ev.SuppressionRule = d.Rule
	ev.Decision = d.Action
	ev.Suppress = d.Suppressed
	ev.Cleared = d.Cleared
	return storeState(tx, ev.Recipient, prev, next)
}

func policyEvent(ev *Event) suppress.Event {
	return suppress.Event{
		ID:        ev.ID,
		Time:      ev.Time,
		Kind:      ev.Kind,
		Reason:    ev.Reason,
		Hard:      ev.Hard,
		Policy:    ev.Policy,
		Comment:   ev.Comment,
		Expires:   ev.Expires,
		Untrusted: ev.Untrusted,
	}
}

// loadState returns the policy state of address. An entry that has
// expired is returned as it is; the policy treats it as absent.
func loadState(tx *bolt.Tx, address string) (suppress.State, error) {
	var st suppress.State
	key := []byte(address)
	if v := tx.Bucket(bucketSuppressions).Get(key); v != nil {
		st.Entry = new(Suppression)
		if err := json.Unmarshal(v, st.Entry); err != nil {
			return st, fmt.Errorf("decoding suppression of %q: %w", address, err)
		}
	}
	if v := tx.Bucket(bucketSoftCounts).Get(key); v != nil {
		if err := json.Unmarshal(v, &st.Recent); err != nil {
			return st, fmt.Errorf("decoding soft count of %q: %w", address, err)
		}
	}
	return st, nil
}

func storeState(tx *bolt.Tx, address string, prev *Suppression, next suppress.State) error {
	if err := putSoftCount(tx, address, next.Recent); err != nil {
		return err
	}
	if next.Entry == nil {
		return deleteEntry(tx, prev)
	}
	return putEntry(tx, prev, next.Entry)
}

func putSoftCount(tx *bolt.Tx, address string, recent []time.Time) error {
	b := tx.Bucket(bucketSoftCounts)
	if len(recent) == 0 {
		return b.Delete([]byte(address))
	}
	return putJSON(b, []byte(address), recent)
}

// putEntry writes e and its index keys, replacing those of prev.
func putEntry(tx *bolt.Tx, prev, e *Suppression) error {
	if prev != nil && !prev.Expires.IsZero() && !prev.Expires.Equal(e.Expires) {
		if err := tx.Bucket(bucketSupByExpiry).Delete(expiryKey(prev)); err != nil {
			return err
		}
	}
	if err := putJSON(tx.Bucket(bucketSuppressions), []byte(e.Address), e); err != nil {
		return fmt.Errorf("writing suppression of %q: %w", e.Address, err)
	}
	if err := tx.Bucket(bucketSupByDomain).Put(domainEntryKey(e.Address), nil); err != nil {
		return fmt.Errorf("indexing suppression of %q: %w", e.Address, err)
	}
	if e.Expires.IsZero() {
		return nil
	}
	return tx.Bucket(bucketSupByExpiry).Put(expiryKey(e), nil)
}

func deleteEntry(tx *bolt.Tx, e *Suppression) error {
	if e == nil {
		return nil
	}
	if err := tx.Bucket(bucketSuppressions).Delete([]byte(e.Address)); err != nil {
		return fmt.Errorf("deleting suppression of %q: %w", e.Address, err)
	}
	if err := tx.Bucket(bucketSupByDomain).Delete(domainEntryKey(e.Address)); err != nil {
		return err
	}
	if e.Expires.IsZero() {
		return nil
	}
	return tx.Bucket(bucketSupByExpiry).Delete(expiryKey(e))
}

// putEventIndexes writes the index keys of ev. Writing them again is
// harmless, which the migration relies on.
func putEventIndexes(tx *bolt.Tx, ev *Event) error {
	for _, k := range eventIndexKeys(ev) {
		if err := tx.Bucket(k.bucket).Put(k.key, nil); err != nil {
			return fmt.Errorf("indexing event %d in %s: %w", ev.ID, k.bucket, err)
		}
	}
	return nil
}

func eventIndexKeys(ev *Event) []indexKey {
	id := itob(ev.ID)
	at := timeKey(ev.Time)
	keys := []indexKey{
		{bucketByTime, join(at, id)},
		{bucketByProvider, join(prefixKey(ev.Provider), at, id)},
		{bucketByReason, join(prefixKey(ev.Reason), at, id)},
	}
	if ev.MessageID != 0 {
		keys = append(keys, indexKey{bucketByMessage, join(itob(ev.MessageID), id)})
	}
	if indexable(ev.Recipient) {
		keys = append(keys,
			indexKey{bucketByRecipient, join(recipientPrefix(ev.Recipient), at, id)},
			indexKey{bucketByDomain, join(prefixKey(Domain(ev.Recipient)), at, id)},
		)
	}
	return keys
}

type indexKey struct {
	bucket, key []byte
}

// Domain returns the domain of a normalised address, or "" when it has
// none.
func Domain(address string) string {
	i := strings.LastIndexByte(address, '@')
	if i < 0 {
		return ""
	}
	return address[i+1:]
}

func domainEntryKey(address string) []byte {
	return join(prefixKey(Domain(address)), []byte(address))
}

func expiryKey(e *Suppression) []byte {
	return join(timeKey(e.Expires), []byte(e.Address))
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	rec, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, rec)
}

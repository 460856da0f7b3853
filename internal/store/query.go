package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bounced/bounced/internal/suppress"
)

// Suppression returns the entry that suppresses address now: its own, or
// else the domain-wide entry of its domain. It returns ErrNotFound when
// neither exists or both have expired.
func (s *Store) Suppression(address string) (Suppression, error) {
	var e Suppression
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		e, err = s.lookup(tx, NormalizeAddress(address))
		return err
	})
	return e, err
}

// CheckSuppressions looks up each of addresses in one read transaction
// and returns the entries that suppress them now, by normalised address.
func (s *Store) CheckSuppressions(addresses []string) (map[string]Suppression, error) {
	found := make(map[string]Suppression)
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, a := range addresses {
			a = NormalizeAddress(a)
			e, err := s.lookup(tx, a)
			if err == ErrNotFound {
				continue
			}
			if err != nil {
				return err
			}
			found[a] = e
		}
		return nil
	})
	return found, err
}

func (s *Store) lookup(tx *bolt.Tx, address string) (Suppression, error) {
	now := s.now()
	for _, key := range []string{address, "*@" + Domain(address)} {
		e, err := getEntry(tx, key)
		if err == ErrNotFound || (err == nil && !e.Active(now)) {
			continue
		}
		return e, err
	}
	return Suppression{}, ErrNotFound
}

func getEntry(tx *bolt.Tx, address string) (Suppression, error) {
	var e Suppression
	v := tx.Bucket(bucketSuppressions).Get([]byte(address))
	if v == nil {
		return e, ErrNotFound
	}
	if err := json.Unmarshal(v, &e); err != nil {
		return e, fmt.Errorf("decoding suppression of %q: %w", address, err)
	}
	return e, nil
}

// SuppressionFilter selects entries of the suppression list. Zero fields
// select everything.
type SuppressionFilter struct {
	Domain string
	Reason string
	Kind   suppress.Kind
	Since  time.Time // last seen at or after
}

func (f SuppressionFilter) match(e *Suppression) bool {
	return (f.Reason == "" || e.Reason == f.Reason) &&
		(f.Kind == "" || e.Kind == f.Kind) &&
		(f.Since.IsZero() || !e.LastSeen.Before(f.Since))
}

// Suppressions returns one page of the active entries that match f, in
// address order, with the cursor of the next page ("" on the last one).
// limit is capped at MaxPageSize.
func (s *Store) Suppressions(f SuppressionFilter, cursor string, limit int) ([]Suppression, string, error) {
	sc := scan{bucket: bucketSuppressions, cursor: cursor, limit: limit}
	if f.Domain != "" {
		sc.bucket, sc.prefix = bucketSupByDomain, prefixKey(NormalizeAddress(f.Domain))
	}

	var page []Suppression
	now := s.now()
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		cursor, err = sc.run(tx, func(k []byte) (bool, error) {
			e, err := getEntry(tx, string(k[len(sc.prefix):]))
			if err != nil || !e.Active(now) || !f.match(&e) {
				return false, err
			}
			page = append(page, e)
			return true, nil
		})
		return err
	})
	return page, cursor, err
}

// EventFilter selects events. Zero fields select everything. The most
// selective of Recipient, Domain, Provider and Reason picks the index.
type EventFilter struct {
	Recipient string
	Domain    string
	Provider  string
	Reason    string
	Policy    string
	Since     time.Time // at or after
	Until     time.Time // before
}

func (f EventFilter) match(ev *Event) bool {
	return (f.Recipient == "" || ev.Recipient == f.Recipient) &&
		(f.Domain == "" || Domain(ev.Recipient) == f.Domain) &&
		(f.Provider == "" || ev.Provider == f.Provider) &&
		(f.Reason == "" || ev.Reason == f.Reason) &&
		(f.Policy == "" || ev.Policy == f.Policy) &&
		(f.Since.IsZero() || !ev.Time.Before(f.Since)) &&
		(f.Until.IsZero() || ev.Time.Before(f.Until))
}

// scan returns the index walk for f: by recipient, domain, provider or
// reason when given, else by time. The time-ordered indexes start at
// Since.
func (f EventFilter) scan() scan {
	since := timeKey(f.Since)
	switch {
	case f.Recipient != "":
		return timeScan(bucketByRecipient, f.Recipient, since)
	case f.Domain != "":
		return timeScan(bucketByDomain, f.Domain, since)
	case f.Provider != "":
		return timeScan(bucketByProvider, f.Provider, since)
	case f.Reason != "":
		return timeScan(bucketByReason, f.Reason, since)
	}
	return scan{bucket: bucketByTime, start: since}
}

func timeScan(bucket []byte, value string, since []byte) scan {
	prefix := prefixKey(value)
	return scan{bucket: bucket, prefix: prefix, start: join(prefix, since)}
}

// Events returns one page of the events that match f, oldest first (by
// time, then by id), with the cursor of the next page.
func (s *Store) Events(f EventFilter, cursor string, limit int) ([]Event, string, error) {
	f.Recipient = NormalizeAddress(f.Recipient)
	f.Domain = NormalizeAddress(f.Domain)
	sc := f.scan()
	sc.cursor, sc.limit = cursor, limit

	var page []Event
	err := s.db.View(func(tx *bolt.Tx) error {
		events := tx.Bucket(bucketEvents)
		var err error
		cursor, err = sc.run(tx, func(k []byte) (bool, error) {
			ev, err := decodeEvent(events.Get(k[len(k)-8:]))
			if err != nil || !f.match(&ev) {
				return false, err
			}
			page = append(page, ev)
			return true, nil
		})
		return err
	})
	return page, cursor, err
}

// EventsByRecipient returns the events of address, oldest first, at most
// limit of them (MaxPageSize when limit is zero or less).
func (s *Store) EventsByRecipient(address string, limit int) ([]Event, error) {
	events, _, err := s.Events(EventFilter{Recipient: address}, "", limit)
	return events, err
}

// Event returns event id, or ErrNotFound.
func (s *Store) Event(id uint64) (Event, error) {
	var ev Event
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketEvents).Get(itob(id))
		if v == nil {
			return ErrNotFound
		}
		var err error
		ev, err = decodeEvent(v)
		return err
	})
	return ev, err
}

// Message returns the stored record of message id, with its raw bytes, or
// ErrNotFound. Raw is nil once retention has deleted it.
func (s *Store) Message(id uint64) (Message, error) {
	var msg Message
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		msg, err = s.message(tx, id, true)
		return err
	})
	return msg, err
}

func (s *Store) message(tx *bolt.Tx, id uint64, withRaw bool) (Message, error) {
	var msg Message
	key := itob(id)
	v := tx.Bucket(bucketMessages).Get(key)
	if v == nil {
		return msg, ErrNotFound
	}
	if err := json.Unmarshal(v, &msg); err != nil {
		return msg, fmt.Errorf("decoding message %d: %w", id, err)
	}
	if !withRaw {
		return msg, nil
	}
	raw := getRaw(tx.Bucket(bucketRaw), key)
	if raw == nil {
		return msg, nil
	}
	var err error
	if msg.Raw, err = s.decompress(raw); err != nil {
		return msg, fmt.Errorf("decompressing message %d: %w", id, err)
	}
	return msg, nil
}

// Quarantine returns one page of the messages that did not parse, oldest
// first, without their raw bytes.
func (s *Store) Quarantine(cursor string, limit int) ([]Message, string, error) {
	sc := scan{bucket: bucketQuarantine, cursor: cursor, limit: limit}
	var page []Message
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		cursor, err = sc.run(tx, func(k []byte) (bool, error) {
			msg, err := s.message(tx, btoi(k), false)
			if err != nil {
				return false, err
			}
			page = append(page, msg)
			return true, nil
		})
		return err
	})
	return page, cursor, err
}

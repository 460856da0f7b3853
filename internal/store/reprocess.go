package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bounced/bounced/internal/suppress"
)

// Messages returns the stored messages with an id above after, received
// at or after since, oldest first, with their raw bytes: at most limit of
// them from at most limit ids read. Messages whose raw bytes retention
// deleted are skipped. It also returns the last id read, the after of the
// next call, which is 0 at the end.
func (s *Store) Messages(since time.Time, after uint64, limit int) ([]Message, uint64, error) {
	var page []Message
	var last uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRaw).Cursor()
		read := 0
		for k, _ := c.Seek(itob(after + 1)); k != nil && read < pageSize(limit); k, _ = c.Next() {
			if isRawChunk(k) {
				continue
			}
			read++
			last = btoi(k)
			msg, err := s.message(tx, last, true)
			if err != nil {
				return err
			}
			if !msg.Received.Before(since) {
				page = append(page, msg)
			}
		}
		return nil
	})
	return page, last, err
}

// Replacement is the new analysis of one stored message: its events and
// its parse error, empty when it parsed.
type Replacement struct {
	MessageID  uint64
	ParseError string
	Events     []Event
}

// ReplaceEvents replaces the events of stored message msgID with events,
// which a new run of the parser and classifier produced, and sets its
// parse error (moving it into or out of the quarantine). It is
// ReplaceAllEvents for one message.
func (s *Store) ReplaceEvents(ctx context.Context, msgID uint64, parseErr string, events []Event) error {
	return s.ReplaceAllEvents(ctx, []Replacement{{MessageID: msgID, ParseError: parseErr, Events: events}})
}

// ReplaceAllEvents applies each replacement, then rebuilds the suppression
// state of every recipient involved by replaying all its events through
// the policy, so the list ends as if the new events had been there from
// the start. It all happens in one transaction, and a recipient of many
// of the messages is replayed once, not once per message.
func (s *Store) ReplaceAllEvents(ctx context.Context, replacements []Replacement) error {
	return s.submit(ctx, func(tx *bolt.Tx) error {
		var affected []string
		for i := range replacements {
			recipients, err := s.replaceMessageEvents(tx, &replacements[i])
			if err != nil {
				return err
			}
			affected = append(affected, recipients...)
		}
		return s.replay(tx, affected)
	})
}

// replaceMessageEvents writes r's events in place of its message's old
// ones, without running the policy, and returns the recipients of both.
func (s *Store) replaceMessageEvents(tx *bolt.Tx, r *Replacement) ([]string, error) {
	msg, err := s.message(tx, r.MessageID, false)
	if err != nil {
		return nil, fmt.Errorf("reading message %d: %w", r.MessageID, err)
	}
	affected, err := deleteMessageEvents(tx, r.MessageID)
	if err != nil {
		return nil, err
	}
	if err := setParseError(tx, &msg, r.ParseError); err != nil {
		return nil, err
	}
	for i := range r.Events {
		ev := &r.Events[i]
		ev.MessageID = r.MessageID
		if err := addEvent(tx, ev); err != nil {
			return nil, err
		}
		affected = append(affected, ev.Recipient)
	}
	return affected, nil
}

// addEvent writes ev under a new id without running the policy.
func addEvent(tx *bolt.Tx, ev *Event) error {
	id, err := tx.Bucket(bucketEvents).NextSequence()
	if err != nil {
		return fmt.Errorf("allocating event id: %w", err)
	}
	ev.ID = id
	ev.Recipient = NormalizeAddress(ev.Recipient)
	if err := putJSON(tx.Bucket(bucketEvents), itob(id), ev); err != nil {
		return fmt.Errorf("writing event %d: %w", id, err)
	}
	return putEventIndexes(tx, ev)
}

func setParseError(tx *bolt.Tx, msg *Message, parseErr string) error {
	msg.ParseError = parseErr
	if err := putJSON(tx.Bucket(bucketMessages), itob(msg.ID), msg); err != nil {
		return fmt.Errorf("writing message %d: %w", msg.ID, err)
	}
	if parseErr == "" {
		return tx.Bucket(bucketQuarantine).Delete(itob(msg.ID))
	}
	return tx.Bucket(bucketQuarantine).Put(itob(msg.ID), nil)
}

// deleteMessageEvents deletes the events of message msgID with their index
// keys, and returns their recipients.
func deleteMessageEvents(tx *bolt.Tx, msgID uint64) ([]string, error) {
	prefix := itob(msgID)
	var ids [][]byte
	c := tx.Bucket(bucketByMessage).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, append([]byte(nil), k[8:]...))
	}

	var recipients []string
	for _, id := range ids {
		ev, err := decodeEvent(tx.Bucket(bucketEvents).Get(id))
		if err != nil {
			return nil, fmt.Errorf("reading event %d: %w", btoi(id), err)
		}
		if err := deleteEventIndexes(tx, &ev); err != nil {
			return nil, err
		}
		if err := tx.Bucket(bucketEvents).Delete(id); err != nil {
			return nil, err
		}
		recipients = append(recipients, ev.Recipient)
	}
	return recipients, nil
}

func deleteEventIndexes(tx *bolt.Tx, ev *Event) error {
	for _, k := range eventIndexKeys(ev) {
		if err := tx.Bucket(k.bucket).Delete(k.key); err != nil {
			return fmt.Errorf("deleting index of event %d in %s: %w", ev.ID, k.bucket, err)
		}
	}
	return nil
}

// replay rebuilds the suppression state of each address from its events
// in time order (ties by id), and stores each event's new decision. Time
// order, not id order, matters because reprocessed events get new, higher
// ids: a manual removal or a delivery made after a bounce must still come
// after it.
func (s *Store) replay(tx *bolt.Tx, addresses []string) error {
	slices.Sort(addresses)
	for _, a := range slices.Compact(addresses) {
		if !indexable(a) {
			continue
		}
		if err := s.replayAddress(tx, a); err != nil {
			return fmt.Errorf("replaying events of %q: %w", a, err)
		}
	}
	return nil
}

func (s *Store) replayAddress(tx *bolt.Tx, address string) error {
	st, err := loadState(tx, address)
	if err != nil {
		return err
	}
	if err := storeState(tx, address, st.Entry, suppress.State{}); err != nil {
		return err
	}

	prefix := recipientPrefix(address)
	var ids [][]byte
	c := tx.Bucket(bucketByRecipient).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, append([]byte(nil), k[len(k)-8:]...))
	}
	for _, id := range ids {
		ev, err := decodeEvent(tx.Bucket(bucketEvents).Get(id))
		if err != nil {
			return err
		}
		if err := s.applyPolicy(tx, &ev); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketEvents), id, &ev); err != nil {
			return err
		}
	}
	return nil
}

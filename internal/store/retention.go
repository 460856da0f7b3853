package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// retentionBatch is the number of records one retention transaction
// deletes at most, so that it holds the writer only briefly and ingest
// commits interleave with a long pass.
const retentionBatch = 500

// retentionLoop runs RunRetention every interval until Close.
func (s *Store) retentionLoop(interval time.Duration) {
	defer close(s.retentionDone)

	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.retentionStop:
			return
		case <-t.C:
			s.RunRetention(context.Background())
		}
	}
}

// Retained counts what one retention pass deleted.
type Retained struct {
	Raw      int // raw messages past RawRetention
	Events   int // events past EventRetention
	Messages int // message records past EventRetention
	Entries  int // suppression entries past their expiry
	Counts   int // soft bounce counts whose bounces are all outside every window
}

// RunRetention deletes raw messages, events and message records past their
// retention and entries past their expiry, retentionBatch keys per
// transaction. The background loop calls it; it is exported for tests and
// tools.
func (s *Store) RunRetention(ctx context.Context) Retained {
	var r Retained
	now := s.now()
	if s.retention > 0 {
		r.Raw = s.repeat(ctx, "raw messages", func(tx *bolt.Tx) (int, error) {
			return deleteRawBefore(tx, now.Add(-s.retention))
		})
	}
	if s.eventRetention > 0 {
		cutoff := now.Add(-s.eventRetention)
		r.Events = s.repeat(ctx, "events", func(tx *bolt.Tx) (int, error) {
			return deleteEventsBefore(tx, cutoff)
		})
		r.Messages = s.repeat(ctx, "message records", func(tx *bolt.Tx) (int, error) {
			return deleteMessagesBefore(tx, cutoff)
		})
	}
	r.Entries = s.repeat(ctx, "expired suppressions", func(tx *bolt.Tx) (int, error) {
		return deleteExpired(tx, now)
	})
	if s.policy != nil {
		r.Counts = s.pruneSoftCounts(ctx, now.Add(-s.policy.MaxWindow()))
	}
	return r
}

// pruneSoftCounts deletes the soft bounce counts whose latest bounce is
// before cutoff. Without it the bucket would keep one record for every
// address that ever bounced soft. It walks the bucket in key order, a
// slice per transaction, so the writer is held briefly however many live
// counts there are.
func (s *Store) pruneSoftCounts(ctx context.Context, cutoff time.Time) int {
	var after []byte
	total := 0
	for {
		var deleted int
		var last []byte
		err := s.submit(ctx, func(tx *bolt.Tx) error {
			stale, next, err := staleSoftCounts(tx, after, cutoff)
			if err != nil {
				return err
			}
			deleted, last = len(stale), next
			return deleteKeys(tx.Bucket(bucketSoftCounts), stale)
		})
		if err != nil {
			if err != ErrClosed {
				s.log.Error("retention failed", "what", "soft bounce counts", "err", err)
			}
			return total
		}
		total += deleted
		if last == nil {
			if total > 0 {
				s.log.Info("retention deleted", "what", "soft bounce counts", "count", total)
			}
			return total
		}
		after = last
	}
}

// softCountSlice is the number of soft bounce counts one retention
// transaction reads at most.
const softCountSlice = 4 * retentionBatch

// staleSoftCounts reads up to softCountSlice keys past after and returns
// those whose bounces all happened before cutoff. It also returns the last
// key it read, which is nil once the bucket has been read to its end.
func staleSoftCounts(tx *bolt.Tx, after []byte, cutoff time.Time) (stale [][]byte, last []byte, err error) {
	c := tx.Bucket(bucketSoftCounts).Cursor()
	k, v := c.First()
	if after != nil {
		k, v = c.Seek(after)
		if k != nil && string(k) == string(after) {
			k, v = c.Next()
		}
	}
	for seen := 0; k != nil; k, v = c.Next() {
		if seen == softCountSlice {
			return stale, last, nil
		}
		seen++
		last = append(last[:0], k...)

		var recent []time.Time
		if err := json.Unmarshal(v, &recent); err != nil {
			return nil, nil, fmt.Errorf("decoding soft count of %q: %w", k, err)
		}
		if latest(recent).Before(cutoff) {
			stale = append(stale, append([]byte(nil), k...))
		}
	}
	return stale, nil, nil
}

func latest(times []time.Time) time.Time {
	var t time.Time
	for _, x := range times {
		if x.After(t) {
			t = x
		}
	}
	return t
}

// repeat runs step in its own transactions until it deletes less than a
// full batch, and returns the total.
func (s *Store) repeat(ctx context.Context, what string, step func(tx *bolt.Tx) (int, error)) int {
	total := 0
	for {
		var n int
		err := s.submit(ctx, func(tx *bolt.Tx) (err error) {
			n, err = step(tx)
			return err
		})
		if err != nil {
			if err != ErrClosed {
				s.log.Error("retention failed", "what", what, "err", err)
			}
			return total
		}
		total += n
		if n < retentionBatch {
			if total > 0 {
				s.log.Info("retention deleted", "what", what, "count", total)
			}
			return total
		}
	}
}

// deleteRawBefore deletes the raw bytes of messages received before
// cutoff. Message ids grow with commit time, so it stops at the first
// message that is recent enough.
func deleteRawBefore(tx *bolt.Tx, cutoff time.Time) (int, error) {
	raw := tx.Bucket(bucketRaw)
	messages := tx.Bucket(bucketMessages)
	var old [][]byte
	c := raw.Cursor()
	for k, _ := c.First(); k != nil && len(old) < retentionBatch; k, _ = c.Next() {
		if isRawChunk(k) {
			continue
		}
		var msg Message
		if err := json.Unmarshal(messages.Get(k), &msg); err != nil {
			return 0, err
		}
		if !msg.Received.Before(cutoff) {
			break
		}
		old = append(old, append([]byte(nil), k...))
	}
	return len(old), deleteRaws(raw, old)
}

func deleteRaws(raw *bolt.Bucket, ids [][]byte) error {
	for _, id := range ids {
		if err := deleteRaw(raw, id); err != nil {
			return err
		}
	}
	return nil
}

// deleteEventsBefore deletes the events dated before cutoff with their
// index keys, oldest first.
func deleteEventsBefore(tx *bolt.Tx, cutoff time.Time) (int, error) {
	var old []Event
	c := tx.Bucket(bucketByTime).Cursor()
	for k, _ := c.First(); k != nil && len(old) < retentionBatch && btoi(k[:8]) < timeNanos(cutoff); k, _ = c.Next() {
		ev, err := decodeEvent(tx.Bucket(bucketEvents).Get(k[8:]))
		if err != nil {
			return 0, fmt.Errorf("reading event %d: %w", btoi(k[8:]), err)
		}
		old = append(old, ev)
	}
	for i := range old {
		if err := deleteEventIndexes(tx, &old[i]); err != nil {
			return 0, err
		}
		if err := tx.Bucket(bucketEvents).Delete(itob(old[i].ID)); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}

// deleteMessagesBefore deletes the records of messages received before
// cutoff, with their raw bytes and quarantine keys. Message ids grow with
// commit time, so it stops at the first recent message.
func deleteMessagesBefore(tx *bolt.Tx, cutoff time.Time) (int, error) {
	messages := tx.Bucket(bucketMessages)
	var old [][]byte
	c := messages.Cursor()
	for k, v := c.First(); k != nil && len(old) < retentionBatch; k, v = c.Next() {
		var msg Message
		if err := json.Unmarshal(v, &msg); err != nil {
			return 0, fmt.Errorf("decoding message %d: %w", btoi(k), err)
		}
		if !msg.Received.Before(cutoff) {
			break
		}
		old = append(old, append([]byte(nil), k...))
	}
	for _, b := range [][]byte{bucketMessages, bucketQuarantine} {
		if err := deleteKeys(tx.Bucket(b), old); err != nil {
			return 0, err
		}
	}
	return len(old), deleteRaws(tx.Bucket(bucketRaw), old)
}

// deleteExpired deletes the entries whose expiry is at or before now.
func deleteExpired(tx *bolt.Tx, now time.Time) (int, error) {
	byExpiry := tx.Bucket(bucketSupByExpiry)
	var due [][]byte
	c := byExpiry.Cursor()
	for k, _ := c.First(); k != nil && len(due) < retentionBatch && btoi(k[:8]) <= timeNanos(now); k, _ = c.Next() {
		due = append(due, append([]byte(nil), k...))
	}
	for _, k := range due {
		e, err := getEntry(tx, string(k[8:]))
		if err == ErrNotFound {
			continue
		}
		if err != nil {
			return 0, err
		}
		if err := deleteEntry(tx, &e); err != nil {
			return 0, err
		}
	}
	return len(due), deleteKeys(byExpiry, due)
}

func deleteKeys(b *bolt.Bucket, keys [][]byte) error {
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

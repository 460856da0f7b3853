package store

import (
	"context"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// retentionBatch is the number of keys one retention transaction deletes
// at most, so that it holds the writer for milliseconds, not seconds.
const retentionBatch = 500

// retentionLoop deletes old raw messages and expired entries every
// interval until Close.
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

// RunRetention deletes raw messages older than the retention window and
// entries past their expiry, retentionBatch keys per transaction, and
// returns how many of each it deleted. The background loop calls it; it
// is exported for tests and tools.
func (s *Store) RunRetention(ctx context.Context) (raw, entries int) {
	now := s.now()
	if s.retention > 0 {
		raw = s.repeat(ctx, "raw messages", func(tx *bolt.Tx) (int, error) {
			return deleteRawBefore(tx, now.Add(-s.retention))
		})
	}
	entries = s.repeat(ctx, "expired suppressions", func(tx *bolt.Tx) (int, error) {
		return deleteExpired(tx, now)
	})
	return raw, entries
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
		var msg Message
		if err := json.Unmarshal(messages.Get(k), &msg); err != nil {
			return 0, err
		}
		if !msg.Received.Before(cutoff) {
			break
		}
		old = append(old, append([]byte(nil), k...))
	}
	return len(old), deleteKeys(raw, old)
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

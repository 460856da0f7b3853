package store

import (
	"context"
	"time"

	bolt "go.etcd.io/bbolt"
)

// commitRequest is one write waiting for its transaction. apply must leave
// no trace outside tx when it fails, because the transaction is retried
// without it.
type commitRequest struct {
	apply func(tx *bolt.Tx) error
	done  chan error
}

// submit queues apply for the writer goroutine and returns once the
// transaction holding it is on disk, or when ctx ends. In the second case
// the write may still be committed.
func (s *Store) submit(ctx context.Context, apply func(tx *bolt.Tx) error) error {
	req := &commitRequest{apply: apply, done: make(chan error, 1)}

	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	s.queue <- req
	s.mu.RUnlock()

	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// commitLoop is the only writer. Each round takes every queued request (up
// to maxBatch) and commits them in one transaction, so concurrent sessions
// share the cost of the fsyncs.
func (s *Store) commitLoop() {
	defer close(s.stopped)

	for req := range s.queue {
		batch := s.drain(req)
		s.commit(batch)
	}
}

// drain returns first and whatever else is queued, without waiting.
func (s *Store) drain(first *commitRequest) []*commitRequest {
	batch := []*commitRequest{first}
	for len(batch) < s.maxBatch {
		select {
		case req, ok := <-s.queue:
			if !ok {
				return batch
			}
			batch = append(batch, req)
		default:
			return batch
		}
	}
	return batch
}

// commit writes batch in one transaction. When that fails, it retries each
// request on its own, so that one bad request does not fail the others.
func (s *Store) commit(batch []*commitRequest) {
	start := time.Now()
	err := s.db.Update(func(tx *bolt.Tx) error {
		packAppendBuckets(tx)
		for _, req := range batch {
			if err := req.apply(tx); err != nil {
				return &applyError{err}
			}
		}
		return nil
	})
	s.health.record(err, s.now())
	if err == nil || len(batch) == 1 {
		if err != nil {
			s.log.Error("commit failed", "err", err, "requests", 1)
		}
		s.log.Debug("committed", "requests", len(batch), "duration", time.Since(start))
		for _, req := range batch {
			req.done <- err
		}
		return
	}

	s.log.Warn("group commit failed, retrying requests one by one", "err", err, "requests", len(batch))
	for _, req := range batch {
		s.commit([]*commitRequest{req})
	}
}

// appendBuckets are the buckets whose keys grow with every insert.
var appendBuckets = [][]byte{bucketMessages, bucketRaw, bucketEvents, bucketByTime, bucketByMessage}

// packAppendBuckets fills the pages of appendBuckets to 90% before a
// split. bbolt's default of 50% suits random inserts, but leaves half of
// every page empty when keys only ever grow.
func packAppendBuckets(tx *bolt.Tx) {
	for _, name := range appendBuckets {
		tx.Bucket(name).FillPercent = 0.9
	}
}

package store

import (
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// commitRequest is one Deliver call waiting for its transaction.
type commitRequest struct {
	msg    *Message
	events []Event
	done   chan error
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
		for _, req := range batch {
			if err := putRequest(tx, req); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(batch) == 1 {
		if err != nil {
			s.log.Error("commit failed", "err", err, "messages", 1)
		}
		s.log.Debug("committed", "messages", len(batch), "duration", time.Since(start))
		for _, req := range batch {
			req.done <- err
		}
		return
	}

	s.log.Warn("group commit failed, retrying messages one by one", "err", err, "messages", len(batch))
	for _, req := range batch {
		s.commit([]*commitRequest{req})
	}
}

// putRequest writes one message, its raw bytes and its events. It assigns
// the ids, so a retried request gets fresh ones.
func putRequest(tx *bolt.Tx, req *commitRequest) error {
	messages := tx.Bucket(bucketMessages)
	id, err := messages.NextSequence()
	if err != nil {
		return fmt.Errorf("allocating message id: %w", err)
	}
	req.msg.ID = id

	rec, err := json.Marshal(req.msg)
	if err != nil {
		return fmt.Errorf("encoding message %d: %w", id, err)
	}
	if err := messages.Put(itob(id), rec); err != nil {
		return fmt.Errorf("writing message %d: %w", id, err)
	}
	if err := tx.Bucket(bucketRaw).Put(itob(id), req.msg.Raw); err != nil {
		return fmt.Errorf("writing raw message %d: %w", id, err)
	}

	for i := range req.events {
		ev := &req.events[i]
		ev.MessageID = id
		if err := putEvent(tx, ev); err != nil {
			return err
		}
	}
	return nil
}

func putEvent(tx *bolt.Tx, ev *Event) error {
	events := tx.Bucket(bucketEvents)
	id, err := events.NextSequence()
	if err != nil {
		return fmt.Errorf("allocating event id: %w", err)
	}
	ev.ID = id
	ev.Recipient = NormalizeAddress(ev.Recipient)

	rec, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encoding event %d: %w", id, err)
	}
	if err := events.Put(itob(id), rec); err != nil {
		return fmt.Errorf("writing event %d: %w", id, err)
	}
	if !indexable(ev.Recipient) {
		return nil
	}

	indexKey := append(recipientPrefix(ev.Recipient), itob(id)...)
	if err := tx.Bucket(bucketByRecipient).Put(indexKey, nil); err != nil {
		return fmt.Errorf("indexing event %d under %q: %w", id, ev.Recipient, err)
	}
	if ev.Suppress {
		return suppress(tx, ev)
	}
	return nil
}

// suppress adds ev.Recipient to the suppression list, or refreshes its
// entry: the latest event gives the reason, the first one the start.
func suppress(tx *bolt.Tx, ev *Event) error {
	b := tx.Bucket(bucketSuppressions)
	key := []byte(ev.Recipient)

	sup := Suppression{Address: ev.Recipient, FirstSeen: ev.Time}
	if v := b.Get(key); v != nil {
		if err := json.Unmarshal(v, &sup); err != nil {
			return fmt.Errorf("decoding suppression of %q: %w", ev.Recipient, err)
		}
	}
	sup.Reason = ev.Reason
	sup.Policy = ev.Policy
	sup.Rule = ev.Rule
	sup.LastSeen = ev.Time
	sup.EventID = ev.ID
	sup.Count++

	rec, err := json.Marshal(sup)
	if err != nil {
		return fmt.Errorf("encoding suppression of %q: %w", ev.Recipient, err)
	}
	return b.Put(key, rec)
}

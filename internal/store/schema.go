package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/bounced/bounced/internal/suppress"
)

// schemaVersion is the layout described in the package documentation.
const schemaVersion = 5

var (
	bucketMeta         = []byte("meta")
	bucketMessages     = []byte("messages")
	bucketRaw          = []byte("raw")
	bucketQuarantine   = []byte("quarantine")
	bucketEvents       = []byte("events")
	bucketByRecipient  = []byte("events_by_recipient")
	bucketByDomain     = []byte("events_by_domain")
	bucketByProvider   = []byte("events_by_provider")
	bucketByReason     = []byte("events_by_reason")
	bucketByTime       = []byte("events_by_time")
	bucketByMessage    = []byte("events_by_message")
	bucketSuppressions = []byte("suppressions")
	bucketSupByDomain  = []byte("suppressions_by_domain")
	bucketSupByExpiry  = []byte("suppressions_by_expiry")
	bucketSoftCounts   = []byte("soft_counts")
	bucketImported     = []byte("imported")
	keySchema          = []byte("schema")
	allBuckets         = [][]byte{
		bucketMeta, bucketMessages, bucketRaw, bucketQuarantine, bucketEvents,
		bucketByRecipient, bucketByDomain, bucketByProvider, bucketByReason,
		bucketByTime, bucketByMessage, bucketSuppressions, bucketSupByDomain,
		bucketSupByExpiry, bucketSoftCounts, bucketImported,
	}
)

// initSchema creates the buckets of a new file, or migrates an older one,
// in the transaction that opens the file.
func (s *Store) initSchema(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return fmt.Errorf("creating bucket %q: %w", bucketMeta, err)
	}
	version, err := fileVersion(meta.Get(keySchema), tx.Bucket(bucketMessages) != nil)
	if err != nil {
		return err
	}
	if version > schemaVersion {
		return fmt.Errorf("%w: file has %d, program has %d", ErrSchemaTooNew, version, schemaVersion)
	}

	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("creating bucket %q: %w", name, err)
		}
	}
	if version < 3 {
		s.log.Info("migrating database", "from", version, "to", schemaVersion)
		if err := rebuildRecipientIndex(tx); err != nil {
			return fmt.Errorf("migrating schema %d to 3: %w", version, err)
		}
	}
	if version == 1 {
		if err := s.migrateV1(tx); err != nil {
			return fmt.Errorf("migrating schema 1 to 2: %w", err)
		}
	}
	if version < 4 {
		if err := chunkAllRaw(tx.Bucket(bucketRaw)); err != nil {
			return fmt.Errorf("migrating schema %d to 4: %w", version, err)
		}
	}
	// Schema 5 adds the S2 codec byte and needs no rewrite. Its number
	// keeps an older program, which cannot read S2, from opening the file.
	return meta.Put(keySchema, binary.BigEndian.AppendUint32(nil, schemaVersion))
}

// fileVersion returns the schema version of the file: the recorded one,
// or schemaVersion for a new, empty file.
func fileVersion(v []byte, hasData bool) (uint32, error) {
	switch {
	case v == nil && hasData:
		return 0, fmt.Errorf("database has data but no schema version")
	case v == nil:
		return schemaVersion, nil
	case len(v) != 4:
		return 0, fmt.Errorf("invalid schema version record %x", v)
	}
	return binary.BigEndian.Uint32(v), nil
}

// migrateV1 compresses the raw messages, builds the indexes version 1 did
// not have and gives every entry a kind. Version 1 only suppressed on hard
// bounces and complaints, which both never expire, so "hard" is right for
// all of them but complaints.
//
// NOTE: it runs in one transaction, so a file of millions of events needs
// memory in proportion while it migrates.
func (s *Store) migrateV1(tx *bolt.Tx) error {
	if err := s.compressAllRaw(tx); err != nil {
		return err
	}
	if err := s.reindexEvents(tx); err != nil {
		return err
	}
	return s.migrateEntries(tx)
}

// rebuildRecipientIndex replaces the recipient index of version 2, in id
// order, with the time-ordered one of version 3.
func rebuildRecipientIndex(tx *bolt.Tx) error {
	if err := tx.DeleteBucket(bucketByRecipient); err != nil {
		return fmt.Errorf("deleting bucket %q: %w", bucketByRecipient, err)
	}
	index, err := tx.CreateBucket(bucketByRecipient)
	if err != nil {
		return fmt.Errorf("creating bucket %q: %w", bucketByRecipient, err)
	}
	return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		ev, err := decodeEvent(v)
		if err != nil {
			return fmt.Errorf("decoding event %x: %w", k, err)
		}
		if !indexable(ev.Recipient) {
			return nil
		}
		return index.Put(join(recipientPrefix(ev.Recipient), timeKey(ev.Time), k), nil)
	})
}

func (s *Store) compressAllRaw(tx *bolt.Tx) error {
	raw := tx.Bucket(bucketRaw)
	updates := map[string][]byte{}
	err := raw.ForEach(func(k, v []byte) error {
		updates[string(k)] = s.compress(v)
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range updates {
		if err := raw.Put([]byte(k), v); err != nil {
			return fmt.Errorf("writing compressed raw message %x: %w", k, err)
		}
	}
	return nil
}

// chunkAllRaw splits the raw values of version 3, one per message, into
// the chunks of version 4.
func chunkAllRaw(raw *bolt.Bucket) error {
	long := map[string][]byte{}
	err := raw.ForEach(func(k, v []byte) error {
		if len(v) > rawChunkSize {
			long[string(k)] = append([]byte(nil), v...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range long {
		if err := putRaw(raw, []byte(k), v); err != nil {
			return fmt.Errorf("writing raw message %d in chunks: %w", btoi([]byte(k)), err)
		}
	}
	return nil
}

func (s *Store) reindexEvents(tx *bolt.Tx) error {
	return tx.Bucket(bucketEvents).ForEach(func(k, v []byte) error {
		ev, err := decodeEvent(v)
		if err != nil {
			return fmt.Errorf("decoding event %x: %w", k, err)
		}
		return putEventIndexes(tx, &ev)
	})
}

func (s *Store) migrateEntries(tx *bolt.Tx) error {
	b := tx.Bucket(bucketSuppressions)
	var entries []Suppression
	err := b.ForEach(func(k, v []byte) error {
		var e Suppression
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Errorf("decoding suppression of %q: %w", k, err)
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return err
	}
	for i := range entries {
		e := &entries[i]
		e.Kind = suppress.KindHard
		if e.Reason == "feedback" {
			e.Kind = suppress.KindComplaint
		}
		if err := putEntry(tx, nil, e); err != nil {
			return err
		}
	}
	return nil
}

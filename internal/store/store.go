package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// schemaVersion is the layout described in the package documentation.
const schemaVersion = 1

var (
	bucketMeta         = []byte("meta")
	bucketMessages     = []byte("messages")
	bucketRaw          = []byte("raw")
	bucketEvents       = []byte("events")
	bucketByRecipient  = []byte("events_by_recipient")
	bucketSuppressions = []byte("suppressions")

	keySchema = []byte("schema")

	allBuckets = [][]byte{
		bucketMeta, bucketMessages, bucketRaw, bucketEvents,
		bucketByRecipient, bucketSuppressions,
	}
)

// Options configures Open. The zero value gives the defaults.
type Options struct {
	// LockTimeout bounds the wait for the file lock that another process
	// holds. Zero means DefaultLockTimeout.
	LockTimeout time.Duration

	// MaxBatch is the largest number of messages committed in one
	// transaction. Zero means DefaultMaxBatch.
	MaxBatch int

	Logger *slog.Logger
}

// Defaults for Options.
const (
	DefaultLockTimeout = 5 * time.Second
	DefaultMaxBatch    = 256
)

// Store is an open bounced database. Its methods are safe for concurrent
// use.
type Store struct {
	db       *bolt.DB
	log      *slog.Logger
	maxBatch int

	mu      sync.RWMutex // guards closed and sends on queue
	closed  bool
	queue   chan *commitRequest
	stopped chan struct{}
}

// Open opens or creates the database at path, creating its directory, and
// migrates an older schema. It fails with ErrSchemaTooNew for a file
// written by a newer version, and after LockTimeout when another process
// has the file open.
func Open(path string, opts Options) (*Store, error) {
	opts = opts.withDefaults()

	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("creating data directory for %q: %w", path, err)
	}
	db, err := bolt.Open(path, 0o640, &bolt.Options{
		Timeout:      opts.LockTimeout,
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		return nil, fmt.Errorf("opening database %q: %w", path, err)
	}
	if err := db.Update(initSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("initialising database %q: %w", path, err)
	}

	s := &Store{
		db:       db,
		log:      opts.Logger,
		maxBatch: opts.MaxBatch,
		queue:    make(chan *commitRequest, opts.MaxBatch),
		stopped:  make(chan struct{}),
	}
	go s.commitLoop()
	return s, nil
}

func (o Options) withDefaults() Options {
	if o.LockTimeout == 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

func initSchema(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("creating bucket %q: %w", name, err)
		}
	}

	meta := tx.Bucket(bucketMeta)
	v := meta.Get(keySchema)
	switch {
	case v == nil:
		return meta.Put(keySchema, binary.BigEndian.AppendUint32(nil, schemaVersion))
	case len(v) != 4:
		return fmt.Errorf("invalid schema version record %x", v)
	case binary.BigEndian.Uint32(v) > schemaVersion:
		return fmt.Errorf("%w: file has %d, program has %d", ErrSchemaTooNew, binary.BigEndian.Uint32(v), schemaVersion)
	}
	// NOTE: version 1 is the first schema, so there is nothing to migrate
	// yet. A later version upgrades older files here, in this transaction.
	return nil
}

// Close waits for queued commits, then closes the file. Deliver calls made
// after Close has started return ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()

	<-s.stopped
	return s.db.Close()
}

// Path returns the file name of the database.
func (s *Store) Path() string {
	return s.db.Path()
}

// Deliver stores a received message and its events in one transaction and
// returns once that transaction is on disk. It assigns msg.ID and the
// events' ID and MessageID. An event with Suppress set adds or refreshes the
// suppression of its recipient in the same transaction.
//
// When ctx ends before the commit, Deliver returns ctx.Err(), but the
// commit may still happen: the caller must treat the message as not stored
// and let the sender retry, which can store it twice.
func (s *Store) Deliver(ctx context.Context, msg *Message, events []Event) error {
	req := &commitRequest{msg: msg, events: events, done: make(chan error, 1)}

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

// Suppression returns the suppression list entry for address, or
// ErrNotFound.
func (s *Store) Suppression(address string) (Suppression, error) {
	var sup Suppression
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSuppressions).Get([]byte(NormalizeAddress(address)))
		if v == nil {
			return ErrNotFound
		}
		return json.Unmarshal(v, &sup)
	})
	return sup, err
}

// EventsByRecipient returns the events of address, oldest first, at most
// limit of them (no limit when limit is zero or less).
func (s *Store) EventsByRecipient(address string, limit int) ([]Event, error) {
	prefix := recipientPrefix(NormalizeAddress(address))
	var events []Event
	err := s.db.View(func(tx *bolt.Tx) error {
		byRecipient := tx.Bucket(bucketByRecipient).Cursor()
		all := tx.Bucket(bucketEvents)
		for k, _ := byRecipient.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = byRecipient.Next() {
			if limit > 0 && len(events) == limit {
				break
			}
			ev, err := decodeEvent(all.Get(k[len(prefix):]))
			if err != nil {
				return fmt.Errorf("reading event of %q: %w", address, err)
			}
			events = append(events, ev)
		}
		return nil
	})
	return events, err
}

// Message returns the stored record of message id, with its raw bytes.
func (s *Store) Message(id uint64) (Message, error) {
	var msg Message
	err := s.db.View(func(tx *bolt.Tx) error {
		key := itob(id)
		v := tx.Bucket(bucketMessages).Get(key)
		if v == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(v, &msg); err != nil {
			return fmt.Errorf("decoding message %d: %w", id, err)
		}
		// bbolt's memory is only valid inside the transaction.
		msg.Raw = append([]byte(nil), tx.Bucket(bucketRaw).Get(key)...)
		return nil
	})
	return msg, err
}

// NormalizeAddress returns the form of an address used as a key: trimmed,
// without angle brackets, lower-cased.
//
// NOTE: lower-casing the local part treats User@x and user@x as one
// mailbox. RFC 5321 lets a receiver distinguish them, but the large
// providers do not, and a suppression list that missed a case variant would
// keep mailing a dead address.
func NormalizeAddress(address string) string {
	address = strings.TrimSpace(address)
	address = strings.TrimPrefix(address, "<")
	address = strings.TrimSuffix(address, ">")
	return strings.ToLower(address)
}

func decodeEvent(v []byte) (Event, error) {
	var ev Event
	if v == nil {
		return ev, errors.New("index points to a missing event")
	}
	err := json.Unmarshal(v, &ev)
	return ev, err
}

// indexable reports whether address can be a key: RFC 5321 caps a path at
// 256 octets, and a NUL would break the index key layout.
func indexable(address string) bool {
	return address != "" && len(address) <= maxAddressLen && !strings.ContainsRune(address, 0)
}

// maxAddressLen is the longest address that is indexed and suppressed.
// Longer ones are stored with their event but cannot be looked up.
const maxAddressLen = 320

func recipientPrefix(address string) []byte {
	return append([]byte(address), 0)
}

func itob(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

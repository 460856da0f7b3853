package store

import (
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

	"github.com/bounced/bounced/internal/suppress"
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

	// Policy decides suppression. Nil means suppress.Default().
	Policy *suppress.Policy

	// RawRetention is how long raw messages are kept; zero keeps them
	// forever. Events and suppression entries outlive their raw message.
	RawRetention time.Duration

	// EventRetention is how long events and message records are kept;
	// zero keeps them forever. Suppression entries outlive their events.
	EventRetention time.Duration

	// RetentionInterval is the pause between retention passes. Zero means
	// DefaultRetentionInterval.
	RetentionInterval time.Duration

	// Now returns the current time; nil means time.Now. Tests set it.
	Now func() time.Time
}

// Defaults for Options.
const (
	DefaultLockTimeout = 5 * time.Second
	DefaultMaxBatch    = 256

	DefaultRetentionInterval = time.Minute
)

// Store is an open bounced database. Its methods are safe for concurrent
// use.
type Store struct {
	db       *bolt.DB
	log      *slog.Logger
	maxBatch int
	policy   *suppress.Policy
	now      func() time.Time
	codec    *codec

	health commitHealth

	mu      sync.RWMutex // guards closed and sends on queue
	closed  bool
	queue   chan *commitRequest
	stopped chan struct{}

	retention      time.Duration
	eventRetention time.Duration
	retentionStop  chan struct{}
	retentionDone  chan struct{}
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
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("opening database %q: the file is locked, probably by another running bounced; stop it or use another data directory (waited %v): %w",
			path, opts.LockTimeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("opening database %q: %w", path, err)
	}
	codec, err := newCodec()
	if err != nil {
		db.Close()
		return nil, err
	}

	s := &Store{
		db:             db,
		log:            opts.Logger,
		maxBatch:       opts.MaxBatch,
		policy:         opts.Policy,
		now:            opts.Now,
		codec:          codec,
		queue:          make(chan *commitRequest, opts.MaxBatch),
		stopped:        make(chan struct{}),
		retention:      opts.RawRetention,
		eventRetention: opts.EventRetention,
		retentionStop:  make(chan struct{}),
		retentionDone:  make(chan struct{}),
	}
	if err := db.Update(s.initSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("initialising database %q: %w", path, err)
	}
	go s.commitLoop()
	go s.retentionLoop(opts.RetentionInterval)
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
	if o.Policy == nil {
		o.Policy = suppress.Default()
	}
	if o.RetentionInterval <= 0 {
		o.RetentionInterval = DefaultRetentionInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
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
	close(s.retentionStop)
	s.mu.Unlock()

	<-s.retentionDone
	s.mu.Lock()
	close(s.queue)
	s.mu.Unlock()

	<-s.stopped
	return s.db.Close()
}

// Path returns the file name of the database.
func (s *Store) Path() string {
	return s.db.Path()
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

// CheckFile runs bbolt's consistency check over the file at path, which no
// process may have open, and returns the first problem it finds.
func CheckFile(path string) error {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultLockTimeout, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("opening %q for the consistency check: %w", path, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return fmt.Errorf("consistency check of %q: %w", path, err)
		}
		return nil
	})
}

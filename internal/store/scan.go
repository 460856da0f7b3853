package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"

	bolt "go.etcd.io/bbolt"
)

// Page limits of the listing methods.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000

	// maxScanPerPage bounds the keys one page reads when filters reject
	// most of them; the page then comes back short, with a cursor.
	maxScanPerPage = 100 * MaxPageSize
)

// ErrInvalidCursor is returned by the listing methods for a cursor they
// did not produce.
var ErrInvalidCursor = fmt.Errorf("store: invalid cursor")

// scan walks the keys of one bucket that start with prefix, in key order,
// from start or from just after the cursor.
type scan struct {
	bucket []byte
	prefix []byte
	start  []byte // first key to read without a cursor; nil means prefix
	cursor string
	limit  int
}

// run calls visit for each key until visit has accepted limit keys, the
// keys run out or maxScanPerPage keys were read. It returns the cursor of
// the next page, or "" when there is none.
func (sc scan) run(tx *bolt.Tx, visit func(k []byte) (bool, error)) (string, error) {
	c := tx.Bucket(sc.bucket).Cursor()
	k, err := sc.first(c)
	if err != nil {
		return "", err
	}
	limit := pageSize(sc.limit)

	for taken, read := 0, 0; k != nil && bytes.HasPrefix(k, sc.prefix); k, _ = c.Next() {
		ok, err := visit(k)
		if err != nil {
			return "", err
		}
		if ok {
			taken++
		}
		read++
		if taken == limit || read == maxScanPerPage {
			return sc.more(c, k), nil
		}
	}
	return "", nil
}

func (sc scan) first(c *bolt.Cursor) ([]byte, error) {
	if sc.cursor == "" {
		k, _ := c.Seek(cmpOrBytes(sc.start, sc.prefix))
		return k, nil
	}
	after, ok := sc.decodeCursor()
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrInvalidCursor, sc.cursor)
	}
	k, _ := c.Seek(after)
	if bytes.Equal(k, after) {
		k, _ = c.Next()
	}
	return k, nil
}

// more returns the cursor after key k, or "" when no key with the prefix
// follows it.
func (sc scan) more(c *bolt.Cursor, k []byte) string {
	cursor := sc.encodeCursor(k)
	if next, _ := c.Next(); next == nil || !bytes.HasPrefix(next, sc.prefix) {
		return ""
	}
	return cursor
}

// A cursor is the last key of a page followed by a CRC-32C of the bucket
// name and that key, in unpadded base64url. The checksum makes a cursor of
// another listing, or a mistyped or made-up one, fail with
// ErrInvalidCursor, where it would otherwise seek somewhere and return a
// wrong page or none. It is not a secret: the keys hold nothing a caller
// could not list anyway.
var cursorTable = crc32.MakeTable(crc32.Castagnoli)

func (sc scan) encodeCursor(k []byte) string {
	// k may point into the memory map, so it is copied before appending.
	b := binary.BigEndian.AppendUint32(bytes.Clone(k), sc.checksum(k))
	return base64.RawURLEncoding.EncodeToString(b)
}

func (sc scan) decodeCursor() ([]byte, bool) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(sc.cursor)
	if err != nil || len(b) < 4 {
		return nil, false
	}
	k, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	return k, sum == sc.checksum(k) && bytes.HasPrefix(k, sc.prefix)
}

func (sc scan) checksum(k []byte) uint32 {
	return crc32.Update(crc32.Checksum(sc.bucket, cursorTable), cursorTable, k)
}

func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageSize
	case limit > MaxPageSize:
		return MaxPageSize
	}
	return limit
}

func cmpOrBytes(a, b []byte) []byte {
	if a != nil {
		return a
	}
	return b
}

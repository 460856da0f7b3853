package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// Codec bytes, the first byte of a message's first value in the raw
// bucket.
const (
	rawZstd byte = 1
	rawS2   byte = 2
)

// maxS2Size is the largest message compressed with S2 rather than zstd.
// For a message of a few KiB, zstd (klauspost/compress v1.20, default
// level) spends most of its time on cache misses in its hash tables of
// over 1 MiB. It took 27 µs for a 2 KiB bounce with a cold cache, against
// 3 µs for S2, and about a seventh of the daemon's CPU per message under
// the load benchmark (docs/benchmarks.md has the machine). S2 output is
// larger: 52% of the input against zstd's 40% over 614 real bounces
// under this size. Above it, zstd's ratio is worth its time.
const maxS2Size = 64 << 10

// maxRawSize bounds the decompressed size of one raw message. The SMTP
// server keeps at most a few MiB of a message; this leaves room for
// imports.
const maxRawSize = 64 << 20

// codec contains the zstd encoder and decoder of raw messages. Messages up
// to maxS2Size use S2, whose functions need no state. zstd's Encoder and
// Decoder are safe for concurrent use through EncodeAll and DecodeAll.
type codec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newCodec() (*codec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		return nil, fmt.Errorf("creating zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxRawSize), zstd.WithDecoderConcurrency(0))
	if err != nil {
		return nil, fmt.Errorf("creating zstd decoder: %w", err)
	}
	return &codec{enc: enc, dec: dec}, nil
}

// compress returns raw as stored in the raw bucket.
func (s *Store) compress(raw []byte) []byte {
	if len(raw) > maxS2Size {
		return s.codec.enc.EncodeAll(raw, []byte{rawZstd})
	}
	out := make([]byte, 1+s2.MaxEncodedLen(len(raw)))
	out[0] = rawS2
	encoded := s2.Encode(out[1:], raw)
	return out[:1+len(encoded)]
}

// decompress returns the message of a raw bucket value, in new memory.
func (s *Store) decompress(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return nil, errors.New("empty raw record")
	}
	switch v[0] {
	case rawZstd:
		return s.codec.dec.DecodeAll(v[1:], nil)
	case rawS2:
		return decodeS2(v[1:])
	}
	return nil, fmt.Errorf("unknown raw codec %d", v[0])
}

// decodeS2 decodes an S2 block after checking the size its header
// declares, so that a damaged record cannot make it allocate more than
// maxRawSize.
func decodeS2(block []byte) ([]byte, error) {
	n, err := s2.DecodedLen(block)
	if err != nil {
		return nil, err
	}
	if n > maxRawSize {
		return nil, fmt.Errorf("s2 record declares %d bytes, more than the limit of %d", n, maxRawSize)
	}
	return s2.Decode(nil, block)
}

// rawChunkSize is the most bytes of a compressed message one value of the
// raw bucket holds. Message ids grow, so each commit adds its keys to the
// last leaf of the bucket, and bbolt (v1.5) copies every value of that leaf
// into new pages when it writes it. So a message stored as one value was
// read back into memory and written again by the next commit. In chunks,
// a commit rewrites only the few chunks the previous message left there.
const rawChunkSize = 16 << 10

// rawChunkKey returns the key of chunk n (from 1) of message id. Chunk 0
// is under the message id alone; the longer keys sort right after it.
func rawChunkKey(id []byte, n uint32) []byte {
	return binary.BigEndian.AppendUint32(append([]byte(nil), id...), n)
}

// isRawChunk reports whether k is the key of a chunk past the first.
func isRawChunk(k []byte) bool {
	return len(k) > 8
}

// putRaw stores v, a compressed message, in chunks under id. bbolt keeps
// the slices until the commit, so they must not change before it.
func putRaw(b *bolt.Bucket, id []byte, v []byte) error {
	first := min(len(v), rawChunkSize)
	if err := b.Put(id, v[:first]); err != nil {
		return err
	}
	n := uint32(1)
	for rest := v[first:]; len(rest) > 0; n++ {
		size := min(len(rest), rawChunkSize)
		if err := b.Put(rawChunkKey(id, n), rest[:size]); err != nil {
			return err
		}
		rest = rest[size:]
	}
	return nil
}

// getRaw returns the compressed message under id, in new memory when it
// has more than one chunk, or nil when there is none.
func getRaw(b *bolt.Bucket, id []byte) []byte {
	c := b.Cursor()
	k, v := c.Seek(id)
	if !bytes.Equal(k, id) {
		return nil
	}
	first := v
	var all []byte
	for k, v = c.Next(); isRawChunk(k) && bytes.HasPrefix(k, id); k, v = c.Next() {
		if all == nil {
			all = append([]byte(nil), first...)
		}
		all = append(all, v...)
	}
	if all == nil {
		return first
	}
	return all
}

// deleteRaw deletes every chunk of the message under id.
func deleteRaw(b *bolt.Bucket, id []byte) error {
	c := b.Cursor()
	for k, _ := c.Seek(id); k != nil && bytes.HasPrefix(k, id); k, _ = c.Seek(id) {
		if err := c.Delete(); err != nil {
			return fmt.Errorf("deleting raw message %d: %w", btoi(id), err)
		}
	}
	return nil
}

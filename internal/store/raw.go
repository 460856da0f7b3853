package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// rawZstd is the codec byte that starts a zstd value of the raw bucket.
// Other codecs would get other bytes.
const rawZstd byte = 1

// maxRawSize bounds the decompressed size of one raw message. The SMTP
// server keeps at most a few MiB of a message; this leaves room for
// imports.
const maxRawSize = 64 << 20

// codec compresses raw messages. zstd's Encoder and Decoder are safe for
// concurrent use through EncodeAll and DecodeAll.
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
	return s.codec.enc.EncodeAll(raw, []byte{rawZstd})
}

// decompress returns the message of a raw bucket value, in new memory.
func (s *Store) decompress(v []byte) ([]byte, error) {
	if len(v) == 0 {
		return nil, errors.New("empty raw record")
	}
	if v[0] != rawZstd {
		return nil, fmt.Errorf("unknown raw codec %d", v[0])
	}
	return s.codec.dec.DecodeAll(v[1:], nil)
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

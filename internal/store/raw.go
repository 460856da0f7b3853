package store

import (
	"errors"
	"fmt"

	"github.com/klauspost/compress/zstd"
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

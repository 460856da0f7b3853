package store

import (
	"encoding/binary"
	"time"
)

func recipientPrefix(address string) []byte {
	return prefixKey(address)
}

// prefixKey returns s followed by the NUL that ends it in a key.
func prefixKey(s string) []byte {
	return append([]byte(s), 0)
}

func itob(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

// timeKey returns t as big-endian Unix nanoseconds; times before 1970 sort
// first, as zero.
func timeKey(t time.Time) []byte {
	return itob(timeNanos(t))
}

func timeNanos(t time.Time) uint64 {
	if t.IsZero() || t.Before(time.Unix(0, 0)) {
		return 0
	}
	return uint64(t.UnixNano())
}

func join(parts ...[]byte) []byte {
	var key []byte
	for _, p := range parts {
		key = append(key, p...)
	}
	return key
}

func btoi(b []byte) uint64 {
	return binary.BigEndian.Uint64(b)
}

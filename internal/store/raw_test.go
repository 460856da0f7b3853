package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// rawKeys returns the number of raw bucket keys that belong to message id.
func rawKeys(t *testing.T, st *Store, id uint64) int {
	t.Helper()
	n := 0
	st.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRaw).Cursor()
		for k, _ := c.Seek(itob(id)); k != nil && bytes.HasPrefix(k, itob(id)); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n
}

func TestDeliver_LargeRawInChunks(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	big := &Message{Received: t0, Raw: incompressible(t, 5*rawChunkSize+100)}
	small := &Message{Received: t0, Raw: []byte("small")}
	deliver(t, st, big)
	deliver(t, st, small)

	if n := rawKeys(t, st, big.ID); n < 6 {
		t.Errorf("big message has %d raw keys, want at least 6 chunks", n)
	}
	if n := rawKeys(t, st, small.ID); n != 1 {
		t.Errorf("small message has %d raw keys, want 1", n)
	}
	got, err := st.Message(big.ID)
	if err != nil || !bytes.Equal(got.Raw, big.Raw) {
		t.Errorf("Message(%d): raw of %d bytes, err %v; want the %d bytes delivered", big.ID, len(got.Raw), err, len(big.Raw))
	}

	page, _, err := st.Messages(time.Time{}, 0, 10)
	if err != nil || len(page) != 2 || page[0].ID != big.ID || page[1].ID != small.ID {
		t.Errorf("Messages = %d messages, err %v; want the two messages once each", len(page), err)
	}
}

func TestRunRetention_DeletesAllChunks(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{RawRetention: time.Hour, RetentionInterval: time.Hour})
	old := &Message{Received: t0, Raw: incompressible(t, 3*rawChunkSize)}
	recent := &Message{Received: t0.Add(2 * time.Hour), Raw: incompressible(t, 3*rawChunkSize)}
	deliver(t, st, old)
	deliver(t, st, recent)

	now = t0.Add(2 * time.Hour)
	if got := st.RunRetention(context.Background()); got.Raw != 1 {
		t.Errorf("RunRetention deleted %d raw messages, want 1", got.Raw)
	}
	if n := rawKeys(t, st, old.ID); n != 0 {
		t.Errorf("old message keeps %d raw keys, want none", n)
	}
	if msg, _ := st.Message(recent.ID); !bytes.Equal(msg.Raw, recent.Raw) {
		t.Errorf("recent message raw is %d bytes, want the %d delivered", len(msg.Raw), len(recent.Raw))
	}
}

func TestOpen_MigratesV3RawToChunks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounced.db")
	raw := incompressible(t, 3*rawChunkSize)
	writeV3File(t, path, raw)

	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of a version 3 file: %v", err)
	}
	defer func() {
		st.Close()
		checkConsistency(t, path)
	}()

	if n := rawKeys(t, st, 1); n < 3 {
		t.Errorf("migrated message has %d raw keys, want at least 3 chunks", n)
	}
	msg, err := st.Message(1)
	if err != nil || !bytes.Equal(msg.Raw, raw) {
		t.Errorf("Message(1): raw of %d bytes, err %v; want the %d bytes of version 3", len(msg.Raw), err, len(raw))
	}
}

// writeV3File writes a file of schema version 3 holding one message whose
// compressed raw bytes are one value.
func writeV3File(t *testing.T, path string, raw []byte) {
	t.Helper()
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Files before schema 5 hold zstd only.
	compressed := st.codec.enc.EncodeAll(raw, []byte{rawZstd})
	st.Close()

	updateFile(t, path, func(tx *bolt.Tx) error {
		msg := `{"id":1,"received":"2026-12-01T10:00:00Z","mail_from":"","rcpt_to":null,"size":1}`
		if err := tx.Bucket(bucketMessages).Put(itob(1), []byte(msg)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketRaw).Put(itob(1), compressed); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 3))
	})
}

// firstRawByte returns the codec byte of message id's first raw value.
func firstRawByte(t *testing.T, st *Store, id uint64) byte {
	t.Helper()
	var codec byte
	st.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketRaw).Get(itob(id)); len(v) > 0 {
			codec = v[0]
		}
		return nil
	})
	return codec
}

func TestDeliver_RawCodecBySize(t *testing.T) {
	tests := []struct {
		name  string
		raw   []byte
		codec byte
	}{
		{"empty", []byte{}, rawS2},
		{"bounce", bytes.Repeat([]byte("Diagnostic-Code: smtp; 550 5.1.1 unknown\r\n"), 50), rawS2},
		{"at the S2 limit", incompressible(t, maxS2Size), rawS2},
		{"past the S2 limit", incompressible(t, maxS2Size+1), rawZstd},
		{"large and compressible", bytes.Repeat([]byte("x"), 3*maxS2Size), rawZstd},
	}
	now := t0
	st := openAt(t, &now, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := &Message{Received: t0, Raw: tt.raw}
			deliver(t, st, msg)

			if got := firstRawByte(t, st, msg.ID); got != tt.codec {
				t.Errorf("codec byte = %d, want %d", got, tt.codec)
			}
			got, err := st.Message(msg.ID)
			if err != nil {
				t.Fatalf("Message(%d): %v", msg.ID, err)
			}
			if !bytes.Equal(got.Raw, tt.raw) {
				t.Errorf("Message(%d): raw of %d bytes, want the %d bytes delivered", msg.ID, len(got.Raw), len(tt.raw))
			}
		})
	}
}

func TestDecompress_S2PastSizeLimit(t *testing.T) {
	now := t0
	st := openAt(t, &now, Options{})
	// An S2 block starts with its decoded length as a uvarint.
	record := binary.AppendUvarint([]byte{rawS2}, maxRawSize+1)
	record = append(record, 0, 0, 0, 0)

	if _, err := st.decompress(record); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("decompress of a block declaring %d bytes: err = %v, want the size limit error", maxRawSize+1, err)
	}
}

func TestOpen_V4ZstdStillRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounced.db")
	raw := []byte("Final-Recipient: rfc822; alice@example.com\r\nStatus: 5.1.1\r\n")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	msg := &Message{Received: t0, Raw: raw}
	deliver(t, st, msg)
	zstdRecord := st.codec.enc.EncodeAll(raw, []byte{rawZstd})
	st.Close()
	updateFile(t, path, func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketRaw).Put(itob(msg.ID), zstdRecord); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, binary.BigEndian.AppendUint32(nil, 4))
	})

	st, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("Open of a version 4 file: %v", err)
	}
	defer func() {
		st.Close()
		checkConsistency(t, path)
	}()
	got, err := st.Message(msg.ID)
	if err != nil || !bytes.Equal(got.Raw, raw) {
		t.Errorf("Message(%d): raw %q, err %v; want the zstd record's %q", msg.ID, got.Raw, err, raw)
	}
	if codec := firstRawByte(t, st, msg.ID); codec != rawZstd {
		t.Errorf("codec byte after opening = %d, want the zstd record kept (%d)", codec, rawZstd)
	}
	var version []byte
	st.db.View(func(tx *bolt.Tx) error {
		version = append(version, tx.Bucket(bucketMeta).Get(keySchema)...)
		return nil
	})
	if len(version) != 4 || binary.BigEndian.Uint32(version) != schemaVersion {
		t.Errorf("schema after opening = %v, want %d", version, schemaVersion)
	}
}

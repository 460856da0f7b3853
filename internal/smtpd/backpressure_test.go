package smtpd

import (
	"crypto/rand"
	"encoding/base64"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/bounced/bounced/internal/store"
)

// TestData_DiskFullGets451 fills a 2 MiB tmpfs that holds the database
// and checks that every message either gets 250 and is in the store, or
// gets 451 4.3.0: never 250 without a commit.
func TestData_DiskFullGets451(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})

	addr, st := testServerAt(t, Config{KeepBytes: 64 << 10}, dir, "tcp", "127.0.0.1:0")
	body := "Subject: filler\r\n\r\n" + randomLines(t, 900)

	var stored, refused int
	for i := 0; i < 100 && refused < 3; i++ {
		reply := storeOne(t, addr, body)
		switch {
		case strings.HasPrefix(reply, "250 2.0.0 Stored as "):
			stored++
			checkStored(t, st, reply)
		case strings.HasPrefix(reply, "451 4.3.0 "):
			refused++
		default:
			t.Fatalf("reply %d = %q, want 250 or 451 4.3.0", i, reply)
		}
	}
	if refused == 0 {
		t.Fatalf("stored %d messages of 70 KiB on a 2 MiB file system without a 451", stored)
	}
	t.Logf("stored %d messages, then 451", stored)
}

// randomLines returns n lines of 76 base64 characters of random bytes,
// which the store cannot compress.
func randomLines(t *testing.T, n int) string {
	t.Helper()
	raw := make([]byte, 57)
	var b strings.Builder
	for range n {
		if _, err := rand.Read(raw); err != nil {
			t.Fatal(err)
		}
		b.WriteString(base64.StdEncoding.EncodeToString(raw) + "\r\n")
	}
	return b.String()
}

// storeOne sends one message with body in its own session and returns the
// reply to its data.
func storeOne(t *testing.T, addr, body string) string {
	t.Helper()
	s := openSession(t, addr)
	defer s.conn.Close()
	s.startData()
	s.write(body + ".\r\n")
	return s.reply()
}

// checkStored checks that the message a 250 "Stored as ID" reply names is
// in the store.
func checkStored(t *testing.T, st *store.Store, reply string) {
	t.Helper()
	id, err := strconv.ParseUint(strings.TrimPrefix(reply, "250 2.0.0 Stored as "), 10, 64)
	if err != nil {
		t.Fatalf("reply %q names no message id", reply)
	}
	if _, err := st.Message(id); err != nil {
		t.Errorf("message %d of reply %q: %v", id, reply, err)
	}
}

package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTest opens a store in a temporary directory and checks the file's
// consistency when the test ends.
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bounced.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		st.Close()
		checkConsistency(t, path)
	})
	return st, path
}

func checkConsistency(t *testing.T, path string) {
	t.Helper()
	if err := CheckFile(path); err != nil {
		t.Error(err)
	}
}

func hardEvent(rcpt string, at time.Time) Event {
	return Event{Time: at, Recipient: rcpt, Kind: "failure", Reason: "userunknown", Hard: true, Status: "5.1.1", Suppress: true}
}

func TestDeliver_AssignsIDsAndIndexes(t *testing.T) {
	st, _ := openTest(t)
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

	msg := &Message{Received: at, MailFrom: "", RcptTo: []string{"b@bounces.example.org"}, Raw: []byte("raw bytes")}
	events := []Event{hardEvent("Alice@Example.COM", at), {Time: at, Recipient: "bob@example.com", Reason: "mailboxfull"}}
	if err := st.Deliver(context.Background(), msg, events); err != nil {
		t.Fatalf("Deliver: %v", err)
	}

	if msg.ID == 0 {
		t.Fatal("message id not assigned")
	}
	got, err := st.Message(msg.ID)
	if err != nil {
		t.Fatalf("Message(%d): %v", msg.ID, err)
	}
	if string(got.Raw) != "raw bytes" {
		t.Errorf("raw = %q, want %q", got.Raw, "raw bytes")
	}

	alice, err := st.EventsByRecipient("alice@example.com", 0)
	if err != nil {
		t.Fatalf("EventsByRecipient: %v", err)
	}
	if len(alice) != 1 || alice[0].MessageID != msg.ID || alice[0].Reason != "userunknown" {
		t.Errorf("events of alice = %+v, want one userunknown event of message %d", alice, msg.ID)
	}
}

func TestDeliver_SuppressesOnlyRequested(t *testing.T) {
	st, _ := openTest(t)
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	events := []Event{
		hardEvent("alice@example.com", at),
		{Time: at, Recipient: "carol@cox.net", Reason: "policyviolation", Policy: "aup"},
	}
	if err := st.Deliver(context.Background(), &Message{Received: at}, events); err != nil {
		t.Fatalf("Deliver: %v", err)
	}

	sup, err := st.Suppression("<ALICE@example.com>")
	if err != nil {
		t.Fatalf("Suppression(alice): %v", err)
	}
	if sup.Reason != "userunknown" || sup.Count != 1 || sup.EventID == 0 {
		t.Errorf("suppression = %+v, want userunknown, count 1, event set", sup)
	}
	if _, err := st.Suppression("carol@cox.net"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Suppression(carol) err = %v, want ErrNotFound", err)
	}
}

func TestDeliver_RefreshKeepsFirstSeen(t *testing.T) {
	st, _ := openTest(t)
	first := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	second := first.Add(time.Hour)
	for _, at := range []time.Time{first, second} {
		if err := st.Deliver(context.Background(), &Message{Received: at}, []Event{hardEvent("a@example.com", at)}); err != nil {
			t.Fatalf("Deliver: %v", err)
		}
	}

	sup, err := st.Suppression("a@example.com")
	if err != nil {
		t.Fatalf("Suppression: %v", err)
	}
	if !sup.FirstSeen.Equal(first) || !sup.LastSeen.Equal(second) || sup.Count != 2 {
		t.Errorf("suppression = first %v last %v count %d, want %v, %v, 2", sup.FirstSeen, sup.LastSeen, sup.Count, first, second)
	}
}

func TestDeliver_ConcurrentGroupCommit(t *testing.T) {
	st, _ := openTest(t)
	const writers, each = 20, 25

	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				rcpt := fmt.Sprintf("u%d-%d@example.com", w, i)
				errs <- st.Deliver(context.Background(), &Message{Received: time.Now()}, []Event{hardEvent(rcpt, time.Now())})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Deliver: %v", err)
		}
	}

	for w := range writers {
		for i := range each {
			rcpt := fmt.Sprintf("u%d-%d@example.com", w, i)
			if _, err := st.Suppression(rcpt); err != nil {
				t.Fatalf("Suppression(%s): %v", rcpt, err)
			}
		}
	}
}

func TestDeliver_AfterCloseFails(t *testing.T) {
	st, _ := openTest(t)
	st.Close()
	err := st.Deliver(context.Background(), &Message{}, nil)
	if !errors.Is(err, ErrClosed) {
		t.Errorf("Deliver after Close: err = %v, want ErrClosed", err)
	}
}

func TestDeliver_UnindexableRecipientStored(t *testing.T) {
	st, _ := openTest(t)
	long := string(make([]byte, 40000)) + "@example.com"
	msg := &Message{Received: time.Now()}
	if err := st.Deliver(context.Background(), msg, []Event{hardEvent(long, time.Now())}); err != nil {
		t.Fatalf("Deliver with a 40 kB recipient: %v", err)
	}
	if _, err := st.Message(msg.ID); err != nil {
		t.Errorf("Message(%d): %v", msg.ID, err)
	}
}

func TestOpen_Reopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounced.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := st.Deliver(context.Background(), &Message{Received: time.Now()}, []Event{hardEvent("a@example.com", time.Now())}); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	st.Close()

	st, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	if _, err := st.Suppression("a@example.com"); err != nil {
		t.Errorf("Suppression after reopen: %v", err)
	}
}

func TestOpen_SchemaTooNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounced.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(keySchema, []byte{0, 0, 0, schemaVersion + 1})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	_, err = Open(path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Open of a newer file: err = %v, want ErrSchemaTooNew", err)
	}
}

func TestOpen_LockedFileTimesOut(t *testing.T) {
	st, path := openTest(t)
	_ = st
	_, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("second Open of a locked file succeeded")
	}
	for _, want := range []string{"locked", "another running bounced", path} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// updateFile runs fn in one transaction on the bbolt file at path, which no
// store has open, to write the layout of an older schema.
func updateFile(t *testing.T, path string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func TestDeliver_ImportDigestStoresOnce(t *testing.T) {
	st, _ := openTest(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	deliver := func(digest string) (*Message, error) {
		msg := &Message{Received: at, Raw: []byte("bounce " + digest), ImportDigest: []byte(digest)}
		return msg, st.Deliver(ctx, msg, []Event{hardEvent("alice@example.com", at)})
	}

	first, err := deliver("digest-a")
	if err != nil {
		t.Fatalf("first Deliver: %v", err)
	}
	again, err := deliver("digest-a")
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second Deliver of the same digest: err = %v, want ErrDuplicate", err)
	}
	if again.ID != first.ID {
		t.Errorf("duplicate's id = %d, want the first message's %d", again.ID, first.ID)
	}
	other, err := deliver("digest-b")
	if err != nil || other.ID == first.ID {
		t.Fatalf("Deliver of another digest: id %d, err %v, want a new message", other.ID, err)
	}

	events, err := st.EventsByRecipient("alice@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 {
		t.Errorf("events of alice = %d, want 2 (the duplicate stores none)", len(events))
	}
}

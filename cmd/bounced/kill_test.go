package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/store"
)

// acked is a message the daemon accepted with 250: its id from the reply
// and the marker header that makes its bytes unique.
type acked struct {
	id     uint64
	marker string
}

// TestServe_KillNineLosesNothing runs several SMTP clients against the
// daemon, kills it with SIGKILL at a random moment, restarts it, and
// repeats. Every message that got a 250 must be in the file afterwards,
// and the file must pass bbolt's consistency check.
func TestServe_KillNineLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	const cycles, clients = 10, 4
	dataDir := t.TempDir()
	fixture, err := os.ReadFile("testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}

	var seq atomic.Int64
	var all []acked
	for cycle := range cycles {
		d := startDaemon(t, dataDir)
		got := sendUntilKilled(d, clients, fixture, &seq, randomDelay())
		t.Logf("cycle %d: %d messages acknowledged before SIGKILL", cycle, len(got))
		all = append(all, got...)
	}
	if len(all) == 0 {
		t.Fatal("no message was acknowledged in any cycle")
	}

	checkAckedStored(t, filepath.Join(dataDir, "bounced.db"), all)
}

func randomDelay() time.Duration {
	return time.Duration(50+rand.IntN(450)) * time.Millisecond
}

// sendUntilKilled runs clients that each send one message per connection
// until the daemon dies, kills the daemon after delay with SIGKILL and
// returns the acknowledged messages.
func sendUntilKilled(d *daemon, clients int, fixture []byte, seq *atomic.Int64, delay time.Duration) []acked {
	var mu sync.Mutex
	var got []acked
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				a, err := sendMarked(d.smtpAddr, fixture, seq.Add(1))
				if err != nil {
					return
				}
				mu.Lock()
				got = append(got, a)
				mu.Unlock()
			}
		})
	}

	time.Sleep(delay)
	d.cmd.Process.Kill()
	<-d.exited
	wg.Wait()
	return got
}

// sendMarked sends fixture with a unique marker header and returns the
// stored id from the 250 reply.
func sendMarked(addr string, fixture []byte, n int64) (acked, error) {
	c, err := smtp.Dial(addr)
	if err != nil {
		return acked{}, err
	}
	defer c.Close()
	c.CommandTimeout = 10 * time.Second
	c.SubmissionTimeout = 10 * time.Second

	marker := fmt.Sprintf("X-Kill-Test: %d", n)
	if err := c.Hello("mta.test"); err != nil {
		return acked{}, err
	}
	if err := c.Mail("", nil); err != nil {
		return acked{}, err
	}
	if err := c.Rcpt("bounces@"+bounceDomain, nil); err != nil {
		return acked{}, err
	}
	w, err := c.Data()
	if err != nil {
		return acked{}, err
	}
	if _, err := w.Write(append([]byte(marker+"\r\n"), fixture...)); err != nil {
		return acked{}, err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return acked{}, err
	}
	_, idText, _ := strings.Cut(resp.StatusText, "Stored as ")
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil {
		return acked{}, fmt.Errorf("reply %q has no stored id", resp.StatusText)
	}
	c.Quit()
	return acked{id: id, marker: marker}, nil
}

// checkAckedStored opens the file the daemons left and checks every
// acknowledged message and the file's consistency.
func checkAckedStored(t *testing.T, path string, all []acked) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("opening the database after the kills: %v", err)
	}
	lost := 0
	for _, a := range all {
		msg, err := st.Message(a.id)
		if err != nil || !bytes.Contains(msg.Raw, []byte(a.marker)) {
			lost++
			t.Errorf("message %d (%s) acknowledged but not stored: %v", a.id, a.marker, err)
		}
	}
	st.Close()
	t.Logf("%d acknowledged messages checked, %d lost", len(all), lost)

	if err := store.CheckFile(path); err != nil {
		t.Error(err)
	}
}

package main

import (
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bounced/bounced/internal/store"
)

// TestPostfix_LMTPToBounced routes the bounce domain from a real Postfix to
// bounced over LMTP, with the transports docs/deploy.md gives, and sends
// one bounce to three recipients at it. Postfix hands the three to bounced
// in one LMTP transaction, which bounced stores as one message.
func TestPostfix_LMTPToBounced(t *testing.T) {
	postfix := requireTool(t, "postfix", "/usr/sbin/postfix")
	if os.Geteuid() != 0 {
		t.Skip("skipping: Postfix runs only as root, and this test is not root")
	}
	raw, err := os.ReadFile("testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}
	rcpts := []string{"a@" + bounceDomain, "c@" + bounceDomain, "d@" + bounceDomain}

	for _, network := range []string{"inet", "unix"} {
		t.Run(network, func(t *testing.T) {
			dataDir := t.TempDir()
			cfgFile := filepath.Join(t.TempDir(), "bounced.yml")
			writeFile(t, cfgFile, "smtp:\n  lmtp: true\n")
			args := []string{"-config.file", cfgFile}
			var sock string
			if network == "unix" {
				sock = filepath.Join(postfixReadableDir(t), "lmtp.sock")
				args = append(args, "-smtp.listen", sock)
			}
			d := startDaemon(t, dataDir, args...)

			transport := "lmtp:inet:" + d.smtpAddr
			if network == "unix" {
				shareSocketWithPostfix(t, sock)
				transport = "lmtp:unix:" + sock
			}
			pf := startPostfixTransport(t, postfix, startReceiver(t), transport)
			pf.submit(t, "<>", rcpts, raw)

			waitUntil(t, 30*time.Second, pf.maillog, func() bool {
				return strings.Count(pf.maillog(), "status=sent") >= len(rcpts)
			})
			d.stop(t)
			checkLMTPStoredOnce(t, dataDir, rcpts)
		})
	}
}

// postfixReadableDir returns a new directory that the postfix user can
// search, which the 0700 one of t.TempDir is not.
func postfixReadableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "bounced-lmtp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shareSocketWithPostfix gives the socket the postfix user's group, as
// docs/deploy.md has the operator do with a group both users share, and
// checks that bounced made it group-writable.
func shareSocketWithPostfix(t *testing.T, sock string) {
	t.Helper()
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != socketMode {
		t.Errorf("socket mode = %v, want %v", mode, os.FileMode(socketMode))
	}
	pf, err := user.Lookup("postfix")
	if err != nil {
		t.Skipf("skipping: no postfix user: %v", err)
	}
	gid, _ := strconv.Atoi(pf.Gid)
	if err := os.Chown(sock, -1, gid); err != nil {
		t.Fatal(err)
	}
}

// checkLMTPStoredOnce checks that the stopped daemon's database holds one
// message to rcpts and one untrusted event for each recipient of the
// bounce.
func checkLMTPStoredOnce(t *testing.T, dataDir string, rcpts []string) {
	t.Helper()
	st, err := store.Open(filepath.Join(dataDir, "bounced.db"), store.Options{})
	if err != nil {
		t.Fatalf("opening the daemon's database: %v", err)
	}
	defer st.Close()

	msgs, _, err := st.Messages(time.Time{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("stored messages = %d, want 1", len(msgs))
	}
	if got := strings.Join(msgs[0].RcptTo, " "); got != strings.Join(rcpts, " ") {
		t.Errorf("RCPT TO of the stored message = %q, want %q", got, rcpts)
	}
	for _, address := range []string{"dave@example.com", "erin@example.com"} {
		events, err := st.EventsByRecipient(address, 0)
		if err != nil || len(events) != 1 || !events[0].Untrusted {
			t.Errorf("events of %s = %+v (err %v), want one, untrusted", address, events, err)
		}
	}
}

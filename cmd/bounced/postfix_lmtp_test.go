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
				sock = filepath.Join(postfixSocketDir(t), "lmtp.sock")
				args = append(args, "-smtp.listen", sock)
			}
			d := startDaemon(t, dataDir, args...)

			transport := "lmtp:inet:" + d.smtpAddr
			if network == "unix" {
				checkSocketMode(t, sock)
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

// postfixSocketDir returns a new directory for the socket as docs/deploy.md
// has the operator make it: group postfix, setgid so that the socket gets
// that group, and searchable by the group. Postfix's lmtp client runs
// with the postfix group alone, so the socket must have that group.
func postfixSocketDir(t *testing.T) string {
	t.Helper()
	pf, err := user.Lookup("postfix")
	if err != nil {
		t.Skipf("skipping: no postfix user: %v", err)
	}
	gid, _ := strconv.Atoi(pf.Gid)
	dir, err := os.MkdirTemp("", "bounced-lmtp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chown(dir, -1, gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o750|os.ModeSetgid); err != nil {
		t.Fatal(err)
	}
	return dir
}

// checkSocketMode checks that bounced made the socket group-writable,
// which connecting to it needs.
func checkSocketMode(t *testing.T, sock string) {
	t.Helper()
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != socketMode {
		t.Errorf("socket mode = %v, want %v", mode, os.FileMode(socketMode))
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

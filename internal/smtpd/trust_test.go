package smtpd

import (
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/store"
	"github.com/bounced/bounced/internal/verp"
)

var testKeys = verp.Keys{[]byte("test-key-0123456789")}

// aliceBounce is a hard bounce for alice@example.com.
const aliceBounce = bounceHead + "--b--\r\n"

func signedAlice(t *testing.T) string {
	t.Helper()
	addr, err := testKeys.Sign("bounces", "c1", "alice@example.com", "bounces.example.org")
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// aliceEvents returns the events of alice@example.com and whether she is
// suppressed.
func aliceEvents(t *testing.T, st *store.Store) ([]store.Event, bool) {
	t.Helper()
	events, err := st.EventsByRecipient("alice@example.com", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = st.Suppression("alice@example.com")
	return events, err == nil
}

func TestData_SignedVERPTrust(t *testing.T) {
	tests := []struct {
		name       string
		keys       verp.Keys
		rcpt       []string
		untrusted  bool
		suppressed bool
	}{
		{"valid signature", testKeys, []string{"SIGNED"}, false, true},
		{"plain VERP while signing", testKeys, []string{"bounces-c1+alice=example.com@bounces.example.org"}, true, false},
		{"forged signature", testKeys, []string{"bounces-c1=aaaaaaaa+alice=example.com@bounces.example.org"}, true, false},
		{"plain VERP without signing", nil, []string{"bounces+alice=example.com@bounces.example.org"}, false, true},
		{"two recipients", nil, []string{"bounces@bounces.example.org", "other@bounces.example.org"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, st := testServer(t, Config{VERPKeys: tt.keys})
			lines := []string{"EHLO mta.test", "MAIL FROM:<>"}
			for _, rcpt := range tt.rcpt {
				if rcpt == "SIGNED" {
					rcpt = signedAlice(t)
				}
				lines = append(lines, "RCPT TO:<"+rcpt+">")
			}
			lines = append(lines, "DATA", aliceBounce+".")
			replies := dialog(t, addr, lines...)
			if got := replies[len(replies)-1]; !strings.HasPrefix(got, "250 2.0.0 Stored as ") {
				t.Fatalf("reply to DATA = %q, want 250", got)
			}

			events, suppressed := aliceEvents(t, st)
			if len(events) != 1 || events[0].Untrusted != tt.untrusted {
				t.Errorf("events = %+v, want one with Untrusted %v", events, tt.untrusted)
			}
			if suppressed != tt.suppressed {
				t.Errorf("alice@example.com suppressed = %v, want %v", suppressed, tt.suppressed)
			}
		})
	}
}

func TestLMTPData_ReplyPerRecipient(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "lmtp.sock")
	_, addr, st := startServer(t, Config{LMTP: true, VERPKeys: testKeys}, t.TempDir(), "unix", sock)

	conn, err := net.Dial("unix", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("mta.test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("", nil); err != nil {
		t.Fatal(err)
	}
	rcpts := []string{signedAlice(t), "bounces+alice=example.com@bounces.example.org"}
	for _, rcpt := range rcpts {
		if err := c.Rcpt(rcpt, nil); err != nil {
			t.Fatalf("RCPT TO:<%s>: %v", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(aliceBounce))
	responses, err := w.CloseWithLMTPResponse()
	if err != nil {
		t.Fatalf("LMTP data: %v", err)
	}

	seen := map[string]bool{}
	for _, rcpt := range rcpts {
		resp := responses[rcpt]
		want := "2.0.0 <" + rcpt + "> Stored as "
		if resp == nil || !strings.HasPrefix(resp.StatusText, want) {
			t.Fatalf("reply for %s = %+v, want %q and an id", rcpt, resp, want)
		}
		seen[resp.StatusText] = true
	}
	if len(seen) != 2 {
		t.Errorf("replies %v: want a message id per recipient", seen)
	}

	events, suppressed := aliceEvents(t, st)
	if len(events) != 2 || events[0].Untrusted || !events[1].Untrusted {
		t.Errorf("events = %+v, want a trusted one, then an untrusted one", events)
	}
	if !suppressed {
		t.Error("alice@example.com not suppressed by the bounce to her signed address")
	}
}

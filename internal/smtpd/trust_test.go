package smtpd

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestLMTPData_StoresOnce sends one bounce for dave (5.1.1) and erin
// (5.2.2, mailbox full) to three LMTP recipients. Stored once per
// recipient, it would give erin three soft bounces, enough to suppress her.
func TestLMTPData_StoresOnce(t *testing.T) {
	raw, err := os.ReadFile("testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}
	rcpts := []string{"a@bounces.example.org", "c@bounces.example.org", "d@bounces.example.org"}
	for _, network := range []string{"tcp", "unix"} {
		t.Run(network, func(t *testing.T) {
			addr := "127.0.0.1:0"
			if network == "unix" {
				addr = filepath.Join(t.TempDir(), "lmtp.sock")
			}
			_, addr, st := startServer(t, Config{LMTP: true}, t.TempDir(), network, addr)

			responses := sendLMTP(t, network, addr, rcpts, raw)
			msg := checkOneStoredMessage(t, st, rcpts, responses)
			wantPeer := "127.0.0.1:"
			if network == "unix" {
				wantPeer = "unix:" + addr
			}
			if !strings.HasPrefix(msg.RemoteAddr, wantPeer) {
				t.Errorf("stored RemoteAddr = %q, want it to start with %q", msg.RemoteAddr, wantPeer)
			}
			for _, address := range []string{"dave@example.com", "erin@example.com"} {
				checkOneUntrustedEvent(t, st, address)
			}
		})
	}
}

// sendLMTP sends raw from the null sender to rcpts over LMTP and returns
// the reply for each recipient.
func sendLMTP(t *testing.T, network, addr string, rcpts []string, raw []byte) map[string]*smtp.DataResponse {
	t.Helper()
	conn, err := net.Dial(network, addr)
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
	for _, rcpt := range rcpts {
		if err := c.Rcpt(rcpt, nil); err != nil {
			t.Fatalf("RCPT TO:<%s>: %v", rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatal(err)
	}
	responses, err := w.CloseWithLMTPResponse()
	if err != nil {
		t.Fatalf("LMTP data: %v", err)
	}
	return responses
}

// checkOneStoredMessage checks that every recipient got a 250 naming the
// same message and that the store holds that one message, which it
// returns.
func checkOneStoredMessage(t *testing.T, st *store.Store, rcpts []string, responses map[string]*smtp.DataResponse) store.Message {
	t.Helper()
	ids := map[string]bool{}
	for _, rcpt := range rcpts {
		resp := responses[rcpt]
		prefix := "2.0.0 <" + rcpt + "> Stored as "
		if resp == nil || !strings.HasPrefix(resp.StatusText, prefix) {
			t.Fatalf("reply for %s = %+v, want 250 %q and an id", rcpt, resp, prefix)
		}
		ids[strings.TrimPrefix(resp.StatusText, prefix)] = true
	}
	if len(ids) != 1 {
		t.Errorf("message ids in the replies = %v, want one", ids)
	}

	msgs, _, err := st.Messages(time.Time{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("stored messages = %d, want 1", len(msgs))
	}
	return msgs[0]
}

// checkOneUntrustedEvent checks that address has one event, untrusted
// because the envelope had several recipients, and is not suppressed.
func checkOneUntrustedEvent(t *testing.T, st *store.Store, address string) {
	t.Helper()
	events, err := st.EventsByRecipient(address, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("events of %s = %d, want 1", address, len(events))
	}
	if !events[0].Untrusted {
		t.Errorf("event of %s trusted, want untrusted for a message to three recipients", address)
	}
	if s, err := st.Suppression(address); err == nil {
		t.Errorf("%s suppressed (%+v), want not", address, s)
	}
}

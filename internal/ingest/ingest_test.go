package ingest

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bounced/bounced/internal/store"
)

func newTestPipeline(t testing.TB) (*Pipeline, *store.Store, *prometheus.Registry) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "bounced.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	reg := prometheus.NewRegistry()
	return New(st, NewMetrics(reg), slog.New(slog.DiscardHandler)), st, reg
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "cmd", "bounced", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func envelope(rcpt string) Envelope {
	return Envelope{RemoteAddr: "192.0.2.1:25", RcptTo: []string{rcpt}, Received: time.Now()}
}

func TestIngest_AUPCountedNotSuppressed(t *testing.T) {
	p, st, reg := newTestPipeline(t)
	receipt, err := p.Ingest(context.Background(), envelope("bounces@b.example.org"), readFixture(t, "cox-aup.eml"))
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}

	if receipt.Recipients != 1 || receipt.Suppressed != 0 {
		t.Errorf("receipt = %+v, want 1 recipient, 0 suppressed", receipt)
	}
	if _, err := st.Suppression("carol@cox.net"); err == nil {
		t.Error("carol@cox.net suppressed by an AUP#POL rejection")
	}
	events, err := st.EventsByRecipient("carol@cox.net", 0)
	if err != nil || len(events) != 1 {
		t.Fatalf("events of carol@cox.net = %v, %v; want one", events, err)
	}
	ev := events[0]
	if ev.Reason != "policyviolation" || ev.Policy != "aup" || ev.Hard || ev.ReplyCode != 552 || ev.Rule == "" {
		t.Errorf("event = %+v, want policyviolation, aup, soft, 552, a rule id", ev)
	}

	want := `
# HELP bounced_messages_received_total Messages received and stored, parsed or not.
# TYPE bounced_messages_received_total counter
bounced_messages_received_total 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "bounced_messages_received_total"); err != nil {
		t.Error(err)
	}
	aup := prometheus.Labels{"reason": "policyviolation", "hardness": "soft", "policy": "aup", "provider": "cox", "domain": "any"}
	if got := testutil.ToFloat64(p.metrics.bounces.With(aup)); got != 1 {
		t.Errorf("bounces{%v} = %v, want 1", aup, got)
	}
}

func TestIngest_HardBounceSuppressed(t *testing.T) {
	p, st, _ := newTestPipeline(t)
	receipt, err := p.Ingest(context.Background(), envelope("bounces@b.example.org"), readFixture(t, "two-recipients.eml"))
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if receipt.Recipients != 2 || receipt.Suppressed != 1 {
		t.Errorf("receipt = %+v, want 2 recipients, 1 suppressed", receipt)
	}

	sup, err := st.Suppression("dave@example.com")
	if err != nil {
		t.Fatalf("dave@example.com not suppressed: %v", err)
	}
	if sup.Reason != "userunknown" {
		t.Errorf("suppression reason = %q, want userunknown", sup.Reason)
	}
	if _, err := st.Suppression("erin@example.com"); err == nil {
		t.Error("erin@example.com suppressed by a full mailbox")
	}
}

func TestIngest_UnparsableStoredWithError(t *testing.T) {
	p, st, _ := newTestPipeline(t)
	receipt, err := p.Ingest(context.Background(), envelope("bounces@b.example.org"), nil)
	if err != nil {
		t.Fatalf("Ingest of an empty message: %v", err)
	}
	if receipt.ParseError == nil {
		t.Fatal("empty message parsed without error")
	}

	msg, err := st.Message(receipt.MessageID)
	if err != nil {
		t.Fatalf("unparsable message not stored: %v", err)
	}
	if msg.ParseError == "" {
		t.Error("stored message lacks its parse error")
	}
	if got := testutil.ToFloat64(p.metrics.parseFailures); got != 1 {
		t.Errorf("bounced_messages_quarantined_total = %v, want 1", got)
	}
}

func TestIngest_VERPRecipientWhenReportHasNone(t *testing.T) {
	raw := []byte("From: MAILER-DAEMON@example.net\r\nSubject: Delivery failure\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" +
		"Action: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n")
	_, events, err := Analyze(raw, envelope("bounces+alice=example.com@b.example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Recipient != "alice@example.com" {
		t.Errorf("events = %+v, want one for alice@example.com from the VERP address", events)
	}
}

func TestMetrics_Lint(t *testing.T) {
	reg := prometheus.NewRegistry()
	NewMetrics(reg)
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

func TestIngest_SignedReturnPathTrust(t *testing.T) {
	tests := []struct {
		name       string
		verified   string
		suppressed int
		untrusted  []bool // per event: dave@example.com, erin@example.com
	}{
		{"verified recipient suppresses", "Dave@Example.com", 1, []bool{false, true}},
		{"no valid signature suppresses no one", "", 0, []bool{true, true}},
		{"signature for another address", "mallory@example.com", 0, []bool{true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, st, _ := newTestPipeline(t)
			env := envelope("bounces@b.example.org")
			env.RequireVerified = true
			env.VerifiedRecipient = tt.verified
			receipt, err := p.Ingest(context.Background(), env, readFixture(t, "two-recipients.eml"))
			if err != nil {
				t.Fatalf("Ingest: %v", err)
			}
			if receipt.Suppressed != tt.suppressed {
				t.Errorf("suppressed = %d, want %d", receipt.Suppressed, tt.suppressed)
			}
			for i, addr := range []string{"dave@example.com", "erin@example.com"} {
				events, err := st.EventsByRecipient(addr, 0)
				if err != nil || len(events) != 1 {
					t.Fatalf("events of %s = %v, %v; want one", addr, events, err)
				}
				if events[0].Untrusted != tt.untrusted[i] {
					t.Errorf("event of %s untrusted = %v, want %v", addr, events[0].Untrusted, tt.untrusted[i])
				}
			}
		})
	}
}

// campaignBounce is a Postfix-style DSN whose returned message carries a
// campaign id.
const campaignBounce = `From: MAILER-DAEMON@mx.example.org
To: bounces@b.example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=b

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; gone@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.net>: Recipient address rejected

--b
Content-Type: text/rfc822-headers

From: news@b.example.org
To: gone@example.net
Subject: Spring sale
Message-ID: <spring-1@b.example.org>
X-Campaign-ID: spring-2026

--b--
`

func TestIngest_ExtraHeadersStored(t *testing.T) {
	p, st, _ := newTestPipeline(t)
	p.ParseOptions.ExtraHeaders = []string{"x-campaign-id", "X-List-ID"}
	if _, err := p.Ingest(context.Background(), envelope("bounces@b.example.org"), []byte(campaignBounce)); err != nil {
		t.Fatalf("Ingest: %v", err)
	}

	events, err := st.EventsByRecipient("gone@example.net", 0)
	if err != nil || len(events) != 1 {
		t.Fatalf("events of gone@example.net = %v, %v; want one", events, err)
	}
	got := events[0].OriginalHeaders
	if len(got) != 1 || got["x-campaign-id"] != "spring-2026" {
		t.Errorf("original headers = %q, want only x-campaign-id: spring-2026", got)
	}
}

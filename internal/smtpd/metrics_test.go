package smtpd

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics_RejectionsCountedByCode(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	addr, _ := testServer(t, Config{Domains: []string{"bounces.example.org"}, Metrics: m})

	dialog(t, addr, "EHLO mta.test", "MAIL FROM:<>",
		"RCPT TO:<x@elsewhere.example>", "RCPT TO:<y@elsewhere.example>", "RCPT TO:<b@bounces.example.org>", "QUIT")

	want := map[string]float64{"550": 2, "501": 0, "452": 0, "other": 0}
	for code, n := range want {
		if got := testutil.ToFloat64(m.rejections.WithLabelValues(code)); got != n {
			t.Errorf("bounced_smtp_rejections_total{code=%q} = %v, want %v", code, got, n)
		}
	}
}

func TestMetrics_SessionsOpen(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	addr, _ := testServer(t, Config{Metrics: m})

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	readReply(t, r)
	if got := testutil.ToFloat64(m.sessionsOpen); got != 1 {
		t.Errorf("bounced_smtp_sessions_open = %v with one session, want 1", got)
	}

	fmt.Fprintf(conn, "QUIT\r\n")
	readReply(t, r)
	conn.Close()
	waitFor(t, func() bool { return testutil.ToFloat64(m.sessionsOpen) == 0 })
}

// waitFor polls cond until it holds, failing the test after 10 seconds.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRejectionLabel(t *testing.T) {
	tests := map[int]string{550: "550", 421: "421", 452: "452", 530: "other"}
	for code, want := range tests {
		if got := rejectionLabel(code); got != want {
			t.Errorf("rejectionLabel(%d) = %q, want %q", code, got, want)
		}
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

func TestMetrics_RejectedConnectionCounted(t *testing.T) {
	reg := prometheus.NewRegistry()
	log := testLogger(t)
	srv, err := New(Config{MaxConnectionsPerIP: 1, Metrics: NewMetrics(reg)}, nil, log)
	if err != nil {
		t.Fatal(err)
	}
	addr := serveLoopback(t, srv)

	openSession(t, addr)
	s := openSession(t, addr)
	s.expectClosed()

	want := `
# HELP bounced_smtp_connections_rejected_total Connections rejected with 421 by the connection limit: total or per_ip.
# TYPE bounced_smtp_connections_rejected_total counter
bounced_smtp_connections_rejected_total{limit="per_ip"} 1
bounced_smtp_connections_rejected_total{limit="total"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "bounced_smtp_connections_rejected_total"); err != nil {
		t.Error(err)
	}
}

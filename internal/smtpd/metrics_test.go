package smtpd

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestMetrics_Lint(t *testing.T) {
	reg := prometheus.NewRegistry()
	newMetrics(reg)
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
	srv, err := New(Config{MaxConnectionsPerIP: 1, Registerer: reg}, nil, log)
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

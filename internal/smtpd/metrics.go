package smtpd

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons a message is suspicious, the values of the reason label.
const (
	suspectUnverified = "unverified_return_path" // signing is on and no recipient's signature verified
	suspectRecipients = "multiple_recipients"    // a bounce goes to one return path
	suspectNoReport   = "no_report"              // no recipient could be read from the message
)

// metrics are the listener's Prometheus series.
type metrics struct {
	connectionsOpen     prometheus.Gauge
	connectionsRejected *prometheus.CounterVec
	suspicious          *prometheus.CounterVec
	keptShort           prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	f := promauto.With(reg)
	m := &metrics{
		connectionsOpen: f.NewGauge(prometheus.GaugeOpts{
			Name: "bounced_smtp_connections_open",
			Help: "SMTP or LMTP connections open now.",
		}),
		connectionsRejected: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_smtp_connections_rejected_total",
			Help: "Connections rejected with 421 by the connection limit: total or per_ip.",
		}, []string{"limit"}),
		suspicious: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_smtp_suspicious_messages_total",
			Help: "Stored messages treated as possible backscatter or forgery, by reason: unverified_return_path, multiple_recipients, no_report.",
		}, []string{"reason"}),
		keptShort: f.NewCounter(prometheus.CounterOpts{
			Name: "bounced_smtp_messages_kept_short_total",
			Help: "Messages cut at min_keep_bytes instead of keep_bytes because max_buffered_bytes was in use.",
		}),
	}
	for _, limit := range []string{"total", "per_ip"} {
		m.connectionsRejected.WithLabelValues(limit)
	}
	for _, reason := range []string{suspectUnverified, suspectRecipients, suspectNoReport} {
		m.suspicious.WithLabelValues(reason)
	}
	return m
}

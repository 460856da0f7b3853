package ingest

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/dsn"
)

// Metrics are the pipeline's Prometheus series. Every label takes values
// from a closed set: reasons, hardness, policy kinds and report kinds.
type Metrics struct {
	messagesReceived prometheus.Counter
	parseFailures    prometheus.Counter
	reports          *prometheus.CounterVec
	bounces          *prometheus.CounterVec
	commitDuration   prometheus.Histogram
}

// NewMetrics registers the pipeline's series on reg and starts every known
// label combination at zero, so that rate() works from the first scrape.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		messagesReceived: f.NewCounter(prometheus.CounterOpts{
			Name: "bounced_messages_received_total",
			Help: "Messages received and stored, parsed or not.",
		}),
		parseFailures: f.NewCounter(prometheus.CounterOpts{
			Name: "bounced_messages_unparsed_total",
			Help: "Messages stored with a parse error, kept for reprocessing.",
		}),
		reports: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_reports_total",
			Help: "Parsed messages by report kind: failure, delay, delivered, complaint, auto_reply, not_bounce.",
		}, []string{"kind"}),
		bounces: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_bounces_total",
			Help: "Recipients reported by bounces, by reason, hardness (hard, soft) and policy kind (none, aup, blocklist, reputation, auth, ptr, rate_limit, content).",
		}, []string{"reason", "hardness", "policy"}),
		commitDuration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "bounced_store_commit_duration_seconds",
			Help:    "Time from handing a message to the store to its commit being on disk.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
	}
	m.initLabels()
	return m
}

func (m *Metrics) initLabels() {
	for _, kind := range []dsn.Kind{dsn.KindFailure, dsn.KindDelay, dsn.KindDelivered, dsn.KindComplaint, dsn.KindAutoReply, dsn.KindNotBounce} {
		m.reports.WithLabelValues(string(kind))
	}
	for _, reason := range classify.Reasons {
		for _, hard := range []bool{true, false} {
			m.bounces.With(bounceLabels(string(reason), hard, ""))
		}
	}
	for _, policy := range classify.Policies {
		m.bounces.With(bounceLabels(string(classify.PolicyViolation), false, string(policy)))
	}
}

func bounceLabels(reason string, hard bool, policy string) prometheus.Labels {
	return prometheus.Labels{"reason": reason, "hardness": hardness(hard), "policy": policyLabel(policy)}
}

package ingest

import (
	"github.com/bounced/bounced/internal/dsn"
	"github.com/bounced/bounced/internal/store"
)

// count updates the metrics for a committed message.
func (p *Pipeline) count(report *dsn.Report, events []store.Event, parseErr error) {
	m := p.metrics
	m.messagesReceived.Inc()
	if parseErr != nil {
		m.parseFailures.Inc()
		return
	}

	m.reports.WithLabelValues(string(report.Kind)).Inc()
	for _, ev := range events {
		m.bounces.With(bounceLabels(ev.Reason, ev.Hard, ev.Policy)).Inc()
	}
}

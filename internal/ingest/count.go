package ingest

import (
	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/dsn"
	"github.com/bounced/bounced/internal/store"
)

// count updates the metrics for a committed message.
func (p *Pipeline) count(report *dsn.Report, events []store.Event, env Envelope, parseErr error) {
	m := p.metrics
	m.messagesReceived.Inc()
	if parseErr != nil {
		m.parseFailures.Inc()
		return
	}

	m.reports.WithLabelValues(string(report.Kind)).Inc()
	domain := m.domainLabel(env.RcptTo)
	for _, ev := range events {
		verdict := classify.Verdict{Reason: classify.Reason(ev.Reason), Policy: classify.Policy(ev.Policy), Hard: ev.Hard}
		provider := providerLabel(ev.Provider)
		m.bounces.With(bounceLabels(verdict, classify.Provider(provider), domain)).Inc()
		m.ruleHits.WithLabelValues(ruleLabel(ev.Rule)).Inc()
	}
	p.countKind(report, events)
}

// countKind counts complaints and automatic replies by provider. A report
// without recipients still counts once, under "other".
func (p *Pipeline) countKind(report *dsn.Report, events []store.Event) {
	m := p.metrics
	providers := []string{string(classify.ProviderOther)}
	if len(events) > 0 {
		providers = providers[:0]
		for _, ev := range events {
			providers = append(providers, providerLabel(ev.Provider))
		}
	}

	for _, provider := range providers {
		switch report.Kind {
		case dsn.KindComplaint:
			m.complaints.WithLabelValues(provider, feedbackLabel(report.FeedbackType)).Inc()
		case dsn.KindAutoReply:
			m.autoReplies.WithLabelValues(provider).Inc()
		}
	}
}

package smtpd

import (
	"errors"
	"strconv"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the listener's Prometheus series. A nil *Metrics counts
// nothing.
type Metrics struct {
	sessionsOpen prometheus.Gauge
	rejections   *prometheus.CounterVec
}

// RejectionCodes are the reply codes the listener rejects a command with,
// and the values of the code label. Any other 4xx or 5xx code counts as
// "other".
//
// NOTE: only the replies of the session's MAIL, RCPT and DATA handlers are
// counted. Replies go-smtp sends by itself, such as 501 for a malformed
// address or 452 past MaxRecipients, are not.
var RejectionCodes = []string{"421", "450", "451", "452", "501", "550", "552", "554", "other"}

// NewMetrics registers the listener's series on reg, every rejection code
// at zero.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		sessionsOpen: f.NewGauge(prometheus.GaugeOpts{
			Name: "bounced_smtp_sessions_open",
			Help: "SMTP connections open now.",
		}),
		rejections: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_smtp_rejections_total",
			Help: "MAIL, RCPT and DATA commands rejected with a 4xx or 5xx reply, by reply code.",
		}, []string{"code"}),
	}
	for _, code := range RejectionCodes {
		m.rejections.WithLabelValues(code)
	}
	return m
}

func (m *Metrics) sessionOpened() {
	if m != nil {
		m.sessionsOpen.Inc()
	}
}

func (m *Metrics) sessionClosed() {
	if m != nil {
		m.sessionsOpen.Dec()
	}
}

// countReply counts the reply a session method returned when it is a
// rejection: an *smtp.SMTPError with a 4xx or 5xx code.
func (m *Metrics) countReply(err error) {
	var reply *smtp.SMTPError
	if m == nil || !errors.As(err, &reply) || reply.Code < 400 {
		return
	}
	m.rejections.WithLabelValues(rejectionLabel(reply.Code)).Inc()
}

func rejectionLabel(code int) string {
	label := strconv.Itoa(code)
	for _, known := range RejectionCodes {
		if label == known {
			return label
		}
	}
	return "other"
}

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
	sessionsOpen        prometheus.Gauge
	rejections          *prometheus.CounterVec
	connectionsRejected *prometheus.CounterVec
	suspicious          *prometheus.CounterVec
	keptShort           prometheus.Counter
}

// RejectionCodes are the reply codes the listener rejects a command with,
// and the values of the code label. Any other 4xx or 5xx code counts as
// "other".
//
// NOTE: only the replies of the session's MAIL, RCPT and DATA handlers are
// counted. Replies go-smtp sends by itself, such as 501 for a malformed
// address or 452 past MaxRecipients, are not.
var RejectionCodes = []string{"421", "450", "451", "452", "501", "550", "552", "554", "other"}

// connectionLimits are the values of the limit label.
var connectionLimits = []string{"total", "per_ip"}

// Causes for suspicion of a message, the values of the cause label.
const (
	suspectUnverified = "unverified_return_path" // signing is on and no recipient's signature verified
	suspectRecipients = "multiple_recipients"    // a bounce goes to one return path
	suspectNoReport   = "no_report"              // no recipient could be read from the message
)

// NewMetrics registers the listener's series on reg, every label value at
// zero.
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
		connectionsRejected: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_smtp_connections_rejected_total",
			Help: "Connections rejected with 421 by the connection limit: total or per_ip.",
		}, []string{"limit"}),
		suspicious: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_smtp_suspicious_messages_total",
			Help: "Stored messages treated as possible backscatter or forgery, by cause: unverified_return_path, multiple_recipients, no_report.",
		}, []string{"cause"}),
		keptShort: f.NewCounter(prometheus.CounterOpts{
			Name: "bounced_smtp_messages_kept_short_total",
			Help: "Messages cut at min_keep_bytes instead of keep_bytes because max_buffered_bytes was in use.",
		}),
	}
	m.initLabels()
	return m
}

func (m *Metrics) initLabels() {
	for _, code := range RejectionCodes {
		m.rejections.WithLabelValues(code)
	}
	for _, limit := range connectionLimits {
		m.connectionsRejected.WithLabelValues(limit)
	}
	for _, cause := range []string{suspectUnverified, suspectRecipients, suspectNoReport} {
		m.suspicious.WithLabelValues(cause)
	}
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

func (m *Metrics) connectionRejected(limit string) {
	if m != nil {
		m.connectionsRejected.WithLabelValues(limit).Inc()
	}
}

func (m *Metrics) suspect(cause string) {
	if m != nil {
		m.suspicious.WithLabelValues(cause).Inc()
	}
}

func (m *Metrics) messageKeptShort() {
	if m != nil {
		m.keptShort.Inc()
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

package ingest

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/dsn"
)

// Metrics are the pipeline's Prometheus series. Every label takes values
// from a closed set, and every known value starts at zero so that rate()
// and alerts work from the first scrape. docs/metrics.md lists the series
// and their cardinality.
type Metrics struct {
	messagesReceived prometheus.Counter
	parseFailures    prometheus.Counter
	reports          *prometheus.CounterVec
	bounces          *prometheus.CounterVec
	complaints       *prometheus.CounterVec
	autoReplies      *prometheus.CounterVec
	ruleHits         *prometheus.CounterVec
	parseDuration    prometheus.Histogram
	classifyDuration prometheus.Histogram
	commitDuration   prometheus.Histogram

	// domains are the values of the domain label: the configured bounce
	// domains, or domainAny when every domain is accepted.
	domains []string
}

// Label values that stand for a value outside a closed set.
const (
	domainAny     = "any"  // the listener accepts every recipient domain
	ruleNone      = "none" // no rule matched
	feedbackOther = "other"
)

// FeedbackTypes are the Feedback-Type values of RFC 5965 section 7.3 and
// its updates (not-spam from RFC 6650, auth-failure from RFC 6591). Any
// other value, and a complaint without one, counts as "other".
var FeedbackTypes = []string{"abuse", "auth-failure", "fraud", "not-spam", "virus", feedbackOther}

// NewMetrics registers the pipeline's series on reg and starts every known
// label combination at zero. bounceDomains are the domains the SMTP
// listener accepts, and the values of the domain label. That label stands
// for the sending domain, because each sending domain needs a Return-Path
// domain of its own to pass DMARC alignment.
func NewMetrics(reg prometheus.Registerer, bounceDomains ...string) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		messagesReceived: f.NewCounter(prometheus.CounterOpts{
			Name: "bounced_messages_received_total",
			Help: "Messages received and stored, parsed or not.",
		}),
		parseFailures: f.NewCounter(prometheus.CounterOpts{
			Name: "bounced_messages_quarantined_total",
			Help: "Messages stored with a parse error, kept for reprocessing.",
		}),
		reports: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_reports_total",
			Help: "Parsed messages by report kind: failure, delay, delivered, complaint, auto_reply, not_bounce.",
		}, []string{"kind"}),
		bounces: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_bounces_total",
			Help: "Recipients reported by bounces, by reason, hardness (hard, soft), policy kind (none, aup, blocklist, reputation, auth, ptr, rate_limit, content), provider and bounce domain.",
		}, []string{"reason", "hardness", "policy", "provider", "domain"}),
		complaints: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_complaints_total",
			Help: "Recipients reported by complaints (feedback reports), by provider and feedback type (abuse, auth-failure, fraud, not-spam, virus, other).",
		}, []string{"provider", "feedback_type"}),
		autoReplies: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_auto_replies_total",
			Help: "Automatic replies (vacation, out of office) received, by provider.",
		}, []string{"provider"}),
		ruleHits: f.NewCounterVec(prometheus.CounterOpts{
			Name: "bounced_rule_hits_total",
			Help: "Classified recipients by the id of the rule that decided them; none when no rule matched.",
		}, []string{"rule"}),
		parseDuration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "bounced_parse_duration_seconds",
			Help:    "Time to parse one message into a report.",
			Buckets: []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25},
		}),
		classifyDuration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "bounced_classify_duration_seconds",
			Help:    "Time to classify all recipients of one parsed message.",
			Buckets: []float64{.000005, .00001, .000025, .00005, .0001, .00025, .0005, .001, .0025, .005, .01},
		}),
		commitDuration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "bounced_store_commit_duration_seconds",
			Help:    "Time from handing a message to the store to its commit being on disk.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		domains: domainValues(bounceDomains),
	}
	m.initLabels()
	return m
}

func domainValues(bounceDomains []string) []string {
	if len(bounceDomains) == 0 {
		return []string{domainAny}
	}
	domains := make([]string, len(bounceDomains))
	for i, d := range bounceDomains {
		domains[i] = strings.ToLower(d)
	}
	return domains
}

// initLabels creates every series the rule table and the closed sets can
// produce, at zero. bounced_bounces_total gets only the combinations of
// reason, policy kind and hardness that some rule yields, which keeps it
// near 50 combinations per provider and domain instead of the full product.
func (m *Metrics) initLabels() {
	for _, kind := range []dsn.Kind{dsn.KindFailure, dsn.KindDelay, dsn.KindDelivered, dsn.KindComplaint, dsn.KindAutoReply, dsn.KindNotBounce} {
		m.reports.WithLabelValues(string(kind))
	}
	for _, provider := range classify.Providers {
		for _, v := range classify.Verdicts() {
			for _, domain := range m.domains {
				m.bounces.With(bounceLabels(v, provider, domain))
			}
		}
		for _, feedback := range FeedbackTypes {
			m.complaints.WithLabelValues(string(provider), feedback)
		}
		m.autoReplies.WithLabelValues(string(provider))
	}
	for _, id := range classify.RuleIDs() {
		m.ruleHits.WithLabelValues(id)
	}
	m.ruleHits.WithLabelValues(ruleNone)
}

func bounceLabels(v classify.Verdict, provider classify.Provider, domain string) prometheus.Labels {
	return prometheus.Labels{
		"reason":   string(v.Reason),
		"hardness": hardness(v.Hard),
		"policy":   policyLabel(string(v.Policy)),
		"provider": providerLabel(string(provider)),
		"domain":   domain,
	}
}

// domainLabel returns the domain label of a message sent to rcptTo: the
// domain of its first recipient in a configured bounce domain.
func (m *Metrics) domainLabel(rcptTo []string) string {
	if len(m.domains) == 1 && m.domains[0] == domainAny {
		return domainAny
	}
	for _, to := range rcptTo {
		_, domain, _ := strings.Cut(to, "@")
		domain = strings.ToLower(strings.TrimSuffix(domain, ">"))
		if slices.Contains(m.domains, domain) {
			return domain
		}
	}
	// NOTE: the SMTP listener rejects other domains, so only an import of
	// mail sent elsewhere gets here. It counts under the first domain, so
	// that no series outside the closed set appears.
	return m.domains[0]
}

// providerLabel maps a provider outside classify.Providers, such as the
// empty provider of an event stored before providers were detected, to
// "other".
func providerLabel(provider string) string {
	if slices.Contains(classify.Providers, classify.Provider(provider)) {
		return provider
	}
	return string(classify.ProviderOther)
}

func feedbackLabel(feedbackType string) string {
	if slices.Contains(FeedbackTypes, feedbackType) {
		return feedbackType
	}
	return feedbackOther
}

func ruleLabel(rule string) string {
	if rule == "" {
		return ruleNone
	}
	return rule
}

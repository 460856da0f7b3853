package ingest

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bounced/bounced/internal/classify"
)

// seriesCount returns the number of series of each metric family in reg.
func seriesCount(t *testing.T, reg *prometheus.Registry) map[string]int {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := make(map[string]int)
	for _, mf := range families {
		counts[mf.GetName()] = len(mf.GetMetric())
	}
	return counts
}

func TestMetrics_LabelsStartAtZero(t *testing.T) {
	reg := prometheus.NewRegistry()
	NewMetrics(reg, "bounces.example.org", "B.example.net")
	counts := seriesCount(t, reg)

	providers := len(classify.Providers)
	want := map[string]int{
		"bounced_reports_total":      6,
		"bounced_bounces_total":      len(classify.Verdicts()) * providers * 2,
		"bounced_complaints_total":   len(FeedbackTypes) * providers,
		"bounced_auto_replies_total": providers,
		"bounced_rule_hits_total":    len(classify.RuleIDs()) + 1,
	}
	for name, n := range want {
		if counts[name] != n {
			t.Errorf("%s has %d series at start, want %d", name, counts[name], n)
		}
	}
}

func TestMetrics_AUPSeriesAtZero(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry(), "B.example.net")
	aup := prometheus.Labels{"reason": "policyviolation", "hardness": "soft", "policy": "aup", "provider": "cox", "domain": "b.example.net"}
	before := testutil.CollectAndCount(m.bounces)
	if got := testutil.ToFloat64(m.bounces.With(aup)); got != 0 {
		t.Errorf("bounces{%v} = %v at start, want 0", aup, got)
	}
	// With creates a missing series, so the count shows whether it existed.
	if after := testutil.CollectAndCount(m.bounces); after != before {
		t.Errorf("bounces{%v} did not exist at start: %d series before, %d after", aup, before, after)
	}
}

func TestMetrics_DomainLabel(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry(), "bounces.example.org", "b.example.net")
	tests := []struct {
		rcptTo []string
		want   string
	}{
		{[]string{"x@B.Example.NET"}, "b.example.net"},
		{[]string{"<x@b.example.net>"}, "b.example.net"},
		{[]string{"x@elsewhere.example", "y@b.example.net"}, "b.example.net"},
		{[]string{"x@elsewhere.example"}, "bounces.example.org"},
		{nil, "bounces.example.org"},
	}
	for _, tt := range tests {
		if got := m.domainLabel(tt.rcptTo); got != tt.want {
			t.Errorf("domainLabel(%q) = %q, want %q", tt.rcptTo, got, tt.want)
		}
	}

	any := NewMetrics(prometheus.NewRegistry())
	if got := any.domainLabel([]string{"x@b.example.net"}); got != "any" {
		t.Errorf("domainLabel without bounce domains = %q, want any", got)
	}
}

func TestIngest_ComplaintCounted(t *testing.T) {
	p, _, _ := newTestPipeline(t)
	raw := []byte("From: fbl@example.net\r\nSubject: complaint\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=feedback-report; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nA complaint\r\n" +
		"--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: x/1\r\nVersion: 1\r\n" +
		"Original-Rcpt-To: <frank@example.com>\r\n\r\n" +
		"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: news@example.org\r\nTo: frank@example.com\r\n\r\n--b--\r\n")
	if _, err := p.Ingest(context.Background(), envelope("fbl@b.example.org"), raw); err != nil {
		t.Fatal(err)
	}

	if got := testutil.ToFloat64(p.metrics.complaints.WithLabelValues("other", "abuse")); got != 1 {
		t.Errorf("bounced_complaints_total{other,abuse} = %v, want 1", got)
	}
	if got := testutil.ToFloat64(p.metrics.reports.WithLabelValues("complaint")); got != 1 {
		t.Errorf("bounced_reports_total{complaint} = %v, want 1", got)
	}
}

func TestIngest_DurationsAndRuleHitsObserved(t *testing.T) {
	p, _, reg := newTestPipeline(t)
	if _, err := p.Ingest(context.Background(), envelope("bounces@b.example.org"), readFixture(t, "cox-aup.eml")); err != nil {
		t.Fatal(err)
	}

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	observed := map[string]uint64{}
	for _, mf := range families {
		if h := mf.GetMetric()[0].GetHistogram(); h != nil {
			observed[mf.GetName()] = h.GetSampleCount()
		}
	}
	for _, name := range []string{"bounced_parse_duration_seconds", "bounced_classify_duration_seconds", "bounced_store_commit_duration_seconds"} {
		if observed[name] != 1 {
			t.Errorf("%s has %d observations, want 1", name, observed[name])
		}
	}
	if got := testutil.ToFloat64(p.metrics.ruleHits.WithLabelValues("cox-aup-pol")); got != 1 {
		t.Errorf("bounced_rule_hits_total{rule=cox-aup-pol} = %v, want 1", got)
	}
}

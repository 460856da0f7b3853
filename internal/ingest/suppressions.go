package ingest

import (
	"slices"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bounced/bounced/internal/classify"
)

// SuppressionCounter is the part of the store that SuppressionCollector
// reads.
type SuppressionCounter interface {
	SuppressionsByReason() (map[string]int, error)
}

// SuppressionCollector exports the size of the suppression list by reason,
// read from the store at each scrape, so that the value is right after a
// restart and after entries are removed or expire.
type SuppressionCollector struct {
	store SuppressionCounter
	desc  *prometheus.Desc
}

// NewSuppressionCollector returns a collector reading st. Register it on
// the registry that /metrics serves.
func NewSuppressionCollector(st SuppressionCounter) *SuppressionCollector {
	return &SuppressionCollector{
		store: st,
		desc: prometheus.NewDesc("bounced_suppressions",
			"Entries on the suppression list, by the reason that suppressed them; other for a reason outside the classifier's set.",
			[]string{"reason"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *SuppressionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.desc
}

// Collect implements prometheus.Collector. Every reason is sent, zero
// included. A failed read fails the scrape, because a missing list size
// would read as an empty list.
func (c *SuppressionCollector) Collect(ch chan<- prometheus.Metric) {
	counts, err := c.store.SuppressionsByReason()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}

	byLabel := make(map[string]int, len(classify.Reasons)+1)
	for reason, n := range counts {
		byLabel[reasonLabel(reason)] += n
	}
	for _, reason := range classify.Reasons {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(byLabel[string(reason)]), string(reason))
	}
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(byLabel[reasonOther]), reasonOther)
}

// reasonOther is the label value of a suppression whose reason is outside
// classify.Reasons, such as a manual entry.
const reasonOther = "other"

func reasonLabel(reason string) string {
	if slices.Contains(classify.Reasons, classify.Reason(reason)) {
		return reason
	}
	return reasonOther
}

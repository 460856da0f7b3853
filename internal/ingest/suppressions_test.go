package ingest

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bounced/bounced/internal/classify"
)

func TestSuppressionCollector_ReadsStore(t *testing.T) {
	p, st, _ := newTestPipeline(t)
	if _, err := p.Ingest(context.Background(), envelope("bounces@b.example.org"), readFixture(t, "two-recipients.eml")); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewSuppressionCollector(st))

	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(families) != 1 || families[0].GetName() != "bounced_suppressions" {
		t.Fatalf("gathered %d families, want bounced_suppressions only", len(families))
	}
	values := make(map[string]float64)
	for _, m := range families[0].GetMetric() {
		values[m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
	}

	if len(values) != len(classify.Reasons)+1 {
		t.Errorf("%d reason series, want %d: every reason and other", len(values), len(classify.Reasons)+1)
	}
	want := map[string]float64{"userunknown": 1, "mailboxfull": 0, "other": 0}
	for reason, n := range want {
		if got, ok := values[reason]; !ok || got != n {
			t.Errorf("bounced_suppressions{reason=%q} = %v (present %v), want %v", reason, got, ok, n)
		}
	}
}

func TestSuppressionCollector_ReadErrorFailsScrape(t *testing.T) {
	_, st, _ := newTestPipeline(t)
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewSuppressionCollector(st))
	st.Close()

	if _, err := reg.Gather(); err == nil {
		t.Error("Gather from a closed store succeeded, want its error")
	}
}

func TestReasonLabel(t *testing.T) {
	tests := map[string]string{"userunknown": "userunknown", "manual": "other", "": "other"}
	for reason, want := range tests {
		if got := reasonLabel(reason); got != want {
			t.Errorf("reasonLabel(%q) = %q, want %q", reason, got, want)
		}
	}
}

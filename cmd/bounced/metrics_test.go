package main

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// exposition returns the text exposition of a fresh daemon's /metrics and
// its metric families.
func exposition(t *testing.T) ([]byte, map[string]*dto.MetricFamily) {
	t.Helper()
	return startDaemon(t, t.TempDir()).scrape(t)
}

// scrape returns the text exposition of the daemon's /metrics and its
// metric families.
func (d *daemon) scrape(t *testing.T) ([]byte, map[string]*dto.MetricFamily) {
	t.Helper()
	status, body := d.get(t, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("/metrics status %d", status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parsing /metrics: %v", err)
	}
	return body, families
}

func TestMetrics_PromtoolCheck(t *testing.T) {
	promtool := requireTool(t, "promtool", "/usr/bin/promtool")
	body, _ := exposition(t)

	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// catalogueEntry is one row of the table in docs/metrics.md.
type catalogueEntry struct {
	typ    string
	labels []string
}

var catalogueRow = regexp.MustCompile("^\\| `(bounced_[a-z_]+)` \\| ([a-z]+) \\|([a-z_, ]*)\\|")

// readCatalogue returns the metric table of docs/metrics.md by name.
func readCatalogue(t *testing.T) map[string]catalogueEntry {
	t.Helper()
	f, err := os.Open("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	entries := make(map[string]catalogueEntry)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := catalogueRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var labels []string
		for l := range strings.SplitSeq(m[3], ",") {
			if l = strings.TrimSpace(l); l != "" {
				labels = append(labels, l)
			}
		}
		slices.Sort(labels)
		entries[m[1]] = catalogueEntry{typ: m[2], labels: labels}
	}
	if len(entries) == 0 {
		t.Fatal("docs/metrics.md has no catalogue rows")
	}
	return entries
}

func TestMetrics_CatalogueMatchesExposition(t *testing.T) {
	catalogue := readCatalogue(t)
	_, families := exposition(t)

	for name, want := range catalogue {
		mf, ok := families[name]
		if !ok {
			t.Errorf("%s is in docs/metrics.md but not exposed", name)
			continue
		}
		if got := strings.ToLower(mf.GetType().String()); got != want.typ {
			t.Errorf("%s: type %s, docs say %s", name, got, want.typ)
		}
		if got := labelNames(mf); !slices.Equal(got, want.labels) {
			t.Errorf("%s: labels %v, docs say %v", name, got, want.labels)
		}
	}
	for name := range families {
		if _, ok := catalogue[name]; strings.HasPrefix(name, "bounced_") && !ok {
			t.Errorf("%s is exposed but missing from docs/metrics.md", name)
		}
	}
}

// labelNames returns the sorted label names of a family's series, without
// the le label of histogram buckets.
func labelNames(mf *dto.MetricFamily) []string {
	var names []string
	for _, m := range mf.GetMetric() {
		for _, l := range m.GetLabel() {
			if !slices.Contains(names, l.GetName()) {
				names = append(names, l.GetName())
			}
		}
	}
	slices.Sort(names)
	return names
}

package main

import (
	"bufio"
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/bounced/bounced/internal/classify"
)

// seriesRow is a row of the series count table in docs/metrics.md: the
// metric and the expression of its series count, before any ':'.
var seriesRow = regexp.MustCompile("^\\| `(bounced_[a-z_]+)` \\| ([^|:]+?)(?::[^|]*)? \\|$")

// seriesVariable is a variable of that table whose value the doc states,
// such as "- `P` = 21".
var seriesVariable = regexp.MustCompile("^- `([A-Z])` = ([0-9]+)")

// readSeriesTable returns the series count expressions of docs/metrics.md
// by metric, and the variables whose values it states.
func readSeriesTable(t *testing.T) (map[string]string, map[string]int) {
	t.Helper()
	raw, err := os.ReadFile("../../docs/metrics.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "## Series count\n")
	if !ok {
		t.Fatal("docs/metrics.md has no Series count section")
	}
	section, _, _ = strings.Cut(section, "\n## ")

	exprs := make(map[string]string)
	stated := make(map[string]int)
	sc := bufio.NewScanner(strings.NewReader(section))
	for sc.Scan() {
		if m := seriesRow.FindStringSubmatch(sc.Text()); m != nil {
			exprs[m[1]] = m[2]
		}
		if m := seriesVariable.FindStringSubmatch(sc.Text()); m != nil {
			stated[m[1]], _ = strconv.Atoi(m[2])
		}
	}
	if len(exprs) == 0 {
		t.Fatal("docs/metrics.md has no series count rows")
	}
	return exprs, stated
}

// evalSeries evaluates a sum of products of numbers and variables, such
// as "V × P × D" or "R + 1".
func evalSeries(t *testing.T, expr string, vars map[string]int) int {
	t.Helper()
	sum := 0
	for term := range strings.SplitSeq(expr, "+") {
		product := 1
		for factor := range strings.SplitSeq(term, "×") {
			factor = strings.TrimSpace(factor)
			n, err := strconv.Atoi(factor)
			if v, ok := vars[factor]; ok {
				n, err = v, nil
			}
			if err != nil {
				t.Fatalf("series count %q: %q is neither a number nor a variable", expr, factor)
			}
			product *= n
		}
		sum += product
	}
	return sum
}

// countSeries returns the number of series of each metric family in the
// text exposition body, a histogram's buckets, sum and count included.
func countSeries(body []byte, families map[string]*dto.MetricFamily) map[string]int {
	counts := make(map[string]int)
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name := line[:strings.IndexAny(line, "{ ")]
		if _, ok := families[name]; !ok {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if base, found := strings.CutSuffix(name, suffix); found && families[base] != nil {
					name = base
				}
			}
		}
		counts[name]++
	}
	return counts
}

func TestMetrics_SeriesCountsInDocs(t *testing.T) {
	exprs, stated := readSeriesTable(t)
	// startDaemon configures one bounce domain.
	vars := map[string]int{
		"P": len(classify.Providers),
		"D": 1,
		"V": len(classify.Verdicts()),
		"R": len(classify.RuleIDs()),
	}
	if len(stated) == 0 {
		t.Error("docs/metrics.md states no variable of the series count")
	}
	for name, value := range stated {
		if value != vars[name] {
			t.Errorf("docs/metrics.md says %s = %d, the program has %d", name, value, vars[name])
		}
	}

	body, families := exposition(t)
	counts := countSeries(body, families)
	for metric, expr := range exprs {
		if want := evalSeries(t, expr, vars); counts[metric] != want {
			t.Errorf("%s: %d series exposed, docs/metrics.md says %q, which is %d", metric, counts[metric], expr, want)
		}
	}
	for metric := range counts {
		if _, ok := exprs[metric]; strings.HasPrefix(metric, "bounced_") && !ok {
			t.Errorf("%s is exposed but has no row in the series count of docs/metrics.md", metric)
		}
	}
}

package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/prometheus/promql/parser"
	"go.yaml.in/yaml/v3"
)

const (
	rulesFile     = "../../deploy/prometheus/bounced.rules.yml"
	rulesTestFile = "../../deploy/prometheus/bounced.rules.test.yml"
	dashboardFile = "../../deploy/grafana/bounced.json"
)

func TestDeploy_PromtoolChecksRules(t *testing.T) {
	promtool := requireTool(t, "promtool", "/usr/bin/promtool")
	if out, err := exec.Command(promtool, "check", "rules", rulesFile).CombinedOutput(); err != nil {
		t.Errorf("promtool check rules: %v\n%s", err, out)
	}
}

func TestDeploy_PromtoolTestsRules(t *testing.T) {
	promtool := requireTool(t, "promtool", "/usr/bin/promtool")
	cmd := exec.Command(promtool, "test", "rules", filepath.Base(rulesTestFile))
	cmd.Dir = filepath.Dir(rulesTestFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool test rules: %v\n%s", err, out)
	}
}

// TestDeploy_RuleTestsCoverEveryAlert checks that each alert has a test
// case where it fires and one where it does not.
func TestDeploy_RuleTestsCoverEveryAlert(t *testing.T) {
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	var tests struct {
		Tests []struct {
			AlertRuleTest []struct {
				Alertname string `yaml:"alertname"`
				ExpAlerts []any  `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	readYAML(t, rulesFile, &rules)
	readYAML(t, rulesTestFile, &tests)

	fires, quiet := map[string]bool{}, map[string]bool{}
	for _, tc := range tests.Tests {
		for _, at := range tc.AlertRuleTest {
			if len(at.ExpAlerts) > 0 {
				fires[at.Alertname] = true
			} else {
				quiet[at.Alertname] = true
			}
		}
	}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			if !fires[r.Alert] {
				t.Errorf("alert %s has no test case where it fires", r.Alert)
			}
			if !quiet[r.Alert] {
				t.Errorf("alert %s has no test case where it must not fire", r.Alert)
			}
		}
	}
}

// TestDeploy_QueriesUseExposedSeries parses every PromQL expression of the
// alert rules and the dashboard and checks that each selector names a
// metric that /metrics exposes, with labels that metric has.
func TestDeploy_QueriesUseExposedSeries(t *testing.T) {
	_, families := exposition(t)
	exprs := append(ruleExprs(t), dashboardExprs(t)...)
	if len(exprs) < 20 {
		t.Fatalf("found only %d expressions in the rules and the dashboard", len(exprs))
	}

	for _, e := range exprs {
		expr, err := parser.ParseExpr(expandGrafanaVariables(e.expr))
		if err != nil {
			t.Errorf("%s: invalid PromQL %q: %v", e.source, e.expr, err)
			continue
		}
		parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
			if vs, ok := node.(*parser.VectorSelector); ok {
				checkSelector(t, e.source, vs, families)
			}
			return nil
		})
	}
}

// promQL is one query and where it comes from, for messages.
type promQL struct {
	source string
	expr   string
}

func ruleExprs(t *testing.T) []promQL {
	t.Helper()
	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert  string `yaml:"alert"`
				Record string `yaml:"record"`
				Expr   string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	readYAML(t, rulesFile, &rules)
	var exprs []promQL
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			exprs = append(exprs, promQL{source: "rule " + r.Alert + r.Record, expr: r.Expr})
		}
	}
	return exprs
}

// dashboardExprs returns the queries of every panel target and of the
// template variables, whose label_values(metric, label) becomes a
// selector of metric that must have label.
func dashboardExprs(t *testing.T) []promQL {
	t.Helper()
	dash := readDashboard(t)

	var exprs []promQL
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			exprs = append(exprs, promQL{source: "panel " + p.Title, expr: target.Expr})
		}
	}
	for _, v := range dash.Templating.List {
		if v.Type != "query" {
			continue
		}
		var query struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &query); err != nil {
			t.Fatalf("variable %s: decoding its query: %v", v.Name, err)
		}
		metric, label, ok := parseLabelValues(query.Query)
		if !ok {
			t.Errorf("variable %s: query %q is not label_values(metric, label)", v.Name, query.Query)
			continue
		}
		exprs = append(exprs, promQL{source: "variable " + v.Name, expr: metric + `{` + label + `!=""}`})
	}
	return exprs
}

// dashboard is the part of a Grafana dashboard the tests read.
type dashboard struct {
	UID    string `json:"uid"`
	Panels []struct {
		ID      int    `json:"id"`
		Type    string `json:"type"`
		Title   string `json:"title"`
		Targets []struct {
			Expr string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name string `json:"name"`
			Type string `json:"type"`
			// Query is an object for a query variable and a plugin
			// name for a data source variable.
			Query json.RawMessage `json:"query"`
		} `json:"list"`
	} `json:"templating"`
}

func readDashboard(t *testing.T) dashboard {
	t.Helper()
	raw, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var dash dashboard
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("decoding %s: %v", dashboardFile, err)
	}
	return dash
}

// parseLabelValues splits Grafana's label_values(metric, label).
func parseLabelValues(q string) (metric, label string, ok bool) {
	args, ok := strings.CutPrefix(strings.TrimSpace(q), "label_values(")
	if !ok {
		return "", "", false
	}
	metric, label, ok = strings.Cut(strings.TrimSuffix(args, ")"), ",")
	return strings.TrimSpace(metric), strings.TrimSpace(label), ok
}

// expandGrafanaVariables replaces the dashboard's variables with values
// that keep the query valid PromQL.
func expandGrafanaVariables(expr string) string {
	return strings.NewReplacer(
		"$__rate_interval", "5m",
		"$__range", "6h",
		"$provider", ".*",
		"$domain", ".*",
	).Replace(expr)
}

// checkSelector checks one vector selector against the exposed families.
// Histograms expose _bucket, _sum and _count series; Prometheus adds the
// job and instance labels to every scraped series.
func checkSelector(t *testing.T, source string, vs *parser.VectorSelector, families map[string]*dto.MetricFamily) {
	t.Helper()
	name := vs.Name
	if name == "up" {
		return // Prometheus records it for every target it scrapes
	}
	mf, suffix := exposedFamily(name, families)
	if mf == nil {
		t.Errorf("%s: metric %q is not exposed by /metrics", source, name)
		return
	}

	labels := append(labelNames(mf), "__name__", "job", "instance")
	if suffix == "_bucket" {
		labels = append(labels, "le")
	}
	for _, m := range vs.LabelMatchers {
		if !slices.Contains(labels, m.Name) {
			t.Errorf("%s: metric %s has no label %q (it has %v)", source, name, m.Name, labelNames(mf))
		}
	}
}

func exposedFamily(name string, families map[string]*dto.MetricFamily) (*dto.MetricFamily, string) {
	if mf, ok := families[name]; ok {
		return mf, ""
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		base, ok := strings.CutSuffix(name, suffix)
		if mf := families[base]; ok && mf != nil && mf.GetType() == dto.MetricType_HISTOGRAM {
			return mf, suffix
		}
	}
	return nil, ""
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
}

const unitFile = "../../deploy/systemd/bounced.service"

// TestDeploy_SystemdUnit checks the unit's contract and, where
// systemd-analyze is installed, that systemd accepts every directive.
func TestDeploy_SystemdUnit(t *testing.T) {
	raw, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	unit := string(raw)
	for _, line := range []string{
		"User=bounced",
		"ExecReload=/bin/kill -HUP $MAINPID",
		"Restart=on-failure",
		"AmbientCapabilities=CAP_NET_BIND_SERVICE",
		"CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
		"NoNewPrivileges=yes",
		"ProtectSystem=strict",
		"StateDirectory=bounced",
		"ReadWritePaths=-/run/bounced",
	} {
		if !slices.Contains(strings.Split(unit, "\n"), line) {
			t.Errorf("unit lacks the line %q", line)
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("skipping systemd-analyze verify: not installed")
	}
	// verify wants ExecStart to exist, so point it at the test binary.
	unit = strings.ReplaceAll(unit, "/usr/local/bin/bounced", bouncedBin)
	path := filepath.Join(t.TempDir(), "bounced.service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestDeploy_DashboardLayout checks what Grafana needs to import the
// dashboard and what makes it usable: unique panel ids, a query in every
// panel, and the provider and sending-domain variables in use.
func TestDeploy_DashboardLayout(t *testing.T) {
	dash := readDashboard(t)
	if dash.UID == "" {
		t.Error("dashboard has no uid, so every import makes a new copy")
	}

	ids := map[int]bool{}
	uses := map[string]int{}
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d used twice", p.ID)
		}
		ids[p.ID] = true
		if p.Type != "row" && len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, target := range p.Targets {
			for _, v := range []string{"$provider", "$domain"} {
				if strings.Contains(target.Expr, v) {
					uses[v]++
				}
			}
		}
	}

	var vars []string
	for _, v := range dash.Templating.List {
		vars = append(vars, v.Name)
	}
	for _, name := range []string{"datasource", "provider", "domain"} {
		if !slices.Contains(vars, name) {
			t.Errorf("dashboard lacks the variable %s", name)
		}
	}
	for _, v := range []string{"$provider", "$domain"} {
		if uses[v] == 0 {
			t.Errorf("no panel filters by %s", v)
		}
	}
}

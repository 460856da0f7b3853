package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
	"github.com/bounced/bounced/internal/suppress"
)

// policyFixture is one row of testdata/policy/golden.tsv: a provider's
// policy rejection inside a realistic DSN, with the expected verdict.
type policyFixture struct {
	file, recipient, reason, policy, provider, hard, rule string
}

func loadPolicyFixtures(t *testing.T) []policyFixture {
	t.Helper()
	var fixtures []policyFixture
	for _, cols := range readTSV(t, "testdata/policy/golden.tsv", 7) {
		fixtures = append(fixtures, policyFixture{cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]})
	}
	return fixtures
}

// analyzeOne parses and classifies the message in path through the
// ingest pipeline and returns its one event, failing the test when it
// gives another number of events.
func analyzeOne(t *testing.T, path string) store.Event {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, events, err := ingest.Analyze(raw, ingest.Envelope{})
	if err != nil {
		t.Fatalf("Analyze: %v", err)
	}
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	return events[0]
}

// readTSV returns the rows of a tab-separated golden file, skipping blank
// lines and "#" comments. It fails the test on a row whose number of
// columns differs from columns.
func readTSV(t *testing.T, path string, columns int) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var rows [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != columns {
			t.Fatalf("%s: %d columns in %q, want %d", path, len(cols), line, columns)
		}
		rows = append(rows, cols)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestPolicyFixtures_Classified parses every policy fixture through the
// ingest pipeline and checks the verdict, and that none suppresses its
// recipient: a policy rejection describes the sender.
func TestPolicyFixtures_Classified(t *testing.T) {
	fixtures := loadPolicyFixtures(t)
	if len(fixtures) < 40 {
		t.Fatalf("%d policy fixtures, want at least 40", len(fixtures))
	}

	for _, fx := range fixtures {
		t.Run(strings.TrimSuffix(fx.file, ".eml"), func(t *testing.T) {
			ev := analyzeOne(t, filepath.Join("testdata/policy", fx.file))

			if ev.Recipient != fx.recipient {
				t.Errorf("Recipient = %q, want %q", ev.Recipient, fx.recipient)
			}
			if ev.Reason != fx.reason {
				t.Errorf("Reason = %q, want %q (rule %s)", ev.Reason, fx.reason, ev.Rule)
			}
			if ev.Policy != fx.policy {
				t.Errorf("Policy = %q, want %q", ev.Policy, fx.policy)
			}
			if ev.Provider != fx.provider {
				t.Errorf("Provider = %q, want %q", ev.Provider, fx.provider)
			}
			if got := boolString(ev.Hard); got != fx.hard {
				t.Errorf("Hard = %s, want %s", got, fx.hard)
			}
			if ev.Rule != fx.rule {
				t.Errorf("Rule = %q, want %q", ev.Rule, fx.rule)
			}
			if ev.Hint == "" {
				t.Error("Hint is empty")
			}
			checkNeverSuppresses(t, ev)
		})
	}
}

// checkNeverSuppresses applies ev to one address ten times, a day apart,
// under the default suppression policy and checks that the policy only
// counts it, so neither one event nor a soft-bounce threshold suppresses.
func checkNeverSuppresses(t *testing.T, ev store.Event) {
	t.Helper()
	policy := suppress.Default()
	var st suppress.State
	for i := range 10 {
		var d suppress.Decision
		st, d = policy.Apply(ev.Recipient, st, suppress.Event{
			Time: ev.Time.Add(time.Duration(i) * 24 * time.Hour), Kind: ev.Kind,
			Reason: ev.Reason, Hard: ev.Hard, Policy: ev.Policy,
		})
		if d.Action != suppress.ActionCount || d.Suppressed {
			t.Fatalf("event %d: default policy decided %+v, want count only for a policy rejection", i+1, d)
		}
	}
}

// TestPolicyFixtures_EveryKindAndTable checks that the fixtures cover
// every policy kind and every provider code table.
func TestPolicyFixtures_EveryKindAndTable(t *testing.T) {
	policies := make(map[string]bool)
	prefixes := make(map[string]bool)
	for _, fx := range loadPolicyFixtures(t) {
		policies[fx.policy] = true
		prefixes[strings.SplitN(fx.rule, "-", 2)[0]] = true
	}
	for _, p := range []string{"aup", "blocklist", "reputation", "auth", "ptr", "rate_limit", "content"} {
		if !policies[p] {
			t.Errorf("no fixture of policy kind %s", p)
		}
	}
	for _, table := range []string{"cox", "charter", "comcast", "yahoo", "microsoft", "gmail", "blocklist", "ptr"} {
		if !prefixes[table] {
			t.Errorf("no fixture for the %s rules", table)
		}
	}
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// BenchmarkAnalyze_PolicyFixtures parses and classifies the policy
// fixtures in turn: the per-message cost of parse plus classify.
func BenchmarkAnalyze_PolicyFixtures(b *testing.B) {
	names, err := filepath.Glob("testdata/policy/*.eml")
	if err != nil || len(names) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	raws := make([][]byte, len(names))
	for i, name := range names {
		if raws[i], err = os.ReadFile(name); err != nil {
			b.Fatal(err)
		}
	}

	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, _, err := ingest.Analyze(raws[i%len(raws)], ingest.Envelope{}); err != nil {
			b.Fatal(err)
		}
	}
}

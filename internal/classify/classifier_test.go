package classify

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

const overrideRules = `# Operator rules for the tests.
hints:
  ours: "Call the receiving team."
rules:
  - id: local-partner-block
    reason: blocked
    policy: aup
    hint: ours
    source: "a partner's own wording"
    when:
      text: ["partner says no"]

  # Override: a bare 5.1.1 from this partner is not proof of a dead mailbox.
  - id: status-x.1.1
    reason: rejected
    source: "the partner answers 5.1.1 to everything"
    when:
      status: [x.1.1]

  - id: cox-aup-pol
    disable: true
`

func writeRules(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rules.yml")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestClassifier_OperatorRulesOverride(t *testing.T) {
	c, err := NewClassifier(writeRules(t, overrideRules))
	if err != nil {
		t.Fatal(err)
	}

	got := c.Classify(failure("5.7.1", 550, "550 Partner says NO"))
	if got.Rule != "local-partner-block" || got.Hint != "Call the receiving team." || got.Policy != PolicyAUP {
		t.Errorf("operator rule: got %+v", got)
	}

	got = c.Classify(failure("5.1.1", 550, ""))
	if got.Rule != "status-x.1.1" || got.Reason != Rejected || got.Hard {
		t.Errorf("overridden rule: got %+v, want soft rejected by status-x.1.1", got)
	}

	got = c.Classify(failure("5.2.0", 552, "552 5.2.0 sender rejected AUP#POL"))
	if got.Rule != "cox-aup-other" {
		t.Errorf("disabled cox-aup-pol: rule %q, want the next match cox-aup-other", got.Rule)
	}

	ids := c.RuleIDs()
	if ids[0] != "local-partner-block" || slices.Contains(ids, "cox-aup-pol") {
		t.Errorf("RuleIDs starts %q and contains cox-aup-pol: %t", ids[:3], slices.Contains(ids, "cox-aup-pol"))
	}
	n := 0
	for _, id := range ids {
		if id == "status-x.1.1" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("status-x.1.1 appears %d times, want once", n)
	}
}

func TestClassifier_ReloadKeepsOldRulesOnError(t *testing.T) {
	path := writeRules(t, overrideRules)
	c, err := NewClassifier(path)
	if err != nil {
		t.Fatal(err)
	}

	if err := os.WriteFile(path, []byte("rules:\n  - id: broken\n    reason: nonsense\n    source: x\n    when: {reply: [550]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = c.Reload()
	want := path + `:2: rule "broken": unknown reason "nonsense"`
	if err == nil || err.Error() != want {
		t.Fatalf("Reload error = %v, want %s", err, want)
	}
	if got := c.Classify(failure("5.7.1", 550, "partner says no")); got.Rule != "local-partner-block" {
		t.Errorf("after failed reload: rule %q, want the old local-partner-block", got.Rule)
	}

	if err := os.WriteFile(path, []byte("rules: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := c.Classify(failure("5.7.1", 550, "partner says no")); got.Rule == "local-partner-block" {
		t.Error("after reload without the rule, local-partner-block still fires")
	}
}

// TestClassifier_ReloadWhileClassifying runs Classify and Reload at once;
// run it with -race.
func TestClassifier_ReloadWhileClassifying(t *testing.T) {
	c, err := NewClassifier(writeRules(t, overrideRules))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				if got := c.Classify(failure("5.7.1", 550, "partner says no")); got.Rule != "local-partner-block" {
					t.Errorf("rule %q during reload", got.Rule)
					return
				}
			}
		})
	}
	for range 20 {
		if _, err := c.Reload(); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
}

func TestLoadRules_MissingFile(t *testing.T) {
	_, err := LoadRules(filepath.Join(t.TempDir(), "none.yml"))
	if err == nil || !strings.HasPrefix(err.Error(), "reading rules file: open ") {
		t.Errorf("error = %v, want a reading rules file error", err)
	}
}

func TestRuleSet_Explain(t *testing.T) {
	in := failure("5.2.0", 552, "552 5.2.0 <a@cox.net>... sender rejected AUP#POL")
	in.RemoteMTA, in.Recipient = "cxr.mx.a.cloudfilter.net", "a@cox.net"
	res, why := defaultSet().Explain(in)

	if res.Rule != "cox-aup-pol" || res.Provider != ProviderCox {
		t.Errorf("result = %+v, want cox-aup-pol at cox", res)
	}
	if why.Rule != "cox-aup-pol" || !strings.HasPrefix(why.Origin, builtinRulesName+":") {
		t.Errorf("explanation = %+v", why)
	}
	if !slices.Equal(why.Conditions, []string{`text contains "aup#pol"`}) {
		t.Errorf("conditions = %q", why.Conditions)
	}
}

func TestLiteralMatcher(t *testing.T) {
	lits := []string{"he", "she", "his", "hers", "usher"}
	m, err := newLiteralMatcher(lits)
	if err != nil {
		t.Fatal(err)
	}
	var hits literalSet
	m.scan("ushers", &hits)
	for id, lit := range lits {
		want := strings.Contains("ushers", lit)
		if hits.has(int32(id)) != want {
			t.Errorf("%q found = %t, want %t", lit, hits.has(int32(id)), want)
		}
	}
}

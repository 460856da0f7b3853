package classify

import (
	"slices"
	"testing"
)

func TestRuleIDs_MatchClassify(t *testing.T) {
	ids := RuleIDs()
	if n := defaultSet().Len(); len(ids) != n {
		t.Fatalf("RuleIDs has %d ids, the embedded set has %d rules", len(ids), n)
	}
	got := Classify(Input{Kind: KindFailure, Status: "5.2.0", ReplyCode: 552, Diagnostic: "552 5.2.0 sender rejected AUP#POL"})
	if !slices.Contains(ids, got.Rule) {
		t.Errorf("rule %q of an AUP#POL rejection is not in RuleIDs", got.Rule)
	}
}

func TestVerdicts_CoverClassifyResults(t *testing.T) {
	verdicts := Verdicts()
	inputs := []Input{
		{Kind: KindFailure, Status: "5.1.1", ReplyCode: 550, Diagnostic: "550 5.1.1 user unknown"},
		{Kind: KindDelay, Action: "delayed", Status: "5.1.1", Diagnostic: "550 5.1.1 user unknown"},
		{Kind: KindFailure, Status: "5.2.0", ReplyCode: 552, Diagnostic: "552 5.2.0 sender rejected AUP#POL"},
		{Kind: KindFailure, Diagnostic: "no rule matches this"},
		{Kind: KindComplaint},
	}
	for _, in := range inputs {
		res := Classify(in)
		v := Verdict{Reason: res.Reason, Policy: res.Policy, Hard: res.Hard}
		if !slices.Contains(verdicts, v) {
			t.Errorf("Classify(%q) = %+v, not in Verdicts", in.Diagnostic, v)
		}
	}
	for i, v := range verdicts {
		if slices.Contains(verdicts[i+1:], v) {
			t.Errorf("verdict %+v listed twice", v)
		}
	}
}

package main

import (
	"path/filepath"
	"testing"

	"github.com/bounced/bounced/internal/eval"
)

// TestReasonFixtures_Classified parses each row of
// testdata/reasons/golden.tsv through the ingest pipeline: a bounce shape
// that is no policy rejection, with the verdict it must get and whether
// the default suppression policy lists its recipient at once. A row's
// file is relative to this directory, so that the parser's own fixtures
// are checked end to end too.
func TestReasonFixtures_Classified(t *testing.T) {
	for _, cols := range readTSV(t, "testdata/reasons/golden.tsv", 7) {
		file, recipient, reason, policy, hard, rule, suppress := cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6]
		t.Run(filepath.Base(file), func(t *testing.T) {
			ev := analyzeOne(t, file)

			if ev.Recipient != recipient {
				t.Errorf("Recipient = %q, want %q", ev.Recipient, recipient)
			}
			if ev.Reason != reason {
				t.Errorf("Reason = %q, want %q (rule %s)", ev.Reason, reason, ev.Rule)
			}
			if ev.Policy != policy {
				t.Errorf("Policy = %q, want %q", ev.Policy, policy)
			}
			if got := boolString(ev.Hard); got != hard {
				t.Errorf("Hard = %s, want %s", got, hard)
			}
			if ev.Rule != rule {
				t.Errorf("Rule = %q, want %q", ev.Rule, rule)
			}
			if got := boolString(eval.WouldSuppress(ev)); got != suppress {
				t.Errorf("Suppress = %s, want %s", got, suppress)
			}
		})
	}
}

package main

import (
	"github.com/bounced/bounced/internal/eval"

	"cmp"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is the shared labelled corpus: $BOUNCED_CORPUS, or else the
// corpus beside the module root.
var corpusDir = cmp.Or(os.Getenv("BOUNCED_CORPUS"), "../../../shared/corpus")

// Minimum agreement of `bounced eval` with the corpus labels over every
// labelled recipient. Each is a little below what the parser and rules
// reached when the bars were set, measured with go test on maildir/bsd:
// recipient 99.37% (473/476), status 99.46%
// (365/367 rows whose label is no x.0.9xx refinement), reply code 97.27%
// (463/476), reason 88.45% (421/476), hardness 93.49% (445/476). Most of
// the rest are labels that follow the labeller's own conventions, such as
// "filtered" for any "user unknown" whose SMTP command the bounce does
// not name.
var minCorpusAgreement = map[string]float64{
	"recipient": 0.99,
	"status":    0.99,
	"replycode": 0.965,
	"reason":    0.875,
	"hardness":  0.93,
}

func TestEval_Corpus(t *testing.T) {
	dir := filepath.Join(corpusDir, "maildir", "bsd")
	if _, err := os.Stat(filepath.Join(corpusDir, "labels.tsv")); err != nil {
		t.Skipf("corpus not present at %s: %v", corpusDir, err)
	}

	report, err := eval.Run(dir, filepath.Join(corpusDir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if report.Errors != 0 {
		t.Errorf("%d files failed to parse", report.Errors)
	}
	for field, min := range minCorpusAgreement {
		s := report.Scores[field]
		t.Logf("%s agreement %.2f%% (%d/%d)", field, 100*s.Rate, s.Agreed, s.Rows)
		if s.Rate < min {
			t.Errorf("%s agreement %.4f, want at least %.2f", field, s.Rate, min)
		}
	}
}

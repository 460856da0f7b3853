package ingest

import (
	"cmp"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir is the shared bounce corpus, relative to this package, or
// the folder named by $BOUNCED_CORPUS.
var corpusDir = cmp.Or(os.Getenv("BOUNCED_CORPUS"), "../../../shared/corpus")

// loadCorpus reads every message of maildir/bsd into memory.
func loadCorpus(b *testing.B) [][]byte {
	b.Helper()

	paths, err := filepath.Glob(filepath.Join(corpusDir, "maildir", "bsd", "*.eml"))
	if err != nil {
		b.Fatal(err)
	}
	if len(paths) == 0 {
		b.Skipf("corpus not found under %s", corpusDir)
	}

	msgs := make([][]byte, len(paths))
	for i, path := range paths {
		if msgs[i], err = os.ReadFile(path); err != nil {
			b.Fatal(err)
		}
	}
	return msgs
}

// BenchmarkAnalyzeCorpus parses and classifies the corpus, one message
// per iteration, the work the daemon does per message before storing it.
// Run it with -cpu 1,2 to see how it scales across goroutines;
// msg/s is messages per second over all goroutines.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	msgs := loadCorpus(b)
	var size int64
	for _, m := range msgs {
		size += int64(len(m))
	}

	b.ReportAllocs()
	b.SetBytes(size / int64(len(msgs)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, _, err := Analyze(msgs[i%len(msgs)], Envelope{}); err != nil {
				b.Error(err)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msg/s")
}

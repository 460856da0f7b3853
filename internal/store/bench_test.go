package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchRaw is a bounce of realistic size and shape for the benchmarks.
func benchRaw(b *testing.B) []byte {
	raw, err := os.ReadFile("../../cmd/bounced/testdata/two-recipients.eml")
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

// benchmarkDeliver runs 20 concurrent writers per core, like concurrent
// SMTP sessions, each delivering one message with one hard bounce.
func benchmarkDeliver(b *testing.B, maxBatch int) {
	st, err := Open(filepath.Join(b.TempDir(), "bounced.db"), Options{MaxBatch: maxBatch})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	raw := benchRaw(b)
	var n atomic.Int64

	b.SetParallelism(20)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			ev := hardEvent(fmt.Sprintf("u%d@example.com", i), time.Now())
			if err := st.Deliver(context.Background(), &Message{Received: time.Now(), Raw: raw}, []Event{ev}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// BenchmarkDeliver_GroupCommit commits whatever is queued, up to
// DefaultMaxBatch messages, per transaction.
func BenchmarkDeliver_GroupCommit(b *testing.B) { benchmarkDeliver(b, DefaultMaxBatch) }

// BenchmarkDeliver_OneTxPerMessage commits each message in its own
// transaction, for comparison.
func BenchmarkDeliver_OneTxPerMessage(b *testing.B) { benchmarkDeliver(b, 1) }

// BenchmarkFileSize_MillionEvents stores BOUNCED_BENCH_EVENTS events
// (default 1,000,000), ten per message with the raw bounce, and reports
// the file size per million events. It ignores b.N: one run is the
// measurement.
func BenchmarkFileSize_MillionEvents(b *testing.B) {
	total := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BOUNCED_BENCH_EVENTS")); err == nil && v > 0 {
		total = v
	}
	path := filepath.Join(b.TempDir(), "bounced.db")
	st, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	raw := benchRaw(b)
	const perMessage = 10

	// 64 concurrent writers, so that group commit fills the transactions
	// as concurrent SMTP sessions would.
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for {
				i := int(next.Add(perMessage)) - perMessage
				if i >= total {
					return
				}
				at := start.Add(time.Duration(i) * time.Second)
				if err := st.Deliver(context.Background(), &Message{Received: at, Raw: raw}, sizeEvents(i, perMessage, at)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	st.Close()

	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(info.Size())/float64(total)*1e6/(1<<20), "MiB/1M-events")
	b.ReportMetric(float64(len(raw)), "raw-bytes/msg")
}

// sizeEvents returns n hard bounces of distinct recipients from index
// first on.
func sizeEvents(first, n int, at time.Time) []Event {
	events := make([]Event, n)
	for j := range events {
		events[j] = Event{
			Time: at, Recipient: fmt.Sprintf("user%d@domain%d.example", first+j, (first+j)%5000),
			Kind: "failure", Status: "5.1.1", ReplyCode: 550, Reason: "userunknown", Hard: true,
			Provider: "other", Rule: "status-511", Diagnostic: "smtp; 550 5.1.1 <user@domain.example>: Recipient address rejected: User unknown",
		}
	}
	return events
}

package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

var (
	benchOnce    sync.Once
	benchURL     string
	benchEntries int
	benchDir     string
	benchErr     error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchServer serves a store holding BOUNCED_BENCH_ENTRIES suppression
// entries (default 1,000,000) over loopback HTTP. It is built once per
// process and shared by the benchmarks.
func benchServer(b *testing.B) string {
	benchOnce.Do(func() {
		benchEntries = 1_000_000
		if v, err := strconv.Atoi(os.Getenv("BOUNCED_BENCH_ENTRIES")); err == nil && v > 0 {
			benchEntries = v
		}
		benchDir, benchErr = os.MkdirTemp("", "bounced-bench-")
		if benchErr != nil {
			return
		}
		st, err := store.Open(filepath.Join(benchDir, "bounced.db"), store.Options{})
		if benchErr = err; err != nil {
			return
		}
		start := time.Now()
		if benchErr = fillSuppressions(st, benchEntries); benchErr != nil {
			return
		}
		b.Logf("loaded %d entries in %v", benchEntries, time.Since(start).Round(time.Second))

		log := slog.New(slog.DiscardHandler)
		reg := prometheus.NewRegistry()
		srv := httptest.NewServer(New(Config{}, st, ingest.New(st, ingest.NewMetrics(reg), log), reg, log))
		benchURL = srv.URL
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchURL
}

func fillSuppressions(st *store.Store, n int) error {
	const batch = 10_000
	for i := 0; i < n; i += batch {
		entries := make([]store.ManualEntry, min(batch, n-i))
		for j := range entries {
			entries[j] = store.ManualEntry{Address: benchAddress(i + j), Reason: "userunknown"}
		}
		if _, err := st.AddSuppressions(context.Background(), entries); err != nil {
			return err
		}
	}
	return nil
}

func benchAddress(i int) string {
	return fmt.Sprintf("user%d@domain%d.example", i, i%5000)
}

// runLatency runs request from parallelism goroutines per core and
// reports requests per second and the 50th and 99th percentile latency.
func runLatency(b *testing.B, parallelism int, request func(client *http.Client, i int) error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var mu sync.Mutex
	var latencies []time.Duration
	var next int64

	b.SetParallelism(parallelism)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			mu.Lock()
			next++
			i := int(next)
			mu.Unlock()
			t := time.Now()
			if err := request(client, i); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)

	slices.Sort(latencies)
	if len(latencies) == 0 {
		return
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkGetSuppression looks up one address per request, alternating
// suppressed and unknown addresses, from one client per core.
func BenchmarkGetSuppression(b *testing.B) { benchmarkGet(b, 1) }

// BenchmarkGetSuppression_Concurrent does the same from four clients per
// core.
func BenchmarkGetSuppression_Concurrent(b *testing.B) { benchmarkGet(b, 4) }

func benchmarkGet(b *testing.B, parallelism int) {
	url := benchServer(b) + "/api/v1/suppressions/"
	runLatency(b, parallelism, func(client *http.Client, i int) error {
		addr := benchAddress((i * 7919) % benchEntries)
		want := http.StatusOK
		if i%2 == 1 {
			addr, want = "unknown"+addr, http.StatusNotFound
		}
		resp, err := client.Get(url + addr)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			return fmt.Errorf("GET %s: status %d, want %d", addr, resp.StatusCode, want)
		}
		return nil
	})
}

// BenchmarkCheckSuppressions checks 100 addresses per request, half of
// them suppressed, from one client per core.
func BenchmarkCheckSuppressions(b *testing.B) {
	url := benchServer(b) + "/api/v1/suppressions/check"
	runLatency(b, 1, func(client *http.Client, i int) error {
		var body bytes.Buffer
		body.WriteString(`{"addresses":[`)
		for j := range 100 {
			if j > 0 {
				body.WriteByte(',')
			}
			addr := benchAddress((i*100 + j) * 7919 % benchEntries)
			if j%2 == 1 {
				addr = "unknown" + addr
			}
			fmt.Fprintf(&body, "%q", addr)
		}
		body.WriteString(`]}`)
		resp, err := client.Post(url, "application/json", &body)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("check: status %d", resp.StatusCode)
		}
		return nil
	})
}

//go:build pprof

package main

import (
	"log/slog"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux
	"os"
)

// A build with the pprof tag serves Go's profiles on the address in
// BOUNCED_PPROF (for example 127.0.0.1:6061), apart from the API listener,
// so that the daemon can be profiled under load:
//
//	go build -tags pprof -o bounced ./cmd/bounced
//	BOUNCED_PPROF=127.0.0.1:6061 ./bounced serve ...
//	go tool pprof 'http://127.0.0.1:6061/debug/pprof/profile?seconds=5'
//
// Release builds leave it out: the profiles name internal functions and
// the handler has no authentication.
func init() {
	addr := os.Getenv("BOUNCED_PPROF")
	if addr == "" {
		return
	}
	go func() {
		err := http.ListenAndServe(addr, nil)
		slog.Error("pprof listener stopped", "addr", addr, "err", err)
	}()
}

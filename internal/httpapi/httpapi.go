// Package httpapi serves bounced's HTTP endpoints: Prometheus metrics,
// health checks and the JSON API under /api/v1/, which reads the store.
package httpapi

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bounced/bounced/internal/store"
)

// SuppressionReader is the part of the store the API reads.
type SuppressionReader interface {
	Suppression(address string) (store.Suppression, error)
}

// Config holds the handler's settings.
type Config struct {
	// Token, when set, is the bearer token every /api/ request must carry.
	// Metrics and health checks need none.
	Token string
}

// New returns the handler for all endpoints. gatherer is what /metrics
// exposes.
func New(cfg Config, st SuppressionReader, gatherer prometheus.Gatherer, log *slog.Logger) http.Handler {
	a := &api{store: st, log: log}

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelError),
	}))
	mux.HandleFunc("GET /healthz", ok)
	mux.HandleFunc("GET /readyz", ok)

	apiMux := http.NewServeMux()
	apiMux.HandleFunc("GET /api/v1/suppressions/{address}", a.getSuppression)
	mux.Handle("/api/", requireToken(cfg.Token, apiMux))
	return mux
}

type api struct {
	store SuppressionReader
	log   *slog.Logger
}

// getSuppression returns the suppression entry of an address: 200 with the
// entry, 404 when the address is not suppressed.
func (a *api) getSuppression(w http.ResponseWriter, r *http.Request) {
	address := r.PathValue("address")
	if !strings.Contains(address, "@") {
		writeError(w, http.StatusBadRequest, "invalid_address", "address must contain @: "+address)
		return
	}

	sup, err := a.store.Suppression(address)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_suppressed", "address is not suppressed")
	case err != nil:
		a.log.Error("reading suppression failed", "recipient", address, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "reading the suppression list failed")
	default:
		writeJSON(w, http.StatusOK, sup)
	}
}

func ok(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// requireToken rejects requests without the bearer token. An empty token
// lets every request through; the caller must only allow that on loopback.
func requireToken(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bounced"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// apiError is the body of every error response: a stable code for
// programs and a message for people.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, struct {
		Error apiError `json:"error"`
	}{apiError{Code: code, Message: message}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Package httpapi serves bounced's HTTP endpoints: Prometheus metrics,
// health checks and the JSON API under /api/v1/, which reads and edits the
// store and feeds imported messages to the ingest pipeline. openapi.yaml
// describes the API; a test checks it against the routes.
package httpapi

import (
	"context"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

// Store is the part of the store the API uses.
type Store interface {
	Suppression(address string) (store.Suppression, error)
	CheckSuppressions(addresses []string) (map[string]store.Suppression, error)
	Suppressions(f store.SuppressionFilter, cursor string, limit int) ([]store.Suppression, string, error)
	AddSuppressions(ctx context.Context, entries []store.ManualEntry) ([]store.Event, error)
	RemoveSuppression(ctx context.Context, address, comment string) (store.Event, error)
	RecordDelivery(ctx context.Context, address string, at time.Time) (store.Event, error)
	Events(f store.EventFilter, cursor string, limit int) ([]store.Event, string, error)
	Event(id uint64) (store.Event, error)
	Message(id uint64) (store.Message, error)
	Quarantine(cursor string, limit int) ([]store.Message, string, error)
	SuppressionsByReason() (map[string]int, error)
	Ready() error
}

// Pipeline is the part of the ingest pipeline the API uses for imports
// and reprocessing.
type Pipeline interface {
	Ingest(ctx context.Context, env ingest.Envelope, raw []byte) (ingest.Receipt, error)
	Reprocess(ctx context.Context, since time.Time) (ingest.ReprocessResult, error)
}

// Config holds the handler's settings.
type Config struct {
	// Token, when set, is the bearer token every /api/ request must carry.
	// Metrics and health checks need none.
	Token string
}

//go:embed openapi.yaml
var openAPI []byte

type api struct {
	store    Store
	pipeline Pipeline
	log      *slog.Logger
}

// route is one endpoint of the API. routes is the list the mux serves and
// the OpenAPI test compares with openapi.yaml.
type route struct {
	method, path string
	handler      func(*api, http.ResponseWriter, *http.Request)
}

var routes = []route{
	{"GET", "/api/v1/suppressions", (*api).listSuppressions},
	{"GET", "/api/v1/suppressions.csv", (*api).exportSuppressions},
	{"POST", "/api/v1/suppressions/check", (*api).checkSuppressions},
	{"GET", "/api/v1/suppressions/{address}", (*api).getSuppression},
	{"PUT", "/api/v1/suppressions/{address}", (*api).putSuppression},
	{"DELETE", "/api/v1/suppressions/{address}", (*api).deleteSuppression},
	{"POST", "/api/v1/deliveries", (*api).postDelivery},
	{"GET", "/api/v1/events", (*api).listEvents},
	{"GET", "/api/v1/events/{id}", (*api).getEvent},
	{"GET", "/api/v1/events/{id}/raw", (*api).getEventRaw},
	{"GET", "/api/v1/messages/{id}/raw", (*api).getMessageRaw},
	{"GET", "/api/v1/quarantine", (*api).listQuarantine},
	{"POST", "/api/v1/messages", (*api).postMessage},
	{"POST", "/api/v1/reprocess", (*api).postReprocess},
	{"GET", "/api/v1/openapi.yaml", (*api).getOpenAPI},
}

// New returns the handler for all endpoints. gatherer is what /metrics
// exposes.
func New(cfg Config, st Store, pipeline Pipeline, gatherer prometheus.Gatherer, log *slog.Logger) http.Handler {
	a := &api{store: st, pipeline: pipeline, log: log}

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{
		EnableOpenMetrics: true,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelError),
	}))
	mux.HandleFunc("GET /healthz", ok)
	mux.HandleFunc("GET /readyz", a.ready)

	apiMux := http.NewServeMux()
	for _, r := range routes {
		apiMux.HandleFunc(r.method+" "+r.path, func(w http.ResponseWriter, req *http.Request) {
			r.handler(a, w, req)
		})
	}
	apiMux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.Method+" "+r.URL.Path)
	})
	mux.Handle("/api/", requireToken(cfg.Token, apiMux))
	return mux
}

func ok(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// ready returns 503 with the reason while the store's commits are
// failing, so that a load balancer or an MTA's health check stops sending
// mail that would only get 451.
func (a *api) ready(w http.ResponseWriter, r *http.Request) {
	if err := a.store.Ready(); err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "not ready: %v\n", err)
		return
	}
	ok(w, r)
}

func (a *api) getOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Write(openAPI)
}

// requireToken rejects requests without the bearer token. An empty token
// lets every request through; the caller must only allow that on loopback.
func requireToken(token string, next http.Handler) http.Handler {
	if token == "" {
		return next
	}
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare(bearerToken(r), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="bounced"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "missing or invalid bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken returns the token of a "Bearer" Authorization header, or
// nil. The scheme name is case-insensitive (RFC 7235, section 2.1).
func bearerToken(r *http.Request) []byte {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || !strings.EqualFold(scheme, "Bearer") {
		return nil
	}
	return []byte(strings.TrimLeft(token, " "))
}

// apiError is the body of every error response: a stable code for
// programs, a message for people and, for invalid input, the field.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, struct {
		Error apiError `json:"error"`
	}{apiError{Code: code, Message: message}})
}

// writeInvalid writes a 400 response for an invalid field of the request.
func writeInvalid(w http.ResponseWriter, field, message string) {
	writeJSON(w, http.StatusBadRequest, struct {
		Error apiError `json:"error"`
	}{apiError{Code: "invalid_" + field, Message: message, Field: field}})
}

// writeInternal logs err and writes a 500 response without its detail.
func (a *api) writeInternal(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal", "the server failed to handle the request; see its log")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// page is the body of a listing: the items and the cursor of the next
// page, absent on the last one.
type page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func newPage[T any](items []T, cursor string) page[T] {
	if items == nil {
		items = []T{}
	}
	return page[T]{Items: items, NextCursor: cursor}
}

// listPage writes one page of a listing: filter reads the filters of the
// request, and list reads the page they select from the store.
func listPage[F, T any](a *api, w http.ResponseWriter, r *http.Request,
	filter func(*http.Request) (F, error), list func(F, string, int) ([]T, string, error)) {
	f, err := filter(r)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	limit, err := limitParam(r)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}

	items, next, err := list(f, r.URL.Query().Get("cursor"), limit)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newPage(items, next))
}

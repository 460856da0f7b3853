package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bounced/bounced/internal/store"
)

func newTestServer(t *testing.T, token string) *httptest.Server {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "bounced.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	ev := store.Event{Time: at, Recipient: "dave@example.com", Reason: "userunknown", Hard: true, Suppress: true}
	if err := st.Deliver(context.Background(), &store.Message{Received: at}, []store.Event{ev}); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewServer(New(Config{Token: token}, st, prometheus.NewRegistry(), slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestGetSuppression(t *testing.T) {
	srv := newTestServer(t, "")
	tests := []struct {
		name     string
		address  string
		status   int
		contains string
	}{
		{"suppressed", "dave@example.com", 200, `"reason":"userunknown"`},
		{"case and brackets", "%3CDave@Example.com%3E", 200, `"address":"dave@example.com"`},
		{"not suppressed", "erin@example.com", 404, `"code":"not_suppressed"`},
		{"invalid address", "no-at-sign", 400, `"code":"invalid_address"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, srv.URL+"/api/v1/suppressions/"+tt.address, "")
			if status != tt.status {
				t.Errorf("status = %d, want %d; body %s", status, tt.status, body)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body %s does not contain %s", body, tt.contains)
			}
			if !json.Valid([]byte(body)) {
				t.Errorf("body is not JSON: %s", body)
			}
		})
	}
}

func TestToken(t *testing.T) {
	srv := newTestServer(t, "s3cret")
	url := srv.URL + "/api/v1/suppressions/dave@example.com"

	if status, _ := get(t, url, ""); status != http.StatusUnauthorized {
		t.Errorf("without token: status %d, want 401", status)
	}
	if status, _ := get(t, url, "wrong"); status != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", status)
	}
	if status, _ := get(t, url, "s3cret"); status != http.StatusOK {
		t.Errorf("right token: status %d, want 200", status)
	}
	if status, _ := get(t, srv.URL+"/metrics", ""); status != http.StatusOK {
		t.Errorf("/metrics without token: status %d, want 200", status)
	}
	if status, _ := get(t, srv.URL+"/healthz", ""); status != http.StatusOK {
		t.Errorf("/healthz without token: status %d, want 200", status)
	}
}

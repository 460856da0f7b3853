package httpapi

import (
	"encoding/csv"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v3"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/store"
)

func TestListings_GarbageCursor(t *testing.T) {
	s := newTestServer(t, "")
	s.run(t, []apiCase{
		{name: "suppressions", path: "/api/v1/suppressions?limit=2&cursor=garbage", status: 400, contains: []string{`"field":"cursor"`}},
		{name: "events", path: "/api/v1/events?limit=2&cursor=garbage", status: 400, contains: []string{`"field":"cursor"`}},
		{name: "quarantine", path: "/api/v1/quarantine?limit=2&cursor=garbage", status: 400, contains: []string{`"field":"cursor"`}},
	})
}

func TestToken_SchemeCaseInsensitive(t *testing.T) {
	s := newTestServer(t, "s3cret")
	for _, header := range []string{"bearer s3cret", "BEARER s3cret", "Bearer  s3cret"} {
		req, err := http.NewRequest("GET", s.url+"/api/v1/suppressions/dave@example.com", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("Authorization %q: status %d, want 200", header, resp.StatusCode)
		}
	}
}

func TestJSONFields_NamedInErrors(t *testing.T) {
	s := newTestServer(t, "")
	s.run(t, []apiCase{
		{name: "expires as a duration", method: "PUT", path: "/api/v1/suppressions/x@example.com", body: `{"expires":"24h"}`, status: 400,
			contains: []string{`"field":"expires"`, `"code":"invalid_expires"`, `\"24h\"`}},
		{name: "expires as a number", method: "PUT", path: "/api/v1/suppressions/x@example.com", body: `{"expires":5}`, status: 400, contains: []string{`"field":"expires"`}},
		{name: "delivery time", method: "POST", path: "/api/v1/deliveries", body: `{"address":"x@example.com","time":"yesterday"}`, status: 400,
			contains: []string{`"field":"time"`, `\"yesterday\"`}},
		{name: "delivery time given", method: "POST", path: "/api/v1/deliveries", body: `{"address":"x@example.com","time":"2026-12-01T10:00:00Z"}`, status: 200,
			contains: []string{`"time":"2026-12-01T10:00:00Z"`}},
	})
}

func TestSuppressionAddress_WildcardDomain(t *testing.T) {
	s := newTestServer(t, "")
	s.run(t, []apiCase{
		{name: "wildcard subdomain entry", method: "PUT", path: "/api/v1/suppressions/*@*.example.com", body: `{}`, status: 400,
			contains: []string{`"code":"invalid_address"`, `"field":"address"`}},
		{name: "wildcard in a looked-up domain", path: "/api/v1/suppressions/x@*.example.com", status: 400,
			contains: []string{`"code":"invalid_address"`}},
		{name: "space in domain", method: "PUT", path: "/api/v1/suppressions/x@exa%20mple.com", body: `{}`, status: 400,
			contains: []string{`"code":"invalid_address"`}},
		{name: "domain-wide entry", method: "PUT", path: "/api/v1/suppressions/*@example.net", body: `{}`, status: 200,
			contains: []string{`"address":"*@example.net"`}},
		{name: "star in local part", method: "PUT", path: "/api/v1/suppressions/a*b@example.net", body: `{}`, status: 200},
	})
}

func TestFilters_UnknownValues(t *testing.T) {
	s := newTestServer(t, "")
	s.do(t, "PUT", "/api/v1/suppressions/own@example.com", `{"reason":"request"}`)
	s.run(t, []apiCase{
		{name: "event reason", path: "/api/v1/events?reason=bogus", status: 400, contains: []string{`"field":"reason"`, `\"bogus\"`}},
		{name: "event provider", path: "/api/v1/events?provider=bogus", status: 400, contains: []string{`"field":"provider"`, "gmail"}},
		{name: "event policy", path: "/api/v1/events?policy=bogus", status: 400, contains: []string{`"field":"policy"`, "aup"}},
		{name: "suppression reason", path: "/api/v1/suppressions?reason=nosuch", status: 400, contains: []string{`"field":"reason"`}},
		{name: "export reason", path: "/api/v1/suppressions.csv?reason=nosuch", status: 400, contains: []string{`"field":"reason"`}},
		{name: "classifier reason without entries", path: "/api/v1/suppressions?reason=mailboxfull", status: 200, contains: []string{`"items":[]`}},
		{name: "manual reason", path: "/api/v1/events?reason=manual", status: 200},
		{name: "operator's own reason", path: "/api/v1/suppressions?reason=request", status: 200, contains: []string{`"own@example.com"`}},
		{name: "known provider", path: "/api/v1/events?provider=cox", status: 200, contains: []string{`"carol@cox.net"`}},
	})
}

func TestExportSuppressions_FormulaEscaped(t *testing.T) {
	s := newTestServer(t, "")
	s.do(t, "PUT", "/api/v1/suppressions/=1+2@example.com", `{"comment":"@SUM(A1)"}`)
	s.do(t, "PUT", "/api/v1/suppressions/-x@example.com", `{"comment":"+1"}`)
	records := s.exportCSV(t)
	cells := map[string]string{}
	for _, r := range records[1:] {
		cells[r[0]] = r[10]
	}
	want := map[string]string{"'-x@example.com": "'+1", "'=1+2@example.com": "'@SUM(A1)", "dave@example.com": ""}
	for address, comment := range want {
		if got, ok := cells[address]; !ok || got != comment {
			t.Errorf("row %q: comment %q (present %v), want %q; rows %v", address, got, ok, comment, records)
		}
	}
}

// unreadyStore is a real store whose Ready result the test sets; the
// store's own test makes its commits fail for real.
type unreadyStore struct {
	*store.Store
	err error
}

func (s *unreadyStore) Ready() error { return s.err }

func TestReadyz_FailingCommits(t *testing.T) {
	base := newTestServer(t, "")
	st := &unreadyStore{Store: base.store, err: errors.New("the last commit to the database failed 2s ago: no space left on device")}
	log := slog.New(slog.DiscardHandler)
	srv := httptest.NewServer(New(Config{}, st, nil, prometheus.NewRegistry(), log))
	defer srv.Close()
	s := &testServer{url: srv.URL}

	status, body := s.do(t, "GET", "/readyz", "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "no space left on device") {
		t.Errorf("/readyz while commits fail: %d %q, want 503 with the reason", status, body)
	}
	if status, _ := s.do(t, "GET", "/healthz", ""); status != http.StatusOK {
		t.Errorf("/healthz while commits fail: %d, want 200", status)
	}
	st.err = nil
	if status, body := s.do(t, "GET", "/readyz", ""); status != http.StatusOK {
		t.Errorf("/readyz after a successful commit: %d %q, want 200", status, body)
	}
}

// TestOpenAPI_FilterValues checks that the documented filter values are
// the classifier's.
func TestOpenAPI_FilterValues(t *testing.T) {
	var doc struct {
		Components struct {
			Parameters map[string]struct {
				Description string `yaml:"description"`
				Schema      struct {
					Enum []string `yaml:"enum"`
				} `yaml:"schema"`
			} `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("parsing openapi.yaml: %v", err)
	}
	params := doc.Components.Parameters
	if got, want := params["provider"].Schema.Enum, stringsOf(classify.Providers); !slices.Equal(got, want) {
		t.Errorf("provider enum = %v, want %v", got, want)
	}
	if got, want := params["policy"].Schema.Enum, stringsOf(classify.Policies); !slices.Equal(got, want) {
		t.Errorf("policy enum = %v, want %v", got, want)
	}
	for _, reason := range stringsOf(classify.Reasons) {
		if !strings.Contains(params["reason"].Description, reason) {
			t.Errorf("reason description does not list %s", reason)
		}
	}
}

// exportCSV fetches and parses the CSV export of every entry.
func (s *testServer) exportCSV(t *testing.T) [][]string {
	t.Helper()
	status, body := s.do(t, "GET", "/api/v1/suppressions.csv", "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("parsing CSV: %v", err)
	}
	return records
}

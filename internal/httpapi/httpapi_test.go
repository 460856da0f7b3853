package httpapi

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v3"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

type testServer struct {
	url   string
	token string
	store *store.Store
}

// newTestServer serves the API over a real loopback listener, on a real
// store holding one hard bounce of dave@example.com and one policy
// rejection of carol@cox.net.
func newTestServer(t *testing.T, token string) *testServer {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bounced.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })

	events := []store.Event{
		{Time: t0, Recipient: "dave@example.com", Kind: "failure", Reason: "userunknown", Hard: true, Provider: "other"},
		{Time: t0.Add(time.Hour), Recipient: "carol@cox.net", Kind: "failure", Reason: "policyviolation", Policy: "aup", Hard: true, Provider: "cox"},
	}
	if err := st.Deliver(context.Background(), &store.Message{Received: t0, Raw: []byte("Subject: stored\r\n\r\nbody\r\n")}, events); err != nil {
		t.Fatal(err)
	}

	reg := prometheus.NewRegistry()
	log := slog.New(slog.DiscardHandler)
	pipeline := ingest.New(st, ingest.NewMetrics(reg), log)
	srv := httptest.NewServer(New(Config{Token: token}, st, pipeline, reg, log))
	t.Cleanup(srv.Close)
	return &testServer{url: srv.URL, token: token, store: st}
}

// do sends a request and returns the status and body.
func (s *testServer) do(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

// apiCase is one request and the response it expects.
type apiCase struct {
	name     string
	method   string
	path     string
	body     string
	status   int
	contains []string
}

func (s *testServer) run(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := s.do(t, cmpOr(tc.method, "GET"), tc.path, tc.body)
			if status != tc.status {
				t.Errorf("%s %s: status = %d, want %d; body %s", tc.method, tc.path, status, tc.status, body)
			}
			for _, want := range tc.contains {
				if !strings.Contains(body, want) {
					t.Errorf("%s %s: body %s does not contain %s", tc.method, tc.path, body, want)
				}
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestGetSuppression(t *testing.T) {
	s := newTestServer(t, "")
	s.run(t, []apiCase{
		{name: "suppressed", path: "/api/v1/suppressions/dave@example.com", status: 200, contains: []string{`"reason":"userunknown"`, `"kind":"hard"`}},
		{name: "case and brackets", path: "/api/v1/suppressions/%3CDave@Example.com%3E", status: 200, contains: []string{`"address":"dave@example.com"`}},
		{name: "policy rejection not suppressed", path: "/api/v1/suppressions/carol@cox.net", status: 404, contains: []string{`"code":"not_suppressed"`}},
		{name: "not suppressed", path: "/api/v1/suppressions/erin@example.com", status: 404, contains: []string{`"code":"not_suppressed"`}},
		{name: "invalid address", path: "/api/v1/suppressions/no-at-sign", status: 400, contains: []string{`"code":"invalid_address"`, `"field":"address"`}},
		{name: "unknown endpoint", path: "/api/v1/nothing", status: 404, contains: []string{`"code":"not_found"`}},
	})
}

func TestToken(t *testing.T) {
	s := newTestServer(t, "s3cret")
	path := "/api/v1/suppressions/dave@example.com"

	s.token = ""
	if status, _ := s.do(t, "GET", path, ""); status != http.StatusUnauthorized {
		t.Errorf("without token: status %d, want 401", status)
	}
	s.token = "wrong"
	if status, _ := s.do(t, "GET", path, ""); status != http.StatusUnauthorized {
		t.Errorf("wrong token: status %d, want 401", status)
	}
	s.token = "s3cret"
	if status, _ := s.do(t, "GET", path, ""); status != http.StatusOK {
		t.Errorf("right token: status %d, want 200", status)
	}
	s.token = ""
	if status, _ := s.do(t, "GET", "/metrics", ""); status != http.StatusOK {
		t.Errorf("/metrics without token: status %d, want 200", status)
	}
	if status, _ := s.do(t, "GET", "/healthz", ""); status != http.StatusOK {
		t.Errorf("/healthz without token: status %d, want 200", status)
	}
}

func TestPutDeleteSuppression(t *testing.T) {
	s := newTestServer(t, "")
	future := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	s.run(t, []apiCase{
		{name: "add", method: "PUT", path: "/api/v1/suppressions/Frank@Example.com", body: `{"comment":"asked to stop","reason":"request"}`, status: 200,
			contains: []string{`"address":"frank@example.com"`, `"kind":"manual"`, `"comment":"asked to stop"`, `"reason":"request"`}},
		{name: "read back", path: "/api/v1/suppressions/frank@example.com", status: 200, contains: []string{`"kind":"manual"`}},
		{name: "add without body", method: "PUT", path: "/api/v1/suppressions/gina@example.com", status: 200, contains: []string{`"reason":"manual"`}},
		{name: "add expiring", method: "PUT", path: "/api/v1/suppressions/hal@example.com", body: `{"expires":"` + future + `"}`, status: 200, contains: []string{`"expires":"` + future}},
		{name: "add domain-wide", method: "PUT", path: "/api/v1/suppressions/*@blocked.example", status: 200, contains: []string{`"address":"*@blocked.example"`}},
		{name: "domain-wide applies", path: "/api/v1/suppressions/anyone@blocked.example", status: 200, contains: []string{`"address":"*@blocked.example"`}},
		{name: "remove covered by domain", method: "DELETE", path: "/api/v1/suppressions/anyone@blocked.example", status: 409,
			contains: []string{`"code":"suppressed_by_domain"`, `*@blocked.example`}},
		{name: "still covered", path: "/api/v1/suppressions/anyone@blocked.example", status: 200, contains: []string{`"address":"*@blocked.example"`}},
		{name: "expiry in the past", method: "PUT", path: "/api/v1/suppressions/ian@example.com", body: `{"expires":"2020-01-01T00:00:00Z"}`, status: 400, contains: []string{`"field":"expires"`}},
		{name: "unknown field", method: "PUT", path: "/api/v1/suppressions/ian@example.com", body: `{"note":"x"}`, status: 400, contains: []string{`"code":"invalid_body"`}},
		{name: "invalid JSON", method: "PUT", path: "/api/v1/suppressions/ian@example.com", body: `{`, status: 400, contains: []string{`"field":"body"`}},
		{name: "remove", method: "DELETE", path: "/api/v1/suppressions/frank@example.com?comment=resubscribed", status: 200, contains: []string{`"kind":"manual_remove"`, `"comment":"resubscribed"`, `"cleared":true`}},
		{name: "removed", path: "/api/v1/suppressions/frank@example.com", status: 404},
		{name: "remove again", method: "DELETE", path: "/api/v1/suppressions/frank@example.com", status: 404, contains: []string{`"code":"not_suppressed"`}},
		{name: "remove invalid", method: "DELETE", path: "/api/v1/suppressions/x", status: 400, contains: []string{`"field":"address"`}},
		{name: "removal recorded", path: "/api/v1/events?recipient=frank@example.com", status: 200, contains: []string{`"kind":"manual_add"`, `"kind":"manual_remove"`}},
	})
}

func TestCheckSuppressions(t *testing.T) {
	s := newTestServer(t, "")
	tooMany := `{"addresses":[` + strings.Repeat(`"a@example.com",`, 1000) + `"a@example.com"]}`
	s.run(t, []apiCase{
		{name: "mixed", method: "POST", path: "/api/v1/suppressions/check", body: `{"addresses":["<DAVE@example.com>","erin@example.com"]}`, status: 200,
			contains: []string{`{"address":"dave@example.com","suppressed":true,"entry":{`, `{"address":"erin@example.com","suppressed":false}`}},
		{name: "empty", method: "POST", path: "/api/v1/suppressions/check", body: `{"addresses":[]}`, status: 400, contains: []string{`"field":"addresses"`}},
		{name: "too many", method: "POST", path: "/api/v1/suppressions/check", body: tooMany, status: 400, contains: []string{`"field":"addresses"`}},
		{name: "invalid address", method: "POST", path: "/api/v1/suppressions/check", body: `{"addresses":["nobody"]}`, status: 400, contains: []string{`"field":"addresses"`, `nobody`}},
		{name: "wildcard refused", method: "POST", path: "/api/v1/suppressions/check", body: `{"addresses":["*@example.com"]}`, status: 400, contains: []string{`"field":"addresses"`}},
	})
}

func TestCheckSuppressions_OrderKept(t *testing.T) {
	s := newTestServer(t, "")
	addrs := []string{"z@example.com", "dave@example.com", "a@example.com"}
	body, _ := json.Marshal(map[string][]string{"addresses": addrs})
	status, resp := s.do(t, "POST", "/api/v1/suppressions/check", string(body))
	if status != 200 {
		t.Fatalf("status %d: %s", status, resp)
	}
	var got struct {
		Results []struct {
			Address    string `json:"address"`
			Suppressed bool   `json:"suppressed"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(resp), &got); err != nil {
		t.Fatal(err)
	}
	for i, r := range got.Results {
		if r.Address != addrs[i] || r.Suppressed != (addrs[i] == "dave@example.com") {
			t.Errorf("result %d = %+v, want %s suppressed=%v", i, r, addrs[i], addrs[i] == "dave@example.com")
		}
	}
}

func TestListSuppressions(t *testing.T) {
	s := newTestServer(t, "")
	for _, a := range []string{"a@one.example", "b@one.example", "c@two.example"} {
		s.do(t, "PUT", "/api/v1/suppressions/"+a, `{"reason":"request"}`)
	}
	s.run(t, []apiCase{
		{name: "domain", path: "/api/v1/suppressions?domain=one.example", status: 200, contains: []string{`"a@one.example"`, `"b@one.example"`}},
		{name: "kind", path: "/api/v1/suppressions?kind=hard", status: 200, contains: []string{`"dave@example.com"`}},
		{name: "reason", path: "/api/v1/suppressions?reason=request&limit=1", status: 200, contains: []string{`"a@one.example"`, `"next_cursor":"`}},
		{name: "since in the future", path: "/api/v1/suppressions?since=2099-01-01T00:00:00Z", status: 200, contains: []string{`"items":[]`}},
		{name: "invalid kind", path: "/api/v1/suppressions?kind=temporary", status: 400, contains: []string{`"field":"kind"`}},
		{name: "invalid since", path: "/api/v1/suppressions?since=yesterday", status: 400, contains: []string{`"field":"since"`}},
		{name: "invalid limit", path: "/api/v1/suppressions?limit=5000", status: 400, contains: []string{`"field":"limit"`}},
		{name: "invalid cursor", path: "/api/v1/suppressions?domain=one.example&cursor=Zm9v", status: 400, contains: []string{`"field":"cursor"`}},
	})

	var all []string
	cursor := ""
	for range 10 {
		status, body := s.do(t, "GET", "/api/v1/suppressions?limit=1&cursor="+cursor, "")
		if status != 200 {
			t.Fatalf("page: %d %s", status, body)
		}
		var page struct {
			Items      []store.Suppression `json:"items"`
			NextCursor string              `json:"next_cursor"`
		}
		json.Unmarshal([]byte(body), &page)
		for _, e := range page.Items {
			all = append(all, e.Address)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	want := []string{"a@one.example", "b@one.example", "c@two.example", "dave@example.com"}
	if !slices.Equal(all, want) {
		t.Errorf("pages = %v, want %v", all, want)
	}
}

func TestExportSuppressions(t *testing.T) {
	s := newTestServer(t, "")
	s.do(t, "PUT", "/api/v1/suppressions/x@two.example", `{"comment":"with, comma"}`)
	records := s.exportCSV(t)
	if len(records) != 3 || !slices.Equal(records[0], csvHeader) {
		t.Fatalf("records = %v, want the header and 2 entries", records)
	}
	if records[1][0] != "dave@example.com" || records[2][0] != "x@two.example" || records[2][10] != "with, comma" {
		t.Errorf("rows = %v", records[1:])
	}

	status, body := s.do(t, "GET", "/api/v1/suppressions.csv?domain=two.example", "")
	if status != 200 || strings.Count(body, "\n") != 2 {
		t.Errorf("filtered export: status %d, body %q; want the header and one entry", status, body)
	}
	if status, _ := s.do(t, "GET", "/api/v1/suppressions.csv?kind=x", ""); status != 400 {
		t.Errorf("invalid filter: status %d, want 400", status)
	}
}

func TestPostDelivery(t *testing.T) {
	s := newTestServer(t, "")
	soft := store.Event{Time: t0, Recipient: "full@example.com", Kind: "failure", Reason: "mailboxfull"}
	if err := s.store.Deliver(context.Background(), &store.Message{Received: t0}, []store.Event{soft, soft, soft}); err != nil {
		t.Fatal(err)
	}
	s.run(t, []apiCase{
		{name: "soft suppressed", path: "/api/v1/suppressions/full@example.com", status: 200, contains: []string{`"kind":"soft"`}},
		{name: "delivered", method: "POST", path: "/api/v1/deliveries", body: `{"address":"Full@example.com"}`, status: 200, contains: []string{`"kind":"delivered"`, `"cleared":true`}},
		{name: "cleared", path: "/api/v1/suppressions/full@example.com", status: 404},
		{name: "hard stays", method: "POST", path: "/api/v1/deliveries", body: `{"address":"dave@example.com"}`, status: 200, contains: []string{`"kind":"delivered"`}},
		{name: "hard still suppressed", path: "/api/v1/suppressions/dave@example.com", status: 200},
		{name: "missing address", method: "POST", path: "/api/v1/deliveries", body: `{}`, status: 400, contains: []string{`"field":"address"`}},
	})
}

func TestEvents(t *testing.T) {
	s := newTestServer(t, "")
	s.do(t, "PUT", "/api/v1/suppressions/manual@example.com", "")
	s.run(t, []apiCase{
		{name: "by provider", path: "/api/v1/events?provider=cox", status: 200, contains: []string{`"recipient":"carol@cox.net"`, `"suppression_rule":"policy:aup"`}},
		{name: "by recipient", path: "/api/v1/events?recipient=%3CDave@example.com%3E", status: 200, contains: []string{`"recipient":"dave@example.com"`, `"suppression_rule":"default:hard"`}},
		{name: "by domain", path: "/api/v1/events?domain=cox.net", status: 200, contains: []string{`"carol@cox.net"`}},
		{name: "by reason", path: "/api/v1/events?reason=userunknown", status: 200, contains: []string{`"dave@example.com"`}},
		{name: "by policy", path: "/api/v1/events?policy=aup", status: 200, contains: []string{`"carol@cox.net"`, `"decision":"count"`}},
		{name: "time range", path: "/api/v1/events?since=2026-12-01T10:30:00Z&until=2026-12-01T11:30:00Z", status: 200, contains: []string{`"carol@cox.net"`}},
		{name: "page", path: "/api/v1/events?limit=1", status: 200, contains: []string{`"dave@example.com"`, `"next_cursor"`}},
		{name: "until before since", path: "/api/v1/events?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", status: 400, contains: []string{`"field":"until"`}},
		{name: "invalid recipient", path: "/api/v1/events?recipient=nobody", status: 400, contains: []string{`"field":"recipient"`}},
		{name: "invalid cursor", path: "/api/v1/events?provider=cox&cursor=Zm9v", status: 400, contains: []string{`"field":"cursor"`}},
		{name: "one", path: "/api/v1/events/1", status: 200, contains: []string{`"id":1`, `"suppression_rule":"default:hard"`, `"decision":"suppress"`}},
		{name: "missing", path: "/api/v1/events/999", status: 404, contains: []string{`"code":"event_not_found"`}},
		{name: "invalid id", path: "/api/v1/events/abc", status: 400, contains: []string{`"field":"id"`}},
		{name: "raw", path: "/api/v1/events/1/raw", status: 200, contains: []string{"Subject: stored"}},
		{name: "raw of a manual event", path: "/api/v1/events/3/raw", status: 404, contains: []string{`"code":"no_message"`}},
		{name: "message raw", path: "/api/v1/messages/1/raw", status: 200, contains: []string{"Subject: stored"}},
		{name: "message missing", path: "/api/v1/messages/99/raw", status: 404, contains: []string{`"code":"message_not_found"`}},
	})
}

func TestPostMessage_ImportAndQuarantine(t *testing.T) {
	s := newTestServer(t, "")
	raw, err := os.ReadFile("../../cmd/bounced/testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}
	s.run(t, []apiCase{
		{name: "bounce", method: "POST", path: "/api/v1/messages?rcpt=bounces@b.example.org", body: string(raw), status: 200, contains: []string{`"recipients":2`, `"suppressed":1`}},
		{name: "same bounce again", method: "POST", path: "/api/v1/messages?rcpt=bounces@b.example.org", body: string(raw), status: 200,
			contains: []string{`"message_id":2,`, `"recipients":0`, `"duplicate":true`}},
		{name: "stored once", path: "/api/v1/events?recipient=erin@example.com", status: 200, contains: []string{`"message_id":2,`}},
		{name: "not a report", method: "POST", path: "/api/v1/messages", body: "garbage without headers", status: 200, contains: []string{`"parse_error":"`}},
		{name: "empty", method: "POST", path: "/api/v1/messages", status: 400, contains: []string{`"field":"body"`}},
		{name: "quarantined", path: "/api/v1/quarantine", status: 200, contains: []string{`"id":3`, `"parse_error":"`}},
		{name: "quarantined raw", path: "/api/v1/messages/3/raw", status: 200, contains: []string{"garbage without headers"}},
		{name: "quarantine invalid limit", path: "/api/v1/quarantine?limit=0", status: 400, contains: []string{`"field":"limit"`}},
	})
}

func TestPostReprocess(t *testing.T) {
	s := newTestServer(t, "")
	raw, err := os.ReadFile("../../cmd/bounced/testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}
	s.do(t, "POST", "/api/v1/messages", string(raw))
	s.do(t, "POST", "/api/v1/messages", "garbage without headers")
	s.run(t, []apiCase{
		// Message 1 holds no report, so reprocessing drops its two
		// hand-made events; dave stays suppressed by message 2.
		{name: "all", method: "POST", path: "/api/v1/reprocess", status: 200, contains: []string{`"messages":3`, `"events":2`, `"unparsed":1`}},
		{name: "dave still suppressed", path: "/api/v1/suppressions/dave@example.com", status: 200, contains: []string{`"event_id":`}},
		{name: "hand-made events gone", path: "/api/v1/events?provider=cox", status: 200, contains: []string{`"items":[]`}},
		{name: "since future", method: "POST", path: "/api/v1/reprocess?since=2099-01-01T00:00:00Z", status: 200, contains: []string{`"messages":0`}},
		{name: "invalid since", method: "POST", path: "/api/v1/reprocess?since=now", status: 400, contains: []string{`"field":"since"`}},
		{name: "quarantine", path: "/api/v1/quarantine", status: 200, contains: []string{`"id":3`}},
	})
}

// TestOpenAPI_MatchesRoutes checks that openapi.yaml documents exactly the
// routes the API serves, and that it is served.
func TestOpenAPI_MatchesRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("parsing openapi.yaml: %v", err)
	}
	var documented, served []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method != "parameters" {
				documented = append(documented, strings.ToUpper(method)+" "+path)
			}
		}
	}
	for _, r := range routes {
		served = append(served, r.method+" "+r.path)
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("openapi.yaml documents\n%s\nbut the API serves\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}

	s := newTestServer(t, "")
	status, body := s.do(t, "GET", "/api/v1/openapi.yaml", "")
	if status != 200 || !strings.HasPrefix(body, "openapi: 3") {
		t.Errorf("GET openapi.yaml: status %d, body starts %q", status, body[:min(len(body), 20)])
	}
}

// TestRoutes_AllTested guards the rule that every route has a test above:
// each path of the table must appear in this file.
func TestRoutes_AllTested(t *testing.T) {
	src, err := os.ReadFile("httpapi_test.go")
	if err != nil {
		t.Fatal(err)
	}
	wildcard := regexp.MustCompile(`\\{[a-z]+\\}`)
	for _, r := range routes {
		pattern := wildcard.ReplaceAllString(regexp.QuoteMeta(r.path), `[^/?"]+`)
		if !regexp.MustCompile(`"` + pattern + `[?"]`).Match(src) {
			t.Errorf("no test request for %s %s", r.method, r.path)
		}
	}
}

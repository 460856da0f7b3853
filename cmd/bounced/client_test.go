package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClientFlags_TokenNotInHelp(t *testing.T) {
	t.Setenv("BOUNCED_API_TOKEN", "s3cret-token")
	for _, command := range []string{"events", "reprocess", "quarantine"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{command, "-h"}, &stdout, &stderr); code != 0 {
			t.Fatalf("%s -h: exit %d, want 0", command, code)
		}
		if strings.Contains(stdout.String()+stderr.String(), "s3cret-token") {
			t.Errorf("%s -h printed the token of $BOUNCED_API_TOKEN", command)
		}
	}
}

func TestClient_TokenFromEnvironment(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	t.Setenv("BOUNCED_API_TOKEN", "env-token")

	fs, c := newClientFlags("test", io.Discard)
	if err := fs.Parse([]string{"-api.addr", srv.URL}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.do("GET", "/suppressions", nil, "", nil); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer env-token" {
		t.Errorf("Authorization = %q, want the token of $BOUNCED_API_TOKEN", got)
	}

	fs, c = newClientFlags("test", io.Discard)
	if err := fs.Parse([]string{"-api.addr", srv.URL, "-api.token", "flag-token"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.do("GET", "/suppressions", nil, "", nil); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer flag-token" {
		t.Errorf("Authorization = %q, want the -api.token flag to win", got)
	}
}

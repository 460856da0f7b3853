package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestVerp_EncodeDecode(t *testing.T) {
	t.Setenv(verpKeyEnv, "0123456789abcdef")
	tests := []struct {
		name       string
		args       []string
		wantOut    string
		wantStatus int
	}{
		{"encode signed", []string{"verp", "encode", "-domain", "b.example.org", "-tag", "c42", "alice@example.com"},
			"bounces-c42=6pln3r63+alice=example.com@b.example.org\n", 0},
		{"decode verified", []string{"verp", "decode", "bounces-c42=6pln3r63+alice=example.com@b.example.org"},
			`{"address":"bounces-c42=6pln3r63+alice=example.com@b.example.org","prefix":"bounces","tag":"c42","recipient":"alice@example.com","signature":"6pln3r63","verified":true}` + "\n", 0},
		{"decode forged", []string{"verp", "decode", "bounces=aaaaaaaa+alice=example.com@b.example.org"},
			`{"address":"bounces=aaaaaaaa+alice=example.com@b.example.org","prefix":"bounces","recipient":"alice@example.com","signature":"aaaaaaaa","verified":false}` + "\n", 0},
		{"decode not VERP", []string{"verp", "decode", "postmaster@b.example.org"}, "", 1},
		{"encode without domain", []string{"verp", "encode", "alice@example.com"}, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(tt.args, &stdout, &stderr)
			if status != tt.wantStatus {
				t.Errorf("exit status = %d, want %d (stderr %q)", status, tt.wantStatus, stderr.String())
			}
			if stdout.String() != tt.wantOut {
				t.Errorf("output = %q, want %q", stdout.String(), tt.wantOut)
			}
		})
	}
}

func TestVerp_EncodePlainWithoutKey(t *testing.T) {
	t.Setenv(verpKeyEnv, "")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"verp", "encode", "-domain", "b.example.org", "alice@example.com"}, &stdout, &stderr); status != 0 {
		t.Fatalf("exit status %d: %s", status, stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != "bounces+alice=example.com@b.example.org" {
		t.Errorf("output = %q, want the plain VERP address", got)
	}
}

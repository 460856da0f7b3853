package main

import (
	"crypto/tls"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/testcert"
	"github.com/bounced/bounced/internal/verp"
)

func TestServe_SignedVERPAndTLSReload(t *testing.T) {
	const key = "0123456789abcdef"
	dir := t.TempDir()
	certFile, keyFile := testcert.Write(t, dir, 1)
	cfgFile := filepath.Join(dir, "bounced.yml")
	cfg := fmt.Sprintf("smtp:\n  tls_cert_file: %s\n  tls_key_file: %s\n  verp_keys: [%q]\n", certFile, keyFile, key)
	if err := os.WriteFile(cfgFile, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, filepath.Join(dir, "data"), "-config.file", cfgFile)
	raw, err := os.ReadFile("testdata/two-recipients.eml")
	if err != nil {
		t.Fatal(err)
	}

	// An unsigned return path is stored and counted, but suppresses no one.
	if err := d.send(t, "bounces+dave=example.com@"+bounceDomain, raw); err != nil {
		t.Fatalf("sending to a plain VERP address: %v", err)
	}
	checkSuppressed(t, d, "dave@example.com", false)
	if got := d.metrics(t)["bounced_smtp_suspicious_messages_total,cause=unverified_return_path"]; got != 1 {
		t.Errorf("suspicious messages with an unverified return path = %v, want 1", got)
	}

	keys, _ := verp.NewKeys([]string{key})
	signed, err := keys.Sign("bounces", "", "dave@example.com", bounceDomain)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.send(t, signed, raw); err != nil {
		t.Fatalf("sending to %s: %v", signed, err)
	}
	checkSuppressed(t, d, "dave@example.com", true)

	if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitForLog(t, d, `msg="tls certificate loaded"`, 2)
	c, err := smtp.DialStartTLS(d.smtpAddr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatalf("STARTTLS after SIGHUP: %v", err)
	}
	defer c.Close()
	if err := c.Noop(); err != nil {
		t.Errorf("NOOP over TLS after SIGHUP: %v", err)
	}
}

// waitForLog waits until the daemon has logged text n times.
func waitForLog(t *testing.T, d *daemon, text string, n int) {
	t.Helper()
	for range 500 {
		if strings.Count(d.logText(), text) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("daemon did not log %s %d times within 5s", text, n)
}

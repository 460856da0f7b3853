package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServe_MemoryLimitFromSMTPLimits checks that serve sets the soft
// memory limit from the SMTP server's message memory: the shared buffer
// budget, the least kept bytes (64 KiB) per connection, and the headroom.
func TestServe_MemoryLimitFromSMTPLimits(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOMEMLIMIT is set, so bounced takes the limit from it")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bounced.yml")
	yml := "smtp:\n  max_connections: 100\n  max_connections_per_ip: 20\n  max_buffered_bytes: 8388608\n"
	if err := os.WriteFile(cfg, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}

	d := startDaemon(t, dir, "-config.file", cfg)

	messages := 8<<20 + 100*64<<10
	want := fmt.Sprintf(`msg="memory limit set" bytes=%d message_bytes=%d`, messages+memoryHeadroom, messages)
	if log := d.logText(); !strings.Contains(log, want) {
		t.Errorf("daemon log lacks %s:\n%s", want, log)
	}
}

package config

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bounced/bounced/internal/suppress"
)

func TestDecode_OverDefaults(t *testing.T) {
	cfg, err := Decode(strings.NewReader(`
smtp:
  listen: 0.0.0.0:25
  domains: [bounces.example.org]
shutdown_timeout: 10s
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTP.Listen != "0.0.0.0:25" || len(cfg.SMTP.Domains) != 1 {
		t.Errorf("smtp = %+v, want the file's values", cfg.SMTP)
	}
	if cfg.HTTP.Listen != Default().HTTP.Listen {
		t.Errorf("http.listen = %q, want the default %q", cfg.HTTP.Listen, Default().HTTP.Listen)
	}
	if cfg.ShutdownTimeout != Duration(10*time.Second) {
		t.Errorf("shutdown_timeout = %v, want 10s", cfg.ShutdownTimeout)
	}
}

func TestDecode_ClassifyRulesFile(t *testing.T) {
	cfg, err := Decode(strings.NewReader("classify:\n  rules_file: /etc/bounced/rules.yml\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Classify.RulesFile != "/etc/bounced/rules.yml" {
		t.Errorf("classify.rules_file = %q, want /etc/bounced/rules.yml", cfg.Classify.RulesFile)
	}

	_, err = Decode(strings.NewReader("classify:\n  rule_file: x\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: unknown key "rule_file"`) {
		t.Errorf("misspelt key: error = %v", err)
	}
}

func TestDecode_Errors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown key", "smtp:\n  listn: x\n", `line 2: unknown key "listn"`},
		{"wrong type", "shutdown_timeout: soon\n", `line 1: shutdown_timeout: want a duration such as 30s, 5m or 30d, not "soon"`},
		{"second document", "---\nsmtp:\n  max_recipients: 10\n---\nsmtp:\n  max_recipients: lots\n",
			`line 4: a second document starts here; put all settings in one document`},
		{"second document after an empty one", "---\n# none\n---\nlog_level: debug\n",
			`line 3: a second document starts here`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDecode_EmptyIsDefault(t *testing.T) {
	cfg, err := Decode(strings.NewReader("# nothing set\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("default config invalid: %v", err)
	}
}

func TestValidate_PublicListeners(t *testing.T) {
	cfg := Default()
	cfg.SMTP.Listen = "0.0.0.0:25"
	cfg.HTTP.Listen = "[::]:8025"
	err := cfg.Validate()
	if err == nil {
		t.Fatal("public listeners without domains and token accepted")
	}
	for _, want := range []string{"smtp.domains is required", "http.token is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

	cfg.SMTP.Domains = []string{"bounces.example.org"}
	cfg.HTTP.Token = "t"
	if err := cfg.Validate(); err != nil {
		t.Errorf("public listeners with domains and token: %v", err)
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:25": true, "[::1]:25": true, "localhost:25": true, "127.9.9.9:1": true,
		"0.0.0.0:25": false, ":25": false, "192.0.2.1:25": false, "nonsense": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestLoad_ExampleFile(t *testing.T) {
	cfg, err := Load("../../deploy/bounced.example.yml")
	if err != nil {
		t.Fatalf("loading the example configuration: %v", err)
	}
	def := Default()
	if cfg.SMTP.Listen != def.SMTP.Listen || cfg.HTTP.Listen != def.HTTP.Listen || cfg.DataDir != def.DataDir ||
		cfg.LogLevel != def.LogLevel || cfg.ShutdownTimeout != def.ShutdownTimeout || cfg.Classify != def.Classify {
		t.Errorf("example file = %+v, want the defaults %+v", cfg, def)
	}
	if len(cfg.Parse.ExtraHeaders) != 0 {
		t.Errorf("example parse.extra_headers = %q, want none", cfg.Parse.ExtraHeaders)
	}
	// The file writes the empty lists as [], which decodes to empty, not
	// nil, slices.
	cfg.SMTP.Domains, cfg.SMTP.VERPKeys = nil, nil
	if !reflect.DeepEqual(cfg.SMTP, def.SMTP) {
		t.Errorf("example file smtp = %+v, want the defaults %+v", cfg.SMTP, def.SMTP)
	}
}

func TestValidate_SMTPSettings(t *testing.T) {
	tests := []struct {
		name string
		edit func(*SMTP)
		want string
	}{
		{"certificate without key", func(s *SMTP) { s.TLSCertFile = "cert.pem" },
			"smtp.tls_cert_file and smtp.tls_key_file must be set together"},
		{"short VERP key", func(s *SMTP) { s.VERPKeys = []string{"0123456789abcdef", "short"} },
			"smtp.verp_keys[1] is 5 bytes, want at least 16"},
		{"keep past ceiling", func(s *SMTP) { s.KeepBytes = s.MaxMessageBytes + 1 },
			"smtp.keep_bytes 67108865 is larger than smtp.max_message_bytes 67108864"},
		{"keep_bytes below minimum", func(s *SMTP) { s.KeepBytes, s.MinKeepBytes = 10, 5 },
			"smtp.keep_bytes 10 is less than the minimum of 65536 bytes, room for a report and the returned headers\n" +
				"smtp.min_keep_bytes 5 is less than the minimum of 65536 bytes, room for a report and the returned headers"},
		{"keep_bytes at minimum", func(s *SMTP) { s.KeepBytes, s.MinKeepBytes = 64<<10, 64<<10 }, ""},
		{"min_keep_bytes past keep_bytes", func(s *SMTP) { s.KeepBytes, s.MinKeepBytes = 64<<10, 128<<10 },
			"smtp.min_keep_bytes 131072 is larger than smtp.keep_bytes 65536"},
		{"zero keep_bytes", func(s *SMTP) { s.KeepBytes, s.MinKeepBytes = 0, 64<<10 },
			"smtp.keep_bytes 0 is less than the minimum of 65536 bytes, room for a report and the returned headers\n" +
				"smtp.min_keep_bytes 65536 is larger than smtp.keep_bytes 0"},
		{"zero limit", func(s *SMTP) { s.MaxConnectionsPerIP = 0 },
			"smtp.max_connections_per_ip must be positive, got 0"},
		{"negative timeout", func(s *SMTP) { s.DataTimeout = -1 },
			"smtp.data_timeout must be positive, got -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Default()
			tt.edit(&cfg.SMTP)
			err := cfg.Validate()
			if tt.want == "" && err != nil {
				t.Errorf("Validate error = %v, want none", err)
			}
			if tt.want != "" && (err == nil || err.Error() != tt.want) {
				t.Errorf("Validate error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestValidate_ListenAddress(t *testing.T) {
	tests := []struct {
		name string
		smtp string
		http string
		want string
	}{
		{"no port", "bogus", "127.0.0.1:8025",
			`smtp.listen: invalid listen address "bogus": want host:port or the absolute path of a unix socket`},
		{"http no port", "127.0.0.1:2525", "bogus",
			`http.listen: invalid listen address "bogus": want host:port`},
		{"http unix socket", "127.0.0.1:2525", "/run/bounced/http.sock",
			`http.listen: invalid listen address "/run/bounced/http.sock": want host:port`},
		{"port out of range", "0.0.0.0:70000", "127.0.0.1:8025",
			`smtp.listen: invalid listen address "0.0.0.0:70000": port "70000" is not a number from 0 to 65535`},
		{"service name", ":smtp", "127.0.0.1:8025",
			`smtp.listen: invalid listen address ":smtp": port "smtp" is not a number from 0 to 65535`},
		{"empty port", "127.0.0.1:", "127.0.0.1:8025",
			`smtp.listen: invalid listen address "127.0.0.1:": missing port`},
		{"bad host", "mx one:25", "127.0.0.1:8025",
			`smtp.listen: invalid listen address "mx one:25": host "mx one" is neither an IP address nor a host name`},
		{"both empty", "", "",
			"smtp.listen is empty\nhttp.listen is empty"},
		{"host name", "localhost:2525", "[::1]:8025", ""},
		{"unix socket", "/run/bounced/lmtp.sock", "127.0.0.1:0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Default()
			cfg.SMTP.Listen, cfg.HTTP.Listen = tt.smtp, tt.http
			err := cfg.Validate()
			if tt.want == "" && err != nil {
				t.Errorf("Validate error = %v, want none", err)
			}
			if tt.want != "" && (err == nil || err.Error() != tt.want) {
				t.Errorf("Validate error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestValidate_UnixSocketNeedsNoDomains(t *testing.T) {
	cfg := Default()
	cfg.SMTP.Listen = "/run/bounced/lmtp.sock"
	cfg.SMTP.LMTP = true
	if err := cfg.Validate(); err != nil {
		t.Errorf("LMTP on a unix socket without domains: %v", err)
	}
}

func TestDecode_ParseExtraHeaders(t *testing.T) {
	cfg, err := Decode(strings.NewReader("parse:\n  extra_headers: [X-Campaign-ID, x-list-id]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cfg.Parse.ExtraHeaders, ","); got != "X-Campaign-ID,x-list-id" {
		t.Errorf("parse.extra_headers = %q, want X-Campaign-ID,x-list-id", got)
	}
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestValidate_InvalidExtraHeader(t *testing.T) {
	cfg := Default()
	cfg.Parse.ExtraHeaders = []string{"X-Campaign-ID", "X Campaign:"}
	err := cfg.Validate()
	want := `parse.extra_headers: "X Campaign:" is not a valid header field name`
	if err == nil || err.Error() != want {
		t.Errorf("Validate error = %v, want %q", err, want)
	}
}

func TestLoad_ExampleFileStoreAndPolicy(t *testing.T) {
	cfg, err := Load("../../deploy/bounced.example.yml")
	if err != nil {
		t.Fatalf("loading the example configuration: %v", err)
	}
	if cfg.Store != Default().Store {
		t.Errorf("store = %+v, want the default %+v", cfg.Store, Default().Store)
	}
	got, err := cfg.Suppression.Policy()
	if err != nil {
		t.Fatalf("example suppression policy: %v", err)
	}
	want := suppress.Default()
	for _, reason := range []string{"mailboxfull", "exceedlimit", "suspend"} {
		if got.ByReason[reason] != want.ByReason[reason] {
			t.Errorf("rule for %s = %+v, want the default %+v", reason, got.ByReason[reason], want.ByReason[reason])
		}
	}
	if got.ByPolicy["aup"] != want.ByPolicy["aup"] {
		t.Errorf("rule for aup = %+v, want the default %+v", got.ByPolicy["aup"], want.ByPolicy["aup"])
	}
	for _, kind := range []suppress.Kind{suppress.KindHard, suppress.KindSoft, suppress.KindComplaint, suppress.KindManual} {
		if got.Expiry[kind] != want.Expiry[kind] {
			t.Errorf("expiry of %s = %v, want the default %v", kind, got.Expiry[kind], want.Expiry[kind])
		}
	}
}

func TestSuppressionPolicy_Errors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown action", "suppression:\n  reasons:\n    mailboxfull: {action: ban}\n", `rule "reason:mailboxfull": invalid action "ban"`},
		{"threshold without window", "suppression:\n  reasons:\n    mailboxfull: {action: threshold, threshold: 2}\n", `rule "reason:mailboxfull": threshold 2 and window 0s must be positive`},
		{"unknown kind", "suppression:\n  expiry:\n    temporary: 1h\n", `suppression.expiry: invalid kind "temporary"`},
		{"misspelt reason", "suppression:\n  reasons:\n    mailbofull: {action: count}\n", `suppression.reasons: unknown name "mailbofull"`},
		{"unknown policy kind", "suppression:\n  policies:\n    spam: {action: count}\n", `suppression.policies: unknown name "spam"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Decode(strings.NewReader(tt.yaml))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			err = cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestDecode_DurationsInDays(t *testing.T) {
	const doc = `store:
  raw_retention: 30d
  event_retention: 8760h
suppression:
  expiry:
    soft: 14d
  reasons:
    mailboxfull: {action: threshold, threshold: 3, window: 7d}
`
	cfg, err := Decode(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	if got := time.Duration(cfg.Store.RawRetention); got != 30*day {
		t.Errorf("raw_retention = %v, want 30 days", got)
	}
	if got := time.Duration(cfg.Store.EventRetention); got != 365*day {
		t.Errorf("event_retention = %v, want 365 days", got)
	}
	if got := time.Duration(cfg.Suppression.Expiry["soft"]); got != 14*day {
		t.Errorf("suppression.expiry.soft = %v, want 14 days", got)
	}
	if got := time.Duration(cfg.Suppression.Reasons["mailboxfull"].Window); got != 7*day {
		t.Errorf("mailboxfull window = %v, want 7 days", got)
	}
}

func TestParseDuration_Invalid(t *testing.T) {
	for _, s := range []string{"", "d", "-1d", "1.5d", "30 d", "99999999999d", "soon", "30days"} {
		if d, err := ParseDuration(s); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", s, d)
		}
	}
}

// Package config reads bounced's configuration file: YAML, decoded strictly
// so that a misspelt key is an error, on top of the defaults in Default.
//
// Process settings (listen addresses, data directory, log level) can also
// be given as flags; the command applies those over the file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/bounced/bounced/internal/smtpd"
	"github.com/bounced/bounced/internal/verp"
)

// Config is the whole configuration.
type Config struct {
	SMTP     SMTP     `yaml:"smtp"`
	HTTP     HTTP     `yaml:"http"`
	Classify Classify `yaml:"classify"`

	Store       Store       `yaml:"store"`
	Suppression Suppression `yaml:"suppression"`

	Parse Parse `yaml:"parse"`

	// DataDir is the directory of the database.
	DataDir string `yaml:"data_dir"`

	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`

	// ShutdownTimeout is how long sessions in flight may take to finish
	// after SIGINT or SIGTERM.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
}

// SMTP configures the SMTP or LMTP listener. Zero limits and timeouts
// take the defaults of package smtpd, which Default fills in.
type SMTP struct {
	// Listen is a TCP address, or the path of a unix socket when it starts
	// with "/".
	Listen string `yaml:"listen"`

	// Hostname is the name in the greeting; empty means the host name.
	Hostname string `yaml:"hostname"`

	// Domains are the bounce domains whose recipients are accepted. Empty
	// accepts every domain, which Validate allows only on loopback.
	Domains []string `yaml:"domains"`

	// LMTP makes the listener speak LMTP, for a local MTA.
	LMTP bool `yaml:"lmtp"`

	// TLSCertFile and TLSKeyFile are the PEM files offered with STARTTLS;
	// both or neither. SIGHUP reloads them.
	TLSCertFile string `yaml:"tls_cert_file"`
	TLSKeyFile  string `yaml:"tls_key_file"`

	// VERPKeys are the signing keys of VERP return paths, the first one
	// current; each at least 16 bytes. Empty turns signing off.
	VERPKeys []string `yaml:"verp_keys"`

	// Sizes in bytes.
	KeepBytes        int64 `yaml:"keep_bytes"`
	MaxMessageBytes  int64 `yaml:"max_message_bytes"`
	MaxBufferedBytes int64 `yaml:"max_buffered_bytes"`
	MinKeepBytes     int64 `yaml:"min_keep_bytes"`
	MaxLineLength    int   `yaml:"max_line_length"`

	MaxRecipients       int `yaml:"max_recipients"`
	MaxConnections      int `yaml:"max_connections"`
	MaxConnectionsPerIP int `yaml:"max_connections_per_ip"`
	MaxErrors           int `yaml:"max_errors"`

	CommandTimeout Duration `yaml:"command_timeout"`
	DataTimeout    Duration `yaml:"data_timeout"`
	SessionTimeout Duration `yaml:"session_timeout"`
	CommitTimeout  Duration `yaml:"commit_timeout"`
}

// IsUnixSocket reports whether a listen address is the path of a unix
// socket.
func IsUnixSocket(addr string) bool {
	return strings.HasPrefix(addr, "/")
}

func defaultSMTP() SMTP {
	return SMTP{
		Listen:              "127.0.0.1:2525",
		KeepBytes:           smtpd.DefaultKeepBytes,
		MaxMessageBytes:     smtpd.DefaultMaxMessageBytes,
		MaxBufferedBytes:    smtpd.DefaultMaxBufferedBytes,
		MinKeepBytes:        smtpd.DefaultMinKeepBytes,
		MaxLineLength:       smtpd.DefaultMaxLineLength,
		MaxRecipients:       smtpd.DefaultMaxRecipients,
		MaxConnections:      smtpd.DefaultMaxConnections,
		MaxConnectionsPerIP: smtpd.DefaultMaxConnectionsPerIP,
		MaxErrors:           smtpd.DefaultMaxErrors,
		CommandTimeout:      Duration(smtpd.DefaultCommandTimeout),
		DataTimeout:         Duration(smtpd.DefaultDataTimeout),
		SessionTimeout:      Duration(smtpd.DefaultSessionTimeout),
		CommitTimeout:       Duration(smtpd.DefaultCommitTimeout),
	}
}

// validate checks the SMTP settings that would otherwise fail at start or
// be silently replaced by a default.
func (s SMTP) validate() []error {
	var errs []error
	if (s.TLSCertFile == "") != (s.TLSKeyFile == "") {
		errs = append(errs, errors.New("smtp.tls_cert_file and smtp.tls_key_file must be set together"))
	}
	for i, key := range s.VERPKeys {
		if len(key) < verp.MinKeyLen {
			errs = append(errs, fmt.Errorf("smtp.verp_keys[%d] is %d bytes, want at least %d", i, len(key), verp.MinKeyLen))
		}
	}
	for _, keep := range []struct {
		name  string
		value int64
	}{{"keep_bytes", s.KeepBytes}, {"min_keep_bytes", s.MinKeepBytes}} {
		if keep.value < smtpd.KeepBytesFloor {
			errs = append(errs, fmt.Errorf("smtp.%s %d is less than the minimum of %d bytes, room for a report and the returned headers", keep.name, keep.value, smtpd.KeepBytesFloor))
		}
	}
	if s.MinKeepBytes > s.KeepBytes {
		errs = append(errs, fmt.Errorf("smtp.min_keep_bytes %d is larger than smtp.keep_bytes %d", s.MinKeepBytes, s.KeepBytes))
	}
	if s.KeepBytes > s.MaxMessageBytes {
		errs = append(errs, fmt.Errorf("smtp.keep_bytes %d is larger than smtp.max_message_bytes %d", s.KeepBytes, s.MaxMessageBytes))
	}
	limits := []struct {
		name  string
		value int64
	}{
		{"max_message_bytes", s.MaxMessageBytes}, {"max_buffered_bytes", s.MaxBufferedBytes},
		{"max_line_length", int64(s.MaxLineLength)}, {"max_recipients", int64(s.MaxRecipients)},
		{"max_connections", int64(s.MaxConnections)}, {"max_connections_per_ip", int64(s.MaxConnectionsPerIP)},
		{"max_errors", int64(s.MaxErrors)}, {"command_timeout", int64(s.CommandTimeout)}, {"data_timeout", int64(s.DataTimeout)},
		{"session_timeout", int64(s.SessionTimeout)}, {"commit_timeout", int64(s.CommitTimeout)},
	}
	for _, l := range limits {
		if l.value <= 0 {
			errs = append(errs, fmt.Errorf("smtp.%s must be positive, got %d", l.name, l.value))
		}
	}
	return errs
}

// HTTP configures the HTTP listener of the metrics, health checks and API.
type HTTP struct {
	Listen string `yaml:"listen"`

	// Token is the bearer token the API requires. Validate requires one
	// when Listen is not a loopback address.
	Token string `yaml:"token"`
}

// Default returns the configuration used where the file says nothing: a
// daemon on loopback with its data under the working directory.
func Default() Config {
	return Config{
		SMTP:            defaultSMTP(),
		HTTP:            HTTP{Listen: "127.0.0.1:8025"},
		DataDir:         "bounced-data",
		LogLevel:        "info",
		ShutdownTimeout: Duration(30 * time.Second),
		Store:           Store{RawRetention: Duration(DefaultRawRetention), EventRetention: Duration(DefaultEventRetention)},
	}
}

// Load reads the file at path over Default. It does not validate; call
// Validate once flags have been applied.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading config: %w", err)
	}
	defer f.Close()

	cfg, err := Decode(f)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Decode reads a configuration from r over Default. Unknown keys are
// errors that name the line.
func Decode(r io.Reader) (Config, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Config{}, err
	}
	cfg := Default()
	if len(bytes.TrimSpace(data)) == 0 {
		return cfg, nil
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, locateSyntaxError(data, err)
	}

	// The decoder reads one document, so the settings of any after it
	// would be dropped without a word.
	var next yaml.Node
	if err := dec.Decode(&next); err == nil && len(next.Content) > 0 {
		return Config{}, fmt.Errorf("yaml: line %d: a second document starts here; put all settings in one document", next.Line)
	}
	return cfg, nil
}

// Validate checks the settings that would otherwise fail later or expose
// the daemon on a network without the protection it needs there.
func (c Config) Validate() error {
	var errs []error
	smtpListenErr := checkListen("smtp.listen", c.SMTP.Listen, true)
	httpListenErr := checkListen("http.listen", c.HTTP.Listen, false)
	errs = append(errs, smtpListenErr, httpListenErr)
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir is empty"))
	}
	errs = append(errs, c.SMTP.validate()...)
	// The loopback rules apply to valid addresses only, so that a typing
	// error is reported as such.
	if smtpListenErr == nil && len(c.SMTP.Domains) == 0 && !IsLoopback(c.SMTP.Listen) && !IsUnixSocket(c.SMTP.Listen) {
		errs = append(errs, fmt.Errorf("smtp.domains is required when smtp.listen %q is not a loopback address", c.SMTP.Listen))
	}
	if httpListenErr == nil && c.HTTP.Token == "" && !IsLoopback(c.HTTP.Listen) {
		errs = append(errs, fmt.Errorf("http.token is required when http.listen %q is not a loopback address", c.HTTP.Listen))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("shutdown_timeout %v must be positive", c.ShutdownTimeout))
	}
	if _, err := c.Suppression.Policy(); err != nil {
		errs = append(errs, err)
	}
	if c.Store.RawRetention < 0 || c.Store.EventRetention < 0 {
		errs = append(errs, fmt.Errorf("store.raw_retention %v and store.event_retention %v must not be negative", c.Store.RawRetention, c.Store.EventRetention))
	}
	errs = append(errs, c.Parse.validate()...)
	return errors.Join(errs...)
}

// IsLoopback reports whether a listen address only accepts connections
// from this machine.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

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
	"time"

	"go.yaml.in/yaml/v3"
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
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
}

// SMTP configures the SMTP listener.
type SMTP struct {
	Listen string `yaml:"listen"`

	// Hostname is the name in the greeting; empty means the host name.
	Hostname string `yaml:"hostname"`

	// Domains are the bounce domains whose recipients are accepted. Empty
	// accepts every domain, which Validate allows only on loopback.
	Domains []string `yaml:"domains"`
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
		SMTP:            SMTP{Listen: "127.0.0.1:2525"},
		HTTP:            HTTP{Listen: "127.0.0.1:8025"},
		DataDir:         "bounced-data",
		LogLevel:        "info",
		ShutdownTimeout: 30 * time.Second,
		Store:           Store{RawRetention: DefaultRawRetention, EventRetention: DefaultEventRetention},
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
		return Config{}, err
	}
	return cfg, nil
}

// Validate checks the settings that would otherwise fail later or expose
// the daemon on a network without the protection it needs there.
func (c Config) Validate() error {
	var errs []error
	if c.SMTP.Listen == "" {
		errs = append(errs, errors.New("smtp.listen is empty"))
	}
	if c.HTTP.Listen == "" {
		errs = append(errs, errors.New("http.listen is empty"))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data_dir is empty"))
	}
	if len(c.SMTP.Domains) == 0 && !IsLoopback(c.SMTP.Listen) {
		errs = append(errs, fmt.Errorf("smtp.domains is required when smtp.listen %q is not a loopback address", c.SMTP.Listen))
	}
	if c.HTTP.Token == "" && !IsLoopback(c.HTTP.Listen) {
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

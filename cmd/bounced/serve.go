package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bounced/bounced/internal/httpapi"
	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/smtpd"
	"github.com/bounced/bounced/internal/store"
)

// serveConfig holds the flags of `bounced serve`.
type serveConfig struct {
	smtpListen      string
	httpListen      string
	dataDir         string
	domains         string
	hostname        string
	apiToken        string
	logLevel        slog.Level
	shutdownTimeout time.Duration
}

func (c *serveConfig) register(fs *flag.FlagSet) {
	fs.StringVar(&c.smtpListen, "smtp.listen", "127.0.0.1:2525", "`address` of the SMTP listener")
	fs.StringVar(&c.httpListen, "http.listen", "127.0.0.1:8025", "`address` of the HTTP listener for /metrics, health checks and the API")
	fs.StringVar(&c.dataDir, "data.dir", "bounced-data", "`directory` holding the database")
	fs.StringVar(&c.domains, "smtp.domains", "", "comma-separated bounce `domains` whose recipients are accepted; empty accepts every domain, allowed only on a loopback listener")
	fs.StringVar(&c.hostname, "smtp.hostname", "", "`name` in the SMTP greeting (default: the host name)")
	fs.StringVar(&c.apiToken, "api.token", os.Getenv("BOUNCED_API_TOKEN"), "bearer `token` required by /api/ (default: $BOUNCED_API_TOKEN); required when the HTTP listener is not on loopback")
	fs.TextVar(&c.logLevel, "log.level", slog.LevelInfo, "log `level`: debug, info, warn or error")
	fs.DurationVar(&c.shutdownTimeout, "shutdown.timeout", 30*time.Second, "how long sessions in flight may take to finish after SIGINT or SIGTERM")
}

// check rejects settings that would expose the daemon on a network without
// the protection it needs there.
func (c *serveConfig) check() error {
	if c.domains == "" && !isLoopback(c.smtpListen) {
		return fmt.Errorf("-smtp.domains is required when -smtp.listen %q is not a loopback address", c.smtpListen)
	}
	if c.apiToken == "" && !isLoopback(c.httpListen) {
		return fmt.Errorf("-api.token is required when -http.listen %q is not a loopback address", c.httpListen)
	}
	return nil
}

func (c *serveConfig) domainList() []string {
	var list []string
	for _, d := range strings.Split(c.domains, ",") {
		if d = strings.TrimSpace(d); d != "" {
			list = append(list, d)
		}
	}
	return list
}

// isLoopback reports whether a listen address only accepts connections
// from this machine.
func isLoopback(addr string) bool {
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

// serve implements `bounced serve`.
func serve(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg serveConfig
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}

	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	if err := cfg.check(); err != nil {
		log.Error("invalid configuration", "err", err)
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runDaemon(ctx, cfg, log); err != nil {
		log.Error("bounced stopped with an error", "err", err)
		return 1
	}
	return 0
}

// runDaemon wires the parts, serves until ctx ends, then shuts down: stop
// accepting, let sessions finish within the timeout, close the database.
func runDaemon(ctx context.Context, cfg serveConfig, log *slog.Logger) error {
	st, err := store.Open(filepath.Join(cfg.dataDir, "bounced.db"), store.Options{Logger: log.With("component", "store")})
	if err != nil {
		return err
	}
	defer closeStore(st, log)

	reg := newRegistry()
	pipeline := ingest.New(st, ingest.NewMetrics(reg), log.With("component", "ingest"))

	smtpLn, err := net.Listen("tcp", cfg.smtpListen)
	if err != nil {
		return fmt.Errorf("listening for SMTP on %s: %w", cfg.smtpListen, err)
	}
	httpLn, err := net.Listen("tcp", cfg.httpListen)
	if err != nil {
		smtpLn.Close()
		return fmt.Errorf("listening for HTTP on %s: %w", cfg.httpListen, err)
	}

	smtpServer := smtpd.New(smtpd.Config{
		Hostname: hostname(cfg.hostname),
		Domains:  cfg.domainList(),
	}, pipeline, log.With("component", "smtpd"))
	httpServer := &http.Server{
		Handler:           httpapi.New(httpapi.Config{Token: cfg.apiToken}, st, reg, log.With("component", "http")),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	errc := make(chan error, 2)
	go func() { errc <- smtpServer.Serve(smtpLn) }()
	go func() { errc <- serveHTTP(httpServer, httpLn, log.With("component", "http")) }()
	log.Info("bounced started", "smtp", smtpLn.Addr().String(), "http", httpLn.Addr().String(), "db", st.Path())

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.shutdownTimeout)
	case serveErr = <-errc:
		log.Error("listener failed, shutting down", "err", serveErr)
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := smtpServer.Shutdown(shutdownCtx); err != nil {
		log.Error("smtp shutdown failed", "err", err)
	}
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		log.Error("http shutdown failed", "err", err)
	}
	return serveErr
}

func serveHTTP(srv *http.Server, ln net.Listener, log *slog.Logger) error {
	log.Info("http listener started", "addr", ln.Addr().String())
	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

func closeStore(st *store.Store, log *slog.Logger) {
	path := st.Path()
	if err := st.Close(); err != nil {
		log.Error("closing database failed", "db", path, "err", err)
		return
	}
	log.Info("database closed", "db", path)
}

// newRegistry returns a registry with the Go runtime and process
// collectors, to which the pipeline adds its own series.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

func hostname(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	name, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return name
}

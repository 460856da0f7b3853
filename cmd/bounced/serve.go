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
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/config"
	"github.com/bounced/bounced/internal/dsn"
	"github.com/bounced/bounced/internal/httpapi"
	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

// serveFlags holds the flags of `bounced serve`. Each one that is set
// overrides the configuration file.
type serveFlags struct {
	configFile string
	smtpListen string
	httpListen string
	dataDir    string
	domains    string
	hostname   string
	apiToken   string
	logLevel   string
	rulesFile  string
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	def := config.Default()
	fs.StringVar(&f.configFile, "config.file", "", "YAML configuration `file`; flags override its settings")
	fs.StringVar(&f.smtpListen, "smtp.listen", def.SMTP.Listen, "`address` of the SMTP listener")
	fs.StringVar(&f.httpListen, "http.listen", def.HTTP.Listen, "`address` of the HTTP listener for /metrics, health checks and the API")
	fs.StringVar(&f.dataDir, "data.dir", def.DataDir, "`directory` holding the database")
	fs.StringVar(&f.domains, "smtp.domains", "", "comma-separated bounce `domains` whose recipients are accepted; empty accepts every domain, allowed only on a loopback listener")
	fs.StringVar(&f.hostname, "smtp.hostname", "", "`name` in the SMTP greeting (default: the host name)")
	fs.StringVar(&f.apiToken, "api.token", "", "bearer `token` required by /api/ (default: $BOUNCED_API_TOKEN); required when the HTTP listener is not on loopback")
	fs.StringVar(&f.logLevel, "log.level", def.LogLevel, "log `level`: debug, info, warn or error")
	fs.StringVar(&f.rulesFile, "rules.file", def.Classify.RulesFile, "operator classification rules `file`, read before the embedded rules and again on SIGHUP")
}

// load reads the configuration file, if any, then applies the
// environment and the flags that were set on the command line.
func (f *serveFlags) load(fs *flag.FlagSet) (config.Config, error) {
	cfg := config.Default()
	if f.configFile != "" {
		var err error
		if cfg, err = config.Load(f.configFile); err != nil {
			return cfg, err
		}
	}
	if token := os.Getenv("BOUNCED_API_TOKEN"); token != "" {
		cfg.HTTP.Token = token
	}

	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "smtp.listen":
			cfg.SMTP.Listen = f.smtpListen
		case "http.listen":
			cfg.HTTP.Listen = f.httpListen
		case "data.dir":
			cfg.DataDir = f.dataDir
		case "smtp.domains":
			cfg.SMTP.Domains = splitList(f.domains)
		case "smtp.hostname":
			cfg.SMTP.Hostname = f.hostname
		case "api.token":
			cfg.HTTP.Token = f.apiToken
		case "log.level":
			cfg.LogLevel = f.logLevel
		case "rules.file":
			cfg.Classify.RulesFile = f.rulesFile
		}
	})
	return cfg, cfg.Validate()
}

func splitList(s string) []string {
	var list []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			list = append(list, item)
		}
	}
	return list
}

// serve implements `bounced serve`.
func serve(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var flags serveFlags
	flags.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bounced serve: unexpected argument %q: serve takes only flags\n", fs.Arg(0))
		fs.Usage()
		return 2
	}

	cfg, err := flags.load(fs)
	if err != nil {
		fmt.Fprintf(stderr, "bounced serve: invalid configuration: %v\n", err)
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		fmt.Fprintf(stderr, "bounced serve: invalid log level %q: %v\n", cfg.LogLevel, err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

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
func runDaemon(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	classifier, err := classify.NewClassifier(cfg.Classify.RulesFile)
	if err != nil {
		return fmt.Errorf("loading classification rules: %w", err)
	}
	log.Info("classification rules loaded", "rules_file", cfg.Classify.RulesFile, "rules", classifier.Rules().Len())

	// Catch SIGHUP from the start: its default action ends the process.
	hangup := make(chan os.Signal, 1)
	signal.Notify(hangup, syscall.SIGHUP)
	defer signal.Stop(hangup)

	policy, err := cfg.Suppression.Policy()
	if err != nil {
		return err
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, "bounced.db"), store.Options{
		Logger:         log.With("component", "store"),
		Policy:         policy,
		RawRetention:   time.Duration(cfg.Store.RawRetention),
		EventRetention: time.Duration(cfg.Store.EventRetention),
	})
	if err != nil {
		return err
	}
	defer closeStore(st, log)

	reg := newRegistry()
	reg.MustRegister(ingest.NewSuppressionCollector(st))
	pipeline := ingest.New(st, ingest.NewMetrics(reg, cfg.SMTP.Domains...), log.With("component", "ingest"))
	pipeline.UseClassifier(classifier)
	pipeline.ParseOptions = dsn.Options{ExtraHeaders: cfg.Parse.ExtraHeaders}

	smtpServer, err := newSMTPServer(cfg.SMTP, pipeline, reg, log.With("component", "smtpd"))
	if err != nil {
		return err
	}
	limitMemory(log, smtpServer.MessageMemory())
	smtpLn, err := listenSMTP(cfg.SMTP.Listen)
	if err != nil {
		return fmt.Errorf("listening for SMTP on %s: %w", cfg.SMTP.Listen, err)
	}
	httpLn, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		smtpLn.Close()
		return fmt.Errorf("listening for HTTP on %s: %w", cfg.HTTP.Listen, err)
	}

	httpServer := &http.Server{
		Handler:           httpapi.New(httpapi.Config{Token: cfg.HTTP.Token}, st, pipeline, reg, log.With("component", "http")),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	errc := make(chan error, 2)
	go func() { errc <- smtpServer.Serve(smtpLn) }()
	go func() { errc <- serveHTTP(httpServer, httpLn, log.With("component", "http")) }()
	go reloadOnHangup(ctx, hangup,
		func() { reloadRules(classifier, log.With("component", "classify")) },
		func() { reloadTLS(smtpServer, log.With("component", "smtpd")) },
	)
	log.Info("bounced started", "smtp", smtpLn.Addr().String(), "http", httpLn.Addr().String(), "db", st.Path())

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	case serveErr = <-errc:
		log.Error("listener failed, shutting down", "err", serveErr)
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), time.Duration(cfg.ShutdownTimeout))
	defer cancel()
	if err := smtpServer.Shutdown(shutdownCtx); err != nil {
		log.Error("smtp shutdown failed", "err", err)
	}
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		log.Error("http shutdown failed", "err", err)
	}
	return serveErr
}

// reloadOnHangup runs every reload at each signal on hangup until ctx
// ends. Sessions keep running meanwhile; a reload that fails keeps what it
// had and logs why.
func reloadOnHangup(ctx context.Context, hangup <-chan os.Signal, reloads ...func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-hangup:
			for _, reload := range reloads {
				reload()
			}
		}
	}
}

func reloadRules(c *classify.Classifier, log *slog.Logger) {
	set, err := c.Reload()
	if err != nil {
		log.Error("rules reload failed, keeping the previous rules", "rules_file", c.Path(), "err", err)
		return
	}
	log.Info("rules reloaded", "rules_file", c.Path(), "rules", set.Len())
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

// newRegistry returns a registry with the Go runtime, process and build
// information collectors, to which the parts add their own series.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newBuildInfo(),
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

// memoryHeadroom is the memory allowed beyond the messages the SMTP
// server holds: parsing, the HTTP API, go-smtp's buffers and the runtime.
const memoryHeadroom = 64 << 20

// limitMemory sets the Go runtime's soft memory limit to the memory the
// SMTP server may hold in messages plus memoryHeadroom, unless GOMEMLIMIT
// sets one. Without a limit the garbage collector lets the heap grow to
// twice what is live. With 500 sessions each sending a 5 MiB bounce, the
// peak resident size was 175 to 192 MiB without a limit and 107 to 135
// MiB with this one, in the same time (docs/benchmarks.md). The limit is
// soft: past it the collector runs more often, it never fails an
// allocation.
func limitMemory(log *slog.Logger, messageBytes int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		log.Info("memory limit taken from GOMEMLIMIT", "bytes", debug.SetMemoryLimit(-1))
		return
	}
	limit := messageBytes + memoryHeadroom
	debug.SetMemoryLimit(limit)
	log.Info("memory limit set", "bytes", limit, "message_bytes", messageBytes)
}

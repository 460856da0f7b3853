// Package smtpd is bounced's SMTP listener, built on go-smtp. It accepts
// bounces addressed to the configured bounce domains from any sender, the
// null sender included, never relays, and replies 250 only once the
// ingest pipeline has the message on disk.
package smtpd

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/ingest"
)

// Ingester stores a received message. A nil error means the message is
// durable.
type Ingester interface {
	Ingest(ctx context.Context, env ingest.Envelope, raw []byte) (ingest.Receipt, error)
}

// Config holds the listener's settings. Zero values take the defaults
// below, because go-smtp reads zero as unlimited.
type Config struct {
	// Hostname is the name in the greeting and EHLO reply.
	Hostname string

	// Domains are the bounce domains whose recipients are accepted; others
	// get 550 5.1.2. An empty list accepts every domain.
	Domains []string

	// KeepBytes is how much of a message is kept; the rest is read and
	// discarded and the message is marked truncated. The report and the
	// returned headers come first in a bounce, so they fit.
	KeepBytes int64

	// MaxMessageBytes is the size past which a message is refused with
	// 552 5.3.4.
	MaxMessageBytes int64

	MaxRecipients int
	MaxLineLength int

	// ReadTimeout bounds the wait for each command line and, because
	// go-smtp does not refresh it while DATA streams, the whole DATA
	// transfer.
	ReadTimeout  time.Duration
	WriteTimeout time.Duration

	// CommitTimeout bounds the wait for the store to commit a message
	// before replying 451.
	CommitTimeout time.Duration

	// Metrics counts open sessions and rejections; nil counts nothing.
	Metrics *Metrics
}

// Defaults for Config.
const (
	DefaultKeepBytes       = 2 << 20
	DefaultMaxMessageBytes = 64 << 20
	DefaultMaxRecipients   = 100
	DefaultMaxLineLength   = 64 << 10
	DefaultReadTimeout     = 5 * time.Minute
	DefaultWriteTimeout    = time.Minute
	DefaultCommitTimeout   = 30 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Hostname == "" {
		c.Hostname = "localhost"
	}
	setDefault(&c.KeepBytes, DefaultKeepBytes)
	setDefault(&c.MaxMessageBytes, DefaultMaxMessageBytes)
	setDefault(&c.MaxRecipients, DefaultMaxRecipients)
	setDefault(&c.MaxLineLength, DefaultMaxLineLength)
	setDefault(&c.ReadTimeout, DefaultReadTimeout)
	setDefault(&c.WriteTimeout, DefaultWriteTimeout)
	setDefault(&c.CommitTimeout, DefaultCommitTimeout)
	return c
}

func setDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// Server is a running SMTP listener.
type Server struct {
	smtp     *smtp.Server
	cfg      Config
	ingester Ingester
	log      *slog.Logger
	nextConn atomic.Uint64

	mu        sync.Mutex
	listeners []*connTracker
}

// New returns a server that hands each message to ing.
func New(cfg Config, ing Ingester, log *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, ingester: ing, log: log}

	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = cfg.Hostname
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.MaxLineLength = cfg.MaxLineLength
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	// Postfix sends ORCPT and NOTIFY when DSN is advertised; go-smtp
	// refuses those parameters otherwise.
	srv.EnableDSN = true
	s.smtp = srv
	return s
}

// Serve accepts connections on l until Shutdown or Close.
func (s *Server) Serve(l net.Listener) error {
	tracker := trackConns(l, s.cfg.Metrics)
	s.mu.Lock()
	s.listeners = append(s.listeners, tracker)
	s.mu.Unlock()

	s.log.Info("smtp listener started", "addr", l.Addr().String(), "domains", s.cfg.Domains)
	err := s.smtp.Serve(tracker)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits for sessions in flight
// until ctx ends; then it closes the ones left.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.smtp.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		n := s.closeConns()
		s.log.Warn("smtp sessions still open at shutdown deadline, closed them", "sessions", n)
		return nil
	}
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

func (s *Server) closeConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.listeners {
		n += l.closeAll()
	}
	return n
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	remote := c.Conn().RemoteAddr().String()
	log := s.log.With("conn_id", s.nextConn.Add(1), "remote_addr", remote)
	log.Debug("smtp session started", "helo", c.Hostname())
	return &session{server: s, remote: remote, log: log}, nil
}

// acceptsDomain reports whether recipients at domain are accepted.
func (s *Server) acceptsDomain(domain string) bool {
	if len(s.cfg.Domains) == 0 {
		return true
	}
	for _, d := range s.cfg.Domains {
		if strings.EqualFold(d, domain) {
			return true
		}
	}
	return false
}

// Package smtpd is bounced's SMTP and LMTP listener, built on go-smtp. It
// accepts bounces addressed to the configured bounce domains from any
// sender, the null sender included, never relays, and replies 250 only
// once the ingest pipeline has the message on disk.
package smtpd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/ingest"
)

// Ingester stores a received message. A nil error means the message is
// durable.
type Ingester interface {
	Ingest(ctx context.Context, env ingest.Envelope, raw []byte) (ingest.Receipt, error)
}

// Server is a running SMTP or LMTP listener.
type Server struct {
	smtp     *smtp.Server
	cfg      Config
	ingester Ingester
	log      *slog.Logger
	metrics  *Metrics
	buffers  *bufferPool
	cert     atomic.Pointer[tls.Certificate]
	nextConn atomic.Uint64

	mu        sync.Mutex
	listeners []*listener
}

// New returns a server that hands each message to ing. It fails when the
// TLS certificate or key cannot be loaded.
func New(cfg Config, ing Ingester, log *slog.Logger) (*Server, error) {
	cfg = cfg.withDefaults()
	s := &Server{
		cfg:      cfg,
		ingester: ing,
		log:      log,
		metrics:  cfg.Metrics,
		buffers:  newBufferPool(cfg.KeepBytes, cfg.MinKeepBytes, cfg.MaxBufferedBytes),
	}

	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = cfg.Hostname
	srv.LMTP = cfg.LMTP
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.MaxLineLength = cfg.MaxLineLength
	srv.ReadTimeout = cfg.CommandTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	// Postfix sends ORCPT and NOTIFY when DSN is advertised; go-smtp
	// rejects those parameters otherwise.
	srv.EnableDSN = true
	s.smtp = srv

	if cfg.TLSCertFile != "" || cfg.TLSKeyFile != "" {
		if err := s.ReloadTLS(); err != nil {
			return nil, err
		}
		srv.TLSConfig = &tls.Config{
			MinVersion:     tls.VersionTLS12,
			GetCertificate: s.certificate,
		}
	}
	return s, nil
}

// MessageMemory returns the maximum memory, in bytes, that the messages of
// all sessions hold at once: MaxBufferedBytes for those kept up to
// KeepBytes, plus MinKeepBytes for each of MaxConnections. It leaves out
// what parsing a message allocates and the buffers of go-smtp itself.
func (s *Server) MessageMemory() int64 {
	return s.cfg.MaxBufferedBytes + int64(s.cfg.MaxConnections)*s.cfg.MinKeepBytes
}

// ReloadTLS reads the certificate and key files again, for connections
// that start TLS from now on. On failure the previous certificate stays in
// use. It does nothing when no certificate is configured.
func (s *Server) ReloadTLS() error {
	if s.cfg.TLSCertFile == "" && s.cfg.TLSKeyFile == "" {
		return nil
	}
	cert, err := tls.LoadX509KeyPair(s.cfg.TLSCertFile, s.cfg.TLSKeyFile)
	if err != nil {
		return fmt.Errorf("loading TLS certificate %q and key %q: %w", s.cfg.TLSCertFile, s.cfg.TLSKeyFile, err)
	}
	s.cert.Store(&cert)
	s.log.Info("tls certificate loaded", "cert_file", s.cfg.TLSCertFile)
	return nil
}

func (s *Server) certificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return s.cert.Load(), nil
}

// Serve accepts connections on l until Shutdown or Close.
func (s *Server) Serve(l net.Listener) error {
	ln := s.newListener(l)
	s.mu.Lock()
	s.listeners = append(s.listeners, ln)
	s.mu.Unlock()

	s.log.Info("smtp listener started", "addr", l.Addr().String(), "lmtp", s.cfg.LMTP,
		"starttls", s.smtp.TLSConfig != nil, "signed_verp", len(s.cfg.VERPKeys) > 0, "domains", s.cfg.Domains)
	err := s.smtp.Serve(ln)
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
	remote := peerName(c.Conn())
	var id uint64
	if nc := connOf(c.Conn()); nc != nil {
		id = nc.id
	}
	sess := &session{server: s, conn: c, remote: remote, connID: id}
	if sess.debugEnabled() {
		_, isTLS := c.TLSConnectionState()
		sess.logger().Debug("smtp session started", "helo", c.Hostname(), "tls", isTLS)
	}
	return sess, nil
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

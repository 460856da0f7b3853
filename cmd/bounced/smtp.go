package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bounced/bounced/internal/config"
	"github.com/bounced/bounced/internal/smtpd"
	"github.com/bounced/bounced/internal/verp"
)

// newSMTPServer builds the SMTP or LMTP listener from the smtp section of
// the configuration.
func newSMTPServer(c config.SMTP, ing smtpd.Ingester, reg prometheus.Registerer, log *slog.Logger) (*smtpd.Server, error) {
	keys, err := verp.NewKeys(c.VERPKeys)
	if err != nil {
		return nil, err
	}
	return smtpd.New(smtpd.Config{
		Hostname:            hostname(c.Hostname),
		Domains:             c.Domains,
		KeepBytes:           c.KeepBytes,
		MaxMessageBytes:     c.MaxMessageBytes,
		MaxBufferedBytes:    c.MaxBufferedBytes,
		MinKeepBytes:        c.MinKeepBytes,
		MaxRecipients:       c.MaxRecipients,
		MaxLineLength:       c.MaxLineLength,
		MaxConnections:      c.MaxConnections,
		MaxConnectionsPerIP: c.MaxConnectionsPerIP,
		MaxErrors:           c.MaxErrors,
		CommandTimeout:      time.Duration(c.CommandTimeout),
		DataTimeout:         time.Duration(c.DataTimeout),
		SessionTimeout:      time.Duration(c.SessionTimeout),
		CommitTimeout:       time.Duration(c.CommitTimeout),
		TLSCertFile:         c.TLSCertFile,
		TLSKeyFile:          c.TLSKeyFile,
		LMTP:                c.LMTP,
		VERPKeys:            keys,
		Metrics:             smtpd.NewMetrics(reg),
	}, ing, log)
}

// socketMode is the mode of the unix socket: a local MTA connects to it
// through a group it shares with bounced, and connecting needs write
// permission, which the umask of the systemd unit (0027) removes.
const socketMode = 0o660

// listenSMTP listens on a TCP address, or on a unix socket for a path. A
// socket file left by an earlier run is removed first.
func listenSMTP(addr string) (net.Listener, error) {
	if !config.IsUnixSocket(addr) {
		return net.Listen("tcp", addr)
	}
	if fi, err := os.Lstat(addr); err == nil && fi.Mode().Type() == fs.ModeSocket {
		if err := os.Remove(addr); err != nil {
			return nil, fmt.Errorf("removing stale socket %q: %w", addr, err)
		}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}

	l, err := net.Listen("unix", addr)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(addr, socketMode); err != nil {
		l.Close()
		return nil, fmt.Errorf("setting the mode of socket %q: %w", addr, err)
	}
	return l, nil
}

// reloadTLS reloads the STARTTLS certificate of srv. A failed reload is
// logged and keeps the old certificate.
func reloadTLS(srv *smtpd.Server, log *slog.Logger) {
	if err := srv.ReloadTLS(); err != nil {
		log.Error("tls certificate reload failed, keeping the previous one", "err", err)
	}
}

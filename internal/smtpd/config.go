package smtpd

import (
	"time"

	"github.com/bounced/bounced/internal/verp"
)

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

	// MaxMessageBytes is the size past which a message is rejected with
	// 552 5.3.4.
	MaxMessageBytes int64

	// MaxBufferedBytes is the memory that messages of KeepBytes may take
	// together. A message that starts while it is all in use keeps only
	// MinKeepBytes, still enough for a report and the returned headers in
	// nearly every bounce. Memory for message data is thus bounded by
	// MaxBufferedBytes plus MaxConnections times MinKeepBytes.
	MaxBufferedBytes int64
	MinKeepBytes     int64

	// MaxRecipients is the number of recipients per message; the next
	// RCPT gets 452 4.5.3.
	MaxRecipients int

	// MaxLineLength is the longest line, in bytes, of a command and of
	// the message data. A longer command line gets 500 5.4.0 and the
	// connection is closed; a longer message line gets 554 5.6.0.
	MaxLineLength int

	// MaxConnections is the number of connections open at once, and
	// MaxConnectionsPerIP that from one client address. A connection past
	// either gets 421 4.7.0 and is closed.
	MaxConnections      int
	MaxConnectionsPerIP int

	// MaxErrors is the number of rejected commands at which a session
	// gets 421 4.7.0, in place of the last rejection, and is closed.
	//
	// NOTE: go-smtp counts unknown and malformed commands on its own and
	// closes the connection at the fourth, whatever MaxErrors is.
	MaxErrors int

	// CommandTimeout bounds the wait for each command line.
	CommandTimeout time.Duration

	// DataTimeout bounds the whole transfer of one message, from the 354
	// reply to the final dot.
	DataTimeout time.Duration

	// WriteTimeout bounds the sending of each reply.
	WriteTimeout time.Duration

	// SessionTimeout bounds a connection's life, however busy it is.
	SessionTimeout time.Duration

	// CommitTimeout bounds the wait for the store to commit a message
	// before replying 451.
	CommitTimeout time.Duration

	// TLSCertFile and TLSKeyFile are the PEM certificate chain and key
	// offered with STARTTLS; STARTTLS is offered only when both are set.
	// Server.ReloadTLS reads them again.
	TLSCertFile string
	TLSKeyFile  string

	// LMTP makes the listener speak LMTP (RFC 2033) instead of SMTP, for
	// a local MTA, with one reply per recipient after the data.
	LMTP bool

	// VERPKeys, when not empty, makes return paths signed: only a bounce
	// to a signed VERP address that verifies may suppress its recipient.
	VERPKeys verp.Keys

	// Metrics counts sessions, rejections and suspicious messages; nil
	// counts nothing.
	Metrics *Metrics
}

// Defaults for Config.
const (
	DefaultKeepBytes           = 1 << 20
	DefaultMaxMessageBytes     = 64 << 20
	DefaultMaxBufferedBytes    = 16 << 20
	DefaultMinKeepBytes        = 64 << 10
	DefaultMaxRecipients       = 100
	DefaultMaxLineLength       = 64 << 10
	DefaultMaxConnections      = 500
	DefaultMaxConnectionsPerIP = 20
	DefaultMaxErrors           = 10
	DefaultCommandTimeout      = 5 * time.Minute
	DefaultDataTimeout         = 10 * time.Minute
	DefaultWriteTimeout        = time.Minute
	DefaultSessionTimeout      = 30 * time.Minute
	DefaultCommitTimeout       = 30 * time.Second
)

func (c Config) withDefaults() Config {
	if c.Hostname == "" {
		c.Hostname = "localhost"
	}
	setDefault(&c.KeepBytes, DefaultKeepBytes)
	setDefault(&c.MaxMessageBytes, DefaultMaxMessageBytes)
	setDefault(&c.MaxBufferedBytes, DefaultMaxBufferedBytes)
	setDefault(&c.MinKeepBytes, DefaultMinKeepBytes)
	setDefault(&c.MaxRecipients, DefaultMaxRecipients)
	setDefault(&c.MaxLineLength, DefaultMaxLineLength)
	setDefault(&c.MaxConnections, DefaultMaxConnections)
	setDefault(&c.MaxConnectionsPerIP, DefaultMaxConnectionsPerIP)
	setDefault(&c.MaxErrors, DefaultMaxErrors)
	setDefault(&c.CommandTimeout, DefaultCommandTimeout)
	setDefault(&c.DataTimeout, DefaultDataTimeout)
	setDefault(&c.WriteTimeout, DefaultWriteTimeout)
	setDefault(&c.SessionTimeout, DefaultSessionTimeout)
	setDefault(&c.CommitTimeout, DefaultCommitTimeout)
	c.MaxBufferedBytes = max(c.MaxBufferedBytes, c.KeepBytes)
	return c
}

func setDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

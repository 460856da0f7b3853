package smtpd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/verp"
)

// Replies sent by the session. Their text names no internal detail; the
// cause goes to the log.
var (
	errRecipientDomain = &smtp.SMTPError{
		Code:         550,
		EnhancedCode: smtp.EnhancedCode{5, 1, 2},
		Message:      "Recipient domain is not a bounce domain of this server",
	}
	errRecipientSyntax = &smtp.SMTPError{
		Code:         501,
		EnhancedCode: smtp.EnhancedCode{5, 1, 3},
		Message:      "Recipient address syntax is invalid",
	}
	errTooManyErrors = &smtp.SMTPError{
		Code:         421,
		EnhancedCode: smtp.EnhancedCode{4, 7, 0},
		Message:      "Too many errors, closing connection",
	}
	errStoreUnavailable = &smtp.SMTPError{
		Code:         451,
		EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message:      "Temporary local failure, message not stored; try again later",
	}
	errReadData = &smtp.SMTPError{
		Code:         451,
		EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message:      "Failed to read message data; try again later",
	}
	errLineTooLong = &smtp.SMTPError{
		Code:         554,
		EnhancedCode: smtp.EnhancedCode{5, 6, 0},
		Message:      "Message has a line longer than this server accepts",
	}
)

type session struct {
	server *Server
	conn   *smtp.Conn
	remote string
	connID uint64
	log    *slog.Logger // nil until logger builds it

	from string
	rcpt []string
}

// message is the data of one DATA command, read into a pooled buffer.
type message struct {
	buf      []byte // the whole buffer
	pooled   bool   // buf is a full buffer of the pool
	raw      []byte // the kept part of the message, within buf
	size     int64
	received time.Time

	// abandoned is set when a commit timed out: the store may still read
	// buf, so it must not be reused.
	abandoned bool
}

func (s *session) Mail(from string, _ *smtp.MailOptions) (err error) {
	defer func() { s.server.metrics.countReply(err) }()
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) (err error) {
	defer func() { s.server.metrics.countReply(err) }()
	_, domain, ok := strings.Cut(to, "@")
	if !ok || domain == "" {
		s.logger().Info("recipient rejected", "recipient", to, "err", "no domain")
		return s.reject(errRecipientSyntax)
	}
	if !s.server.acceptsDomain(domain) {
		s.logger().Info("recipient rejected", "recipient", to, "err", "not a bounce domain")
		return s.reject(errRecipientDomain)
	}
	s.rcpt = append(s.rcpt, to)
	return nil
}

// reject counts a rejected recipient against MaxErrors. Past it, the reply
// becomes 421 and the connection is hung up after it is sent.
func (s *session) reject(reply *smtp.SMTPError) error {
	c := connOf(s.conn.Conn())
	if c == nil {
		return reply
	}
	c.errors++
	if c.errors < s.server.cfg.MaxErrors {
		return reply
	}
	s.logger().Warn("closing session after too many errors", "errors", c.errors)
	c.hangup.Store(true)
	return errTooManyErrors
}

// Data reads the message and replies 250 only after the ingest pipeline
// has committed it.
func (s *session) Data(r io.Reader) (err error) {
	defer func() { s.server.metrics.countReply(err) }()
	msg, err := s.receive(r)
	if err != nil {
		return err
	}
	defer s.release(msg)
	receipt, err := s.store(msg, s.rcpt)
	if err != nil {
		return err
	}

	return storedReply(receipt)
}

// storedReply is the 250 reply for a committed message. go-smtp sends a
// returned *SMTPError as it is, so a 250 can carry the store's id for the
// peer's logs.
func storedReply(receipt ingest.Receipt) error {
	return &smtp.SMTPError{
		Code:         250,
		EnhancedCode: smtp.EnhancedCode{2, 0, 0},
		Message:      fmt.Sprintf("Stored as %d", receipt.MessageID),
	}
}

// LMTPData reads the message once and stores it once for the whole
// envelope, as Data does, and gives every recipient the reply of that one
// commit. Storing a copy per recipient would count one bounce several
// times towards a soft-bounce threshold. A message to several recipients
// is suspected and its events untrusted, as over SMTP.
func (s *session) LMTPData(r io.Reader, status smtp.StatusCollector) error {
	msg, err := s.receive(r)
	if err != nil {
		return err
	}
	defer s.release(msg)

	receipt, err := s.store(msg, s.rcpt)
	if err == nil {
		err = storedReply(receipt)
	}
	// go-smtp wants one status per RCPT command, duplicates included.
	for _, rcpt := range s.rcpt {
		s.server.metrics.countReply(err)
		status.SetStatus(rcpt, err)
	}
	return nil
}

// receive reads the message data into a pooled buffer, keeping at most
// KeepBytes. The caller must release it.
func (s *session) receive(r io.Reader) (*message, error) {
	msg := &message{received: time.Now()}
	s.conn.Conn().SetReadDeadline(msg.received.Add(s.server.cfg.DataTimeout))
	msg.buf, msg.pooled = s.server.buffers.get()

	kept, size, err := readBounded(r, msg.buf)
	msg.raw, msg.size = msg.buf[:kept], size
	if err != nil {
		s.release(msg)
		return nil, s.dataError(err, size)
	}
	if !msg.pooled && size > int64(kept) {
		s.server.metrics.messageKeptShort()
		s.logger().Info("message kept short, memory budget in use", "kept", kept, "size", size)
	}
	return msg, nil
}

// dataError turns a failure to read DATA into the reply. go-smtp's own
// size error must go back unwrapped to keep its 552 code.
func (s *session) dataError(err error, size int64) error {
	switch {
	case errors.Is(err, smtp.ErrDataTooLarge):
		s.logger().Warn("message rejected", "err", err, "size", size)
		return smtp.ErrDataTooLarge
	case errors.Is(err, smtp.ErrTooLongLine):
		// NOTE: go-smtp applies MaxLineLength inside DATA too and cannot
		// read on past such a line, so the message cannot be kept.
		s.logger().Warn("message rejected", "err", err, "size", size, "max_line_length", s.server.cfg.MaxLineLength)
		return errLineTooLong
	}
	s.logger().Warn("reading message failed", "err", err, "size", size)
	return errReadData
}

// store hands msg to the ingest pipeline for the envelope recipients rcpt.
func (s *session) store(msg *message, rcpt []string) (ingest.Receipt, error) {
	env, suspicion := s.envelope(msg, rcpt)
	ctx, cancel := context.WithTimeout(context.Background(), s.server.cfg.CommitTimeout)
	defer cancel()
	receipt, err := s.server.ingester.Ingest(ctx, env, msg.raw)
	if err != nil {
		// A commit that timed out may still read the buffer.
		msg.abandoned = errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
		s.logger().Error("message not stored", "err", err, "size", msg.size)
		return receipt, errStoreUnavailable
	}

	if suspicion != "" {
		s.suspect(suspicion, receipt.MessageID)
	}
	if receipt.Recipients == 0 {
		s.suspect(suspectNoReport, receipt.MessageID)
	}
	return receipt, nil
}

// release returns msg's buffer to the pool. When a commit may still
// read the buffer, only a full buffer's slot goes back, and the buffer is
// left to the garbage collector.
func (s *session) release(msg *message) {
	switch {
	case msg.abandoned && msg.pooled:
		s.server.buffers.drop()
	case msg.abandoned:
	case msg.pooled:
		s.server.buffers.put(msg.buf)
	default:
		s.server.buffers.putSmall(msg.buf)
	}
}

// envelope builds the ingest envelope, with the trust the VERP signatures
// and the recipient count give, and the cause for suspicion of the
// message or "".
func (s *session) envelope(msg *message, rcpt []string) (ingest.Envelope, string) {
	env := ingest.Envelope{
		RemoteAddr: s.remote,
		MailFrom:   s.from,
		RcptTo:     rcpt,
		Received:   msg.received,
		Size:       msg.size,
		Truncated:  msg.size > int64(len(msg.raw)),
	}
	keys := s.server.cfg.VERPKeys
	switch {
	case len(rcpt) > 1:
		// A bounce goes back to the one return path of the message that
		// failed; one sent to several is more likely forged or misrouted.
		env.RequireVerified = true
		return env, suspectRecipients
	case len(keys) > 0:
		env.RequireVerified = true
		env.VerifiedRecipient = verifiedRecipient(keys, rcpt)
		if env.VerifiedRecipient == "" {
			return env, suspectUnverified
		}
	}
	return env, ""
}

func verifiedRecipient(keys verp.Keys, rcpt []string) string {
	for _, to := range rcpt {
		if a, ok := verp.Decode(to); ok && keys.Verify(a) {
			return a.Recipient
		}
	}
	return ""
}

// suspect counts and logs a message that looks like backscatter or a
// forgery, with the client address.
func (s *session) suspect(cause string, msgID uint64) {
	s.server.metrics.suspect(cause)
	s.logger().Warn("suspicious message stored", "cause", cause, "msg_id", msgID, "mail_from", s.from, "rcpt_to", s.rcpt)
}

func (s *session) Reset() {
	s.from = ""
	s.rcpt = nil
}

func (s *session) Logout() error {
	if s.debugEnabled() {
		s.logger().Debug("smtp session ended")
	}
	return nil
}

// logger returns the session's logger, which adds the connection id and
// the client's address to each line. It is built on first use: formatting
// those attributes took about 3% of the CPU of one-message sessions under
// load, and at the default level most sessions log nothing. Only the
// session's goroutine calls it.
func (s *session) logger() *slog.Logger {
	if s.log == nil {
		s.log = s.server.log.With("conn_id", s.connID, "remote_addr", s.remote)
	}
	return s.log
}

func (s *session) debugEnabled() bool {
	return s.server.log.Enabled(context.Background(), slog.LevelDebug)
}

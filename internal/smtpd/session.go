package smtpd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/bounced/bounced/internal/ingest"
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
)

// errStoreUnavailable returns the reply for a message that could not be
// committed: temporary, so the peer retries.
func errStoreUnavailable() *smtp.SMTPError {
	return &smtp.SMTPError{
		Code:         451,
		EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message:      "Temporary local failure, message not stored; try again later",
	}
}

type session struct {
	server *Server
	remote string
	log    *slog.Logger

	from string
	rcpt []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) (err error) {
	defer func() { s.server.cfg.Metrics.countReply(err) }()
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) (err error) {
	defer func() { s.server.cfg.Metrics.countReply(err) }()
	_, domain, ok := strings.Cut(to, "@")
	if !ok || domain == "" {
		s.log.Info("recipient rejected", "recipient", to, "err", "no domain")
		return errRecipientSyntax
	}
	if !s.server.acceptsDomain(domain) {
		s.log.Info("recipient rejected", "recipient", to, "err", "not a bounce domain")
		return errRecipientDomain
	}
	s.rcpt = append(s.rcpt, to)
	return nil
}

// Data reads the message, keeping at most KeepBytes of it, and replies 250
// only after the ingest pipeline has committed it.
func (s *session) Data(r io.Reader) (err error) {
	defer func() { s.server.cfg.Metrics.countReply(err) }()
	received := time.Now()
	raw, size, err := readBounded(r, s.server.cfg.KeepBytes)
	if err != nil {
		return s.dataError(err, size)
	}

	env := ingest.Envelope{
		RemoteAddr: s.remote,
		MailFrom:   s.from,
		RcptTo:     s.rcpt,
		Received:   received,
		Size:       size,
		Truncated:  size > int64(len(raw)),
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.server.cfg.CommitTimeout)
	defer cancel()
	receipt, err := s.server.ingester.Ingest(ctx, env, raw)
	if err != nil {
		s.log.Error("message not stored", "err", err, "size", size)
		return errStoreUnavailable()
	}

	// go-smtp sends a returned *SMTPError as it is, so a 250 can carry the
	// store's id for the peer's logs.
	return &smtp.SMTPError{
		Code:         250,
		EnhancedCode: smtp.EnhancedCode{2, 0, 0},
		Message:      fmt.Sprintf("Stored as %d", receipt.MessageID),
	}
}

// dataError turns a failure to read DATA into the reply. go-smtp's own
// size error must go back unwrapped to keep its 552 code.
func (s *session) dataError(err error, size int64) error {
	if errors.Is(err, smtp.ErrDataTooLarge) {
		s.log.Warn("message refused", "err", err, "size", size)
		return smtp.ErrDataTooLarge
	}
	s.log.Warn("reading message failed", "err", err, "size", size)
	return &smtp.SMTPError{
		Code:         451,
		EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message:      "Failed to read message data; try again later",
	}
}

// readBounded reads r to its end and returns its first keep bytes and its
// total size. What is past keep is discarded as it arrives, so memory stays
// bounded whatever the peer sends.
func readBounded(r io.Reader, keep int64) (head []byte, size int64, err error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, keep))
	if err != nil {
		return nil, n, err
	}
	rest, err := io.Copy(io.Discard, r)
	return buf.Bytes(), n + rest, err
}

func (s *session) Reset() {
	s.from = ""
	s.rcpt = nil
}

func (s *session) Logout() error {
	s.log.Debug("smtp session ended")
	return nil
}

// Package ingest is the one pipeline every received message goes through,
// whether it came over SMTP, from an import or from reprocessing: parse the
// report, classify each recipient, store it all in one durable commit (in
// which the store's suppression policy decides), then count it.
package ingest

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/dsn"
	"github.com/bounced/bounced/internal/store"
	"github.com/bounced/bounced/internal/verp"
)

// Envelope is the transport's record of a message besides its bytes.
type Envelope struct {
	RemoteAddr string
	MailFrom   string
	RcptTo     []string
	Received   time.Time

	// Size is the number of bytes the peer sent; it is larger than the raw
	// bytes handed to Ingest when Truncated is set.
	Size      int64
	Truncated bool

	// RequireVerified is set when return paths are signed, or when the
	// transport finds the message suspicious: then only an event for
	// VerifiedRecipient is trusted to suppress, and every other event is
	// stored as untrusted.
	RequireVerified bool

	// VerifiedRecipient is the original recipient carried by an envelope
	// recipient whose VERP signature verified; empty when none did.
	VerifiedRecipient string

	// Imported is set for a message read from a mailbox. Identical bytes
	// imported again are not stored or counted again.
	Imported bool
}

// Receipt is the outcome of storing a message, for the transport's reply
// and logs.
type Receipt struct {
	MessageID  uint64 // the store's id, for replies and logs
	Recipients int    // events stored
	Suppressed int    // events that suppressed their recipient
	ParseError error  // non-nil when the report could not be parsed

	// Duplicate is set when an imported message had been imported
	// before; MessageID is then the earlier message and nothing else was
	// stored or counted.
	Duplicate bool
}

// Pipeline runs messages through parse, classify and store.
type Pipeline struct {
	store      *store.Store
	metrics    *Metrics
	log        *slog.Logger
	classifier *classify.Classifier // nil: the embedded rules

	// ParseOptions are passed to the parser for every message.
	ParseOptions dsn.Options
}

// New returns a pipeline that stores into st and counts into m.
func New(st *store.Store, m *Metrics, log *slog.Logger) *Pipeline {
	return &Pipeline{store: st, metrics: m, log: log}
}

// UseClassifier makes the pipeline classify by c, whose rules can be
// reloaded while the pipeline runs. Call it before the first Ingest.
func (p *Pipeline) UseClassifier(c *classify.Classifier) {
	p.classifier = c
}

// Ingest stores raw with what can be learned from it, and returns only
// after the store has committed it: a nil error means the message is on
// disk. A message that cannot be parsed is still stored, with its parse
// error, and is not an error of Ingest.
func (p *Pipeline) Ingest(ctx context.Context, env Envelope, raw []byte) (Receipt, error) {
	report, events, timing, parseErr := analyze(raw, env, p.classifier, p.ParseOptions)
	p.metrics.parseDuration.Observe(timing.parse.Seconds())
	if parseErr == nil {
		p.metrics.classifyDuration.Observe(timing.classify.Seconds())
	}

	msg := &store.Message{
		Received:   env.Received,
		RemoteAddr: env.RemoteAddr,
		MailFrom:   env.MailFrom,
		RcptTo:     env.RcptTo,
		Size:       env.Size,
		Truncated:  env.Truncated,
		Raw:        raw,

		RequireVerified:   env.RequireVerified,
		VerifiedRecipient: env.VerifiedRecipient,
	}
	if parseErr != nil {
		msg.ParseError = parseErr.Error()
	}
	if env.Imported {
		digest := sha256.Sum256(raw)
		msg.ImportDigest = digest[:]
	}

	start := time.Now()
	err := p.store.Deliver(ctx, msg, events)
	p.metrics.commitDuration.Observe(time.Since(start).Seconds())
	if errors.Is(err, store.ErrDuplicate) {
		p.log.Info("message already imported, not stored again", "msg_id", msg.ID, "remote_addr", env.RemoteAddr)
		return Receipt{MessageID: msg.ID, Duplicate: true}, nil
	}
	if err != nil {
		return Receipt{}, fmt.Errorf("storing message from %s: %w", env.RemoteAddr, err)
	}

	receipt := Receipt{MessageID: msg.ID, Recipients: len(events), ParseError: parseErr}
	for _, ev := range events {
		if ev.Suppress {
			receipt.Suppressed++
		}
	}
	p.count(report, events, env, parseErr)
	p.logStored(msg, report, events, parseErr)
	return receipt, nil
}

// Analyze parses and classifies raw without storing anything, and returns
// the events Ingest would store. It is what `bounced parse` prints.
func Analyze(raw []byte, env Envelope) (*dsn.Report, []store.Event, error) {
	return AnalyzeWith(raw, env, nil)
}

// AnalyzeWith is Analyze with the rules of c; a nil c means the embedded
// rules. The events are in the order of report.Recipients.
func AnalyzeWith(raw []byte, env Envelope, c *classify.Classifier) (*dsn.Report, []store.Event, error) {
	report, events, _, err := analyze(raw, env, c, dsn.Options{})
	return report, events, err
}

// timing is the time Analyze spent in each step.
type timing struct {
	parse, classify time.Duration
}

func analyze(raw []byte, env Envelope, c *classify.Classifier, opts dsn.Options) (*dsn.Report, []store.Event, timing, error) {
	var t timing
	start := time.Now()
	report, err := parse(raw, opts)
	t.parse = time.Since(start)
	if err != nil {
		return nil, nil, t, err
	}

	start = time.Now()
	events := recipientEvents(report, env, c)
	t.classify = time.Since(start)
	return report, events, t, nil
}

// parse runs the parser and turns a panic into an error, so that a parser
// bug costs the parse, never the message.
func parse(raw []byte, opts dsn.Options) (report *dsn.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			report, err = nil, fmt.Errorf("parser panic: %v\n%s", r, debug.Stack())
		}
	}()
	return dsn.ParseWithOptions(raw, opts)
}

// recipientEvents returns one event per recipient of report, classified. When the
// report names no recipient but the envelope is a VERP address, the
// recipient comes from there.
func recipientEvents(report *dsn.Report, env Envelope, c *classify.Classifier) []store.Event {
	events := make([]store.Event, 0, len(report.Recipients))
	for _, rcpt := range report.Recipients {
		events = append(events, newEvent(report, rcpt, env, c))
	}
	return events
}

// Recipient returns the address an event for rcpt is stored under: the
// Final-Recipient, or else the original recipient of a VERP envelope
// recipient.
func Recipient(rcpt dsn.Recipient, env Envelope) string {
	if rcpt.FinalRecipient != "" {
		return rcpt.FinalRecipient
	}
	return verpRecipient(env.RcptTo)
}

// ClassifyInput returns the facts of one recipient of report that the
// classifier decides on.
func ClassifyInput(report *dsn.Report, rcpt dsn.Recipient, recipient string) classify.Input {
	return classify.Input{
		Kind:           string(report.Kind),
		Action:         string(rcpt.Action),
		Status:         rcpt.SpecificStatus(),
		ReplyCode:      rcpt.ReplyCode,
		Diagnostic:     rcpt.DiagnosticCode,
		DiagnosticType: rcpt.DiagnosticType,
		RemoteMTA:      rcpt.RemoteMTA,
		Recipient:      recipient,
		Command:        rcpt.FailedCommand,
	}
}

func newEvent(report *dsn.Report, rcpt dsn.Recipient, env Envelope, c *classify.Classifier) store.Event {
	recipient := Recipient(rcpt, env)
	in := ClassifyInput(report, rcpt, recipient)

	var result classify.Result
	if c != nil {
		result = c.Classify(in)
	} else {
		result = classify.Classify(in)
	}

	untrusted := !env.trusts(recipient, rcpt.OriginalRecipient)
	return store.Event{
		Time:              env.Received,
		Recipient:         recipient,
		OriginalRecipient: rcpt.OriginalRecipient,
		Kind:              string(report.Kind),
		Action:            string(rcpt.Action),
		Status:            rcpt.SpecificStatus(),
		ReplyCode:         rcpt.ReplyCode,
		Diagnostic:        rcpt.DiagnosticCode,
		RemoteMTA:         rcpt.RemoteMTA,
		ReportingMTA:      report.ReportingMTA,
		Reason:            string(result.Reason),
		Hard:              result.Hard,
		Policy:            string(result.Policy),
		Rule:              result.Rule,
		Hint:              result.Hint,
		Provider:          string(result.Provider),
		OriginalMessageID: report.Original.MessageID,
		Untrusted:         untrusted,
		OriginalHeaders:   report.Original.Headers,
	}
}

// trusts reports whether an event for recipient (or for the
// Original-Recipient original) may suppress. A signed return path vouches
// only for the recipient it carries, so that a valid signature for one
// address cannot carry a report that names others.
func (env Envelope) trusts(recipient, original string) bool {
	if !env.RequireVerified {
		return true
	}
	if env.VerifiedRecipient == "" {
		return false
	}
	verified := store.NormalizeAddress(env.VerifiedRecipient)
	return store.NormalizeAddress(recipient) == verified || store.NormalizeAddress(original) == verified
}

// verpRecipient returns the original recipient encoded in the first VERP
// envelope recipient, or "".
func verpRecipient(rcptTo []string) string {
	for _, to := range rcptTo {
		if a, ok := verp.Decode(to); ok {
			return a.Recipient
		}
	}
	return ""
}

func (p *Pipeline) logStored(msg *store.Message, report *dsn.Report, events []store.Event, parseErr error) {
	if parseErr != nil {
		p.log.Warn("message stored unparsed", "msg_id", msg.ID, "remote_addr", msg.RemoteAddr, "err", parseErr)
		return
	}
	p.log.Info("message stored", "msg_id", msg.ID, "remote_addr", msg.RemoteAddr,
		"kind", report.Kind, "recipients", len(events), "size", msg.Size, "truncated", msg.Truncated)
	for _, ev := range events {
		p.log.Debug("bounce", "msg_id", msg.ID, "recipient", ev.Recipient, "reason", ev.Reason,
			"status", ev.Status, "reply_code", ev.ReplyCode, "policy", ev.Policy, "rule", ev.Rule,
			"suppress", ev.Suppress)
	}
}

// hardness is the label value for Event.Hard.
func hardness(hard bool) string {
	if hard {
		return "hard"
	}
	return "soft"
}

// policyLabel is the label value for a policy kind: "none" for none, since
// an empty label value reads as a missing label in PromQL.
func policyLabel(policy string) string {
	if policy == "" {
		return "none"
	}
	return strings.ToLower(policy)
}

// Package dsn parses bounce messages into delivery reports.
//
// The reference format is the Delivery Status Notification of RFC 3464,
// carried in a multipart/report of RFC 6522 with report-type
// delivery-status (or global-delivery-status, RFC 6533). Parse accepts the
// raw bytes of any received message and returns what it could recover.
//
// The package has no dependency on SMTP sessions, storage or
// classification: it turns bytes into facts.
package dsn

import "time"

// Kind is the category of a report: the outcome it gives for the mail it
// refers to.
type Kind string

// Kinds of report. A message that reports on no delivery at all is
// KindNotBounce and carries no recipients.
const (
	KindFailure   Kind = "failure"    // at least one recipient failed permanently or was given up on
	KindDelay     Kind = "delay"      // delivery is still being retried
	KindDelivered Kind = "delivered"  // delivered, relayed or expanded
	KindComplaint Kind = "complaint"  // a feedback report (RFC 5965)
	KindAutoReply Kind = "auto_reply" // a vacation or other automatic reply (RFC 3834)
	KindNotBounce Kind = "not_bounce" // not a report on a delivery
)

// Action is the value of a per-recipient Action field (RFC 3464 section
// 2.3.3), lower-cased.
type Action string

// Actions defined by RFC 3464.
const (
	ActionFailed    Action = "failed"
	ActionDelayed   Action = "delayed"
	ActionDelivered Action = "delivered"
	ActionRelayed   Action = "relayed"
	ActionExpanded  Action = "expanded"
)

// Report is the parsed form of one bounce message.
type Report struct {
	Kind Kind

	// ReportingMTA is the name part of the Reporting-MTA field, without
	// its type ("dns; mx.example.org" gives "mx.example.org").
	ReportingMTA string

	// ArrivalDate is the Arrival-Date field; zero when absent or invalid.
	ArrivalDate time.Time

	// Recipients holds one entry per recipient the report is about, in
	// the order the report lists them.
	Recipients []Recipient

	// Original holds what could be recovered of the message that
	// bounced.
	Original Original

	// FeedbackType is the Feedback-Type of a complaint (RFC 5965), such
	// as "abuse" or "opt-out", lower-cased; empty for other kinds.
	FeedbackType string

	// Truncated is set when the message was longer than MaxInputBytes
	// and only its first MaxInputBytes were parsed.
	Truncated bool

	// Warnings lists problems that Parse worked around, such as an
	// unknown charset or a MIME part cut short. The report is still
	// usable; at most 16 are kept.
	Warnings []string
}

// Recipient is the per-recipient part of a report.
type Recipient struct {
	// FinalRecipient is the address of the Final-Recipient field, without
	// its address type and angle brackets.
	FinalRecipient string

	// OriginalRecipient is the address of the Original-Recipient field,
	// the one the sender gave; empty when absent.
	OriginalRecipient string

	// Action is the Action field, lower-cased and reduced to its first
	// word. Common variants such as "failure" are mapped to the RFC 3464
	// value; other unknown values are kept as they are.
	Action Action

	// Status is the enhanced status code of RFC 3463, such as "5.1.1".
	Status string

	// DiagnosticStatus is the enhanced status code found in the
	// Diagnostic-Code text, such as "5.1.1" from "550 5.1.1 <a@b>: user
	// unknown"; empty when the text carries none. Exim, for one, reports
	// a generic Status of 5.0.0 and gives the specific code only here.
	// SpecificStatus chooses between the two.
	DiagnosticStatus string

	// ReplyCode is the SMTP reply code found in the diagnostic, such as
	// 550; zero when the report carries none.
	ReplyCode int

	// DiagnosticType is the type of the Diagnostic-Code field, such as
	// "smtp" or "x-unix", lower-cased.
	DiagnosticType string

	// DiagnosticCode is the text of the Diagnostic-Code field with its
	// type removed and folded lines joined by single spaces. Repeated
	// Diagnostic-Code fields are joined the same way.
	DiagnosticCode string

	// RemoteMTA is the name part of the Remote-MTA field, or the remote
	// host named in a plain-text bounce.
	RemoteMTA string

	// FailedCommand is the SMTP command whose reply failed the delivery:
	// "CONNECT" (the greeting), "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL",
	// "RCPT" or "DATA"; empty when the bounce does not say. It comes from
	// phrases such as "in reply to RCPT TO command" (Postfix) and "after
	// end of data" (Exim).
	FailedCommand string

	// LastAttemptDate is the Last-Attempt-Date field; zero when absent.
	LastAttemptDate time.Time
}

// Original describes the message that bounced, from the returned copy or
// its headers.
type Original struct {
	MessageID string // without angle brackets

	// From is the address of the first mailbox in the From field, or
	// the field's decoded text when it does not parse as an address.
	From string

	// To is the addresses of the To field joined by ", ", or the
	// field's decoded text when it does not parse as an address list.
	To string

	Subject string // RFC 2047 decoded
	Date    time.Time

	// Headers holds the fields named in Options.ExtraHeaders that the
	// original carries, keyed by the name as Options spells it, RFC 2047
	// decoded; nil when none was asked for or found.
	Headers map[string]string `json:",omitempty"`
}

package store

import (
	"time"

	"github.com/bounced/bounced/internal/suppress"
)

// Message is one message as received, before or without parsing.
type Message struct {
	ID         uint64    `json:"id,omitzero"`
	Received   time.Time `json:"received"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
	MailFrom   string    `json:"mail_from"`
	RcptTo     []string  `json:"rcpt_to"`

	// Size is the number of bytes the peer sent; Raw may hold fewer when
	// Truncated is set.
	Size      int64 `json:"size"`
	Truncated bool  `json:"truncated,omitempty"`

	// ParseError is set when the parser could not read the message; the
	// raw bytes are kept so that it can be parsed again later.
	ParseError string `json:"parse_error,omitempty"`

	// RequireVerified and VerifiedRecipient keep the trust the transport
	// gave the message: with RequireVerified set, only events for
	// VerifiedRecipient may suppress. Reprocessing needs them, or a replay
	// would trust a forged bounce.
	RequireVerified   bool   `json:"require_verified,omitempty"`
	VerifiedRecipient string `json:"verified_recipient,omitempty"`

	// Raw is the message as stored. It is not part of the JSON record; it
	// lives in its own bucket.
	Raw []byte `json:"-"`

	// ImportDigest, when set, is the SHA-256 of Raw as imported from a
	// mailbox. Deliver stores a message with a digest it has seen before
	// only once, so that importing the same mailbox twice does not count
	// its bounces twice.
	ImportDigest []byte `json:"-"`
}

// Event is the outcome for one recipient as one message reports it.
type Event struct {
	ID        uint64    `json:"id,omitzero"`
	MessageID uint64    `json:"message_id,omitzero"`
	Time      time.Time `json:"time,omitzero"`

	Recipient         string `json:"recipient"`
	OriginalRecipient string `json:"original_recipient,omitempty"`

	Kind         string `json:"kind"`
	Action       string `json:"action,omitempty"`
	Status       string `json:"status,omitempty"`
	ReplyCode    int    `json:"reply_code,omitempty"`
	Diagnostic   string `json:"diagnostic,omitempty"`
	RemoteMTA    string `json:"remote_mta,omitempty"`
	ReportingMTA string `json:"reporting_mta,omitempty"`

	Reason string `json:"reason"`
	Hard   bool   `json:"hard"`
	Policy string `json:"policy,omitempty"`
	Rule   string `json:"rule,omitempty"`

	// Provider is the receiving provider that produced the failure, from
	// a closed set; "other" when unknown.
	Provider string `json:"provider,omitempty"`

	// Hint is the remediation the rule gave the sender when the event was
	// stored.
	Hint string `json:"hint,omitempty"`

	// OriginalHeaders holds the original message's header fields named
	// in the parse.extra_headers setting, keyed by the name as the
	// setting spells it.
	OriginalHeaders map[string]string `json:"original_headers,omitempty"`

	// OriginalMessageID is the Message-ID of the mail that bounced.
	OriginalMessageID string `json:"original_message_id,omitempty"`

	// Untrusted marks an event from a bounce whose signed return path did not verify: stored and counted, it never suppresses.
	Untrusted bool `json:"untrusted,omitempty"`

	// Comment is the operator's note on a manual add or remove, and
	// Expires the expiry a manual add asked for (zero: never).
	Comment string    `json:"comment,omitempty"`
	Expires time.Time `json:"expires,omitzero"`

	// SuppressionRule is the suppression policy rule that decided the
	// event, and Decision what that rule does. The store sets both.
	SuppressionRule string          `json:"suppression_rule,omitempty"`
	Decision        suppress.Action `json:"decision,omitempty"`

	// Suppress is set by the store when the event suppressed or
	// re-suppressed its recipient, and Cleared when it removed the
	// recipient's entry.
	Suppress bool `json:"suppress,omitempty"`
	Cleared  bool `json:"cleared,omitempty"`
}

// Suppression is an entry of the suppression list: an address, or a whole
// domain as "*@domain", that the sender should not mail.
type Suppression = suppress.Entry

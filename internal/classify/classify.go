// Package classify decides why a delivery failed: the bounce reason, whether
// the failure is permanent for the address, which provider rejected it, and,
// for failures caused by the sender rather than the recipient, which policy
// was applied and what the sender can do.
//
// It works on the facts a report carries (status, reply code, diagnostic
// text, failed SMTP command, remote MTA, recipient) and depends neither on
// MIME nor on how the facts were found.
//
// The verdict comes from an ordered list of rules, and the first match
// wins. The rules are data: rules.yaml, embedded in the binary, documents
// the format and gives each rule's source. An operator file in the same
// format goes before the embedded rules and can replace them by id.
package classify

import (
	"math/bits"
	"strings"
)

// Reason is a bounce reason from the field's common vocabulary. The set is
// closed: it is the stored value and a metric label.
type Reason string

// Reasons. The names follow the vocabulary most bounce parsers share, so
// results compare across tools.
const (
	AuthFailure     Reason = "authfailure"
	BadReputation   Reason = "badreputation"
	Blocked         Reason = "blocked"
	ContentError    Reason = "contenterror"
	Delivered       Reason = "delivered"
	ExceedLimit     Reason = "exceedlimit"
	Expired         Reason = "expired"
	FailedSTARTTLS  Reason = "failedstarttls"
	Feedback        Reason = "feedback"
	Filtered        Reason = "filtered"
	HasMoved        Reason = "hasmoved"
	HostUnknown     Reason = "hostunknown"
	MailboxFull     Reason = "mailboxfull"
	MailerError     Reason = "mailererror"
	MesgTooBig      Reason = "mesgtoobig"
	NetworkError    Reason = "networkerror"
	NoRelaying      Reason = "norelaying"
	NotAccept       Reason = "notaccept"
	NotCompliantRFC Reason = "notcompliantrfc"
	OnHold          Reason = "onhold"
	PolicyViolation Reason = "policyviolation"
	Rejected        Reason = "rejected"
	RequirePTR      Reason = "requireptr"
	SecurityError   Reason = "securityerror"
	SpamDetected    Reason = "spamdetected"
	Speeding        Reason = "speeding"
	Suppressed      Reason = "suppressed"
	Suspend         Reason = "suspend"
	SyntaxError     Reason = "syntaxerror"
	SystemError     Reason = "systemerror"
	SystemFull      Reason = "systemfull"
	TooManyConn     Reason = "toomanyconn"
	Undefined       Reason = "undefined"
	UserUnknown     Reason = "userunknown"
	Vacation        Reason = "vacation"
	VirusDetected   Reason = "virusdetected"
)

// Reasons lists every Reason, so that metrics can start each label value
// at zero and input can be validated.
var Reasons = []Reason{
	AuthFailure, BadReputation, Blocked, ContentError, Delivered,
	ExceedLimit, Expired, FailedSTARTTLS, Feedback, Filtered, HasMoved,
	HostUnknown, MailboxFull, MailerError, MesgTooBig, NetworkError,
	NoRelaying, NotAccept, NotCompliantRFC, OnHold, PolicyViolation,
	Rejected, RequirePTR, SecurityError, SpamDetected, Speeding,
	Suppressed, Suspend, SyntaxError, SystemError, SystemFull,
	TooManyConn, Undefined, UserUnknown, Vacation, VirusDetected,
}

// Policy is the kind of sender-side policy behind a rejection. Such a
// rejection describes the sender, not the recipient, so by default it is
// counted but never suppresses the recipient.
type Policy string

// Policy kinds. PolicyNone is the empty string: the failure is about the
// recipient or the receiving system.
const (
	PolicyNone       Policy = ""
	PolicyAUP        Policy = "aup"        // acceptable use policy, e.g. Cox/Cloudmark AUP#POL
	PolicyBlocklist  Policy = "blocklist"  // sending IP or domain on a DNS blocklist
	PolicyReputation Policy = "reputation" // sender reputation too low
	PolicyAuth       Policy = "auth"       // SPF, DKIM or DMARC failure
	PolicyPTR        Policy = "ptr"        // missing or mismatched reverse DNS
	PolicyRateLimit  Policy = "rate_limit" // too much mail too fast
	PolicyContent    Policy = "content"    // the content was judged spam or unsafe
)

// Policies lists every non-empty Policy.
var Policies = []Policy{
	PolicyAUP, PolicyBlocklist, PolicyReputation, PolicyAuth, PolicyPTR,
	PolicyRateLimit, PolicyContent,
}

// Report kinds understood in Input.Kind. They carry the same values as the
// kinds of the dsn package.
const (
	KindFailure   = "failure"
	KindDelay     = "delay"
	KindDelivered = "delivered"
	KindComplaint = "complaint"
	KindAutoReply = "auto_reply"
	KindNotBounce = "not_bounce"
)

// reportKinds are the values of a rule's kind condition.
var reportKinds = []string{KindFailure, KindDelay, KindDelivered, KindComplaint, KindAutoReply, KindNotBounce}

// Input is the set of facts about one recipient that Classify decides on.
type Input struct {
	Kind       string // one of the Kind constants
	Action     string // RFC 3464 Action, lower-cased: failed, delayed, ...
	Status     string // enhanced status code, such as "5.1.1"; may be empty
	ReplyCode  int    // SMTP reply code such as 550; zero when unknown
	Diagnostic string // diagnostic text as the remote MTA sent it

	// DiagnosticType is the type of the RFC 3464 Diagnostic-Code field,
	// such as "smtp" or "x-unix"; may be empty. An "x-unix" text is an
	// exit status or message of a local delivery agent.
	DiagnosticType string

	// Command is the SMTP command the remote MTA rejected: CONNECT (the
	// greeting), HELO, MAIL, RCPT or DATA, or a phrase that starts with
	// one, such as "RCPT TO:<a@example.org>". It is empty when unknown.
	// A rejection at CONNECT, HELO or MAIL is about the sender. An
	// "unknown user" answered to DATA is usually a content filter.
	Command string

	RemoteMTA string // host name of the remote MTA; may be empty
	Recipient string // the failed recipient address
}

// Result is the verdict for one recipient.
type Result struct {
	Reason Reason

	// Hard is true only when retrying the address can never succeed:
	// unknown user, unknown domain, moved mailbox, and a domain that
	// permanently accepts no mail (null MX).
	Hard bool

	Policy Policy

	// Provider is the provider that rejected the message, or ProviderOther
	// for a provider outside the known set.
	Provider Provider

	// Rule is the id of the rule that decided the result, so that a wrong
	// verdict can be traced and overridden.
	Rule string

	// Hint is a one-line remediation for the sender; empty when there is
	// nothing the sender can do beyond dropping the address.
	Hint string
}

// Classify returns the verdict for one recipient of a report by the
// embedded rules. A daemon whose operator may change the rules uses a
// Classifier instead.
//
// The rules are tried in order and the first that matches decides the
// reason, hardness, policy kind, hint and rule id. The embedded file puts
// the report kind first (complaints, auto-replies and delivery notices).
// Provider signatures and phrases of the diagnostic text come next, then
// the enhanced status code, then the SMTP reply code. So the text outweighs
// a generic code: "552 5.2.0 sender rejected AUP#POL" is a policy
// rejection, not a full mailbox. Text matching ignores case and the layout
// of folded or multi-line replies.
//
// When in.Status is empty or generic (x.0.0), Classify uses the first
// enhanced status code found in the diagnostic text instead. When
// in.ReplyCode is zero, it uses a reply code that starts the text.
//
// Hard is true only for reasons that no retry can overcome. A delay
// (in.Kind is KindDelay or in.Action is "delayed") is never hard, because
// the reporting MTA is still retrying. An input that matches no rule
// yields Undefined, soft, with an empty Rule.
func Classify(in Input) Result {
	return defaultSet().Classify(in)
}

func defaultSet() *RuleSet {
	set, err := builtinSet()
	if err != nil {
		panic("classify: invalid embedded rules: " + err.Error())
	}
	return set
}

// Classify returns the verdict for in by the rules of s, as the package
// function Classify describes.
func (s *RuleSet) Classify(in Input) Result {
	var f facts
	s.prepare(in, &f)
	if i := s.firstMatch(&f); i >= 0 {
		return s.rules[i].result(&f)
	}
	return Result{Reason: Undefined, Provider: f.provider}
}

// Explanation is the rule that decided a verdict and the conditions that
// held.
type Explanation struct {
	Rule       string   // the rule's id; empty when no rule matched
	Origin     string   // file and line of the rule
	Source     string   // the rule's source note
	Conditions []string // the rule's conditions as the input met them
}

// Explain returns the verdict for in with the rule that decided it and the
// conditions that held.
func (s *RuleSet) Explain(in Input) (Result, Explanation) {
	var f facts
	s.prepare(in, &f)
	i := s.firstMatch(&f)
	if i < 0 {
		return Result{Reason: Undefined, Provider: f.provider}, Explanation{}
	}
	r := &s.rules[i]
	return r.result(&f), Explanation{Rule: r.id, Origin: r.origin, Source: r.source, Conditions: r.conditionsMet(&f)}
}

// firstMatch returns the index of the first rule that matches f, or -1.
// It tries only the candidate rules, in rule order.
func (s *RuleSet) firstMatch(f *facts) int {
	mask := s.candidates(&f.hits)
	for word, set := range mask[:(len(s.rules)+63)/64] {
		for set != 0 {
			i := word*64 + bits.TrailingZeros64(set)
			set &= set - 1
			if s.rules[i].matches(f) {
				return i
			}
		}
	}
	return -1
}

// prepare computes the facts every rule reads: the normalised text and the
// literals in it, the effective codes, and the provider.
func (s *RuleSet) prepare(in Input, f *facts) {
	f.kind = in.Kind
	f.action = strings.ToLower(strings.TrimSpace(in.Action))
	f.command = normalizeCommand(in.Command)
	f.text = normalize(in.Diagnostic)
	f.status = parseCode(firstField(in.Status))
	f.dtype = strings.ToLower(strings.TrimSpace(in.DiagnosticType))
	f.reply = in.ReplyCode

	if !f.status.valid() || f.status.generic() {
		if c := findCode(in.Diagnostic); c.valid() {
			f.status = c
		}
	}
	if f.reply == 0 {
		f.reply = leadingReplyCode(in.Diagnostic)
	}
	f.delayed = f.kind == KindDelay || f.action == "delayed"

	s.matcher.scan(f.text, &f.hits)
	f.provider = s.detectProvider(in, &f.hits)
}

// firstField returns s up to its first white space, so that a Status field
// with a comment ("5.0.0 (permanent failure)") still parses.
func firstField(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " \t("); i >= 0 {
		return s[:i]
	}
	return s
}

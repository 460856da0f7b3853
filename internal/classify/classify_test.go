package classify

import (
	"slices"
	"strings"
	"testing"
)

// classifyCase is one row of the shared case table. The rows double as the
// proof that every rule can fire (TestRules_Reachable).
type classifyCase struct {
	name   string
	in     Input
	reason Reason
	hard   bool
	policy Policy
	rule   string
}

// failure builds the Input of a failed recipient in a delivery failure.
func failure(status string, reply int, text string) Input {
	return Input{Kind: KindFailure, Action: "failed", Status: status, ReplyCode: reply, Diagnostic: text}
}

// delay builds the Input of a recipient in a delay notice.
func delay(status string, reply int, text string) Input {
	return Input{Kind: KindDelay, Action: "delayed", Status: status, ReplyCode: reply, Diagnostic: text}
}

var kindCases = []classifyCase{
	{name: "complaint", in: Input{Kind: KindComplaint, Diagnostic: "550 5.1.1 user unknown"},
		reason: Feedback, rule: "kind-complaint"},
	{name: "auto-reply", in: Input{Kind: KindAutoReply, Diagnostic: "I am out of the office, mailbox full of work"},
		reason: Vacation, rule: "kind-auto-reply"},
	{name: "delivered kind", in: Input{Kind: KindDelivered, Action: "delivered", Status: "2.0.0"},
		reason: Delivered, rule: "kind-delivered"},
	{name: "relayed action in failure report", in: Input{Kind: KindFailure, Action: "relayed", Status: "2.0.0"},
		reason: Delivered, rule: "action-delivered"},
}

var providerCases = []classifyCase{
	{name: "cox AUP#POL over 552", in: failure("5.2.0", 552, "552 5.2.0 <kijitora@cox.net>... sender rejected AUP#POL"),
		reason: PolicyViolation, policy: PolicyAUP, rule: "cox-aup-pol"},
	{name: "cox CXBL", in: failure("5.7.1", 554, "554 5.7.1 192.0.2.1 rejected. IPBL1000 AUP#CXBL"),
		reason: Blocked, policy: PolicyBlocklist, rule: "cox-blocklist"},
	{name: "cox CXDNS", in: failure("5.7.1", 554, "554 192.0.2.1 rejected - AUP#CXDNS"),
		reason: RequirePTR, policy: PolicyPTR, rule: "cox-cxdns"},
	{name: "cox CXSNDR", in: failure("5.1.0", 550, "550 5.1.0 <a@example.org> sender rejected AUP#CXSNDR"),
		reason: AuthFailure, policy: PolicyAuth, rule: "cox-cxsndr"},
	{name: "cox CXMXRT", in: failure("4.2.0", 452, "452 4.2.0 too fast, AUP#CXMXRT"),
		reason: Speeding, policy: PolicyRateLimit, rule: "cox-cxmxrt"},
	{name: "cox CXCNCT", in: failure("4.7.0", 421, "421 4.7.0 192.0.2.1 AUP#CXCNCT"),
		reason: TooManyConn, policy: PolicyRateLimit, rule: "cox-cxcnct"},
	{name: "cox CXSMTP", in: failure("5.5.0", 554, "554 5.5.0 protocol error AUP#CXSMTP"),
		reason: NotCompliantRFC, rule: "cox-cxsmtp"},
	{name: "cox URLBL", in: failure("5.7.1", 552, "552 5.7.1 message rejected URLBL1011"),
		reason: SpamDetected, policy: PolicyContent, rule: "cox-urlbl"},
	{name: "charter other AUP code", in: failure("5.7.1", 554, "554 5.7.1 rejected AUP#In-1310"),
		reason: PolicyViolation, policy: PolicyAUP, rule: "cox-aup-other"},
	{name: "microsoft S3140", in: failure("5.7.1", 550, "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140)."),
		reason: Blocked, policy: PolicyBlocklist, rule: "microsoft-s3140"},
	{name: "microsoft S3150", in: failure("5.7.1", 550, "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)"),
		reason: Blocked, policy: PolicyBlocklist, rule: "microsoft-s3150"},
	{name: "microsoft banned sending IP", in: failure("5.7.606", 550, "550 5.7.606 Access denied, banned sending IP [192.0.2.1]."),
		reason: Blocked, policy: PolicyBlocklist, rule: "microsoft-block-list"},
	{name: "microsoft IP reputation", in: failure("4.7.650", 451, "451 4.7.650 The mail server [192.0.2.25] has been temporarily rate limited due to IP reputation. (S3113)"),
		reason: BadReputation, policy: PolicyReputation, rule: "microsoft-ip-reputation"},
	{name: "yahoo TSS04", in: failure("4.7.0", 421, "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1"),
		reason: Speeding, policy: PolicyRateLimit, rule: "yahoo-tss04"},
	{name: "yahoo TSS09", in: failure("5.7.1", 554, "554 5.7.1 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed."),
		reason: BadReputation, policy: PolicyReputation, rule: "yahoo-tss09"},
	{name: "gmail recipient receiving too fast", in: failure("5.2.1", 550, "550-5.2.1 The user you are trying to contact is receiving mail at a rate that 550-5.2.1 prevents additional messages from being delivered."),
		reason: Speeding, rule: "gmail-recipient-rate"},
	{name: "gmail 5.7.28 unsolicited rate", in: failure("5.7.28", 550, "550-5.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address."),
		reason: BadReputation, policy: PolicyReputation, rule: "gmail-unsolicited-rate"},
}

var senderPolicyCases = []classifyCase{
	{name: "spam classification", in: failure("5.0.0", 0, "Your email to group a@example.com was rejected due to spam classification. Set up SPF records."),
		reason: SpamDetected, policy: PolicyContent, rule: "spam-classified"},
	{name: "550 5.7.1 spamhaus", in: failure("5.7.1", 550, "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-named"},
	{name: "barracuda reputation", in: failure("5.7.1", 554, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-named"},
	{name: "blacklisted IP", in: failure("5.7.1", 550, "550 5.7.1 IP address blacklisted by recipient"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-listed"},
	{name: "550 5.7.1 reverse DNS", in: failure("5.7.1", 550, "550 5.7.1 Connections not accepted from servers without a valid sender domain. Fix reverse DNS for 192.0.2.1"),
		reason: RequirePTR, policy: PolicyPTR, rule: "ptr-missing"},
	{name: "gmail 5.7.25 PTR", in: failure("5.7.25", 550, "550-5.7.25 [192.0.2.1] The IP address sending this message does not have a 550-5.7.25 PTR record setup"),
		reason: RequirePTR, policy: PolicyPTR, rule: "ptr-missing"},
	{name: "550 5.7.26 DMARC", in: failure("5.7.26", 550, "550-5.7.26 Unauthenticated email from example.org is not accepted due to 550-5.7.26 domain's DMARC policy."),
		reason: AuthFailure, policy: PolicyAuth, rule: "auth-dmarc"},
	{name: "SPF hard fail", in: failure("5.7.1", 550, "550 5.7.1 SPF check failed for 192.0.2.1"),
		reason: AuthFailure, policy: PolicyAuth, rule: "auth-spf-dkim"},
	{name: "gmail unauthenticated 5.7.1", in: failure("5.7.1", 550, "550-5.7.1 This message does not have authentication information or fails to pass 550-5.7.1 authentication checks."),
		reason: AuthFailure, policy: PolicyAuth, rule: "auth-unauthenticated"},
	{name: "gmail low reputation", in: failure("5.7.1", 550, "550-5.7.1 Our system has detected that this message is 550-5.7.1 likely suspicious due to the very low reputation of the sending IP 550-5.7.1 address."),
		reason: BadReputation, policy: PolicyReputation, rule: "reputation"},
	{name: "rate limit", in: failure("4.7.0", 421, "421 4.7.0 Try again later, closing connection. Rate limit exceeded for 192.0.2.1"),
		reason: Speeding, policy: PolicyRateLimit, rule: "rate-limit"},
	{name: "sent to too many recipients this hour", in: failure("5.1.1", 550, "550 5.1.1 <a@example.com> - 192.0.2.1 has sent to too many recipients this hour. IB607"),
		reason: Speeding, policy: PolicyRateLimit, rule: "rate-limit"},
	{name: "connection frequency limited", in: failure("5.0.0", 550, "550 Connection frequency limited [Blocked IP 192.0.2.22]."),
		reason: TooManyConn, policy: PolicyRateLimit, rule: "too-many-connections"},
	{name: "too many recipients", in: failure("5.0.0", 552, "552 Too many recipients"),
		reason: TooManyConn, rule: "too-many-recipients"},
}

var messageCases = []classifyCase{
	{name: "multiple From addresses", in: failure("5.7.1", 550, "550-5.7.1 [192.0.2.1 13] Messages with multiple 550 5.7.1 addresses in From: header are not accepted."),
		reason: NotCompliantRFC, rule: "header-not-rfc-compliant"},
	{name: "virus", in: failure("5.0.0", 550, "550 Virus Detected; Content Rejected"),
		reason: VirusDetected, policy: PolicyContent, rule: "virus"},
	{name: "size over recipient limit", in: failure("5.2.3", 552, "552 5.2.3 Message size exceeds fixed maximum message size (10485760)"),
		reason: ExceedLimit, rule: "size-recipient-limit"},
	{name: "message too large", in: failure("5.0.0", 552, "552 Message too large"),
		reason: MesgTooBig, rule: "size-too-big"},
	{name: "8-bit data in header", in: failure("5.6.9", 550, "550 5.6.9 improper use of 8-bit data in message header"),
		reason: ContentError, rule: "content-error"},
	{name: "content rejected UBE", in: failure("5.7.1", 550, "550 5.7.1 Message content rejected, UBE, id=00000-22-225"),
		reason: SpamDetected, policy: PolicyContent, rule: "spam-classified"},
}

var transactionCases = []classifyCase{
	{name: "STARTTLS required", in: failure("5.7.0", 530, "530 5.7.0 Must issue a STARTTLS command first."),
		reason: FailedSTARTTLS, rule: "starttls-required"},
	{name: "SMTP AUTH required", in: failure("5.0.0", 550, "550 Unauthenticated senders not allowed"),
		reason: SecurityError, rule: "smtp-auth-required"},
	{name: "relay access denied", in: failure("5.7.1", 554, "554 5.7.1 <a@example.org>: Relay access denied"),
		reason: NoRelaying, rule: "relay-denied"},
	{name: "client host rejected", in: failure("4.7.1", 450, "450 4.7.1 <c135.example.net[192.0.2.56]>: Client host rejected: may not be mail exchanger"),
		reason: Blocked, rule: "blocked-host"},
	{name: "greylisted", in: failure("4.7.1", 450, "450 4.7.1 <a@example.org>: Recipient address rejected: Greylisted, see https://postgrey.example/"),
		reason: Rejected, rule: "greylisted"},
	{name: "sender domain does not exist", in: failure("5.1.8", 553, "553 5.1.8 <root@host.example>... Domain of sender address root@host.example does not exist"),
		reason: Rejected, rule: "sender-rejected"},
	{name: "improper sequence", in: failure("5.5.0", 503, "503 Improper sequence of commands"),
		reason: SyntaxError, rule: "syntax-error"},
}

var recipientCases = []classifyCase{
	{name: "5.1.1 user unknown", in: failure("5.1.1", 550, "550 5.1.1 <a@example.jp>... User Unknown"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "550 user unknown without status", in: failure("", 550, "550 user unknown"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "gmail account does not exist", in: failure("5.1.1", 550, "550-5.1.1 The email account that you tried to reach does 550-5.1.1 not exist."),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "recipient address rejected access denied", in: failure("5.4.1", 550, "550 5.4.1 <a@example.org>: Recipient address rejected: Access denied"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "mailbox unavailable", in: failure("5.5.0", 550, "550 Requested action not taken: mailbox unavailable"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "yahoo no account", in: failure("5.0.0", 554, "554 delivery error: dd This user doesn't have a yahoo.com account (a@yahoo.com) [0]"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "user unknown in a delay is soft", in: delay("4.1.1", 450, "450 4.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual alias table"),
		reason: UserUnknown, rule: "user-unknown"},
	{name: "mailbox full text", in: failure("5.2.2", 552, "552 5.2.2 <a@icloud.com>: user is over quota"),
		reason: MailboxFull, rule: "mailbox-full"},
	{name: "gmail out of storage and inactive", in: failure("5.2.2", 552, "552-5.2.2 The recipient's inbox is out of storage space and inactive."),
		reason: MailboxFull, rule: "mailbox-full"},
	{name: "insufficient disk space", in: failure("4.4.5", 452, "452 4.4.5 Insufficient disk space; try again later"),
		reason: SystemFull, rule: "system-full"},
	{name: "no longer on server", in: failure("5.1.6", 550, "550 5.1.6 recipient no longer on server: a@example.jp"),
		reason: HasMoved, hard: true, rule: "mailbox-moved"},
	{name: "account blocked", in: failure("5.5.0", 550, "550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked."),
		reason: Suspend, rule: "mailbox-disabled"},
	{name: "disabled recipient 5.7.13", in: failure("5.7.13", 525, "525 5.7.13 Disabled recipient address"),
		reason: Suspend, rule: "mailbox-disabled"},
	{name: "null MX permanent", in: failure("5.1.10", 556, "556 5.1.10 The domain example.org does not accept mail (null MX)"),
		reason: NotAccept, hard: true, rule: "null-mx"},
	{name: "null MX temporary", in: failure("4.0.0", 0, "DNS Error: The domain example.org doesn't receive email according to the administrator: returned Null MX"),
		reason: NotAccept, rule: "null-mx"},
	{name: "host unknown", in: failure("5.1.2", 550, "550 Host unknown"),
		reason: HostUnknown, hard: true, rule: "host-unknown"},
	{name: "NXDOMAIN in a temporary report", in: failure("4.0.0", 0, "DNS Error: DNS type 'mx' lookup of example.jp responded with code NXDOMAIN Domain name not found: example.jp"),
		reason: HostUnknown, rule: "host-unknown"},
	{name: "recipient preferences", in: failure("5.1.1", 550, "550 5.1.1 RCP-P2 Refused due to recipient preferences"),
		reason: Filtered, rule: "recipient-filter"},
}

var expiryCases = []classifyCase{
	{name: "message expired", in: failure("4.4.7", 554, "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>"),
		reason: Expired, rule: "expired"},
	{name: "retry timeout exceeded", in: failure("5.0.0", 0, "retry timeout exceeded"),
		reason: Expired, rule: "expired"},
	{name: "could not be delivered for days", in: failure("5.0.0", 0, "This message could not be delivered for 5 days"),
		reason: Expired, rule: "expired"},
	{name: "routing loop", in: failure("5.4.6", 554, "554 5.4.6 Too many hops"),
		reason: NetworkError, rule: "mail-loop"},
	{name: "connection timed out", in: delay("4.4.1", 0, "connect to mx.example.org[192.0.2.1]:25: Connection timed out"),
		reason: NetworkError, rule: "network-error"},
	{name: "internal error", in: failure("5.3.5", 550, "550 5.3.5 <a@example.org>... Internal System Error"),
		reason: SystemError, rule: "system-error"},
	{name: "failed with a temporary status", in: failure("4.0.0", 450, "450 4.0.0 Temporary failure"),
		reason: Expired, rule: "failed-after-temporary-error"},
	{name: "procmail", in: failure("5.0.0", 0, "procmail: Lock failure on \"/var/mail/a.lock\""),
		reason: MailerError, rule: "mailer-error"},
	{name: "x-unix exit status", in: Input{Kind: KindFailure, Action: "failed", Status: "5.3.0", DiagnosticType: "X-Unix", Diagnostic: "255"},
		reason: MailerError, rule: "local-delivery-agent"},
	{name: "policy reasons", in: failure("5.7.9", 554, "554 5.7.9 Message not accepted for policy reasons."),
		reason: PolicyViolation, rule: "policy-generic"},
	{name: "spam wording", in: failure("5.7.0", 554, "554 5.7.0 Reject, id=20025-09 - SPAM"),
		reason: SpamDetected, policy: PolicyContent, rule: "spam-generic"},
	{name: "blocked for abuse", in: failure("5.0.0", 550, "550 Error - Blocked for abuse."),
		reason: Blocked, rule: "blocked-generic"},
}

var statusCases = []classifyCase{
	{name: "5.1.1 alone", in: failure("5.1.1", 550, ""), reason: UserUnknown, hard: true, rule: "status-x.1.1"},
	{name: "5.1.1 from text when status is generic", in: failure("5.0.0", 550, "550 5.1.1 <a@example.org>..."),
		reason: UserUnknown, hard: true, rule: "status-x.1.1"},
	{name: "5.1.2", in: failure("5.1.2", 0, ""), reason: HostUnknown, hard: true, rule: "status-x.1.2"},
	{name: "5.1.3", in: failure("5.1.3", 0, ""), reason: UserUnknown, hard: true, rule: "status-x.1.3"},
	{name: "5.1.4", in: failure("5.1.4", 0, ""), reason: UserUnknown, hard: true, rule: "status-x.1.4"},
	{name: "5.1.6", in: failure("5.1.6", 0, ""), reason: HasMoved, hard: true, rule: "status-x.1.6"},
	{name: "5.1.7", in: failure("5.1.7", 550, "550 5.1.7 No such domain sender.example"), reason: Rejected, rule: "status-x.1.7"},
	{name: "5.1.8", in: failure("5.1.8", 501, ""), reason: Rejected, rule: "status-x.1.8"},
	{name: "5.1.10", in: failure("5.1.10", 0, ""), reason: NotAccept, hard: true, rule: "status-x.1.10"},
	{name: "5.2.1", in: failure("5.2.1", 0, ""), reason: Suspend, rule: "status-x.2.1"},
	{name: "5.2.2", in: failure("5.2.2", 0, ""), reason: MailboxFull, rule: "status-x.2.2"},
	{name: "5.2.3", in: failure("5.2.3", 0, ""), reason: ExceedLimit, rule: "status-x.2.3"},
	{name: "5.3.1", in: failure("5.3.1", 0, ""), reason: SystemFull, rule: "status-x.3.1"},
	{name: "5.3.2 with 521", in: failure("5.3.2", 521, ""), reason: NotAccept, hard: true, rule: "status-x.3.2"},
	{name: "5.3.4", in: failure("5.3.4", 552, ""), reason: MesgTooBig, rule: "status-x.3.4"},
	{name: "5.3.0", in: failure("5.3.0", 554, ""), reason: SystemError, rule: "status-x.3.x"},
	{name: "4.4.3 in a delay", in: delay("4.4.3", 0, ""), reason: SystemError, rule: "status-x.4.3"},
	{name: "5.4.4", in: failure("5.4.4", 0, ""), reason: HostUnknown, hard: true, rule: "status-x.4.4"},
	{name: "4.4.5 in a delay", in: delay("4.4.5", 0, ""), reason: SystemFull, rule: "status-x.4.5"},
	{name: "4.4.7 delay", in: delay("4.4.7", 0, ""), reason: Expired, rule: "status-x.4.7"},
	{name: "5.4.1", in: failure("5.4.1", 0, ""), reason: NetworkError, rule: "status-x.4.x"},
	{name: "5.5.3", in: failure("5.5.3", 0, ""), reason: TooManyConn, rule: "status-x.5.3"},
	{name: "5.5.2", in: failure("5.5.2", 0, ""), reason: SyntaxError, rule: "status-x.5.syntax"},
	{name: "5.6.1", in: failure("5.6.1", 0, ""), reason: ContentError, rule: "status-x.6.x"},
	{name: "5.7.13", in: failure("5.7.13", 525, ""), reason: Suspend, rule: "status-x.7.13"},
	{name: "5.7.17", in: failure("5.7.17", 0, ""), reason: HasMoved, hard: true, rule: "status-x.7.17"},
	{name: "5.7.20", in: failure("5.7.20", 550, ""), reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.20"},
	{name: "5.7.21", in: failure("5.7.21", 550, ""), reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.21"},
	{name: "5.7.22", in: failure("5.7.22", 550, ""), reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.22"},
	{name: "5.7.23", in: failure("5.7.23", 550, ""), reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.23"},
	{name: "5.7.24", in: failure("5.7.24", 550, ""), reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.24"},
	{name: "5.7.25", in: failure("5.7.25", 550, ""), reason: RequirePTR, policy: PolicyPTR, rule: "status-x.7.25"},
	{name: "5.7.26 DMARC wording-free", in: failure("5.7.26", 550, "550 5.7.26 message rejected"),
		reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.26"},
	{name: "5.7.27", in: failure("5.7.27", 550, ""), reason: Rejected, rule: "status-x.7.27"},
	{name: "5.7.28", in: failure("5.7.28", 550, ""), reason: BadReputation, policy: PolicyReputation, rule: "status-x.7.28"},
	{name: "5.7.29", in: failure("5.7.29", 550, ""), reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.29"},
	{name: "5.7.30", in: failure("5.7.30", 550, ""), reason: FailedSTARTTLS, rule: "status-x.7.30"},
	{name: "office 365 5.7.509", in: failure("5.7.509", 550, "550 5.7.509 Access denied"),
		reason: AuthFailure, policy: PolicyAuth, rule: "status-5.7.509"},
	{name: "535 5.7.8", in: failure("5.7.8", 535, ""), reason: SecurityError, rule: "status-x.7.security"},
	{name: "bare 5.7.1", in: failure("5.7.1", 550, ""), reason: Rejected, rule: "status-x.7.1"},
	{name: "bare 5.7.0", in: failure("5.7.0", 554, ""), reason: PolicyViolation, rule: "status-x.7.0"},
	{name: "5.7.6", in: failure("5.7.6", 550, "550 5.7.6 Failed to delivery"), reason: SecurityError, rule: "status-x.7.x"},
	{name: "status with comment", in: failure("5.2.2 (mailbox full)", 0, ""), reason: MailboxFull, rule: "status-x.2.2"},
}

var replyCases = []classifyCase{
	{name: "bare 550 with empty text", in: failure("", 550, ""), reason: Rejected, rule: "reply-550-553-554"},
	{name: "bare 554 with unknown text", in: failure("5.0.0", 554, "554 mx.example.org"),
		reason: Rejected, rule: "reply-550-553-554"},
	{name: "reply code from text", in: failure("", 0, "550 see you"), reason: Rejected, rule: "reply-550-553-554"},
	{name: "521", in: failure("", 521, ""), reason: NotAccept, hard: true, rule: "reply-521-556"},
	{name: "502", in: failure("", 502, ""), reason: SyntaxError, rule: "reply-500-504"},
	{name: "530", in: failure("", 530, ""), reason: SecurityError, rule: "reply-530-535"},
	{name: "551", in: failure("", 551, "551 not our place"), reason: HasMoved, hard: true, rule: "reply-551"},
	{name: "bare 552", in: failure("", 552, ""), reason: MailboxFull, rule: "reply-552"},
	{name: "452", in: delay("", 452, ""), reason: SystemFull, rule: "reply-452"},
	{name: "421", in: delay("", 421, ""), reason: SystemError, rule: "reply-421-451"},
	{name: "542 rejected", in: failure("5.0.0", 542, "542 a@example.com Rejected"), reason: Rejected, rule: "rejected-generic"},
	{name: "nothing known", in: failure("", 0, ""), reason: Undefined},
	{name: "unknown text and code", in: failure("5.9.9", 0, "something odd"), reason: Undefined},
}

var allCaseTables = map[string][]classifyCase{
	"kind":        kindCases,
	"provider":    providerCases,
	"policy":      senderPolicyCases,
	"message":     messageCases,
	"transaction": transactionCases,
	"recipient":   recipientCases,
	"expiry":      expiryCases,
	"status":      statusCases,
	"reply":       replyCases,
}

func runCases(t *testing.T, cases []classifyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.in)
			if got.Reason != tc.reason {
				t.Errorf("Reason = %q, want %q (rule %q)", got.Reason, tc.reason, got.Rule)
			}
			if got.Hard != tc.hard {
				t.Errorf("Hard = %t, want %t", got.Hard, tc.hard)
			}
			if got.Policy != tc.policy {
				t.Errorf("Policy = %q, want %q", got.Policy, tc.policy)
			}
			if got.Rule != tc.rule {
				t.Errorf("Rule = %q, want %q", got.Rule, tc.rule)
			}
		})
	}
}

func TestClassify_ReportKinds(t *testing.T)        { runCases(t, kindCases) }
func TestClassify_ProviderSignatures(t *testing.T) { runCases(t, providerCases) }
func TestClassify_SenderPolicies(t *testing.T)     { runCases(t, senderPolicyCases) }
func TestClassify_MessageProblems(t *testing.T)    { runCases(t, messageCases) }
func TestClassify_Transaction(t *testing.T)        { runCases(t, transactionCases) }
func TestClassify_RecipientProblems(t *testing.T)  { runCases(t, recipientCases) }
func TestClassify_ExpiryAndSystem(t *testing.T)    { runCases(t, expiryCases) }
func TestClassify_StatusCodes(t *testing.T)        { runCases(t, statusCases) }
func TestClassify_ReplyCodes(t *testing.T)         { runCases(t, replyCases) }

// TestClassify_AUPPolHint checks that the AUP#POL hint names every step a
// sender can take.
func TestClassify_AUPPolHint(t *testing.T) {
	got := Classify(failure("5.2.0", 552, "552 5.2.0 <a@cox.net>... sender rejected AUP#POL"))
	for _, want := range []string{"reputation", "PTR", "MX", "SPF", "DKIM", "DMARC", "warm", "postmaster", "unblock"} {
		if !containsFold(got.Hint, want) {
			t.Errorf("hint %q does not mention %q", got.Hint, want)
		}
	}
}

// TestClassify_HardOnlyForPermanentReasons checks the design rule across
// every case: only an unknown user, an unknown host, a moved mailbox and a
// permanent null MX are hard.
func TestClassify_HardOnlyForPermanentReasons(t *testing.T) {
	hardReasons := []Reason{UserUnknown, HostUnknown, HasMoved, NotAccept}
	for family, cases := range allCaseTables {
		for _, tc := range cases {
			got := Classify(tc.in)
			if got.Hard && !slices.Contains(hardReasons, got.Reason) {
				t.Errorf("%s/%s: %s is hard", family, tc.name, got.Reason)
			}
			if got.Hard && got.Policy != PolicyNone {
				t.Errorf("%s/%s: policy rejection %s is hard", family, tc.name, got.Policy)
			}
		}
	}
}

// TestClassify_DelayIsNeverHard runs every case again as a delay notice.
func TestClassify_DelayIsNeverHard(t *testing.T) {
	for family, cases := range allCaseTables {
		for _, tc := range cases {
			in := tc.in
			if in.Kind != KindFailure {
				continue
			}
			in.Kind, in.Action = KindDelay, "delayed"
			if got := Classify(in); got.Hard {
				t.Errorf("%s/%s as a delay: hard %s by rule %s", family, tc.name, got.Reason, got.Rule)
			}
		}
	}
}

// TestClassify_CaseAndFolding checks that letter case and the line layout
// of a folded multi-line reply do not change the verdict.
func TestClassify_CaseAndFolding(t *testing.T) {
	inputs := []string{
		"550 5.7.1 Client host blocked using zen.spamhaus.org",
		"550 5.7.1 CLIENT HOST BLOCKED USING ZEN.SPAMHAUS.ORG",
		"550-5.7.1 Client host blocked\r\n550-5.7.1   using\r\n\t550 5.7.1 zen.Spamhaus.org",
	}
	for _, text := range inputs {
		got := Classify(failure("5.7.1", 550, text))
		if got.Rule != "blocklist-named" {
			t.Errorf("%q: rule %q, want blocklist-named", text, got.Rule)
		}
	}
}

func TestRules_Valid(t *testing.T) {
	seen := make(map[string]bool)
	for i, r := range rules {
		if seen[r.id] {
			t.Errorf("rule %d: duplicate id %q", i, r.id)
		}
		seen[r.id] = true
		if !slices.Contains(Reasons, r.reason) {
			t.Errorf("rule %q: reason %q not in Reasons", r.id, r.reason)
		}
		if r.policy != PolicyNone && !slices.Contains(Policies, r.policy) {
			t.Errorf("rule %q: policy %q not in Policies", r.id, r.policy)
		}
		if r.source == "" {
			t.Errorf("rule %q: no source", r.id)
		}
		if r.hard != soft && r.policy != PolicyNone {
			t.Errorf("rule %q: a policy rejection must be soft", r.id)
		}
	}
}

func TestRules_Reachable(t *testing.T) {
	fired := make(map[string]bool)
	for _, cases := range allCaseTables {
		for _, tc := range cases {
			fired[Classify(tc.in).Rule] = true
		}
	}
	for _, r := range rules {
		if !fired[r.id] {
			t.Errorf("rule %q fires for no test case", r.id)
		}
	}
}

func TestCompileRules_Errors(t *testing.T) {
	tests := []struct {
		name string
		rule rule
		want string
	}{
		{"no condition", rule{id: "empty", reason: Rejected},
			`rule 0 "empty": rule has no condition, so it would match every input`},
		{"bad reason", rule{id: "bad-reason", reason: "gone", replies: []int{550}},
			`rule 0 "bad-reason": unknown reason "gone"`},
		{"bad policy", rule{id: "bad-policy", reason: Blocked, policy: "nope", replies: []int{550}},
			`rule 0 "bad-policy": unknown policy kind "nope"`},
		{"bad id", rule{id: "Bad_ID", reason: Blocked, replies: []int{550}},
			`rule 0 "Bad_ID": invalid rule id "Bad_ID": want lower-case words joined by '-' or '.'`},
		{"upper-case text", rule{id: "upper", reason: Blocked, text: []string{"Spam"}},
			`rule 0 "upper": text "Spam" must be lower-case and trimmed`},
		{"bad status", rule{id: "bad-status", reason: Blocked, status: "5.1"},
			`rule 0 "bad-status": invalid status pattern "5.1": want three parts such as "5.1.1" or "x.4.x"`},
		{"bad pattern", rule{id: "bad-pattern", reason: Blocked, pattern: "("},
			"rule 0 \"bad-pattern\": invalid pattern: error parsing regexp: missing closing ): `(`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileRules([]rule{tt.rule})
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}

	_, err := compileRules([]rule{{id: "a", reason: Blocked, replies: []int{550}}, {id: "a", reason: Blocked, replies: []int{554}}})
	if err == nil || err.Error() != `rule 1: duplicate id "a"` {
		t.Errorf("duplicate id: error = %v", err)
	}
}

func TestFindCode(t *testing.T) {
	tests := []struct {
		text string
		want code
	}{
		{"550 5.1.1 <a@b>", code{5, 1, 1}},
		{"deferred - 4.16.55.1; see", code{}},
		{"from 192.0.2.1 rejected", code{}},
		{"550 #5.1.0 Address rejected", code{5, 1, 0}},
		{"451 4.7.650 rate limited", code{4, 7, 650}},
		{"5.7.1234 too long", code{}},
	}
	for _, tt := range tests {
		if got := findCode(tt.text); got != tt.want {
			t.Errorf("findCode(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"550-5.7.1 Our  system\r\n550-5.7.1 has DETECTED", "our system has detected"},
		{"multiple 550 5.7.1 addresses", "multiple addresses"},
		{"refused: 421 Service not available", "refused: 421 service not available"},
		{"ends with 550", "ends with 550"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

func BenchmarkClassify(b *testing.B) {
	inputs := []Input{
		failure("5.1.1", 550, "550 5.1.1 <kijitora@example.jp>... User Unknown"),
		failure("5.2.0", 552, "552 5.2.0 <kijitora@cox.net>... sender rejected AUP#POL"),
		failure("5.7.1", 550, "550-5.7.1 [192.0.2.22 18] Our system has detected that this message is 550-5.7.1 likely suspicious due to the very low reputation of the sending IP 550-5.7.1 address."),
		failure("4.4.7", 0, ""),
		failure("5.0.0", 0, "some text that matches no rule at all and walks the whole table to the end"),
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Classify(inputs[i%len(inputs)])
	}
}

// TestRequiredLiterals_KeepEveryMatch checks that the literal prefilter
// never hides a text that a rule's pattern matches.
func TestRequiredLiterals_KeepEveryMatch(t *testing.T) {
	for _, cases := range allCaseTables {
		for _, tc := range cases {
			text := normalize(tc.in.Diagnostic)
			for _, r := range rules {
				if r.re == nil || r.required == nil || !r.re.MatchString(text) {
					continue
				}
				if !containsAny(text, r.required) {
					t.Errorf("rule %q matches %q but its literals %q do not", r.id, text, r.required)
				}
			}
		}
	}
}

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{`rate[- ]?limit`, []string{"rate-limit", "rate limit", "ratelimit"}},
		{`\bspam\b|junk`, []string{"spam", "junk"}},
		{`\burlbl\d*\b`, []string{"urlbl"}},
		{`.*`, nil},
		{`a|.*`, nil},
	}
	for _, tt := range tests {
		got := requiredLiterals(tt.pattern)
		slices.Sort(got)
		slices.Sort(tt.want)
		if !slices.Equal(got, tt.want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", tt.pattern, got, tt.want)
		}
	}
}

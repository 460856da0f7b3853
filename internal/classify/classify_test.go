package classify

import (
	"errors"
	"math/rand/v2"
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
	{name: "expired action", in: Input{Kind: KindFailure, Action: "expired", Diagnostic: "Connection timed out"},
		reason: Expired, rule: "action-expired"},
	{name: "delay with no stated cause", in: Input{Kind: KindDelay, Action: "delayed", Diagnostic: "a@example.com Retrying for up to 3 more days"},
		reason: Expired, rule: "delay-unexplained"},
	{name: "delay with a stated cause", in: delay("", 0, "a@example.com The recipient's mailbox is full; retrying"),
		reason: MailboxFull, rule: "mailbox-full"},
}

var providerCases = []classifyCase{
	{name: "list refuses a non-member post", in: failure("", 0, "You are not a member of this mailing list <list@example.org>."),
		reason: Rejected, rule: "mailing-list-post-rejected"},
	{name: "orange ofr_506 after data", in: failure("5.2.0", 550, "host smtp-in.orange.fr said: 550 5.2.0 Mail rejete. Mail rejected. ofr_506 [506] (in reply to end of DATA command)"),
		reason: SpamDetected, policy: PolicyContent, rule: "orange-ofr506"},
	{name: "exchange online all recipients denied", in: failure("5.4.1", 550, "550 5.4.1 All recipient addresses rejected : Access denied [AM0PR01.prod.protection.outlook.com]"),
		reason: Rejected, rule: "microsoft-all-recipients-denied"},
	{name: "exchange online recipient denied at rcpt", in: Input{Kind: KindFailure, Action: "failed", Status: "5.4.1", ReplyCode: 550, Command: "RCPT", Diagnostic: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM0PR01.prod.protection.outlook.com]"},
		reason: UserUnknown, hard: true, rule: "command-rcpt-user-unknown"},
	{name: "cox AUP#POL over 552", in: failure("5.2.0", 552, "552 5.2.0 <kijitora@cox.net>... sender rejected AUP#POL"),
		reason: PolicyViolation, policy: PolicyAUP, rule: "cox-aup-pol"},
	{name: "cox CXBL", in: failure("5.7.1", 554, "554 5.7.1 192.0.2.1 rejected. IPBL1000 AUP#CXBL"),
		reason: Blocked, policy: PolicyBlocklist, rule: "cox-cxbl"},
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
	{name: "charter connections AUP code", in: failure("5.7.1", 554, "554 5.7.1 rejected AUP#In-1310"),
		reason: TooManyConn, policy: PolicyRateLimit, rule: "charter-aup-connections"},
	{name: "microsoft S3140", in: failure("5.7.1", 550, "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3140)."),
		reason: Blocked, policy: PolicyBlocklist, rule: "microsoft-s3140"},
	{name: "microsoft S3150", in: failure("5.7.1", 550, "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)"),
		reason: Blocked, policy: PolicyBlocklist, rule: "microsoft-s3150"},
	{name: "microsoft banned sending IP", in: failure("5.7.606", 550, "550 5.7.606 Access denied, banned sending IP [192.0.2.1]."),
		reason: Blocked, policy: PolicyBlocklist, rule: "microsoft-banned-ip"},
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

// withRemote sets the remote MTA and recipient of in.
func withRemote(in Input, remoteMTA, recipient string) Input {
	in.RemoteMTA, in.Recipient = remoteMTA, recipient
	return in
}

// withCommand sets the failed SMTP command of in.
func withCommand(in Input, command string) Input {
	in.Command = command
	return in
}

var providerCodeCases = []classifyCase{
	{name: "cox CDRBL", in: failure("4.7.1", 421, "421 4.7.1 cxr.mx.a.cloudfilter.net cmsmtp 192.0.2.1 temporarily blocked AUP#CDRBL"),
		reason: Blocked, policy: PolicyReputation, rule: "cox-cdrbl"},
	{name: "cox IPBL0001", in: failure("5.7.1", 554, "554 5.7.1 192.0.2.1 rejected. IPBL0001 https://www.spamhaus.org/query/ip/192.0.2.1"),
		reason: Blocked, policy: PolicyBlocklist, rule: "cox-ipbl"},
	{name: "cox CXMJ", in: failure("5.7.1", 550, "550 5.7.1 sending blocked, suspicious activity AUP#CXMJ"),
		reason: Blocked, policy: PolicyAUP, rule: "cox-cxmj"},
	{name: "charter IP block", in: failure("4.0.0", 421, "421 cmsmtp 192.0.2.1 blocked. AUP#In-1370"),
		reason: Blocked, policy: PolicyReputation, rule: "charter-aup-ip-block"},
	{name: "charter suspicious activity", in: failure("4.0.0", 554, "554 impin004.msg.chrl.nc.charter.net cmsmtp blocked. Please see the error code page. AUP#In-1020"),
		reason: Blocked, policy: PolicyReputation, rule: "charter-aup-suspicious"},
	{name: "charter other code", in: failure("5.0.0", 554, "554 cmsmtp rejected AUP#In-1570"),
		reason: PolicyViolation, policy: PolicyAUP, rule: "charter-aup-other"},
	{name: "cox other code", in: failure("5.7.1", 554, "554 5.7.1 rejected AUP#CXZZ"),
		reason: PolicyViolation, policy: PolicyAUP, rule: "cox-aup-other"},
	{name: "comcast BL000000", in: failure("5.7.1", 554, "554 resimta-po-01v.sys.comcast.net comcast 192.0.2.1 Comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000"),
		reason: Blocked, policy: PolicyReputation, rule: "comcast-bl000000"},
	{name: "comcast BL000010", in: failure("5.7.1", 554, "554 resimta-ch2-18v.sys.comcast.net comcast 192.0.2.1 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010"),
		reason: Blocked, policy: PolicyBlocklist, rule: "comcast-bl-dnsbl"},
	{name: "comcast BL006", in: failure("5.0.0", 550, "550 Mail rejected. Code BL006"),
		reason: Blocked, policy: PolicyBlocklist, rule: "comcast-bl-legacy"},
	{name: "comcast RL000001", in: failure("4.2.0", 452, "452 4.2.0 Too many messages in this session RL000001"),
		reason: Speeding, policy: PolicyRateLimit, rule: "comcast-rl"},
	{name: "comcast ES000010", in: failure("5.7.1", 554, "554 dynamic IP 192.0.2.1 ES000010"),
		reason: Blocked, policy: PolicyPTR, rule: "comcast-es"},
	{name: "comcast DM000001", in: failure("5.1.0", 550, "550 5.1.0 sender domain rejected DM000001"),
		reason: Blocked, policy: PolicyReputation, rule: "comcast-dm"},
	{name: "microsoft 5.7.515", in: failure("5.7.515", 550, "550 5.7.515 Access denied, sending domain example.org does not meet the required authentication level."),
		reason: AuthFailure, policy: PolicyAuth, rule: "microsoft-auth-level"},
	{name: "microsoft 5.7.512", in: failure("5.7.512", 550, "550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant"),
		reason: NotCompliantRFC, rule: "microsoft-rfc5322"},
	{name: "microsoft 5.7.511 banned sender", in: failure("5.7.511", 550, "550 5.7.511 Access denied, banned sender[192.0.2.1]. To request removal from this list, forward this message to delist@microsoft.com."),
		reason: Blocked, policy: PolicyReputation, rule: "microsoft-banned-sender"},
	{name: "microsoft 5.7.505 banned recipient", in: failure("5.7.505", 550, "550 5.7.505 Access denied, banned recipient"),
		reason: Rejected, rule: "microsoft-banned-recipient"},
	{name: "microsoft 5.7.504 recipient rejected", in: failure("5.7.504", 550, "550 5.7.504 Recipient address rejected: Access denied"),
		reason: UserUnknown, hard: true, rule: "microsoft-recipient-unknown"},
	{name: "microsoft 5.7.708 tenant", in: failure("5.7.708", 550, "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP."),
		reason: Blocked, policy: PolicyReputation, rule: "microsoft-tenant-block"},
	{name: "microsoft other 5.7.5xx", in: withRemote(failure("5.7.520", 550, "550 5.7.520 Access denied, Your organization does not allow external forwarding."), "example-org.mail.protection.outlook.com", "a@example.com"),
		reason: Blocked, policy: PolicyAUP, rule: "microsoft-access-denied"},
	{name: "yahoo TSS02", in: failure("4.7.0", 421, "421 4.7.0 [TSS02] Messages from 192.0.2.1 temporarily deferred due to user complaints"),
		reason: BadReputation, policy: PolicyReputation, rule: "yahoo-tss"},
	{name: "yahoo BL21", in: failure("5.7.1", 553, "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"),
		reason: Blocked, policy: PolicyBlocklist, rule: "yahoo-bl"},
	{name: "yahoo PH01", in: failure("5.7.1", 554, "554 5.7.1 [PH01] Email not accepted for policy reasons."),
		reason: PolicyViolation, policy: PolicyContent, rule: "yahoo-ph"},
	{name: "gmail 5.7.27 SPF", in: withRemote(failure("5.7.27", 550, "550-5.7.27 Your email has been blocked because the sender is unauthenticated. 550 5.7.27 gsmtp"), "gmail-smtp-in.l.google.com", "a@gmail.com"),
		reason: AuthFailure, policy: PolicyAuth, rule: "gmail-spf"},
	{name: "gmail 4.7.30 DKIM", in: withRemote(failure("4.7.30", 421, "421-4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message. gsmtp"), "gmail-smtp-in.l.google.com", "a@gmail.com"),
		reason: AuthFailure, policy: PolicyAuth, rule: "gmail-dkim"},
	{name: "gmail 5.7.32 alignment", in: failure("5.7.32", 550, "550-5.7.32 Your email has been blocked because the sender is unaligned. gsmtp"),
		reason: AuthFailure, policy: PolicyAuth, rule: "gmail-alignment"},
	{name: "gmail 4.7.40 no DMARC record", in: withRemote(failure("4.7.40", 421, "421-4.7.40 Your email has been rate limited because it does not have a DMARC record. gsmtp"), "aspmx.l.google.com", "a@example.com"),
		reason: AuthFailure, policy: PolicyAuth, rule: "gmail-dmarc-missing"},
	{name: "gmail 4.7.29 TLS", in: withRemote(failure("4.7.29", 421, "421-4.7.29 Your email has been rate limited because this message wasn't sent over a TLS connection. gsmtp"), "gmail-smtp-in.l.google.com", "a@gmail.com"),
		reason: FailedSTARTTLS, rule: "gmail-tls"},
	{name: "gmail 4.7.23 forward and reverse DNS", in: withRemote(failure("4.7.23", 421, "421-4.7.23 The sending IP does not match the IP address of the hostname specified in the pointer (PTR) record. gsmtp"), "gmail-smtp-in.l.google.com", "a@gmail.com"),
		reason: RequirePTR, policy: PolicyPTR, rule: "gmail-dns"},
	{name: "gmail security issue", in: failure("5.7.0", 552, "552-5.7.0 This message was blocked because its content presents a potential 552-5.7.0 security issue. gsmtp"),
		reason: SpamDetected, policy: PolicyContent, rule: "gmail-security-issue"},
	{name: "spamcop", in: failure("5.7.1", 554, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-spamcop"},
	{name: "cloudmark CSI", in: failure("5.7.1", 550, "550 5.7.1 192.0.2.1 is listed by Cloudmark CSI"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-cloudmark"},
	{name: "proofpoint", in: failure("5.7.1", 554, "554 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-proofpoint"},
	{name: "sorbs", in: failure("5.7.1", 550, "550 5.7.1 Rejected: 192.0.2.1 listed at dnsbl.sorbs.net"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-named"},
	{name: "user unknown at DATA", in: withCommand(failure("5.0.0", 550, "550 : User unknown"), "DATA"),
		reason: Filtered, rule: "command-data-user-unknown"},
	{name: "5.1.1 at DATA", in: withCommand(failure("5.1.1", 550, "550 5.1.1 User unknown"), "DATA"),
		reason: UserUnknown, hard: true, rule: "command-data-status-x.1.1"},
	{name: "mimecast host network", in: failure("5.0.0", 554, "554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554"),
		reason: PolicyViolation, policy: PolicyAUP, rule: "mimecast-host-network"},
	{name: "timeout in a failed report", in: failure("4.4.1", 0, "connect to mx.example.org[192.0.2.1]:25: Connection timed out"),
		reason: Expired, rule: "network-timeout-gave-up"},
	{name: "user unknown at RCPT", in: withCommand(failure("5.1.1", 550, "550 5.1.1 User unknown"), "RCPT TO:<a@example.org>"),
		reason: UserUnknown, hard: true, rule: "command-rcpt-user-unknown"},
	{name: "5.2.1 user unknown at RCPT", in: withCommand(failure("5.2.1", 550, "550 5.2.1 <a@example.org>... User Unknown"), "RCPT"),
		reason: UserUnknown, hard: true, rule: "command-rcpt-user-unknown"},
	{name: "5.2.0 user unknown without command", in: failure("5.2.0", 550, "550 Unknown user a@example.ne.jp"),
		reason: Filtered, rule: "status-x.2.0-user-unknown"},
	{name: "5.2.1 user unknown without command", in: failure("5.2.1", 550, "550 5.2.1 <a@example.com>... User Unknown"),
		reason: Filtered, rule: "status-x.2.0-user-unknown"},
	{name: "user unknown without command or code", in: failure("", 550, "550 <a@example.org>: User unknown"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "greeting refused", in: withCommand(failure("5.0.0", 554, "554 mx.example.org ESMTP not accepting messages from you"), "CONNECT"),
		reason: Blocked, rule: "command-connect-rejected"},
	{name: "HELO refused with bare reply", in: withCommand(failure("", 550, "550 go away"), "EHLO"),
		reason: Blocked, rule: "command-helo-rejected"},
	{name: "greeting refused with bare reply", in: withCommand(failure("", 554, "554 go away"), "CONNECT"),
		reason: Blocked, rule: "command-connect-reply"},
	{name: "unknown user at MAIL FROM", in: withCommand(failure("5.0.0", 550, "550 Unknown user bounce@example.org"), "MAIL"),
		reason: Rejected, rule: "command-mail-user-unknown"},
	{name: "MAIL FROM refused", in: withCommand(failure("5.0.0", 550, "550 not today"), "MAIL FROM:<bounce@example.org>"),
		reason: Rejected, rule: "command-mail-rejected"},
}

var senderPolicyCases = []classifyCase{
	{name: "spam classification", in: failure("5.0.0", 0, "Your email to group a@example.com was rejected due to spam classification. Set up SPF records."),
		reason: SpamDetected, policy: PolicyContent, rule: "spam-classified"},
	{name: "550 5.7.1 spamhaus", in: failure("5.7.1", 550, "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-spamhaus"},
	{name: "barracuda reputation", in: failure("5.7.1", 554, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-barracuda"},
	{name: "blacklisted IP", in: failure("5.7.1", 550, "550 5.7.1 IP address blacklisted by recipient"),
		reason: Blocked, policy: PolicyBlocklist, rule: "blocklist-listed"},
	{name: "550 5.7.1 reverse DNS", in: failure("5.7.1", 550, "550 5.7.1 Connections not accepted from servers without a valid sender domain. Fix reverse DNS for 192.0.2.1"),
		reason: RequirePTR, policy: PolicyPTR, rule: "ptr-missing"},
	{name: "gmail 5.7.25 PTR", in: failure("5.7.25", 550, "550-5.7.25 [192.0.2.1] The IP address sending this message does not have a 550-5.7.25 PTR record setup"),
		reason: RequirePTR, policy: PolicyPTR, rule: "ptr-missing"},
	{name: "550 5.7.26 DMARC", in: failure("5.7.26", 550, "550-5.7.26 Unauthenticated email from example.org is not accepted due to 550-5.7.26 domain's DMARC policy."),
		reason: AuthFailure, policy: PolicyAuth, rule: "auth-dmarc"},
	{name: "sender address on a local block list", in: failure("", 550, "550 Sorry, you are sending to/from an address that has been blacklisted"),
		reason: Rejected, rule: "address-blocklisted"},
	{name: "SPF hard fail", in: failure("5.7.1", 550, "550 5.7.1 SPF check failed for 192.0.2.1"),
		reason: AuthFailure, policy: PolicyAuth, rule: "auth-spf-dkim"},
	{name: "IP not permitted for the sender domain", in: failure("", 554, "554 INVALID IP FOR SENDING MAIL OF DOMAIN example.com [RCPT_TO]"),
		reason: AuthFailure, policy: PolicyAuth, rule: "auth-ip-not-permitted"},
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
	{name: "SES identity not verified", in: failure("5.0.0", 554, "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.org"),
		reason: NoRelaying, rule: "ses-identity-not-verified"},
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
	{name: "cpanel exim unroutable", in: failure("", 0, "The mail server could not deliver mail to a@example.net. The account or domain may not exist, they may be blacklisted, or missing the proper dns entries."),
		reason: HostUnknown, hard: true, rule: "cpanel-cannot-route"},
	{name: "domino japanese directory lookup", in: failure("5.0.0", 0, "ユーザー Sato (sato@example.co.jp) は Domino ディレクトリには見つかりません。"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "japanese address does not exist", in: failure("", 550, "550 このメールアドレスは存在しません (ueda@example.ne.jp)"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "japanese user unknown at DATA", in: withCommand(failure("5.0.0", 550, "550 ユーザが見つかりません"), "DATA"),
		reason: Filtered, rule: "command-data-user-unknown"},
	{name: "japanese user unknown with 5.2.0", in: failure("5.2.0", 550, "550 宛先不明 a@example.ne.jp"),
		reason: Filtered, rule: "status-x.2.0-user-unknown"},
	{name: "japanese mailbox capacity", in: failure("", 0, "受信者のメールボックスの容量が上限に達しています。"),
		reason: MailboxFull, rule: "mailbox-full-japanese"},
	{name: "mailbox message count exceeded", in: failure("", 0, "The number of messages in recipient's mailbox exceeded the local limit."),
		reason: MailboxFull, rule: "mailbox-over-size"},
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
		reason: UserUnknown, hard: true, rule: "yahoo-no-account"},
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
		reason: NetworkError, rule: "dns-error-temporary"},
	{name: "NXDOMAIN in a permanent report", in: failure("5.1.2", 0, "Host or domain name not found. Name service error for name=example.jp type=MX: Host not found"),
		reason: HostUnknown, hard: true, rule: "host-unknown"},
	{name: "recipient preferences", in: failure("5.1.1", 550, "550 5.1.1 RCP-P2 Refused due to recipient preferences"),
		reason: Filtered, rule: "recipient-filter"},
	{name: "bare recipient address rejected", in: withCommand(failure("5.0.0", 550, "550 <a@example.jp>: Recipient address rejected."), "RCPT"),
		reason: UserUnknown, hard: true, rule: "command-rcpt-user-unknown"},
	{name: "address rejected with 5.1.0", in: failure("5.1.0", 550, "550 #5.1.0 Address rejected."),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "postfix restriction names its cause", in: withCommand(failure("5.7.26", 550, "550 5.7.26 <a@example.net>: Recipient address rejected: Multiple authentication checks failed"), "RCPT"),
		reason: AuthFailure, policy: PolicyAuth, rule: "status-x.7.26"},
	{name: "gmail address not found", in: failure("5.0.0", 0, "Your message wasn't delivered to a@example.it because the address couldn't be found."),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "mms no valid recipients", in: failure("", 0, "Message could not be delivered to mobile. Error: No valid recipients for this MM"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "dma host not found", in: failure("5.0.0", 0, "There was an error delivering your mail to <a@mx.example.org>. DNS lookup failure: host mx.example.org not found"),
		reason: HostUnknown, hard: true, rule: "host-unknown"},
	{name: "qmail no mail exchanger", in: failure("5.4.4", 0, "<a@example.jp>: Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)"),
		reason: NotAccept, hard: true, rule: "null-mx"},
	{name: "exim unrouteable address", in: failure("", 0, "a@example.org Unrouteable address"),
		reason: HostUnknown, hard: true, rule: "host-unknown"},
	{name: "postfix host not found try again", in: failure("", 0, "<a@example.com>: Name service error for domain example.com: Host not found, try again"),
		reason: NetworkError, rule: "dns-try-again"},
	{name: "HELO refused for its name", in: withCommand(failure("5.0.0", 501, "Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name"), "HELO"),
		reason: Blocked, rule: "command-helo-rejected"},
	{name: "imail mailbox over size", in: failure("", 0, "User mailbox exceeds allowed size: a@example.co.jp"),
		reason: MailboxFull, rule: "mailbox-over-size"},
	{name: "daily relay quota", in: withCommand(failure("", 554, "554 relay.example.net : You've reached your daily relay quota - 192.0.2.7"), "CONNECT"),
		reason: Speeding, policy: PolicyRateLimit, rule: "rate-limit"},
	{name: "gmail wrapper names the recipient domain", in: failure("5.7.1", 550, "Google tried to deliver your message, but it was rejected by the recipient domain. The error that the other server returned was: 550 5.7.1 Access denied"),
		reason: Rejected, rule: "status-x.7.1"},
	{name: "remote without TLS", in: failure("", 500, "Google tried to deliver your message, but it was rejected by the recipient domain. The error that the other server returned was: 500 Remote server does not support TLS (state 6)."),
		reason: FailedSTARTTLS, rule: "starttls-required"},
	{name: "ORCPT rfc822 is no header complaint", in: delay("4.3.0", 451, "In: RCPT TO:<a@example.net> ORCPT=rfc822;a@example.net Out: 250 2.1.5 Ok In: DATA Out: 451 4.3.0 Error: queue file write error"),
		reason: SystemError, rule: "status-x.3.x"},
	{name: "delayed host name lookup failure", in: delay("4.0.0", 0, "Status: 4.0.0 (example.net: host name lookup failure)"),
		reason: NetworkError, rule: "dns-error-temporary"},
	{name: "deferred name server lookup given up", in: failure("4.4.7", 0, "<a@example.co.jp>... Deferred: Name server: example.co.jp.: host name lookup failure Message could not be delivered for 8 hours"),
		reason: NetworkError, rule: "dns-error-temporary"},
	{name: "qmail gave up without a known cause", in: Input{Kind: KindFailure, Status: "4.1.9", Diagnostic: "<a@example.com>: Resources temporarily unavailable [#4.1.9]. I'm not going to try again; this message has been in the queue too long."},
		reason: Expired, rule: "queue-too-long"},
	{name: "failed on a temporary routing loop", in: failure("4.4.6", 0, ""),
		reason: NetworkError, rule: "status-x.4.6"},
	{name: "qmail gave up after a timeout", in: Input{Kind: KindFailure, Diagnostic: "<a@example.org>: Unable to connect to remote server [192.0.2.7:25]: Operation timed out I'm not going to try again; this message has been in the queue too long."},
		reason: Expired, rule: "network-timeout-queue-too-long"},
	{name: "qmail gave up on a known cause", in: Input{Kind: KindFailure, Status: "4.4.1", Diagnostic: "<a@example.jp>: Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long."},
		reason: NetworkError, rule: "status-x.4.x"},
	{name: "exim malformed header address", in: failure("", 0, "a@example.com <b@example.net>: malformed address: <b@example.net> may not follow a@example.com This address has been ignored."),
		reason: SyntaxError, rule: "malformed-recipient-address"},
	{name: "exchange name not recognized", in: failure("", 0, "a@example.com on 5/9/2026 9:14 AM The recipient name is not recognized"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "imail invalid userid", in: failure("", 0, "Invalid final delivery userid: a@example.co.jp"),
		reason: UserUnknown, hard: true, rule: "user-unknown"},
	{name: "exim null MX", in: failure("", 0, "a@example.org an MX or SRV record indicated no SMTP service"),
		reason: NotAccept, hard: true, rule: "null-mx"},
	{name: "exim null MX in a delay", in: delay("", 0, "a@example.org an MX or SRV record indicated no SMTP service"),
		reason: NotAccept, rule: "null-mx"},
	{name: "1and1 size limit", in: failure("", 0, "a@example.org For the following reason: Mail size limit exceeded."),
		reason: MesgTooBig, rule: "size-too-big"},
	{name: "google groups notice", in: failure("", 0, "Hello a@example.jp, the group you tried to contact (news) may not exist, or you may not have permission to post. Visit the Help Center at https://groups.google.com/support/."),
		reason: Rejected, rule: "google-groups-post-rejected"},
}

var expiryCases = []classifyCase{
	{name: "message expired", in: failure("4.4.7", 554, "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>"),
		reason: Expired, rule: "expired"},
	{name: "retry timeout exceeded", in: failure("5.0.0", 0, "retry timeout exceeded"),
		reason: Expired, rule: "expired"},
	{name: "could not be delivered for days", in: failure("5.0.0", 0, "This message could not be delivered for 5 days"),
		reason: Expired, rule: "expired"},
	{name: "exim hosts failing", in: failure("", 0, "a@example.org all hosts have been failing for a long time and were last tried after this message arrived"),
		reason: Expired, rule: "expired"},
	{name: "imail attempts", in: failure("", 0, "Delivery failed 20 attempts: a@example.com"),
		reason: Expired, rule: "expired"},
	{name: "giving up after retries", in: failure("", 0, "<a@example.jp>: Unable to deliver message after multiple retries, giving up."),
		reason: Expired, rule: "expired"},
	{name: "failure ending on a 421", in: failure("", 421, "[Status: Error, Address: <a@example.jp>, ResponseCode 421, , Host not reachable.]"),
		reason: Expired, rule: "failed-after-temporary-reply"},
	{name: "routing loop", in: failure("5.4.6", 554, "554 5.4.6 Too many hops"),
		reason: NetworkError, rule: "mail-loop"},
	{name: "connection timed out", in: delay("4.4.1", 0, "connect to mx.example.org[192.0.2.1]:25: Connection timed out"),
		reason: NetworkError, rule: "network-error"},
	{name: "internal error", in: failure("5.3.5", 550, "550 5.3.5 <a@example.org>... Internal System Error"),
		reason: SystemError, rule: "system-error"},
	{name: "delivery aborted after hours", in: failure("", 0, "Delivery to the following recipients was aborted after 6.0 hour(s): * a@example.jp"),
		reason: Expired, rule: "expired"},
	{name: "failed with a temporary status", in: failure("4.0.0", 450, "450 4.0.0 Temporary failure"),
		reason: Expired, rule: "failed-after-temporary-error"},
	{name: "procmail", in: failure("5.0.0", 0, "procmail: Lock failure on \"/var/mail/a.lock\""),
		reason: MailerError, rule: "mailer-error"},
	{name: "x-unix exit status", in: Input{Kind: KindFailure, Action: "failed", Status: "5.3.0", DiagnosticType: "X-Unix", Diagnostic: "255"},
		reason: MailerError, rule: "local-delivery-agent"},
	{name: "x-unix temporary failure given up", in: Input{Kind: KindFailure, Action: "failed", Status: "4.3.0", DiagnosticType: "x-unix", Diagnostic: "temporary failure"},
		reason: MailerError, rule: "local-delivery-agent"},
	{name: "policy reasons", in: failure("5.7.9", 554, "554 5.7.9 Message not accepted for policy reasons."),
		reason: PolicyViolation, policy: PolicyAUP, rule: "policy-generic"},
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
		reason: AuthFailure, policy: PolicyAuth, rule: "microsoft-dmarc"},
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
	"codes":       providerCodeCases,
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
func TestClassify_ProviderCodes(t *testing.T)      { runCases(t, providerCodeCases) }
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
		if got.Rule != "blocklist-spamhaus" {
			t.Errorf("%q: rule %q, want blocklist-spamhaus", text, got.Rule)
		}
	}
}

func TestRules_Valid(t *testing.T) {
	seen := make(map[string]bool)
	for i, r := range defaultSet().rules {
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
	for _, r := range defaultSet().rules {
		if !fired[r.id] {
			t.Errorf("rule %q fires for no test case", r.id)
		}
	}
}

func TestParseRules_Errors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"no condition", "rules:\n  - id: empty\n    reason: rejected\n    source: test\n",
			`ops.yml:2: rule "empty": rule has no condition, so it would match every input`},
		{"no id", "rules:\n  - reason: blocked\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: missing id`},
		{"no reason", "rules:\n  - id: no-reason\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "no-reason": missing reason: want one of the bounce reasons, such as userunknown`},
		{"bad reason", "rules:\n  - id: bad-reason\n    reason: gone\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "bad-reason": unknown reason "gone"`},
		{"bad policy", "rules:\n  - id: bad-policy\n    reason: blocked\n    policy: nope\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "bad-policy": unknown policy kind "nope"`},
		{"hard policy", "rules:\n  - id: hard-policy\n    reason: blocked\n    hardness: hard\n    policy: aup\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "hard-policy": policy kind "aup" with hardness other than soft: a policy rejection describes the sender`},
		{"bad provider", "rules:\n  - id: bad-provider\n    reason: blocked\n    provider: hotmale\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "bad-provider": unknown provider "hotmale"`},
		{"bad id", "rules:\n  - id: Bad_ID\n    reason: blocked\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "Bad_ID": invalid rule id "Bad_ID": want lower-case words joined by '-' or '.'`},
		{"upper-case text", "rules:\n  - id: upper\n    reason: blocked\n    source: test\n    when: {text: [Spam]}\n",
			`ops.yml:2: rule "upper": text "Spam" must be lower-case and trimmed`},
		{"bad status", "rules:\n  - id: bad-status\n    reason: blocked\n    source: test\n    when: {status: [\"5.1\"]}\n",
			`ops.yml:2: rule "bad-status": invalid status pattern "5.1": want three parts such as "5.1.1" or "x.4.x"`},
		{"bad command", "rules:\n  - id: bad-command\n    reason: blocked\n    source: test\n    when: {command: [rcpt]}\n",
			`ops.yml:2: rule "bad-command": invalid command "rcpt": want one of CONNECT, HELO, MAIL, RCPT, DATA`},
		{"bad kind", "rules:\n  - id: bad-kind\n    reason: blocked\n    source: test\n    when: {kind: failur}\n",
			`ops.yml:2: rule "bad-kind": invalid kind "failur": want one of failure, delay, delivered, complaint, auto_reply, not_bounce`},
		{"reply out of range", "rules:\n  - id: bad-reply-code\n    reason: blocked\n    source: test\n    when: {reply: [550, 5500]}\n",
			`ops.yml:2: rule "bad-reply-code": invalid reply code 5500: want a three-digit SMTP reply code from 200 to 599`},
		{"unknown hint", "rules:\n  - id: no-hint\n    reason: blocked\n    hint: nowhere\n    source: test\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "no-hint": unknown hint "nowhere": define it under hints, or write the hint as a sentence`},
		{"no source", "rules:\n  - id: no-source\n    reason: blocked\n    when: {reply: [550]}\n",
			`ops.yml:2: rule "no-source": missing source: say which RFC or provider documentation the rule rests on`},
		{"duplicate id", "rules:\n  - id: a\n    reason: blocked\n    source: test\n    when: {reply: [550]}\n  - id: a\n    reason: blocked\n    source: test\n    when: {reply: [554]}\n",
			`ops.yml:6: rule "a": duplicate rule id`},
		{"bad pattern", "rules:\n  - id: bad-pattern\n    reason: blocked\n    source: test\n    when: {pattern: \"(\"}\n",
			"ops.yml:2: rule \"bad-pattern\": invalid pattern: error parsing regexp: missing closing ): `(`"},
		{"disable with conditions", "rules:\n  - id: cox-aup-pol\n    disable: true\n    when: {reply: [552]}\n",
			`ops.yml:2: rule "cox-aup-pol": a disabling rule has only an id and disable: true`},
		{"misindented key", "rules:\n  - id: a\n    reason: blocked\n   source: x\n",
			`ops.yml:4: invalid YAML: did not find expected '-' indicator`},
		{"unclosed flow list", "rules:\n  - id: a\n    reason: blocked\n    when: {text: [a}\n",
			`ops.yml:4: invalid YAML: did not find expected ',' or ']'`},
		{"unclosed quote", "rules:\n  - id: a\n    reason: \"blocked\n",
			`ops.yml:3: invalid YAML: found unexpected end of stream`},
		{"unknown field", "rules:\n  - id: typo\n    reasn: blocked\n",
			`ops.yml:3: rule "typo": unknown key "reasn"`},
		{"unknown top-level field", "hint:\n  a: b\nrules: []\n",
			`ops.yml:1: unknown key "hint"`},
		{"disable unknown id", "rules:\n  - id: cox-aup-poll\n    disable: true\n",
			`ops.yml:2: rule "cox-aup-poll": no embedded rule has this id, so disable: true would remove nothing; check the id's spelling`},
		{"pattern list", "rules:\n  - id: listed-pattern\n    reason: blocked\n    source: test\n    when:\n      pattern: [\"(x)\"]\n",
			`ops.yml:6: rule "listed-pattern": pattern takes one regular expression, not a list: join alternatives with |`},
		{"reply not a number", "rules:\n  - id: bad-reply\n    reason: blocked\n    source: test\n    when: {reply: five}\n",
			`ops.yml:5: rule "bad-reply": want a whole number, not "five"`},
		{"second document", "rules:\n  - id: a\n    reason: blocked\n    source: test\n    when: {reply: 550}\n---\nrules:\n  - id: b\n",
			`ops.yml:6: a second YAML document starts here; put all rules in one document`},
		{"rule not a mapping", "rules:\n  - id: a\n    reason: blocked\n    source: test\n    when: {reply: 550}\n  - just-a-string\n",
			`ops.yml:6: want a mapping of keys to values, not "just-a-..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules("ops.yml", []byte(tt.yaml))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v\nwant    %s", err, tt.want)
			}
		})
	}
}

func TestParseRules_ReportsEveryError(t *testing.T) {
	const rules = `rules:
  - id: bad-reason
    reason: gone
    source: test
    when: {reply: 550}
  - id: good
    reason: blocked
    source: test
    when: {reply: 554}
  - id: typo
    reasn: blocked
  - id: nosuch-rule
    disable: true
  - id: bad-pattern
    reason: blocked
    source: test
    when: {pattern: "("}
`
	_, err := ParseRules("ops.yml", []byte(rules))
	want := `ops.yml:2: rule "bad-reason": unknown reason "gone"
ops.yml:11: rule "typo": unknown key "reasn"
ops.yml:12: rule "nosuch-rule": no embedded rule has this id, so disable: true would remove nothing; check the id's spelling
ops.yml:14: rule "bad-pattern": invalid pattern: error parsing regexp: missing closing ): ` + "`(`"
	if err == nil || err.Error() != want {
		t.Errorf("error =\n%v\nwant\n%s", err, want)
	}

	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T does not unwrap to a list", err)
	}
	for _, e := range joined.Unwrap() {
		var ruleErr *RuleError
		if !errors.As(e, &ruleErr) {
			t.Errorf("%v: a %T, want a *RuleError", e, e)
		}
	}
}

// TestParseRules_ScalarConditions checks that a condition written as one
// value means the same as a list of that value.
func TestParseRules_ScalarConditions(t *testing.T) {
	const rules = `rules:
  - id: scalar-conditions
    reason: blocked
    source: test
    when:
      kind: failure
      action: failed
      command: RCPT
      provider: other
      diagnostic_type: smtp
      status: 5.7.x
      reply: 550
      text: partner says no
      pattern: partner says (no|never)
`
	set, err := ParseRules("ops.yml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	in := failure("5.7.1", 550, "550 5.7.1 Partner says no")
	in.Command, in.DiagnosticType = "RCPT", "smtp"
	if got := set.Classify(in); got.Rule != "scalar-conditions" {
		t.Fatalf("rule %q, want scalar-conditions", got.Rule)
	}

	r := set.rules[0]
	if len(r.kinds) != 1 || len(r.actions) != 1 || len(r.commands) != 1 || len(r.providers) != 1 ||
		len(r.dtypes) != 1 || len(r.codes) != 1 || len(r.replies) != 1 || len(r.text) != 1 {
		t.Errorf("each scalar condition should give one value: %+v", r)
	}
	if r.pattern != "partner says (no|never)" {
		t.Errorf("pattern %q", r.pattern)
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
			for _, r := range defaultSet().rules {
				required := requiredLiterals(r.pattern)
				if r.re == nil || required == nil || !r.re.MatchString(text) {
					continue
				}
				if !containsAny(text, required) {
					t.Errorf("rule %q matches %q but its literals %q do not", r.id, text, required)
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

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// normalizeFields is normalize as it was before it split ASCII text by
// hand: over strings.FieldsSeq throughout.
func normalizeFields(text string) string {
	var n normalizer
	for field := range strings.FieldsSeq(text) {
		n.add(field, nil)
	}
	if n.pendingReply != "" {
		writeLower(&n.b, n.pendingReply)
	}
	return n.b.String()
}

func TestNormalize_SameAsFields(t *testing.T) {
	pieces := []string{"550", "550-", "550-5.7.1", "5.7.1", "421", " ", "  ", "\t", "\r\n", "\v", "\f", "Our", "SYSTEM",
		"x", "\u0085", "\u00a0", "é", "\u212a"}
	rng := rand.New(rand.NewPCG(28, 29))
	for range 100000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		if got, want := normalize(text), normalizeFields(text); got != want {
			t.Errorf("normalize(%q) = %q, want %q", text, got, want)
		}
	}
}

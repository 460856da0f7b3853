package classify

// The rule table. Order matters because the first rule that matches wins,
// so the more specific rule comes first within each family. The families
// run from the report kind, through provider signatures and the wording of
// the diagnostic, to the enhanced status code (RFC 3463 and the IANA
// registry of RFC 5248) and finally the bare SMTP reply code (RFC 5321).
//
// NOTE: the table is Go code for now. Its fields map one to one onto the
// entries of an embedded rules file, which is where it is meant to move so
// that operators can add and override rules without a rebuild.

// Hints shared by several rules. Each is one line for the sender.
const (
	hintAUP = "The receiver refused the sender under its acceptable use policy. " +
		"Check the sending IP's and domain's reputation and blocklist listings, " +
		"give the IP a PTR record that matches its HELO name and the domain valid MX records, " +
		"make SPF, DKIM and DMARC pass, warm new IPs up gradually, " +
		"then send an unblock request to the provider's postmaster."
	hintBlocklist = "The sending IP or domain is on a blocklist. Look it up at the list named in the reply, " +
		"fix the cause (compromised account, poor list hygiene, spam traps), then request delisting."
	hintCoxBlock = "Cox blocks the sending IP. Check it against Spamhaus and Cloudmark CSI, fix the cause, " +
		"then request an unblock through Cox's postmaster error-code page."
	hintMicrosoftBlock = "Microsoft lists the sending IP on its own block list. Check it in SNDS, fix the cause, " +
		"then request delisting at sender.office.com."
	hintReputation = "The receiver rates the sending IP or domain poorly. Mail only engaged recipients, " +
		"remove stale addresses, watch complaint rates, and raise volume slowly."
	hintAuth = "Authentication failed. Make SPF include the sending IP, sign with DKIM aligned to the From domain, " +
		"and make sure the message passes the From domain's DMARC policy."
	hintPTR  = "Give the sending IP a PTR record whose name resolves back to that IP and matches the HELO name."
	hintRate = "The receiver limits how fast this sender may deliver. Lower the rate and the connections " +
		"per IP towards this receiver; deferred mail will go out later."
	hintConnections = "Open fewer simultaneous connections to this receiver and reuse them for several messages."
	hintContent     = "The content was judged to be spam. Review links and their domains, attachments and wording " +
		"before sending again."
	hintVirus = "The message was judged to carry malware. Scan its attachments and links, " +
		"and check the sending system for compromise."
	hintSender = "The receiver rejected the envelope sender. Make the Return-Path domain resolve, " +
		"with MX or A records, and accept mail."
	hintSecurity = "The receiver demands authentication or encryption this sender did not offer. " +
		"Check the SMTP AUTH and TLS settings of the sending host."
	hintSTARTTLS     = "Enable STARTTLS with a valid certificate on the sending host."
	hintSize         = "Make the message smaller, for instance by linking large files instead of attaching them."
	hintRFC          = "Fix the message header: one From, Date, Subject and Message-ID each, as RFC 5322 requires."
	hintSyntax       = "The sending MTA broke the SMTP protocol. Check its software and configuration."
	hintMailboxFull  = "Retry later, and suppress the address if its mailbox stays full."
	hintRelay        = "The receiving server does not accept mail for this domain. Check the recipient domain's MX records."
	hintGreylist     = "Keep retrying from the same IP: a greylisting receiver accepts a later attempt."
	hintExpired      = "No attempt succeeded before the retry period ended. Check that the domain's MX hosts accept connections."
	hintBlocked      = "The receiver blocks this sender. Read the reply for the cause, fix it, then contact the receiver's postmaster."
	hintPolicy       = "The receiver refused the message under a local policy. Read the reply or the receiver's postmaster pages for the cause."
	hintProviderRate = "Yahoo defers this sender for its volume or complaints. Slow down, mail only engaged recipients, " +
		"and check complaint rates in the Yahoo feedback loop."
)

// Text patterns used by more than one rule.
const (
	patternSizeText = `message (?:is )?too (?:large|big)|message size exceeds|exceeds? (?:the )?(?:fixed )?(?:max(?:imum)?|allowed) (?:message )?size|message size limit|exceeds (?:the |our )?size limit|message length exceeds|too large for`
)

var rules = mustCompileRules([]rule{
	// Report kinds that are not failures, whatever the diagnostic text.
	{id: "kind-complaint", reason: Feedback, kinds: []string{KindComplaint},
		hint:   "The recipient reported the message as spam. Stop mailing them and review how the address was collected.",
		source: "RFC 5965 feedback report (ARF)"},
	{id: "kind-auto-reply", reason: Vacation, kinds: []string{KindAutoReply},
		source: "RFC 3834 automatic response"},
	{id: "kind-delivered", reason: Delivered, kinds: []string{KindDelivered},
		source: "RFC 3464 delivery report for a delivered, relayed or expanded message"},
	{id: "action-delivered", reason: Delivered, actions: []string{"delivered", "relayed", "expanded"},
		source: "RFC 3464 section 2.3.3 Action field"},

	// Cox and Charter/Spectrum (Cloudmark filtering) AUP# codes. Cox's
	// postmaster error-code page documents the CX... codes.
	{id: "cox-aup-pol", reason: PolicyViolation, policy: PolicyAUP, hint: hintAUP,
		text:   []string{"aup#pol"},
		source: "Cox/Cloudmark AUP#POL: sender refused under the acceptable use policy"},
	{id: "cox-blocklist", reason: Blocked, policy: PolicyBlocklist, hint: hintCoxBlock,
		pattern: `\b(?:aup#)?(?:cxbl|cdrbl|cxrbl|rrbl|ipbl\d{0,4})\b`,
		source:  "Cox error codes CXBL, CDRBL, RRBL, IPBLnnnn: sending IP blocked by Cox or listed in a DNSBL"},
	{id: "cox-cxdns", reason: RequirePTR, policy: PolicyPTR, hint: hintPTR,
		text:   []string{"cxdns"},
		source: "Cox error code CXDNS: reverse DNS lookup of the sending IP failed"},
	{id: "cox-cxsndr", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth,
		text:   []string{"cxsndr"},
		source: "Cox error code CXSNDR: sender domain failed DNS or SPF/DKIM checks"},
	{id: "cox-cxmxrt", reason: Speeding, policy: PolicyRateLimit, hint: hintRate,
		text:   []string{"cxmxrt"},
		source: "Cox error code CXMXRT: sender exceeded the maximum number of messages"},
	{id: "cox-cxcnct", reason: TooManyConn, policy: PolicyRateLimit, hint: hintConnections,
		text:   []string{"cxcnct"},
		source: "Cox error code CXCNCT: too many concurrent connections from the sending IP"},
	{id: "cox-cxsmtp", reason: NotCompliantRFC, hint: hintSyntax,
		text:   []string{"cxsmtp"},
		source: "Cox error code CXSMTP: SMTP protocol violation"},
	{id: "cox-urlbl", reason: SpamDetected, policy: PolicyContent, hint: hintContent,
		pattern: `\burlbl\d*\b`,
		source:  "Cox error code URLBLnnnn: a URL in the body is on a domain blocklist"},
	{id: "cox-aup-other", reason: PolicyViolation, policy: PolicyAUP, hint: hintAUP,
		text:   []string{"aup#"},
		source: "Cox and Charter/Spectrum AUP# codes not listed above"},

	// Microsoft (Outlook.com, Hotmail, Office 365).
	{id: "microsoft-s3140", reason: Blocked, policy: PolicyBlocklist, hint: hintMicrosoftBlock,
		text:   []string{"s3140"},
		source: "Outlook.com 550 5.7.1 S3140: part of the sender's network is on Microsoft's block list"},
	{id: "microsoft-s3150", reason: Blocked, policy: PolicyBlocklist, hint: hintMicrosoftBlock,
		text:   []string{"s3150"},
		source: "Outlook.com 550 5.7.1 S3150: sending IP on Microsoft's block list"},
	{id: "microsoft-block-list", reason: Blocked, policy: PolicyBlocklist, hint: hintMicrosoftBlock,
		text:   []string{"network is on our block list", "banned sending ip"},
		source: "Outlook.com block list wording and Office 365 5.7.606-649 banned sending IP"},
	{id: "microsoft-ip-reputation", reason: BadReputation, policy: PolicyReputation, hint: hintReputation,
		pattern: `\(s311[34]\)|rate limited due to ip reputation`,
		source:  "Outlook.com 451 4.7.650 S3113/S3114: deferred for the sending IP's reputation"},

	// Yahoo (and AOL, Verizon Media).
	{id: "yahoo-tss04", reason: Speeding, policy: PolicyRateLimit, hint: hintProviderRate,
		text:   []string{"tss04"},
		source: "Yahoo 421 4.7.0 [TSS04]: deferred for unexpected volume or user complaints"},
	{id: "yahoo-tss09", reason: BadReputation, policy: PolicyReputation, hint: hintReputation,
		text:   []string{"tss09"},
		source: "Yahoo [TSS09]: all messages from the IP permanently deferred"},

	// Gmail.
	{id: "gmail-recipient-rate", reason: Speeding,
		text:   []string{"receiving mail at a rate that", "receiving mail too quickly"},
		source: "Gmail 4.2.1/5.2.1: the recipient receives mail faster than it allows"},
	{id: "gmail-unsolicited-rate", reason: BadReputation, policy: PolicyReputation, hint: hintReputation,
		text:   []string{"unusual rate of unsolicited mail"},
		source: "Gmail 4.7.28/5.7.28: unusual rate of unsolicited mail from the IP or domain"},
	{id: "spam-classified", reason: SpamDetected, policy: PolicyContent, hint: hintContent,
		pattern: `spam classification|(?:scored|classified|detected|identified|flagged|marked) as (?:\S+ )?spam|message content rejected|content rejected, ube|\bube\b|likely unsolicited mail|looks like spam|spam score`,
		source:  "spam filter verdicts (SpamAssassin, Amavis, Google Groups, Gmail 5.7.1)"},

	// Blocklists, named or described.
	{id: "blocklist-named", reason: Blocked, policy: PolicyBlocklist, hint: hintBlocklist,
		pattern: `spamhaus|spamcop|barracudacentral|barracuda reputation|\bb\.barracuda|\bsorbs\b|uceprotect|abuseat\.org|\bcbl\.|\bpsbl\b|invaluement|mailspike|spamrats|csi\.cloudmark|cloudmark csi|proofpoint\.com/dnsbl|dnsbl`,
		source:  "DNS blocklist operators: Spamhaus, SpamCop, Barracuda, SORBS, CBL, Cloudmark CSI, Proofpoint and others"},
	{id: "blocklist-listed", reason: Blocked, policy: PolicyBlocklist, hint: hintBlocklist,
		pattern: `black ?list|block ?list|\brbl\b|blocked using|\b(?:is|are|was|been|currently) listed (?:in|on|at|by)\b`,
		source:  "generic blocklist wording, such as Postfix reject_rbl_client 'blocked using'"},

	// Reverse DNS of the sending IP.
	{id: "ptr-missing", reason: RequirePTR, policy: PolicyPTR, hint: hintPTR,
		pattern: `reverse[- ]?(?:dns|hostname|lookup|mapping|name)|\brdns\b|\bptr\b|ip name lookup failed|mismatches client ip|find your (?:reverse )?hostname|unverif(?:i|y)able sending ip|fcrdns`,
		source:  "PTR and forward-confirmed reverse DNS checks (Gmail 5.7.25, Postfix reject_unknown_client_hostname, Sendmail)"},

	// Sender authentication: SPF, DKIM, DMARC.
	{id: "auth-dmarc", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth,
		text:   []string{"dmarc"},
		source: "DMARC policy rejection (RFC 7489); Gmail 5.7.26, Office 365 5.7.509, Apple, Yahoo"},
	{id: "auth-spf-dkim", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth,
		pattern: `\bspf\b|\bdkim\b|domainkeys|sender id`,
		source:  "SPF (RFC 7208) and DKIM (RFC 6376) failures"},
	{id: "auth-unauthenticated", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth,
		text:   []string{"unauthenticated email", "unauthenticated mail", "sender is unauthenticated", "authentication information", "fails to pass authentication"},
		source: "Gmail 5.7.1/5.7.26 wording for mail without SPF or DKIM"},

	// Reputation and sending rate.
	{id: "reputation", reason: BadReputation, policy: PolicyReputation, hint: hintReputation,
		pattern: `\breputation\b`,
		source:  "reputation wording (Gmail 'very low reputation of the sending IP address', Microsoft, Yahoo)"},
	{id: "rate-limit", reason: Speeding, policy: PolicyRateLimit, hint: hintRate,
		pattern: `rate[- ]?limit|too many (?:messages|mails|emails)|sent (?:to )?too many|sending rate|sending quota|daily (?:sending |message )?(?:limit|quota)|too much mail|throttl|unexpected volume|mail flood|exceeded the maximum number of (?:messages|emails)`,
		source:  "sender rate limits; RFC 5248 x.7.28 mail flood detected"},
	{id: "too-many-connections", reason: TooManyConn, policy: PolicyRateLimit, hint: hintConnections,
		pattern: `too many (?:connections|concurrent|simultaneous|sessions)|connection (?:limit|frequency limited|rate)|connections? from your (?:ip|host) (?:are|is) limited`,
		source:  "connection limits per sending IP"},
	{id: "too-many-recipients", reason: TooManyConn, hint: "Send the message to fewer recipients per transaction.",
		text:   []string{"too many recipients"},
		source: "RFC 5321 section 4.5.3.1.8 recipient limit; x.5.3"},

	// The message itself.
	{id: "header-not-rfc-compliant", reason: NotCompliantRFC, hint: hintRFC,
		pattern: `rfc ?(?:5322|2822|822)|multiple (?:addresses in from|subject|from|date|to|message-id)|not (?:rfc )?compliant|duplicate header|missing (?:a )?(?:valid )?(?:message-id|date|from)`,
		source:  "RFC 5322 header rules as receivers such as Gmail enforce them"},
	{id: "virus", reason: VirusDetected, policy: PolicyContent, hint: hintVirus,
		pattern: `\bvirus\b|malware|infected|trojan|ransomware`,
		source:  "virus scanner verdicts"},
	{id: "size-recipient-limit", reason: ExceedLimit, hint: hintSize,
		pattern: patternSizeText, status: "x.2.3",
		source: "RFC 3463 x.2.3 message length exceeds administrative limit"},
	{id: "size-too-big", reason: MesgTooBig, hint: hintSize,
		pattern: patternSizeText + `|line limit exceeded|recipsizelimit`,
		source:  "message size limits; RFC 1870 SIZE, RFC 3463 x.3.4"},
	{id: "content-error", reason: ContentError, hint: "Fix the message encoding: MIME structure, 8-bit data and header size.",
		pattern: `8-?bit data|headers? too (?:large|long)|invalid mime|mime (?:error|syntax)|prohibited attachment|attachment type|file type`,
		source:  "content and MIME errors; RFC 3463 x.6.x"},

	// The transaction with the receiver.
	{id: "starttls-required", reason: FailedSTARTTLS, hint: hintSTARTTLS,
		pattern: `starttls|tls (?:is )?required|requiretls|must use tls|encryption required`,
		source:  "RFC 3207 STARTTLS; RFC 8689 REQUIRETLS"},
	{id: "smtp-auth-required", reason: SecurityError, hint: hintSecurity,
		pattern: `authentication required|smtp authentication|unauthenticated senders|please authenticate|must authenticate|without authentication|authrequired|authentication is required`,
		source:  "RFC 4954 SMTP AUTH required (530 5.7.0)"},
	{id: "relay-denied", reason: NoRelaying, hint: hintRelay,
		pattern: `relay(?:ing)? (?:access )?(?:denied|not (?:permitted|allowed)|prohibited)|not (?:permitted|allowed|configured) to relay|unable to relay|we do not relay|no relaying|relay not permitted`,
		source:  "open-relay refusals (Postfix 'Relay access denied', Sendmail 'Relaying denied')"},
	{id: "blocked-host", reason: Blocked, hint: hintBlocked,
		pattern: `(?:client|sending|source|your) (?:host|ip|ip address|server|address|network) (?:is |has been |was )?(?:rejected|refused|blocked|banned|denied)|\bip (?:address )?(?:rejected|refused|blocked|banned|denied)|refused to talk to me|use the smtp server of your isp|service refused`,
		source:  "refusals of the sending host or IP (Postfix 'Client host rejected', 'server refused to talk to me')"},
	{id: "greylisted", reason: Rejected, hint: hintGreylist,
		pattern: `gr[ae]ylist`,
		source:  "greylisting: a first attempt from an unknown sender is deferred"},
	{id: "sender-rejected", reason: Rejected, hint: hintSender,
		pattern: `sender address rejected|domain of sender address|sender (?:domain|address) (?:does not exist|not found|is invalid|unknown)|sender verif|unverified sender|sender rejected|invalid sender|sender domain`,
		source:  "envelope sender checks (Postfix reject_unknown_sender_domain, sender verification); RFC 3463 x.1.7, x.1.8"},
	{id: "status-x.1.7", reason: Rejected, hint: hintSender, status: "x.1.7",
		source: "RFC 3463 x.1.7 bad sender's mailbox address syntax; ahead of recipient wording, which it outweighs"},
	{id: "status-x.1.8", reason: Rejected, hint: hintSender, status: "x.1.8",
		source: "RFC 3463 x.1.8 bad sender's system address"},
	{id: "syntax-error", reason: SyntaxError, hint: hintSyntax,
		pattern: `syntax error|command (?:unrecognized|not recognized|not implemented)|unrecognized command|improper sequence|bad sequence|parameter not implemented|invalid command`,
		source:  "RFC 5321 500-504 replies"},

	// The recipient's mailbox.
	{id: "mailbox-full", reason: MailboxFull, hint: hintMailboxFull,
		pattern: `mail ?box (?:is )?full|full mailbox|mailbox size|quota|insufficient storage|out of storage|storage (?:space|allocation)|exceeded storage|mailfolder is full|inbox is full|inbox is out of`,
		source:  "mailbox quota wording; RFC 3463 x.2.2, RFC 5321 552"},
	{id: "system-full", reason: SystemFull,
		pattern: `insufficient (?:system storage|disk space)|disk (?:is )?full|system (?:is )?full|out of disk|no space left`,
		source:  "receiving system out of storage; RFC 3463 x.3.1, RFC 5321 452"},
	{id: "mailbox-moved", reason: HasMoved, hard: hard,
		pattern: `no longer on (?:this )?server|(?:mailbox|address|user|recipient) has (?:been )?moved|user not local|not our customer`,
		source:  "RFC 3463 x.1.6 destination mailbox has moved; RFC 5321 551 user not local"},
	{id: "mailbox-disabled", reason: Suspend,
		pattern: `(?:account|mailbox) (?:is |has been )?(?:disabled|suspended|deactivated|inactive|locked|frozen|blocked|expired|not active)|(?:recipient|user) (?:is |has been )?(?:disabled|suspended|deactivated|inactive)|temporar(?:y|ily) locked|disabled (?:recipient|mailbox|account)|(?:inactive|suspended) (?:account|mailbox|user)`,
		source:  "disabled or suspended accounts; RFC 3463 x.2.1, RFC 5248 x.7.13"},
	{id: "null-mx", reason: NotAccept, hard: hardIfPermanent,
		pattern: `null mx|does(?: not|n't) (?:accept|receive) (?:e-?)?mail|not accepting (?:e-?)?mail|accepts no mail|no mx (?:found|record)`,
		source:  "RFC 7505 null MX; RFC 7504 521/556 replies"},
	{id: "host-unknown", reason: HostUnknown, hard: hardIfPermanent,
		pattern: `host (?:unknown|not found)|unknown host|(?:domain|host) name not found|no such domain|domain (?:does not exist|not found|is not reachable)|unknown domain|invalid domain|unrouteable mail domain|nxdomain|name or service not known`,
		source:  "recipient domain does not resolve; RFC 3463 x.1.2"},
	// NOTE: a "user unknown" reply to DATA is often a content filter in
	// disguise. Input does not carry the failed SMTP command, so such
	// replies come out userunknown, not filtered.
	{id: "user-unknown", reason: UserUnknown, hard: hard,
		pattern: `user unknown|unknown user|no such (?:user|mailbox|recipient|account|address)|(?:unknown|invalid) (?:recipient|mailbox|address|local part)|recipient (?:unknown|not found|does not exist)|user (?:not found|does not exist|doesn't exist)|(?:mailbox|account|address) (?:not found|does not exist|doesn't exist|unavailable|not available)|does(?: not|n't) exist|doesn't have an? \S+ account|recipient address rejected|address rejected|recip(?:ient)?notfound|illegal alias|not listed in|unrouteable address|not a (?:valid|registered) (?:mailbox|user|recipient)`,
		source:  "recipient mailbox unknown; RFC 3463 x.1.1, RFC 5321 550"},
	{id: "recipient-filter", reason: Filtered,
		pattern: `recipient preferences|\bfiltered\b|blocked by (?:the )?(?:user|recipient)|rejected by (?:the )?recipient`,
		source:  "recipient-side filters (Facebook RCP-P2 'refused due to recipient preferences')"},

	// Expiry and the network.
	{id: "expired", reason: Expired, hint: hintExpired,
		pattern: `retry timeout exceeded|(?:message|delivery|envelope) (?:has )?expired|delivery time expired|(?:could not be|not|un(?:able to )?)\s?deliver(?:ed|able)? (?:for|after|in|within) (?:the last )?\d+|retry time not reached|too long in (?:the )?queue|queue lifetime|did not accept our requests to connect`,
		source:  "MTA queue lifetime exceeded; RFC 3463 x.4.7"},
	{id: "mail-loop", reason: NetworkError,
		pattern: `hop count exceeded|too many hops|routing loop|mail loop|loop detected|loops back`,
		source:  "RFC 3463 x.4.6 routing loop"},
	{id: "network-error", reason: NetworkError,
		pattern: `connection (?:timed out|refused|reset)|lost connection|no route to host|network (?:is )?unreachable|host unreachable|name service error|dns (?:error|query failed)|temporary lookup failure|timed out`,
		source:  "connection and DNS failures; RFC 3463 x.4.x"},

	// Receiving-side failures and generic refusals, weaker than the codes below.
	{id: "system-error", reason: SystemError,
		pattern: `internal (?:server |system )?error|system error|local error|mail system problem|server error|could not load|transaction failed|service (?:currently )?(?:unavailable|not available)|misconfigur|configuration error`,
		source:  "receiving system failures; RFC 3463 x.3.0, x.3.5, RFC 5321 451/554"},
	{id: "failed-after-temporary-error", reason: Expired, hint: hintExpired,
		actions: []string{"failed"}, status: "4.x.x",
		source: "RFC 3464 Action failed with a 4.x.x Status: the MTA gave up after temporary failures"},
	{id: "mailer-error", reason: MailerError,
		pattern: `mailer error|procmail|maildrop|command (?:died|failed)|pipe to`,
		source:  "local delivery agent failures"},
	{id: "local-delivery-agent", reason: MailerError, dtypes: []string{"x-unix"},
		source: "RFC 3464 Diagnostic-Code of type x-unix: a local delivery program failed"},
	{id: "policy-generic", reason: PolicyViolation, hint: hintPolicy,
		pattern: `polic(?:y|ies)|protocol violation|acceptable use`,
		source:  "policy rejections without a documented code (Yahoo 5.7.9 'not accepted for policy reasons')"},
	{id: "spam-generic", reason: SpamDetected, policy: PolicyContent, hint: hintContent,
		pattern: `\bspam\b|\bjunk\b|unsolicited`,
		source:  "spam wording not caught by the rules above"},
	{id: "blocked-generic", reason: Blocked, hint: hintBlocked,
		pattern: `\bblocked\b|banned|not accepting connections`,
		source:  "block wording without a named list"},

	// Enhanced status codes, RFC 3463 and the IANA registry (RFC 5248).
	{id: "status-x.1.1", reason: UserUnknown, hard: hard, status: "x.1.1",
		source: "RFC 3463 x.1.1 bad destination mailbox address"},
	{id: "status-x.1.2", reason: HostUnknown, hard: hard, status: "x.1.2",
		source: "RFC 3463 x.1.2 bad destination system address"},
	{id: "status-x.1.3", reason: UserUnknown, hard: hard, status: "x.1.3",
		source: "RFC 3463 x.1.3 bad destination mailbox address syntax"},
	{id: "status-x.1.4", reason: UserUnknown, hard: hard, status: "x.1.4",
		source: "RFC 3463 x.1.4 destination mailbox address ambiguous"},
	{id: "status-x.1.6", reason: HasMoved, hard: hard, status: "x.1.6",
		source: "RFC 3463 x.1.6 destination mailbox has moved, no forwarding address"},
	{id: "status-x.1.10", reason: NotAccept, hard: hardIfPermanent, status: "x.1.10",
		source: "RFC 7505 x.1.10 recipient address has null MX"},
	{id: "status-x.2.1", reason: Suspend, status: "x.2.1",
		source: "RFC 3463 x.2.1 mailbox disabled, not accepting messages"},
	{id: "status-x.2.2", reason: MailboxFull, hint: hintMailboxFull, status: "x.2.2",
		source: "RFC 3463 x.2.2 mailbox full"},
	{id: "status-x.2.3", reason: ExceedLimit, hint: hintSize, status: "x.2.3",
		source: "RFC 3463 x.2.3 message length exceeds administrative limit"},
	{id: "status-x.3.1", reason: SystemFull, status: "x.3.1",
		source: "RFC 3463 x.3.1 mail system full"},
	{id: "status-x.3.2", reason: NotAccept, hard: hardIfPermanent, status: "x.3.2",
		source: "RFC 3463 x.3.2 system not accepting network messages"},
	{id: "status-x.3.4", reason: MesgTooBig, hint: hintSize, status: "x.3.4",
		source: "RFC 3463 x.3.4 message too big for system"},
	{id: "status-x.3.x", reason: SystemError, status: "x.3.x",
		source: "RFC 3463 x.3.x mail system status: other, not capable, misconfigured"},
	{id: "status-x.4.3", reason: SystemError, status: "x.4.3",
		source: "RFC 3463 x.4.3 directory server failure"},
	{id: "status-x.4.4", reason: HostUnknown, hard: hardIfPermanent, status: "x.4.4",
		source: "RFC 3463 x.4.4 unable to route"},
	{id: "status-x.4.5", reason: SystemFull, status: "x.4.5",
		source: "RFC 3463 x.4.5 mail system congestion"},
	{id: "status-x.4.7", reason: Expired, hint: hintExpired, status: "x.4.7",
		source: "RFC 3463 x.4.7 delivery time expired"},
	{id: "status-x.4.x", reason: NetworkError, status: "x.4.x",
		source: "RFC 3463 x.4.x network and routing status"},
	{id: "status-x.5.3", reason: TooManyConn, hint: "Send the message to fewer recipients per transaction.", status: "x.5.3",
		source: "RFC 3463 x.5.3 too many recipients"},
	{id: "status-x.5.syntax", reason: SyntaxError, hint: hintSyntax, status: "x.5.1, x.5.2, x.5.4, x.5.5, x.5.6",
		source: "RFC 3463 x.5.1 invalid command, x.5.2 syntax error, x.5.4 invalid arguments, x.5.5 wrong protocol version; RFC 4954 x.5.6"},
	{id: "status-x.6.x", reason: ContentError, status: "x.6.x",
		source: "RFC 3463 x.6.x message content or media status"},
	{id: "status-x.7.13", reason: Suspend, status: "x.7.13",
		source: "RFC 5248 registry x.7.13 user account disabled"},
	{id: "status-x.7.17", reason: HasMoved, hard: hard, status: "x.7.17",
		source: "RFC 5248 registry x.7.17 mailbox owner has changed"},
	{id: "status-x.7.20", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.20",
		source: "RFC 7372 x.7.20 no passing DKIM signature found"},
	{id: "status-x.7.21", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.21",
		source: "RFC 7372 x.7.21 no acceptable DKIM signature found"},
	{id: "status-x.7.22", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.22",
		source: "RFC 7372 x.7.22 no valid author-matched DKIM signature found"},
	{id: "status-x.7.23", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.23",
		source: "RFC 7372 x.7.23 SPF validation failed"},
	{id: "status-x.7.24", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.24",
		source: "RFC 7372 x.7.24 SPF validation error"},
	{id: "status-x.7.25", reason: RequirePTR, policy: PolicyPTR, hint: hintPTR, status: "x.7.25",
		source: "RFC 7372 x.7.25 reverse DNS validation failed (Gmail: no PTR record)"},
	{id: "status-x.7.26", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.26",
		source: "RFC 5248 registry x.7.26 multiple authentication checks failed (Gmail: DMARC, unauthenticated sender)"},
	{id: "status-x.7.27", reason: Rejected, hint: hintSender, status: "x.7.27",
		source: "RFC 7505 x.7.27 sender address has null MX"},
	{id: "status-x.7.28", reason: BadReputation, policy: PolicyReputation, hint: hintReputation, status: "x.7.28",
		source: "RFC 5248 registry x.7.28 mail flood detected (Gmail: unusual rate of unsolicited mail)"},
	{id: "status-x.7.29", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "x.7.29",
		source: "RFC 8617 x.7.29 ARC validation failure"},
	{id: "status-x.7.30", reason: FailedSTARTTLS, hint: hintSTARTTLS, status: "x.7.30",
		source: "RFC 8689 x.7.30 REQUIRETLS support required"},
	{id: "status-5.7.509", reason: AuthFailure, policy: PolicyAuth, hint: hintAuth, status: "5.7.509",
		source: "Office 365 5.7.509: sending domain fails DMARC with policy reject"},
	{id: "status-x.7.security", reason: SecurityError, hint: hintSecurity, status: "x.7.x",
		replies: []int{530, 534, 535, 538},
		source:  "RFC 4954 530/534/535/538 with an x.7.x code: authentication or encryption required"},
	{id: "status-x.7.1", reason: Rejected, status: "x.7.1",
		source: "RFC 3463 x.7.1 delivery not authorized, message refused"},
	{id: "status-x.7.0", reason: PolicyViolation, status: "x.7.0",
		source: "RFC 3463 x.7.0 other security or policy status, which receivers use for local policy refusals"},
	{id: "status-x.7.x", reason: SecurityError, hint: hintSecurity, status: "x.7.x",
		source: "RFC 3463 x.7.x security or policy status: cryptographic failures, credentials"},

	// Bare SMTP reply codes (RFC 5321 section 4.2.3, RFC 7504).
	{id: "reply-521-556", reason: NotAccept, hard: hardIfPermanent, replies: []int{521, 556},
		source: "RFC 7504 521/556 host or domain does not accept mail"},
	{id: "reply-500-504", reason: SyntaxError, hint: hintSyntax, replies: []int{500, 501, 502, 503, 504},
		source: "RFC 5321 500-504 command or parameter syntax errors"},
	{id: "reply-530-535", reason: SecurityError, hint: hintSecurity, replies: []int{530, 534, 535, 538},
		source: "RFC 4954 authentication required or failed"},
	{id: "reply-551", reason: HasMoved, hard: hard, replies: []int{551},
		source: "RFC 5321 551 user not local"},
	{id: "reply-552", reason: MailboxFull, hint: hintMailboxFull, replies: []int{552},
		source: "RFC 5321 552 exceeded storage allocation"},
	{id: "reply-452", reason: SystemFull, replies: []int{452},
		source: "RFC 5321 452 insufficient system storage"},
	{id: "reply-421-451", reason: SystemError, replies: []int{421, 451},
		source: "RFC 5321 421 service not available, 451 local error in processing"},
	{id: "reply-550-553-554", reason: Rejected, replies: []int{550, 553, 554},
		source: "RFC 5321 550/553/554 refusals that name no cause; not proof of an unknown mailbox"},
	{id: "rejected-generic", reason: Rejected,
		pattern: `\b(?:rejected|refused|denied|not allowed)\b`,
		source:  "refusal wording with neither a known code nor a known cause"},
})

func mustCompileRules(table []rule) []rule {
	compiled, err := compileRules(table)
	if err != nil {
		panic("classify: invalid built-in rule table: " + err.Error())
	}
	return compiled
}

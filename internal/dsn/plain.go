package dsn

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on the prose of a plain-text bounce. The bounces of the corpus
// this was built on wrap their lines well below maxLineBytes and describe
// one recipient in fewer than maxBlockLines lines. The limits keep the
// work linear in the message size on hostile input.
//
// The diagnostic cap counts characters, not bytes, so that a notice in
// Arabic, Greek or Cyrillic (two bytes a letter) keeps as much of its
// text as one in English. Google Groups, for one, puts the help-centre
// link that identifies its notice after about 600 letters of prose.
const (
	maxDiagnosticChars = 1000 // diagnostic text of one recipient, in characters
	maxLineBytes       = 1000 // longer lines are cut
	maxBlockLines      = 40   // lines read about one recipient
)

// splitProse splits prose into lines of at most maxLineBytes. In a
// forwarded bounce, where most lines are quoted with ">", one level of
// quoting is removed.
func splitProse(prose []byte) []string {
	lines := strings.Split(string(prose), "\n")
	quoted := isQuoted(lines)
	for i, line := range lines {
		if quoted {
			line = strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")
		}
		if len(line) > maxLineBytes {
			line = truncateUTF8(line, maxLineBytes)
		}
		lines[i] = line
	}
	return lines
}

// isQuoted reports whether more than half of the non-blank lines start
// with ">".
func isQuoted(lines []string) bool {
	quoted, text := 0, 0
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		text++
		if line[0] == '>' {
			quoted++
		}
	}
	return quoted*2 > text
}

// plainBounce is the input of the plain-text extraction: the prose of a
// bounce that carries no delivery-status part, and the addresses known
// not to be failed recipients.
type plainBounce struct {
	lines []string // the prose before the returned original, by line

	// failed holds the addresses of X-Failed-Recipients (Exim and
	// others), the surest list of failed recipients when present.
	failed []string

	// trusted is set when the header names a mail system as the sender,
	// so that an address anywhere in the prose may be a recipient.
	trusted bool

	// notRecipient holds lower-cased addresses that name the sender side:
	// the bounce's From and To and the original's From.
	notRecipient map[string]bool

	// firstLine maps each lower-cased address of the prose to the index
	// of its first line; built on first use.
	firstLine map[string]int

	// replyPara caches replyParagraph(lines), which each recipient
	// without a reply of its own falls back on.
	replyPara    []string
	replyParaSet bool

	// subject is the bounce's subject, lower-cased, where Sendmail states
	// that it gave up (see giveUpStatement).
	subject string

	// transcript is the prose's session transcript; read on first use.
	transcript *transcript
}

// extractPlain finds the failed recipients in the prose of a bounce and
// the reply that each got. It takes, in order of trust, the addresses of
// X-Failed-Recipients, the addresses that start a line (as Sendmail,
// Postfix, Exim, qmail and most providers list them), or any address in
// the prose. Each recipient's block of text runs from the line that names
// it to the line that names the next. The diagnostic is the paragraph of
// that block that quotes an SMTP reply, else the whole prose's first such
// paragraph.
func extractPlain(b *plainBounce) []Recipient {
	addrs, at := b.failed, b.positions(b.failed)
	if !slices.ContainsFunc(at, func(n int) bool { return n >= 0 }) {
		// None of X-Failed-Recipients is in the prose: when the prose
		// lists others, as an Exim relay rewriting addresses does, they
		// are the ones the reply is about.
		if lineAddrs, lineAt := b.lineStartAddresses(); len(lineAddrs) > 0 {
			addrs, at = lineAddrs, lineAt
		}
	}
	if len(addrs) == 0 && b.trusted {
		addrs, at = b.anyAddresses()
	}
	if len(addrs) == 0 && b.proseReply() != nil {
		// The reply is quoted but not the address, as Sendmail 5 and
		// some appliances write: the caller takes the original's To.
		addrs, at = []string{""}, []int{-1}
	}

	rcpts := make([]Recipient, 0, len(addrs))
	diagnosed := make(map[int]Recipient) // by first line of the block
	for i, addr := range addrs {
		start := max(at[i], 0)
		r, found := diagnosed[start]
		if !found {
			end := min(start+maxBlockLines, len(b.lines))
			if i+1 < len(addrs) && at[i+1] > start {
				end = min(end, at[i+1])
			}
			r = b.diagnoseBlock(b.lines[start:end])
			diagnosed[start] = r
		}
		r.FinalRecipient = addr
		if r.FailedCommand == "" {
			r.FailedCommand = b.transcriptCommand(addr, r.DiagnosticCode)
		}
		rcpts = append(rcpts, r)
	}
	if b.announcesDelay() {
		for i := range rcpts {
			rcpts[i].Action = ActionDelayed
		}
	} else {
		b.markGivenUp(rcpts)
	}
	return rcpts
}

// delayPhrases are phrases, lower-cased, with which a plain-text delay
// notice, such as Gmail's "Delivery Status Notification (Delay)", states
// that the MTA still retries and nothing has failed yet.
var delayPhrases = []string{
	"has been delayed", "have been delayed", "warning message only",
	"you do not need to resend", "will be retried for",
}

// announcesDelay reports whether the prose is a delay notice rather
// than a failure.
func (b *plainBounce) announcesDelay() bool {
	for _, line := range b.lines {
		if containsPhraseLower(delayPhraseSet, line) {
			return true
		}
	}
	return false
}

var delayPhraseSet = newPhraseSet(delayPhrases)

// positions returns the index of the first line that names each address,
// or -1.
func (b *plainBounce) positions(addrs []string) []int {
	if b.firstLine == nil {
		b.firstLine = indexAddresses(b.lines)
	}

	at := make([]int, len(addrs))
	for i, a := range addrs {
		n, found := b.firstLine[asciiLower(a)]
		if !found {
			n = -1
		}
		at[i] = n
	}
	return at
}

// indexAddresses maps each lower-cased address in lines to the index of
// the first line that holds it. One pass keeps the work linear however
// many recipients a bounce lists.
func indexAddresses(lines []string) map[string]int {
	index := make(map[string]int)
	for n, line := range lines {
		if strings.IndexByte(line, '@') < 0 {
			continue
		}
		for rest := line; ; {
			addr, before := firstAddressIn(rest)
			if addr == "" {
				break
			}
			key := asciiLower(addr)
			if _, seen := index[key]; !seen {
				index[key] = n
			}
			rest = rest[len(before)+len(addr):]
		}
	}
	return index
}

// proseReply returns replyParagraph of the whole prose, computed once.
func (b *plainBounce) proseReply() []string {
	if !b.replyParaSet {
		b.replyPara, b.replyParaSet = replyParagraph(b.lines), true
	}
	return b.replyPara
}

// addressSet is a set of addresses that ignores the case of ASCII
// letters.
type addressSet map[string]struct{}

// add adds addr and reports whether it was new.
func (s addressSet) add(addr string) bool {
	key := asciiLower(addr)
	if _, found := s[key]; found {
		return false
	}
	s[key] = struct{}{}
	return true
}

// lineStartAddresses returns the addresses that start a line, after
// indentation, brackets or a short label ending in a colon such as
// "Recipient address:", with the index of their first line.
func (b *plainBounce) lineStartAddresses() ([]string, []int) {
	return b.collectAddresses(func(line string) []string {
		addr, before := firstAddressIn(line)
		if addr == "" || !isRecipientLead(before) {
			return nil
		}
		if mailbox := angleAddressAfter(line[len(before)+len(addr):]); mailbox != "" {
			addr = mailbox
		}
		// The sender's own address counts only on a line of its own, as
		// when a bounce returns to the failed address itself. Elsewhere
		// it is a greeting or a summary of the original.
		if b.excluded(addr) && (isDaemon(addr) || strings.Trim(line, " \t<>:") != addr) {
			return nil
		}
		return []string{addr}
	})
}

// anyAddresses returns every address of the prose not excluded, with
// the index of its first line.
func (b *plainBounce) anyAddresses() ([]string, []int) {
	return b.collectAddresses(func(line string) []string {
		var addrs []string
		for _, addr := range addressesIn(line) {
			if !b.excluded(addr) && !isSenderContext(line, addr) {
				addrs = append(addrs, addr)
			}
		}
		return addrs
	})
}

// collectAddresses returns the distinct addresses that pick finds in the
// lines of the prose, skipping header-like sender lines, with the index
// of the line each was first found on. It stops at MaxRecipients.
func (b *plainBounce) collectAddresses(pick func(line string) []string) ([]string, []int) {
	var addrs []string
	var at []int
	seen := addressSet{}
	for n, line := range b.lines {
		if len(addrs) >= MaxRecipients {
			break
		}
		if strings.IndexByte(line, '@') < 0 || isSenderLine(line) {
			continue
		}
		for _, addr := range pick(line) {
			if seen.add(addr) {
				addrs, at = append(addrs, addr), append(at, n)
			}
		}
	}
	return addrs, at
}

func (b *plainBounce) excluded(addr string) bool {
	return b.notRecipient[strings.ToLower(addr)] || isDaemon(addr)
}

// isDaemon reports whether addr is a mail system's own address.
func isDaemon(addr string) bool {
	local, _, _ := strings.Cut(strings.ToLower(addr), "@")
	return local == "mailer-daemon" || local == "postmaster" || local == "mailer_daemon"
}

// isSenderLine reports whether line is a header-like line that names the
// sender side or the original's header, as the "Your message To: ...
// Subject: ..." summary of Exchange has it.
func isSenderLine(line string) bool {
	name, _, found := strings.Cut(strings.TrimSpace(line), ":")
	if !found {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "from", "to", "cc", "sender", "reply-to", "return-path", "subject", "sent", "date", "envelope-from", "message-id":
		return true
	}
	return false
}

// isSenderContext reports whether addr follows "MAIL FROM:" or "from"
// in line, naming the sender rather than a recipient.
func isSenderContext(line, addr string) bool {
	lower := strings.ToLower(line)
	i := strings.Index(lower, strings.ToLower(addr))
	before := strings.TrimRight(lower[:max(i, 0)], " <:")
	return strings.HasSuffix(before, "mail from") || strings.HasSuffix(before, "from") ||
		strings.HasSuffix(before, "envelope-from") || strings.HasSuffix(before, "sender")
}

// isRecipientLead reports whether the text before an address leaves the
// address at the start of its line: nothing but punctuation, or a short
// label that ends in a colon.
func isRecipientLead(before string) bool {
	before = strings.TrimLeft(before, " \t0123456789") // Sendmail's "554 <a@b>... reason"
	before = strings.Trim(before, " \t<\"'*-")
	if before == "" {
		return true
	}
	return len(before) <= 40 && strings.HasSuffix(before, ":") && !strings.Contains(strings.ToLower(before), "from")
}

// angleAddressAfter returns the address of rest when rest starts with
// one in angle brackets, as in Exim's "a@b <c@d>: malformed address",
// which quotes a To field whose display name is itself an address. The
// address in angle brackets is the mailbox (RFC 5322 name-addr).
func angleAddressAfter(rest string) string {
	rest = strings.TrimLeft(rest, " \t\"'")
	if !strings.HasPrefix(rest, "<") {
		return ""
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return ""
	}
	addr, before := firstAddressIn(rest[1:end])
	if before != "" || len(addr) != end-1 {
		return ""
	}
	return addr
}

// firstAddressIn returns the first address in line and the text before
// it.
func firstAddressIn(line string) (addr, before string) {
	at := strings.IndexByte(line, '@')
	for at >= 0 {
		start, end := addressBounds(line, at)
		if start < at && end > at+1 {
			return line[start:end], line[:start]
		}
		next := strings.IndexByte(line[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
	return "", ""
}

// addressesIn returns each address in line.
func addressesIn(line string) []string {
	var addrs []string
	for {
		addr, before := firstAddressIn(line)
		if addr == "" {
			return addrs
		}
		addrs = append(addrs, addr)
		line = line[len(before)+len(addr):]
	}
}

// addressBounds returns the bounds of the address around the "@" at
// index at: a run of local-part characters before it and a domain with
// at least one dot after it. start == at means no address.
func addressBounds(s string, at int) (start, end int) {
	start = at
	for start > 0 && isLocalChar(s[start-1]) {
		start--
	}
	for start < at && s[start] == '.' {
		start++
	}

	end = at + 1
	for end < len(s) && isDomainChar(s[end]) {
		end++
	}
	for end > at+1 && (s[end-1] == '.' || s[end-1] == '-') {
		end--
	}
	if !strings.Contains(s[at+1:end], ".") {
		return at, at
	}
	return start, end
}

func isLocalChar(c byte) bool {
	return isAlnum(rune(c)) || localPunct.has(c)
}

var localPunct = newByteSet(".!#$%&'*+/=?^_`{|}~-")

func isDomainChar(c byte) bool {
	return isAlnum(rune(c)) || c == '.' || c == '-'
}

// diagnoseBlock returns a recipient with the reply found in block, the
// lines about one recipient, or else in the whole prose.
func (b *plainBounce) diagnoseBlock(block []string) Recipient {
	para := replyParagraph(block)
	if para == nil {
		para = b.proseReply()
	}
	if para == nil {
		para = blockText(block, b.lines)
	}

	var r Recipient
	r.DiagnosticCode = joinReplyLines(para)
	// The codes are scanned from the failure line on. When that is the
	// first line, or there is none, that text is joined already.
	reply := r.DiagnosticCode
	if n := failureLine(para); n > 0 {
		reply = joinReplyLines(para[n:])
	}
	r.ReplyCode, r.DiagnosticStatus = scanDiagnostic(reply)
	r.RemoteMTA = findRemoteHost(r.DiagnosticCode)
	r.FailedCommand = findFailedCommand(r.DiagnosticCode)
	if r.RemoteMTA == "" || r.FailedCommand == "" {
		text := strings.Join(block, " ")
		if r.RemoteMTA == "" {
			r.RemoteMTA = findRemoteHost(text)
		}
		if r.FailedCommand == "" {
			r.FailedCommand = findFailedCommand(text)
		}
	}
	return r
}

// replyParagraph returns the paragraph of lines that holds the first
// line quoting a failure: an SMTP reply or enhanced status code of class
// 4 or 5, or else of any class. Session transcripts quote the successful
// replies before the one that failed.
func replyParagraph(lines []string) []string {
	i := failureLine(lines)
	if i < 0 {
		return nil
	}
	return paragraphAt(lines, i)
}

// failureLine returns the index of the first line quoting a failure, or
// else of the first line quoting any code, or else -1.
func failureLine(lines []string) int {
	first := len(lines)
	for i, line := range lines {
		if !hasCodeCandidate(line) {
			continue
		}
		code, status := scanDiagnostic(line)
		if code == 0 && status == "" {
			continue
		}
		if code >= 400 || status != "" && status[0] != '2' {
			return i
		}
		first = min(first, i)
	}
	if first == len(lines) {
		return -1
	}
	return first
}

// paragraphAt returns the run of non-blank lines around lines[i].
func paragraphAt(lines []string, i int) []string {
	start, end := i, i+1
	for start > 0 && strings.TrimSpace(lines[start-1]) != "" {
		start--
	}
	for end < len(lines) && strings.TrimSpace(lines[end]) != "" {
		end++
	}
	return lines[start:end]
}

// blockText returns the text of a block that quotes no reply. A block
// that starts with a bare address line is read by bareAddressText.
// Otherwise the address line's paragraph with the address-free lines
// above it (see addressParagraph) is the text, or all the block's lines
// when that paragraph is the address line alone, since the reason may
// follow the address after a blank line, as Gmail writes it.
func blockText(block, all []string) []string {
	if len(block) > 0 && isBareAddressLine(block[0]) {
		return bareAddressText(block, all)
	}

	para := addressParagraph(block, all)
	if len(para) > 1 || !hasTextAfterFirstLine(block) {
		return para
	}
	return block
}

// bareAddressText returns the text of a block whose first line is a bare
// address: its paragraph, or else the lines after it, where
// Sendmail-like notices put a section such as "----- Non-delivered
// information -----", or else the paragraph above it, where some
// carriers write the reason.
func bareAddressText(block, all []string) []string {
	if para := firstParagraph(block); len(para) > 1 {
		return para
	}
	if hasTextAfterFirstLine(block) {
		return block
	}
	if above := paragraphAbove(block, all); len(above) > 0 {
		return append(slices.Clip(above), block[0])
	}
	return block[:1]
}

// isBareAddressLine reports whether line names an address and nothing
// else but punctuation, as in "<a@b>" or "* a@b".
func isBareAddressLine(line string) bool {
	addr, before := firstAddressIn(line)
	if addr == "" {
		return false
	}
	rest := before + line[len(before)+len(addr):]
	return strings.Trim(rest, " \t<>*-:;,.\"'") == ""
}

// hasTextAfterFirstLine reports whether any line of block after the first
// holds text.
func hasTextAfterFirstLine(block []string) bool {
	for _, line := range block[min(1, len(block)):] {
		if strings.TrimSpace(line) != "" {
			return true
		}
	}
	return false
}

// paragraphAbove returns the paragraph before the blank lines above
// block, the lone address line of a recipient, when that paragraph names
// no address: the reason of a notice such as "The user(s) account is
// disabled." over a blank line and "<a@b>". block must be a slice of all
// made without a capacity limit.
func paragraphAbove(block, all []string) []string {
	end := cap(all) - cap(block)
	for end > 0 && strings.TrimSpace(all[end-1]) == "" {
		end--
	}
	start := end
	for start > 0 && strings.TrimSpace(all[start-1]) != "" {
		start--
	}
	for _, line := range all[start:end] {
		if strings.Contains(line, "@") {
			return nil
		}
	}
	return all[start:end]
}

// addressParagraph returns the paragraph that starts block, the line
// naming a recipient, together with the lines just above it that name no
// address, such as "reject reason: Mailbox full" over "target mail
// address: a@b". block must be a slice of all made without a capacity
// limit, such as all[i:j].
func addressParagraph(block, all []string) []string {
	para := firstParagraph(block)
	if len(block) == 0 || len(para) == 0 {
		return para
	}

	// block is all[offset:end] for some end, which leaves it the
	// capacity of all from offset on.
	offset := cap(all) - cap(block)
	start := offset
	for start > 0 && strings.TrimSpace(all[start-1]) != "" && !strings.Contains(all[start-1], "@") {
		start--
	}
	return all[start : offset+len(para)]
}

// firstParagraph returns the lines of block up to its first blank line
// after some text.
func firstParagraph(block []string) []string {
	start := 0
	for start < len(block) && strings.TrimSpace(block[start]) == "" {
		start++
	}
	end := start
	for end < len(block) && strings.TrimSpace(block[end]) != "" {
		end++
	}
	return block[start:end]
}

// joinReplyLines joins lines into one diagnostic text with single spaces.
// The code prefixes of the continuation lines of a multi-line reply are
// dropped, keeping "550 5.7.1 first line next line".
func joinReplyLines(lines []string) string {
	size := 0
	for _, line := range lines {
		size += len(line) + 1
	}
	var b strings.Builder
	b.Grow(min(size, maxDiagnosticChars*utf8.UTFMax+1))

	prefix := ""
	for _, line := range lines {
		line = strings.TrimSpace(line)
		dash := false // "550-" to be written as "550 "
		if n := replyPrefixLen(line); n > 0 {
			m := line[:n]
			if prefix != "" && m[:3] == prefix {
				line = line[len(m):]
			} else {
				dash = len(line) > 3 && line[3] == '-'
			}
			prefix = m[:3]
		}
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if dash {
			b.WriteString(line[:3])
			b.WriteByte(' ')
			line = line[4:]
		}
		b.WriteString(line)
		if b.Len() > maxDiagnosticChars*utf8.UTFMax {
			break
		}
	}
	return truncateChars(collapseSpace(b.String()), maxDiagnosticChars)
}

// truncateChars cuts s to at most n characters.
func truncateChars(s string, n int) string {
	if len(s) <= n {
		return s // no more characters than bytes
	}
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// remoteHostRE matches the remote server in a quoted reply: "host
// mx.example.org [192.0.2.1]", "remote host 192.0.2.1 said", "by
// mx.example.org. [192.0.2.1]".
var remoteHostRE = regexp.MustCompile(`(?i)\b(?:host|server|by|talking to)\s+\[?([a-z0-9][a-z0-9.\-]*\.[a-z0-9\-]+|[0-9a-f:.]+)\]?\.?\s*(?:\[[0-9a-f.:]+\]|said|\(|:)`)

func findRemoteHost(text string) string {
	host, decided := scanRemoteHost(text)
	if !decided {
		if m := remoteHostRE.FindStringSubmatch(text); m != nil {
			host = m[1]
		}
	}
	return strings.TrimSuffix(host, ".")
}

// commandTriggers are the phrases that come before the SMTP command a
// reply answered, lower-cased: Postfix "(in reply to RCPT TO command)",
// Exim "after RCPT TO:<...>" and "after end of data", qmail "most
// progress was RCPT TO response", DragonFly "did not like our final
// DATA", Sendmail ">>> RCPT To:" transcripts, Yahoo "[RCPT_TO]".
var commandTriggers = []string{"in reply to ", "after ", "progress was ", "did not like our ", "response to ", ">>> ", "["}

// commandFillers are words that may stand between a trigger and the
// command.
var commandFillers = []string{"the ", "our ", "final "}

// smtpCommands maps how bounces write a command to its name.
var smtpCommands = []struct{ prefix, name string }{
	{"rcpt to", "RCPT"}, {"rcpt_to", "RCPT"}, {"rcpt", "RCPT"},
	{"mail from", "MAIL"}, {"mail_from", "MAIL"},
	{"data", "DATA"},
	{"helo", "HELO"}, {"ehlo", "EHLO"}, {"starttls", "STARTTLS"}, {"auth", "AUTH"},
	{"connect", "CONNECT"}, {"greeting", "CONNECT"}, {"initial connection", "CONNECT"},
}

// commandTriggerSet and qmailPhraseSet hold commandTriggers and the
// phrases of qmailPhrases, in the same order, for findFailedCommand.
var (
	commandTriggerSet = newPhraseSet(commandTriggers)
	qmailPhraseSet    = newPhraseSet(qmailPhraseList())
)

func qmailPhraseList() []string {
	list := make([]string, len(qmailPhrases))
	for i, p := range qmailPhrases {
		list[i] = p.phrase
	}
	return list
}

// findFailedCommand returns the SMTP command named in text: CONNECT,
// HELO, EHLO, STARTTLS, AUTH, MAIL, RCPT or DATA; "" when none is named.
// The first trigger in text that a command follows names it. No trigger
// is a prefix of another's end, so the earliest one is the one that a
// search trigger by trigger would keep. Without a trigger, the first of
// qmailPhrases that text contains names the stage. Each search is one
// pass over text, because it runs on every diagnostic.
func findFailedCommand(text string) string {
	for from := 0; ; {
		at, id := indexPhraseFold(commandTriggerSet, text, from)
		if at < 0 {
			break
		}
		trigger := commandTriggerSet.phrases[id]
		if name := commandAt(text[at+len(trigger):]); name != "" {
			return name
		}
		from = at + 1
	}
	return qmailCommand(text)
}

// qmailPhrases are how qmail-remote names the stage that failed without
// naming the command: "192.0.2.1 does not like recipient." for RCPT TO,
// "does not like sender." for MAIL FROM, and "Connected to 192.0.2.1 but
// my name was rejected." for HELO.
var qmailPhrases = []struct{ phrase, name string }{
	{"does not like recipient", "RCPT"},
	{"does not like sender", "MAIL"},
	{"but my name was rejected", "HELO"},
	{"but sender was rejected", "MAIL"},
}

// qmailCommand returns the command of the first of qmailPhrases that text
// contains, ignoring the case of ASCII letters, or "". The order of the
// list decides, not the position in text, so every match is looked at.
func qmailCommand(text string) string {
	first := len(qmailPhrases)
	for from := 0; ; {
		at, id := indexPhraseFold(qmailPhraseSet, text, from)
		if at < 0 {
			break
		}
		first = min(first, int(id))
		from = at + 1
	}
	if first == len(qmailPhrases) {
		return ""
	}
	return qmailPhrases[first].name
}

// commandAt returns the command that s starts with, after filler words,
// ignoring the case of ASCII letters.
func commandAt(s string) string {
	for changed := true; changed; {
		changed = false
		for _, f := range commandFillers {
			if hasPrefixASCIIFold(s, f) {
				s, changed = s[len(f):], true
			}
		}
	}
	if hasPrefixASCIIFold(s, "end of ") {
		rest := s[len("end of "):]
		if hasPrefixASCIIFold(rest, "data") || hasPrefixASCIIFold(rest, "message") {
			return "DATA"
		}
		return ""
	}

	for _, c := range smtpCommands {
		if hasPrefixASCIIFold(s, c.prefix) && (len(s) == len(c.prefix) || !isAlnum(rune(s[len(c.prefix)]))) {
			return c.name
		}
	}
	return ""
}

// asciiLower lower-cases the ASCII letters of s, keeping its length so
// that indexes into the result are indexes into s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// hasCodeCandidate reports whether s may contain a reply code or an
// enhanced status code, not inside a longer number. A reply code is a
// word of three digits whose first is 2 to 5. An enhanced status code
// starts with 2, 4 or 5, a dot and a digit. The check spares the regular
// expressions of scanDiagnostic most lines of prose, dates and IP
// addresses.
func hasCodeCandidate(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		c := s[i]
		if c < '2' || c > '5' || i > 0 && (isDigit(s[i-1]) || s[i-1] == '.') {
			continue
		}
		if isReplyCodeAt(s, i) || c != '3' && s[i+1] == '.' && isDigit(s[i+2]) {
			return true
		}
	}
	return false
}

// isReplyCodeAt reports whether the three bytes at i are a reply code
// ending a word.
func isReplyCodeAt(s string, i int) bool {
	if s[i+1] < '0' || s[i+1] > '5' || !isDigit(s[i+2]) {
		return false
	}
	return i+3 == len(s) || strings.IndexByte(" -,\t\n", s[i+3]) >= 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

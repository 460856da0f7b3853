package dsn

import (
	"bytes"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message/textproto"
)

// readDeliveryStatus reads a message/delivery-status body (RFC 3464
// section 2.1): header blocks separated by blank lines, the first about
// the message and each further one about a recipient.
func (p *parser) readDeliveryStatus(body io.Reader) {
	data, err := p.readBody(body, maxPartBytes)
	if err != nil {
		p.warnf("read delivery-status part: %v", err)
	}

	for _, h := range readHeaderBlocks(data) {
		p.addStatusBlock(h)
	}
}

// readHeaderBlocks splits data into its header blocks after repairing the
// lines textproto.ReadHeader would reject.
func readHeaderBlocks(data []byte) []header {
	blocks, rest := readHeaderBlocksFast(repairHeaderBlocks(data))
	br := getReader(bytes.NewReader(rest))
	defer putReader(br)

	for len(blocks) <= MaxRecipients {
		if _, err := br.Peek(1); err != nil {
			break
		}

		th, err := textproto.ReadHeader(br)
		if th.Len() > 0 {
			blocks = append(blocks, headerFromTextproto(th))
		}
		if err != nil {
			break
		}
	}
	return blocks
}

// repairHeaderBlocks rewrites the lines of a delivery-status body so that
// each block reads as a header. A line of only whitespace becomes blank.
// A line that is no "Name: value" field continues the field before it, or
// is dropped at the start of a block, because MTAs wrap long
// Diagnostic-Code values without indenting them. Indentation before the
// first field of a block is removed. A second Final-Recipient or
// Original-Recipient in one block starts a new block, for MTAs that omit
// the blank line between recipients.
func repairHeaderBlocks(data []byte) []byte {
	out := lazyCopy{src: data}
	var block blockState
	for line := range bytes.Lines(data) {
		line = trimRightSet(line, blanksAndLF)
		if !block.open {
			line = trimLeftSet(line, blanks)
		}

		switch {
		case len(line) == 0:
			block = blockState{}
		case isFieldLine(line):
			if block.startsRecipient(line) {
				out.writeByte('\n')
			}
		case block.open:
			out.writeByte(' ')
		default:
			continue
		}
		out.write(line)
		out.writeByte('\n')
	}
	return out.bytes()
}

// lazyCopy builds a byte string that is most often a prefix of src: it
// copies only once a write differs from what src holds at that point,
// and until then returns a slice of src.
type lazyCopy struct {
	src    []byte
	n      int // bytes written while they matched src
	out    []byte
	copied bool
}

func (w *lazyCopy) write(b []byte) {
	if !w.copied {
		if bytes.HasPrefix(w.src[w.n:], b) {
			w.n += len(b)
			return
		}
		w.out = append(make([]byte, 0, len(w.src)+64), w.src[:w.n]...)
		w.copied = true
	}
	w.out = append(w.out, b...)
}

func (w *lazyCopy) writeByte(c byte) {
	w.write([]byte{c})
}

// bytes returns what was written. It aliases src unless a write
// differed from it.
func (w *lazyCopy) bytes() []byte {
	if !w.copied {
		return w.src[:w.n]
	}
	return w.out
}

// blockState tracks the block repairHeaderBlocks is writing.
type blockState struct {
	open                  bool
	hasFinal, hasOriginal bool
}

// startsRecipient records the field line and reports whether it names a
// recipient that the open block already has one of.
func (b *blockState) startsRecipient(line []byte) bool {
	name, _, _ := bytes.Cut(line, []byte{':'})
	name = bytes.TrimSpace(name)
	final := bytes.EqualFold(name, []byte("Final-Recipient"))
	original := bytes.EqualFold(name, []byte("Original-Recipient"))

	split := final && b.hasFinal || original && b.hasOriginal
	if split {
		*b = blockState{}
	}
	b.open = true
	b.hasFinal = b.hasFinal || final
	b.hasOriginal = b.hasOriginal || original
	return split
}

// isFieldLine reports whether line starts a header field: a name of
// printable ASCII characters other than the colon, then a colon. The name
// may be followed by spaces before the colon, as some MTAs write.
func isFieldLine(line []byte) bool {
	name, _, found := bytes.Cut(line, []byte{':'})
	name = bytes.TrimRight(name, " \t")
	if !found || len(name) == 0 {
		return false
	}

	for _, c := range name {
		if c <= ' ' || c > '~' {
			return false
		}
	}
	return true
}

// addStatusBlock takes the message fields of a block if none were seen
// yet, and a recipient from a block that has per-recipient fields. The
// block's position does not decide its role, because some MTAs omit the
// message block or merge it into the first recipient's block. A block with
// Action or Status but no address still makes a recipient, whose address
// the caller may know from elsewhere (a VERP return path).
func (p *parser) addStatusBlock(h header) {
	r := p.report
	if r.ReportingMTA == "" {
		r.ReportingMTA = parseMTAName(h.Get("Reporting-Mta"))
	}
	if r.ArrivalDate.IsZero() {
		r.ArrivalDate = parseDate(h.Get("Arrival-Date"))
	}

	if !h.Has("Final-Recipient") && !h.Has("Original-Recipient") && !h.Has("Action") && !h.Has("Status") {
		return
	}
	if len(r.Recipients) >= MaxRecipients {
		p.warnf("more than %d recipients; the rest skipped", MaxRecipients)
		return
	}
	r.Recipients = append(r.Recipients, parseRecipient(h))
}

// parseRecipient reads one per-recipient block. A block without
// Final-Recipient, which RFC 3464 requires, takes its FinalRecipient from
// Original-Recipient.
func parseRecipient(h header) Recipient {
	r := Recipient{
		FinalRecipient:    parseAddressField(h.Get("Final-Recipient")),
		OriginalRecipient: parseAddressField(h.Get("Original-Recipient")),
		Action:            parseAction(h.Get("Action")),
		Status:            findEnhancedStatus(h.Get("Status")),
		LastAttemptDate:   parseDate(h.Get("Last-Attempt-Date")),
	}
	r.RemoteMTA = parseMTAName(h.Get("Remote-Mta"))
	r.DiagnosticType, r.DiagnosticCode = parseDiagnosticCode(h.Values("Diagnostic-Code"))
	if !isExitStatus(r.DiagnosticType, r.DiagnosticCode) {
		r.ReplyCode, r.DiagnosticStatus = scanDiagnostic(r.DiagnosticCode)
	}
	if code, status, ok := quotedLastReply(r.DiagnosticCode); ok {
		r.ReplyCode, r.DiagnosticStatus = code, status
	}
	if r.DiagnosticCode == "" {
		r.DiagnosticCode = statusComment(h.Get("Status"))
	}

	if r.FinalRecipient == "" {
		r.FinalRecipient = r.OriginalRecipient
	}
	return r
}

// parseDiagnosticCode joins the values of one or more Diagnostic-Code
// fields. Some MTAs repeat the field for each line of a multi-line SMTP
// reply; the type given in the first is removed from the others too.
func parseDiagnosticCode(values []string) (typ, text string) {
	if len(values) == 0 {
		return "", ""
	}

	typ, first := splitTyped(values[0])
	lines := []string{first}
	for _, v := range values[1:] {
		if t, rest := splitTyped(v); t == typ {
			v = rest
		}
		lines = append(lines, v)
	}
	return typ, decodeJIS(strings.Join(strings.Fields(strings.Join(lines, " ")), " "))
}

// splitTyped splits a typed field value such as "dns; mx.example.org" or
// "smtp; 550 5.1.1 ..." into its lower-cased type and the rest. A value
// whose text before the first semicolon is not a single atom has no type.
func splitTyped(value string) (typ, rest string) {
	before, after, found := strings.Cut(value, ";")
	before = strings.TrimSpace(before)
	if !found || !isAtom(before) {
		return "", strings.TrimSpace(value)
	}
	return strings.ToLower(before), strings.TrimSpace(after)
}

// parseMTAName returns the name of a Reporting-MTA or Remote-MTA value
// without its type and comments: "dns; mx.example.org (Postfix)" gives
// "mx.example.org".
func parseMTAName(value string) string {
	_, name := splitTyped(value)
	return strings.TrimSpace(removeComments(name))
}

// isAtom reports whether s is a plausible address or diagnostic type
// name (RFC 3464 section 2.1.2): a short run of letters, digits and
// hyphens.
func isAtom(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isAlnum(c rune) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// parseAddressField returns the address of a Final-Recipient or
// Original-Recipient value without its type, comments or angle brackets:
// "rfc822; <a@b>" and "rfc822;a@b (comment)" both give "a@b". Addresses
// of type utf-8 (RFC 6533) have their \x{HEX} escapes decoded.
func parseAddressField(value string) string {
	typ, addr := splitTyped(value)
	addr = strings.TrimSpace(removeComments(addr))
	if open := strings.IndexByte(addr, '<'); open >= 0 {
		if end := strings.IndexByte(addr[open:], '>'); end > 0 {
			addr = addr[open+1 : open+end]
		}
	}

	addr = trimQuotes(strings.TrimSpace(addr))
	if typ == "utf-8" {
		addr = decodeUnicodeEscapes(addr)
	}
	return addr
}

// trimQuotes removes quotes around a whole address, as in "'a@b'", and
// keeps those of a quoted local part, as in "\"a..b\"@example.org".
func trimQuotes(addr string) string {
	if len(addr) < 2 {
		return addr
	}

	first, last := addr[0], addr[len(addr)-1]
	if (first == '"' || first == '\'') && last == first {
		return addr[1 : len(addr)-1]
	}
	return addr
}

// removeComments removes parenthesised comments, which may nest, from a
// field value.
func removeComments(s string) string {
	if !strings.ContainsRune(s, '(') {
		return s
	}

	var b strings.Builder
	b.Grow(len(s))
	depth := 0
	for _, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// parseAction reduces an Action value to its first word, lower-cased, and
// maps variants seen in the wild ("failure", "delayed (retrying)") to the
// RFC 3464 action.
func parseAction(value string) Action {
	words := strings.Fields(strings.ToLower(removeComments(value)))
	if len(words) == 0 {
		return ""
	}

	word := strings.TrimRight(words[0], ".;,")
	for _, a := range []Action{ActionFailed, ActionDelayed, ActionDelivered, ActionRelayed, ActionExpanded} {
		stem := string(a[:len(a)-2]) // "fail", "delay", "deliver", "relay", "expand"
		if strings.HasPrefix(word, stem) {
			return a
		}
	}
	return Action(word)
}

// parseDate parses a date field (RFC 5322 date-time); it returns the zero
// time for a missing or invalid value.
func parseDate(value string) time.Time {
	if value == "" {
		return time.Time{}
	}

	value = strings.TrimSpace(removeComments(value))
	if t, ok := parseCommonDate(value); ok {
		return t
	}
	if t, ok := parseDateNoWeekday(value); ok {
		return t
	}
	t, err := mail.ParseDate(value)
	if err != nil {
		return time.Time{}
	}
	return t
}

// decodeUnicodeEscapes replaces the \x{HEX} escapes that RFC 6533
// section 3 allows in addresses of type utf-8 with the characters they
// stand for. A malformed escape is kept as it is.
func decodeUnicodeEscapes(s string) string {
	if !strings.Contains(s, `\x{`) {
		return s
	}

	var b strings.Builder
	for {
		start := strings.Index(s, `\x{`)
		if start < 0 {
			break
		}
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			break
		}

		b.WriteString(s[:start])
		b.WriteString(decodeEscape(s[start : start+end+1]))
		s = s[start+end+1:]
	}
	b.WriteString(s)
	return b.String()
}

// decodeEscape decodes one \x{HEX} escape, or returns it unchanged.
func decodeEscape(esc string) string {
	n, err := strconv.ParseUint(esc[3:len(esc)-1], 16, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		return esc
	}
	return string(rune(n))
}

// isExitStatus reports whether a Diagnostic-Code is the bare exit status
// of a local delivery program, as Sendmail writes "X-Unix; 255": a number
// that is no SMTP reply code even where it looks like one.
func isExitStatus(diagnosticType, text string) bool {
	if diagnosticType != "x-unix" || text == "" {
		return false
	}
	for i := 0; i < len(text); i++ {
		if !isDigit(text[i]) {
			return false
		}
	}
	return true
}

// statusComment returns the comment of a Status field, such as "Over
// quota" in "Status: 4.2.2 (Over quota)" as Oracle Communications
// Messaging Server writes it, or "". RFC 3464 fields may carry RFC 822
// comments; for a report without Diagnostic-Code this one is the only
// reason given.
func statusComment(status string) string {
	start := strings.IndexByte(status, '(')
	end := strings.LastIndexByte(status, ')')
	if start < 0 || end < start {
		return ""
	}
	return strings.Join(strings.Fields(status[start+1:end]), " ")
}

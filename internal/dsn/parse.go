package dsn

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // registers the charsets for decoding text parts
	"github.com/emersion/go-message/textproto"
)

// Limits that bound the work and memory of one Parse call.
const (
	// MaxInputBytes is how much of a message Parse reads, counted after
	// line endings are normalised to LF. The report and the returned
	// original's header come first in a bounce, so the cut only loses
	// the tail of a large returned body.
	MaxInputBytes = 16 << 20

	// MaxParts is the number of MIME parts Parse visits.
	MaxParts = 256

	// MaxDepth is how deeply multipart entities may nest. Parts nested
	// deeper are skipped with a warning.
	MaxDepth = 8

	// MaxRecipients is the number of per-recipient blocks kept from the
	// delivery-status parts of one message.
	MaxRecipients = 1000
)

const (
	maxHeaderBytes = 1 << 20 // one header section, as go-message's default
	maxPartBytes   = 1 << 20 // one delivery-status or feedback-report body
	maxWarnings    = 16      // as documented on Report.Warnings
)

// errEmpty is returned for input without a single byte of header.
var errEmpty = errors.New("dsn: empty message")

// Parse reads one received message and returns what it reports about the
// delivery of an earlier message.
//
// A delivery status notification (RFC 3464) is a multipart/report with
// report-type delivery-status, or global-delivery-status (RFC 6533), at
// the top level or nested in another multipart. Parse reads each
// message/delivery-status part as a sequence of header blocks: fields
// about the message (Reporting-MTA, Arrival-Date), then one block per
// recipient. It tolerates what real MTAs send: fields in any case, folded
// and repeated Diagnostic-Code lines, comments and angle brackets around
// addresses, blank lines holding whitespace, a missing final blank line
// and missing optional fields. It looks for the SMTP reply code and an
// enhanced status code in the Diagnostic-Code text (see Recipient).
//
// A message without a delivery-status part goes to the vendor formats,
// tried in an order that a look at its header decides: Amazon SES event
// notifications, delivery-status fields written into the text, and the
// plain-text prose of Sendmail, Postfix, Exim, qmail, Exchange and the
// providers (see extractPlain). The prose is read only when the header
// or the prose itself says the message is a bounce. A quoted copy of the
// original after the prose gives Report.Original.
//
// The Kind follows the recipients' Actions, or their status class where
// a format gives no Action: any failed recipient makes KindFailure, else
// any delayed one KindDelay, else KindDelivered. A feedback report (RFC
// 5965) or an SES complaint is KindComplaint with one Recipient per
// complained-about address. A message marked "Auto-Submitted:
// auto-replied" (RFC 3834), or a vacation reply recognised by its
// header (X-Autoreply, Apple's X-Apple-Action) or subject ("Automatic
// reply:"), is KindAutoReply with its sender as the Recipient. Anything
// else is KindNotBounce with no recipients.
//
// The returned original message comes from a message/rfc822 or
// text/rfc822-headers part, or their RFC 6532 and RFC 6533 counterparts.
//
// LF, CRLF and CR-only line endings give identical reports. Parse reads
// at most MaxInputBytes, MaxParts parts nested MaxDepth deep, and
// MaxRecipients recipients. An unknown charset or transfer encoding, a
// part cut short or a limit reached is recorded in Report.Warnings. Parse
// returns an error only when the input is empty, when its header section
// cannot be read, or, as a last resort, when parsing panics. It is safe
// for concurrent use.
func Parse(raw []byte) (report *Report, err error) {
	return ParseWithOptions(raw, Options{})
}

// Options adjust what ParseWithOptions extracts.
type Options struct {
	// ExtraHeaders names header fields of the original message, such as
	// X-Campaign-ID, to keep in Original.Headers. Matching ignores case.
	ExtraHeaders []string
}

// ParseWithOptions is Parse with options.
func ParseWithOptions(raw []byte, opts Options) (report *Report, err error) {
	defer func() {
		// NOTE: a last resort; the fuzz target calls parse directly so
		// that a panic still fails it.
		if v := recover(); v != nil {
			report, err = nil, fmt.Errorf("dsn: parse failed on malformed input: %v", v)
		}
	}()

	return parseOptions(raw, opts, true)
}

// parser holds the state of one Parse call.
type parser struct {
	report *Report
	parts  int

	// complaint is set by a feedback report, whose recipients are
	// collected in complained until the original's To is known.
	complaint  bool
	complained []string

	opts         Options
	haveOriginal bool // set by the first returned header read

	// text is the decoded body of the first text part, the prose of a
	// plain-text bounce. textIsPlain is false for text/html.
	text        []byte
	textIsPlain bool

	// complainant is the recipient that a complaint notice without a
	// feedback report names in the returned message's header.
	complainant string

	// brokenMIME is set when a multipart could not be read to its end.
	brokenMIME bool

	// nested is set on the parser of a report returned inside another
	// (see readNestedBounce), which looks no deeper.
	nested bool

	// kind, when set by a plain-text format, overrides the kind the
	// recipients' Actions give.
	kind Kind

	// buffers are the pooled buffers that release returns.
	buffers []*[]byte
}

func parse(raw []byte) (*Report, error) {
	return parseOptions(raw, Options{}, true)
}

// parseOptions parses raw. fastWalk false makes it walk every multipart
// with go-message, so that tests can compare the two walks.
func parseOptions(raw []byte, opts Options, fastWalk bool) (*Report, error) {
	data, truncated := normalizeLineEndings(raw, MaxInputBytes)
	data = skipMboxFromLine(data)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errEmpty
	}

	root, err := readRoot(data)
	if err != nil && !isSoftError(err) {
		return nil, fmt.Errorf("dsn: read message header: %w", err)
	}

	p := &parser{report: &Report{Kind: KindNotBounce, Truncated: truncated}, opts: opts}
	defer p.release()
	p.warn(err)
	h := root.header
	mediaType, params, _ := h.contentType()
	p.walkRoot(root, mediaType, params, fastWalk)
	if mediaType == "multipart/report" && len(p.report.Recipients) == 0 && !p.complaint {
		p.readEmbeddedStatus(data)
	}

	summary := summarizeHeader(h)
	if len(p.report.Recipients) == 0 && !p.complaint {
		p.readPlainBounce(h, summary, data)
	} else {
		p.completeFromText()
	}
	p.readNestedBounce(data, summary)
	p.decideKind(h, summary)

	return p.report, nil
}

// rootEntity is the top-level entity of a message: its header, and its
// raw body after the header or the entity that go-message read.
type rootEntity struct {
	header header
	body   []byte          // nil when read by go-message
	read   *message.Entity // set when read by go-message
}

// walkRoot visits the root entity and its parts. A message with a single
// part is read as walkFast reads a part. fast false makes it walk with
// go-message alone.
func (p *parser) walkRoot(root *rootEntity, mediaType string, params mediaParams, fast bool) {
	if fast && root.read == nil {
		if !strings.HasPrefix(mediaType, "multipart/") {
			p.readPlannedPart(plannedPart{header: root.header, body: root.body, mediaType: mediaType, params: params})
			return
		}
		if p.walkFast(mediaType, params, root.body) {
			return
		}
	}

	e := root.read
	if e == nil {
		var err error
		e, err = message.New(message.Header{Header: root.header.entityHeader()}, bytes.NewReader(root.body))
		p.warn(err)
	}
	p.walk(e, 0)
}

// readRoot reads the top-level header of data, whose lines end in LF. A
// header that ends well within maxHeaderBytes is read by readHeaderFast,
// or when that declines, through a pooled reader, sparing the 4 KiB
// buffer that message.ReadWithOptions allocates. A larger one is read by
// ReadWithOptions, whose error may be a soft one about the body's
// charset or transfer encoding.
func readRoot(data []byte) (*rootEntity, error) {
	if h, n, ok := readHeaderFast(data); ok {
		return &rootEntity{header: h, body: data[n:]}, nil
	}

	end := headerEnd(data)
	if end > maxFastSection {
		readOpts := &message.ReadOptions{MaxHeaderBytes: maxHeaderBytes}
		e, err := message.ReadWithOptions(bytes.NewReader(data), readOpts)
		if e == nil {
			return nil, err
		}
		return &rootEntity{header: headerFromTextproto(e.Header.Header), read: e}, err
	}

	br := getReader(bytes.NewReader(data[:end]))
	th, err := textproto.ReadHeader(br)
	putReader(br)
	if err != nil {
		return nil, err
	}
	return &rootEntity{header: headerFromTextproto(th), body: data[end:]}, nil
}

// headerEnd returns the offset of the body in data: just after the
// first blank line, or len(data) when there is none. Lines end in LF.
func headerEnd(data []byte) int {
	if len(data) > 0 && data[0] == '\n' {
		return 1
	}
	if i := bytes.Index(data, []byte("\n\n")); i >= 0 {
		return i + 2
	}
	return len(data)
}

// skipMboxFromLine drops the "From sender date" line that mbox files and
// some Maildir deliveries put before the header.
func skipMboxFromLine(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte("From ")) {
		return data
	}

	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil
	}
	return data[i+1:]
}

// isSoftError reports whether go-message returned a usable entity along
// with err.
func isSoftError(err error) bool {
	return message.IsUnknownCharset(err) || message.IsUnknownEncoding(err)
}

func (p *parser) warn(err error) {
	if err != nil {
		p.warnf("%v", err)
	}
}

func (p *parser) warnf(format string, args ...any) {
	if len(p.report.Warnings) < maxWarnings {
		p.report.Warnings = append(p.report.Warnings, fmt.Sprintf(format, args...))
	}
}

// walk visits e and, for a multipart, its parts, depth-first and in
// order. Unlike message.Entity.Walk it bounds the part count and depth.
func (p *parser) walk(e *message.Entity, depth int) {
	p.parts++

	mediaType, _, _ := e.Header.ContentType()
	if strings.HasPrefix(mediaType, "multipart/") {
		p.walkMultipart(e, depth)
		return
	}

	p.readPart(mediaType, e.Body)
}

func (p *parser) walkMultipart(e *message.Entity, depth int) {
	if depth >= MaxDepth {
		p.warnf("multipart nesting deeper than %d levels skipped", MaxDepth)
		return
	}

	mr := e.MultipartReader()
	for p.parts < MaxParts {
		part, err := mr.NextPart()
		if err == io.EOF {
			return
		}
		if err != nil && !isSoftError(err) {
			p.warnf("read MIME part %d: %v", p.parts, err)
			p.brokenMIME = true
			return
		}

		p.warn(err)
		p.walk(part, depth+1)
	}
	p.warnf("more than %d MIME parts; the rest skipped", MaxParts)
}

// readPart dispatches a leaf part on its media type. The walk does not
// descend into a returned message: its parts describe the original, not
// this report.
func (p *parser) readPart(mediaType string, body io.Reader) {
	switch mediaType {
	case "message/delivery-status", "message/global-delivery-status":
		p.readDeliveryStatus(body)
	case "message/feedback-report":
		p.readFeedbackReport(body)
	case "message/rfc822", "message/global",
		"text/rfc822-headers", "message/global-headers":
		p.readOriginal(body)
	case "text/plain", "text/html", "":
		p.readText(mediaType, body)
	}
}

// decideKind sets the report's Kind once all parts have been read.
func (p *parser) decideKind(h header, s *headerSummary) {
	r := p.report
	switch {
	case p.complaint:
		r.Kind = KindComplaint
		p.addComplainedRecipients()
	case p.kind != "" && len(r.Recipients) > 0:
		r.Kind = p.kind
	case len(r.Recipients) > 0 && isAutoReplyText(h, s):
		// A vacation notice that quotes the address it replies for.
		r.Kind, r.Recipients = KindAutoReply, nil
		p.addAutoReplySender(h)
	case len(r.Recipients) > 0:
		r.Kind = kindFromActions(r.Recipients)
	case isUnsubscribeRequest(h):
		r.Kind, r.FeedbackType = KindComplaint, "opt-out"
		p.addAutoReplySender(h)
	case isAutoReply(h) || isAutoReplyText(h, s):
		r.Kind = KindAutoReply
		p.addAutoReplySender(h)
	}
}

// kindFromActions ranks the recipients' actions: one failure makes the
// report a failure, else one delay makes it a delay.
func kindFromActions(rcpts []Recipient) Kind {
	kind := KindDelivered
	for _, r := range rcpts {
		switch effectiveAction(r) {
		case ActionFailed:
			return KindFailure
		case ActionDelayed:
			kind = KindDelay
		}
	}
	return kind
}

// effectiveAction returns the recipient's Action, or for an Action that
// is missing or unknown, the one its status class implies. Without a
// status either it assumes a failure, because failures are what a DSN
// reports unless the sender asked for more (RFC 3461 section 4.1).
func effectiveAction(r Recipient) Action {
	switch r.Action {
	case ActionFailed, ActionDelayed, ActionDelivered, ActionRelayed, ActionExpanded:
		return r.Action
	}

	switch statusClass(r) {
	case '5':
		return ActionFailed
	case '4':
		return ActionDelayed
	case '2':
		return ActionDelivered
	}
	return ActionFailed
}

// statusClass returns the class digit of the recipient's status, or of
// its reply code when it has no status; 0 when it has neither.
func statusClass(r Recipient) byte {
	if s := r.SpecificStatus(); s != "" {
		return s[0]
	}
	if r.ReplyCode != 0 {
		return byte('0' + r.ReplyCode/100)
	}
	return 0
}

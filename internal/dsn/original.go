package dsn

import (
	"bufio"
	"bytes"
	"io"
	"strings"

	"github.com/emersion/go-message/mail"
)

// readOriginal reads the header of the returned message, or of the
// returned headers, into Report.Original. The first such part wins. Only
// the header is read, so a large returned body costs nothing here.
func (p *parser) readOriginal(body io.Reader) {
	if p.haveOriginal {
		return
	}

	section, ok := rawHeaderSection(body)
	if !ok {
		bp := bufferPool.Get().(*[]byte)
		defer bufferPool.Put(bp)
		var err error
		section, err = readHeaderSection((*bp)[:0], body)
		*bp = section
		if err != nil {
			p.warnf("read returned message header: %v", err)
		}
	}

	h, found := selectFields(section, p.opts.ExtraHeaders)
	if !found {
		return
	}
	p.haveOriginal = true
	p.report.Original = parseOriginal(h, p.opts.ExtraHeaders)
	p.complainant = parseAddressField(h.Get(hotmailRecipientField))
}

// originalFields are the fields that Original holds, and the field in
// which Microsoft's complaint notices name the complaining recipient.
var originalFields = []string{"Message-Id", "From", "To", "Subject", "Date", hotmailRecipientField}

// selectFields returns the fields of a header section that are named in
// originalFields or extra, unfolded, and whether the section has any
// field at all. Skipping the rest, such as Received and DKIM-Signature,
// saves most of the cost of reading a returned header.
func selectFields(section []byte, extra []string) (header, bool) {
	// The names and values go into one buffer, copied into one string at
	// the end, which the fields are sliced from.
	var textStack [1024]byte
	var spanStack [8]fieldSpan
	text, spans := textStack[:0], spanStack[:0]
	found, keep := false, false
	for line := range bytes.Lines(section) {
		if line[0] == ' ' || line[0] == '\t' {
			// A continuation line, most of a returned header: only one
			// of a kept field is looked at.
			if line = trimRightSet(line, lineEnds); keep && len(bytes.TrimSpace(line)) > 0 {
				text = append(text, line...)
				spans[len(spans)-1].value[1] = len(text)
			}
			continue
		}
		if line = trimRightSet(line, lineEnds); len(bytes.TrimSpace(line)) == 0 {
			continue
		}

		n, v, ok := bytes.Cut(line, []byte{':'})
		found = found || ok
		keep = ok && isSelected(bytes.TrimSpace(n), extra)
		if keep {
			var s fieldSpan
			s.key[0] = len(text)
			text = append(text, bytes.TrimSpace(n)...)
			s.key[1], s.value[0] = len(text), len(text)
			text = append(text, trimLeftSet(v, blanks)...)
			s.value[1] = len(text)
			spans = append(spans, s)
		}
	}

	// NOTE: of a field given more than once, Get returns the last, the
	// one nearest the body.
	all := string(text)
	h := header{fields: make([]headerField, len(spans))}
	for i, s := range spans {
		h.fields[len(spans)-1-i] = headerField{all[s.key[0]:s.key[1]], all[s.value[0]:s.value[1]]}
	}
	return h, found
}

func isSelected(name []byte, extra []string) bool {
	for _, list := range [][]string{originalFields, extra} {
		for _, f := range list {
			if len(f) == len(name) && bytes.EqualFold(name, []byte(f)) {
				return true
			}
		}
	}
	return false
}

// readHeaderSection appends to section what body holds up to the blank
// line that ends a header section, skipping blank lines before it, as
// text/rfc822-headers parts often have. It reads at most maxHeaderBytes.
func readHeaderSection(section []byte, body io.Reader) ([]byte, error) {
	br := getReader(io.LimitReader(body, maxHeaderBytes))
	defer putReader(br)

	seenField := false
	for {
		line, err := br.ReadSlice('\n')
		section = append(section, line...)

		blank := len(bytes.TrimSpace(line)) == 0
		switch {
		case err == bufio.ErrBufferFull:
			seenField = true
		case err == io.EOF:
			return section, nil
		case err != nil:
			return section, err
		case blank && seenField:
			return section, nil
		case !blank:
			seenField = true
		}
	}
}

// rawHeaderSection returns what readHeaderSection returns for a rawBody,
// as a slice of its bytes. ok is false for other bodies, and for a line
// longer than the buffer of readHeaderSection, which reads such a line in
// pieces.
func rawHeaderSection(body io.Reader) (section []byte, ok bool) {
	raw, isRaw := body.(*rawBody)
	if !isRaw {
		return nil, false
	}

	data := raw.data[:min(len(raw.data), maxHeaderBytes)]
	seenField := false
	for pos := 0; pos < len(data); {
		_, next := lineAt(data, pos)
		if next-pos > headerLineBuffer {
			return nil, false
		}

		blank := len(bytes.TrimSpace(data[pos:next])) == 0
		if blank && seenField {
			return data[:next], true
		}
		seenField = seenField || !blank
		pos = next
	}
	return data, true
}

// parseOriginal picks the fields of the original message that tie a
// bounce back to what was sent.
func parseOriginal(h header, extra []string) Original {
	o := Original{
		MessageID: parseMessageID(h.Get("Message-Id")),
		From:      firstAddress(h, "From"),
		To:        joinAddresses(h, "To"),
	}
	o.Subject, _ = decodeHeaderText(h.Get("Subject"))
	o.Date = parseDate(h.Get("Date"))

	for _, key := range extra {
		if !h.Has(key) {
			continue
		}
		if o.Headers == nil {
			o.Headers = make(map[string]string, len(extra))
		}
		v, _ := decodeHeaderText(h.Get(key))
		o.Headers[key] = strings.TrimSpace(v)
	}
	return o
}

// parseMessageID returns the Message-ID without angle brackets. It does
// not insist on RFC 5322 syntax because MTAs write IDs that break it.
func parseMessageID(value string) string {
	id := strings.TrimSpace(removeComments(value))
	if open := strings.IndexByte(id, '<'); open >= 0 {
		id = id[open+1:]
		if end := strings.IndexByte(id, '>'); end >= 0 {
			id = id[:end]
		}
	}
	return strings.TrimSpace(id)
}

// firstAddress returns the address of the first mailbox of field key.
func firstAddress(h header, key string) string {
	value := h.Get(key)
	if addr, ok := plainMailbox(value); ok {
		return addr // the usual case, without a list
	}
	addrs := addressList(value)
	if len(addrs) == 0 {
		return ""
	}
	return addrs[0]
}

// joinAddresses returns the addresses of field key joined by ", ".
func joinAddresses(h header, key string) string {
	value := h.Get(key)
	if addr, ok := plainMailbox(value); ok {
		return addr // the usual case, without a list
	}
	return strings.Join(addressList(value), ", ")
}

// addressList returns the addresses of a field's value. A value that
// does not parse, such as one with an unquoted "@" in a display name,
// gives the addresses between angle brackets, or else its decoded text.
func addressList(value string) []string {
	if addr, ok := plainMailbox(value); ok {
		return []string{addr}
	}
	if addrs, err := parseAddressList(value); err == nil {
		list := make([]string, len(addrs))
		for i, a := range addrs {
			list[i] = a.Address
		}
		return list
	}

	text, _ := decodeHeaderText(value)
	if list := bracketedAddresses(text); len(list) > 0 {
		return list
	}
	if text = strings.TrimSpace(text); text != "" {
		return []string{text}
	}
	return nil
}

// bracketedAddresses returns each non-empty "<...>" of text.
func bracketedAddresses(text string) []string {
	var list []string
	for {
		_, rest, found := strings.Cut(text, "<")
		if !found {
			return list
		}
		addr, after, found := strings.Cut(rest, ">")
		if !found {
			return list
		}

		if addr = strings.TrimSpace(addr); addr != "" {
			list = append(list, addr)
		}
		text = after
	}
}

// parseAddressList parses an address list field value as go-message's
// mail.Header.AddressList does: an empty value is an empty list.
func parseAddressList(value string) ([]*mail.Address, error) {
	if value == "" {
		return nil, nil
	}
	return mail.ParseAddressList(value)
}

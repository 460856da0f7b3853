package dsn

import "bytes"

// readEmbeddedStatus recovers the delivery-status fields of a
// multipart/report whose walk found no delivery-status part. A boundary
// line that is indented, misspelt or missing puts the fields in the text
// part or in no part at all. It reads the header blocks from the first
// Reporting-MTA, Final-Recipient or Original-Recipient field line of the
// body up to the next line that starts with "--", most likely a boundary.
func (p *parser) readEmbeddedStatus(data []byte) {
	_, body, found := bytes.Cut(data, []byte("\n\n"))
	if !found {
		return
	}

	section := findStatusSection(body)
	for _, h := range readHeaderBlocks(section) {
		p.addStatusBlock(h)
	}
	if len(p.report.Recipients) == 0 {
		return
	}
	p.warnf("delivery-status fields found outside a message/delivery-status part")

	if p.text == nil {
		// The walk found no text part either, so the prose that
		// completeFromText reads is what comes before the fields.
		// section is body[start:end], which leaves it the capacity of
		// body from start on.
		start := cap(body) - cap(section)
		p.text = body[:min(start, maxTextBytes)]
	}
}

func findStatusSection(body []byte) []byte {
	start := -1
	offset := 0
	for line := range bytes.Lines(body) {
		trimmed := bytes.TrimLeft(line, " \t")
		switch {
		case start < 0 && isStatusFieldLine(trimmed):
			start = offset
		case start >= 0 && bytes.HasPrefix(trimmed, []byte("--")):
			return body[start:offset]
		case start >= 0 && offset-start > maxPartBytes:
			return body[start:offset]
		}
		offset += len(line)
	}

	if start < 0 {
		return nil
	}
	return body[start:]
}

// isStatusFieldLine reports whether line starts with a field that begins
// a delivery-status block.
func isStatusFieldLine(line []byte) bool {
	name, _, found := bytes.Cut(line, []byte{':'})
	if !found {
		return false
	}

	name = bytes.TrimSpace(name)
	for _, field := range []string{"Reporting-MTA", "Final-Recipient", "Original-Recipient"} {
		if bytes.EqualFold(name, []byte(field)) {
			return true
		}
	}
	return false
}

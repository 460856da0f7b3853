package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

// parsedRecipient is one output line of `bounced parse`.
type parsedRecipient struct {
	File string `json:"file"`
	store.Event
	Subject string `json:"subject,omitempty"`
}

// parsedMessage is the output line of `bounced parse` for a file that names
// no recipient.
type parsedMessage struct {
	File    string `json:"file"`
	Kind    string `json:"kind"`
	Subject string `json:"subject,omitempty"`
}

// parseFiles implements `bounced parse`. It exits 1 when a file could not
// be read or parsed, after printing what it could for the others.
func parseFiles(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: bounced parse FILE...\n\nPrints one JSON line per recipient of each bounce file.")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false) // diagnostics quote <addresses>
	status := 0
	for _, name := range fs.Args() {
		if err := parseFile(name, enc); err != nil {
			fmt.Fprintf(stderr, "bounced parse: %s\n", printable(err.Error()))
			status = 1
		}
	}
	return status
}

func parseFile(name string, enc *json.Encoder) error {
	raw, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	report, events, err := ingest.Analyze(raw, ingest.Envelope{})
	if err != nil {
		return fmt.Errorf("parsing %s: %w", name, err)
	}

	if len(events) == 0 {
		// Say what the file was, so that no line does not read as no file.
		return enc.Encode(parsedMessage{File: name, Kind: string(report.Kind), Subject: report.Original.Subject})
	}
	for _, ev := range events {
		line := parsedRecipient{File: name, Event: ev, Subject: report.Original.Subject}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

// printable returns s with control characters and invalid UTF-8 escaped
// as in a Go string literal, so that an error quoting a line of a binary
// file does not write raw bytes to the terminal.
func printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && strings.HasPrefix(s[i:], "\xef\xbf\xbd"):
			b.WriteRune(r) // a real U+FFFD
		case r == utf8.RuneError:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			b.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
		}
	}
	return b.String()
}

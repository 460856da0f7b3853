package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// eventsCommand implements `bounced events`: the events that match the
// filters, as JSON lines, oldest first.
func eventsCommand(args []string, stdout, stderr io.Writer) int {
	fs, c := newClientFlags("events", stderr)
	filters := map[string]*string{}
	for _, f := range []struct{ name, usage string }{
		{"recipient", "only events of this `address`"},
		{"domain", "only events of recipients in this `domain`"},
		{"provider", "only events at this `provider` (gmail, microsoft, ...)"},
		{"reason", "only events with this `reason`"},
		{"policy", "only events with this policy `kind` (aup, blocklist, ...)"},
		{"since", "only events at or after this RFC 3339 `time`"},
		{"until", "only events before this RFC 3339 `time`"},
		{"limit", "`number` of events per page, 1 to 1000 (default 100)"},
	} {
		filters[f.name] = fs.String(f.name, "", f.usage)
	}
	var paging pageFlags
	paging.register(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}

	q := url.Values{}
	for name, v := range filters {
		setIf(q, name, *v)
	}
	return exitCode(stderr, "events", c.listAll("/events", q, paging, stdout, stderr))
}

// quarantineCommand implements `bounced quarantine`: the messages that
// did not parse, as JSON lines; `bounced reprocess` retries them.
func quarantineCommand(args []string, stdout, stderr io.Writer) int {
	fs, c := newClientFlags("quarantine", stderr)
	var paging pageFlags
	paging.register(fs)
	limit := fs.String("limit", "", "`number` of messages per page, 1 to 1000 (default 100)")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	q := url.Values{}
	setIf(q, "limit", *limit)
	return exitCode(stderr, "quarantine", c.listAll("/quarantine", q, paging, stdout, stderr))
}

// reprocessCommand implements `bounced reprocess [-since T]`: the daemon
// parses and classifies its stored raw messages again after a rules
// change, replacing their events and rebuilding the suppressions.
func reprocessCommand(args []string, stdout, stderr io.Writer) int {
	fs, c := newClientFlags("reprocess", stderr)
	since := fs.String("since", "", "only messages received at or after this RFC 3339 `time` (default all)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	q := url.Values{}
	setIf(q, "since", *since)
	data, err := c.do(http.MethodPost, "/reprocess", q, "", nil)
	if err == nil {
		fmt.Fprintf(stdout, "%s", data)
	}
	return exitCode(stderr, "reprocess", err)
}

package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/bounced/bounced/internal/config"
)

// suppressionsCommand implements `bounced suppressions SUBCOMMAND`.
func suppressionsCommand(args []string, stdout, stderr io.Writer) int {
	subcommands := map[string]func(c *apiClient, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error{
		"list":   suppressionsList,
		"get":    suppressionsGet,
		"add":    suppressionsAdd,
		"remove": suppressionsRemove,
		"check":  suppressionsCheck,
		"export": suppressionsExport,
	}
	if len(args) == 0 || subcommands[args[0]] == nil {
		fmt.Fprint(stderr, `Usage: bounced suppressions list|get|add|remove|check|export [flags] [ADDRESS...]

  list     print the entries as JSON lines (-domain, -reason, -kind, -since, -limit, -cursor, -all)
  get      print the entry that suppresses each ADDRESS
  add      add a manual entry for each ADDRESS or *@domain (-reason, -comment,
           -expires as an RFC 3339 time or a duration such as 24h or 30d)
  remove   remove the entry of each ADDRESS (-comment)
  check    print, for each ADDRESS, whether it is suppressed
  export   write the entries as CSV (-domain, -reason, -kind, -since)
`)
		return 2
	}
	name := "suppressions " + args[0]
	fs, c := newClientFlags(name, stderr)
	return exitCode(stderr, name, subcommands[args[0]](c, fs, args[1:], stdout, stderr))
}

// filterFlags are the filters of list and export.
type filterFlags struct {
	domain, reason, kind, since string
}

func (f *filterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.domain, "domain", "", "only entries of this `domain`")
	fs.StringVar(&f.reason, "reason", "", "only entries with this `reason`")
	fs.StringVar(&f.kind, "kind", "", "only entries of this `kind`: hard, soft, complaint or manual")
	fs.StringVar(&f.since, "since", "", "only entries last seen at or after this RFC 3339 `time`")
}

func (f *filterFlags) query() url.Values {
	q := url.Values{}
	setIf(q, "domain", f.domain)
	setIf(q, "reason", f.reason)
	setIf(q, "kind", f.kind)
	setIf(q, "since", f.since)
	return q
}

func suppressionsList(c *apiClient, fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	var f filterFlags
	f.register(fs)
	var paging pageFlags
	paging.register(fs)
	limit := fs.String("limit", "", "`number` of entries per page, 1 to 1000 (default 100)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q := f.query()
	setIf(q, "limit", *limit)
	return c.listAll("/suppressions", q, paging, stdout, stderr)
}

func suppressionsExport(c *apiClient, fs *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	var f filterFlags
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	data, err := c.do(http.MethodGet, "/suppressions.csv", f.query(), "", nil)
	if err != nil {
		return err
	}
	_, err = stdout.Write(data)
	return err
}

func suppressionsGet(c *apiClient, fs *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	return forEachAddress(fs, args, func(addr string) error {
		data, err := c.do(http.MethodGet, "/suppressions/"+url.PathEscape(addr), nil, "", nil)
		if err == nil {
			stdout.Write(data)
		}
		return err
	})
}

func suppressionsAdd(c *apiClient, fs *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	var req struct {
		Reason  string `json:"reason,omitempty"`
		Comment string `json:"comment,omitempty"`
		Expires string `json:"expires,omitempty"`
	}
	fs.StringVar(&req.Reason, "reason", "", "`reason` recorded with the entry (default manual)")
	fs.StringVar(&req.Comment, "comment", "", "`comment` recorded with the entry and its event")
	fs.StringVar(&req.Expires, "expires", "", "`time` at which the entry stops suppressing: RFC 3339, or a duration from now such as 24h or 30d (default never)")
	addrs, err := addressArgs(fs, args)
	if err != nil {
		return err
	}
	if req.Expires, err = expiryTime(req.Expires, time.Now()); err != nil {
		return err
	}
	return forEach(addrs, func(addr string) error {
		body, err := json.Marshal(req)
		if err != nil {
			return err
		}
		data, err := c.do(http.MethodPut, "/suppressions/"+url.PathEscape(addr), nil, "application/json", body)
		if err == nil {
			stdout.Write(data)
		}
		return err
	})
}

func suppressionsRemove(c *apiClient, fs *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	comment := fs.String("comment", "", "`comment` recorded with the removal event")
	return forEachAddress(fs, args, func(addr string) error {
		q := url.Values{}
		setIf(q, "comment", *comment)
		data, err := c.do(http.MethodDelete, "/suppressions/"+url.PathEscape(addr), q, "", nil)
		if err == nil {
			stdout.Write(data)
		}
		return err
	})
}

// suppressionsCheck checks the addresses, 1,000 per request, and prints
// one JSON line per address.
func suppressionsCheck(c *apiClient, fs *flag.FlagSet, args []string, stdout, _ io.Writer) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	addrs := fs.Args()
	if len(addrs) == 0 {
		return fmt.Errorf("no address given")
	}
	for len(addrs) > 0 {
		n := min(len(addrs), 1000)
		var resp struct {
			Results []json.RawMessage `json:"results"`
		}
		req := map[string][]string{"addresses": addrs[:n]}
		if err := c.doJSON(http.MethodPost, "/suppressions/check", nil, req, &resp); err != nil {
			return err
		}
		for _, r := range resp.Results {
			fmt.Fprintf(stdout, "%s\n", r)
		}
		addrs = addrs[n:]
	}
	return nil
}

// forEachAddress parses the flags, then calls do for each address
// argument.
func forEachAddress(fs *flag.FlagSet, args []string, do func(addr string) error) error {
	addrs, err := addressArgs(fs, args)
	if err != nil {
		return err
	}
	return forEach(addrs, do)
}

// addressArgs parses the flags and returns the address arguments, at
// least one.
func addressArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() == 0 {
		return nil, fmt.Errorf("no address given")
	}
	return fs.Args(), nil
}

// forEach calls do for each of addrs. An error for one address does not
// stop the others; the errors are returned joined, one for each address
// that failed.
func forEach(addrs []string, do func(addr string) error) error {
	var errs []error
	for _, addr := range addrs {
		if err := do(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", addr, err))
		}
	}
	return errors.Join(errs...)
}

// expiryTime converts the -expires value to an RFC 3339 time. The value is
// an RFC 3339 time, a Go duration from now ("24h") or whole days ("30d").
// An empty value stays empty.
func expiryTime(value string, now time.Time) (string, error) {
	if value == "" {
		return "", nil
	}
	if _, err := time.Parse(time.RFC3339, value); err == nil {
		return value, nil
	}
	d, err := config.ParseDuration(value)
	if err != nil || d <= 0 {
		return "", fmt.Errorf("invalid -expires %q: want an RFC 3339 time such as 2027-01-01T00:00:00Z or a positive duration such as 24h or 30d", value)
	}
	return now.Add(d).UTC().Format(time.RFC3339), nil
}

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// apiClient talks to a running daemon's /api/v1/. The commands that read
// or edit the store go through the daemon because bbolt locks the file
// while the daemon runs.
type apiClient struct {
	addr  string
	token string
	http  *http.Client
}

// newClientFlags returns the flag set of a command that talks to the
// daemon, with the client flags registered.
func newClientFlags(name string, stderr io.Writer) (*flag.FlagSet, *apiClient) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := new(apiClient)
	c.register(fs)
	return fs, c
}

// register adds the flags that locate the daemon.
func (c *apiClient) register(fs *flag.FlagSet) {
	addr := os.Getenv("BOUNCED_API_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8025"
	}
	fs.StringVar(&c.addr, "api.addr", addr, "`address` (host:port or URL) of the daemon's HTTP listener; $BOUNCED_API_ADDR sets the default")
	// The environment's token is read when a request is sent, not given as
	// the flag's default, so that -h does not print it.
	fs.StringVar(&c.token, "api.token", "", "bearer `token` of the API (default: $BOUNCED_API_TOKEN)")
}

func (c *apiClient) url(path string, q url.Values) string {
	base := c.addr
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	u := strings.TrimRight(base, "/") + "/api/v1" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// do sends a request and returns the body of a 2xx response. Any other
// status becomes an error with the API's code and message.
func (c *apiClient) do(method, path string, q url.Values, contentType string, body []byte) ([]byte, error) {
	req, err := http.NewRequest(method, c.url(path, q), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	token := c.token
	if token == "" {
		token = os.Getenv("BOUNCED_API_TOKEN")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c.http == nil {
		c.http = &http.Client{Timeout: 10 * time.Minute}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w (is bounced serve running? see -api.addr)", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading response: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		return data, apiErrorOf(resp.StatusCode, data)
	}
	return data, nil
}

// statusError is a non-2xx response of the API.
type statusError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s (%d %s)", e.Message, e.Status, e.Code)
}

func apiErrorOf(status int, body []byte) error {
	var wrapper struct {
		Error statusError `json:"error"`
	}
	if err := json.Unmarshal(body, &wrapper); err != nil || wrapper.Error.Code == "" {
		return &statusError{Status: status, Code: "http", Message: strings.TrimSpace(string(body))}
	}
	wrapper.Error.Status = status
	return &wrapper.Error
}

func (c *apiClient) doJSON(method, path string, q url.Values, in, out any) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	data, err := c.do(method, path, q, "application/json", body)
	if err != nil || out == nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// pageFlags are the paging flags of a listing command.
type pageFlags struct {
	all    bool
	cursor string
}

func (p *pageFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&p.all, "all", false, "follow the cursor through every page")
	fs.StringVar(&p.cursor, "cursor", "", "start at the page of this `cursor`, which the previous page printed on stderr")
}

// listAll prints every item of a paginated listing as one JSON line,
// following the cursor when p.all is set. When it stops before the last
// page, it prints the cursor of the next one on stderr.
func (c *apiClient) listAll(path string, q url.Values, p pageFlags, stdout, stderr io.Writer) error {
	setIf(q, "cursor", p.cursor)
	for {
		var page struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		if err := c.doJSON(http.MethodGet, path, q, nil, &page); err != nil {
			return err
		}
		for _, item := range page.Items {
			fmt.Fprintf(stdout, "%s\n", item)
		}
		if page.NextCursor == "" {
			return nil
		}
		if !p.all {
			fmt.Fprintf(stderr, "more results: run again with -all, or with -cursor %s\n", page.NextCursor)
			return nil
		}
		q.Set("cursor", page.NextCursor)
	}
}

// exitCode reports err on stderr, one line for each error joined in it,
// and returns the exit status: 0 for no error or a request for help, 1 for
// any failure.
func exitCode(stderr io.Writer, command string, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0 // after -h, the flag package has printed the usage
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	for _, err := range errs {
		fmt.Fprintf(stderr, "bounced %s: %v\n", command, err)
	}
	return 1
}

// setIf sets key in q when value is not empty.
func setIf(q url.Values, key, value string) {
	if value != "" {
		q.Set(key, value)
	}
}

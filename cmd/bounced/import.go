package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/bounced/bounced/internal/mailbox"
)

// importCommand implements `bounced import PATH`: each message of an mbox
// file, a Maildir or a single message file goes to the running daemon,
// which runs it through the same pipeline as a message received over
// SMTP. A path that holds no message is an error.
func importCommand(args []string, stdout, stderr io.Writer) int {
	fs, c := newClientFlags("import", stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "Usage: bounced import [flags] PATH (an mbox file, a Maildir, a folder of .eml files or one message file)")
		return 2
	}

	messages, err := mailbox.Open(fs.Arg(0))
	if err != nil {
		return exitCode(stderr, "import", err)
	}
	imported, duplicates := 0, 0
	for msg, err := range messages {
		if err != nil {
			return exitCode(stderr, "import", fmt.Errorf("%s: %w (imported %d messages before it)", msg.Source, err, imported))
		}
		data, err := c.do(http.MethodPost, "/messages", nil, "message/rfc822", msg.Raw)
		if err != nil {
			return exitCode(stderr, "import", fmt.Errorf("%s: %w (imported %d messages before it)", msg.Source, err, imported))
		}
		fmt.Fprintf(stdout, "%s\t%s", msg.Source, data)
		if isDuplicate(data) {
			duplicates++
			continue
		}
		imported++
	}
	if imported+duplicates == 0 {
		return exitCode(stderr, "import", fmt.Errorf("%q contains no message", fs.Arg(0)))
	}
	fmt.Fprintf(stderr, "bounced import: messages imported: %d, imported before and skipped: %d\n", imported, duplicates)
	return 0
}

// isDuplicate reports whether the API's reply to an imported message
// marks it as imported before.
func isDuplicate(reply []byte) bool {
	var r struct {
		Duplicate bool `json:"duplicate"`
	}
	return json.Unmarshal(reply, &r) == nil && r.Duplicate
}

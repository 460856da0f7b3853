// Package mailbox reads the messages of an mbox file or a Maildir, so that
// an operator moving off a bounce mailbox can import it.
package mailbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
)

// MaxMessageBytes bounds one message; a longer one is an error rather
// than unbounded memory.
const MaxMessageBytes = 64 << 20

// Message is one message of a mailbox: where it was and its bytes.
type Message struct {
	Source string // file name, or file name and 1-based index in an mbox
	Raw    []byte
}

// Open returns the messages at path: the files in new/ and cur/ when path
// is a Maildir, else the messages of path read as an mbox file. Iteration
// stops at the first error, which it yields.
func Open(path string) (iter.Seq2[Message, error], error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("opening mailbox: %w", err)
	}
	if info.IsDir() {
		return maildir(path)
	}
	return mboxFile(path), nil
}

func maildir(dir string) (iter.Seq2[Message, error], error) {
	var files []string
	for _, sub := range []string{"new", "cur"} {
		names, err := filepath.Glob(filepath.Join(dir, sub, "*"))
		if err != nil {
			return nil, err
		}
		files = append(files, names...)
	}
	if len(files) == 0 {
		if _, err := os.Stat(filepath.Join(dir, "cur")); err != nil {
			return nil, fmt.Errorf("%q is not a Maildir: it has no cur directory", dir)
		}
	}
	slices.Sort(files)
	return func(yield func(Message, error) bool) {
		for _, name := range files {
			raw, err := readFile(name)
			if !yield(Message{Source: name, Raw: raw}, err) || err != nil {
				return
			}
		}
	}, nil
}

func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, MaxMessageBytes+1))
	if err == nil && len(raw) > MaxMessageBytes {
		err = fmt.Errorf("message %q is larger than %d bytes", name, MaxMessageBytes)
	}
	return raw, err
}

func mboxFile(path string) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(Message{Source: path}, err)
			return
		}
		defer f.Close()
		for i, m := range ReadMbox(f) {
			if !yield(Message{Source: fmt.Sprintf("%s#%d", path, i+1), Raw: m.Raw}, m.Err) || m.Err != nil {
				return
			}
		}
	}
}

// MboxMessage is a message of an mbox stream or the error that ended it.
type MboxMessage struct {
	Raw []byte
	Err error
}

var fromLine = []byte("From ")

// ReadMbox returns the messages of an mbox stream. A line starting with
// "From " after an empty line, or at the start, begins a message. One ">"
// is removed from lines matching ">+From ", as mboxrd specifies. In an
// mboxo file this also unquotes lines that were quoted in the original.
func ReadMbox(r io.Reader) iter.Seq2[int, MboxMessage] {
	return func(yield func(int, MboxMessage) bool) {
		br := bufio.NewReader(r)
		var msg []byte
		n, started, prevBlank := 0, false, true
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				if prevBlank && bytes.HasPrefix(line, fromLine) {
					if started && !yield(n, MboxMessage{Raw: trimSeparator(msg)}) {
						return
					}
					n, started, msg = n+boolInt(started), true, nil
				} else if started {
					msg = append(msg, unquoteFrom(line)...)
				}
				prevBlank = len(bytes.TrimRight(line, "\r\n")) == 0
			}
			if started && len(msg) > MaxMessageBytes {
				yield(n, MboxMessage{Err: fmt.Errorf("message %d is larger than %d bytes", n+1, MaxMessageBytes)})
				return
			}
			if errors.Is(err, io.EOF) {
				if started {
					yield(n, MboxMessage{Raw: trimSeparator(msg)})
				}
				return
			}
			if err != nil {
				yield(n, MboxMessage{Err: err})
				return
			}
		}
	}
}

// trimSeparator removes the empty line that separates a message from the
// next "From " line.
func trimSeparator(msg []byte) []byte {
	if bytes.HasSuffix(msg, []byte("\r\n\r\n")) {
		return msg[:len(msg)-2]
	}
	if bytes.HasSuffix(msg, []byte("\n\n")) {
		return msg[:len(msg)-1]
	}
	return msg
}

func unquoteFrom(line []byte) []byte {
	rest := bytes.TrimLeft(line, ">")
	if len(rest) < len(line) && bytes.HasPrefix(rest, fromLine) {
		return line[1:]
	}
	return line
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

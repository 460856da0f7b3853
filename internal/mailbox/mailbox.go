// Package mailbox reads the messages of an mbox file, a Maildir or a single
// message file, so that an operator moving off a bounce mailbox can import
// it.
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

// Open returns the messages at path. A Maildir yields the files in its
// new/ and cur/, another folder its .eml files. A file whose first line that is not blank is a "From "
// line is read as an mbox. A file whose first line is a header field is
// one message, such as an .eml file. Any other file is an error, because
// it contains no message. Iteration stops at the first error, which it
// yields.
func Open(path string) (iter.Seq2[Message, error], error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("opening mailbox: %w", err)
	}
	if info.IsDir() {
		return maildir(path)
	}

	first, err := firstLine(path)
	if err != nil {
		return nil, fmt.Errorf("opening mailbox: %w", err)
	}
	switch {
	case bytes.HasPrefix(first, fromLine):
		return mboxFile(path), nil
	case isHeaderField(first):
		return singleMessage(path), nil
	case len(first) == 0:
		return nil, fmt.Errorf("%q contains no message: it is empty", path)
	}
	return nil, fmt.Errorf("%q is neither an mbox (its first line is not a \"From \" line) nor a message (its first line is not a header field); first line %.60q", path, first)
}

// firstLine returns the first line of the file at path that is not blank,
// without its line ending. It returns at most 4,096 bytes of a line.
func firstLine(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	br := bufio.NewReader(io.LimitReader(f, MaxMessageBytes))
	for {
		line, err := br.ReadSlice('\n')
		if trimmed := bytes.TrimRight(line, "\r\n"); len(trimmed) > 0 {
			return trimmed, nil
		}
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
}

// isHeaderField reports whether line starts like an RFC 5322 header field:
// a name of printable US-ASCII characters other than the colon, then a
// colon.
func isHeaderField(line []byte) bool {
	name, _, found := bytes.Cut(line, []byte(":"))
	if !found || len(name) == 0 {
		return false
	}
	for _, c := range name {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

func singleMessage(path string) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		raw, err := readFile(path)
		yield(Message{Source: path, Raw: raw}, err)
	}
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
			return emlFolder(dir)
		}
	}
	return messageFiles(files), nil
}

// emlFolder returns the messages of the .eml files in dir, such as a
// folder of bounces saved from a mail client, or the corpus that
// bounced eval reads.
func emlFolder(dir string) (iter.Seq2[Message, error], error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%q is neither a Maildir (it has no cur directory) nor a folder of .eml files; other input is an mbox file or one message file", dir)
	}
	return messageFiles(files), nil
}

// messageFiles yields each file of files, in name order, as one message.
func messageFiles(files []string) iter.Seq2[Message, error] {
	slices.Sort(files)
	return func(yield func(Message, error) bool) {
		for _, name := range files {
			raw, err := readFile(name)
			if !yield(Message{Source: name, Raw: raw}, err) || err != nil {
				return
			}
		}
	}
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

// Package yamlerr finds the line of a YAML syntax error, for the error
// messages of bounced's configuration and rules files.
package yamlerr

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// syntaxErrorRE splits a syntax error of go.yaml.in/yaml/v3 into its line,
// if any, and its problem.
var syntaxErrorRE = regexp.MustCompile(`^yaml: (?:line \d+: )?(.*)$`)

// Locate returns the line, counted from 1, and the problem of err, a
// syntax error that decoding data with go.yaml.in/yaml/v3 returned. It
// reports false for other errors, type errors included, which carry the
// right line already, and for a problem it cannot find again.
//
// NOTE: go.yaml.in/yaml/v3 (v3.0.6, parser.fail in decode.go) reports the
// line where the enclosing block or flow collection starts, counted from
// 0, not the line of the problem, so a problem on line 3 may be reported
// on line 1. Locate takes the first line at which a prefix of the file
// fails with the same problem.
func Locate(data []byte, err error) (line int, problem string, ok bool) {
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) {
		return 0, "", false
	}
	m := syntaxErrorRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, "", false
	}
	problem = m[1]

	// A binary search parses about log2(lines) prefixes, where a parse of
	// each prefix in turn is quadratic in the file's length. It assumes
	// that a prefix longer than one that fails with problem fails with it
	// too, because the parser reads the same bytes up to the problem.
	lines := bytes.SplitAfter(data, []byte("\n"))
	fails := func(i int) bool { return failsWith(bytes.Join(lines[:i+1], nil), problem) }
	n := sort.Search(len(lines), fails) + 1
	if n > len(lines) {
		return 0, "", false
	}
	return n, problem, true
}

// failsWith reports whether data fails to parse with the syntax error
// problem.
func failsWith(data []byte, problem string) bool {
	var node yaml.Node
	err := yaml.Unmarshal(data, &node)
	if err == nil {
		return false
	}
	m := syntaxErrorRE.FindStringSubmatch(err.Error())
	return m != nil && m[1] == problem
}

// unknownFieldRE matches go.yaml.in/yaml/v3's message for a key that
// names no field. That message names a Go type, which means nothing to an
// operator.
var unknownFieldRE = regexp.MustCompile(`^field (\S+) not found in type .+$`)

// unmarshalRE matches go.yaml.in/yaml/v3's message for a value of the
// wrong type, such as "cannot unmarshal !!str `lots` into int".
var unmarshalRE = regexp.MustCompile("^cannot unmarshal !!(\\w+) (?:`(.*)` )?into (\\S+)$")

// Problem rewrites one problem of a yaml.v3 type error for an operator:
// an unknown key is named as such and a value of the wrong type names the
// expected value, both without the Go types behind them. Other problems are
// returned as they are.
func Problem(problem string) string {
	if m := unknownFieldRE.FindStringSubmatch(problem); m != nil {
		return fmt.Sprintf("unknown key %q", m[1])
	}
	if m := unmarshalRE.FindStringSubmatch(problem); m != nil {
		return wrongType(m[1], m[2], m[3])
	}
	return problem
}

// wrongType describes a value of YAML tag tag, shown as value, that
// cannot be decoded into the Go type goType.
func wrongType(tag, value, goType string) string {
	want := expected(goType)
	switch tag {
	case "seq":
		return fmt.Sprintf("want %s, not a list", want)
	case "map":
		return fmt.Sprintf("want %s, not a mapping", want)
	}
	return fmt.Sprintf("want %s, not %q", want, value)
}

// expected names what a Go type accepts, in an operator's words.
func expected(goType string) string {
	switch {
	case goType == "time.Duration":
		return "a duration such as 30s or 5m"
	case goType == "config.Duration":
		// bounced's configuration also takes whole days.
		return "a duration such as 30s, 5m or 30d"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "string":
		return "a single value"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping of keys to values"
}

// TypeError returns err with each of its messages passed through Problem
// and naming the key of the value at fault in data, as a dotted path such
// as smtp.max_recipients, when err is a yaml.v3 type error. It returns err
// itself otherwise.
func TypeError(data []byte, err error) error {
	var typeErr *yaml.TypeError
	if !errors.As(err, &typeErr) {
		return err
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		root = yaml.Node{}
	}

	msgs := make([]string, len(typeErr.Errors))
	for i, msg := range typeErr.Errors {
		msgs[i] = rewrite(&root, msg)
	}
	return fmt.Errorf("yaml: %s", strings.Join(msgs, "; "))
}

// rewrite returns one message of a type error, "line N: problem", with
// the problem in an operator's words (see Problem) and, for a value of the
// wrong type whose key valueAt finds, the key's dotted path.
func rewrite(root *yaml.Node, msg string) string {
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err != nil {
		return Problem(msg)
	}
	_, problem, _ := strings.Cut(msg, ": ")

	m := unmarshalRE.FindStringSubmatch(problem)
	if m == nil {
		return fmt.Sprintf("line %d: %s", line, Problem(problem))
	}
	path, value := valueAt(root, line, tagKind(m[1]), m[2])
	if path == "" {
		return fmt.Sprintf("line %d: %s", line, Problem(problem))
	}
	// yaml.v3 shortens long values in its message, so the value is
	// taken from the node.
	return fmt.Sprintf("line %d: %s: %s", line, path, wrongType(m[1], value.Value, m[3]))
}

// tagKind returns the kind of node that a YAML tag of a type error
// describes.
func tagKind(tag string) yaml.Kind {
	switch tag {
	case "seq":
		return yaml.SequenceNode
	case "map":
		return yaml.MappingNode
	}
	return yaml.ScalarNode
}

// candidate is a value that a type error's line, kind and value text
// may describe, with the dotted path of its key.
type candidate struct {
	path string
	node *yaml.Node

	// anchored is set when the value or one that contains it has an
	// anchor, because an alias or a merge key ("<<") may then have copied
	// it to another key, and yaml.v3's message does not name that key.
	anchored bool
}

// valueAt returns the dotted path, such as smtp.max_recipients or
// rules[2].tags[0], and the node of the one value of the given kind that
// starts on line. A scalar must also match text, the value as yaml.v3
// quotes it. It returns "" and nil when no value or several match, or
// when an alias may have copied the value, so that the error names no key
// rather than a wrong one. Keys are not values, and a block mapping
// starts on the line of its first key.
func valueAt(root *yaml.Node, line int, kind yaml.Kind, text string) (string, *yaml.Node) {
	var found []candidate
	collectValues(root, line, kind, "", false, &found)
	if kind == yaml.ScalarNode {
		found = slices.DeleteFunc(found, func(c candidate) bool { return !quotes(text, c.node.Value) })
	}
	if len(found) != 1 || found[0].anchored {
		return "", nil
	}
	return found[0].path, found[0].node
}

// quotes reports whether text is value as a yaml.v3 type error quotes
// it: whole up to 10 bytes, else its first 7 bytes and "...".
func quotes(text, value string) bool {
	if len(value) > 10 {
		return text == value[:7]+"..."
	}
	return text == value
}

// collectValues appends to found each value below path in n of the
// given kind that starts on line.
func collectValues(n *yaml.Node, line int, kind yaml.Kind, path string, anchored bool, found *[]candidate) {
	anchored = anchored || n.Anchor != ""
	if path != "" && n.Kind == kind && n.Line == line {
		*found = append(*found, candidate{path: path, node: n, anchored: anchored})
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			collectValues(c, line, kind, path, anchored, found)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := n.Content[i].Value
			if path != "" {
				p = path + "." + p
			}
			collectValues(n.Content[i+1], line, kind, p, anchored, found)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			collectValues(c, line, kind, fmt.Sprintf("%s[%d]", path, i), anchored, found)
		}
	}
}

// Package yamlerr finds the line of a YAML syntax error, for the error
// messages of bounced's configuration and rules files.
package yamlerr

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxLines is the longest file whose syntax errors are located, because
// locating costs one parse per line up to the error.
const maxLines = 5000

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

	lines := bytes.SplitAfter(data, []byte("\n"))
	for n := 1; n <= len(lines) && n <= maxLines; n++ {
		var node yaml.Node
		perr := yaml.Unmarshal(bytes.Join(lines[:n], nil), &node)
		if perr == nil {
			continue
		}
		if pm := syntaxErrorRE.FindStringSubmatch(perr.Error()); pm != nil && pm[1] == problem {
			return n, problem, true
		}
	}
	return 0, "", false
}

// unknownFieldRE matches go.yaml.in/yaml/v3's message for a key that
// names no field. That message names a Go type, which means nothing to an
// operator.
var unknownFieldRE = regexp.MustCompile(`^field (\S+) not found in type .+$`)

// Problem rewrites one problem of a yaml.v3 type error for an operator:
// an unknown key is named as such, without the Go type behind it. Other
// problems are returned as they are.
func Problem(problem string) string {
	if m := unknownFieldRE.FindStringSubmatch(problem); m != nil {
		return fmt.Sprintf("unknown key %q", m[1])
	}
	return problem
}

// TypeError returns err with each of its messages passed through Problem
// when err is a yaml.v3 type error, and err itself otherwise.
func TypeError(err error) error {
	var typeErr *yaml.TypeError
	if !errors.As(err, &typeErr) {
		return err
	}
	msgs := make([]string, len(typeErr.Errors))
	for i, msg := range typeErr.Errors {
		line, problem, found := strings.Cut(msg, ": ")
		if !found {
			msgs[i] = Problem(msg)
			continue
		}
		msgs[i] = line + ": " + Problem(problem)
	}
	return fmt.Errorf("yaml: %s", strings.Join(msgs, "; "))
}

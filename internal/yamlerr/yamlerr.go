// Package yamlerr finds the line of a YAML syntax error, for the error
// messages of bounced's configuration and rules files.
package yamlerr

import (
	"bytes"
	"errors"
	"regexp"

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

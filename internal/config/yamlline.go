package config

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// maxLocateLines is the longest file whose syntax errors are located by
// re-parsing, which costs one parse per line up to the error.
const maxLocateLines = 5000

// yamlErrorRE splits a syntax error of go.yaml.in/yaml/v3 into its line,
// if any, and its problem.
var yamlErrorRE = regexp.MustCompile(`^yaml: (?:line \d+: )?(.*)$`)

// locateSyntaxError returns the syntax error err of decoding data with
// the line of the problem.
//
// NOTE: go.yaml.in/yaml/v3 (v3.0.6, parser.fail in decode.go) reports the
// line where the enclosing block or flow collection starts, not the line
// of the problem. It also counts that line from 0 for parser errors, so a
// problem on line 3 may be reported on line 1 or 2. This function takes
// the first line at which a prefix of the file fails with the same
// problem.
func locateSyntaxError(data []byte, err error) error {
	var typeErr *yaml.TypeError
	if errors.As(err, &typeErr) {
		return err // Type errors carry the line of the node.
	}
	m := yamlErrorRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	problem := m[1]

	lines := bytes.SplitAfter(data, []byte("\n"))
	for n := 1; n <= len(lines) && n <= maxLocateLines; n++ {
		var node yaml.Node
		perr := yaml.Unmarshal(bytes.Join(lines[:n], nil), &node)
		if perr == nil {
			continue
		}
		if pm := yamlErrorRE.FindStringSubmatch(perr.Error()); pm != nil && pm[1] == problem {
			return fmt.Errorf("yaml: line %d: %s", n, problem)
		}
	}
	return err
}

package config

import (
	"fmt"

	"github.com/bounced/bounced/internal/yamlerr"
)

// locateSyntaxError returns the syntax error err of decoding data with
// the line of the problem, which go.yaml.in/yaml/v3 gets wrong.
func locateSyntaxError(data []byte, err error) error {
	line, problem, ok := yamlerr.Locate(data, err)
	if !ok {
		return yamlerr.TypeError(data, err)
	}
	return fmt.Errorf("yaml: line %d: %s", line, problem)
}

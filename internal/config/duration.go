package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a length of time in the configuration file: a Go duration
// such as 90s or 36h, or whole days such as 30d, the unit in which
// retention, expiry and suppression windows are usually thought of.
type Duration time.Duration

// ParseDuration parses a Go duration or a whole number of days followed
// by d.
func ParseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > maxDays {
			return 0, fmt.Errorf("invalid duration %q: want a Go duration such as 36h or whole days such as 30d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(s)
}

// maxDays, about 100 years, is the largest number of days accepted. It
// keeps the result well within the about 292 years that a time.Duration
// holds, and no retention or expiry setting needs more.
const maxDays = 36500

// UnmarshalYAML decodes a scalar with ParseDuration. A value it cannot
// parse is reported as a type error at the value's line, like the other
// settings of the wrong type.
func (d *Duration) UnmarshalYAML(value *yaml.Node) error {
	if value.Kind == yaml.ScalarNode {
		if parsed, err := ParseDuration(value.Value); err == nil {
			*d = Duration(parsed)
			return nil
		}
	}
	return &yaml.TypeError{Errors: []string{
		fmt.Sprintf("line %d: cannot unmarshal %s `%s` into config.Duration", value.Line, value.ShortTag(), value.Value),
	}}
}

// MarshalYAML writes d as a Go duration, so that a written configuration
// reads back the same.
func (d Duration) MarshalYAML() (any, error) {
	return time.Duration(d).String(), nil
}

// String returns d as a Go duration, such as 720h0m0s.
func (d Duration) String() string {
	return time.Duration(d).String()
}

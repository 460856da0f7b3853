package config

import "fmt"

// Parse configures what the bounce parser extracts.
type Parse struct {
	// ExtraHeaders names header fields of the original message, such as
	// X-Campaign-ID, that are stored with each bounce event so that a
	// bounce can be tied to what was sent.
	ExtraHeaders []string `yaml:"extra_headers"`
}

// validate checks that each extra header is a valid field name (RFC 5322
// section 3.6.8: printable ASCII other than the colon).
func (p Parse) validate() []error {
	var errs []error
	for _, name := range p.ExtraHeaders {
		if !isFieldName(name) {
			errs = append(errs, fmt.Errorf("parse.extra_headers: %q is not a valid header field name", name))
		}
	}
	return errs
}

func isFieldName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c > '~' || c == ':' {
			return false
		}
	}
	return true
}

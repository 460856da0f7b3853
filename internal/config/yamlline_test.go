package config

import (
	"strings"
	"testing"
)

func TestDecode_SyntaxErrorLine(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unclosed flow sequence", "smtp:\n  listen: 127.0.0.1:2525\n  domains: [a, b\n",
			"yaml: line 3: did not find expected ',' or ']'"},
		{"unclosed flow mapping before more keys", "log_level: info\ndata_dir: /tmp\nsmtp: {listen: x\nhttp: {}\n",
			"yaml: line 3: did not find expected ',' or '}'"},
		{"key indented less", "smtp:\n  listen: 127.0.0.1:2525\n  lmtp: true\n keep_bytes: 65536\n",
			"yaml: line 4: did not find expected key"},
		{"sequence item in mapping", "smtp:\n  listen: x\n- a\n",
			"yaml: line 3: did not find expected key"},
		// go.yaml.in/yaml/v3 itself reports line 1 for these two.
		{"indented sequence item in mapping", "smtp:\n  listen: x\n  - a\n",
			"yaml: line 3: did not find expected key"},
		{"sequence item indented less", "smtp:\n  domains:\n    - a\n   - b\n",
			"yaml: line 4: did not find expected key"},
		{"stray closing brace", "log_level: info\ndata_dir: /tmp\nsmtp: }\n",
			"yaml: line 3: did not find expected node content"},
		{"unclosed quote", "log_level: info\ndata_dir: /tmp\nsmtp:\n  listen: 'x\n",
			"yaml: line 4: found unexpected end of stream"},
		{"tab indentation", "log_level: info\ndata_dir: /tmp\nsmtp:\n\tlisten: x\n",
			"yaml: line 4: found character that cannot start any token"},
		{"mapping in plain scalar", "a: 1\nb: 2\nsmtp: d: e\n",
			"yaml: line 3: mapping values are not allowed in this context"},
		{"unknown anchor", "log_level: info\ndata_dir: /tmp\nsmtp: *x\n",
			"yaml: line 3: unknown anchor 'x' referenced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.yaml))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Decode error = %v, want %q", err, tt.want)
			}
		})
	}
}

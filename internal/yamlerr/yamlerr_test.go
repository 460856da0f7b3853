package yamlerr

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLocate(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int
	}{
		{"misindented key", "a:\n  b: 1\n  c: 2\n d: 3\n", 4},
		{"unclosed flow list", "a: 1\nb: [1, 2\nc: 3\nd: 4\n", 2}, // where the list opens
		{"unclosed quote", "a: 1\nb: 2\nc: \"open\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v map[string]any
			err := yaml.Unmarshal([]byte(tt.yaml), &v)
			if err == nil {
				t.Fatal("no syntax error")
			}
			line, problem, ok := Locate([]byte(tt.yaml), err)
			if !ok || line != tt.line || problem == "" {
				t.Errorf("Locate = %d, %q, %v; want line %d (yaml.v3 said %v)", line, problem, ok, tt.line, err)
			}
		})
	}
}

func TestLocate_TypeErrorNotLocated(t *testing.T) {
	var v struct{ A int }
	err := yaml.Unmarshal([]byte("a: text\n"), &v)
	if _, _, ok := Locate([]byte("a: text\n"), err); ok {
		t.Errorf("type error %v located; its own line is right", err)
	}
}

func TestTypeError_NamesUnknownKey(t *testing.T) {
	var v struct {
		Listen string `yaml:"listen"`
	}
	dec := yaml.NewDecoder(strings.NewReader("listen: x\nlistn: y\n"))
	dec.KnownFields(true)
	err := TypeError(dec.Decode(&v))
	if err == nil || err.Error() != `yaml: line 2: unknown key "listn"` {
		t.Errorf("TypeError = %v, want the line and the unknown key without a Go type", err)
	}
}

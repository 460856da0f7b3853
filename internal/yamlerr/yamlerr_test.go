package yamlerr

import (
	"os"
	"strings"
	"testing"
	"time"

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
		{"after 6000 lines", strings.Repeat("- a\n", 6000) + "- [b\n", 6001},
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
	err := TypeError(nil, dec.Decode(&v))
	if err == nil || err.Error() != `yaml: line 2: unknown key "listn"` {
		t.Errorf("TypeError = %v, want the line and the unknown key without a Go type", err)
	}
}

func TestTypeError_NamesKeyAndExpectedValue(t *testing.T) {
	type config struct {
		SMTP struct {
			MaxRecipients int           `yaml:"max_recipients"`
			Timeout       time.Duration `yaml:"timeout"`
			Domains       []string      `yaml:"domains"`
		} `yaml:"smtp"`
		Store struct {
			Sync bool   `yaml:"sync"`
			Path string `yaml:"path"`
		} `yaml:"store"`
		Rules []struct {
			ID     string   `yaml:"id"`
			Weight float64  `yaml:"weight"`
			Tags   []string `yaml:"tags"`
		} `yaml:"rules"`
	}
	tests := []struct {
		name, doc, want string
	}{
		{"int", "smtp:\n  max_recipients: lots\n",
			`yaml: line 2: smtp.max_recipients: want a whole number, not "lots"`},
		{"duration", "smtp:\n  timeout: 5 min\n",
			`yaml: line 2: smtp.timeout: want a duration such as 30s or 5m, not "5 min"`},
		{"bool", "store:\n  sync: maybe\n",
			`yaml: line 2: store.sync: want true or false, not "maybe"`},
		{"list for a string", "store:\n  path:\n    - a\n",
			`yaml: line 3: store.path: want a single value, not a list`},
		{"string for a list", "smtp:\n  domains: example.org\n",
			`yaml: line 2: smtp.domains: want a list, not "example.org"`},
		{"in a list", "rules:\n  - id: a\n  - id: b\n    weight: heavy\n",
			`yaml: line 4: rules[1].weight: want a number, not "heavy"`},
		{"list item", "rules:\n  - tags:\n      - a\n      - {b: c}\n",
			`yaml: line 4: rules[0].tags[1]: want a single value, not a mapping`},
		{"long value", "smtp:\n  max_recipients: a hundred and ten\n",
			`yaml: line 2: smtp.max_recipients: want a whole number, not "a hundred and ten"`},
		// Several values share the line of a flow mapping: the one that
		// yaml.v3 quotes is named.
		{"second in a flow mapping", "smtp: {max_recipients: 10, timeout: 5 min}\n",
			`yaml: line 1: smtp.timeout: want a duration such as 30s or 5m, not "5 min"`},
		// Two mappings start on line 2, smtp's and domains', and the
		// message does not say which: no key is named.
		{"mapping on its parent's line", "smtp:\n  domains: {a: b}\n",
			`yaml: line 2: want a list, not a mapping`},
		// yaml.v3 reports the anchored value, not the alias in sync.
		{"alias", "store:\n  path: &p maybe\n  sync: *p\n",
			`yaml: line 2: want true or false, not "maybe"`},
		{"merge key", "base: &b\n  max_recipients: lots\nsmtp:\n  <<: *b\n",
			`yaml: line 2: want a whole number, not "lots"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v config
			err := TypeError([]byte(tt.doc), yaml.Unmarshal([]byte(tt.doc), &v))
			if err == nil || err.Error() != tt.want {
				t.Errorf("TypeError = %v\nwant %s", err, tt.want)
			}
		})
	}
}

// BenchmarkLocate locates a syntax error at the end of the embedded rules
// file, where a search that parsed each prefix in turn took seconds.
func BenchmarkLocate(b *testing.B) {
	data, err := os.ReadFile("../classify/rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	data = append(data, "  - id: [\n"...)
	var v any
	yamlErr := yaml.Unmarshal(data, &v)
	for b.Loop() {
		if _, _, ok := Locate(data, yamlErr); !ok {
			b.Fatalf("%v not located", yamlErr)
		}
	}
}

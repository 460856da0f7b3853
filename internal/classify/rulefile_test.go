package classify

import (
	"bytes"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// rulesHeader returns the comment lines of rules.yaml before its first key.
func rulesHeader(t *testing.T) []string {
	t.Helper()
	header, _, found := bytes.Cut(builtinRules, []byte("\nhints:"))
	if !found {
		t.Fatal("rules.yaml has no hints key")
	}
	return strings.Split(string(header), "\n")
}

// documentedKeys returns the keys that lines of the header list, matched
// by re with the key as its first group.
func documentedKeys(lines []string, re *regexp.Regexp) []string {
	var keys []string
	for _, line := range lines {
		if m := re.FindStringSubmatch(line); m != nil {
			keys = append(keys, m[1])
		}
	}
	return keys
}

// TestRulesHeader_RequiredKeys checks that the keys the header marks
// required are exactly those without which a rule is rejected.
func TestRulesHeader_RequiredKeys(t *testing.T) {
	documented := documentedKeys(rulesHeader(t), regexp.MustCompile(`^#   ([a-z_]+) +\*`))

	fields := map[string]string{
		"id":       "id: local-rule",
		"reason":   "reason: blocked",
		"hardness": "hardness: soft",
		"policy":   "policy: aup",
		"provider": "provider: gmail",
		"hint":     "hint: policy",
		"source":   "source: test",
		"when":     "when: {reply: 550}",
	}
	var required []string
	for key := range fields {
		var yaml strings.Builder
		yaml.WriteString("rules:\n  - ")
		for other, line := range fields {
			if other != key {
				yaml.WriteString(line + "\n    ")
			}
		}
		if _, err := ParseRules("ops.yml", []byte(yaml.String())); err != nil {
			required = append(required, key)
		}
	}

	slices.Sort(documented)
	slices.Sort(required)
	if !slices.Equal(documented, required) {
		t.Errorf("header marks %q required, but a rule without any of %q is rejected", documented, required)
	}
}

// TestRulesHeader_Conditions checks that the header lists every condition
// of the decoder, and that each accepts what the header documents: a single
// value or a list for the first group, a single value only after "single
// value only".
func TestRulesHeader_Conditions(t *testing.T) {
	lines := rulesHeader(t)
	split := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "single value only") })
	if split < 0 {
		t.Fatal(`header lacks the "single value only" line`)
	}
	condition := regexp.MustCompile(`^#     ([a-z_]+) `)
	either := documentedKeys(lines[:split], condition)
	single := documentedKeys(lines[split:], condition)

	var decoded []string
	typ := reflect.TypeFor[conditionSpec]()
	for i := range typ.NumField() {
		decoded = append(decoded, typ.Field(i).Tag.Get("yaml"))
	}
	documented := slices.Sorted(slices.Values(append(slices.Clone(either), single...)))
	if slices.Sort(decoded); !slices.Equal(documented, decoded) {
		t.Errorf("header documents conditions %q, the decoder has %q", documented, decoded)
	}

	values := map[string]string{
		"kind": "failure", "action": "failed", "command": "RCPT", "provider": "gmail",
		"diagnostic_type": "smtp", "status": "5.1.1", "reply": "550", "text": "no such user",
		"pattern": "no such (user|mailbox)",
	}
	parse := func(key, value string) error {
		yaml := "rules:\n  - id: local-rule\n    reason: userunknown\n    source: test\n    when:\n      " + key + ": " + value + "\n"
		_, err := ParseRules("ops.yml", []byte(yaml))
		return err
	}
	for _, key := range either {
		if err := parse(key, values[key]); err != nil {
			t.Errorf("%s as a single value: %v", key, err)
		}
		if err := parse(key, "["+values[key]+"]"); err != nil {
			t.Errorf("%s as a list: %v", key, err)
		}
	}
	for _, key := range single {
		if err := parse(key, `"`+values[key]+`"`); err != nil {
			t.Errorf("%s as a single value: %v", key, err)
		}
		if err := parse(key, `["`+values[key]+`"]`); err == nil {
			t.Errorf("%s as a list: accepted, but the header documents a single value only", key)
		}
	}
}

package classify

import "testing"

// FuzzParseRules checks that any rules file gives a rule set or an error,
// never a panic.
func FuzzParseRules(f *testing.F) {
	f.Add([]byte(overrideRules))
	f.Add([]byte("rules:\n  - id: a\n    reason: blocked\n    source: s\n    when: {pattern: '(?i)a|b*', status: [x.x.x]}\n"))
	f.Add([]byte("rules: [{id: x, disable: true}]\n"))
	f.Add([]byte("hints: {a: b}\nrules:\n  - &r {id: a, reason: blocked, source: s, when: {reply: [550]}}\n  - *r\n"))
	f.Add([]byte("rules:\n  - id: a\n    reason: blocked\n    source: s\n    when: {text: [\"\\xff\\x00\"]}\n"))
	f.Add([]byte("rules:\n  - id: a\n    reason: blocked\n   source: x\n    when: {reply: 550, pattern: [a]}\n"))

	// The fuzzed file is compiled alone, without the embedded rules, so
	// that each run costs the file's size and not the whole rule table.
	f.Fuzz(func(t *testing.T, data []byte) {
		decoded, err := decodeRules("fuzz.yml", data, &decodedRules{})
		if err != nil {
			return
		}
		set, err := compileSet(mergeRules(decoded.rules, nil))
		if err != nil {
			return
		}
		set.Classify(failure("5.7.1", 550, "550 5.7.1 blocked using zen.spamhaus.org"))
	})
}

// FuzzClassify checks that any diagnostic text and status classify
// without a panic and give a reason from the closed set.
func FuzzClassify(f *testing.F) {
	f.Add("5.2.0", 552, "552 5.2.0 <a@cox.net>... sender rejected AUP#POL", "MAIL", "cxr.mx.a.cloudfilter.net", "a@cox.net")
	f.Add("", 0, "550-5.7.1 multi\r\n550-5.7.1 line 550 5.7.1 reply", "", "", "")
	f.Add("5.999.1", 999, "4.16.55.1 192.0.2.1 5.7.1234", "rcpt to:<a@b>", "MX.EXAMPLE.ORG.", "@")
	f.Add("x", -1, "\xff\xfe\x00 user unknown", "\x00", "..", "a@b@c")

	f.Fuzz(func(t *testing.T, status string, reply int, text, command, remoteMTA, recipient string) {
		got := Classify(Input{Kind: KindFailure, Action: "failed", Status: status, ReplyCode: reply,
			Diagnostic: text, Command: command, RemoteMTA: remoteMTA, Recipient: recipient})
		if !validReason(got.Reason) {
			t.Errorf("reason %q not in Reasons", got.Reason)
		}
		if got.Provider == "" {
			t.Error("empty provider")
		}
	})
}

func validReason(r Reason) bool {
	for _, known := range Reasons {
		if r == known {
			return true
		}
	}
	return false
}

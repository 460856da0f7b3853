package dsn

import (
	"testing"

	"github.com/emersion/go-message/mail"
)

// checkPlainMailbox compares plainMailbox with mail.ParseAddressList on
// value wherever plainMailbox takes the value on.
func checkPlainMailbox(t *testing.T, value string) {
	t.Helper()

	addr, ok := plainMailbox(value)
	if !ok {
		return
	}
	list, err := mail.ParseAddressList(value)
	if err != nil || len(list) != 1 || list[0].Address != addr {
		t.Errorf("plainMailbox(%q) = %q; ParseAddressList gives %v, %v", value, addr, list, err)
	}
}

var mailboxSeeds = []string{
	"a@b.example", " a@b.example\t", "<a@b.example>", "Ann <a@b.example>", "Ann Lee  <a@b.example>",
	`"Lee, Ann" <a@b.example>`, `"" <a@b.example>`, "J.R. Doe <a.b@c.d>", "a.b+tag@c-d.example",
	"a..b@c", ".a@b", "a@b.", "a@b@c", "a@b <c@d>", "<a@b> x", "Ann <a@b>>", "=?utf-8?q?x?= <a@b>",
	"a@[192.0.2.1]", `"a b"@c`, "Ann (note) <a@b>", "a@b (Ann)", "a@b, c@d", "Grp: a@b;", "<>", "<a>", "",
}

func TestPlainMailbox_SameAsParseAddressList(t *testing.T) {
	for _, v := range mailboxSeeds {
		checkPlainMailbox(t, v)
	}

	pieces := []string{"a", "B", "1", "@", ".", "..", "<", ">", " ", "\t", `"`, "\\", ",", ":", ";", "(", ")", "[", "]",
		"-", "_", "+", "=?", "é", "x.y"}
	for _, v := range randomTexts(14, 200000, 10, pieces) {
		checkPlainMailbox(t, v)
	}

	// Every name with every address spec, in the shapes plainMailbox
	// takes on.
	names := []string{"", "Ann", "Ann  Lee", `"Lee, Ann"`, "J.R.", `""`, "Ann_2", "a@b", `"a\"b"`, "Ann\tLee", "=?x?q?y?="}
	specs := []string{"a@b.c", "a.b@c", "a+b@c.d", ".a@b", "a@b..c", "a b@c", "a@[1.2.3.4]", "a@b\u00e9"}
	for _, name := range names {
		for _, spec := range specs {
			checkPlainMailbox(t, spec)
			checkPlainMailbox(t, name+" <"+spec+">")
			checkPlainMailbox(t, name+"<"+spec+"> ")
		}
	}

	// Texts near the shapes plainMailbox takes on.
	near := []string{"ann", "b.c", "x", "@", "@", ".", " ", " <", ">", `"A, B" `, "Lee ", "-", `\`, "é", "(c)"}
	for _, v := range randomTexts(15, 200000, 8, near) {
		checkPlainMailbox(t, v)
	}
}

func TestPlainMailbox_TakesCommonShapes(t *testing.T) {
	for _, v := range []string{"a@b.example", "<a@b.example>", "Ann Lee <a@b.example>", `"Lee, Ann" <a@b.example>`} {
		if addr, ok := plainMailbox(v); !ok || addr != "a@b.example" {
			t.Errorf("plainMailbox(%q) = %q, %v, want a@b.example, true", v, addr, ok)
		}
	}
}

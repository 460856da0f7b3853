package dsn

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The regular expressions the scanners of codescan.go replaced, kept as
// the reference they are checked against.
var (
	refReplyWithStatusRE = regexp.MustCompile(
		`(?:^|[\s:;(\["'=])([2-5][0-5][0-9])[ -]['"]?#?([245]\.[0-9]{1,3}\.[0-9]{1,3})(\.?[0-9]*)`)
	refLeadingReplyRE   = regexp.MustCompile(`^([2-5][0-5][0-9])(?:[\s-]|$)`)
	refEnhancedStatusRE = regexp.MustCompile(
		`(?:^|[\s:;(\[#"'=<-])([245]\.[0-9]{1,3}\.[0-9]{1,3})(\.?[0-9]*)`)
)

func refFindReplyWithStatus(text string) (int, string) {
	for _, m := range refReplyWithStatusRE.FindAllStringSubmatch(text, -1) {
		code, status, tail := m[1], m[2], m[3]
		if code[0] != status[0] || tail != "" && tail != "." {
			continue
		}
		n, _ := strconv.Atoi(code)
		return n, status
	}
	return 0, ""
}

func refFindLeadingReply(text string) int {
	if m := refLeadingReplyRE.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func refFindEnhancedStatus(s string) string {
	for _, m := range refEnhancedStatusRE.FindAllStringSubmatch(s, -1) {
		if m[2] == "" || m[2] == "." {
			return m[1]
		}
	}
	return ""
}

// checkScanners compares the scanners with the reference expressions on
// one text.
func checkScanners(t *testing.T, text string) {
	t.Helper()

	code, status := findReplyWithStatus(text)
	wantCode, wantStatus := refFindReplyWithStatus(text)
	if code != wantCode || status != wantStatus {
		t.Errorf("findReplyWithStatus(%q) = %d, %q; regexp gives %d, %q", text, code, status, wantCode, wantStatus)
	}
	if got, want := findEnhancedStatus(text), refFindEnhancedStatus(text); got != want {
		t.Errorf("findEnhancedStatus(%q) = %q; regexp gives %q", text, got, want)
	}

	var leading int
	if isReplyCodeStart(text, 0) && (len(text) == 3 || isSpace(text[3]) || text[3] == '-') {
		leading = atoi(text[:3])
	}
	if want := refFindLeadingReply(text); leading != want {
		t.Errorf("leading reply code of %q = %d; regexp gives %d", text, leading, want)
	}
}

// codeScanSeeds are texts around the edges of the code syntax.
var codeScanSeeds = []string{
	"", "5", "550", "550 ", "550 5.1.1", "550-5.1.1 user unknown", "smtp; 550 5.1.1 <a@b>",
	"451 #4.4.1 no answer", "550-'5.2.2 mailbox full", "550 4.1.1 mismatch 550 5.1.1 next",
	"550 5.1.1234", "550 5.1.10", "550 5.1.1.", "550 5.1.1.2", "550 5.1234.1", "x550 5.1.1",
	"(550 5.7.1)", "host said: 554 5.7.1 blocked", "Status: 5.0.0 (permanent)", "#5.1.1",
	"<5.2.2>", "-4.4.7", "ip 10.5.1.1 and 5.1.1", "\f421\t4.7.0", "550\n5.1.1", "250 2.0.0 ok",
	"550 5.1.1. 4.2.2", "5.1.1.1.1 then 5.2.1",
}

func TestCodeScanners_SameAsRegexp(t *testing.T) {
	for _, text := range codeScanSeeds {
		checkScanners(t, text)
	}

	// Random texts over the bytes that matter to the syntax.
	chars := strings.Split("0123455555.... -#'\":;([=<>a\t\n", "")
	for _, text := range randomTexts(1, 200000, 24, chars) {
		checkScanners(t, text)
	}
}

// randomTexts returns n texts, each of up to maxPieces of pieces picked
// at random from a generator seeded with seed, so that runs repeat.
func randomTexts(seed uint64, n, maxPieces int, pieces []string) []string {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	texts := make([]string, n)
	for i := range texts {
		var b strings.Builder
		for range rng.IntN(maxPieces) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts[i] = b.String()
	}
	return texts
}

func FuzzCodeScanners(f *testing.F) {
	for _, text := range codeScanSeeds {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkScanners(t, text)
	})
}

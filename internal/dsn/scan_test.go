package dsn

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// multilineReplyRE is the expression that replyPrefixLen stands for.
var multilineReplyRE = regexp.MustCompile(`^([2-5][0-5][0-9])[ -](?:#?[245]\.[0-9]{1,3}\.[0-9]{1,3}\s)?`)

var replyPrefixSeeds = []string{
	"", "550", "550 ", "550-", "550-5.7.1 text", "550 5.7.1 text", "550 #5.1.1 x", "550 5.1.1",
	"550 5.1.1234 x", "550 5.1234.1 x", "550 5..1 x", "550 3.1.1 x", "650 5.1.1 x", "560 x",
	"550\t5.1.1 x", "550 5.1.1\tx", "550 5.1.1\fx", "550 5.1.1\vx", "550-#4.2.2\rx", "5505.1.1 x",
}

func TestReplyPrefixLen_SameAsRegexp(t *testing.T) {
	pieces := []string{"550", "421", "5", "4", "2", "0", "9", ".", "#", " ", "-", "\t", "\v", "\f", "x", "é"}
	texts := append(randomTexts(11, 100000, 10, pieces), replyPrefixSeeds...)
	for _, line := range texts {
		want := len(multilineReplyRE.FindString(line))
		if got := replyPrefixLen(line); got != want {
			t.Errorf("replyPrefixLen(%q) = %d; the expression matches %d bytes", line, got, want)
		}
	}
}

func TestCollapseSpace_SameAsFields(t *testing.T) {
	pieces := []string{"a", "bc", " ", "  ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u0085", "é", "\u2003", "\x01"}
	texts := append(randomTexts(12, 100000, 12, pieces), "", " ", "a", "a b", " a", "a ", "a  b")
	for _, s := range texts {
		want := strings.Join(strings.Fields(s), " ")
		if got := collapseSpace(s); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// containsAny reports whether text contains one of phrases.
func containsAny(text string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}

func TestPhraseSet_SameAsContains(t *testing.T) {
	checkPhraseSet(t, []string{"has been delayed", "é", "échec", "not a member", "Capital", "a", "エラー", "k"})
	checkPhraseSet(t, []string{"has been delayed", "not a member", "Capital", "a", "k", "ki", "i"})
}

func checkPhraseSet(t *testing.T, phrases []string) {
	t.Helper()
	set := newPhraseSet(phrases)
	pieces := []string{"has", "HAS", " been ", "Delayed", "\u00c9CHEC", "échec", "not a MEMBER", "capital", "Capital",
		"\u212a", "k", "エラー", "\xff", "x", " ", "\u0130", "i", "\u0131"}
	texts := append(randomTexts(13, 50000, 8, pieces), lowerCases...)
	for _, text := range texts {
		if got, want := containsPhraseLower(set, text), containsAny(strings.ToLower(text), phrases); got != want {
			t.Errorf("containsPhraseLower(%q) = %v, want %v", text, got, want)
		}
		if got, want := containsPhraseFold(set, []byte(text)), containsAny(asciiLower(text), phrases); got != want {
			t.Errorf("containsPhraseFold(%q) = %v, want %v", text, got, want)
		}
	}
}

// findFailedCommandLowered is findFailedCommand as it was written
// before it stopped copying the text: on asciiLower(text) throughout.
func findFailedCommandLowered(text string) string {
	lower := asciiLower(text)
	best, bestAt := "", len(lower)
	for _, trigger := range commandTriggers {
		for from := 0; from < bestAt; {
			i := strings.Index(lower[from:bestAt], trigger)
			if i < 0 {
				break
			}
			at := from + i
			if name := commandAt(lower[at+len(trigger):]); name != "" {
				best, bestAt = name, at
				break
			}
			from = at + len(trigger)
		}
	}
	if best == "" {
		for _, p := range qmailPhrases {
			if strings.Contains(lower, p.phrase) {
				return p.name
			}
		}
	}
	return best
}

func TestFindFailedCommand_SameOnLowered(t *testing.T) {
	pieces := []string{"in reply to ", "IN REPLY TO ", "after ", "After ", "progress was ", ">>> ", "[", "the ", "Our ",
		"final ", "RCPT TO", "rcpt", "Mail From", "data", "DATA", "end of ", "message", "helo", "x", " ", ":", "_to",
		"does not like recipient", "But My Name Was Rejected", "é", "\u212a",
		"did not like our ", "Response To ", "does not like sender", "but sender was rejected"}
	for _, text := range append(randomTexts(18, 100000, 8, pieces), strings.Repeat("after x ", 200)+"after data") {
		if got, want := findFailedCommand(text), findFailedCommandLowered(text); got != want {
			t.Errorf("findFailedCommand(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestEndsLine_SameAsLowerPrefix(t *testing.T) {
	pieces := []string{"b", "R", "/", "p", "D", "t", "l", "I", "\u0130", "\u212a", "x", "\xff"}
	for _, text := range randomTexts(19, 20000, 4, pieces) {
		name := []byte(text)[:min(len(text), 3)]
		tag := strings.ToLower(string(name))
		want := false
		for _, prefix := range []string{"br", "/p", "/d", "/t", "li"} {
			want = want || strings.HasPrefix(tag, prefix)
		}
		if got := endsLine(name); got != want {
			t.Errorf("endsLine(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestFindQuotedReply_SameAsExpression(t *testing.T) {
	pieces := []string{"said", "SAID", "Reply", "response", "response code", "responsecode", "replied", "responded",
		"error", "Error_Code", "failed with", "talk to me", "returned was", ">", "]", ":", ".", "...", "<<<",
		" ", "\t", "\n", "\v", ",", "-", "_", "x", "550", "421", "5", "65", "99"}
	texts := append(randomTexts(20, 100000, 10, pieces), "said: 550 ", "]: 550", "xsaid 550", "said 550:x", "said 550: x")
	matched := 0
	for _, text := range texts {
		want := 0
		if m := quotedReplyRE.FindStringSubmatch(text); m != nil {
			want = atoi(m[1])
			matched++
		}
		if got := findQuotedReply(text); got != want {
			t.Errorf("findQuotedReply(%q) = %d; the expression captures %d", text, got, want)
		}
	}
	if matched < len(texts)/100 {
		t.Errorf("the expression matched only %d of %d texts; the test covers too few codes", matched, len(texts))
	}
}

func TestByteSet_SameAsIndexByte(t *testing.T) {
	for _, chars := range []string{`()<>[]:;@\,".`, " \t.-_", "", "\x00\xff\x3f\x40\x7f\x80"} {
		set := newByteSet(chars)
		for c := range 256 {
			if got, want := set.has(byte(c)), strings.IndexByte(chars, byte(c)) >= 0; got != want {
				t.Errorf("newByteSet(%q).has(%#x) = %v, want %v", chars, c, got, want)
			}
		}
	}
}

// hasGiveUpPhraseLowered is hasGiveUpPhrase as it was written before it
// matched phrases without lower-casing the text: on asciiLower(text).
func hasGiveUpPhraseLowered(text string) bool {
	lower := asciiLower(text)
	for _, p := range giveUpPhrases {
		for rest := lower; ; {
			i := strings.Index(rest, p)
			if i < 0 {
				break
			}
			rest = rest[i+len(p):]
			if after := strings.TrimLeft(rest, " "); len(after) > 0 && isDigit(after[0]) {
				return true
			}
		}
	}
	return false
}

func TestHasGiveUpPhrase_SameOnLowered(t *testing.T) {
	pieces := []string{"Cannot send message for", "could not be delivered for", "WAS ABORTED AFTER", "was aborted after",
		" ", "  ", "5", "days", "x", "for", "\u212a", "é"}
	checkBoolScanner(t, "hasGiveUpPhrase", hasGiveUpPhrase, hasGiveUpPhraseLowered, randomTexts(23, 50000, 8, pieces))
}

// checkBoolScanner checks that scan reports what reference reports for
// each of texts, and that reference reports true for at least 1,000.
func checkBoolScanner(t *testing.T, name string, scan, reference func(string) bool, texts []string) {
	t.Helper()
	found := 0
	for _, text := range texts {
		want := reference(text)
		if got := scan(text); got != want {
			t.Errorf("%s(%q) = %v, want %v", name, text, got, want)
		}
		if want {
			found++
		}
	}
	if found < 1000 {
		t.Errorf("%s: only %d texts hold what it looks for; the test covers too few", name, found)
	}
}

func TestTrimSet_SameAsTrim(t *testing.T) {
	pieces := []string{" ", "\t", "\n", "\r", "-", "=", "a", "é", "\x00", "\xff"}
	for _, cutset := range []string{" \t", " \t\n", "\r\n", "\n\r \t", "-=:* ", ""} {
		set := newByteSet(cutset)
		for _, s := range randomTexts(26, 20000, 8, pieces) {
			if got, want := trimSet(s, set), strings.Trim(s, cutset); got != want {
				t.Errorf("trimSet(%q, %q) = %q, want %q", s, cutset, got, want)
			}
			if got, want := trimLeftSet([]byte(s), set), bytes.TrimLeft([]byte(s), cutset); !bytes.Equal(got, want) {
				t.Errorf("trimLeftSet(%q, %q) = %q, want %q", s, cutset, got, want)
			}
			if got, want := trimRightSet([]byte(s), set), bytes.TrimRight([]byte(s), cutset); !bytes.Equal(got, want) {
				t.Errorf("trimRightSet(%q, %q) = %q, want %q", s, cutset, got, want)
			}
		}
	}
}

func TestOriginalMarkers_HoldAnAnchor(t *testing.T) {
	for _, m := range originalMarkers {
		if !containsPhraseFold(originalMarkerAnchors, m) {
			t.Errorf("original marker %q holds none of originalMarkerAnchors, which isOriginalMarker requires", m)
		}
	}
}

func TestMayBeBounce_SameAsLowered(t *testing.T) {
	pieces := []string{"Multipart/Report", "delivery-status", "MAILER-DAEMON", "postmaster@", "the following addresses had",
		"x", " ", "\n", "é", "\u0130", "\u212a", "\xff", "mailer-", "daemon"}
	lowered := func(text string) bool {
		for _, sign := range nestedBounceSigns {
			if bytes.Contains(bytes.ToLower([]byte(text)), []byte(sign)) {
				return true
			}
		}
		return false
	}
	scan := func(text string) bool { return mayBeBounce([]byte(text)) }
	checkBoolScanner(t, "mayBeBounce", scan, lowered, randomTexts(31, 20000, 6, pieces))
}

func TestUnescapeEntities_SameAsReplacer(t *testing.T) {
	replacer := strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&nbsp;", " ", "&#64;", "@")
	pieces := []string{"&lt;", "&gt;", "&amp;", "&quot;", "&nbsp;", "&#64;", "&", "&am", "lt;", "#64;", "x", " ", "é"}
	for _, text := range randomTexts(36, 50000, 10, pieces) {
		want := replacer.Replace(text)
		if got := unescapeEntities([]byte(text)); string(got) != want {
			t.Errorf("unescapeEntities(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestQmailPhraseSet_KeepsListOrder checks that newPhraseSet left out
// none of qmailPhrases, because qmailCommand maps a phrase id back to
// its index in that list.
func TestQmailPhraseSet_KeepsListOrder(t *testing.T) {
	if got, want := len(qmailPhraseSet.phrases), len(qmailPhrases); got != want {
		t.Fatalf("qmailPhraseSet has %d phrases, want %d: a phrase was left out", got, want)
	}
	for i, p := range qmailPhrases {
		if got := qmailPhraseSet.phrases[i]; got != p.phrase {
			t.Errorf("qmailPhraseSet.phrases[%d] = %q, want %q", i, got, p.phrase)
		}
	}
}

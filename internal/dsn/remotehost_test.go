package dsn

import "testing"

// checkRemoteHost compares scanRemoteHost with remoteHostRE on one text.
func checkRemoteHost(t *testing.T, text string) {
	t.Helper()

	host, decided := scanRemoteHost(text)
	if !decided {
		return
	}
	want := ""
	if m := remoteHostRE.FindStringSubmatch(text); m != nil {
		want = m[1]
	}
	if host != want {
		t.Errorf("scanRemoteHost(%q) = %q; remoteHostRE gives %q", text, host, want)
	}
}

// remoteHostSeeds are quoted replies of several MTAs and texts around
// the edges of the expression.
var remoteHostSeeds = []string{
	"host mx.example.org [192.0.2.1] said: 550 5.1.1 unknown",
	"remote host 192.0.2.1 said: 550 no",
	"by mx.example.org. [192.0.2.1]",
	"talking to mail.example.com.:",
	"Host MX.Example.ORG[192.0.2.1] SAID: 554",
	"host foo.barsaid", "host foo.bar.said", "host [2001:db8::1]: refused",
	"server a.b (reason)", "nearby x.y:", "host  a-b.c-d :", "host -a.b:", "host a.:",
	"hostname a.b:", "rejected by a.b.c.d.e.f.g.h [1.2.3.4]", "host a.b [1.2.]x said",
	"by 192.0.2.1.", "by 192.0.2.1:", "host a..b:", "host a.b.]:", "host [a.b]:", "host a.b.[1]",
	"_host a.b:", "é host a.b:", "host\ta.b\t(", "host ſ.b:",
}

func TestScanRemoteHost_SameAsRegexp(t *testing.T) {
	for _, text := range remoteHostSeeds {
		checkRemoteHost(t, text)
	}

	// Random texts over the bytes that matter to the expression.
	words := []string{"host", "HOST", "server", "by", "talking to", "said", "SAID", "[", "]", "(", ":", ".", "-", " ", "\t", "a", "b", "1", "f", "x", "_", "é", "s"}
	for _, text := range randomTexts(3, 200000, 14, words) {
		checkRemoteHost(t, text)
	}
}

func FuzzScanRemoteHost(f *testing.F) {
	for _, text := range remoteHostSeeds {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkRemoteHost(t, text)
	})
}

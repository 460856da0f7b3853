package classify

import "testing"

func TestDetectProvider(t *testing.T) {
	tests := []struct {
		name       string
		remoteMTA  string
		recipient  string
		diagnostic string
		want       Provider
	}{
		{"gmail by host", "gmail-smtp-in.l.google.com", "a@gmail.com", "550 5.1.1 no such user", ProviderGmail},
		{"workspace by host and custom domain", "aspmx.l.google.com", "a@example.com", "550 5.1.1 no such user", ProviderGoogleWorkspace},
		{"workspace by gsmtp text", "", "a@example.com", "550-5.7.26 unauthenticated gsmtp", ProviderGoogleWorkspace},
		{"gmail by domain alone", "", "a@gmail.com", "550 5.1.1", ProviderGmail},
		{"microsoft 365 host", "example-com.mail.protection.outlook.com", "a@example.com", "550 5.7.1", ProviderMicrosoft},
		{"hotmail domain", "", "A@Hotmail.com", "550 5.5.0", ProviderMicrosoft},
		{"microsoft 365 tenant domain", "", "a@contoso.onmicrosoft.com", "550 5.1.10 recipient not found", ProviderMicrosoft},
		{"aol is on yahoo", "", "a@aol.com", "", ProviderYahoo},
		{"att.net is on yahoo", "", "a@att.net", "", ProviderYahoo},
		{"yahoo MX for another domain", "mx-att.mail.am0.yahoodns.net", "a@example.net", "", ProviderYahoo},
		{"yahoo TSS code in text", "", "a@example.net", "421 4.7.0 [TSS04] deferred", ProviderYahoo},
		{"cloudfilter host for cox", "cxr.mx.a.cloudfilter.net", "a@cox.net", "552 5.2.0 AUP#POL", ProviderCox},
		{"cloudfilter host for charter", "mx0.a.cloudfilter.net", "a@charter.net", "", ProviderCharterSpectrum},
		{"cloudfilter host for another domain", "mx.a.cloudfilter.net", "a@example.org", "", ProviderCloudmark},
		{"charter by cmsmtp text", "", "a@example.org", "554 cmsmtp blocked AUP#In-1020", ProviderCharterSpectrum},
		{"proofpoint host", "mx0a-001.pphosted.com", "a@example.com", "", ProviderProofpoint},
		{"mimecast host", "eu-smtp-inbound-1.mimecast.com", "a@example.co.uk", "", ProviderMimecast},
		{"host beats domain", "mx1.comcast.net", "a@example.org", "", ProviderComcast},
		{"apple", "mx01.mail.icloud.com", "a@me.com", "", ProviderApple},
		{"gmx", "mx00.emig.gmx.net", "a@gmx.de", "", ProviderGMX},
		{"web.de", "mx-ha03.web.de", "a@web.de", "", ProviderWebDE},
		{"orange", "", "a@wanadoo.fr", "", ProviderOrange},
		{"mail.ru", "mxs.mail.ru", "a@bk.ru", "", ProviderMailRu},
		{"yandex", "mx.yandex.net", "a@ya.ru", "", ProviderYandex},
		{"zoho", "mx.zoho.com", "a@zohomail.com", "", ProviderZoho},
		{"centurylink", "", "a@centurylink.net", "", ProviderCenturyLink},
		{"unknown", "mx.example.org", "a@example.org", "550 5.1.1 user unknown", ProviderOther},
		{"nothing", "", "", "", ProviderOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(Input{Kind: KindFailure, Action: "failed", RemoteMTA: tt.remoteMTA, Recipient: tt.recipient, Diagnostic: tt.diagnostic})
			if got.Provider != tt.want {
				t.Errorf("Provider = %q, want %q", got.Provider, tt.want)
			}
		})
	}
}

// TestClassify_RuleProviderWins checks that a signature owned by one
// provider names it even when nothing else does.
func TestClassify_RuleProviderWins(t *testing.T) {
	got := Classify(failure("5.7.1", 550, "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)"))
	if got.Provider != ProviderMicrosoft {
		t.Errorf("Provider = %q, want %q", got.Provider, ProviderMicrosoft)
	}
}

func TestNormalizeCommand(t *testing.T) {
	for in, want := range map[string]string{
		"RCPT TO:<a@b>": "RCPT", "rcpt": "RCPT", "MAIL FROM:<>": "MAIL", "ehlo": "HELO", "HELO": "HELO",
		"DATA": "DATA", "end of DATA": "DATA", "BDAT": "DATA", "CONNECT": "CONNECT", "greeting": "CONNECT",
		"": "", "QUIT": "",
	} {
		if got := normalizeCommand(in); got != want {
			t.Errorf("normalizeCommand(%q) = %q, want %q", in, got, want)
		}
	}
}

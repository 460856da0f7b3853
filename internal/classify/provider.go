package classify

import "strings"

// Provider is the mailbox or filtering provider that produced a rejection.
// The set is closed, because it is a metric label; anything not in it is
// ProviderOther.
type Provider string

// Providers known by name. Yahoo covers AOL and the consumer domains it
// hosts; Microsoft covers both Outlook.com and Microsoft 365.
const (
	ProviderGmail           Provider = "gmail"
	ProviderGoogleWorkspace Provider = "google_workspace"
	ProviderMicrosoft       Provider = "microsoft"
	ProviderYahoo           Provider = "yahoo"
	ProviderApple           Provider = "apple"
	ProviderCox             Provider = "cox"
	ProviderComcast         Provider = "comcast"
	ProviderATT             Provider = "att"
	ProviderCharterSpectrum Provider = "charter_spectrum"
	ProviderCenturyLink     Provider = "centurylink"
	ProviderVerizon         Provider = "verizon"
	ProviderGMX             Provider = "gmx"
	ProviderWebDE           Provider = "web_de"
	ProviderOrange          Provider = "orange"
	ProviderMailRu          Provider = "mail_ru"
	ProviderYandex          Provider = "yandex"
	ProviderZoho            Provider = "zoho"
	ProviderProofpoint      Provider = "proofpoint"
	ProviderMimecast        Provider = "mimecast"
	ProviderCloudmark       Provider = "cloudmark"
	ProviderOther           Provider = "other"
)

// Providers lists every Provider, ProviderOther last.
var Providers = []Provider{
	ProviderGmail, ProviderGoogleWorkspace, ProviderMicrosoft, ProviderYahoo,
	ProviderApple, ProviderCox, ProviderComcast, ProviderATT,
	ProviderCharterSpectrum, ProviderCenturyLink, ProviderVerizon, ProviderGMX,
	ProviderWebDE, ProviderOrange, ProviderMailRu, ProviderYandex, ProviderZoho,
	ProviderProofpoint, ProviderMimecast, ProviderCloudmark, ProviderOther,
}

// providerHosts maps the domain of a remote MTA's host name to the
// provider that runs it. Google's MX hosts serve both Gmail and Google
// Workspace; detectProvider tells them apart by the recipient's domain.
var providerHosts = map[string]Provider{
	"google.com": ProviderGmail, "googlemail.com": ProviderGmail,
	"outlook.com": ProviderMicrosoft, "hotmail.com": ProviderMicrosoft, "office365.com": ProviderMicrosoft,
	"live.com": ProviderMicrosoft, "msn.com": ProviderMicrosoft,
	"yahoodns.net": ProviderYahoo, "yahoo.com": ProviderYahoo, "aol.com": ProviderYahoo, "yahoo.net": ProviderYahoo,
	"icloud.com": ProviderApple, "me.com": ProviderApple, "apple.com": ProviderApple,
	"cox.net": ProviderCox, "cox.com": ProviderCox,
	"comcast.net": ProviderComcast, "xfinity.com": ProviderComcast,
	"att.net": ProviderATT, "prodigy.net": ProviderATT,
	"charter.net": ProviderCharterSpectrum, "rr.com": ProviderCharterSpectrum, "spectrum.net": ProviderCharterSpectrum,
	"centurylink.net": ProviderCenturyLink, "centurylink.com": ProviderCenturyLink, "synacor.com": ProviderCenturyLink,
	"verizon.net": ProviderVerizon,
	"gmx.net":     ProviderGMX, "gmx.com": ProviderGMX, "gmx.de": ProviderGMX,
	"web.de":    ProviderWebDE,
	"orange.fr": ProviderOrange, "wanadoo.fr": ProviderOrange,
	"mail.ru":    ProviderMailRu,
	"yandex.net": ProviderYandex, "yandex.ru": ProviderYandex,
	"zoho.com": ProviderZoho, "zoho.eu": ProviderZoho, "zohomail.com": ProviderZoho,
	"pphosted.com": ProviderProofpoint, "ppe-hosted.com": ProviderProofpoint, "proofpoint.com": ProviderProofpoint,
	"mimecast.com": ProviderMimecast, "mimecast-offshore.com": ProviderMimecast,
	"cloudfilter.net": ProviderCloudmark, "cloudmark.com": ProviderCloudmark,
}

// providerDomains maps a recipient's domain to the provider that hosts
// its mailboxes. Consumer domains move between platforms: AOL and Verizon
// mailboxes are on Yahoo, and since 2025 AT&T's consumer domains point
// their MX records at Yahoo too.
//
// NOTE: Comcast started moving its mailboxes to Yahoo in 2025 as well; its
// domains stay under comcast until a bounce's remote MTA says otherwise.
var providerDomains = map[string]Provider{
	"gmail.com": ProviderGmail, "googlemail.com": ProviderGmail,
	"outlook.com": ProviderMicrosoft, "hotmail.com": ProviderMicrosoft, "live.com": ProviderMicrosoft,
	"msn.com": ProviderMicrosoft, "hotmail.co.uk": ProviderMicrosoft, "hotmail.fr": ProviderMicrosoft,
	"outlook.jp": ProviderMicrosoft, "live.jp": ProviderMicrosoft, "passport.com": ProviderMicrosoft,
	// Every Microsoft 365 tenant gets a NAME.onmicrosoft.com domain,
	// whose mail only Exchange Online receives.
	"onmicrosoft.com": ProviderMicrosoft,
	"yahoo.com":       ProviderYahoo, "yahoo.co.uk": ProviderYahoo, "yahoo.fr": ProviderYahoo, "yahoo.de": ProviderYahoo,
	"ymail.com": ProviderYahoo, "rocketmail.com": ProviderYahoo, "aol.com": ProviderYahoo, "aim.com": ProviderYahoo,
	"verizon.net": ProviderYahoo, "att.net": ProviderYahoo, "sbcglobal.net": ProviderYahoo,
	"bellsouth.net": ProviderYahoo, "pacbell.net": ProviderYahoo, "ameritech.net": ProviderYahoo,
	"flash.net": ProviderYahoo, "nvbell.net": ProviderYahoo, "prodigy.net": ProviderYahoo,
	"snet.net": ProviderYahoo, "swbell.net": ProviderYahoo, "wans.net": ProviderYahoo, "currently.com": ProviderYahoo,
	"frontier.com": ProviderYahoo,
	"icloud.com":   ProviderApple, "me.com": ProviderApple, "mac.com": ProviderApple,
	"cox.net":     ProviderCox,
	"comcast.net": ProviderComcast, "xfinity.com": ProviderComcast,
	"charter.net": ProviderCharterSpectrum, "spectrum.net": ProviderCharterSpectrum, "rr.com": ProviderCharterSpectrum,
	"roadrunner.com": ProviderCharterSpectrum, "twc.com": ProviderCharterSpectrum, "brighthouse.com": ProviderCharterSpectrum,
	"centurylink.net": ProviderCenturyLink, "centurytel.net": ProviderCenturyLink, "embarqmail.com": ProviderCenturyLink,
	"q.com":  ProviderCenturyLink,
	"gmx.de": ProviderGMX, "gmx.net": ProviderGMX, "gmx.com": ProviderGMX, "gmx.at": ProviderGMX, "gmx.ch": ProviderGMX,
	"web.de":    ProviderWebDE,
	"orange.fr": ProviderOrange, "wanadoo.fr": ProviderOrange,
	"mail.ru": ProviderMailRu, "bk.ru": ProviderMailRu, "inbox.ru": ProviderMailRu, "list.ru": ProviderMailRu,
	"yandex.ru": ProviderYandex, "yandex.com": ProviderYandex, "ya.ru": ProviderYandex,
	"zoho.com": ProviderZoho, "zohomail.com": ProviderZoho,
}

// providerSignals are phrases of diagnostic texts, lower-case, that name
// the rejecting provider: its host names, postmaster pages and own codes.
var providerSignals = map[Provider][]string{
	ProviderGmail:           {"gsmtp", "support.google.com/mail", "google.com/mail", "mx.google.com"},
	ProviderMicrosoft:       {"protection.outlook.com", "outlook.com", "hotmail.com", "office365", "(s3140)", "(s3150)", "sender.office.com", "prod.exchangelabs.com"},
	ProviderYahoo:           {"yahoodns.net", "postmaster.yahooinc.com", "postmaster.yahoo.com", "senders.yahooinc.com", "[tss0", "[ts0", "yahoo.com"},
	ProviderApple:           {"icloud.com", "support.apple.com", "mail.me.com"},
	ProviderCox:             {"cox.net", "cox.com"},
	ProviderComcast:         {"comcast.net", "xfinity.com", "comcast"},
	ProviderCharterSpectrum: {"charter.net", "spectrum.net", "spectrum.com", "cmsmtp", "aup#in-", "aup#out-"},
	ProviderGMX:             {"gmx.net", "gmx.com"},
	ProviderWebDE:           {"web.de"},
	ProviderOrange:          {"orange.fr", "wanadoo.fr"},
	ProviderMailRu:          {"mail.ru"},
	ProviderYandex:          {"yandex"},
	ProviderZoho:            {"zoho.com", "zoho.eu", "zohomail"},
	ProviderProofpoint:      {"pphosted.com", "ppe-hosted.com", "proofpoint"},
	ProviderMimecast:        {"mimecast"},
	ProviderCloudmark:       {"cloudmark", "cloudfilter.net"},
}

// signalOrder is the order in which detectProvider tries the text signals:
// a hosting or filtering service named in the text is a weaker signal than
// the mailbox provider's own host names, so the filters come last.
var signalOrder = []Provider{
	ProviderGmail, ProviderMicrosoft, ProviderYahoo, ProviderApple, ProviderCox, ProviderCharterSpectrum,
	ProviderComcast, ProviderGMX, ProviderWebDE, ProviderOrange, ProviderMailRu, ProviderYandex, ProviderZoho,
	ProviderMimecast, ProviderProofpoint, ProviderCloudmark,
}

// providerSignalIDs registers the text signals with lits, indexed like
// signalOrder.
func providerSignalIDs(lits *literalTable) [][]int32 {
	ids := make([][]int32, len(signalOrder))
	for i, p := range signalOrder {
		for _, s := range providerSignals[p] {
			ids[i] = append(ids[i], lits.add(s))
		}
	}
	return ids
}

// detectProvider decides which provider rejected the message: first from
// the remote MTA's host name, then from the provider's names and codes in
// the diagnostic text, and last from the recipient's domain. A filtering
// service that hosts a provider's MX (Cloudmark's cloudfilter.net serves
// Cox and Charter) counts as that provider when the recipient's domain is
// one of its; Google's hosts count as Google Workspace for any recipient
// domain but Gmail's own.
func (s *RuleSet) detectProvider(in Input, hits *literalSet) Provider {
	byDomain := lookupDomain(providerDomains, domainOf(in.Recipient))

	p := lookupDomain(providerHosts, in.RemoteMTA)
	if p == "" {
		p = s.providerFromText(hits)
	}
	if p == "" {
		p = byDomain
	}

	switch {
	case p == "":
		return ProviderOther
	case p == ProviderGmail && byDomain != ProviderGmail && byDomain != "":
		return ProviderGoogleWorkspace
	case p == ProviderGmail && byDomain == "" && in.Recipient != "":
		return ProviderGoogleWorkspace
	case p == ProviderCloudmark && (byDomain == ProviderCox || byDomain == ProviderCharterSpectrum):
		return byDomain
	}
	return p
}

func (s *RuleSet) providerFromText(hits *literalSet) Provider {
	for i, ids := range s.providerLiterals {
		if hits.any(ids) {
			return signalOrder[i]
		}
	}
	return ""
}

// lookupDomain finds host or its closest parent domain in table. It does
// not allocate unless host has upper-case letters.
func lookupDomain(table map[string]Provider, host string) Provider {
	host = strings.TrimSuffix(strings.TrimSpace(host), ".")
	if hasUpper(host) {
		host = strings.ToLower(host)
	}
	for host != "" {
		if p, ok := table[host]; ok {
			return p
		}
		_, parent, ok := strings.Cut(host, ".")
		if !ok {
			break
		}
		host = parent
	}
	return ""
}

func domainOf(address string) string {
	i := strings.LastIndexByte(address, '@')
	if i < 0 {
		return ""
	}
	return strings.TrimRight(address[i+1:], ">")
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

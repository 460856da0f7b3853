package classify

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

// detectProvider decides the provider of a result.
//
// TODO: decide from the remote MTA, the diagnostic text and the
// recipient's domain.
func detectProvider(in Input) Provider {
	return ProviderOther
}

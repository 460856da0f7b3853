package dsn

import "strings"

// listRejectionPhrases are phrases, lower-cased, with which a mailing
// list manager refuses a post from a sender it does not let post, as
// fml 4 ("You are not a member of this mailing list <list@example.org>.")
// and Mailman 2 and 3 ("You are not allowed to post to this mailing
// list, and ...") write them. Such a notice comes from the list's own
// address, not a mail system, and carries no delivery-status part.
var listRejectionPhrases = []string{
	"not a member of this mailing list",
	"not a member of this list",
	"not allowed to post to this mailing list",
	"not allowed to post to this list",
}

// listRejection reads a list manager's refusal of a post. The failed
// recipient is the list address that the refusal names.
//
// NOTE: only a refusal that names the list in angle brackets on the
// phrase's line, as fml does, is read. Mailman names the list by its
// display name in the line above, so its refusals stay unparsed.
type listRejection struct{}

func (listRejection) name() string { return "list-rejection" }

func (listRejection) detect(*headerSummary) bool { return false }

func (listRejection) extract(m *bounceMessage) []Recipient {
	for i, line := range m.plain.lines {
		if !hasListRejectionPhrase(line) {
			continue
		}
		addr := listAddressIn(line)
		if addr == "" {
			return nil
		}
		return []Recipient{{
			FinalRecipient: addr,
			DiagnosticCode: joinReplyLines(paragraphAt(m.plain.lines, i)),
		}}
	}
	return nil
}

func hasListRejectionPhrase(line string) bool {
	return containsPhraseLower(listRejectionPhraseSet, line)
}

var listRejectionPhraseSet = newPhraseSet(listRejectionPhrases)

// listAddressIn returns the first address in angle brackets in line, the
// form in which list managers name the list.
func listAddressIn(line string) string {
	for {
		open := strings.IndexByte(line, '<')
		if open < 0 {
			return ""
		}
		if addr := angleAddressAfter(line[open:]); addr != "" {
			return addr
		}
		line = line[open+1:]
	}
}

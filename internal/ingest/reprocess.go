package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/bounced/bounced/internal/store"
)

// ReprocessResult counts what Reprocess did.
type ReprocessResult struct {
	Messages int `json:"messages"` // messages analysed again
	Events   int `json:"events"`   // events stored in place of the old ones
	Unparsed int `json:"unparsed"` // messages that still do not parse
}

// reprocessPage is the number of messages read per store call.
const reprocessPage = 100

// Reprocess runs Analyze again over every stored raw message received at
// or after since, replaces each message's events with the new ones and
// lets the store rebuild the suppressions of the recipients involved.
// Quarantined messages that now parse leave the quarantine. Messages
// whose raw bytes retention has deleted are skipped.
func (p *Pipeline) Reprocess(ctx context.Context, since time.Time) (ReprocessResult, error) {
	var res ReprocessResult
	var after uint64
	for {
		msgs, last, err := p.store.Messages(since, after, reprocessPage)
		if err != nil || last == 0 {
			return res, err
		}
		if len(msgs) == 0 {
			after = last
			continue
		}
		replacements := make([]store.Replacement, 0, len(msgs))
		for _, msg := range msgs {
			_, events, parseErr := AnalyzeWith(msg.Raw, envelopeOf(msg), p.classifier)
			r := store.Replacement{MessageID: msg.ID, Events: events}
			if parseErr != nil {
				r.ParseError = parseErr.Error()
				res.Unparsed++
			}
			replacements = append(replacements, r)
			res.Events += len(events)
		}
		// One transaction per page, so that a recipient of many of the
		// messages has its history replayed once per page.
		if err := p.store.ReplaceAllEvents(ctx, replacements); err != nil {
			return res, fmt.Errorf("reprocessing messages %d to %d: %w", msgs[0].ID, last, err)
		}
		res.Messages += len(msgs)
		after = last
	}
}

func envelopeOf(msg store.Message) Envelope {
	return Envelope{
		RemoteAddr: msg.RemoteAddr,
		MailFrom:   msg.MailFrom,
		RcptTo:     msg.RcptTo,
		Received:   msg.Received,
		Size:       msg.Size,
		Truncated:  msg.Truncated,

		RequireVerified:   msg.RequireVerified,
		VerifiedRecipient: msg.VerifiedRecipient,
	}
}

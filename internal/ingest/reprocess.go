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
		for _, msg := range msgs {
			_, events, parseErr := AnalyzeWith(msg.Raw, envelopeOf(msg), p.classifier)
			errText := ""
			if parseErr != nil {
				errText = parseErr.Error()
				res.Unparsed++
			}
			if err := p.store.ReplaceEvents(ctx, msg.ID, errText, events); err != nil {
				return res, fmt.Errorf("reprocessing message %d: %w", msg.ID, err)
			}
			res.Messages++
			res.Events += len(events)
		}
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

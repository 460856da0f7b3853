package httpapi

import (
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/bounced/bounced/internal/classify"
	"github.com/bounced/bounced/internal/ingest"
	"github.com/bounced/bounced/internal/store"
)

// maxImportBytes bounds one imported message, like the SMTP server's
// ceiling.
const maxImportBytes = 64 << 20

func (a *api) eventFilter(r *http.Request) (store.EventFilter, error) {
	f := store.EventFilter{Domain: r.URL.Query().Get("domain")}
	var err error
	if f.Reason, err = a.reasonParam(r); err != nil {
		return f, err
	}
	if f.Provider, err = enumParam(r, "provider", classify.Providers); err != nil {
		return f, err
	}
	if f.Policy, err = enumParam(r, "policy", classify.Policies); err != nil {
		return f, err
	}
	q := r.URL.Query()
	if v := q.Get("recipient"); v != "" {
		addr, err := address("recipient", v, false)
		if err != nil {
			return f, err
		}
		f.Recipient = addr
	}
	if f.Since, err = timeParam(r, "since"); err != nil {
		return f, err
	}
	if f.Until, err = timeParam(r, "until"); err != nil {
		return f, err
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, invalid("until", "until %s is not after since %s", f.Until.Format(time.RFC3339), f.Since.Format(time.RFC3339))
	}
	return f, nil
}

func (a *api) listEvents(w http.ResponseWriter, r *http.Request) {
	listPage(a, w, r, a.eventFilter, a.store.Events)
}

// getEvent returns one event. Its rule field names the classifier rule,
// suppression_rule and decision the policy rule that decided it.
func (a *api) getEvent(w http.ResponseWriter, r *http.Request) {
	ev, ok := a.event(w, r)
	if ok {
		writeJSON(w, http.StatusOK, ev)
	}
}

func (a *api) getEventRaw(w http.ResponseWriter, r *http.Request) {
	ev, ok := a.event(w, r)
	if !ok {
		return
	}
	if ev.MessageID == 0 {
		writeError(w, http.StatusNotFound, "no_message", "the event was recorded by an operator and has no message")
		return
	}
	a.writeRaw(w, r, ev.MessageID)
}

func (a *api) getMessageRaw(w http.ResponseWriter, r *http.Request) {
	id, err := idParam(r)
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	a.writeRaw(w, r, id)
}

// event reads the event of the id in the path. When that fails, it writes
// the error response itself and returns false.
func (a *api) event(w http.ResponseWriter, r *http.Request) (store.Event, bool) {
	id, err := idParam(r)
	if err != nil {
		a.writeRequestError(w, r, err)
		return store.Event{}, false
	}
	ev, err := a.store.Event(id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "event_not_found", "no event with this id")
		return ev, false
	case err != nil:
		a.writeInternal(w, r, err)
		return ev, false
	}
	return ev, true
}

// writeRaw sends the stored bytes of message id as message/rfc822.
func (a *api) writeRaw(w http.ResponseWriter, r *http.Request, id uint64) {
	msg, err := a.store.Message(id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "message_not_found", "no message with this id")
	case err != nil:
		a.writeInternal(w, r, err)
	case msg.Raw == nil:
		writeError(w, http.StatusGone, "raw_expired", "the raw message is past its retention and was deleted")
	default:
		w.Header().Set("Content-Type", "message/rfc822")
		w.Write(msg.Raw)
	}
}

func (a *api) listQuarantine(w http.ResponseWriter, r *http.Request) {
	noFilter := func(*http.Request) (struct{}, error) { return struct{}{}, nil }
	listPage(a, w, r, noFilter, func(_ struct{}, cursor string, limit int) ([]store.Message, string, error) {
		return a.store.Quarantine(cursor, limit)
	})
}

// postMessage ingests one raw message (the request body) through the same
// pipeline as SMTP; `bounced import` sends each message of a mailbox
// here. The query may give the envelope: mail_from and rcpt (repeated).
// A message whose bytes were posted before is not stored again, so a
// mailbox imported twice counts once.
func (a *api) postMessage(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes))
	if err != nil {
		writeInvalid(w, "body", "reading the message failed or it exceeds 64 MiB: "+err.Error())
		return
	}
	if len(raw) == 0 {
		writeInvalid(w, "body", "the message is empty")
		return
	}

	q := r.URL.Query()
	env := ingest.Envelope{
		RemoteAddr: "import:" + r.RemoteAddr,
		MailFrom:   q.Get("mail_from"),
		RcptTo:     q["rcpt"],
		Received:   time.Now(),
		Size:       int64(len(raw)),
		Imported:   true,
	}
	receipt, err := a.pipeline.Ingest(r.Context(), env, raw)
	if err != nil {
		a.writeInternal(w, r, err)
		return
	}
	resp := struct {
		MessageID  uint64 `json:"message_id"`
		Recipients int    `json:"recipients"`
		Suppressed int    `json:"suppressed"`
		Duplicate  bool   `json:"duplicate,omitempty"`
		ParseError string `json:"parse_error,omitempty"`
	}{receipt.MessageID, receipt.Recipients, receipt.Suppressed, receipt.Duplicate, ""}
	if receipt.ParseError != nil {
		resp.ParseError = receipt.ParseError.Error()
	}
	writeJSON(w, http.StatusOK, resp)
}

// postReprocess runs the stored raw messages received since the since
// parameter (all when absent) through the parser and classifier again.
// It returns when done, which for a large store takes a while.
func (a *api) postReprocess(w http.ResponseWriter, r *http.Request) {
	since, err := timeParam(r, "since")
	if err != nil {
		a.writeRequestError(w, r, err)
		return
	}
	res, err := a.pipeline.Reprocess(r.Context(), since)
	if err != nil {
		a.writeInternal(w, r, err)
		return
	}
	a.log.Info("reprocessed", "since", since, "messages", res.Messages, "events", res.Events, "unparsed", res.Unparsed)
	writeJSON(w, http.StatusOK, res)
}

package dsn

import (
	"bytes"
	"encoding/json"
	"strings"
)

// sesNotification reads the JSON event notifications of Amazon SES, sent
// by mail through Amazon SNS: a bounce, complaint or delivery event,
// either bare or as the Message string of an SNS envelope. Field names
// follow the SES notification contents reference.
type sesNotification struct{}

func (sesNotification) name() string { return "amazon-ses" }

func (sesNotification) detect(s *headerSummary) bool {
	return strings.Contains(s.from, "amazonaws.com") || strings.Contains(s.subject, "aws notification")
}

// sesEvent is the part of an SES notification this package uses.
type sesEvent struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`

	Bounce *struct {
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Action         string `json:"action"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
		ReportingMTA string `json:"reportingMTA"`
	} `json:"bounce"`

	Complaint *struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
		FeedbackType string `json:"complaintFeedbackType"`
	} `json:"complaint"`

	Delivery *struct {
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
	} `json:"delivery"`

	Mail struct {
		CommonHeaders struct {
			MessageID string   `json:"messageId"`
			From      []string `json:"from"`
			To        []string `json:"to"`
			Subject   string   `json:"subject"`
		} `json:"commonHeaders"`
	} `json:"mail"`
}

// snsEnvelope is an Amazon SNS notification whose Message is the SES
// event as a JSON string.
type snsEnvelope struct {
	Type    string `json:"Type"`
	Message string `json:"Message"`
}

func (sesNotification) extract(m *bounceMessage) []Recipient {
	ev, ok := decodeSESEvent(m.prose)
	if !ok {
		return nil
	}
	m.original = ev.original()

	switch {
	case ev.Bounce != nil:
		return sesBounceRecipients(ev)
	case ev.Complaint != nil:
		m.kind, m.feedbackType = KindComplaint, strings.ToLower(ev.Complaint.FeedbackType)
		if m.feedbackType == "" {
			m.feedbackType = "abuse"
		}
		var rcpts []Recipient
		for _, r := range ev.Complaint.ComplainedRecipients {
			rcpts = append(rcpts, Recipient{FinalRecipient: r.EmailAddress})
		}
		return rcpts
	case ev.Delivery != nil:
		return sesDeliveryRecipients(ev)
	}
	return nil
}

// decodeSESEvent finds the JSON object in text and decodes it, unwrapping
// an SNS envelope. Lines that a mail system split at 990 octets with
// "!\n " (Sendmail's habit) are joined back first.
func decodeSESEvent(text []byte) (*sesEvent, bool) {
	start := bytes.IndexByte(text, '{')
	end := bytes.LastIndexByte(text, '}')
	if start < 0 || end < start {
		return nil, false
	}
	data := bytes.ReplaceAll(text[start:end+1], []byte("!\n "), nil)

	var env snsEnvelope
	if err := json.Unmarshal(data, &env); err == nil && env.Message != "" {
		data = []byte(env.Message)
	}
	var ev sesEvent
	if err := json.Unmarshal(data, &ev); err != nil {
		return nil, false
	}
	return &ev, ev.NotificationType != "" || ev.EventType != ""
}

func sesBounceRecipients(ev *sesEvent) []Recipient {
	var rcpts []Recipient
	for _, b := range ev.Bounce.BouncedRecipients {
		r := Recipient{
			FinalRecipient: b.EmailAddress,
			Action:         parseAction(b.Action),
			Status:         findEnhancedStatus(b.Status),
		}
		r.DiagnosticType, r.DiagnosticCode = parseDiagnosticCode([]string{b.DiagnosticCode})
		r.ReplyCode, r.DiagnosticStatus = scanDiagnostic(r.DiagnosticCode)
		rcpts = append(rcpts, r)
	}
	return rcpts
}

func sesDeliveryRecipients(ev *sesEvent) []Recipient {
	var rcpts []Recipient
	for _, addr := range ev.Delivery.Recipients {
		r := Recipient{FinalRecipient: addr, Action: ActionDelivered, DiagnosticCode: ev.Delivery.SMTPResponse}
		r.ReplyCode, r.Status = scanDiagnostic(r.DiagnosticCode)
		rcpts = append(rcpts, r)
	}
	return rcpts
}

// original returns what the event's commonHeaders tell of the original.
func (ev *sesEvent) original() *Original {
	h := ev.Mail.CommonHeaders
	o := &Original{MessageID: parseMessageID(h.MessageID), Subject: h.Subject}
	if len(h.From) > 0 {
		o.From = firstOf(bracketedAddresses(h.From[0]), h.From[0])
	}
	o.To = strings.Join(h.To, ", ")
	return o
}

// firstOf returns the first of list, or fallback when list is empty.
func firstOf(list []string, fallback string) string {
	if len(list) > 0 {
		return list[0]
	}
	return fallback
}

package feedback

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coachmail/coachmail/internal/coaching"
)

// ErrMalformed is returned, wrapped, by Decode for a message that is not an
// SES notification it can use. Retrying will not help.
var ErrMalformed = errors.New("feedback: malformed notification")

// Type is the kind of an SES notification, as SES names it.
type Type string

// The types the handler acts on. SES names others (Delivery, Send, Reject,
// DeliveryDelay, Open, Click, Rendering Failure, Subscription,
// AmazonSnsSubscriptionSucceeded); Decode returns them as given, and the
// handler acknowledges them without a change.
const (
	Bounce    Type = "Bounce"
	Complaint Type = "Complaint"
)

// Bounce types (bounce.bounceType).
const (
	Permanent    = "Permanent"
	Transient    = "Transient"
	Undetermined = "Undetermined"
)

// NotSpam is the complaint feedback type (RFC 5965 section 7.3) a mailbox
// provider sends when the recipient said a message is not spam.
const NotSpam = "not-spam"

// Limits of Decode.
const (
	// MaxSize is the largest message Decode reads: SNS carries at most
	// 256 KiB.
	MaxSize = 256 << 10
	// MaxRecipients bounds the recipients of one notification. SES sends to
	// at most 50 per message, so a real notification never comes near it.
	MaxRecipients = 100
	// maxAddress is the longest address kept (RFC 5321 section 4.5.3.1.3
	// bounds a path at 256 octets, angle brackets included).
	maxAddress = 254
	// maxDiagnostic bounds the diagnostic text kept for the coach's notice.
	maxDiagnostic = 300
	// maxField bounds the other strings kept (ids, types).
	maxField = 200
)

// Notification is what coachmail uses of an SES bounce or complaint
// notification (feedback notification or event publishing).
type Notification struct {
	// Type is Bounce, Complaint, or another type as SES named it.
	Type Type `json:"type"`
	// MessageID is SES's id of the email concerned (mail.messageId).
	MessageID string `json:"message_id,omitempty"`
	// FeedbackID is SES's id of this bounce or complaint.
	FeedbackID string `json:"feedback_id,omitempty"`
	// Timestamp is when the bounce or complaint happened; zero when SES
	// gave none that parses.
	Timestamp time.Time `json:"timestamp,omitzero"`
	// BounceType is Permanent, Transient or Undetermined; BounceSubType
	// says more (NoEmail, MailboxFull, OnAccountSuppressionList...).
	BounceType    string `json:"bounce_type,omitempty"`
	BounceSubType string `json:"bounce_sub_type,omitempty"`
	// ComplaintType is the RFC 5965 feedback type (abuse, not-spam...), ""
	// when the provider sent none; ComplaintSubType is SES's sub-type
	// (OnAccountSuppressionList), usually "".
	ComplaintType    string `json:"complaint_type,omitempty"`
	ComplaintSubType string `json:"complaint_sub_type,omitempty"`
	// Recipients are the bounced or complaining recipients, by address,
	// each once, sorted.
	Recipients []Recipient `json:"recipients,omitempty"`
}

// Recipient is one address a notification is about.
type Recipient struct {
	// Address is the bare address, lower case.
	Address string `json:"address"`
	// Status is the enhanced status code (RFC 3463) of a bounce, when given.
	Status string `json:"status,omitempty"`
	// Diagnostic is the receiving server's diagnostic of a bounce, on one
	// line, at most 300 bytes, when given.
	Diagnostic string `json:"diagnostic,omitempty"`
}

// Suppresses reports whether the notification must stop mail to its
// recipients: a permanent bounce, or a complaint other than "not spam".
// Transient and undetermined bounces do not: SES has already retried a
// transient failure, and an undetermined one says nothing about the address.
func (n Notification) Suppresses() bool {
	switch n.Type {
	case Bounce:
		return n.BounceType == Permanent
	case Complaint:
		return !strings.EqualFold(n.ComplaintType, NotSpam)
	}
	return false
}

// wire is the JSON of an SES notification, reduced to the fields used. Mail
// headers are not decoded: nothing here needs them.
type wire struct {
	NotificationType string `json:"notificationType"` // feedback notifications
	EventType        string `json:"eventType"`        // event publishing
	Mail             struct {
		MessageID string `json:"messageId"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		FeedbackID        string `json:"feedbackId"`
		Timestamp         string `json:"timestamp"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		ComplaintSubType      string `json:"complaintSubType"`
		FeedbackID            string `json:"feedbackId"`
		Timestamp             string `json:"timestamp"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
}

// Decode reads an SES notification: the Message of the SNS notification that
// carries it. It takes the type from eventType (event publishing) or
// notificationType (feedback notifications). Types other than Bounce and
// Complaint are returned with their name only. A bounce or complaint must
// name at least one usable recipient; recipients whose address is unusable
// are left out. Unknown fields are ignored, as AWS asks.
func Decode(data []byte) (Notification, error) {
	if len(data) > MaxSize {
		return Notification{}, fmt.Errorf("%w: %d bytes, over %d", ErrMalformed, len(data), MaxSize)
	}
	var w wire
	if err := json.Unmarshal(data, &w); err != nil {
		return Notification{}, fmt.Errorf("%w: %v", ErrMalformed, jsonError(err))
	}
	typ := w.EventType
	if typ == "" {
		typ = w.NotificationType
	}
	typ = field(typ)
	if typ == "" {
		return Notification{}, fmt.Errorf("%w: neither eventType nor notificationType", ErrMalformed)
	}
	n := Notification{Type: Type(typ), MessageID: field(w.Mail.MessageID)}
	switch {
	case strings.EqualFold(typ, string(Bounce)):
		b := w.Bounce
		if b == nil {
			return Notification{}, fmt.Errorf("%w: bounce without a bounce object", ErrMalformed)
		}
		if len(b.BouncedRecipients) > MaxRecipients {
			return Notification{}, fmt.Errorf("%w: %d bounced recipients, over %d", ErrMalformed, len(b.BouncedRecipients), MaxRecipients)
		}
		n.Type, n.FeedbackID, n.Timestamp = Bounce, field(b.FeedbackID), timestamp(b.Timestamp)
		n.BounceType, n.BounceSubType = bounceType(b.BounceType), field(b.BounceSubType)
		for _, r := range b.BouncedRecipients {
			if addr, ok := bareAddress(r.EmailAddress); ok {
				n.Recipients = append(n.Recipients, Recipient{Address: addr, Status: field(r.Status), Diagnostic: oneLine(r.DiagnosticCode, maxDiagnostic)})
			}
		}
	case strings.EqualFold(typ, string(Complaint)):
		c := w.Complaint
		if c == nil {
			return Notification{}, fmt.Errorf("%w: complaint without a complaint object", ErrMalformed)
		}
		if len(c.ComplainedRecipients) > MaxRecipients {
			return Notification{}, fmt.Errorf("%w: %d complained recipients, over %d", ErrMalformed, len(c.ComplainedRecipients), MaxRecipients)
		}
		n.Type, n.FeedbackID, n.Timestamp = Complaint, field(c.FeedbackID), timestamp(c.Timestamp)
		n.ComplaintType, n.ComplaintSubType = strings.ToLower(field(c.ComplaintFeedbackType)), field(c.ComplaintSubType)
		for _, r := range c.ComplainedRecipients {
			if addr, ok := bareAddress(r.EmailAddress); ok {
				n.Recipients = append(n.Recipients, Recipient{Address: addr})
			}
		}
	default:
		return n, nil
	}
	n.Recipients = dedupe(n.Recipients)
	if len(n.Recipients) == 0 {
		return Notification{}, fmt.Errorf("%w: %s names no usable recipient", ErrMalformed, strings.ToLower(string(n.Type)))
	}
	return n, nil
}

// jsonError describes a JSON error without quoting the input, which may
// hold addresses.
func jsonError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not JSON (offset %d)", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %s is a JSON %s", typ.Field, typ.Value)
	}
	return "not JSON"
}

// bounceType returns SES's bounce type in its canonical case, so that a
// change of case does not turn a permanent bounce into an unknown one.
func bounceType(s string) string {
	for _, t := range []string{Permanent, Transient, Undetermined} {
		if strings.EqualFold(strings.TrimSpace(s), t) {
			return t
		}
	}
	return field(s)
}

// dedupe sorts recipients by address and keeps the first of each.
func dedupe(rs []Recipient) []Recipient {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Address < rs[j].Address })
	out := rs[:0]
	for i, r := range rs {
		if i > 0 && r.Address == rs[i-1].Address {
			continue
		}
		out = append(out, r)
	}
	return out
}

// timestamp parses an RFC 3339 time, or returns zero.
func timestamp(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// bareAddress returns the bare, lower-case address in s, which SES gives
// bare but which may carry a display name ("Dana" <dana@example.org>) when
// the recipient was written so. It reports false for anything that is not
// an address: no "@", an empty side, control characters, or too long.
func bareAddress(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 4*maxAddress || !utf8.ValidString(s) {
		return "", false
	}
	if strings.ContainsRune(s, '<') {
		a, err := mail.ParseAddress(s)
		switch {
		case err == nil:
			s = a.Address
		default:
			// Not RFC 5322, but an address in angle brackets all the same.
			open := strings.LastIndexByte(s, '<')
			end := strings.IndexByte(s[open:], '>')
			if end < 0 {
				return "", false
			}
			s = s[open+1 : open+end]
		}
	}
	s = coaching.NormalizeAddress(s)
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || len(s) > maxAddress {
		return "", false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '<' || r == '>' {
			return "", false
		}
	}
	if strings.ContainsAny(s[at+1:], " \t,;") {
		return "", false
	}
	return s, true
}

// field cleans a short string from the notification: one line, valid
// UTF-8, at most maxField bytes.
func field(s string) string { return oneLine(s, maxField) }

// oneLine returns s on one line (control characters and runs of white space
// as one space), valid UTF-8, trimmed, cut to at most max bytes at a
// character boundary.
func oneLine(s string, max int) string {
	if len(s) > 4*max {
		s = s[:4*max] // enough to fill max after collapsing
	}
	var b strings.Builder
	space := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		n := utf8.RuneLen(r)
		if space {
			n++
		}
		if b.Len()+n > max {
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

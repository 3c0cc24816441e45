// Package feedback applies the bounce and complaint notifications of Amazon
// SES, which the configuration set's event destination publishes to an SNS
// topic that invokes the feedback function. Decode reads the notification
// (event publishing, whose type is in eventType, or identity feedback
// notifications, whose type is in notificationType); Handler applies it.
//
// A permanent bounce or a complaint suppresses the address (Store.Suppress),
// marks the leader who has it Suppressed, and schedules one notice to their
// coach. A transient or undetermined bounce, and a complaint whose feedback
// type is "not-spam" (RFC 5965 section 7.3), are recorded and change
// nothing else. Each recipient of a notification is recorded under an id
// made of the notification's feedback id (or, without one, the SNS message
// id) and the recipient's rank, written in the same transaction as the
// change, so a redelivered notification changes nothing. A notification
// about an address that is not a leader's (a coach's, or a stranger's)
// suppresses it and tells nobody.
//
// Departures from what SES sends: recipients are compared in lower case
// (RFC 5321 leaves the local part's case to the receiving system, and
// coachmail keeps addresses in lower case); a recipient written with a
// display name is reduced to its address; a notification with more than
// MaxRecipients recipients is refused. Addresses are never logged, nor put
// in errors.
package feedback

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coachmail/coachmail/internal/coaching"
)

// Outcomes of one recipient of a notification, stored in its record.
const (
	Suppressed = "suppressed" // mail to the address stopped
	Recorded   = "recorded"   // noted; nothing else changed (transient bounce, not-spam)
	Duplicate  = "duplicate"  // handled before: nothing done (never stored)
)

// routeComplaint is the route of a complaint's record. coaching declares the
// routes of received mail; a complaint comes by SNS, and has none there.
const routeComplaint coaching.Route = "complaint"

// maxAttempts bounds the tries of one recipient's change when the leader
// changes between read and write.
const maxAttempts = 3

// Handler applies SES notifications.
type Handler struct {
	Store coaching.Store
	Clock coaching.Clock
	Log   *slog.Logger
	// Retention is how long the record of a notification is kept, which is
	// how long a redelivery is recognised; default 90 days.
	Retention time.Duration
}

// Result counts what became of a notification's recipients.
type Result struct {
	Type       Type
	Suppressed int // addresses suppressed by this notification
	Notices    int // notices scheduled for coaches
	Recorded   int // recipients recorded without a change
	Duplicates int // recipients already handled
	// CoachAddresses counts suppressed addresses that are a coach's: their
	// notices and briefs stop too, which an operator should know.
	CoachAddresses int
	// Ignored is set for a notification of a type that changes nothing.
	Ignored bool
}

// HandleSNS handles each SES notification of an SNS event. A message that
// is not a usable notification, or that the store refuses as invalid, is
// logged and acknowledged: retrying would not change it. Any other error is
// temporary and returned, so that Lambda redelivers the event; recipients
// already handled are then recognised and skipped.
func (h *Handler) HandleSNS(ctx context.Context, ev events.SNSEvent) error {
	for _, rec := range ev.Records {
		id := rec.SNS.MessageID
		start := time.Now()
		n, err := Decode([]byte(rec.SNS.Message))
		if err != nil {
			h.Log.ErrorContext(ctx, "feedback: notification rejected", "sns_message", id, "err", err)
			continue
		}
		attrs := []any{"sns_message", id, "ses_message", n.MessageID, "type", string(n.Type)}
		if n.Type == Bounce {
			attrs = append(attrs, "bounce_type", n.BounceType, "bounce_sub_type", n.BounceSubType)
		}
		if n.Type == Complaint {
			attrs = append(attrs, "complaint_type", n.ComplaintType)
		}
		res, err := h.Handle(ctx, n, id)
		attrs = append(attrs, "recipients", len(n.Recipients), "suppressed", res.Suppressed, "notices", res.Notices,
			"recorded", res.Recorded, "duplicates", res.Duplicates, "duration_ms", time.Since(start).Milliseconds())
		switch {
		case err != nil && coaching.IsInvalid(err):
			h.Log.ErrorContext(ctx, "feedback: notification refused by the store", append(attrs, "err", err)...)
		case err != nil:
			h.Log.ErrorContext(ctx, "feedback: temporary failure, will be retried", append(attrs, "err", err)...)
			return fmt.Errorf("notification %s: %w", id, err)
		case res.Ignored:
			h.Log.InfoContext(ctx, "feedback: ignored", attrs...)
		default:
			if res.CoachAddresses > 0 {
				h.Log.WarnContext(ctx, "feedback: a coach's address is suppressed", attrs...)
			}
			h.Log.InfoContext(ctx, "feedback: handled", attrs...)
		}
	}
	return nil
}

// Handle applies one notification; notificationID (the SNS message id)
// names it when it has no feedback id. It returns an error from the store
// unchanged in kind: EINVALID for what the store refuses, anything else
// temporary.
func (h *Handler) Handle(ctx context.Context, n Notification, notificationID string) (Result, error) {
	res := Result{Type: n.Type}
	if n.Type != Bounce && n.Type != Complaint {
		res.Ignored = true
		return res, nil
	}
	base := idPart(n.FeedbackID)
	if base == "" {
		base = idPart(notificationID)
	}
	if base == "" {
		return res, coaching.Errorf(coaching.EINVALID, "notification has neither a feedback id nor a message id")
	}
	for i, r := range n.Recipients {
		id := "feedback-" + base + "-" + strconv.Itoa(i+1)
		out, err := h.apply(ctx, n, r, id, &res)
		if err != nil {
			return res, fmt.Errorf("recipient %d of %d: %w", i+1, len(n.Recipients), err)
		}
		switch out {
		case Suppressed:
			res.Suppressed++
		case Recorded:
			res.Recorded++
		case Duplicate:
			res.Duplicates++
		}
	}
	return res, nil
}

// apply handles one recipient under record id and returns its outcome.
func (h *Handler) apply(ctx context.Context, n Notification, r Recipient, id string, res *Result) (string, error) {
	if _, err := h.Store.InboundByID(ctx, id); err == nil {
		return Duplicate, nil
	} else if !coaching.IsNotFound(err) {
		return "", fmt.Errorf("look up record %s: %w", id, err)
	}
	now := h.Clock.Now()
	ret := h.Retention
	if ret <= 0 {
		ret = 90 * 24 * time.Hour
	}
	route := coaching.RouteBounce
	if n.Type == Complaint {
		route = routeComplaint
	}
	in := coaching.InboundMessage{ID: id, ReceivedAt: now, Route: route, Outcome: Recorded, Expires: now.Add(ret)}
	if !n.Suppresses() {
		return h.commit(ctx, coaching.Change{Inbound: in}, Recorded)
	}

	reason := "bounce"
	if n.Type == Complaint {
		reason = "complaint"
	}
	// Suppressed first, on its own: mail to the address stops even if the
	// rest fails and waits for a retry. Suppressing again is harmless.
	if err := h.Store.Suppress(ctx, r.Address, reason, now); err != nil {
		return "", fmt.Errorf("suppress address: %w", err)
	}
	in.Outcome = Suppressed
	for attempt := 1; ; attempt++ {
		ch := coaching.Change{Inbound: in}
		coach := false
		l, err := h.Store.LeaderByEmail(ctx, r.Address)
		switch {
		case err == nil:
			ch.Inbound.LeaderID, ch.Inbound.CoachID = l.ID, l.CoachID
			if l.Suppressed == "" {
				// Told once: a leader already suppressed (an earlier bounce
				// of another email) was the subject of a notice then.
				l.Suppressed = reason
				ch.Leader = &l
				ch.Emails = []coaching.ScheduledEmail{{
					ID: coaching.NewID(), Kind: coaching.EmailNotice, CoachID: l.CoachID, Due: now,
					State: coaching.EmailPending, Notice: reason, Address: r.Address, Detail: detail(n, r),
				}}
			}
		case coaching.IsNotFound(err):
			c, err := h.Store.CoachByEmail(ctx, r.Address)
			if err == nil {
				ch.Inbound.CoachID, coach = c.ID, true
			} else if !coaching.IsNotFound(err) {
				return "", fmt.Errorf("look up coach of the address: %w", err)
			}
		default:
			return "", fmt.Errorf("look up leader of the address: %w", err)
		}
		out, err := h.commit(ctx, ch, Suppressed)
		if err == nil && out == Suppressed {
			res.Notices += len(ch.Emails)
			if coach {
				res.CoachAddresses++
			}
		}
		if !coaching.IsConflict(err) || attempt == maxAttempts {
			return out, err
		}
		// The leader changed between read and write: read again.
	}
}

// commit applies ch and returns outcome, or Duplicate when another delivery
// of the same notification recorded it first.
func (h *Handler) commit(ctx context.Context, ch coaching.Change, outcome string) (string, error) {
	err := h.Store.Apply(ctx, ch)
	if err == nil {
		return outcome, nil
	}
	if coaching.IsConflict(err) {
		if _, gerr := h.Store.InboundByID(ctx, ch.Inbound.ID); gerr == nil {
			return Duplicate, nil
		}
	}
	return "", fmt.Errorf("record %s: %w", ch.Inbound.ID, err)
}

// detail is the short, safe explanation a coach's notice shows: the
// receiving server's diagnostic of a bounce, else what SES's sub-type means.
func detail(n Notification, r Recipient) string {
	if n.Type == Complaint {
		return n.ComplaintType
	}
	if r.Diagnostic != "" {
		return r.Diagnostic
	}
	switch n.BounceSubType {
	case "NoEmail":
		return "the address does not exist"
	case "Suppressed":
		return "the address is on Amazon SES's global suppression list"
	case "OnAccountSuppressionList":
		return "the address is on this account's suppression list"
	case "MailboxFull":
		return "the mailbox is full"
	case "MessageTooLarge":
		return "the message was too large"
	case "ContentRejected", "AttachmentRejected":
		return "the receiving server rejected the content"
	}
	return ""
}

// idPart returns s when it can be part of a record id as it is (short,
// letters, digits and -._:), else a hash of it; "" for "".
func idPart(s string) string {
	if s == "" {
		return ""
	}
	ok := len(s) <= 128
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == ':'
	}
	if ok {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	return "h" + hex.EncodeToString(sum[:16])
}

// Package inbound turns each received email into the right change, once.
// SPEC.md "Inbound mail" is its contract: SES stores the raw message in S3
// and invokes the inbound function with the message id and its verdicts;
// the handler reads the raw MIME (never the event's copy of the headers),
// proves who sent it, routes it, and writes the change together with the
// record of the message id, so a redelivery changes nothing.
//
// Routes, in order: spam or virus FAIL → quarantine; delivery failure
// report → suppression and a notice to the coach; automatic reply →
// recorded and ignored; calendar invitation from a coach → sessions; reply
// to one of our emails (reply token in a recipient, else In-Reply-To or
// References) → focus answer, commitment statuses, post-session
// commitments, unsubscribe; mail from a coach to the notes address →
// outcomes, commitments and a recap; anything else → quarantine.
//
// Errors are classified once, in Handle: a temporary failure (the store or
// S3 unreachable, a write that lost a race) is returned so that Lambda
// retries the whole message; anything wrong with the message itself is
// quarantined and acknowledged. The raw message is never deleted here.
package inbound

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/message"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/reading"
	"github.com/coachmail/coachmail/internal/token"
)

// RawStore reads raw messages; *rawmail.Store implements it.
type RawStore interface {
	Key(messageID string) string
	Get(ctx context.Context, key string, max int64) ([]byte, error)
}

// Handler handles inbound messages.
type Handler struct {
	Store coaching.Store
	Raw   RawStore
	Keys  *token.Keyring
	Cycle *cycle.Cycle
	Clock coaching.Clock
	Log   *slog.Logger

	IntakeDomain string // domain of reply+TOKEN@ addresses
	NotesAddress string // where coaches send notes and invitations
	MaxMessage   int64  // largest raw message read; default 40 MiB
	// Retention is how long inbound and quarantine records are kept;
	// default 90 days.
	Retention time.Duration
}

// Result says what became of one message.
type Result struct {
	Route   coaching.Route
	Outcome string // applied, ignored, quarantined, duplicate
	Reason  string // why, for quarantine and ignore; never message content
}

// Outcomes of a message.
const (
	Applied     = "applied"
	Ignored     = "ignored"
	Quarantined = "quarantined"
	Duplicate   = "duplicate"
)

// errQuarantine carries the reason a message is kept but not applied.
type errQuarantine struct {
	route  coaching.Route
	reason string
	// coach and leader are told / recorded when known.
	coach  coaching.Coach
	leader coaching.Leader
	// subject is the subject of a coach's own notes email, for the notice.
	subject string
}

func (e *errQuarantine) Error() string { return "quarantine: " + e.reason }

func quarantine(route coaching.Route, reason string) *errQuarantine {
	return &errQuarantine{route: route, reason: reason}
}

// Handle handles one received message. A returned error is temporary: the
// caller must let the message be retried. Everything else is acknowledged.
func (h *Handler) Handle(ctx context.Context, r Receipt) (Result, error) {
	start := time.Now()
	res, err := h.handle(ctx, r)
	var q *errQuarantine
	if err != nil && !errors.As(err, &q) && coaching.IsInvalid(err) {
		// The store refused the change itself (an item over its size
		// limit, say): retrying cannot help, so keep the message instead.
		q = quarantine(res.Route, "the change could not be stored: "+err.Error())
		err = q
	}
	if errors.As(err, &q) {
		res, err = h.quarantine(ctx, r, q)
	}
	if err != nil && coaching.IsConflict(err) {
		if _, gerr := h.Store.InboundByID(ctx, r.MessageID); gerr == nil {
			res, err = Result{Route: res.Route, Outcome: Duplicate}, nil
		}
	}
	attrs := []any{"message", r.MessageID, "route", string(res.Route), "outcome", res.Outcome, "duration_ms", time.Since(start).Milliseconds()}
	if res.Reason != "" {
		attrs = append(attrs, "reason", res.Reason)
	}
	if err != nil {
		h.Log.ErrorContext(ctx, "inbound: temporary failure, will be retried", append(attrs, "err", err)...)
		return res, err
	}
	if res.Outcome == Quarantined {
		// An EMF metric, so that the quarantine alarm counts it.
		attrs = append(attrs, slog.Int("Quarantined", 1), slog.Any("_aws", emf(h.Clock.Now())))
	}
	h.Log.InfoContext(ctx, "inbound: handled", attrs...)
	return res, nil
}

func emf(now time.Time) map[string]any {
	return map[string]any{
		"Timestamp": now.UnixMilli(),
		"CloudWatchMetrics": []map[string]any{{
			"Namespace":  "Coachmail",
			"Dimensions": [][]string{{}},
			"Metrics":    []map[string]string{{"Name": "Quarantined", "Unit": "Count"}},
		}},
	}
}

func (h *Handler) handle(ctx context.Context, r Receipt) (Result, error) {
	if _, err := h.Store.InboundByID(ctx, r.MessageID); err == nil {
		return Result{Outcome: Duplicate}, nil
	} else if !coaching.IsNotFound(err) {
		return Result{}, fmt.Errorf("look up message %s: %w", r.MessageID, err)
	}
	if r.Spam == Fail || r.Virus == Fail {
		return Result{Route: coaching.RouteSpam}, quarantine(coaching.RouteSpam, "spam or virus verdict FAIL")
	}
	max := h.MaxMessage
	if max <= 0 {
		max = 40 << 20
	}
	raw, err := h.Raw.Get(ctx, h.Raw.Key(r.MessageID), max)
	switch {
	case errors.Is(err, rawmail.ErrNotFound):
		return Result{}, quarantine(coaching.RouteUnknown, "raw message missing from the bucket")
	case errors.Is(err, rawmail.ErrTooLarge):
		return Result{}, quarantine(coaching.RouteUnknown, fmt.Sprintf("message larger than %d bytes", max))
	case err != nil:
		return Result{}, err
	}
	rd, err := reading.ReadBytes(raw, reading.Options{Now: h.Clock.Now(), SkipCalendars: true, SkipNotes: true, SkipStatuses: true, Message: message.Options{MaxSize: max}})
	if err != nil {
		return Result{}, quarantine(coaching.RouteUnknown, "unreadable message: "+err.Error())
	}
	raw = nil // the reading holds what is needed; let the bytes go
	if again, err := h.seenBefore(ctx, r, rd); err != nil {
		return Result{}, fmt.Errorf("claim message: %w", err)
	} else if again {
		return Result{Outcome: Duplicate, Reason: "the same message came in before under another delivery"}, nil
	}
	switch {
	case rd.Bounce:
		return h.bounce(ctx, r, rd)
	case rd.AutoReply:
		// Only the kind of evidence ("subject", "Auto-Submitted"...): the
		// reason may quote the subject, which never goes to a log.
		kind, _, _ := strings.Cut(rd.Message.AutoReplyReason, ":")
		return h.record(ctx, r, coaching.RouteAutoReply, Ignored, "automatic reply ("+kind+")")
	}
	from := coaching.NormalizeAddress(rd.From)
	if from == "" {
		return Result{}, quarantine(coaching.RouteUnknown, "no From address")
	}
	if h.isOurs(from) {
		// A loop: our own mail came back.
		return h.record(ctx, r, coaching.RouteAutoReply, Ignored, "mail from our own address")
	}
	coach, err := h.Store.CoachByEmail(ctx, from)
	isCoach := err == nil
	if err != nil && !coaching.IsNotFound(err) {
		return Result{}, fmt.Errorf("look up sender: %w", err)
	}
	if isCoach && len(rd.Message.Calendars) > 0 {
		if rd.ReadCalendars(); rd.Calendar != nil {
			return h.invite(ctx, r, rd, coach)
		}
	}
	if ref, found, err := h.findRef(ctx, r, rd); err != nil {
		return Result{Route: coaching.RouteReply}, err
	} else if found {
		return h.reply(ctx, r, rd, ref, from)
	}
	if isCoach && h.toNotes(r, rd) {
		return h.notes(ctx, r, rd, coach)
	}
	q := quarantine(coaching.RouteUnknown, "neither a reply to our email nor notes from a registered coach")
	if isCoach {
		q.coach = coach
	}
	return Result{}, q
}

// seenFor is how long a message's claim lasts: longer than any sending
// server keeps retrying (RFC 5321 suggests four or five days).
const seenFor = 14 * 24 * time.Hour

// seenBefore reports whether the message, by its sender and Message-ID,
// came in before under another delivery id. A sending server that lost
// our "250 OK" sends the message again and SES gives it a new id; without
// this, a reply would be stored twice and notes would make each commitment
// twice. A message without a Message-ID cannot be told apart and is taken
// in each time. The claim holds only a hash, never the address.
func (h *Handler) seenBefore(ctx context.Context, r Receipt, rd *reading.Reading) (bool, error) {
	id := strings.TrimSpace(rd.Message.MessageID)
	if id == "" {
		return false, nil
	}
	sum := sha256.Sum256([]byte(coaching.NormalizeAddress(rd.From) + "\n" + id))
	fp := hex.EncodeToString(sum[:16])
	delivery := cmp.Or(r.Replays, r.MessageID)
	now := h.Clock.Now()
	holder, err := h.Store.ClaimMessage(ctx, fp, delivery, now, now.Add(seenFor))
	if err != nil {
		return false, err
	}
	return holder != delivery, nil
}

// authenticated applies Receipt.Authenticated to a message's From domain
// and DKIM signatures.
func (h *Handler) authenticated(r Receipt, rd *reading.Reading) bool {
	_, domain, _ := strings.Cut(coaching.NormalizeAddress(rd.From), "@")
	return r.Authenticated(domain, DKIMDomains(rd.Message.Header.Values("DKIM-Signature")))
}

// isOurs reports whether addr is one of coachmail's own addresses.
func (h *Handler) isOurs(addr string) bool {
	if addr == h.NotesAddress {
		return true
	}
	local, domain, ok := strings.Cut(addr, "@")
	return ok && domain == h.IntakeDomain && (strings.HasPrefix(local, "reply+") || local == "reply")
}

// toNotes reports whether the message was sent to the notes address.
func (h *Handler) toNotes(r Receipt, rd *reading.Reading) bool {
	for _, lists := range [][]string{r.Recipients, rd.To, rd.Cc} {
		for _, a := range lists {
			if coaching.NormalizeAddress(a) == h.NotesAddress {
				return true
			}
		}
	}
	return false
}

// record writes the inbound record of a message that changes nothing else.
func (h *Handler) record(ctx context.Context, r Receipt, route coaching.Route, outcome, reason string) (Result, error) {
	if err := h.Store.Apply(ctx, coaching.Change{Inbound: h.inboundRecord(r, route, outcome)}); err != nil {
		return Result{Route: route}, fmt.Errorf("record message: %w", err)
	}
	return Result{Route: route, Outcome: outcome, Reason: reason}, nil
}

func (h *Handler) inboundRecord(r Receipt, route coaching.Route, outcome string) coaching.InboundMessage {
	now := h.Clock.Now()
	ret := h.Retention
	if ret <= 0 {
		ret = 90 * 24 * time.Hour
	}
	return coaching.InboundMessage{
		ID: r.MessageID, ReceivedAt: now, Route: route, Outcome: outcome,
		RawKey: h.Raw.Key(r.MessageID), Expires: now.Add(ret),
	}
}

// quarantine keeps the message with its reason, tells the coach when one is
// known, and acknowledges.
func (h *Handler) quarantine(ctx context.Context, r Receipt, q *errQuarantine) (Result, error) {
	now := h.Clock.Now()
	in := h.inboundRecord(r, q.route, Quarantined)
	in.CoachID, in.LeaderID = q.coach.ID, q.leader.ID
	ch := coaching.Change{
		Inbound: in,
		Quarantine: &coaching.Quarantine{
			ID: r.MessageID, RawKey: in.RawKey, Reason: q.reason,
			CoachID: q.coach.ID, LeaderID: q.leader.ID, ReceivedAt: now, Expires: in.Expires,
		},
	}
	if q.coach.ID != "" {
		kind := "quarantined"
		if q.subject != "" {
			kind = "notes_unmatched"
		}
		ch.Emails = append(ch.Emails, coaching.ScheduledEmail{
			ID: coaching.NewID(), Kind: coaching.EmailNotice, CoachID: q.coach.ID,
			Due: now, State: coaching.EmailPending, Notice: kind, Detail: q.reason,
			Ref: r.MessageID, Subject: q.subject, Address: q.leader.Email,
		})
	}
	if err := h.Store.Apply(ctx, ch); err != nil {
		return Result{Route: q.route}, fmt.Errorf("quarantine message: %w", err)
	}
	return Result{Route: q.route, Outcome: Quarantined, Reason: q.reason}, nil
}

// bounce suppresses the failed recipients and tells their coaches.
func (h *Handler) bounce(ctx context.Context, r Receipt, rd *reading.Reading) (Result, error) {
	now := h.Clock.Now()
	ch := coaching.Change{Inbound: h.inboundRecord(r, coaching.RouteBounce, Applied)}
	suppressed := 0
	for _, addr := range rd.Message.BouncedRecipients {
		if slices.Contains(rd.Message.TransientBounces, addr) {
			// A full mailbox or a refused message says nothing about the
			// address: mail to it goes on, as for SES's transient bounces.
			continue
		}
		suppressed++
		addr = coaching.NormalizeAddress(addr)
		if err := h.Store.Suppress(ctx, addr, "bounce", now); err != nil {
			return Result{Route: coaching.RouteBounce}, fmt.Errorf("suppress bounced address: %w", err)
		}
		l, err := h.Store.LeaderByEmail(ctx, addr)
		if coaching.IsNotFound(err) {
			continue
		} else if err != nil {
			return Result{Route: coaching.RouteBounce}, fmt.Errorf("look up bounced leader: %w", err)
		}
		ch.Emails = append(ch.Emails, coaching.ScheduledEmail{
			ID: coaching.NewID(), Kind: coaching.EmailNotice, CoachID: l.CoachID, Due: now,
			State: coaching.EmailPending, Notice: "bounce", Address: addr, Detail: "the address bounced",
		})
	}
	if suppressed == 0 && len(rd.Message.BouncedRecipients) > 0 {
		return h.record(ctx, r, coaching.RouteBounce, Ignored, "temporary delivery failure: nothing suppressed")
	}
	if err := h.Store.Apply(ctx, ch); err != nil {
		return Result{Route: coaching.RouteBounce}, fmt.Errorf("record bounce: %w", err)
	}
	return Result{Route: coaching.RouteBounce, Outcome: Applied}, nil
}

package inbound

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/notes"
	"github.com/coachmail/coachmail/internal/reading"
	"github.com/coachmail/coachmail/internal/status"
	"github.com/coachmail/coachmail/internal/token"
)

// answered is the email a reply answers, and how we know.
type answered struct {
	ref         coaching.SentRef
	unsubscribe bool // the token was an unsubscribe token
}

// findRef finds the email a message answers: by a reply token in one of its
// recipients, else by In-Reply-To or References. A token that does not
// verify quarantines the message: someone wrote to a reply address we did
// not give out, or gave out too long ago.
func (h *Handler) findRef(ctx context.Context, r Receipt, rd *reading.Reading) (answered, bool, error) {
	now := h.Clock.Now()
	seen := map[string]bool{}
	for _, lists := range [][]string{r.Recipients, rd.To, rd.Cc} {
		for _, addr := range lists {
			addr = coaching.NormalizeAddress(addr)
			if seen[addr] || !strings.HasSuffix(addr, "@"+h.IntakeDomain) {
				continue
			}
			seen[addr] = true
			s, ok := token.FromAddress(addr)
			if !ok {
				continue
			}
			tok, err := h.Keys.Verify(s, now)
			switch {
			case errors.Is(err, token.ErrExpired):
				q := quarantine(coaching.RouteReply, "reply token expired")
				if ref, err := h.refByToken(ctx, tok.ID); err == nil {
					q.coach.ID, q.leader.ID = ref.CoachID, ref.LeaderID
				}
				return answered{}, false, q
			case err != nil:
				return answered{}, false, quarantine(coaching.RouteReply, "reply token does not verify: "+err.Error())
			}
			ref, err := h.refByToken(ctx, tok.ID)
			if coaching.IsNotFound(err) {
				return answered{}, false, quarantine(coaching.RouteReply, "reply token of an email we have no record of")
			} else if err != nil {
				return answered{}, false, err
			}
			return answered{ref: ref, unsubscribe: tok.Purpose == token.Unsubscribe}, true, nil
		}
	}
	ids := append([]string{}, rd.Message.References...)
	if rd.Message.InReplyTo != "" {
		ids = append(ids, rd.Message.InReplyTo)
	}
	// The newest reference first: In-Reply-To, then References backwards.
	for i := len(ids) - 1; i >= 0; i-- {
		if !strings.HasSuffix(strings.ToLower(ids[i]), "@"+h.IntakeDomain) {
			continue
		}
		ref, err := h.Store.SentRefByMessageID(ctx, ids[i])
		if err == nil {
			return answered{ref: ref}, true, nil
		} else if !coaching.IsNotFound(err) {
			return answered{}, false, fmt.Errorf("look up referenced message: %w", err)
		}
	}
	return answered{}, false, nil
}

// refByToken finds the sent email of a token id; the scheduled email itself
// stands in when the sent record was not written (a crash after sending).
func (h *Handler) refByToken(ctx context.Context, id string) (coaching.SentRef, error) {
	ref, err := h.Store.SentRefByToken(ctx, id)
	if !coaching.IsNotFound(err) {
		return ref, err
	}
	e, err := h.Store.EmailByID(ctx, id)
	if err != nil {
		return coaching.SentRef{}, err
	}
	return coaching.SentRef{MessageID: e.MessageID, TokenID: e.ID, EmailID: e.ID, Kind: e.Kind, SessionID: e.SessionID, LeaderID: e.LeaderID, CoachID: e.CoachID}, nil
}

// reply applies a reply to one of our emails.
func (h *Handler) reply(ctx context.Context, r Receipt, rd *reading.Reading, a answered, from string) (Result, error) {
	ref := a.ref
	route := coaching.RouteReply
	coach, err := h.Store.CoachByID(ctx, ref.CoachID)
	if err != nil {
		return Result{Route: route}, fmt.Errorf("load coach of the answered email: %w", err)
	}
	if ref.LeaderID == "" {
		// A brief or a notice: the coach answers. Notes for the session in
		// answer to its brief are notes like any other.
		if from != coach.Email {
			q := quarantine(route, "sender is not the coach the answered email went to")
			q.coach = coach
			return Result{Route: route}, q
		}
		if !h.authenticated(r, rd) {
			q := quarantine(route, "sender authentication failed (DKIM/SPF/DMARC)")
			q.coach = coach
			return Result{Route: route}, q
		}
		if ref.Kind == coaching.EmailBrief && ref.SessionID != "" {
			s, err := h.Store.SessionByID(ctx, ref.SessionID)
			if err != nil {
				return Result{Route: route}, fmt.Errorf("load session of the brief: %w", err)
			}
			return h.applyNotes(ctx, r, rd, coach, s)
		}
		return h.record(ctx, r, route, Ignored, "coach answered a notice")
	}
	leader, err := h.Store.LeaderByID(ctx, ref.LeaderID)
	if err != nil {
		return Result{Route: route}, fmt.Errorf("load leader of the answered email: %w", err)
	}
	if from != leader.Email && from != coach.Email {
		q := quarantine(route, "sender is not the leader the answered email went to")
		q.coach, q.leader = coach, leader
		return Result{Route: route}, q
	}
	if !h.authenticated(r, rd) {
		q := quarantine(route, "sender authentication failed (DKIM/SPF/DMARC)")
		q.coach, q.leader = coach, leader
		return Result{Route: route}, q
	}
	if from == coach.Email {
		return h.record(ctx, r, route, Ignored, "coach answered a leader's email")
	}
	now := h.Clock.Now()
	ch := coaching.Change{Inbound: h.inboundRecord(r, route, Applied)}
	ch.Inbound.LeaderID, ch.Inbound.CoachID = leader.ID, coach.ID

	if a.unsubscribe || rd.Unsubscribe {
		if leader.Unsubscribed {
			return h.record(ctx, r, route, Ignored, "already unsubscribed")
		}
		leader.Unsubscribed = true
		ch.Leader = &leader
		ch.Emails = append(ch.Emails, coaching.ScheduledEmail{
			ID: coaching.NewID(), Kind: coaching.EmailNotice, CoachID: coach.ID, Due: now,
			State: coaching.EmailPending, Notice: "unsubscribed", Address: leader.Email,
		})
		if err := h.Store.Apply(ctx, ch); err != nil {
			return Result{Route: route}, fmt.Errorf("apply unsubscribe: %w", err)
		}
		return Result{Route: route, Outcome: Applied, Reason: "unsubscribed"}, nil
	}

	all, err := h.Store.Commitments(ctx, leader.ID, false)
	if err != nil {
		return Result{Route: route}, fmt.Errorf("load commitments: %w", err)
	}
	byID := map[string]coaching.Commitment{}
	for _, c := range all {
		byID[c.ID] = c
	}
	var listed []coaching.Commitment
	var texts []string
	for _, id := range ref.Commitments {
		if c, ok := byID[id]; ok {
			listed = append(listed, c)
			texts = append(texts, c.Text)
		}
	}
	// Answers written inline, under each quoted commitment, are numbered
	// by the commitment they follow. New wordings of listed commitments
	// ("change 2 to: ...") come out first: the rest holds the statuses,
	// the focus answer and new commitments.
	rewords, answer := status.Rewords(rd.StatusText(texts), len(texts))
	changed := make([]bool, len(listed))
	for _, rw := range rewords {
		c := &listed[rw.Ref-1]
		if rw.Text == c.Text {
			continue
		}
		old, oldDue := c.Text, c.Due
		c.Text = rw.Text
		// A due date in the new wording is the new due date.
		for _, it := range notes.Extract(rw.Text, readingTime(rd, now)) {
			if it.Due != "" {
				c.Due = it.Due
				break
			}
		}
		if c.Record(coaching.StatusChange{
			At: now, Event: coaching.EventReworded, Comment: "was: " + clip(old, maxComment),
			SessionID: ref.SessionID, Source: r.MessageID,
		}) {
			changed[rw.Ref-1] = true
		} else {
			c.Text, c.Due = old, oldDue // this message reworded it before
		}
	}
	for _, u := range status.Parse(answer, texts) {
		if u.Ref < 1 || u.Ref > len(listed) {
			continue
		}
		if listed[u.Ref-1].Record(coaching.StatusChange{
			At: now, Event: coaching.EventReported, Status: statusOf(u.Status),
			Comment: u.Comment, SessionID: ref.SessionID, Source: r.MessageID,
		}) {
			changed[u.Ref-1] = true
		}
	}
	for i, c := range listed {
		if changed[i] {
			ch.Commitments = append(ch.Commitments, c)
		}
	}
	var items []reading.Item
	switch {
	case ref.Kind != coaching.EmailRecap:
	case len(rewords) == 0:
		rd.ReadItems()
		items = rd.Items
	default:
		// The new wordings are not new commitments: read the rest.
		for _, it := range notes.Extract(answer, readingTime(rd, now)) {
			items = append(items, reading.Item{Type: string(it.Kind), Text: it.Text, Due: it.Due})
		}
	}
	switch ref.Kind {
	case coaching.EmailPrompt:
		if text := focusText(answer, texts); text != "" {
			text = clip(text, maxAnswer)
			ch.Focus = &coaching.FocusAnswer{SessionID: ref.SessionID, LeaderID: leader.ID, Text: text, MessageID: r.MessageID, ReceivedAt: now}
		}
	case coaching.EmailRecap:
		// Post-session commitments: actions the leader adds in answer to
		// the recap.
		for _, it := range items {
			if it.Type != string(coaching.Action) {
				continue
			}
			c := coaching.Commitment{
				ID: coaching.NewID(), LeaderID: leader.ID, SessionID: ref.SessionID, Text: it.Text, Due: it.Due,
				Status: coaching.CommitmentOpen, CreatedAt: now.Add(time.Duration(len(ch.Commitments))),
			}
			c.Record(coaching.StatusChange{At: now, Event: coaching.EventMade, Status: coaching.CommitmentOpen, SessionID: ref.SessionID, Source: r.MessageID})
			ch.Commitments = append(ch.Commitments, c)
		}
	}
	if ch.Focus == nil && len(ch.Commitments) == 0 {
		return h.record(ctx, r, route, Ignored, "nothing to apply in the reply")
	}
	if err := h.Store.Apply(ctx, ch); err != nil {
		return Result{Route: route}, fmt.Errorf("apply reply: %w", err)
	}
	return Result{Route: route, Outcome: Applied}, nil
}

func statusOf(v status.Value) coaching.CommitmentStatus {
	switch v {
	case status.Done:
		return coaching.CommitmentDone
	case status.Dropped:
		return coaching.CommitmentDropped
	}
	return coaching.CommitmentNotDone
}

// maxAnswer bounds a focus answer: a few lines is what the prompt asks for,
// and the whole message stays in the raw mail store for the coach.
const maxAnswer = 16 << 10

// clip cuts text to at most n bytes at a character boundary, marking the cut.
func clip(text string, n int) string {
	if len(text) <= n {
		return text
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "\n[…]"
}

// maxComment bounds the old wording kept in a rewording's history entry.
const maxComment = 500

// readingTime is the time due dates in a message are read against: its
// Date, or now when it has none.
func readingTime(rd *reading.Reading, now time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, rd.Date); err == nil {
		return t
	}
	return now
}

// focusText is the reply without its status lines ("1 done", "2 not yet,
// budget frozen"): those are recorded on the commitments, and the brief
// shows them there, so the focus answer keeps only what the leader chose
// to work on.
func focusText(reply string, commitments []string) string {
	if len(status.Parse(reply, commitments)) == 0 {
		return strings.TrimSpace(reply)
	}
	var kept []string
	for _, line := range strings.Split(reply, "\n") {
		if strings.TrimSpace(line) != "" && len(status.Parse(line, commitments)) > 0 {
			continue
		}
		kept = append(kept, line)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

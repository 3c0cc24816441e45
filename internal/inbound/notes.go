package inbound

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/reading"
)

// notesWindow is how long after a session its notes are matched to it by
// time alone (SPEC.md: a session that ended within 48 hours).
const notesWindow = 48 * time.Hour

// notes applies a coach's session notes sent to the notes address.
func (h *Handler) notes(ctx context.Context, r Receipt, rd *reading.Reading, coach coaching.Coach) (Result, error) {
	route := coaching.RouteNotes
	if !h.authenticated(r, rd) {
		q := quarantine(route, "sender authentication failed (DKIM/SPF/DMARC)")
		q.coach = coach
		return Result{Route: route}, q
	}
	s, found, err := h.findSession(ctx, coach, rd)
	if err != nil {
		return Result{Route: route}, err
	}
	if !found {
		q := quarantine(route, "notes match no session")
		q.coach, q.subject = coach, rd.Subject
		if q.subject == "" {
			q.subject = "(no subject)"
		}
		return Result{Route: route}, q
	}
	return h.applyNotes(ctx, r, rd, coach, s)
}

// refWindow is how far back a session reference in a subject is looked
// for: notes can come late, and a coach may forward an old brief.
const refWindow = 90 * 24 * time.Hour

// findSession finds the session notes are about: the one whose reference
// (coaching.SessionRef, from the subject of the coach's brief) the subject
// or a forwarded message's subject carries, else a leader named in the
// forwarded headers or the recipients, else the coach's most recent 1:1
// session that ended within notesWindow.
func (h *Handler) findSession(ctx context.Context, coach coaching.Coach, rd *reading.Reading) (coaching.Session, bool, error) {
	now := h.Clock.Now()
	if s, ok, err := h.sessionByRef(ctx, coach, rd, now); err != nil || ok {
		return s, ok, err
	}
	var addrs []string
	for _, f := range rd.Forwarded {
		addrs = append(addrs, f.From)
		addrs = append(addrs, f.To...)
		addrs = append(addrs, f.Cc...)
	}
	addrs = append(addrs, rd.To...)
	addrs = append(addrs, rd.Cc...)
	seen := map[string]bool{coach.Email: true, h.NotesAddress: true}
	for _, a := range addrs {
		a = coaching.NormalizeAddress(a)
		if a == "" || seen[a] || h.isOurs(a) {
			continue
		}
		seen[a] = true
		l, err := h.Store.LeaderByEmail(ctx, a)
		if coaching.IsNotFound(err) {
			continue
		} else if err != nil {
			return coaching.Session{}, false, fmt.Errorf("look up leader named in notes: %w", err)
		}
		if l.CoachID != coach.ID {
			continue
		}
		sessions, err := h.Store.SessionsOfLeader(ctx, l.ID, now.AddDate(0, 0, -14), now.Add(time.Minute))
		if err != nil {
			return coaching.Session{}, false, fmt.Errorf("list sessions of leader: %w", err)
		}
		if s, ok := latestStarted(sessions, now, false); ok {
			return s, true, nil
		}
	}
	sessions, err := h.Store.SessionsOfCoach(ctx, coach.ID, now.Add(-notesWindow-24*time.Hour), now.Add(time.Minute))
	if err != nil {
		return coaching.Session{}, false, fmt.Errorf("list recent sessions of coach: %w", err)
	}
	s, ok := latestStarted(sessions, now, true)
	if ok && s.End.Before(now.Add(-notesWindow)) {
		ok = false
	}
	return s, ok, nil
}

// sessionByRef finds the coach's session a session reference in the
// subjects names. A reference is only compared with the coach's own
// sessions, so a reference of another practice's session finds nothing.
func (h *Handler) sessionByRef(ctx context.Context, coach coaching.Coach, rd *reading.Reading, now time.Time) (coaching.Session, bool, error) {
	subjects := []string{rd.Subject}
	for _, f := range rd.Forwarded {
		subjects = append(subjects, f.Subject)
	}
	refs := coaching.FindSessionRefs(strings.Join(subjects, "\n"))
	if len(refs) == 0 {
		return coaching.Session{}, false, nil
	}
	sessions, err := h.Store.SessionsOfCoach(ctx, coach.ID, now.Add(-refWindow), now.Add(24*time.Hour))
	if err != nil {
		return coaching.Session{}, false, fmt.Errorf("list sessions of coach for a reference: %w", err)
	}
	for _, ref := range refs {
		var match []coaching.Session
		for _, s := range sessions {
			if s.Status != coaching.SessionCancelled && coaching.SessionRef(s.ID) == ref {
				match = append(match, s)
			}
		}
		// Two of the coach's sessions sharing a reference is rare (see
		// coaching.SessionRef); the one that started last is the likelier.
		if s, ok := latestStarted(match, now.Add(24*time.Hour), false); ok {
			return s, true, nil
		}
	}
	return coaching.Session{}, false, nil
}

// latestStarted returns the last session, by start, that has started by now
// and is not cancelled; with oneToOne, group sessions do not count.
func latestStarted(sessions []coaching.Session, now time.Time, oneToOne bool) (coaching.Session, bool) {
	var best coaching.Session
	found := false
	for _, s := range sessions {
		if s.Status == coaching.SessionCancelled || s.Start.After(now) || (oneToOne && s.Group()) {
			continue
		}
		if !found || s.Start.After(best.Start) {
			best, found = s, true
		}
	}
	return best, found
}

// applyNotes records the outcomes of a session, makes the actions the
// commitments of the leader they belong to, and schedules the recap and
// reminder.
func (h *Handler) applyNotes(ctx context.Context, r Receipt, rd *reading.Reading, coach coaching.Coach, s coaching.Session) (Result, error) {
	route := coaching.RouteNotes
	now := h.Clock.Now()
	ch := coaching.Change{Inbound: h.inboundRecord(r, route, Applied)}
	ch.Inbound.CoachID = coach.ID
	leaders := make([]coaching.Leader, 0, len(s.LeaderIDs))
	for _, id := range s.LeaderIDs {
		l, err := h.Store.LeaderByID(ctx, id)
		if err != nil {
			return Result{Route: route}, fmt.Errorf("load leader of session: %w", err)
		}
		leaders = append(leaders, l)
	}
	if !s.Group() && len(leaders) == 1 {
		ch.Inbound.LeaderID = leaders[0].ID
	}
	rd.ReadItems()
	for _, it := range rd.Items {
		// In a 1:1 session every outcome is the leader's. In a group
		// session an outcome that names one or more of its leaders is
		// theirs (and an action their commitment); the others are the
		// group's, shown to all and held by nobody in particular.
		owners := []string{ch.Inbound.LeaderID}
		if s.Group() {
			owners = owners[:0]
			for _, l := range namedLeaders(it.Text, leaders) {
				owners = append(owners, l.ID)
			}
			if len(owners) == 0 {
				owners = append(owners, "")
			}
		}
		for _, leaderID := range owners {
			o := coaching.Outcome{SessionID: s.ID, LeaderID: leaderID, Kind: coaching.OutcomeKind(it.Type), Text: it.Text, Due: it.Due, CreatedAt: now}
			ch.Outcomes = append(ch.Outcomes, o)
			if o.Kind != coaching.Action || leaderID == "" {
				continue
			}
			// A nanosecond apart, so that the store's order by creation
			// time is the order the notes wrote them in.
			at := now.Add(time.Duration(len(ch.Commitments)))
			c := coaching.Commitment{ID: coaching.NewID(), LeaderID: leaderID, SessionID: s.ID, Text: it.Text, Due: it.Due, Status: coaching.CommitmentOpen, CreatedAt: at}
			c.Record(coaching.StatusChange{At: now, Event: coaching.EventMade, Status: coaching.CommitmentOpen, SessionID: s.ID, Source: r.MessageID})
			ch.Commitments = append(ch.Commitments, c)
		}
	}
	if s.NotesAt.IsZero() {
		// The first notes of a session bring its recap and reminder; later
		// notes add outcomes, which a recap still pending will show.
		s.NotesAt = now
		s.UpdatedAt = now
		ch.Session = &s
		party := cycle.Party{Coach: coach, Leaders: leaders}
		next := map[string]coaching.Session{}
		for _, id := range s.LeaderIDs {
			later, err := h.Store.SessionsOfLeader(ctx, id, s.Start.Add(time.Second), s.Start.AddDate(0, 3, 0))
			if err != nil {
				return Result{Route: route}, fmt.Errorf("list next sessions: %w", err)
			}
			for _, n := range later {
				if n.Status != coaching.SessionCancelled && n.ID != s.ID {
					next[id] = n
					break
				}
			}
		}
		ch.Emails = cycle.PostSession(s, party, now, next)
	}
	if err := h.Store.Apply(ctx, ch); err != nil {
		return Result{Route: route}, fmt.Errorf("apply notes: %w", err)
	}
	reason := ""
	if len(rd.Items) == 0 {
		reason = "no outcomes found in the notes"
	}
	return Result{Route: route, Outcome: Applied, Reason: reason}, nil
}

// invite applies a calendar invitation from a coach.
func (h *Handler) invite(ctx context.Context, r Receipt, rd *reading.Reading, coach coaching.Coach) (Result, error) {
	route := coaching.RouteInvite
	if !h.authenticated(r, rd) {
		q := quarantine(route, "sender authentication failed (DKIM/SPF/DMARC)")
		q.coach = coach
		return Result{Route: route}, q
	}
	_, err := h.Cycle.ApplyInvite(ctx, coach, rd.Calendar, []string{h.NotesAddress})
	if coaching.IsInvalid(err) {
		q := quarantine(route, "invitation not applied: "+err.Error())
		q.coach = coach
		return Result{Route: route}, q
	} else if err != nil {
		return Result{Route: route}, fmt.Errorf("apply invitation: %w", err)
	}
	return h.record(ctx, r, route, Applied, "")
}

package cycle

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/coachmail/coachmail/internal/calendar"
	"github.com/coachmail/coachmail/internal/coaching"
)

// Horizon is how many occurrences of a series are made into sessions at a
// time.
const Horizon = 8

// InviteResult counts what an invitation changed.
type InviteResult struct {
	Created, Updated, Cancelled, Unchanged int
	Sessions                               []coaching.Session
}

// ApplyInvite makes sessions of a calendar invitation from a coach (RFC
// 5546): REQUEST (or PUBLISH) creates the sessions of the event, or updates
// them when its SEQUENCE is at least the stored one; CANCEL cancels them. A
// series is expanded up to Horizon occurrences from now, with EXDATEs and
// overridden occurrences honoured, and stored (coaching.Series) for TopUp
// to make its later occurrences into sessions; a change or cancellation of
// one occurrence, or of the whole series, is recorded in it too. The
// attendees who are not the coach, not one of ours (coachmail's own
// addresses) and not rooms are the leaders; unknown ones are created with
// the coach's defaults. An invitation that cannot be applied is an
// EINVALID error.
func (c *Cycle) ApplyInvite(ctx context.Context, coach coaching.Coach, inv *calendar.Invite, ours []string) (InviteResult, error) {
	var res InviteResult
	if inv == nil || inv.UID == "" {
		return res, coaching.Errorf(coaching.EINVALID, "invitation without a UID")
	}
	if inv.Organizer != "" && coaching.NormalizeAddress(inv.Organizer) != coach.Email {
		return res, coaching.Errorf(coaching.EINVALID, "the organizer is not the coach who sent it")
	}
	now := c.Clock.Now()
	switch inv.Method {
	case "CANCEL":
		return c.cancelInvite(ctx, coach, inv, now)
	case "REQUEST", "PUBLISH", "":
	default:
		return res, coaching.Errorf(coaching.EINVALID, "calendar method %s is not handled", inv.Method)
	}
	if inv.Status == "CANCELLED" {
		return c.cancelInvite(ctx, coach, inv, now)
	}
	// For a master (an invitation without RECURRENCE-ID): the sessions
	// of the event so far, and how far its series was made into sessions.
	// An older revision of a kept series is ignored whole, so that it does
	// not bring back occurrences the newer one dropped.
	var all []coaching.Session
	var reach time.Time
	if inv.RecurrenceID.IsZero() {
		cur, err := c.Store.SeriesByUID(ctx, inv.UID)
		switch {
		case err == nil && cur.CoachID == coach.ID && inv.Sequence < cur.Sequence:
			res.Unchanged++
			return res, nil
		case err == nil && cur.CoachID == coach.ID:
			inv, reach = withStoredOverrides(inv, cur, now), cur.Through
		case err != nil && !coaching.IsNotFound(err):
			return res, fmt.Errorf("look up series of invitation: %w", err)
		}
		if all, err = c.Store.SessionsByCalendar(ctx, inv.UID); err != nil {
			return res, fmt.Errorf("list sessions of invitation: %w", err)
		}
	}
	leaders, err := c.inviteLeaders(ctx, coach, inv, ours)
	if err != nil {
		return res, err
	}
	type occ struct {
		start, end time.Time
		rid        string
		cancelled  bool
	}
	var occs []occ
	var window []calendar.Occurrence
	if !inv.RecurrenceID.IsZero() {
		occs = append(occs, occ{inv.Start, inv.End, rid(inv.RecurrenceID), false})
	} else {
		window = horizon(inv, now, reach)
		for _, o := range window {
			r := ""
			if inv.RRule != "" || len(inv.RDates) > 0 {
				r = rid(o.RecurrenceID)
			}
			occs = append(occs, occ{o.Start, o.End, r, o.Cancelled})
		}
	}
	wanted := map[string]bool{}
	for _, o := range occs {
		wanted[o.rid] = true
		existing, err := c.Store.SessionByCalendar(ctx, inv.UID, o.rid)
		switch {
		case coaching.IsNotFound(err):
			if o.cancelled {
				continue
			}
			s, err := c.AddSession(ctx, coaching.Session{
				CoachID: coach.ID, LeaderIDs: leaders, Title: inv.Summary, Start: o.start.UTC(), End: o.end.UTC(),
				TimeZone: inv.TZID, CalendarUID: inv.UID, RecurrenceID: o.rid, Sequence: inv.Sequence,
			})
			if err != nil {
				return res, fmt.Errorf("create session of invitation: %w", err)
			}
			res.Created++
			res.Sessions = append(res.Sessions, s)
			continue
		case err != nil:
			return res, fmt.Errorf("look up session of invitation: %w", err)
		}
		if inv.Sequence < existing.Sequence || existing.CoachID != coach.ID {
			res.Unchanged++
			continue // an older revision arriving late, or not this coach's
		}
		status := coaching.SessionScheduled
		if o.cancelled {
			status = coaching.SessionCancelled
		}
		if existing.Start.Equal(o.start) && existing.End.Equal(o.end) && existing.Status == status &&
			slices.Equal(existing.LeaderIDs, leaders) && existing.Title == inv.Summary {
			res.Unchanged++
			continue
		}
		existing.Start, existing.End, existing.Status = o.start.UTC(), o.end.UTC(), status
		existing.LeaderIDs, existing.Title, existing.Sequence, existing.TimeZone = leaders, inv.Summary, inv.Sequence, inv.TZID
		s, err := c.UpdateSession(ctx, existing)
		if err != nil {
			return res, fmt.Errorf("update session of invitation: %w", err)
		}
		if status == coaching.SessionCancelled {
			res.Cancelled++
		} else {
			res.Updated++
		}
		res.Sessions = append(res.Sessions, s)
	}
	// Future occurrences of the series that the new revision no longer has
	// (an EXDATE added, the series shortened) are cancelled.
	if inv.RecurrenceID.IsZero() {
		last := now
		for _, o := range occs {
			if o.start.After(last) {
				last = o.start
			}
		}
		for _, s := range all {
			if wanted[s.RecurrenceID] || s.Status == coaching.SessionCancelled || !s.Start.After(now) || s.Start.After(last) || inv.Sequence < s.Sequence {
				continue
			}
			if _, err := c.CancelSession(ctx, s.ID); err != nil {
				return res, fmt.Errorf("cancel dropped occurrence: %w", err)
			}
			res.Cancelled++
		}
		// The series is kept, so that TopUp makes its later occurrences
		// into sessions as these pass.
		if err := c.keepSeries(ctx, coach, inv, leaders, window, now); err != nil {
			return res, err
		}
	} else if err := c.noteOverride(ctx, coach, inv, false, now); err != nil {
		return res, err
	}
	return res, nil
}

func (c *Cycle) cancelInvite(ctx context.Context, coach coaching.Coach, inv *calendar.Invite, now time.Time) (InviteResult, error) {
	var res InviteResult
	var targets []coaching.Session
	if !inv.RecurrenceID.IsZero() {
		s, err := c.Store.SessionByCalendar(ctx, inv.UID, rid(inv.RecurrenceID))
		switch {
		case err == nil:
			targets = append(targets, s)
		case !coaching.IsNotFound(err):
			return res, fmt.Errorf("look up cancelled occurrence: %w", err)
		}
		// Not found: an occurrence beyond the horizon, which the series
		// below is told of.
	} else {
		all, err := c.Store.SessionsByCalendar(ctx, inv.UID)
		if err != nil {
			return res, fmt.Errorf("list sessions of cancelled invitation: %w", err)
		}
		for _, s := range all {
			if s.End.After(now) {
				targets = append(targets, s)
			}
		}
	}
	for _, s := range targets {
		if s.Status == coaching.SessionCancelled || inv.Sequence < s.Sequence {
			res.Unchanged++
			continue
		}
		cs, err := c.CancelSession(ctx, s.ID)
		if err != nil {
			return res, fmt.Errorf("cancel session: %w", err)
		}
		res.Cancelled++
		res.Sessions = append(res.Sessions, cs)
	}
	// The stored series learns of it too, so that TopUp does not make the
	// cancelled occurrences into sessions later.
	var err error
	if inv.RecurrenceID.IsZero() {
		err = c.endSeries(ctx, coach, inv, now)
	} else {
		err = c.noteOverride(ctx, coach, inv, true, now)
	}
	if err != nil {
		return res, err
	}
	return res, nil
}

// horizon returns the occurrences of a master invitation to make into
// sessions: the next Horizon from now, and further until one starts at or
// after reach, the start of the last occurrence its series already made
// into a session (by top-ups, or by an earlier revision of another
// cadence), so that a revision reaches each of those sessions.
func horizon(inv *calendar.Invite, now, reach time.Time) []calendar.Occurrence {
	for n := Horizon; ; n *= 2 {
		occs := inv.Occurrences(now, n)
		if len(occs) == n && occs[n-1].Start.Before(reach) && n < calendar.ExpansionLimit {
			continue
		}
		for i := Horizon; i < len(occs); i++ {
			if !occs[i-1].Start.Before(reach) {
				return occs[:i]
			}
		}
		return occs
	}
}

// inviteLeaders finds or creates the leaders among an invitation's attendees.
func (c *Cycle) inviteLeaders(ctx context.Context, coach coaching.Coach, inv *calendar.Invite, ours []string) ([]string, error) {
	var ids []string
	for _, a := range inv.Attendees {
		addr := coaching.NormalizeAddress(a.Addr)
		if addr == "" || addr == coach.Email || slices.Contains(ours, addr) || a.CUType == "ROOM" || a.CUType == "RESOURCE" {
			continue
		}
		l, err := c.Store.LeaderByEmail(ctx, addr)
		if coaching.IsNotFound(err) {
			l = coaching.Leader{ID: coaching.NewID(), Email: addr, Name: a.Name, CoachID: coach.ID, TimeZone: coach.TimeZone, CreatedAt: c.Clock.Now()}
			if l.TimeZone == "" {
				l.TimeZone = inv.TZID
			}
			if err := c.Store.CreateLeader(ctx, l); err != nil {
				if !coaching.IsConflict(err) {
					return nil, fmt.Errorf("create leader from invitation: %w", err)
				}
				// Created meanwhile by a concurrent delivery: use that one.
				if l, err = c.Store.LeaderByEmail(ctx, addr); err != nil {
					return nil, fmt.Errorf("load leader from invitation: %w", err)
				}
			}
		} else if err != nil {
			return nil, fmt.Errorf("look up attendee: %w", err)
		}
		if l.CoachID != coach.ID {
			continue // another coach's leader: not this coach's to schedule
		}
		if !slices.Contains(ids, l.ID) {
			ids = append(ids, l.ID)
		}
	}
	if len(ids) == 0 {
		return nil, coaching.Errorf(coaching.EINVALID, "no leader among the attendees")
	}
	return ids, nil
}

// rid formats a recurrence id as the store keeps it.
func rid(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

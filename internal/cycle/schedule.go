// Package cycle runs the coaching cycle of SPEC.md: it turns sessions into
// the emails that go with them (prompt, brief, recap, reminder), keeps those
// emails in step when a session moves or is cancelled, and dispatches what
// is due, once.
//
// Times of the cycle are computed on the wall clock of the recipient's time
// zone: "24 hours before" a Monday 10:00 session is Sunday 10:00 local, even
// on the Sunday a daylight-saving change happens. Whole days of an offset
// move the calendar date; the remainder is subtracted as elapsed time.
package cycle

import (
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

// Before returns the instant that is d before t on the wall clock of loc.
func Before(t time.Time, d time.Duration, loc *time.Location) time.Time {
	return shift(t, -d, loc)
}

// After returns the instant that is d after t on the wall clock of loc.
func After(t time.Time, d time.Duration, loc *time.Location) time.Time {
	return shift(t, d, loc)
}

func shift(t time.Time, d time.Duration, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	days := int(d / (24 * time.Hour))
	rest := d % (24 * time.Hour)
	local := t.In(loc)
	moved := time.Date(local.Year(), local.Month(), local.Day()+days, local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), loc)
	return moved.Add(rest).UTC()
}

// Party is who a session's emails go to: the coach and the leaders, with
// the settings that decide when.
type Party struct {
	Coach   coaching.Coach
	Leaders []coaching.Leader
}

// offsets returns the offsets that apply to a leader.
func (p Party) offsets(l coaching.Leader) coaching.Offsets {
	return l.Offsets.Or(p.Coach.Offsets.Or(coaching.DefaultOffsets()))
}

// PreSession returns the emails that go out before a session: a prompt to
// each reachable leader and one brief to the coach. Emails whose time has
// already passed at now are left out: a prompt that arrives after the
// session would only confuse.
func PreSession(s coaching.Session, p Party, now time.Time) []coaching.ScheduledEmail {
	var out []coaching.ScheduledEmail
	if s.Status == coaching.SessionCancelled || !s.Start.After(now) {
		return nil
	}
	for _, l := range p.Leaders {
		if !l.Reachable() || !s.HasLeader(l.ID) {
			continue
		}
		due := Before(s.Start, p.offsets(l).Prompt, l.Location())
		if due.Before(now) {
			// Late scheduling (a session booked for tomorrow morning):
			// ask now rather than never, if the session is still ahead.
			due = now
		}
		out = append(out, newEmail(coaching.EmailPrompt, s, l.ID, due))
	}
	coachOffsets := p.Coach.Offsets.Or(coaching.DefaultOffsets())
	due := Before(s.Start, coachOffsets.Brief, coaching.LoadLocation(p.Coach.TimeZone))
	if due.Before(now) {
		due = now
	}
	out = append(out, newEmail(coaching.EmailBrief, s, "", due))
	for i := range out {
		out[i].CoachID = s.CoachID
	}
	return out
}

// PostSession returns the emails that follow the coach's notes: a recap to
// each reachable leader after the review delay, and a commitment reminder
// before the leader's next session (or some days after this one when no
// next session is known).
func PostSession(s coaching.Session, p Party, notesAt time.Time, next map[string]coaching.Session) []coaching.ScheduledEmail {
	var out []coaching.ScheduledEmail
	for _, l := range p.Leaders {
		if !l.Reachable() || !s.HasLeader(l.ID) {
			continue
		}
		o := p.offsets(l)
		recap := newEmail(coaching.EmailRecap, s, l.ID, notesAt.Add(o.Review))
		recap.CoachID = s.CoachID
		out = append(out, recap)
		rem := newEmail(coaching.EmailReminder, s, l.ID, ReminderDue(s, l, o, next[l.ID]))
		if !rem.Due.After(recap.Due) {
			rem.Due = recap.Due.Add(time.Hour)
		}
		rem.CoachID = s.CoachID
		out = append(out, rem)
	}
	return out
}

// ReminderDue is when a leader is reminded of the commitments made in s:
// o.Reminder before the next session, or o.ReminderAfter after s ended when
// there is no next session (zero next) or it is too close to remind before.
func ReminderDue(s coaching.Session, l coaching.Leader, o coaching.Offsets, next coaching.Session) time.Time {
	loc := l.Location()
	if !next.Start.IsZero() && next.Status != coaching.SessionCancelled {
		due := Before(next.Start, o.Reminder, loc)
		if due.After(s.End) {
			return due
		}
	}
	return After(s.End, o.ReminderAfter, loc)
}

func newEmail(kind coaching.EmailKind, s coaching.Session, leaderID string, due time.Time) coaching.ScheduledEmail {
	return coaching.ScheduledEmail{
		ID:        coaching.NewID(),
		Kind:      kind,
		SessionID: s.ID,
		LeaderID:  leaderID,
		CoachID:   s.CoachID,
		Due:       due.UTC(),
		State:     coaching.EmailPending,
	}
}

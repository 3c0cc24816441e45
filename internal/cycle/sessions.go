package cycle

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

// Cycle applies changes to sessions and keeps their emails in step.
type Cycle struct {
	Store coaching.Store
	Clock coaching.Clock
	Log   *slog.Logger
}

// party loads the coach and leaders of a session.
func (c *Cycle) party(ctx context.Context, s coaching.Session) (Party, error) {
	coach, err := c.Store.CoachByID(ctx, s.CoachID)
	if err != nil {
		return Party{}, fmt.Errorf("load coach of session %s: %w", s.ID, err)
	}
	p := Party{Coach: coach}
	for _, id := range s.LeaderIDs {
		l, err := c.Store.LeaderByID(ctx, id)
		if err != nil {
			return Party{}, fmt.Errorf("load leader of session %s: %w", s.ID, err)
		}
		p.Leaders = append(p.Leaders, l)
	}
	return p, nil
}

// AddSession stores a new session and schedules its pre-session emails.
func (c *Cycle) AddSession(ctx context.Context, s coaching.Session) (coaching.Session, error) {
	if s.CoachID == "" || len(s.LeaderIDs) == 0 {
		return s, coaching.Errorf(coaching.EINVALID, "a session needs a coach and at least one leader")
	}
	if s.Start.IsZero() || !s.End.After(s.Start) {
		return s, coaching.Errorf(coaching.EINVALID, "a session needs a start before its end")
	}
	now := c.Clock.Now()
	if s.ID == "" {
		s.ID = coaching.NewID()
	}
	if s.Status == "" {
		s.Status = coaching.SessionScheduled
	}
	s.CreatedAt, s.UpdatedAt = now, now
	p, err := c.party(ctx, s)
	if err != nil {
		return s, err
	}
	if err := c.Store.CreateSession(ctx, s); err != nil {
		return s, fmt.Errorf("create session: %w", err)
	}
	s.Version = 1
	if err := c.Store.ScheduleEmails(ctx, PreSession(s, p, now)); err != nil {
		return s, fmt.Errorf("schedule emails of session %s: %w", s.ID, err)
	}
	return s, nil
}

// MoveSession gives a session a new time and moves its pending
// pre-session emails with it; what was already sent stays sent.
func (c *Cycle) MoveSession(ctx context.Context, id string, start, end time.Time) (coaching.Session, error) {
	if start.IsZero() || !end.After(start) {
		return coaching.Session{}, coaching.Errorf(coaching.EINVALID, "a session needs a start before its end")
	}
	s, err := c.Store.SessionByID(ctx, id)
	if err != nil {
		return s, fmt.Errorf("load session %s: %w", id, err)
	}
	if s.Status == coaching.SessionCancelled {
		return s, coaching.Errorf(coaching.EINVALID, "session %s is cancelled", id)
	}
	s.Start, s.End = start, end
	return c.reschedule(ctx, s)
}

// UpdateSession stores a changed session (times, leaders, status) and
// brings its pending emails in line with it.
func (c *Cycle) UpdateSession(ctx context.Context, s coaching.Session) (coaching.Session, error) {
	return c.reschedule(ctx, s)
}

func (c *Cycle) reschedule(ctx context.Context, s coaching.Session) (coaching.Session, error) {
	now := c.Clock.Now()
	s.UpdatedAt = now
	if err := c.Store.UpdateSession(ctx, s); err != nil {
		return s, fmt.Errorf("update session %s: %w", s.ID, err)
	}
	s.Version++
	p, err := c.party(ctx, s)
	if err != nil {
		return s, err
	}
	emails, err := c.Store.EmailsOfSession(ctx, s.ID)
	if err != nil {
		return s, fmt.Errorf("list emails of session %s: %w", s.ID, err)
	}
	wanted := map[string]coaching.ScheduledEmail{}
	for _, e := range PreSession(s, p, now) {
		wanted[string(e.Kind)+"/"+e.LeaderID] = e
	}
	for _, e := range emails {
		if e.Kind != coaching.EmailPrompt && e.Kind != coaching.EmailBrief {
			if s.Status == coaching.SessionCancelled && e.State == coaching.EmailPending {
				e.State = coaching.EmailCancelled
				if err := c.Store.UpdateEmail(ctx, e); err != nil {
					return s, fmt.Errorf("cancel email %s: %w", e.ID, err)
				}
			}
			continue
		}
		key := string(e.Kind) + "/" + e.LeaderID
		w, keep := wanted[key]
		delete(wanted, key)
		if e.State != coaching.EmailPending {
			continue // sent stays sent; a claimed one is in flight
		}
		if !keep {
			e.State = coaching.EmailCancelled
		} else if e.Due.Equal(w.Due) {
			continue
		} else {
			e.Due = w.Due
		}
		if err := c.Store.UpdateEmail(ctx, e); err != nil {
			return s, fmt.Errorf("move email %s: %w", e.ID, err)
		}
	}
	var added []coaching.ScheduledEmail
	for _, e := range wanted {
		if !alreadyDone(emails, e) {
			added = append(added, e)
		}
	}
	if len(added) > 0 {
		if err := c.Store.ScheduleEmails(ctx, added); err != nil {
			return s, fmt.Errorf("schedule emails of session %s: %w", s.ID, err)
		}
	}
	return s, nil
}

// alreadyDone reports whether an email of the same kind and leader was sent
// or is in flight, so moving a session does not send a second prompt.
func alreadyDone(emails []coaching.ScheduledEmail, e coaching.ScheduledEmail) bool {
	for _, o := range emails {
		if o.Kind == e.Kind && o.LeaderID == e.LeaderID && (o.State == coaching.EmailSent || o.State == coaching.EmailClaimed) {
			return true
		}
	}
	return false
}

// CancelSession cancels a session and everything still pending for it.
func (c *Cycle) CancelSession(ctx context.Context, id string) (coaching.Session, error) {
	s, err := c.Store.SessionByID(ctx, id)
	if err != nil {
		return s, fmt.Errorf("load session %s: %w", id, err)
	}
	if s.Status == coaching.SessionCancelled {
		return s, nil
	}
	s.Status = coaching.SessionCancelled
	return c.reschedule(ctx, s)
}

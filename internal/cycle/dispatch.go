package cycle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"sort"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/compose"
	"github.com/coachmail/coachmail/internal/token"
	"github.com/coachmail/coachmail/templates"
)

// Sender hands a raw message to the mail service (SES v2 in AWS, the
// outbox in local mode) and returns the service's message id. The
// Dispatcher's Temporary function says which errors are retried after the
// lease; any other error fails the email for good.
type Sender interface {
	Send(ctx context.Context, from string, to []string, raw []byte) (string, error)
}

// Compactor is a Store that keeps some changes pending (a reply's status
// reports, written as one item) and can fold them into the items they
// change, off the request path. internal/dynamo's Store is one.
type Compactor interface {
	Compact(ctx context.Context, leaderID string) (int, error)
}

// Dispatcher sends the scheduled emails that are due, each once: it claims
// an email with a conditional write, renders and sends it, then records it
// as sent with the service's message id. Two dispatchers may run at once;
// the claim decides which one sends. A dispatcher that dies between claim
// and send leaves the email claimed until its lease expires, after which
// another run sends it.
type Dispatcher struct {
	Store     coaching.Store
	Clock     coaching.Clock
	Sender    Sender
	Templates *templates.Templates
	Keys      *token.Keyring
	Log       *slog.Logger

	From           string // verified sender address
	Practice       string // display name of the From header when the coach has none
	IntakeDomain   string // domain of reply+TOKEN@ and of our Message-IDs
	NotesAddress   string // where coaches send notes, named in the brief
	UnsubscribeURL string // one-click endpoint; "" leaves out the https link

	// Temporary reports whether a Sender error is worth retrying; nil
	// means errors with a Temporary() bool method that returns true.
	Temporary func(error) bool

	Lease    time.Duration // how long a claim holds; default 5 minutes
	Batch    int           // most emails per run; default 200
	TokenTTL time.Duration // how long a reply token verifies; default 60 days
}

// Result counts what one dispatch run did.
type Result struct {
	Sent      int // handed to the mail service and recorded
	Skipped   int // cancelled at send time: unreachable recipient, nothing to say
	Lost      int // claimed by another dispatcher first
	Retry     int // temporary failure: retried after the lease
	Failed    int // permanent failure
	Remaining bool
}

// Add adds the counts of another run to r; Remaining is left as it is.
func (r *Result) Add(o Result) {
	r.Sent += o.Sent
	r.Skipped += o.Skipped
	r.Lost += o.Lost
	r.Retry += o.Retry
	r.Failed += o.Failed
}

// Run sends what is due now.
func (d *Dispatcher) Run(ctx context.Context) (Result, error) {
	var res Result
	batch := d.Batch
	if batch <= 0 {
		batch = 200
	}
	now := d.Clock.Now()
	due, err := d.Store.DueEmails(ctx, now, batch)
	if err != nil {
		return res, fmt.Errorf("list due emails: %w", err)
	}
	res.Remaining = len(due) == batch
	for _, e := range due {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		switch outcome, err := d.send(ctx, e); outcome {
		case outcomeSent:
			res.Sent++
		case outcomeSkipped:
			res.Skipped++
		case outcomeLost:
			res.Lost++
		case outcomeRetry:
			res.Retry++
			d.Log.WarnContext(ctx, "dispatch: temporary failure, retried after the lease", "email", e.ID, "kind", e.Kind, "err", err)
		case outcomeFailed:
			res.Failed++
			d.Log.ErrorContext(ctx, "dispatch: email failed", "email", e.ID, "kind", e.Kind, "err", err)
		}
	}
	return res, nil
}

type outcome int

const (
	outcomeSent outcome = iota
	outcomeSkipped
	outcomeLost
	outcomeRetry
	outcomeFailed
)

// errSkip marks an email that has nothing to send (the leader unsubscribed,
// no open commitments to remind of); it is cancelled with the reason.
type errSkip string

func (e errSkip) Error() string { return string(e) }

func (d *Dispatcher) send(ctx context.Context, e coaching.ScheduledEmail) (outcome, error) {
	now := d.Clock.Now()
	lease := d.Lease
	if lease <= 0 {
		lease = 5 * time.Minute
	}
	if e.MessageID == "" {
		// Chosen once, kept across retries: a resend after a crash is the
		// same message to every receiving system.
		e.MessageID = coaching.NewID() + "@" + d.IntakeDomain
	}
	claimed, err := d.Store.ClaimEmail(ctx, e, now, now.Add(lease))
	if err != nil {
		if coaching.IsConflict(err) {
			return outcomeLost, nil
		}
		return outcomeRetry, fmt.Errorf("claim email %s: %w", e.ID, err)
	}
	if c, ok := d.Store.(Compactor); ok && claimed.LeaderID != "" {
		// Off the reply path: fold the leader's reported statuses into
		// their commitments before this email reads them.
		if _, err := c.Compact(ctx, claimed.LeaderID); err != nil {
			d.Log.WarnContext(ctx, "dispatch: compaction failed; reads fold the reports anyway", "email", e.ID, "err", err)
		}
	}
	out, ref, err := d.render(ctx, claimed, now)
	var skip errSkip
	switch {
	case errors.As(err, &skip):
		claimed.State = coaching.EmailCancelled
		claimed.Error = string(skip)
		if err := d.Store.UpdateEmail(ctx, claimed); err != nil {
			return outcomeRetry, fmt.Errorf("cancel email %s: %w", e.ID, err)
		}
		d.Log.InfoContext(ctx, "dispatch: skipped", "email", e.ID, "kind", e.Kind, "reason", string(skip))
		return outcomeSkipped, nil
	case coaching.IsInvalid(err) || coaching.IsNotFound(err) || errors.Is(err, compose.ErrInvalid):
		return d.fail(ctx, claimed, err)
	case err != nil:
		return outcomeRetry, err
	}
	raw, err := compose.Build(out)
	if err != nil {
		return d.fail(ctx, claimed, err)
	}
	to := make([]string, len(out.To))
	for i, a := range out.To {
		to[i] = a.Address
	}
	sesID, err := d.Sender.Send(ctx, out.From.Address, to, raw)
	if err != nil {
		if d.temporary(err) {
			return outcomeRetry, fmt.Errorf("send email %s: %w", e.ID, err)
		}
		return d.fail(ctx, claimed, fmt.Errorf("send email %s: %w", e.ID, err))
	}
	claimed.SESMessageID = sesID
	claimed.SentAt = d.Clock.Now()
	ref.SentAt = claimed.SentAt
	if err := d.Store.MarkSent(ctx, claimed, ref); err != nil {
		// The mail is out; the lease keeps others off it while this is
		// retried by the next run's claim failing on a changed version
		// only if the write went through. Report it loudly.
		return outcomeRetry, fmt.Errorf("record email %s as sent (SES id %s): %w", e.ID, sesID, err)
	}
	d.Log.InfoContext(ctx, "dispatch: sent", "email", e.ID, "kind", e.Kind, "session", e.SessionID)
	return outcomeSent, nil
}

func (d *Dispatcher) temporary(err error) bool {
	if d.Temporary != nil {
		return d.Temporary(err)
	}
	var t interface{ Temporary() bool }
	return errors.As(err, &t) && t.Temporary()
}

func (d *Dispatcher) fail(ctx context.Context, e coaching.ScheduledEmail, cause error) (outcome, error) {
	e.State = coaching.EmailFailed
	e.Error = cause.Error()
	if err := d.Store.UpdateEmail(ctx, e); err != nil {
		return outcomeRetry, fmt.Errorf("mark email %s failed: %w (cause: %v)", e.ID, err, cause)
	}
	return outcomeFailed, cause
}

// render builds the message of a claimed email and the SentRef that lets a
// reply find its way back.
func (d *Dispatcher) render(ctx context.Context, e coaching.ScheduledEmail, now time.Time) (compose.Message, coaching.SentRef, error) {
	ttl := d.TokenTTL
	if ttl <= 0 {
		ttl = 60 * 24 * time.Hour
	}
	ref := coaching.SentRef{
		MessageID: e.MessageID, TokenID: e.ID, EmailID: e.ID, Kind: e.Kind,
		SessionID: e.SessionID, LeaderID: e.LeaderID, CoachID: e.CoachID,
		Expires: now.Add(ttl),
	}
	coach, err := d.Store.CoachByID(ctx, e.CoachID)
	if err != nil {
		return compose.Message{}, ref, fmt.Errorf("load coach: %w", err)
	}
	practice := coach.Practice
	if practice == "" {
		practice = d.Practice
	}
	m := compose.Message{
		From:         mail.Address{Name: practice, Address: d.From},
		IntakeDomain: d.IntakeDomain,
		Date:         now,
		MessageID:    e.MessageID,
	}
	var session coaching.Session
	if e.SessionID != "" {
		if session, err = d.Store.SessionByID(ctx, e.SessionID); err != nil {
			return m, ref, fmt.Errorf("load session: %w", err)
		}
		if m.References, err = d.thread(ctx, e); err != nil {
			return m, ref, err
		}
	}
	var mailOut templates.Email
	if e.LeaderID == "" {
		if reason, err := d.Store.Suppression(ctx, coach.Email); err != nil {
			return m, ref, fmt.Errorf("check suppression: %w", err)
		} else if reason != "" {
			return m, ref, errSkip("coach address suppressed: " + reason)
		}
		m.To = []mail.Address{{Name: coach.Name, Address: coach.Email}}
		if e.Kind == coaching.EmailBrief {
			mailOut, err = d.brief(ctx, coach, practice, session)
		} else {
			mailOut, err = d.notice(coach, practice, e)
		}
	} else {
		var leader coaching.Leader
		if leader, err = d.Store.LeaderByID(ctx, e.LeaderID); err != nil {
			return m, ref, fmt.Errorf("load leader: %w", err)
		}
		if !leader.Reachable() {
			return m, ref, errSkip("leader unsubscribed or suppressed")
		}
		if reason, err := d.Store.Suppression(ctx, leader.Email); err != nil {
			return m, ref, fmt.Errorf("check suppression: %w", err)
		} else if reason != "" {
			return m, ref, errSkip("leader address suppressed: " + reason)
		}
		m.To = []mail.Address{{Name: leader.Name, Address: leader.Email}}
		unsub, err := d.Keys.Sign(token.Token{ID: e.ID, Purpose: token.Unsubscribe, Expires: now.Add(ttl)})
		if err != nil {
			return m, ref, fmt.Errorf("sign unsubscribe token: %w", err)
		}
		if d.UnsubscribeURL != "" {
			m.UnsubscribeToken, m.UnsubscribeURL = unsub, d.UnsubscribeURL
		}
		mailOut, ref.Commitments, err = d.leaderEmail(ctx, e, coach, practice, leader, session)
		if err != nil {
			return m, ref, err
		}
	}
	if err != nil {
		return m, ref, err
	}
	tok, err := d.Keys.Sign(token.Token{ID: e.ID, Purpose: purposeOf(e.Kind), Expires: now.Add(ttl)})
	if err != nil {
		return m, ref, fmt.Errorf("sign reply token: %w", err)
	}
	m.ReplyToken = tok
	m.Subject, m.Text, m.HTML = mailOut.Subject, mailOut.Text, mailOut.HTML
	return m, ref, nil
}

func purposeOf(k coaching.EmailKind) token.Purpose {
	switch k {
	case coaching.EmailPrompt:
		return token.Prompt
	case coaching.EmailRecap:
		return token.Recap
	case coaching.EmailReminder:
		return token.Reminder
	}
	return token.Brief
}

// thread returns the Message-IDs of the session's emails already sent to the
// same recipient, oldest first, so that mail clients show one conversation.
func (d *Dispatcher) thread(ctx context.Context, e coaching.ScheduledEmail) ([]string, error) {
	emails, err := d.Store.EmailsOfSession(ctx, e.SessionID)
	if err != nil {
		return nil, fmt.Errorf("load thread of session %s: %w", e.SessionID, err)
	}
	sort.Slice(emails, func(i, j int) bool { return emails[i].SentAt.Before(emails[j].SentAt) })
	var refs []string
	for _, o := range emails {
		if o.ID != e.ID && o.State == coaching.EmailSent && o.LeaderID == e.LeaderID && o.MessageID != "" {
			refs = append(refs, o.MessageID)
		}
	}
	if len(refs) > compose.MaxReferences {
		refs = refs[len(refs)-compose.MaxReferences:]
	}
	return refs, nil
}

func (d *Dispatcher) leaderEmail(ctx context.Context, e coaching.ScheduledEmail, coach coaching.Coach, practice string, l coaching.Leader, s coaching.Session) (templates.Email, []string, error) {
	loc := l.Location()
	switch e.Kind {
	case coaching.EmailPrompt:
		open, err := d.Store.Commitments(ctx, l.ID, true)
		if err != nil {
			return templates.Email{}, nil, fmt.Errorf("load commitments: %w", err)
		}
		texts, ids := commitmentList(open)
		out, err := d.Templates.Prompt(templates.Prompt{
			LeaderName: firstName(l.Name), CoachName: coach.Name, Practice: practice,
			SessionStart: s.Start, Location: loc, Group: s.Group(), Commitments: texts,
		})
		return out, ids, err
	case coaching.EmailRecap:
		outcomes, err := d.Store.Outcomes(ctx, s.ID)
		if err != nil {
			return templates.Email{}, nil, fmt.Errorf("load outcomes: %w", err)
		}
		r := templates.Recap{LeaderName: firstName(l.Name), CoachName: coach.Name, Practice: practice, SessionStart: s.Start, Location: loc}
		for _, o := range outcomes {
			if o.LeaderID != "" && o.LeaderID != l.ID {
				continue
			}
			switch o.Kind {
			case coaching.Decision:
				r.Decisions = append(r.Decisions, o.Text)
			case coaching.Reframe:
				r.Reframes = append(r.Reframes, o.Text)
			case coaching.Action:
				r.Actions = append(r.Actions, templates.Action{Text: o.Text, Due: o.Due})
			}
		}
		if len(r.Decisions)+len(r.Reframes)+len(r.Actions) == 0 {
			return templates.Email{}, nil, errSkip("no outcomes in the notes")
		}
		// The recap numbers its actions; they are the leader's commitments
		// of this session, in that order.
		open, err := d.Store.Commitments(ctx, l.ID, true)
		if err != nil {
			return templates.Email{}, nil, fmt.Errorf("load commitments: %w", err)
		}
		var ids []string
		for _, c := range open {
			if c.SessionID == s.ID {
				ids = append(ids, c.ID)
			}
		}
		out, err := d.Templates.Recap(r)
		return out, ids, err
	case coaching.EmailReminder:
		open, err := d.Store.Commitments(ctx, l.ID, true)
		if err != nil {
			return templates.Email{}, nil, fmt.Errorf("load commitments: %w", err)
		}
		if len(open) == 0 {
			return templates.Email{}, nil, errSkip("no open commitments")
		}
		rem := templates.Reminder{LeaderName: firstName(l.Name), CoachName: coach.Name, Practice: practice, Location: loc}
		var ids []string
		for _, c := range open {
			rem.Commitments = append(rem.Commitments, templates.Action{Text: c.Text, Due: c.Due})
			ids = append(ids, c.ID)
		}
		next, err := d.Store.SessionsOfLeader(ctx, l.ID, d.Clock.Now(), d.Clock.Now().AddDate(0, 3, 0))
		if err != nil {
			return templates.Email{}, nil, fmt.Errorf("load next session: %w", err)
		}
		for _, n := range next {
			if n.Status != coaching.SessionCancelled {
				rem.NextSession = n.Start
				break
			}
		}
		out, err := d.Templates.Reminder(rem)
		return out, ids, err
	}
	return templates.Email{}, nil, coaching.Errorf(coaching.EINVALID, "no leader email of kind %q", e.Kind)
}

func commitmentList(cs []coaching.Commitment) (texts, ids []string) {
	for _, c := range cs {
		texts = append(texts, c.Text)
		ids = append(ids, c.ID)
	}
	return texts, ids
}

func (d *Dispatcher) brief(ctx context.Context, coach coaching.Coach, practice string, s coaching.Session) (templates.Email, error) {
	b := templates.Brief{CoachName: firstName(coach.Name), Practice: practice, SessionTitle: s.Title, SessionStart: s.Start,
		Location: coaching.LoadLocation(coach.TimeZone), Ref: coaching.SessionRef(s.ID), NotesAddress: d.NotesAddress}
	for _, id := range s.LeaderIDs {
		l, err := d.Store.LeaderByID(ctx, id)
		if err != nil {
			return templates.Email{}, fmt.Errorf("load leader: %w", err)
		}
		bl := templates.BriefLeader{Name: l.Name}
		if bl.Name == "" {
			bl.Name = l.Email
		}
		answers, err := d.Store.FocusAnswers(ctx, l.ID, 4)
		if err != nil {
			return templates.Email{}, fmt.Errorf("load focus answers: %w", err)
		}
		for _, a := range answers {
			if a.SessionID == s.ID {
				if bl.Focus == "" {
					bl.Focus = a.Text
				}
				continue
			}
			bl.RecentFocus = append(bl.RecentFocus, templates.FocusLine{SessionStart: a.ReceivedAt, Text: a.Text})
		}
		cs, err := d.Store.Commitments(ctx, l.ID, false)
		if err != nil {
			return templates.Email{}, fmt.Errorf("load commitments: %w", err)
		}
		since := s.Start.AddDate(0, 0, -45)
		for _, c := range cs {
			if c.Closed() && c.UpdatedAt.Before(since) {
				continue
			}
			line := templates.CommitmentLine{Text: c.Text, Due: c.Due, Status: c.Status}
			if n := len(c.History); n > 0 {
				line.Comment = c.History[n-1].Comment
			}
			bl.Commitments = append(bl.Commitments, line)
		}
		b.Leaders = append(b.Leaders, bl)
	}
	return d.Templates.Brief(b)
}

func (d *Dispatcher) notice(coach coaching.Coach, practice string, e coaching.ScheduledEmail) (templates.Email, error) {
	return d.Templates.Notice(templates.Notice{
		Kind: templates.NoticeKind(e.Notice), CoachName: firstName(coach.Name), Practice: practice,
		Reason: e.Detail, Address: e.Address, Subject: e.Subject, Ref: e.Ref,
		ReceivedAt: e.Due, Location: coaching.LoadLocation(coach.TimeZone),
	})
}

// firstName returns the first word of a display name, for a greeting.
func firstName(name string) string {
	for i, r := range name {
		if r == ' ' {
			return name[:i]
		}
	}
	return name
}

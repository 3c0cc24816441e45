package coaching

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"time"
)

// Offsets say when the emails of the cycle go out, relative to a session or
// to the arrival of its notes. A zero field means "inherit": a leader's zero
// offsets take the coach's, and a coach's take DefaultOffsets.
type Offsets struct {
	Prompt        time.Duration // pre-session prompt, before the session start
	Brief         time.Duration // coach brief, before the session start
	Review        time.Duration // recap, after the notes arrived
	Reminder      time.Duration // commitment reminder, before the next session
	ReminderAfter time.Duration // commitment reminder, after this session when no next one is known
}

// DefaultOffsets are SPEC.md's defaults.
func DefaultOffsets() Offsets {
	return Offsets{
		Prompt:        24 * time.Hour,
		Brief:         2 * time.Hour,
		Review:        30 * time.Minute,
		Reminder:      72 * time.Hour,
		ReminderAfter: 7 * 24 * time.Hour,
	}
}

// Or returns o with each zero field taken from fallback.
func (o Offsets) Or(fallback Offsets) Offsets {
	pick := func(a, b time.Duration) time.Duration {
		if a != 0 {
			return a
		}
		return b
	}
	return Offsets{
		Prompt:        pick(o.Prompt, fallback.Prompt),
		Brief:         pick(o.Brief, fallback.Brief),
		Review:        pick(o.Review, fallback.Review),
		Reminder:      pick(o.Reminder, fallback.Reminder),
		ReminderAfter: pick(o.ReminderAfter, fallback.ReminderAfter),
	}
}

// Coach runs sessions, receives briefs and sends notes.
type Coach struct {
	ID       string
	Email    string // bare address, lower case
	Name     string
	Practice string // display name of outbound mail ("Northwind Coaching")
	TimeZone string // IANA name; default for the coach's new leaders
	Offsets  Offsets
	// CreatedAt is when the coach was registered.
	CreatedAt time.Time
	// Version counts writes, for optimistic concurrency.
	Version int
}

// Leader is a coachee. A leader belongs to one coach and acts only by email.
type Leader struct {
	ID       string
	Email    string // bare address, lower case
	Name     string
	CoachID  string
	TimeZone string  // IANA name; times of the leader's emails are computed in it
	Offsets  Offsets // zero fields inherit the coach's
	// Unsubscribed is set when the leader asked to receive no more mail.
	Unsubscribed bool
	// Suppressed holds why mail to the address is suppressed ("bounce",
	// "complaint"), or "" when it is not.
	Suppressed string
	CreatedAt  time.Time
	Version    int
}

// Reachable reports whether coachmail may send mail to the leader.
func (l Leader) Reachable() bool { return !l.Unsubscribed && l.Suppressed == "" }

// Location returns the leader's time zone, or UTC when it is unknown.
func (l Leader) Location() *time.Location { return LoadLocation(l.TimeZone) }

// LoadLocation returns the named IANA zone, or UTC for "" or an unknown name.
func LoadLocation(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// SessionStatus is the state of a session.
type SessionStatus string

// Session states.
const (
	SessionScheduled SessionStatus = "scheduled"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one coaching session: 1:1 with one leader, or a group (peer
// mastermind) session with several.
type Session struct {
	ID        string
	CoachID   string
	LeaderIDs []string
	Title     string
	Start     time.Time
	End       time.Time
	TimeZone  string // IANA zone the session was scheduled in
	// CalendarUID and RecurrenceID identify the calendar event (and the
	// occurrence of a series) the session came from; both are empty for a
	// session added by hand. RecurrenceID is the occurrence's original start
	// in RFC 3339, UTC.
	CalendarUID  string
	RecurrenceID string
	Sequence     int
	Status       SessionStatus
	// NotesAt is when the coach's notes arrived; zero until then.
	NotesAt   time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Group reports whether the session has more than one leader.
func (s Session) Group() bool { return len(s.LeaderIDs) > 1 }

// HasLeader reports whether id is one of the session's leaders.
func (s Session) HasLeader(id string) bool {
	for _, l := range s.LeaderIDs {
		if l == id {
			return true
		}
	}
	return false
}

// FocusAnswer is a leader's answer to the pre-session prompt: the most
// important thing to work on.
type FocusAnswer struct {
	SessionID  string
	LeaderID   string
	Text       string
	MessageID  string // the inbound message it came from
	ReceivedAt time.Time
}

// OutcomeKind says what a leader left a session with.
type OutcomeKind string

// Outcome kinds, from the seed text: a decision made, a reframe of a
// situation that was stuck, or an action committed to.
const (
	Decision OutcomeKind = "decision"
	Reframe  OutcomeKind = "reframe"
	Action   OutcomeKind = "action"
)

// Outcome is one item a leader leaves a session with.
type Outcome struct {
	SessionID string
	LeaderID  string
	Kind      OutcomeKind
	Text      string
	Due       string // YYYY-MM-DD, actions only, "" when none was written
	CreatedAt time.Time
}

// CommitmentStatus is where a commitment stands.
type CommitmentStatus string

// Commitment states. Open and NotDone commitments are carried to the next
// prompt; Done and Dropped ones are closed.
const (
	CommitmentOpen    CommitmentStatus = "open"
	CommitmentDone    CommitmentStatus = "done"
	CommitmentNotDone CommitmentStatus = "not_done"
	CommitmentDropped CommitmentStatus = "dropped"
)

// CommitmentEvent names an entry of a commitment's history.
type CommitmentEvent string

// Commitment history events.
const (
	EventMade       CommitmentEvent = "made"
	EventReminded   CommitmentEvent = "reminded"
	EventReported   CommitmentEvent = "reported"
	EventCarried    CommitmentEvent = "carried_over"
	EventReworded   CommitmentEvent = "reworded"
	EventUnreported CommitmentEvent = "unreported"
)

// StatusChange is one entry of a commitment's history.
type StatusChange struct {
	At        time.Time
	Event     CommitmentEvent
	Status    CommitmentStatus
	Comment   string
	SessionID string
	// Source is the inbound message id or scheduled email id behind the
	// change; applying the same source twice is a no-op.
	Source string
}

// Commitment is an action a leader committed to, with its history across
// sessions: the accountability record.
type Commitment struct {
	ID        string
	LeaderID  string
	SessionID string // the session it was made in
	Text      string
	Due       string // YYYY-MM-DD or ""
	Status    CommitmentStatus
	History   []StatusChange
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// Closed reports whether the commitment is done or dropped.
func (c Commitment) Closed() bool {
	return c.Status == CommitmentDone || c.Status == CommitmentDropped
}

// Record appends a history entry and moves the status, unless an entry from
// the same source is already there; it reports whether anything changed.
func (c *Commitment) Record(ch StatusChange) bool {
	if ch.Source != "" {
		for _, h := range c.History {
			if h.Source == ch.Source && h.Event == ch.Event {
				return false
			}
		}
	}
	if ch.Status == "" {
		ch.Status = c.Status
	}
	c.History = append(c.History, ch)
	c.Status = ch.Status
	c.UpdatedAt = ch.At
	return true
}

// EmailKind is the kind of an email coachmail sends.
type EmailKind string

// Email kinds.
const (
	EmailPrompt   EmailKind = "prompt"   // to a leader, before a session
	EmailBrief    EmailKind = "brief"    // to the coach, before a session
	EmailRecap    EmailKind = "recap"    // to a leader, after the notes
	EmailReminder EmailKind = "reminder" // to a leader, between sessions
	EmailNotice   EmailKind = "notice"   // to the coach: something needs their eye
)

// EmailState is where a scheduled email stands.
type EmailState string

// Scheduled email states.
const (
	EmailPending   EmailState = "pending"
	EmailClaimed   EmailState = "claimed" // a dispatcher holds it until LeaseUntil
	EmailSent      EmailState = "sent"
	EmailCancelled EmailState = "cancelled"
	EmailFailed    EmailState = "failed" // permanently: the reason is in Error
)

// ScheduledEmail is one email of the cycle, due at a time, sent once.
type ScheduledEmail struct {
	ID        string
	Kind      EmailKind
	SessionID string
	LeaderID  string // "" for a brief of a group session or a notice
	CoachID   string
	Due       time.Time
	State     EmailState
	// LeaseUntil is when a claim expires; a claimed email whose lease has
	// passed may be claimed again (the sender crashed between claim and send).
	LeaseUntil time.Time
	Attempts   int
	// MessageID is the RFC 5322 Message-ID (without angle brackets) chosen
	// at the first claim and kept across retries, so a retry is the same
	// message to the receiving side.
	MessageID    string
	SESMessageID string
	SentAt       time.Time
	// Notice is the reason code of a notice email ("notes_unmatched",
	// "quarantined", "bounce"...), and Detail a short safe text for it.
	Notice string
	Detail string
	// Ref, Address and Subject complete a notice: the kept message's
	// reference, the address concerned, and the subject of the coach's own
	// email (never of a leader's).
	Ref     string
	Address string
	Subject string
	Error   string
	Version int
}

// Claimable reports whether a dispatcher may claim the email at now.
func (e ScheduledEmail) Claimable(now time.Time) bool {
	switch e.State {
	case EmailPending:
		return !e.Due.After(now)
	case EmailClaimed:
		return !e.LeaseUntil.After(now)
	}
	return false
}

// Route is what the inbound function decided a message is.
type Route string

// Inbound routes, in the order they are tried.
const (
	RouteSpam      Route = "spam"
	RouteBounce    Route = "bounce"
	RouteAutoReply Route = "auto_reply"
	RouteInvite    Route = "invite"
	RouteReply     Route = "reply"
	RouteNotes     Route = "notes"
	RouteUnknown   Route = "unknown"
)

// InboundMessage records that an inbound message (by SES message id) was
// handled, and how. Recording it is what makes handling idempotent.
type InboundMessage struct {
	ID         string // SES message id
	ReceivedAt time.Time
	Route      Route
	Outcome    string // short machine-readable result ("applied", "quarantined", "ignored")
	RawKey     string // object key of the raw message
	LeaderID   string // when known; for erase
	CoachID    string
	Expires    time.Time
}

// Quarantine keeps a message that was not applied, with the reason, so that
// an operator can look at it and replay it.
type Quarantine struct {
	ID         string // SES message id
	RawKey     string
	Reason     string
	CoachID    string // the coach told about it, when one is identified
	LeaderID   string
	ReceivedAt time.Time
	Expires    time.Time
}

// SentRef remembers an email coachmail sent, so that a reply can be traced
// back to its session and leader by the reply token or by In-Reply-To.
type SentRef struct {
	MessageID string // without angle brackets
	TokenID   string
	EmailID   string
	Kind      EmailKind
	SessionID string
	LeaderID  string
	CoachID   string
	// Commitments are the ids of the commitments the email listed, in the
	// order it numbered them, so that "2 done" in a reply means the second.
	Commitments []string
	SentAt      time.Time
	Expires     time.Time
}

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns a random identifier of 16 lower-case characters (80 bits).
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return idEncoding.EncodeToString(b[:])
}

// NormalizeAddress returns the bare address in lower case, trimmed.
func NormalizeAddress(addr string) string {
	return strings.ToLower(strings.TrimSpace(addr))
}

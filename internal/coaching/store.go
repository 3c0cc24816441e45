package coaching

import (
	"context"
	"time"
)

// Store keeps the state of the cycle. internal/dynamo implements it on a
// DynamoDB single table. Every method that reads one thing returns an
// ENOTFOUND *Error when it is absent; every conditional write that loses
// returns ECONFLICT; input that breaks a rule returns EINVALID. Any other
// error is an infrastructure failure, which callers treat as temporary.
type Store interface {
	// CreateCoach stores a new coach; ECONFLICT when the address is taken.
	CreateCoach(ctx context.Context, c Coach) error
	// UpdateCoach replaces a coach whose stored Version is c.Version.
	UpdateCoach(ctx context.Context, c Coach) error
	CoachByID(ctx context.Context, id string) (Coach, error)
	CoachByEmail(ctx context.Context, email string) (Coach, error)

	// CreateLeader stores a new leader; ECONFLICT when the address is taken.
	CreateLeader(ctx context.Context, l Leader) error
	// UpdateLeader replaces a leader whose stored Version is l.Version.
	UpdateLeader(ctx context.Context, l Leader) error
	LeaderByID(ctx context.Context, id string) (Leader, error)
	LeaderByEmail(ctx context.Context, email string) (Leader, error)
	// LeadersOfCoach lists a coach's leaders.
	LeadersOfCoach(ctx context.Context, coachID string) ([]Leader, error)

	// CreateSession stores a new session; ECONFLICT when its ID, or its
	// calendar UID and recurrence id, already exist.
	CreateSession(ctx context.Context, s Session) error
	// UpdateSession replaces a session whose stored Version is s.Version.
	UpdateSession(ctx context.Context, s Session) error
	SessionByID(ctx context.Context, id string) (Session, error)
	// SessionByCalendar finds the session of a calendar event occurrence
	// (recurrenceID "" for a single event).
	SessionByCalendar(ctx context.Context, uid, recurrenceID string) (Session, error)
	// SessionsByCalendar lists every session of a calendar event (a series).
	SessionsByCalendar(ctx context.Context, uid string) ([]Session, error)
	// SessionsOfLeader lists a leader's sessions starting in [from, to), by start.
	SessionsOfLeader(ctx context.Context, leaderID string, from, to time.Time) ([]Session, error)
	// SessionsOfCoach lists a coach's sessions starting in [from, to), by start.
	SessionsOfCoach(ctx context.Context, coachID string, from, to time.Time) ([]Session, error)

	// CreateSeries stores a new recurring series; ECONFLICT when its UID
	// exists.
	CreateSeries(ctx context.Context, s Series) error
	// UpdateSeries replaces a series whose stored Version is s.Version.
	UpdateSeries(ctx context.Context, s Series) error
	// SeriesByUID reads the series of a calendar UID.
	SeriesByUID(ctx context.Context, uid string) (Series, error)
	// SeriesToTopUp lists active series whose TopUpAt is before t, earliest
	// first, at most limit.
	SeriesToTopUp(ctx context.Context, t time.Time, limit int) ([]Series, error)

	// Commitments lists a leader's commitments, oldest first; open only
	// when openOnly is set.
	Commitments(ctx context.Context, leaderID string, openOnly bool) ([]Commitment, error)
	// FocusAnswers lists a leader's focus answers, newest first, at most limit.
	FocusAnswers(ctx context.Context, leaderID string, limit int) ([]FocusAnswer, error)
	// Outcomes lists the outcomes recorded for a session, in order.
	Outcomes(ctx context.Context, sessionID string) ([]Outcome, error)

	// ScheduleEmails stores new scheduled emails.
	ScheduleEmails(ctx context.Context, emails []ScheduledEmail) error
	// UpdateEmail replaces a scheduled email whose stored Version is e.Version.
	UpdateEmail(ctx context.Context, e ScheduledEmail) error
	EmailByID(ctx context.Context, id string) (ScheduledEmail, error)
	// EmailsOfSession lists the scheduled emails of a session.
	EmailsOfSession(ctx context.Context, sessionID string) ([]ScheduledEmail, error)
	// DueEmails lists pending emails due at or before t, and claimed ones
	// whose lease expired at or before t, at most limit, earliest first.
	DueEmails(ctx context.Context, t time.Time, limit int) ([]ScheduledEmail, error)
	// ClaimEmail marks e claimed until leaseUntil, conditionally on it being
	// claimable at now and unchanged since read; ECONFLICT otherwise.
	ClaimEmail(ctx context.Context, e ScheduledEmail, now, leaseUntil time.Time) (ScheduledEmail, error)
	// MarkSent records a claimed email as sent together with its SentRef.
	MarkSent(ctx context.Context, e ScheduledEmail, ref SentRef) error
	// SentRefByMessageID finds an email we sent by its Message-ID.
	SentRefByMessageID(ctx context.Context, messageID string) (SentRef, error)
	// SentRefByToken finds an email we sent by its reply token id.
	SentRefByToken(ctx context.Context, tokenID string) (SentRef, error)

	// Apply records an inbound message and the change it brings, all or
	// nothing; ECONFLICT when the message was already recorded.
	Apply(ctx context.Context, ch Change) error
	InboundByID(ctx context.Context, id string) (InboundMessage, error)
	// ClaimMessage claims a message, by a fingerprint of its sender and
	// Message-ID, for one delivery (an SES message id), and returns the
	// delivery that holds the claim: another one means the same message
	// came in before, re-sent by the sender's server.
	ClaimMessage(ctx context.Context, fingerprint, delivery string, at, expires time.Time) (string, error)
	// Quarantined lists quarantined messages, newest first, at most limit.
	Quarantined(ctx context.Context, limit int) ([]Quarantine, error)
	QuarantineByID(ctx context.Context, id string) (Quarantine, error)
	// Release removes a quarantine record (after a successful replay).
	Release(ctx context.Context, id string) error

	// Suppress records that mail to the address must stop.
	Suppress(ctx context.Context, address, reason string, at time.Time) error
	// Suppression returns the reason an address is suppressed, or "".
	Suppression(ctx context.Context, address string) (string, error)

	// EraseLeader deletes every item about a leader and returns the raw
	// message keys that referred to them, for the caller to delete.
	EraseLeader(ctx context.Context, leaderID string) (rawKeys []string, err error)
}

// Change is what one inbound message does to the store. Apply writes it in
// one transaction with the Inbound record, conditional on that record being
// new, so a redelivered message changes nothing.
type Change struct {
	Inbound InboundMessage
	Focus   *FocusAnswer
	// Commitments are created when Version is 0, and otherwise replaced
	// when their stored Version matches.
	Commitments []Commitment
	Outcomes    []Outcome
	Emails      []ScheduledEmail // new scheduled emails (a recap, a notice)
	Session     *Session         // replaced when its stored Version matches
	Leader      *Leader          // replaced when its stored Version matches
	Quarantine  *Quarantine
}

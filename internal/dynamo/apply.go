package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

// inboundItem records a handled message. A message that carries a focus
// answer keeps it in the same item, so that the common reply (a focus answer
// and nothing else) is one conditional PutItem; such an item has no TTL,
// because the focus answer is part of the leader's record.
type inboundItem struct {
	meta
	coaching.InboundMessage
	Focus *coaching.FocusAnswer `dynamodbav:",omitempty"`
}

type commitmentItem struct {
	meta
	coaching.Commitment
}

type outcomeItem struct {
	meta
	coaching.Outcome
}

type quarantineItem struct {
	meta
	coaching.Quarantine
}

// Apply records an inbound message and the change it brings, all or
// nothing. The inbound record is written first, on condition that it is
// new; the rest follows in the same transaction:
//   - commitments with Version 0 are created at Version 1, the others
//     replaced at Version+1 when their stored Version matches;
//   - outcomes and emails are created, on condition they are new;
//   - Session and Leader are replaced when their stored Version matches
//     (their index items follow);
//   - Quarantine is written.
//
// A change of the inbound record alone, or with a focus answer, is a single
// PutItem. ECONFLICT when the message was already handled (the message says
// "already handled") or when another condition failed (the message names
// it); InboundByID tells the two apart. At most 100 items in all.
func (s *Store) Apply(ctx context.Context, ch coaching.Change) error {
	in := ch.Inbound
	if err := checkID("inbound message id", in.ID); err != nil {
		return err
	}
	for _, t := range []time.Time{in.ReceivedAt, in.Expires} {
		if err := checkTime("time of inbound message "+in.ID, t); err != nil {
			return err
		}
	}
	for _, v := range []string{in.LeaderID, in.CoachID} {
		if len(v) > maxComponent {
			return coaching.Errorf(coaching.EINVALID, "inbound message %s: a reference is too long", in.ID)
		}
	}

	m := newMeta(typeInbound, inboundKey(in.ID))
	item := inboundItem{InboundMessage: in}
	if f := ch.Focus; f != nil {
		if err := checkFocus(in, *f); err != nil {
			return err
		}
		at := f.ReceivedAt
		if at.IsZero() {
			at = in.ReceivedAt
		}
		m.GSI1PK, m.GSI1SK = leaderPK(f.LeaderID), inboundOfLeaderSK(focusPrefix, at, in.ID)
		item.Focus = f
	} else {
		m.TTL = ttlOf(in.Expires)
		if in.LeaderID != "" {
			m.GSI1PK, m.GSI1SK = leaderPK(in.LeaderID), inboundOfLeaderSK(inboundPrefix, in.ReceivedAt, in.ID)
		}
	}
	item.meta = m

	var t tx
	t.putItem(s, inboundKey(in.ID), item, absent(), "inbound message "+in.ID,
		coaching.Errorf(coaching.ECONFLICT, "message %s already handled", in.ID))
	for _, c := range ch.Commitments {
		s.addCommitment(&t, c)
	}
	for i, o := range ch.Outcomes {
		s.addOutcome(&t, o, in.ID, i)
	}
	for _, e := range ch.Emails {
		s.addNewEmail(&t, e)
	}
	if ch.Session != nil && t.err == nil {
		if err := s.updateSession(ctx, &t, *ch.Session); err != nil {
			return err
		}
	}
	if ch.Leader != nil && t.err == nil {
		if err := s.updateLeader(ctx, &t, *ch.Leader); err != nil {
			return err
		}
	}
	if q := ch.Quarantine; q != nil {
		s.addQuarantine(&t, *q)
	}
	return s.commit(ctx, &t, "apply message "+in.ID)
}

func checkFocus(in coaching.InboundMessage, f coaching.FocusAnswer) error {
	if err := checkID("leader id of focus answer", f.LeaderID); err != nil {
		return err
	}
	if err := checkID("session id of focus answer", f.SessionID); err != nil {
		return err
	}
	if in.LeaderID != "" && in.LeaderID != f.LeaderID {
		return coaching.Errorf(coaching.EINVALID, "message %s is from leader %s but carries a focus answer of leader %s", in.ID, in.LeaderID, f.LeaderID)
	}
	return checkTime("time of focus answer", f.ReceivedAt)
}

func (s *Store) addCommitment(t *tx, c coaching.Commitment) {
	if t.err != nil {
		return
	}
	if err := checkCommitment(c); err != nil {
		t.err = err
		return
	}
	k := commitmentKey(c)
	cond, conflict := absent(), coaching.Errorf(coaching.ECONFLICT, "commitment %s exists", c.ID)
	if c.Version == 0 {
		c.Version = 1
	} else {
		cond = versionIs(c.Version)
		conflict = coaching.Errorf(coaching.ECONFLICT, "commitment %s changed since version %d (or does not exist)", c.ID, c.Version)
		c.Version++
	}
	m := newMeta(typeCommitment, k)
	// A closed commitment stays in GSI2 under another prefix rather than
	// leaving it, for the reason given at emailItem.
	m.GSI2PK, m.GSI2SK = leaderPK(c.LeaderID), closedCommitmentSK(c)
	if commitmentOpen(c.Status) {
		m.GSI2SK = openCommitmentSK(c)
	}
	t.putItem(s, k, commitmentItem{m, c}, cond, "commitment "+c.ID, conflict)
}

func checkCommitment(c coaching.Commitment) error {
	if err := checkID("commitment id", c.ID); err != nil {
		return err
	}
	if err := checkID("leader id of commitment "+c.ID, c.LeaderID); err != nil {
		return err
	}
	switch c.Status {
	case coaching.CommitmentOpen, coaching.CommitmentDone, coaching.CommitmentNotDone, coaching.CommitmentDropped:
	default:
		return coaching.Errorf(coaching.EINVALID, "commitment %s: unknown status %q", c.ID, c.Status)
	}
	if c.CreatedAt.IsZero() {
		// The creation time orders a leader's commitments and is part of
		// the key; a commitment without one could not be found again.
		return coaching.Errorf(coaching.EINVALID, "commitment %s has no creation time", c.ID)
	}
	for _, t := range []time.Time{c.CreatedAt, c.UpdatedAt} {
		if err := checkTime("time of commitment "+c.ID, t); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) addOutcome(t *tx, o coaching.Outcome, inboundID string, n int) {
	if t.err != nil {
		return
	}
	if err := checkID("session id of outcome", o.SessionID); err != nil {
		t.err = err
		return
	}
	if err := checkTime("time of outcome", o.CreatedAt); err != nil {
		t.err = err
		return
	}
	if len(o.LeaderID) > maxComponent {
		t.err = coaching.Errorf(coaching.EINVALID, "leader id of outcome is too long")
		return
	}
	k := outcomeKey(o, inboundID, n)
	t.putItem(s, k, outcomeItem{newMeta(typeOutcome, k), o}, absent(), fmt.Sprintf("outcome %d", n),
		coaching.Errorf(coaching.ECONFLICT, "outcome %d of message %s exists", n, inboundID))
}

func checkQuarantine(q coaching.Quarantine) error {
	if err := checkID("quarantined message id", q.ID); err != nil {
		return err
	}
	for _, v := range []string{q.CoachID, q.LeaderID} {
		if len(v) > maxComponent {
			return coaching.Errorf(coaching.EINVALID, "quarantined message %s: a reference is too long", q.ID)
		}
	}
	for _, t := range []time.Time{q.ReceivedAt, q.Expires} {
		if err := checkTime("time of quarantined message "+q.ID, t); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) addQuarantine(t *tx, q coaching.Quarantine) {
	if t.err != nil {
		return
	}
	if err := checkQuarantine(q); err != nil {
		t.err = err
		return
	}
	k := quarantineKey(q.ID)
	m := newMeta(typeQuarantine, k)
	m.GSI2PK, m.GSI2SK = quarantineListPK, quarantineListSK(q)
	if q.LeaderID != "" {
		m.GSI1PK, m.GSI1SK = leaderPK(q.LeaderID), quarantineOfLeaderSK(q)
	}
	m.TTL = ttlOf(q.Expires)
	t.putItem(s, k, quarantineItem{m, q}, nil, "quarantine record", nil)
}

// InboundByID reads the record of a handled message.
func (s *Store) InboundByID(ctx context.Context, id string) (coaching.InboundMessage, error) {
	if !lookupable(id) {
		return coaching.InboundMessage{}, coaching.Errorf(coaching.ENOTFOUND, "inbound message %q not found", id)
	}
	var it inboundItem
	if err := s.get(ctx, inboundKey(id), &it, "inbound message "+id); err != nil {
		return coaching.InboundMessage{}, err
	}
	return it.InboundMessage, nil
}

// Commitments lists a leader's commitments, oldest first; with openOnly,
// those open or not done, from GSI2 (which lags writes by a moment).
func (s *Store) Commitments(ctx context.Context, leaderID string, openOnly bool) ([]coaching.Commitment, error) {
	if !lookupable(leaderID) {
		return nil, nil
	}
	q := query{key: expression.Key(attrPK).Equal(expression.Value(leaderPK(leaderID))).
		And(expression.Key(attrSK).BeginsWith(commitmentPrefix))}
	if openOnly {
		q = query{index: gsi2, key: expression.Key(attrGSI2PK).Equal(expression.Value(leaderPK(leaderID))).
			And(expression.Key(attrGSI2SK).BeginsWith(openCommitmentPrefix))}
	}
	items, err := queryInto[commitmentItem](ctx, s, q, "commitments of leader "+leaderID)
	if err != nil {
		return nil, err
	}
	out := make([]coaching.Commitment, len(items))
	for i, it := range items {
		out[i] = it.Commitment
	}
	return out, nil
}

// FocusAnswers lists a leader's focus answers, newest first, at most limit
// (all when limit < 1). It reads GSI1, which lags writes by a moment.
func (s *Store) FocusAnswers(ctx context.Context, leaderID string, limit int) ([]coaching.FocusAnswer, error) {
	if !lookupable(leaderID) {
		return nil, nil
	}
	items, err := queryInto[inboundItem](ctx, s, query{
		index: gsi1,
		key: expression.Key(attrGSI1PK).Equal(expression.Value(leaderPK(leaderID))).
			And(expression.Key(attrGSI1SK).BeginsWith(focusPrefix)),
		reverse: true,
		limit:   max(limit, 0),
	}, "focus answers of leader "+leaderID)
	if err != nil {
		return nil, err
	}
	out := make([]coaching.FocusAnswer, 0, len(items))
	for _, it := range items {
		if it.Focus != nil {
			out = append(out, *it.Focus)
		}
	}
	return out, nil
}

// Outcomes lists the outcomes recorded for a session, in the order recorded.
func (s *Store) Outcomes(ctx context.Context, sessionID string) ([]coaching.Outcome, error) {
	if !lookupable(sessionID) {
		return nil, nil
	}
	items, err := queryInto[outcomeItem](ctx, s, query{
		key: expression.Key(attrPK).Equal(expression.Value(sessionPK(sessionID))).
			And(expression.Key(attrSK).BeginsWith(outcomePrefix)),
	}, "outcomes of session "+sessionID)
	if err != nil {
		return nil, err
	}
	out := make([]coaching.Outcome, len(items))
	for i, it := range items {
		out[i] = it.Outcome
	}
	return out, nil
}

// Quarantined lists quarantined messages, newest first, at most limit (all
// when limit < 1). It reads GSI2, which lags writes by a moment.
func (s *Store) Quarantined(ctx context.Context, limit int) ([]coaching.Quarantine, error) {
	items, err := queryInto[quarantineItem](ctx, s, query{
		index:   gsi2,
		key:     expression.Key(attrGSI2PK).Equal(expression.Value(quarantineListPK)),
		reverse: true,
		limit:   max(limit, 0),
	}, "quarantine")
	if err != nil {
		return nil, err
	}
	out := make([]coaching.Quarantine, len(items))
	for i, it := range items {
		out[i] = it.Quarantine
	}
	return out, nil
}

// QuarantineByID reads a quarantine record.
func (s *Store) QuarantineByID(ctx context.Context, id string) (coaching.Quarantine, error) {
	if !lookupable(id) {
		return coaching.Quarantine{}, coaching.Errorf(coaching.ENOTFOUND, "quarantined message %q not found", id)
	}
	var it quarantineItem
	if err := s.get(ctx, quarantineKey(id), &it, "quarantined message "+id); err != nil {
		return coaching.Quarantine{}, err
	}
	return it.Quarantine, nil
}

// Release removes a quarantine record; ENOTFOUND when there is none.
func (s *Store) Release(ctx context.Context, id string) error {
	notFound := coaching.Errorf(coaching.ENOTFOUND, "quarantined message %q not found", id)
	if !lookupable(id) {
		return notFound
	}
	return s.del(ctx, quarantineKey(id), present(), "quarantined message "+id, notFound)
}

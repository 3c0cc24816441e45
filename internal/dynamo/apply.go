package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

// inboundItem records a handled message. A reply keeps its focus answer and
// its status reports in the same item, so that the common reply (a focus
// answer, a few statuses) is one conditional PutItem; an item with a focus
// answer has no TTL, because the answer is part of the leader's record, and
// neither has one whose reports are not yet folded into the commitments.
type inboundItem struct {
	meta
	coaching.InboundMessage
	Focus   *coaching.FocusAnswer `dynamodbav:",omitempty"`
	Reports []report              `dynamodbav:",omitempty"`
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
// nothing, on condition that the inbound record is new.
//
// A reply (the record, perhaps a focus answer, and status reports on
// existing commitments of one leader, each the commitment as read with one
// reported entry from this message appended, as Commitment.Record makes it)
// is one conditional PutItem of the record, which carries the reports:
// reads fold them into the commitments at once, and Compact into the
// commitment items later. Such a report needs no version check: it is an
// entry appended to the history, whatever else happened to the commitment
// meanwhile, and its source (the message id) makes it idempotent. The rest
// of each commitment is taken as stored.
//
// Any other change is one transaction, the inbound record written first:
//   - commitments with Version 0 are created at Version 1, the others
//     replaced at Version+1 when their Version is the one Commitments
//     shows (the stored Version, plus one per report not yet folded into
//     the item; the reports are folded into what is written);
//   - outcomes and emails are created, on condition they are new;
//   - Session and Leader are replaced when their stored Version matches
//     (their index items follow);
//   - Quarantine is written.
//
// A change of the inbound record alone, or with a focus answer, is a single
// PutItem too. ECONFLICT when the message was already handled (the message
// says "already handled") or when another condition failed (the message
// names it); InboundByID tells the two apart. At most 100 items in all.
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
	if f := ch.Focus; f != nil {
		if err := checkFocus(in, *f); err != nil {
			return err
		}
	}

	item := inboundItem{InboundMessage: in, Focus: ch.Focus}
	reports, leader, reply := reportsOf(ch)
	if reply {
		item.Reports = reports
	}
	item.meta = inboundMeta(in, ch.Focus, leader)

	var t tx
	t.putItem(s, inboundKey(in.ID), item, absent(), "inbound message "+in.ID,
		coaching.Errorf(coaching.ECONFLICT, "message %s already handled", in.ID))
	if reply {
		return s.commit(ctx, &t, "apply message "+in.ID)
	}
	if err := s.addCommitments(ctx, &t, ch.Commitments); err != nil {
		return err
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

// inboundMeta returns the key, index and TTL attributes of an inbound
// record. With a focus answer, it is in GSI1 under the answer's leader as
// FOCUS# and does not expire; with reports (of reportsLeader) and no focus
// answer, under their leader; with reports, as DELTA# until Compact folds
// them, without expiring meanwhile; else as INBOUND# under its leader, if
// it has one, and it expires.
func inboundMeta(in coaching.InboundMessage, f *coaching.FocusAnswer, reportsLeader string) meta {
	m := newMeta(typeInbound, inboundKey(in.ID))
	switch {
	case reportsLeader != "":
		m.GSI1PK, m.GSI1SK = leaderPK(reportsLeader), deltaSK(replyAt(in, f))
	case f != nil:
		m.GSI1PK, m.GSI1SK = leaderPK(f.LeaderID), inboundOfLeaderSK(focusPrefix, replyAt(in, f), in.ID)
	default:
		m.TTL = ttlOf(in.Expires)
		if in.LeaderID != "" {
			m.GSI1PK, m.GSI1SK = leaderPK(in.LeaderID), inboundOfLeaderSK(inboundPrefix, in.ReceivedAt, in.ID)
		}
	}
	return m
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

// addCommitments adds the writes of a change's commitments: new ones
// (Version 0) created at Version 1, existing ones replaced at Version+1.
// An existing commitment's Version, as Commitments shows it, counts the
// reports of replies not yet folded into its item; the write's condition is
// on the item's own Version, and what it writes has those reports folded
// in, so that a full write never drops a report. A stale Version is not
// refused here but by the write's condition, so that the inbound record's
// condition, listed first, decides what the caller is told.
func (s *Store) addCommitments(ctx context.Context, t *tx, cs []coaching.Commitment) error {
	pending := map[string][]inboundItem{} // by leader
	for _, c := range cs {
		if t.err != nil {
			return nil
		}
		if err := checkCommitment(c); err != nil {
			t.err = err
			return nil
		}
		if c.Version == 0 {
			s.putCommitment(t, c, 0, 1)
			continue
		}
		replies, ok := pending[c.LeaderID]
		if !ok {
			var err error
			if replies, err = s.pendingReplies(ctx, c.LeaderID); err != nil {
				return err
			}
			pending[c.LeaderID] = replies
		}
		base, err := s.itemVersion(ctx, &c, replies)
		if err != nil {
			return err
		}
		s.putCommitment(t, c, base, c.Version+1)
	}
	return nil
}

// itemVersion returns the Version c's item must have for c.Version to be
// current, and folds into c the pending reports about it that it lacks.
func (s *Store) itemVersion(ctx context.Context, c *coaching.Commitment, replies []inboundItem) (int, error) {
	var entries []coaching.StatusChange
	for _, it := range replies {
		for _, r := range it.Reports {
			if r.Commitment == c.ID {
				entries = append(entries, it.entry(r))
			}
		}
	}
	if len(entries) == 0 {
		return c.Version, nil
	}
	var stored commitmentItem
	err := s.get(ctx, commitmentKey(*c), &stored, "commitment "+c.ID)
	if coaching.IsNotFound(err) {
		return c.Version, nil // the write's condition will fail
	}
	if err != nil {
		return 0, err
	}
	unfolded := 0
	for _, h := range entries {
		if fold(&stored.Commitment, h) {
			unfolded++
		}
		fold(c, h)
	}
	return c.Version - unfolded, nil
}

// putCommitment adds the write of c at Version version, on condition that
// the item is new (base 0) or has Version base.
func (s *Store) putCommitment(t *tx, c coaching.Commitment, base, version int) {
	if t.err != nil {
		return
	}
	k := commitmentKey(c)
	cond, conflict := absent(), coaching.Errorf(coaching.ECONFLICT, "commitment %s exists", c.ID)
	if base != 0 {
		cond = versionIs(base)
		conflict = coaching.Errorf(coaching.ECONFLICT, "commitment %s changed since version %d (or does not exist)", c.ID, c.Version)
	}
	c.Version = version
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

// FocusAnswers lists a leader's focus answers, newest first, at most limit
// (all when limit < 1): those of replies whose reports are folded (GSI1
// FOCUS#) and those of replies still pending (GSI1 DELTA#), read at once.
// GSI1 lags writes by a moment.
func (s *Store) FocusAnswers(ctx context.Context, leaderID string, limit int) ([]coaching.FocusAnswer, error) {
	if !lookupable(leaderID) {
		return nil, nil
	}
	var items, pending []inboundItem
	err := both(func() (err error) {
		items, err = queryInto[inboundItem](ctx, s, query{
			index: gsi1,
			key: expression.Key(attrGSI1PK).Equal(expression.Value(leaderPK(leaderID))).
				And(expression.Key(attrGSI1SK).BeginsWith(focusPrefix)),
			reverse: true,
			limit:   max(limit, 0),
		}, "focus answers of leader "+leaderID)
		return err
	}, func() (err error) {
		pending, err = s.pendingReplies(ctx, leaderID)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Merge in the order of FOCUS# keys (time, then message id); a reply
	// being compacted may show in both lists for a moment.
	type answer struct {
		sk string
		f  coaching.FocusAnswer
	}
	seen := map[string]bool{}
	var all []answer
	for _, it := range slices.Concat(items, pending) {
		if it.Focus == nil || seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		all = append(all, answer{inboundOfLeaderSK(focusPrefix, replyAt(it.InboundMessage, it.Focus), it.ID), *it.Focus})
	}
	slices.SortStableFunc(all, func(a, b answer) int { return strings.Compare(b.sk, a.sk) })
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	out := make([]coaching.FocusAnswer, len(all))
	for i, a := range all {
		out[i] = a.f
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

package dynamo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

// report is a status a leader reported on a commitment in a reply. Apply
// keeps the reports of a reply in the reply's inbound record, so that the
// common reply (a focus answer and a few statuses) is one conditional
// PutItem; Commitments folds them into the commitments it reads, and
// Compact into the commitment items.
//
// The attribute names are one letter, and the time and session are left out
// when they are the reply's own: the record is written with its index entry
// on every reply, and an item over 1 KB costs twice as much.
type report struct {
	Commitment string                    `dynamodbav:"K"`
	Status     coaching.CommitmentStatus `dynamodbav:"S"`
	Comment    string                    `dynamodbav:"C,omitempty"`
	At         time.Time                 `dynamodbav:"T,omitempty"` // zero: replyAt
	SessionID  string                    `dynamodbav:"X,omitempty"` // "": the focus answer's session
}

// maxReports bounds the reports of one reply, as a transaction would have
// bounded its commitments.
const maxReports = maxTxItems - 1

// replyAt is when a reply was answered: its focus answer's time, else its
// arrival. It is the default time of its reports and its place in GSI1.
func replyAt(in coaching.InboundMessage, f *coaching.FocusAnswer) time.Time {
	if f != nil && !f.ReceivedAt.IsZero() {
		return f.ReceivedAt
	}
	return in.ReceivedAt
}

// replySession is the default session of a reply's reports.
func replySession(f *coaching.FocusAnswer) string {
	if f != nil {
		return f.SessionID
	}
	return ""
}

// reportsOf returns the reports a change stands for, and the leader they
// are about, when the change is a reply that Apply can write as one item:
// an inbound record, perhaps a focus answer, and status reports on existing
// commitments of one leader, each being the commitment as read with one
// reported entry from this message appended (what Commitment.Record does).
// Anything else (a new commitment, a rewording, an outcome, an email, a
// session or leader change) goes through a transaction, version checks and
// all.
func reportsOf(ch coaching.Change) ([]report, string, bool) {
	if len(ch.Commitments) == 0 || len(ch.Commitments) > maxReports || len(ch.Outcomes) > 0 || len(ch.Emails) > 0 ||
		ch.Session != nil || ch.Leader != nil || ch.Quarantine != nil {
		return nil, "", false
	}
	in, f := ch.Inbound, ch.Focus
	leader := ch.Commitments[0].LeaderID
	if !lookupable(leader) || (in.LeaderID != "" && in.LeaderID != leader) || (f != nil && f.LeaderID != leader) {
		return nil, "", false
	}
	at, session := replyAt(in, f), replySession(f)
	seen := map[string]bool{}
	out := make([]report, 0, len(ch.Commitments))
	for _, c := range ch.Commitments {
		if c.Version < 1 || c.LeaderID != leader || !lookupable(c.ID) || seen[c.ID] || len(c.History) == 0 {
			return nil, "", false
		}
		seen[c.ID] = true
		h := c.History[len(c.History)-1]
		if h.Source != in.ID || h.Event != coaching.EventReported || h.Status != c.Status || h.At.IsZero() ||
			checkTime("time of report", h.At) != nil || (h.SessionID == "" && session != "") {
			return nil, "", false
		}
		for _, e := range c.History[:len(c.History)-1] {
			if e.Source == in.ID {
				return nil, "", false // more than one entry from this message
			}
		}
		switch h.Status {
		case coaching.CommitmentOpen, coaching.CommitmentDone, coaching.CommitmentNotDone, coaching.CommitmentDropped:
		default:
			return nil, "", false // the transaction path says why
		}
		r := report{Commitment: c.ID, Status: h.Status, Comment: h.Comment}
		if !h.At.Equal(at) {
			r.At = h.At
		}
		if h.SessionID != session {
			r.SessionID = h.SessionID
		}
		out = append(out, r)
	}
	return out, leader, true
}

// entry returns the history entry a report of the reply stands for.
func (it inboundItem) entry(r report) coaching.StatusChange {
	h := coaching.StatusChange{
		At: r.At, Event: coaching.EventReported, Status: r.Status, Comment: r.Comment,
		SessionID: r.SessionID, Source: it.ID,
	}
	if h.At.IsZero() {
		h.At = replyAt(it.InboundMessage, it.Focus)
	}
	if h.SessionID == "" {
		h.SessionID = replySession(it.Focus)
	}
	return h
}

// fold adds h to c's history, in time order, unless an entry from the same
// source and of the same event is there (it was folded before). An entry
// that comes last moves the status and the update time, as
// Commitment.Record does; one older than the last (a reply folded after a
// later change) takes its place in the history and leaves the status to the
// later change. It reports whether c changed; the caller sees to Version.
func fold(c *coaching.Commitment, h coaching.StatusChange) bool {
	for _, e := range c.History {
		if e.Source == h.Source && e.Event == h.Event {
			return false
		}
	}
	i := len(c.History)
	for i > 0 && c.History[i-1].At.After(h.At) {
		i--
	}
	// Clip: never write into an array the caller may share.
	c.History = slices.Insert(slices.Clip(c.History), i, h)
	if i == len(c.History)-1 {
		c.Status, c.UpdatedAt = h.Status, h.At
	}
	return true
}

// foldAll folds the pending replies, oldest first, into cs, counting each
// entry it adds as a version, so that a commitment read with pending
// reports has the Version it will have once they are folded into its item.
// It returns the last status reported on commitments that are not in cs.
func foldAll(cs []coaching.Commitment, pending []inboundItem) map[string]coaching.CommitmentStatus {
	byID := make(map[string]int, len(cs))
	for i, c := range cs {
		byID[c.ID] = i
	}
	var missing map[string]coaching.CommitmentStatus
	for _, it := range pending {
		for _, r := range it.Reports {
			i, ok := byID[r.Commitment]
			if !ok {
				if missing == nil {
					missing = map[string]coaching.CommitmentStatus{}
				}
				missing[r.Commitment] = r.Status
				continue
			}
			if fold(&cs[i], it.entry(r)) {
				cs[i].Version++
			}
		}
	}
	return missing
}

// pendingReplies reads a leader's replies whose reports are not yet folded
// into the commitment items, oldest first. It reads GSI1, which lags writes
// by a moment.
func (s *Store) pendingReplies(ctx context.Context, leaderID string) ([]inboundItem, error) {
	return queryInto[inboundItem](ctx, s, query{
		index: gsi1,
		key: expression.Key(attrGSI1PK).Equal(expression.Value(leaderPK(leaderID))).
			And(expression.Key(attrGSI1SK).BeginsWith(deltaPrefix)),
	}, "pending replies of leader "+leaderID)
}

// readCommitments reads a leader's commitment items, oldest first: all of
// them from the table, strongly consistent, or the open ones from GSI2.
func (s *Store) readCommitments(ctx context.Context, leaderID string, openOnly bool) ([]coaching.Commitment, error) {
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

// both runs f and g at once and returns the first error of the two.
func both(f, g func() error) error {
	done := make(chan error, 1)
	go func() { done <- g() }()
	err := f()
	if errG := <-done; err == nil {
		err = errG
	}
	return err
}

// Commitments lists a leader's commitments, oldest first, with the status
// reports of their replies folded in; with openOnly, those open or not done.
// It reads the commitment items (all of them from the table; the open ones
// from GSI2) and, at the same time, the replies whose reports are not yet
// folded into them (GSI1). The indexes lag writes by a moment.
func (s *Store) Commitments(ctx context.Context, leaderID string, openOnly bool) ([]coaching.Commitment, error) {
	if !lookupable(leaderID) {
		return nil, nil
	}
	var cs []coaching.Commitment
	var pending []inboundItem
	err := both(func() (err error) {
		cs, err = s.readCommitments(ctx, leaderID, openOnly)
		return err
	}, func() (err error) {
		pending, err = s.pendingReplies(ctx, leaderID)
		return err
	})
	if err != nil {
		return nil, err
	}
	missing := foldAll(cs, pending)
	if !openOnly {
		return cs, nil
	}
	for _, st := range missing {
		if commitmentOpen(st) {
			// A reply reopened a commitment the open index does not hold
			// (a "not done" on one reported done before): read them all.
			if cs, err = s.readCommitments(ctx, leaderID, false); err != nil {
				return nil, err
			}
			foldAll(cs, pending)
			break
		}
	}
	return slices.DeleteFunc(cs, func(c coaching.Commitment) bool { return !commitmentOpen(c.Status) }), nil
}

// compactedItem returns a pending reply's record with its reports folded:
// out of DELTA#, under FOCUS# or INBOUND#, with its TTL back when it has no
// focus answer. It stays under the leader in GSI1, so that erase finds it.
func compactedItem(it inboundItem, leaderID string) inboundItem {
	out := it
	out.meta = newMeta(typeInbound, inboundKey(it.ID))
	out.GSI1PK = leaderPK(leaderID)
	if f := it.Focus; f != nil {
		out.GSI1SK = inboundOfLeaderSK(focusPrefix, replyAt(it.InboundMessage, f), it.ID)
	} else {
		out.GSI1SK = inboundOfLeaderSK(inboundPrefix, it.ReceivedAt, it.ID)
		out.TTL = ttlOf(it.Expires)
	}
	return out
}

// Compact folds the status reports pending on a leader's replies into the
// commitment items, and then moves the replies out of the pending index, so
// that reading the leader's commitments stays one short Query of the
// replies since the last compaction. It returns how many replies it moved.
//
// It is off the reply path and may run at any time, concurrently with
// anything, and again after a failure: a commitment is written (whole,
// conditional on its Version) with the reports it lacks, and a reply is
// moved only once every report of it is in its commitment's item (or the
// commitment no longer exists). A commitment changed meanwhile makes it
// read again, at most a few times before it gives up with ECONFLICT.
// Replies of the last moment may be missed (GSI1 lags) and wait for the
// next run.
func (s *Store) Compact(ctx context.Context, leaderID string) (int, error) {
	if !lookupable(leaderID) {
		return 0, nil
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, backoff(attempt)); err != nil {
				return 0, fmt.Errorf("compact leader %s: %w", leaderID, err)
			}
		}
		n, err := s.compact(ctx, leaderID)
		if !coaching.IsConflict(err) || attempt == maxAttempts {
			return n, err
		}
	}
}

func (s *Store) compact(ctx context.Context, leaderID string) (int, error) {
	pending, err := s.pendingReplies(ctx, leaderID)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	stored, err := s.readCommitments(ctx, leaderID, false)
	if err != nil {
		return 0, err
	}
	folded := slices.Clone(stored)
	for i := range folded {
		folded[i].History = slices.Clone(folded[i].History)
	}
	foldAll(folded, pending)
	for i, c := range folded {
		if c.Version == stored[i].Version {
			continue // nothing to fold
		}
		var t tx
		s.putCommitment(&t, c, stored[i].Version, c.Version)
		if err := s.commit(ctx, &t, "compact commitment "+c.ID); err != nil {
			return 0, err
		}
	}

	byID := make(map[string]coaching.Commitment, len(folded))
	for _, c := range folded {
		byID[c.ID] = c
	}
	moved := 0
	for _, it := range pending {
		if !allFolded(it, byID) {
			continue // not after foldAll; the rule, checked where it matters
		}
		item, err := s.marshal(compactedItem(it, leaderID))
		if err != nil {
			return moved, fmt.Errorf("compact reply %s: %w", it.ID, err)
		}
		// Only the record as it was read: not one erased, or moved by a
		// compaction running at the same time.
		cond := expression.Name(attrGSI1SK).Equal(expression.Value(it.GSI1SK))
		err = s.put(ctx, item, &cond, "reply "+it.ID, errMoved)
		if errors.Is(err, errMoved) {
			continue
		}
		if err != nil {
			return moved, err
		}
		moved++
	}
	return moved, nil
}

// errMoved is the put of a compacted reply losing to an erase or another
// compaction, which is no failure.
var errMoved = coaching.Errorf(coaching.ECONFLICT, "reply moved meanwhile")

// allFolded reports whether every report of a reply is in its commitment's
// history, or about a commitment that does not exist.
func allFolded(it inboundItem, byID map[string]coaching.Commitment) bool {
	for _, r := range it.Reports {
		c, ok := byID[r.Commitment]
		if !ok {
			continue
		}
		if !slices.ContainsFunc(c.History, func(e coaching.StatusChange) bool {
			return e.Source == it.ID && e.Event == coaching.EventReported
		}) {
			return false
		}
	}
	return true
}

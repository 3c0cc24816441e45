package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

type emailItem struct {
	meta
	coaching.ScheduledEmail
}

type sentRefItem struct {
	meta
	coaching.SentRef
}

func checkEmail(e coaching.ScheduledEmail) error {
	if err := checkID("email id", e.ID); err != nil {
		return err
	}
	if e.SessionID == "" && e.LeaderID == "" {
		if err := checkID("coach id of email "+e.ID, e.CoachID); err != nil {
			return err
		}
	}
	for _, v := range []string{e.SessionID, e.LeaderID, e.CoachID, e.MessageID} {
		if len(v) > maxComponent {
			return coaching.Errorf(coaching.EINVALID, "email %s: a reference is too long", e.ID)
		}
	}
	for _, t := range []time.Time{e.Due, e.LeaseUntil, e.SentAt} {
		if err := checkTime("time of email "+e.ID, t); err != nil {
			return err
		}
	}
	switch e.State {
	case coaching.EmailPending, coaching.EmailClaimed, coaching.EmailSent, coaching.EmailCancelled, coaching.EmailFailed:
	default:
		return coaching.Errorf(coaching.EINVALID, "email %s: unknown state %q", e.ID, e.State)
	}
	if e.State == coaching.EmailClaimed && e.LeaseUntil.IsZero() {
		return coaching.Errorf(coaching.EINVALID, "email %s is claimed without a lease", e.ID)
	}
	return nil
}

// emailItem places an email in GSI1 under its owner and, while it can still
// be sent, in the due index. An email that leaves the pending and claimed
// states moves to a done partition of the same shard rather than leaving
// GSI2: an item that keeps its index keys never leaves a stale entry behind
// in an index, which the embedded server of local mode (minidyn) otherwise
// does, and DueEmails never reads the done partitions.
func (s *Store) emailItem(e coaching.ScheduledEmail) emailItem {
	m := newMeta(typeEmail, emailKey(e.ID))
	m.GSI1PK, m.GSI1SK = emailOwnerPK(e), emailOfOwnerSK(e)
	shard := dueShard(e.ID, s.dueShards)
	switch e.State {
	case coaching.EmailPending:
		m.GSI2PK, m.GSI2SK = duePK(shard), dueSK(e.Due, e.ID)
	case coaching.EmailClaimed:
		m.GSI2PK, m.GSI2SK = duePK(shard), dueSK(e.LeaseUntil, e.ID)
	default:
		m.GSI2PK, m.GSI2SK = donePK(shard), dueSK(e.Due, e.ID)
	}
	return emailItem{m, e}
}

// ScheduleEmails stores new scheduled emails at Version 1, all or none;
// ECONFLICT when one exists. At most 100 at once.
func (s *Store) ScheduleEmails(ctx context.Context, emails []coaching.ScheduledEmail) error {
	var t tx
	for _, e := range emails {
		s.addNewEmail(&t, e)
	}
	return s.commit(ctx, &t, fmt.Sprintf("schedule %d emails", len(emails)))
}

func (s *Store) addNewEmail(t *tx, e coaching.ScheduledEmail) {
	if t.err != nil {
		return
	}
	if e.State == "" {
		e.State = coaching.EmailPending
	}
	if err := checkEmail(e); err != nil {
		t.err = err
		return
	}
	e.Version = 1
	t.putItem(s, emailKey(e.ID), s.emailItem(e), absent(), "email "+e.ID,
		coaching.Errorf(coaching.ECONFLICT, "email %s exists", e.ID))
}

// UpdateEmail replaces a scheduled email whose stored Version is e.Version;
// the stored Version becomes e.Version+1.
func (s *Store) UpdateEmail(ctx context.Context, e coaching.ScheduledEmail) error {
	if err := checkEmail(e); err != nil {
		return err
	}
	conflict := coaching.Errorf(coaching.ECONFLICT, "email %s changed since version %d (or does not exist)", e.ID, e.Version)
	v := e.Version
	e.Version++
	item, err := s.marshal(s.emailItem(e))
	if err != nil {
		return err
	}
	return s.put(ctx, item, versionIs(v), "email "+e.ID, conflict)
}

// EmailByID reads a scheduled email.
func (s *Store) EmailByID(ctx context.Context, id string) (coaching.ScheduledEmail, error) {
	if !lookupable(id) {
		return coaching.ScheduledEmail{}, coaching.Errorf(coaching.ENOTFOUND, "email %q not found", id)
	}
	var it emailItem
	if err := s.get(ctx, emailKey(id), &it, "email "+id); err != nil {
		return coaching.ScheduledEmail{}, err
	}
	return it.ScheduledEmail, nil
}

// EmailsOfSession lists the scheduled emails of a session, by due time. It
// reads GSI1, which lags writes by a moment.
func (s *Store) EmailsOfSession(ctx context.Context, sessionID string) ([]coaching.ScheduledEmail, error) {
	if !lookupable(sessionID) {
		return nil, nil
	}
	items, err := queryInto[emailItem](ctx, s, query{
		index: gsi1,
		key: expression.Key(attrGSI1PK).Equal(expression.Value(sessionPK(sessionID))).
			And(expression.Key(attrGSI1SK).BeginsWith(emailPrefix)),
	}, "emails of session "+sessionID)
	if err != nil {
		return nil, err
	}
	out := make([]coaching.ScheduledEmail, len(items))
	for i, it := range items {
		out[i] = it.ScheduledEmail
	}
	return out, nil
}

// DueEmails lists pending emails due at or before t and claimed ones whose
// lease ended at or before t, earliest first, at most limit (no limit when
// limit < 1). It queries every due shard at once, each for at most limit
// items, and merges. GSI2 lags writes by a moment, so an email just claimed
// or sent may still be listed (with its old state); claiming it then fails
// with ECONFLICT, which is what keeps it from being sent twice.
func (s *Store) DueEmails(ctx context.Context, t time.Time, limit int) ([]coaching.ScheduledEmail, error) {
	if err := checkTime("due time", t); err != nil {
		return nil, err
	}
	limit = max(limit, 0)
	results := make([][]emailItem, s.dueShards)
	errs := make([]error, s.dueShards)
	var wg sync.WaitGroup
	for shard := range s.dueShards {
		wg.Go(func() {
			results[shard], errs[shard] = queryInto[emailItem](ctx, s, query{
				index: gsi2,
				key: expression.Key(attrGSI2PK).Equal(expression.Value(duePK(shard))).
					And(expression.Key(attrGSI2SK).LessThan(expression.Value(dueBefore(t)))),
				limit: limit,
			}, "due emails of shard "+duePK(shard))
		})
	}
	wg.Wait()
	var all []emailItem
	for shard := range s.dueShards {
		if errs[shard] != nil {
			return nil, errs[shard]
		}
		all = append(all, results[shard]...)
	}
	slices.SortFunc(all, func(a, b emailItem) int { return strings.Compare(a.GSI2SK, b.GSI2SK) })
	out := make([]coaching.ScheduledEmail, 0, len(all))
	for _, it := range all {
		if limit > 0 && len(out) == limit {
			break
		}
		if it.Claimable(t) {
			out = append(out, it.ScheduledEmail)
		}
	}
	return out, nil
}

// ClaimEmail marks e claimed until leaseUntil, one attempt more, with one
// conditional write: the stored email must still be at e.Version and
// claimable at now. Of two dispatchers claiming the same email, one wins and
// the other gets ECONFLICT. It returns the email as stored.
func (s *Store) ClaimEmail(ctx context.Context, e coaching.ScheduledEmail, now, leaseUntil time.Time) (coaching.ScheduledEmail, error) {
	conflict := coaching.Errorf(coaching.ECONFLICT, "email %s is not claimable (changed since version %d, or not due)", e.ID, e.Version)
	if !e.Claimable(now) {
		return coaching.ScheduledEmail{}, conflict
	}
	if !leaseUntil.After(now) {
		return coaching.ScheduledEmail{}, coaching.Errorf(coaching.EINVALID, "lease of email %s ends (%v) before now (%v)", e.ID, leaseUntil, now)
	}
	if err := checkTime("lease end", leaseUntil); err != nil {
		return coaching.ScheduledEmail{}, err
	}
	if err := checkTime("claim time", now); err != nil {
		return coaching.ScheduledEmail{}, err
	}
	claimed := e
	claimed.State = coaching.EmailClaimed
	claimed.LeaseUntil = leaseUntil
	claimed.Attempts++
	claimed.Version++
	if err := checkEmail(claimed); err != nil {
		return coaching.ScheduledEmail{}, err
	}
	item, err := s.marshal(s.emailItem(claimed))
	if err != nil {
		return coaching.ScheduledEmail{}, err
	}
	at := expression.Value(keyTime(now))
	state := expression.Name("State")
	cond := expression.Name("Version").Equal(expression.Value(e.Version)).And(expression.Or(
		state.Equal(expression.Value(coaching.EmailPending)).And(expression.Name("Due").LessThanEqual(at)),
		state.Equal(expression.Value(coaching.EmailClaimed)).And(expression.Name("LeaseUntil").LessThanEqual(at)),
	))
	if err := s.put(ctx, item, &cond, "email "+e.ID, conflict); err != nil {
		return coaching.ScheduledEmail{}, err
	}
	return claimed, nil
}

// MarkSent records a claimed email as sent (its Version +1) together with
// its SentRef, in one transaction conditional on the email being claimed at
// e.Version. SentAt and MessageID of the email default to the ref's.
func (s *Store) MarkSent(ctx context.Context, e coaching.ScheduledEmail, ref coaching.SentRef) error {
	conflict := coaching.Errorf(coaching.ECONFLICT, "email %s is not claimed at version %d", e.ID, e.Version)
	if e.State != coaching.EmailClaimed {
		return conflict
	}
	if err := checkSentRef(ref); err != nil {
		return err
	}
	sent := e
	sent.State = coaching.EmailSent
	if sent.SentAt.IsZero() {
		sent.SentAt = ref.SentAt
	}
	if sent.MessageID == "" {
		sent.MessageID = ref.MessageID
	}
	sent.Version++
	if err := checkEmail(sent); err != nil {
		return err
	}
	cond := expression.Name("Version").Equal(expression.Value(e.Version)).
		And(expression.Name("State").Equal(expression.Value(coaching.EmailClaimed)))
	var t tx
	t.putItem(s, emailKey(e.ID), s.emailItem(sent), &cond, "email "+e.ID, conflict)
	t.putItem(s, sentKey(ref.MessageID), s.sentRefItem(ref), absent(), "sent message",
		coaching.Errorf(coaching.ECONFLICT, "a sent message with Message-ID %q is already recorded", ref.MessageID))
	return s.commit(ctx, &t, "mark email "+e.ID+" sent")
}

func checkSentRef(r coaching.SentRef) error {
	if err := checkID("Message-ID of sent message", r.MessageID); err != nil {
		return err
	}
	for _, v := range []string{r.TokenID, r.EmailID, r.SessionID, r.LeaderID, r.CoachID} {
		if len(v) > maxComponent {
			return coaching.Errorf(coaching.EINVALID, "sent message %q: a reference is too long", r.MessageID)
		}
	}
	if err := checkTime("send time", r.SentAt); err != nil {
		return err
	}
	return checkTime("expiry of sent message", r.Expires)
}

func (s *Store) sentRefItem(r coaching.SentRef) sentRefItem {
	m := newMeta(typeSentRef, sentKey(r.MessageID))
	switch {
	case r.LeaderID != "":
		m.GSI1PK, m.GSI1SK = leaderPK(r.LeaderID), sentOfOwnerSK(r)
	case r.SessionID != "":
		m.GSI1PK, m.GSI1SK = sessionPK(r.SessionID), sentOfOwnerSK(r)
	}
	if r.TokenID != "" {
		m.GSI2PK, m.GSI2SK = tokenPK(r.TokenID), sentAtSK(r.SentAt)
	}
	m.TTL = ttlOf(r.Expires)
	return sentRefItem{m, r}
}

// SentRefByMessageID reads what we sent under a Message-ID (angle brackets
// around it are ignored).
func (s *Store) SentRefByMessageID(ctx context.Context, messageID string) (coaching.SentRef, error) {
	messageID = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(messageID), "<"), ">")
	if !lookupable(messageID) {
		return coaching.SentRef{}, coaching.Errorf(coaching.ENOTFOUND, "no sent message has that Message-ID")
	}
	var it sentRefItem
	if err := s.get(ctx, sentKey(messageID), &it, "sent message"); err != nil {
		return coaching.SentRef{}, err
	}
	return it.SentRef, nil
}

// SentRefByToken reads the latest message we sent with a reply token. It
// reads GSI2, which lags writes by a moment; replies come later than that.
func (s *Store) SentRefByToken(ctx context.Context, tokenID string) (coaching.SentRef, error) {
	notFound := coaching.Errorf(coaching.ENOTFOUND, "no sent message has that reply token")
	if !lookupable(tokenID) {
		return coaching.SentRef{}, notFound
	}
	items, err := queryInto[sentRefItem](ctx, s, query{
		index:   gsi2,
		key:     expression.Key(attrGSI2PK).Equal(expression.Value(tokenPK(tokenID))),
		reverse: true,
		limit:   1,
	}, "sent message by token")
	if err != nil {
		return coaching.SentRef{}, err
	}
	if len(items) == 0 {
		return coaching.SentRef{}, notFound
	}
	return items[0].SentRef, nil
}

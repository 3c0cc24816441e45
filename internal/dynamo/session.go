package dynamo

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

type sessionItem struct {
	meta
	coaching.Session
}

// leaderSessionItem places a session in one of its leaders' partitions, by
// start; it is small on purpose, so that a group session costs one short
// item per leader, and only a move or a change of leaders rewrites it.
type leaderSessionItem struct {
	meta
	SessionID string
}

// calendarItem points from a calendar event occurrence to its session; its
// conditional write keeps one session per occurrence.
type calendarItem struct {
	meta
	SessionID string
}

func sessionIs(id string) *expression.ConditionBuilder {
	c := expression.Name("SessionID").Equal(expression.Value(id))
	return &c
}

func checkSession(s coaching.Session) error {
	if err := checkID("session id", s.ID); err != nil {
		return err
	}
	if err := checkID("coach id of session "+s.ID, s.CoachID); err != nil {
		return err
	}
	for i, l := range s.LeaderIDs {
		if err := checkID("leader id of session "+s.ID, l); err != nil {
			return err
		}
		if slices.Contains(s.LeaderIDs[:i], l) {
			return coaching.Errorf(coaching.EINVALID, "session %s lists leader %s twice", s.ID, l)
		}
	}
	if s.CalendarUID == "" && s.RecurrenceID != "" {
		return coaching.Errorf(coaching.EINVALID, "session %s has a recurrence id without a calendar UID", s.ID)
	}
	if s.CalendarUID != "" {
		if err := checkID("calendar UID of session "+s.ID, s.CalendarUID); err != nil {
			return err
		}
		if len(s.RecurrenceID) > maxComponent {
			return coaching.Errorf(coaching.EINVALID, "recurrence id of session %s is too long", s.ID)
		}
	}
	for _, t := range []time.Time{s.Start, s.End, s.NotesAt, s.CreatedAt, s.UpdatedAt} {
		if err := checkTime("time of session "+s.ID, t); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) sessionItem(ss coaching.Session) sessionItem {
	m := newMeta(typeSession, sessionKey(ss.ID))
	m.GSI1PK, m.GSI1SK = coachPK(ss.CoachID), sessionByStartSK(ss.Start, ss.ID)
	return sessionItem{m, ss}
}

// addSessionIndexes adds the writes that move a session's index items from
// what old needs to what ss needs; old is nil for a new session.
func (s *Store) addSessionIndexes(t *tx, old *coaching.Session, ss coaching.Session, conflict error) {
	want := map[key]bool{}
	for _, l := range ss.LeaderIDs {
		want[leaderSessionKey(l, ss.Start, ss.ID)] = true
	}
	if old != nil {
		for _, l := range old.LeaderIDs {
			k := leaderSessionKey(l, old.Start, old.ID)
			if want[k] {
				delete(want, k) // unchanged
				continue
			}
			t.delete(k, nil, "session index of leader "+l, nil)
		}
	}
	// Range over ss.LeaderIDs, not the map, so the writes keep an order.
	for _, l := range ss.LeaderIDs {
		k := leaderSessionKey(l, ss.Start, ss.ID)
		if want[k] {
			t.putItem(s, k, leaderSessionItem{newMeta(typeLeaderSession, k), ss.ID}, nil, "session index of leader "+l, nil)
		}
	}

	calendarTaken := coaching.Errorf(coaching.ECONFLICT, "calendar event %q (occurrence %q) already has a session", ss.CalendarUID, ss.RecurrenceID)
	if old != nil && old.CalendarUID == ss.CalendarUID && old.RecurrenceID == ss.RecurrenceID {
		return
	}
	if old != nil && old.CalendarUID != "" {
		t.delete(calendarKey(old.CalendarUID, old.RecurrenceID), sessionIs(ss.ID), "old calendar index", conflict)
	}
	if ss.CalendarUID != "" {
		k := calendarKey(ss.CalendarUID, ss.RecurrenceID)
		t.putItem(s, k, calendarItem{newMeta(typeCalendar, k), ss.ID}, absent(), "calendar index", calendarTaken)
	}
}

// CreateSession stores a new session at Version 1, with an index item per
// leader and, for a calendar event, the calendar index; ECONFLICT when the
// id, or the calendar UID and recurrence id, exist.
func (s *Store) CreateSession(ctx context.Context, ss coaching.Session) error {
	if err := checkSession(ss); err != nil {
		return err
	}
	ss.Version = 1
	var t tx
	t.putItem(s, sessionKey(ss.ID), s.sessionItem(ss), absent(), "session",
		coaching.Errorf(coaching.ECONFLICT, "session %s exists", ss.ID))
	s.addSessionIndexes(&t, nil, ss, nil)
	return s.commit(ctx, &t, "create session "+ss.ID)
}

// UpdateSession replaces a session whose stored Version is ss.Version; the
// stored Version becomes ss.Version+1. A change of start, leaders or
// calendar event rewrites the index items in the same transaction; any other
// change is a single conditional write.
func (s *Store) UpdateSession(ctx context.Context, ss coaching.Session) error {
	var t tx
	if err := s.updateSession(ctx, &t, ss); err != nil {
		return err
	}
	return s.commit(ctx, &t, "update session "+ss.ID)
}

func (s *Store) updateSession(ctx context.Context, t *tx, ss coaching.Session) error {
	if err := checkSession(ss); err != nil {
		return err
	}
	cur, err := s.SessionByID(ctx, ss.ID)
	if err != nil {
		return err
	}
	// A stale version is not refused here but by the write's condition, so
	// that in Apply the inbound record's condition, listed first, decides
	// what the caller is told.
	conflict := coaching.Errorf(coaching.ECONFLICT, "session %s changed since version %d", ss.ID, ss.Version)
	v := ss.Version
	ss.Version++
	t.putItem(s, sessionKey(ss.ID), s.sessionItem(ss), versionIs(v), "session", conflict)
	s.addSessionIndexes(t, &cur, ss, conflict)
	return nil
}

// SessionByID reads a session.
func (s *Store) SessionByID(ctx context.Context, id string) (coaching.Session, error) {
	if !lookupable(id) {
		return coaching.Session{}, coaching.Errorf(coaching.ENOTFOUND, "session %q not found", id)
	}
	var it sessionItem
	if err := s.get(ctx, sessionKey(id), &it, "session "+id); err != nil {
		return coaching.Session{}, err
	}
	return it.Session, nil
}

// SessionByCalendar reads the session of a calendar event occurrence, by
// two strongly consistent reads: the calendar index, then the session.
func (s *Store) SessionByCalendar(ctx context.Context, uid, recurrenceID string) (coaching.Session, error) {
	notFound := coaching.Errorf(coaching.ENOTFOUND, "no session for calendar event %q occurrence %q", uid, recurrenceID)
	if !lookupable(uid) || len(recurrenceID) > maxComponent {
		return coaching.Session{}, notFound
	}
	var c calendarItem
	if err := s.get(ctx, calendarKey(uid, recurrenceID), &c, "calendar index"); err != nil {
		if coaching.IsNotFound(err) {
			return coaching.Session{}, notFound
		}
		return coaching.Session{}, err
	}
	ss, err := s.SessionByID(ctx, c.SessionID)
	if coaching.IsNotFound(err) {
		return coaching.Session{}, notFound
	}
	return ss, err
}

// SessionsByCalendar lists the sessions of every occurrence of a calendar
// event, by start.
func (s *Store) SessionsByCalendar(ctx context.Context, uid string) ([]coaching.Session, error) {
	if !lookupable(uid) {
		return nil, nil
	}
	refs, err := queryInto[calendarItem](ctx, s, query{
		key: expression.Key(attrPK).Equal(expression.Value(calendarPK(uid))),
	}, "calendar event")
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.SessionID
	}
	out, err := s.sessions(ctx, ids)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b coaching.Session) int { return a.Start.Compare(b.Start) })
	return out, nil
}

// sessions reads sessions by id and returns them in the order of ids,
// leaving out those that do not exist.
func (s *Store) sessions(ctx context.Context, ids []string) ([]coaching.Session, error) {
	keys := make([]key, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			keys = append(keys, sessionKey(id))
		}
	}
	items, err := s.batchGet(ctx, keys, "sessions")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]coaching.Session, len(items))
	for _, raw := range items {
		var it sessionItem
		if err := s.unmarshal(raw, &it); err != nil {
			return nil, err
		}
		byID[it.ID] = it.Session
	}
	out := make([]coaching.Session, 0, len(ids))
	for _, id := range ids {
		if ss, ok := byID[id]; ok {
			out = append(out, ss)
			delete(byID, id)
		}
	}
	return out, nil
}

// SessionsOfLeader lists a leader's sessions starting in [from, to), by
// start; a zero to means no upper bound. One Query of the leader's index
// items, then one BatchGetItem, both strongly consistent.
func (s *Store) SessionsOfLeader(ctx context.Context, leaderID string, from, to time.Time) ([]coaching.Session, error) {
	if !lookupable(leaderID) {
		return nil, nil
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	lo, hi := sessionRange(from, to)
	refs, err := queryInto[leaderSessionItem](ctx, s, query{
		key: expression.Key(attrPK).Equal(expression.Value(leaderPK(leaderID))).
			And(expression.Key(attrSK).Between(expression.Value(lo), expression.Value(hi))),
	}, "sessions of leader "+leaderID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.SessionID
	}
	return s.sessions(ctx, ids)
}

// SessionsOfCoach lists a coach's sessions starting in [from, to), by start;
// a zero to means no upper bound. It reads GSI1, which lags writes by a
// moment.
func (s *Store) SessionsOfCoach(ctx context.Context, coachID string, from, to time.Time) ([]coaching.Session, error) {
	if !lookupable(coachID) {
		return nil, nil
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	lo, hi := sessionRange(from, to)
	items, err := queryInto[sessionItem](ctx, s, query{
		index: gsi1,
		key: expression.Key(attrGSI1PK).Equal(expression.Value(coachPK(coachID))).
			And(expression.Key(attrGSI1SK).Between(expression.Value(lo), expression.Value(hi))),
	}, "sessions of coach "+coachID)
	if err != nil {
		return nil, err
	}
	out := make([]coaching.Session, len(items))
	for i, it := range items {
		out[i] = it.Session
	}
	return out, nil
}

func checkRange(from, to time.Time) error {
	if err := checkTime("range start", from); err != nil {
		return err
	}
	if to.IsZero() {
		return nil
	}
	if err := checkTime("range end", to); err != nil {
		return err
	}
	if to.Before(from) {
		return coaching.Errorf(coaching.EINVALID, "range ends (%v) before it starts (%v)", to, from)
	}
	return nil
}

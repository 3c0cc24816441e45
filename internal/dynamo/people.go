package dynamo

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"

	"github.com/coachmail/coachmail/internal/coaching"
)

type coachItem struct {
	meta
	coaching.Coach
}

type leaderItem struct {
	meta
	coaching.Leader
}

// addressItem claims an address for one coach or one leader; its write,
// conditional on the key being new, is what keeps addresses unique.
type addressItem struct {
	meta
	OwnerID string
}

type suppressionItem struct {
	meta
	Address string
	Reason  string
	At      time.Time
}

func ownerIs(id string) *expression.ConditionBuilder {
	c := expression.Name("OwnerID").Equal(expression.Value(id))
	return &c
}

func checkPerson(what, id, email string, created time.Time) error {
	if err := checkID(what+" id", id); err != nil {
		return err
	}
	if err := checkID(what+" address", email); err != nil {
		return err
	}
	return checkTime(what+" creation time", created)
}

// CreateCoach stores a new coach at Version 1; ECONFLICT when the id or the
// address is taken. The address is stored normalized.
func (s *Store) CreateCoach(ctx context.Context, c coaching.Coach) error {
	c.Email = coaching.NormalizeAddress(c.Email)
	if err := checkPerson("coach", c.ID, c.Email, c.CreatedAt); err != nil {
		return err
	}
	c.Version = 1
	var t tx
	t.putItem(s, coachKey(c.ID), coachItem{newMeta(typeCoach, coachKey(c.ID)), c}, absent(),
		"coach", coaching.Errorf(coaching.ECONFLICT, "coach %s exists", c.ID))
	t.putItem(s, coachAddressKey(c.Email), addressItem{newMeta(typeAddress, coachAddressKey(c.Email)), c.ID}, absent(),
		"coach address", coaching.Errorf(coaching.ECONFLICT, "the address of coach %s is taken", c.ID))
	return s.commit(ctx, &t, "create coach "+c.ID)
}

// UpdateCoach replaces a coach whose stored Version is c.Version; the stored
// Version becomes c.Version+1. A new address moves the address claim.
func (s *Store) UpdateCoach(ctx context.Context, c coaching.Coach) error {
	c.Email = coaching.NormalizeAddress(c.Email)
	if err := checkPerson("coach", c.ID, c.Email, c.CreatedAt); err != nil {
		return err
	}
	cur, err := s.CoachByID(ctx, c.ID)
	if err != nil {
		return err
	}
	conflict := coaching.Errorf(coaching.ECONFLICT, "coach %s changed since version %d", c.ID, c.Version)
	if cur.Version != c.Version {
		return conflict
	}
	c.Version++
	var t tx
	t.putItem(s, coachKey(c.ID), coachItem{newMeta(typeCoach, coachKey(c.ID)), c}, versionIs(cur.Version), "coach", conflict)
	if cur.Email != c.Email {
		t.delete(coachAddressKey(cur.Email), ownerIs(c.ID), "old coach address", conflict)
		t.putItem(s, coachAddressKey(c.Email), addressItem{newMeta(typeAddress, coachAddressKey(c.Email)), c.ID}, absent(),
			"coach address", coaching.Errorf(coaching.ECONFLICT, "the new address of coach %s is taken", c.ID))
	}
	return s.commit(ctx, &t, "update coach "+c.ID)
}

// CoachByID reads a coach.
func (s *Store) CoachByID(ctx context.Context, id string) (coaching.Coach, error) {
	if !lookupable(id) {
		return coaching.Coach{}, coaching.Errorf(coaching.ENOTFOUND, "coach %q not found", id)
	}
	var it coachItem
	if err := s.get(ctx, coachKey(id), &it, "coach "+id); err != nil {
		return coaching.Coach{}, err
	}
	return it.Coach, nil
}

// CoachByEmail reads the coach who has the address. Error messages leave the
// address out: they end up in logs.
func (s *Store) CoachByEmail(ctx context.Context, email string) (coaching.Coach, error) {
	email = coaching.NormalizeAddress(email)
	notFound := coaching.Errorf(coaching.ENOTFOUND, "no coach has that address")
	if !lookupable(email) {
		return coaching.Coach{}, notFound
	}
	var a addressItem
	if err := s.get(ctx, coachAddressKey(email), &a, "coach address"); err != nil {
		if coaching.IsNotFound(err) {
			return coaching.Coach{}, notFound
		}
		return coaching.Coach{}, err
	}
	return s.CoachByID(ctx, a.OwnerID)
}

func (s *Store) leaderItem(l coaching.Leader) leaderItem {
	m := newMeta(typeLeader, leaderKey(l.ID))
	m.GSI1PK, m.GSI1SK = coachPK(l.CoachID), leaderOfCoachSK(l.ID)
	return leaderItem{m, l}
}

func checkLeader(l coaching.Leader) error {
	if err := checkPerson("leader", l.ID, l.Email, l.CreatedAt); err != nil {
		return err
	}
	return checkID("coach id of leader "+l.ID, l.CoachID)
}

// CreateLeader stores a new leader at Version 1; ECONFLICT when the id or the
// address is taken. The address is stored normalized.
func (s *Store) CreateLeader(ctx context.Context, l coaching.Leader) error {
	l.Email = coaching.NormalizeAddress(l.Email)
	if err := checkLeader(l); err != nil {
		return err
	}
	l.Version = 1
	var t tx
	t.putItem(s, leaderKey(l.ID), s.leaderItem(l), absent(),
		"leader", coaching.Errorf(coaching.ECONFLICT, "leader %s exists", l.ID))
	t.putItem(s, leaderAddressKey(l.Email), addressItem{newMeta(typeAddress, leaderAddressKey(l.Email)), l.ID}, absent(),
		"leader address", coaching.Errorf(coaching.ECONFLICT, "the address of leader %s is taken", l.ID))
	return s.commit(ctx, &t, "create leader "+l.ID)
}

// UpdateLeader replaces a leader whose stored Version is l.Version; the
// stored Version becomes l.Version+1.
func (s *Store) UpdateLeader(ctx context.Context, l coaching.Leader) error {
	var t tx
	if err := s.updateLeader(ctx, &t, l); err != nil {
		return err
	}
	return s.commit(ctx, &t, "update leader "+l.ID)
}

// updateLeader adds the writes of a leader's update to t.
func (s *Store) updateLeader(ctx context.Context, t *tx, l coaching.Leader) error {
	l.Email = coaching.NormalizeAddress(l.Email)
	if err := checkLeader(l); err != nil {
		return err
	}
	cur, err := s.LeaderByID(ctx, l.ID)
	if err != nil {
		return err
	}
	// As in updateSession, a stale version is refused by the write's
	// condition, after the inbound record's.
	conflict := coaching.Errorf(coaching.ECONFLICT, "leader %s changed since version %d", l.ID, l.Version)
	v := l.Version
	l.Version++
	t.putItem(s, leaderKey(l.ID), s.leaderItem(l), versionIs(v), "leader", conflict)
	if cur.Email != l.Email {
		t.delete(leaderAddressKey(cur.Email), ownerIs(l.ID), "old leader address", conflict)
		t.putItem(s, leaderAddressKey(l.Email), addressItem{newMeta(typeAddress, leaderAddressKey(l.Email)), l.ID}, absent(),
			"leader address", coaching.Errorf(coaching.ECONFLICT, "the new address of leader %s is taken", l.ID))
	}
	return nil
}

// LeaderByID reads a leader.
func (s *Store) LeaderByID(ctx context.Context, id string) (coaching.Leader, error) {
	if !lookupable(id) {
		return coaching.Leader{}, coaching.Errorf(coaching.ENOTFOUND, "leader %q not found", id)
	}
	var it leaderItem
	if err := s.get(ctx, leaderKey(id), &it, "leader "+id); err != nil {
		return coaching.Leader{}, err
	}
	return it.Leader, nil
}

// LeaderByEmail reads the leader who has the address.
func (s *Store) LeaderByEmail(ctx context.Context, email string) (coaching.Leader, error) {
	email = coaching.NormalizeAddress(email)
	notFound := coaching.Errorf(coaching.ENOTFOUND, "no leader has that address")
	if !lookupable(email) {
		return coaching.Leader{}, notFound
	}
	var a addressItem
	if err := s.get(ctx, leaderAddressKey(email), &a, "leader address"); err != nil {
		if coaching.IsNotFound(err) {
			return coaching.Leader{}, notFound
		}
		return coaching.Leader{}, err
	}
	return s.LeaderByID(ctx, a.OwnerID)
}

// LeadersOfCoach lists a coach's leaders, by id. It reads GSI1, which lags
// writes by a moment.
func (s *Store) LeadersOfCoach(ctx context.Context, coachID string) ([]coaching.Leader, error) {
	if !lookupable(coachID) {
		return nil, nil
	}
	items, err := queryInto[leaderItem](ctx, s, query{
		index: gsi1,
		key: expression.Key(attrGSI1PK).Equal(expression.Value(coachPK(coachID))).
			And(expression.Key(attrGSI1SK).BeginsWith(leaderOfCoachPrefix)),
	}, "leaders of coach "+coachID)
	if err != nil {
		return nil, err
	}
	out := make([]coaching.Leader, len(items))
	for i, it := range items {
		out[i] = it.Leader
	}
	return out, nil
}

// Suppress records that mail to the address must stop, and why; a later
// call replaces the reason.
func (s *Store) Suppress(ctx context.Context, address, reason string, at time.Time) error {
	address = coaching.NormalizeAddress(address)
	if err := checkID("suppressed address", address); err != nil {
		return err
	}
	if reason == "" {
		return coaching.Errorf(coaching.EINVALID, "suppression without a reason")
	}
	if err := checkTime("suppression time", at); err != nil {
		return err
	}
	k := suppressionKey(address)
	item, err := s.marshal(suppressionItem{newMeta(typeSuppression, k), address, reason, at})
	if err != nil {
		return err
	}
	return s.put(ctx, item, nil, "suppression", nil)
}

// Suppression returns why mail to the address is suppressed, or "".
func (s *Store) Suppression(ctx context.Context, address string) (string, error) {
	address = coaching.NormalizeAddress(address)
	if !lookupable(address) {
		return "", nil
	}
	var it suppressionItem
	if err := s.get(ctx, suppressionKey(address), &it, "suppression"); err != nil {
		if coaching.IsNotFound(err) {
			return "", nil
		}
		return "", err
	}
	return it.Reason, nil
}

package dynamo

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
)

// Every key of the table is built in this file, so that the layout in the
// package doc can be checked against one place.

// Attribute names of the table's keys, its indexes and its TTL.
const (
	attrPK     = "PK"
	attrSK     = "SK"
	attrGSI1PK = "GSI1PK"
	attrGSI1SK = "GSI1SK"
	attrGSI2PK = "GSI2PK"
	attrGSI2SK = "GSI2SK"
	attrTTL    = "ttl"

	// Index names.
	gsi1 = "GSI1"
	gsi2 = "GSI2"
)

// Item types, stored in every item's ItemType attribute. They make an item
// readable in the console and tell EraseLeader what it is looking at.
const (
	typeCoach         = "coach"
	typeLeader        = "leader"
	typeAddress       = "address"
	typeSuppression   = "suppression"
	typeSession       = "session"
	typeLeaderSession = "leader_session"
	typeCalendar      = "calendar"
	typeOutcome       = "outcome"
	typeCommitment    = "commitment"
	typeEmail         = "email"
	typeSentRef       = "sent_ref"
	typeInbound       = "inbound"
	typeQuarantine    = "quarantine"
	typeSeries        = "series"
	typeSeen          = "seen"
)

// maxComponent bounds one caller-supplied part of a key (an id, an address,
// a calendar UID, a Message-ID). DynamoDB refuses partition keys over 2048
// bytes and sort keys over 1024; several parts and a prefix share a key, and
// several of these values come from mail, so a bound well under those
// limits keeps every key valid and a hostile value cheap to refuse.
const maxComponent = 512

// DefaultDueShards is the number of GSI2 partitions scheduled emails are
// spread over (DUE#0 … DUE#15).
const DefaultDueShards = 16

// timeLayout formats times in keys and attributes: UTC, fixed width, nine
// fractional digits, so that lexical order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// keyTime formats t for a sort key. Years outside 0001–9999 do not fit the
// fixed width and are refused by checkTime.
func keyTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// checkTime refuses a time that keyTime cannot order.
func checkTime(what string, t time.Time) error {
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return coaching.Errorf(coaching.EINVALID, "%s %v: year out of range", what, t)
	}
	return nil
}

// checkID refuses an empty or oversized key component.
func checkID(what, v string) error {
	if v == "" {
		return coaching.Errorf(coaching.EINVALID, "%s is empty", what)
	}
	if len(v) > maxComponent {
		return coaching.Errorf(coaching.EINVALID, "%s is %d bytes long, over %d", what, len(v), maxComponent)
	}
	return nil
}

// lookupable reports whether v can be part of a key. A lookup by a value that
// cannot be stored finds nothing; it need not be an error.
func lookupable(v string) bool { return v != "" && len(v) <= maxComponent }

// key is the primary key of an item.
type key struct{ PK, SK string }

func coachKey(id string) key { return key{"COACH#" + id, "COACH"} }

// Addresses share one partition per address: who uses it (a coach, a
// leader) and whether mail to it is suppressed.
func coachAddressKey(addr string) key  { return key{"ADDR#" + addr, "COACH"} }
func leaderAddressKey(addr string) key { return key{"ADDR#" + addr, "LEADER"} }
func suppressionKey(addr string) key   { return key{"ADDR#" + addr, "SUPPRESSION"} }

func leaderPK(id string) string { return "LEADER#" + id }
func leaderKey(id string) key   { return key{leaderPK(id), "LEADER"} }
func coachPK(id string) string  { return "COACH#" + id }

// Leaders of a coach: GSI1 COACH#<coach> / LEADER#<leader>.
const leaderOfCoachPrefix = "LEADER#"

func leaderOfCoachSK(leaderID string) string { return leaderOfCoachPrefix + leaderID }

func sessionPK(id string) string { return "SESSION#" + id }
func sessionKey(id string) key   { return key{sessionPK(id), "SESSION"} }

// Sessions by start, both under the leader (one index item per leader of a
// session) and, in GSI1, under the coach.
const sessionByStartPrefix = "SESSION#"

func sessionByStartSK(start time.Time, id string) string {
	return sessionByStartPrefix + keyTime(start) + "#" + id
}

// sessionRange returns the sort-key bounds, for BETWEEN, of sessions starting
// in [from, to); a zero to means no upper bound. The lower bound sorts before
// every session starting at from; the upper one after every session starting
// before to and before every session starting at to, because a session's key
// continues past the time with "#<id>".
func sessionRange(from, to time.Time) (lo, hi string) {
	lo = sessionByStartPrefix + keyTime(from)
	if to.IsZero() {
		return lo, "SESSION$" // '$' follows '#': after every SESSION# key
	}
	return lo, sessionByStartPrefix + keyTime(to)
}

func leaderSessionKey(leaderID string, start time.Time, sessionID string) key {
	return key{leaderPK(leaderID), sessionByStartSK(start, sessionID)}
}

// Calendar events: CAL#<uid> / RID#<recurrence id>; a single event has an
// empty recurrence id, so its sort key is "RID#".
func calendarPK(uid string) string { return "CAL#" + uid }
func calendarKey(uid, recurrenceID string) key {
	return key{calendarPK(uid), "RID#" + recurrenceID}
}

// Outcomes live in their session's partition, in the order they were
// recorded: by time, then by the message they came from, then by position.
const outcomePrefix = "OUTCOME#"

func outcomeKey(o coaching.Outcome, inboundID string, n int) key {
	return key{sessionPK(o.SessionID), fmt.Sprintf("%s%s#%s#%04d", outcomePrefix, keyTime(o.CreatedAt), inboundID, n)}
}

// Commitments live in their leader's partition, oldest first; the open ones
// (open, not done) are also in GSI2 under the leader.
const (
	commitmentPrefix     = "COMMIT#"
	openCommitmentPrefix = "OPEN#"
)

func commitmentKey(c coaching.Commitment) key {
	return key{leaderPK(c.LeaderID), commitmentPrefix + keyTime(c.CreatedAt) + "#" + c.ID}
}

func openCommitmentSK(c coaching.Commitment) string {
	return openCommitmentPrefix + keyTime(c.CreatedAt) + "#" + c.ID
}

// closedCommitmentSK keeps a done or dropped commitment in GSI2, out of the
// open prefix.
func closedCommitmentSK(c coaching.Commitment) string {
	return "CLOSED#" + keyTime(c.CreatedAt) + "#" + c.ID
}

// commitmentOpen says which commitments the open index holds: those the next
// prompt carries.
func commitmentOpen(s coaching.CommitmentStatus) bool {
	return s == coaching.CommitmentOpen || s == coaching.CommitmentNotDone
}

func emailKey(id string) key { return key{"EMAIL#" + id, "EMAIL"} }

// Scheduled emails are in GSI1 under their session (or, without one, under
// their leader, or else their coach) by due time, and while they can still
// be sent in GSI2 under DUE#<shard> by the time they become claimable.
const emailPrefix = "EMAIL#"

func emailOwnerPK(e coaching.ScheduledEmail) string {
	switch {
	case e.SessionID != "":
		return sessionPK(e.SessionID)
	case e.LeaderID != "":
		return leaderPK(e.LeaderID)
	default:
		return coachPK(e.CoachID)
	}
}

func emailOfOwnerSK(e coaching.ScheduledEmail) string {
	return emailPrefix + keyTime(e.Due) + "#" + e.ID
}

// dueShard spreads emails over n partitions by a hash of their id, so that
// no single key takes every write of the dispatcher.
func dueShard(id string, n int) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id)) // hash.Hash writes never fail
	return int(h.Sum32() % uint32(n))
}

func duePK(shard int) string { return "DUE#" + strconv.Itoa(shard) }

// donePK is the GSI2 partition of a shard's sent, cancelled and failed
// emails, which no request reads.
func donePK(shard int) string { return "DONE#" + strconv.Itoa(shard) }

// dueSK is the time an email becomes claimable: its due time while pending,
// the end of its lease while claimed.
func dueSK(at time.Time, id string) string { return keyTime(at) + "#" + id }

// dueBefore is the exclusive upper bound of the due keys at or before t.
func dueBefore(t time.Time) string { return keyTime(t) + "$" }

// Sent emails: SENT#<Message-ID>; in GSI2 by reply token; in GSI1 under the
// leader (or, without one, the session) for erase.
const sentPrefix = "SENT#"

func sentKey(messageID string) key  { return key{sentPrefix + messageID, "SENT"} }
func tokenPK(tokenID string) string { return "TOKEN#" + tokenID }
func sentAtSK(at time.Time) string  { return sentPrefix + keyTime(at) }
func sentOfOwnerSK(r coaching.SentRef) string {
	return sentPrefix + keyTime(r.SentAt) + "#" + r.MessageID
}

// Inbound messages: INBOUND#<SES id>. With a leader, they are in GSI1 under
// the leader; one that carries a focus answer sorts as FOCUS#, the others as
// INBOUND#.
const (
	focusPrefix   = "FOCUS#"
	inboundPrefix = "INBOUND#"
)

func inboundKey(id string) key { return key{inboundPrefix + id, "INBOUND"} }

// Messages seen, by fingerprint: SEEN#<fingerprint>.
func seenKey(fingerprint string) key { return key{"SEEN#" + fingerprint, "SEEN"} }

// A reply that carries status reports not yet folded into the commitments
// sorts under its leader in GSI1 as DELTA#<at> instead, for Commitments to
// find with one Query; Compact moves it to FOCUS# or INBOUND#. The key has
// no message id: index keys need not be unique, and every byte of the item
// is paid for on each of its writes.
const deltaPrefix = "DELTA#"

func deltaSK(at time.Time) string { return deltaPrefix + keyTime(at) }

func inboundOfLeaderSK(prefix string, at time.Time, id string) string {
	return prefix + keyTime(at) + "#" + id
}

// Quarantine: QUARANTINE#<SES id>; every record in GSI2 under QUARANTINE by
// arrival (the operator's list), and in GSI1 under its leader when known.
const quarantinePrefix = "QUARANTINE#"

func quarantineKey(id string) key { return key{quarantinePrefix + id, "QUARANTINE"} }

const quarantineListPK = "QUARANTINE"

func quarantineListSK(q coaching.Quarantine) string { return keyTime(q.ReceivedAt) + "#" + q.ID }
func quarantineOfLeaderSK(q coaching.Quarantine) string {
	return quarantinePrefix + keyTime(q.ReceivedAt) + "#" + q.ID
}

// Recurring series: SERIES#<uid> / SERIES. An active series is also in GSI2
// under SERIES by the time its horizon next moves, so that the dispatcher
// reads only the series that need topping up; a finished one is written
// without those attributes and leaves the index.
func seriesKey(uid string) key { return key{"SERIES#" + uid, "SERIES"} }

const activeSeriesPK = "SERIES"

func seriesTopUpSK(at time.Time, uid string) string { return keyTime(at) + "#" + uid }

// seriesBefore is the exclusive upper bound of the top-up keys strictly
// before t: a key at t itself continues with "#<uid>" and sorts after it.
func seriesBefore(t time.Time) string { return keyTime(t) }

package dynamo_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

func sortedIDs(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}

func testInbound(t *testing.T, e *env) {
	in := inbound("ses-1", "l1", at(0))
	must(t, "Apply", e.store.Apply(e.ctx, coaching.Change{Inbound: in}))
	got, err := e.store.InboundByID(e.ctx, "ses-1")
	must(t, "InboundByID", err)
	equal(t, "InboundByID(ses-1)", got, in)
	_, err = e.store.InboundByID(e.ctx, "ses-2")
	wantCode(t, "InboundByID(unseen)", err, coaching.ENOTFOUND)

	withFocus := inbound("ses-3", "", at(hour))
	withFocus.Route = coaching.RouteReply
	f := coaching.FocusAnswer{SessionID: "s1", LeaderID: "l1", Text: "The board", MessageID: "a@b", ReceivedAt: at(hour)}
	must(t, "Apply(focus)", e.store.Apply(e.ctx, coaching.Change{Inbound: withFocus, Focus: &f}))
	got, err = e.store.InboundByID(e.ctx, "ses-3")
	must(t, "InboundByID(ses-3)", err)
	equal(t, "InboundByID(ses-3)", got, withFocus)
}

// snapshot reads everything a change may touch, to compare before and after.
type snapshot struct {
	Commitments []coaching.Commitment
	Focus       []coaching.FocusAnswer
	Outcomes    []coaching.Outcome
	Emails      []coaching.ScheduledEmail
	Session     coaching.Session
	Leader      coaching.Leader
	Quarantine  []coaching.Quarantine
}

func (e *env) snapshot(t *testing.T) snapshot {
	t.Helper()
	var s snapshot
	var err error
	s.Commitments, err = e.store.Commitments(e.ctx, "l1", false)
	must(t, "Commitments", err)
	s.Focus, err = e.store.FocusAnswers(e.ctx, "l1", 0)
	must(t, "FocusAnswers", err)
	s.Outcomes, err = e.store.Outcomes(e.ctx, "s1")
	must(t, "Outcomes", err)
	s.Emails, err = e.store.EmailsOfSession(e.ctx, "s1")
	must(t, "EmailsOfSession", err)
	s.Session, err = e.store.SessionByID(e.ctx, "s1")
	must(t, "SessionByID", err)
	s.Leader, err = e.store.LeaderByID(e.ctx, "l1")
	must(t, "LeaderByID", err)
	s.Quarantine, err = e.store.Quarantined(e.ctx, 0)
	must(t, "Quarantined", err)
	return s
}

// fullChange is a change that touches every kind of item, on top of a world
// with leader l1, session s1 and commitment k1 (all at version 1).
func (e *env) fullChange(t *testing.T, id string) coaching.Change {
	t.Helper()
	e.setup(t, "l1")
	must(t, "CreateSession", e.store.CreateSession(e.ctx, newSession("s1", "c1", t0, "l1")))
	k1 := newCommitment("k1", "l1", "s1", at(-7*day))
	must(t, "Apply(k1)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("setup", "l1", at(-7*day)), Commitments: []coaching.Commitment{k1}}))

	k1.Version = 1
	k1.Record(coaching.StatusChange{At: at(0), Event: coaching.EventReported, Status: coaching.CommitmentDone, Source: id})
	ss := newSession("s1", "c1", t0, "l1")
	ss.Version, ss.NotesAt = 1, at(2*hour)
	l := newLeader("l1", "c1")
	l.Version, l.TimeZone = 1, "Europe/Paris"
	return coaching.Change{
		Inbound:     inbound(id, "l1", at(2*hour)),
		Focus:       &coaching.FocusAnswer{SessionID: "s1", LeaderID: "l1", Text: "Hiring", ReceivedAt: at(2 * hour)},
		Commitments: []coaching.Commitment{k1, newCommitment("k2", "l1", "s1", at(2*hour))},
		Outcomes:    []coaching.Outcome{{SessionID: "s1", LeaderID: "l1", Kind: coaching.Action, Text: "Call Dana", CreatedAt: at(2 * hour)}},
		Emails:      []coaching.ScheduledEmail{newEmail("recap-s1", coaching.EmailRecap, "s1", "l1", at(150*time.Minute))},
		Session:     &ss,
		Leader:      &l,
		Quarantine:  &coaching.Quarantine{ID: "q-" + id, RawKey: "raw/q", Reason: "dmarc", CoachID: "c1", ReceivedAt: at(2 * hour)},
	}
}

func testDuplicateApply(t *testing.T, e *env) {
	ch := e.fullChange(t, "m1")
	must(t, "Apply", e.store.Apply(e.ctx, ch))
	after := e.snapshot(t)
	if len(after.Commitments) != 2 || len(after.Focus) != 1 || len(after.Outcomes) != 1 || len(after.Emails) != 1 ||
		after.Session.Version != 2 || after.Leader.Version != 2 || len(after.Quarantine) != 1 {
		t.Fatalf("after the first Apply: %+v, want everything of the change", after)
	}

	// Redelivered as is, and redelivered after a retry re-read everything:
	// both refused as already handled, nothing changed.
	err := e.store.Apply(e.ctx, ch)
	wantCode(t, "Apply(redelivered)", err, coaching.ECONFLICT)
	if !strings.Contains(err.Error(), "already handled") {
		t.Errorf("Apply(redelivered) = %v, want it to say already handled", err)
	}
	fresh := ch
	fresh.Commitments = slices.Clone(ch.Commitments)
	fresh.Commitments[0].Version = 2
	fresh.Commitments[1].ID = "k3"
	ss, l := *ch.Session, *ch.Leader
	ss.Version, l.Version = 2, 2
	fresh.Session, fresh.Leader = &ss, &l
	fresh.Outcomes = []coaching.Outcome{{SessionID: "s1", LeaderID: "l1", Kind: coaching.Decision, Text: "x", CreatedAt: at(3 * hour)}}
	fresh.Emails = []coaching.ScheduledEmail{newEmail("recap-2", coaching.EmailRecap, "s1", "l1", at(3*hour))}
	err = e.store.Apply(e.ctx, fresh)
	wantCode(t, "Apply(redelivered, re-read)", err, coaching.ECONFLICT)
	if !strings.Contains(err.Error(), "already handled") {
		t.Errorf("Apply(redelivered, re-read) = %v, want it to say already handled", err)
	}
	equal(t, "state after the duplicates", e.snapshot(t), after)
}

func testApplyAllOrNothing(t *testing.T, e *env) {
	ch := e.fullChange(t, "m1")
	before := e.snapshot(t)
	ch.Commitments[0].Version = 7 // stale
	err := e.store.Apply(e.ctx, ch)
	wantCode(t, "Apply(stale commitment)", err, coaching.ECONFLICT)
	if !strings.Contains(err.Error(), "commitment k1") {
		t.Errorf("Apply(stale commitment) = %v, want it to name commitment k1", err)
	}
	_, err = e.store.InboundByID(e.ctx, "m1")
	wantCode(t, "InboundByID after a refused Apply", err, coaching.ENOTFOUND)
	equal(t, "state after the refused Apply", e.snapshot(t), before)

	// The same message, re-read, goes through.
	ch.Commitments[0].Version = 1
	must(t, "Apply(re-read)", e.store.Apply(e.ctx, ch))

	// Two writes to one item are refused before anything is sent.
	dup := coaching.Change{Inbound: inbound("m2", "l1", at(day)), Commitments: []coaching.Commitment{
		newCommitment("k9", "l1", "s1", at(day)), newCommitment("k9", "l1", "s1", at(day)),
	}}
	wantCode(t, "Apply(one commitment twice)", e.store.Apply(e.ctx, dup), coaching.EINVALID)
	var many coaching.Change
	many.Inbound = inbound("m3", "l1", at(day))
	for i := range 100 {
		many.Outcomes = append(many.Outcomes, coaching.Outcome{SessionID: "s1", Kind: coaching.Decision, Text: "x", CreatedAt: at(day)})
		_ = i
	}
	wantCode(t, "Apply(101 items)", e.store.Apply(e.ctx, many), coaching.EINVALID)
}

func testApplySessionLeader(t *testing.T, e *env) {
	ch := e.fullChange(t, "m1")
	must(t, "Apply", e.store.Apply(e.ctx, ch))
	ss, err := e.store.SessionByID(e.ctx, "s1")
	must(t, "SessionByID", err)
	want := *ch.Session
	want.Version = 2
	equal(t, "session after Apply", ss, want)
	l, err := e.store.LeaderByID(e.ctx, "l1")
	must(t, "LeaderByID", err)
	if l.TimeZone != "Europe/Paris" || l.Version != 2 {
		t.Errorf("leader after Apply: zone %q version %d, want Europe/Paris 2", l.TimeZone, l.Version)
	}
	// A stale session in a change: ECONFLICT naming the session.
	stale := coaching.Change{Inbound: inbound("m2", "l1", at(day)), Session: ch.Session}
	err = e.store.Apply(e.ctx, stale)
	wantCode(t, "Apply(stale session)", err, coaching.ECONFLICT)
	if !strings.Contains(err.Error(), "session s1") {
		t.Errorf("Apply(stale session) = %v, want it to name session s1", err)
	}
}

func testQuarantine(t *testing.T, e *env) {
	var want []coaching.Quarantine
	for i := range 4 {
		q := coaching.Quarantine{
			ID: fmt.Sprintf("q%d", i), RawKey: fmt.Sprintf("raw/q%d", i), Reason: "dkim_fail",
			CoachID: "c1", LeaderID: "l1", ReceivedAt: at(time.Duration(i) * hour), Expires: at(30 * day),
		}
		in := inbound(q.ID, "l1", q.ReceivedAt)
		in.Outcome = "quarantined"
		must(t, "Apply(quarantine)", e.store.Apply(e.ctx, coaching.Change{Inbound: in, Quarantine: &q}))
		want = append([]coaching.Quarantine{q}, want...)
	}
	got, err := e.store.Quarantined(e.ctx, 3)
	must(t, "Quarantined", err)
	equal(t, "Quarantined(3)", got, want[:3])
	q, err := e.store.QuarantineByID(e.ctx, "q2")
	must(t, "QuarantineByID", err)
	equal(t, "QuarantineByID(q2)", q, want[1])

	must(t, "Release", e.store.Release(e.ctx, "q2"))
	wantCode(t, "Release(again)", e.store.Release(e.ctx, "q2"), coaching.ENOTFOUND)
	_, err = e.store.QuarantineByID(e.ctx, "q2")
	wantCode(t, "QuarantineByID(released)", err, coaching.ENOTFOUND)
	got, err = e.store.Quarantined(e.ctx, 0)
	must(t, "Quarantined", err)
	equal(t, "Quarantined(all) after release", ids(got, func(q coaching.Quarantine) string { return q.ID }), []string{"q3", "q1", "q0"})
}

func testSuppression(t *testing.T, e *env) {
	got, err := e.store.Suppression(e.ctx, "l1@leader.example")
	must(t, "Suppression", err)
	equal(t, "Suppression(before)", got, "")
	must(t, "Suppress", e.store.Suppress(e.ctx, "L1@Leader.example", "bounce", at(0)))
	got, err = e.store.Suppression(e.ctx, "l1@leader.example")
	must(t, "Suppression", err)
	equal(t, "Suppression(after)", got, "bounce")
	must(t, "Suppress(again)", e.store.Suppress(e.ctx, "l1@leader.example", "complaint", at(hour)))
	got, err = e.store.Suppression(e.ctx, "l1@leader.example")
	must(t, "Suppression", err)
	equal(t, "Suppression(after complaint)", got, "complaint")
	wantCode(t, "Suppress(no reason)", e.store.Suppress(e.ctx, "x@y", "", at(0)), coaching.EINVALID)
}

func testClaimMessage(t *testing.T, e *env) {
	claim := func(fp, delivery string, when time.Duration) string {
		t.Helper()
		got, err := e.store.ClaimMessage(e.ctx, fp, delivery, at(when), at(when+24*hour))
		must(t, "ClaimMessage("+fp+", "+delivery+")", err)
		return got
	}
	equal(t, "first delivery", claim("f1", "ses-1", 0), "ses-1")
	equal(t, "the same delivery again (a retry)", claim("f1", "ses-1", hour), "ses-1")
	equal(t, "a second delivery of the message", claim("f1", "ses-2", 2*hour), "ses-1")
	equal(t, "another message", claim("f2", "ses-2", 2*hour), "ses-2")
	// Past its expiry (a day after the retry renewed it) a claim no longer
	// holds, even before TTL deletes it.
	equal(t, "a delivery after the claim expired", claim("f1", "ses-3", 30*hour), "ses-3")
	equal(t, "the first delivery after losing the claim", claim("f1", "ses-1", 31*hour), "ses-3")
	_, err := e.store.ClaimMessage(e.ctx, "", "ses-1", at(0), at(hour))
	wantCode(t, "ClaimMessage(no fingerprint)", err, coaching.EINVALID)
	_, err = e.store.ClaimMessage(e.ctx, "f3", "", at(0), at(hour))
	wantCode(t, "ClaimMessage(no delivery)", err, coaching.EINVALID)
}

// rawItem reads an item as stored, to check attributes the domain does not
// show.
func (e *env) rawItem(t *testing.T, pk, sk string) map[string]types.AttributeValue {
	t.Helper()
	res, err := e.client.GetItem(e.ctx, &dynamodb.GetItemInput{
		TableName: aws.String(e.table),
		Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: sk},
		},
		ConsistentRead: aws.Bool(true),
	})
	must(t, "GetItem "+pk, err)
	if len(res.Item) == 0 {
		t.Fatalf("no item %s / %s", pk, sk)
	}
	return res.Item
}

func ttlOf(t *testing.T, item map[string]types.AttributeValue) (int64, bool) {
	t.Helper()
	v, ok := item[dynamo.TTLAttribute]
	if !ok {
		return 0, false
	}
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		t.Fatalf("ttl is %T, want a number", v)
	}
	i, err := strconv.ParseInt(n.Value, 10, 64)
	must(t, "parse ttl", err)
	return i, true
}

func testTTL(t *testing.T, e *env) {
	in := inbound("m1", "l1", at(0))
	must(t, "Apply", e.store.Apply(e.ctx, coaching.Change{Inbound: in}))
	focused := inbound("m2", "l1", at(0))
	must(t, "Apply(focus)", e.store.Apply(e.ctx, coaching.Change{Inbound: focused,
		Focus: &coaching.FocusAnswer{SessionID: "s1", LeaderID: "l1", Text: "x", ReceivedAt: at(0)}}))
	q := coaching.Quarantine{ID: "q1", Reason: "spam", ReceivedAt: at(0), Expires: at(14 * day)}
	must(t, "Apply(quarantine)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("q1", "", at(0)), Quarantine: &q}))
	em := newEmail("e1", coaching.EmailPrompt, "s1", "l1", at(0))
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{em}))
	em.Version = 1
	em.MessageID = "e1@coachmail.example"
	claimed, err := e.store.ClaimEmail(e.ctx, em, at(0), at(time.Minute))
	must(t, "ClaimEmail", err)
	must(t, "MarkSent", e.store.MarkSent(e.ctx, claimed, coaching.SentRef{MessageID: em.MessageID, SentAt: at(0), Expires: at(90 * day)}))

	for _, c := range []struct {
		pk, sk string
		want   time.Time // zero: no ttl
	}{
		{"INBOUND#m1", "INBOUND", in.Expires},
		{"INBOUND#m2", "INBOUND", time.Time{}}, // holds a focus answer: kept
		{"QUARANTINE#q1", "QUARANTINE", q.Expires},
		{"SENT#e1@coachmail.example", "SENT", at(90 * day)},
		{"EMAIL#e1", "EMAIL", time.Time{}},
	} {
		got, ok := ttlOf(t, e.rawItem(t, c.pk, c.sk))
		switch {
		case c.want.IsZero() && ok:
			t.Errorf("%s has ttl %d, want none", c.pk, got)
		case !c.want.IsZero() && (!ok || got != c.want.Unix()):
			t.Errorf("%s ttl = %d (present %v), want %d", c.pk, got, ok, c.want.Unix())
		}
	}
}

func testInvalid(t *testing.T, e *env) {
	huge := strings.Repeat("x", 600)
	for _, c := range []struct {
		what string
		err  error
	}{
		{"CreateCoach(no id)", e.store.CreateCoach(e.ctx, coaching.Coach{Email: "a@b", CreatedAt: t0})},
		{"CreateCoach(no address)", e.store.CreateCoach(e.ctx, coaching.Coach{ID: "c", CreatedAt: t0})},
		{"CreateLeader(no coach)", e.store.CreateLeader(e.ctx, coaching.Leader{ID: "l", Email: "a@b", CreatedAt: t0})},
		{"CreateLeader(huge address)", e.store.CreateLeader(e.ctx, coaching.Leader{ID: "l", Email: huge + "@b", CoachID: "c", CreatedAt: t0})},
		{"CreateSession(leader twice)", e.store.CreateSession(e.ctx, newSession("s", "c1", t0, "l1", "l1"))},
		{"CreateSession(huge UID)", e.store.CreateSession(e.ctx, func() coaching.Session {
			s := newSession("s", "c1", t0, "l1")
			s.CalendarUID = huge
			return s
		}())},
		{"CreateSession(recurrence without UID)", e.store.CreateSession(e.ctx, func() coaching.Session {
			s := newSession("s", "c1", t0, "l1")
			s.RecurrenceID = "x"
			return s
		}())},
		{"CreateSession(year 10000)", e.store.CreateSession(e.ctx, newSession("s", "c1", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "l1"))},
		{"ScheduleEmails(unknown state)", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{{ID: "e", SessionID: "s", State: "lost"}})},
		{"Apply(no id)", e.store.Apply(e.ctx, coaching.Change{})},
		{"Apply(commitment without creation time)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("m", "l1", t0),
			Commitments: []coaching.Commitment{{ID: "k", LeaderID: "l1", Status: coaching.CommitmentOpen}}})},
		{"Apply(unknown commitment status)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("m", "l1", t0),
			Commitments: []coaching.Commitment{{ID: "k", LeaderID: "l1", Status: "maybe", CreatedAt: t0}}})},
		{"MarkSent(no Message-ID)", e.store.MarkSent(e.ctx, coaching.ScheduledEmail{ID: "e", State: coaching.EmailClaimed}, coaching.SentRef{})},
	} {
		wantCode(t, c.what, c.err, coaching.EINVALID)
	}
	// Nothing of it was written.
	_, err := e.store.InboundByID(e.ctx, "m")
	wantCode(t, "InboundByID(m)", err, coaching.ENOTFOUND)
	_, err = e.store.SessionByID(e.ctx, "s")
	wantCode(t, "SessionByID(s)", err, coaching.ENOTFOUND)
	// Lookups by values that cannot be keys find nothing.
	_, err = e.store.SentRefByMessageID(e.ctx, huge)
	wantCode(t, "SentRefByMessageID(huge)", err, coaching.ENOTFOUND)
	_, err = e.store.LeaderByEmail(e.ctx, "")
	wantCode(t, "LeaderByEmail(empty)", err, coaching.ENOTFOUND)
}

// testItemTooLarge sends a focus answer over DynamoDB's 400 KB item limit:
// the server refuses it, and the store says EINVALID (retrying cannot help).
func testItemTooLarge(t *testing.T, e *env) {
	e.srv.Skip(t, dynamotest.Minidyn, "does not enforce the 400 KB item size limit")
	f := coaching.FocusAnswer{SessionID: "s1", LeaderID: "l1", Text: strings.Repeat("long ", 100_000), ReceivedAt: t0}
	err := e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("big", "l1", t0), Focus: &f})
	wantCode(t, "Apply(500 KB focus answer)", err, coaching.EINVALID)
	err = e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("big", "l1", t0), Focus: &f,
		Commitments: []coaching.Commitment{newCommitment("k", "l1", "s1", t0)}})
	wantCode(t, "Apply(500 KB focus answer and a commitment)", err, coaching.EINVALID)
}

func testCreateTable(t *testing.T, e *env) {
	e.srv.Skip(t, dynamotest.Minidyn, "has no DescribeTimeToLive or UpdateTimeToLive")
	// The table exists (dynamotest made it with CreateTable): a second call
	// is a no-op, as local mode needs on restart.
	must(t, "CreateTable(again)", dynamo.CreateTable(e.ctx, e.client, e.table))
	out, err := e.client.DescribeTimeToLive(e.ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(e.table)})
	must(t, "DescribeTimeToLive", err)
	d := out.TimeToLiveDescription
	if d == nil || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled || aws.ToString(d.AttributeName) != dynamo.TTLAttribute {
		t.Errorf("time to live = %+v, want enabled on %q", d, dynamo.TTLAttribute)
	}
	desc, err := e.client.DescribeTable(e.ctx, &dynamodb.DescribeTableInput{TableName: aws.String(e.table)})
	must(t, "DescribeTable", err)
	var names []string
	for _, g := range desc.Table.GlobalSecondaryIndexes {
		names = append(names, aws.ToString(g.IndexName))
	}
	equal(t, "indexes", sortedIDs(names), []string{dynamo.GSI1, dynamo.GSI2})
}

// testCapacity checks the capacity the store reports, as the server
// computes it: a focus answer alone is one conditional PutItem of an item
// under 1 KB, one write unit, plus one for its GSI1 entry.
func testCapacity(t *testing.T, e *env) {
	e.srv.Skip(t, dynamotest.Minidyn, "reports no consumed capacity")
	var mu sync.Mutex
	var calls []dynamo.Usage
	s := dynamo.New(e.client, e.table, dynamo.WithUsageFunc(func(u dynamo.Usage) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, u)
	}))
	e.store = s
	e.setup(t, "l1")
	k := newCommitment("k1", "l1", "s1", at(-7*day))
	must(t, "Apply(k1)", s.Apply(e.ctx, coaching.Change{Inbound: inbound("setup", "l1", at(-7*day)), Commitments: []coaching.Commitment{k}}))

	before := s.WriteUnits()
	f := coaching.FocusAnswer{SessionID: "s2", LeaderID: "l1", Text: "Whether to promote Sam before the reorg.", MessageID: "CAF=x@mail.gmail.com", ReceivedAt: at(0)}
	in := inbound("0100018e3c0a9b1f-4d1e6b2a-4f7c-4c7e-9d8e-5b6a7c8d9e0f-000000", "l1", at(0))
	must(t, "Apply(focus)", s.Apply(e.ctx, coaching.Change{Inbound: in, Focus: &f}))
	equal(t, "write units of a focus answer", s.WriteUnits()-before, 2.0)

	// A transaction is counted too. (DynamoDB charges two units per item
	// of a transaction, but DynamoDB Local 3.3.1 reports one figure for a
	// whole TransactWriteItems whatever its size, so no exact figure here.)
	before = s.WriteUnits()
	k.Version = 1
	k.Record(coaching.StatusChange{At: at(0), Event: coaching.EventReported, Status: coaching.CommitmentDone, Source: "m2"})
	in.ID = "m2"
	must(t, "Apply(focus and a status)", s.Apply(e.ctx, coaching.Change{Inbound: in, Focus: &f, Commitments: []coaching.Commitment{k}}))
	if got := s.WriteUnits() - before; got < 2 {
		t.Errorf("write units of a transaction = %v, want at least 2", got)
	}
	_, err := s.LeaderByID(e.ctx, "l1")
	must(t, "LeaderByID", err)
	if u := s.Usage(); u.ReadUnits <= 0 {
		t.Errorf("read units = %v, want some", u.ReadUnits)
	}
	mu.Lock()
	defer mu.Unlock()
	var sum dynamo.Usage
	for _, c := range calls {
		sum.ReadUnits += c.ReadUnits
		sum.WriteUnits += c.WriteUnits
	}
	equal(t, "usage reported to the function", sum, s.Usage())
}

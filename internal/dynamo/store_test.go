package dynamo_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

// env is one case's world: a fresh table on one server.
type env struct {
	srv    dynamotest.Server
	client *dynamodb.Client
	table  string
	store  *dynamo.Store
	ctx    context.Context
}

func newEnv(t *testing.T, srv dynamotest.Server, opts ...dynamo.Option) *env {
	t.Helper()
	client, table := dynamotest.NewTable(t, srv)
	return &env{srv: srv, client: client, table: table, store: dynamo.New(client, table, opts...), ctx: t.Context()}
}

type storeCase struct {
	name string
	run  func(t *testing.T, e *env)
}

// TestStore runs the store suite, unchanged, on every server dynamotest
// offers, each case on a fresh table, and reports per server.
func TestStore(t *testing.T) {
	results := map[string]string{dynamotest.Minidyn: "not-run", dynamotest.DynamoDBLocal: "not-run"}
	for _, srv := range dynamotest.Servers(t) {
		ok := t.Run(srv.Name, func(t *testing.T) {
			for _, c := range storeCases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					c.run(t, newEnv(t, srv))
				})
			}
		})
		results[srv.Name] = "FAIL"
		if ok {
			results[srv.Name] = "ok"
		}
	}
	line := fmt.Sprintf("store suite: %s=%s %s=%s", dynamotest.Minidyn, results[dynamotest.Minidyn],
		dynamotest.DynamoDBLocal, results[dynamotest.DynamoDBLocal])
	fmt.Println(line)
	if path := os.Getenv(dynamotest.ReportEnv); path != "" {
		f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatalf("open report: %v", err)
		}
		defer f.Close()
		if _, err := fmt.Fprintln(f, line); err != nil {
			t.Fatalf("write report: %v", err)
		}
	}
}

var storeCases = []storeCase{
	{"CoachByIDAndAddress", testCoach},
	{"UpdateCoach", testUpdateCoach},
	{"LeaderByIDAndAddress", testLeader},
	{"UpdateLeader", testUpdateLeader},
	{"LeadersOfCoach", testLeadersOfCoach},
	{"SessionsOfLeaderByTime", testSessionsOfLeader},
	{"SessionsOfCoachByTime", testSessionsOfCoach},
	{"SessionByCalendar", testSessionByCalendar},
	{"RecurringSeries", testSeries},
	{"UpdateSessionMovesIndexes", testUpdateSession},
	{"Commitments", testCommitments},
	{"CommitmentClosedLeavesOpenIndex", testCommitmentClosed},
	{"FocusAnswersNewestFirst", testFocusAnswers},
	{"OutcomesOfSession", testOutcomes},
	{"EmailsOfSession", testEmailsOfSession},
	{"UpdateEmailVersion", testUpdateEmail},
	{"DueEmailsAcrossShards", testDueEmails},
	{"DueEmailsAfterClaimSentCancel", testDueAfterClaim},
	{"ClaimRace", testClaimRace},
	{"MarkSentAndSentRefs", testSentRefs},
	{"InboundSeen", testInbound},
	{"DuplicateApplyChangesNothing", testDuplicateApply},
	{"ApplyAllOrNothing", testApplyAllOrNothing},
	{"ApplyUpdatesSessionAndLeader", testApplySessionLeader},
	{"Quarantine", testQuarantine},
	{"Suppression", testSuppression},
	{"ClaimMessage", testClaimMessage},
	{"EraseLeavesNothing", testErase},
	{"TTLAttribute", testTTL},
	{"InvalidInput", testInvalid},
	{"ItemTooLarge", testItemTooLarge},
	{"CreateTable", testCreateTable},
	{"ConsumedCapacity", testCapacity},
	{"ReplyReportsReadAtOnce", testReplyReports},
	{"ReplyRedeliveredChangesNothing", testReplyRedelivered},
	{"TwoRepliesOnOneCommitment", testTwoReplies},
	{"ReplyThenRewriteLosesNothing", testReplyThenRewrite},
	{"CompactChangesNoRead", testCompact},
	{"EraseWithPendingReports", testEraseReports},
	{"ReplyCapacity", testReplyCapacity},
}

// t0 is the suite's reference time: a Monday morning, years ahead, so that
// every expiry the suite writes is in the future. DynamoDB Local runs time
// to live for real and deletes expired items within seconds.
var t0 = time.Date(2036, 3, 3, 9, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := coaching.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s =\n  %+v\nwant\n  %+v", what, got, want)
	}
}

func newCoach(id string) coaching.Coach {
	return coaching.Coach{
		ID: id, Email: id + "@coach.example", Name: "Coach " + id, Practice: "Northwind Coaching",
		TimeZone: "Europe/Berlin", Offsets: coaching.Offsets{Prompt: 20 * hour, Review: 45 * time.Minute},
		CreatedAt: at(-30 * day),
	}
}

func newLeader(id, coachID string) coaching.Leader {
	return coaching.Leader{
		ID: id, Email: id + "@leader.example", Name: "Leader " + id, CoachID: coachID,
		TimeZone: "America/New_York", CreatedAt: at(-20 * day),
	}
}

func newSession(id, coachID string, start time.Time, leaders ...string) coaching.Session {
	return coaching.Session{
		ID: id, CoachID: coachID, LeaderIDs: leaders, Title: "Session " + id,
		Start: start, End: start.Add(hour), TimeZone: "Europe/Berlin",
		Status: coaching.SessionScheduled, CreatedAt: at(-10 * day), UpdatedAt: at(-10 * day),
	}
}

func newEmail(id string, kind coaching.EmailKind, sessionID, leaderID string, due time.Time) coaching.ScheduledEmail {
	return coaching.ScheduledEmail{
		ID: id, Kind: kind, SessionID: sessionID, LeaderID: leaderID, CoachID: "c1",
		Due: due, State: coaching.EmailPending,
	}
}

func newCommitment(id, leaderID, sessionID string, created time.Time) coaching.Commitment {
	return coaching.Commitment{
		ID: id, LeaderID: leaderID, SessionID: sessionID, Text: "Draft the hiring plan " + id, Due: "2036-03-07",
		Status: coaching.CommitmentOpen, CreatedAt: created, UpdatedAt: created,
		History: []coaching.StatusChange{{At: created, Event: coaching.EventMade, Status: coaching.CommitmentOpen, SessionID: sessionID, Source: "notes-" + id}},
	}
}

func inbound(id, leaderID string, received time.Time) coaching.InboundMessage {
	return coaching.InboundMessage{
		ID: id, ReceivedAt: received, Route: coaching.RouteReply, Outcome: "applied",
		RawKey: "raw/" + id, LeaderID: leaderID, CoachID: "c1", Expires: received.Add(30 * day),
	}
}

// setup creates a coach c1 and the given leaders of c1.
func (e *env) setup(t *testing.T, leaders ...string) {
	t.Helper()
	must(t, "create coach", e.store.CreateCoach(e.ctx, newCoach("c1")))
	for _, l := range leaders {
		must(t, "create leader "+l, e.store.CreateLeader(e.ctx, newLeader(l, "c1")))
	}
}

func testCoach(t *testing.T, e *env) {
	c := newCoach("c1")
	c.Email = "  C1@Coach.Example "
	must(t, "CreateCoach", e.store.CreateCoach(e.ctx, c))
	want := newCoach("c1")
	want.Version = 1

	got, err := e.store.CoachByID(e.ctx, "c1")
	must(t, "CoachByID", err)
	equal(t, "CoachByID(c1)", got, want)

	got, err = e.store.CoachByEmail(e.ctx, "c1@COACH.example")
	must(t, "CoachByEmail", err)
	equal(t, "CoachByEmail(c1@COACH.example)", got, want)

	_, err = e.store.CoachByEmail(e.ctx, "nobody@coach.example")
	wantCode(t, "CoachByEmail(nobody)", err, coaching.ENOTFOUND)
	_, err = e.store.CoachByID(e.ctx, "nobody")
	wantCode(t, "CoachByID(nobody)", err, coaching.ENOTFOUND)

	other := newCoach("c2")
	other.Email = want.Email
	wantCode(t, "CreateCoach(address taken)", e.store.CreateCoach(e.ctx, other), coaching.ECONFLICT)
	_, err = e.store.CoachByID(e.ctx, "c2")
	wantCode(t, "CoachByID(c2) after the refused create", err, coaching.ENOTFOUND)

	again := newCoach("c1")
	again.Email = "new@coach.example"
	wantCode(t, "CreateCoach(id taken)", e.store.CreateCoach(e.ctx, again), coaching.ECONFLICT)
	_, err = e.store.CoachByEmail(e.ctx, "new@coach.example")
	wantCode(t, "CoachByEmail(new) after the refused create", err, coaching.ENOTFOUND)
}

func testUpdateCoach(t *testing.T, e *env) {
	e.setup(t)
	must(t, "create coach c2", e.store.CreateCoach(e.ctx, newCoach("c2")))
	c, err := e.store.CoachByID(e.ctx, "c1")
	must(t, "CoachByID", err)

	c.Name = "Renamed"
	must(t, "UpdateCoach", e.store.UpdateCoach(e.ctx, c))
	got, err := e.store.CoachByID(e.ctx, "c1")
	must(t, "CoachByID", err)
	if got.Name != "Renamed" || got.Version != 2 {
		t.Errorf("after update: name %q version %d, want Renamed 2", got.Name, got.Version)
	}
	wantCode(t, "UpdateCoach(stale version)", e.store.UpdateCoach(e.ctx, c), coaching.ECONFLICT)

	taken := got
	taken.Email = "c2@coach.example"
	wantCode(t, "UpdateCoach(address of c2)", e.store.UpdateCoach(e.ctx, taken), coaching.ECONFLICT)

	moved := got
	moved.Email = "moved@coach.example"
	must(t, "UpdateCoach(new address)", e.store.UpdateCoach(e.ctx, moved))
	_, err = e.store.CoachByEmail(e.ctx, "c1@coach.example")
	wantCode(t, "CoachByEmail(old address)", err, coaching.ENOTFOUND)
	byNew, err := e.store.CoachByEmail(e.ctx, "moved@coach.example")
	must(t, "CoachByEmail(new address)", err)
	if byNew.ID != "c1" || byNew.Version != 3 {
		t.Errorf("CoachByEmail(new address) = %s version %d, want c1 version 3", byNew.ID, byNew.Version)
	}
	wantCode(t, "UpdateCoach(missing)", e.store.UpdateCoach(e.ctx, newCoach("zz")), coaching.ENOTFOUND)
}

func testLeader(t *testing.T, e *env) {
	e.setup(t)
	l := newLeader("l1", "c1")
	l.Offsets = coaching.Offsets{Reminder: 48 * hour}
	l.Suppressed = "bounce"
	must(t, "CreateLeader", e.store.CreateLeader(e.ctx, l))
	want := l
	want.Version = 1

	got, err := e.store.LeaderByID(e.ctx, "l1")
	must(t, "LeaderByID", err)
	equal(t, "LeaderByID(l1)", got, want)
	got, err = e.store.LeaderByEmail(e.ctx, "L1@leader.example")
	must(t, "LeaderByEmail", err)
	equal(t, "LeaderByEmail(L1@leader.example)", got, want)

	_, err = e.store.LeaderByEmail(e.ctx, "c1@coach.example")
	wantCode(t, "LeaderByEmail(a coach's address)", err, coaching.ENOTFOUND)

	dup := newLeader("l2", "c1")
	dup.Email = l.Email
	wantCode(t, "CreateLeader(address taken)", e.store.CreateLeader(e.ctx, dup), coaching.ECONFLICT)

	// A coach may also be coached: addresses are unique per role.
	self := newLeader("l3", "c1")
	self.Email = "c1@coach.example"
	must(t, "CreateLeader(with a coach's address)", e.store.CreateLeader(e.ctx, self))
}

func testUpdateLeader(t *testing.T, e *env) {
	e.setup(t, "l1")
	l, err := e.store.LeaderByID(e.ctx, "l1")
	must(t, "LeaderByID", err)
	l.Unsubscribed = true
	l.Email = "l1.new@leader.example"
	must(t, "UpdateLeader", e.store.UpdateLeader(e.ctx, l))
	wantCode(t, "UpdateLeader(stale)", e.store.UpdateLeader(e.ctx, l), coaching.ECONFLICT)
	got, err := e.store.LeaderByEmail(e.ctx, "l1.new@leader.example")
	must(t, "LeaderByEmail(new)", err)
	if !got.Unsubscribed || got.Version != 2 {
		t.Errorf("after update: unsubscribed %v version %d, want true 2", got.Unsubscribed, got.Version)
	}
	_, err = e.store.LeaderByEmail(e.ctx, "l1@leader.example")
	wantCode(t, "LeaderByEmail(old)", err, coaching.ENOTFOUND)
}

func ids[T any](xs []T, id func(T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func sessionIDs(ss []coaching.Session) []string {
	return ids(ss, func(s coaching.Session) string { return s.ID })
}

func testLeadersOfCoach(t *testing.T, e *env) {
	e.setup(t, "l1", "l2", "l3")
	must(t, "create coach c2", e.store.CreateCoach(e.ctx, newCoach("c2")))
	must(t, "create leader of c2", e.store.CreateLeader(e.ctx, newLeader("x1", "c2")))
	must(t, "create session", e.store.CreateSession(e.ctx, newSession("s1", "c1", t0, "l1")))

	got, err := e.store.LeadersOfCoach(e.ctx, "c1")
	must(t, "LeadersOfCoach", err)
	equal(t, "LeadersOfCoach(c1)", ids(got, func(l coaching.Leader) string { return l.ID }), []string{"l1", "l2", "l3"})
	if len(got) > 0 {
		equal(t, "LeadersOfCoach(c1)[0]", got[0], func() coaching.Leader { l := newLeader("l1", "c1"); l.Version = 1; return l }())
	}
	got, err = e.store.LeadersOfCoach(e.ctx, "nobody")
	must(t, "LeadersOfCoach(nobody)", err)
	equal(t, "LeadersOfCoach(nobody)", len(got), 0)
}

func testSessionsOfLeader(t *testing.T, e *env) {
	e.setup(t, "l1", "l2", "l3")
	sessions := []coaching.Session{
		newSession("s3", "c1", at(14*day), "l1"),
		newSession("s1", "c1", at(0), "l1"),
		newSession("g1", "c1", at(7*day), "l1", "l2", "l3"),
		newSession("s2", "c1", at(7*day), "l2"),
		newSession("s0", "c1", at(-7*day), "l1"),
	}
	for _, s := range sessions {
		must(t, "CreateSession "+s.ID, e.store.CreateSession(e.ctx, s))
	}
	test := func(leader string, from, to time.Time, want ...string) {
		t.Helper()
		got, err := e.store.SessionsOfLeader(e.ctx, leader, from, to)
		must(t, "SessionsOfLeader", err)
		equal(t, fmt.Sprintf("SessionsOfLeader(%s, %v, %v)", leader, from, to), sessionIDs(got), append([]string{}, want...))
	}
	test("l1", at(-30*day), at(30*day), "s0", "s1", "g1", "s3")
	test("l1", at(0), at(14*day), "s1", "g1") // [from, to): s3 starts at to
	test("l1", at(1), at(14*day+1), "g1", "s3")
	test("l1", at(0), time.Time{}, "s1", "g1", "s3") // no upper bound
	test("l2", at(-30*day), at(30*day), "g1", "s2")
	test("l3", at(0), at(30*day), "g1")
	test("nobody", at(0), at(30*day))

	got, err := e.store.SessionsOfLeader(e.ctx, "l3", at(0), at(30*day))
	must(t, "SessionsOfLeader(l3)", err)
	want := newSession("g1", "c1", at(7*day), "l1", "l2", "l3")
	want.Version = 1
	if len(got) == 1 {
		equal(t, "the group session", got[0], want)
		if !got[0].Group() {
			t.Errorf("Group() = false for a session of three leaders")
		}
	}
	_, err = e.store.SessionsOfLeader(e.ctx, "l1", at(day), at(0))
	wantCode(t, "SessionsOfLeader(reversed range)", err, coaching.EINVALID)
}

func testSessionsOfCoach(t *testing.T, e *env) {
	e.setup(t, "l1", "l2")
	must(t, "create coach c2", e.store.CreateCoach(e.ctx, newCoach("c2")))
	must(t, "create leader x1", e.store.CreateLeader(e.ctx, newLeader("x1", "c2")))
	for _, s := range []coaching.Session{
		newSession("s2", "c1", at(2*day), "l2"),
		newSession("s1", "c1", at(day), "l1"),
		newSession("g1", "c1", at(3*day), "l1", "l2"),
		newSession("x", "c2", at(2*day), "x1"),
		newSession("s0", "c1", at(-day), "l1"),
	} {
		must(t, "CreateSession "+s.ID, e.store.CreateSession(e.ctx, s))
	}
	got, err := e.store.SessionsOfCoach(e.ctx, "c1", at(0), at(3*day))
	must(t, "SessionsOfCoach", err)
	equal(t, "SessionsOfCoach(c1, 0, 3d)", sessionIDs(got), []string{"s1", "s2"})
	got, err = e.store.SessionsOfCoach(e.ctx, "c1", at(-30*day), time.Time{})
	must(t, "SessionsOfCoach", err)
	equal(t, "SessionsOfCoach(c1, -30d, ∞)", sessionIDs(got), []string{"s0", "s1", "s2", "g1"})
	got, err = e.store.SessionsOfCoach(e.ctx, "c2", at(-30*day), time.Time{})
	must(t, "SessionsOfCoach", err)
	equal(t, "SessionsOfCoach(c2)", sessionIDs(got), []string{"x"})
}

func testSessionByCalendar(t *testing.T, e *env) {
	e.setup(t, "l1")
	single := newSession("one", "c1", at(0), "l1")
	single.CalendarUID = "event-1@calendar.example"
	must(t, "CreateSession(single event)", e.store.CreateSession(e.ctx, single))
	var series []coaching.Session
	for i, start := range []time.Time{at(7 * day), at(14 * day), at(21 * day)} {
		s := newSession(fmt.Sprintf("r%d", i), "c1", start, "l1")
		s.CalendarUID = "series-1@calendar.example"
		s.RecurrenceID = start.Format(time.RFC3339)
		s.Sequence = 2
		series = append(series, s)
	}
	// Created out of order; listed by start.
	for _, i := range []int{2, 0, 1} {
		must(t, "CreateSession "+series[i].ID, e.store.CreateSession(e.ctx, series[i]))
	}

	got, err := e.store.SessionByCalendar(e.ctx, "event-1@calendar.example", "")
	must(t, "SessionByCalendar(single)", err)
	single.Version = 1
	equal(t, "SessionByCalendar(single)", got, single)

	got, err = e.store.SessionByCalendar(e.ctx, "series-1@calendar.example", series[1].RecurrenceID)
	must(t, "SessionByCalendar(occurrence)", err)
	equal(t, "SessionByCalendar(occurrence 1).ID", got.ID, "r1")

	_, err = e.store.SessionByCalendar(e.ctx, "series-1@calendar.example", "")
	wantCode(t, "SessionByCalendar(series, no occurrence)", err, coaching.ENOTFOUND)
	_, err = e.store.SessionByCalendar(e.ctx, "unknown@calendar.example", "")
	wantCode(t, "SessionByCalendar(unknown)", err, coaching.ENOTFOUND)
	_, err = e.store.SessionByCalendar(e.ctx, strings.Repeat("u", 5000), "")
	wantCode(t, "SessionByCalendar(huge UID)", err, coaching.ENOTFOUND)

	all, err := e.store.SessionsByCalendar(e.ctx, "series-1@calendar.example")
	must(t, "SessionsByCalendar", err)
	equal(t, "SessionsByCalendar(series)", sessionIDs(all), []string{"r0", "r1", "r2"})

	dup := newSession("dup", "c1", at(7*day), "l1")
	dup.CalendarUID, dup.RecurrenceID = series[0].CalendarUID, series[0].RecurrenceID
	wantCode(t, "CreateSession(occurrence taken)", e.store.CreateSession(e.ctx, dup), coaching.ECONFLICT)
	_, err = e.store.SessionByID(e.ctx, "dup")
	wantCode(t, "SessionByID(dup) after the refused create", err, coaching.ENOTFOUND)
	again := newSession("one", "c1", at(0), "l1")
	wantCode(t, "CreateSession(id taken)", e.store.CreateSession(e.ctx, again), coaching.ECONFLICT)
}

func testUpdateSession(t *testing.T, e *env) {
	e.setup(t, "l1", "l2", "l3")
	s := newSession("g1", "c1", at(day), "l1", "l2")
	s.CalendarUID = "event@calendar.example"
	must(t, "CreateSession", e.store.CreateSession(e.ctx, s))
	s.Version = 1

	// A plain change: notes arrived.
	s.NotesAt = at(day + 2*hour)
	must(t, "UpdateSession(notes)", e.store.UpdateSession(e.ctx, s))
	wantCode(t, "UpdateSession(stale)", e.store.UpdateSession(e.ctx, s), coaching.ECONFLICT)
	s.Version = 2

	// Moved by two days, l2 out, l3 in, a new calendar occurrence id.
	s.Start, s.End = at(3*day), at(3*day+hour)
	s.LeaderIDs = []string{"l1", "l3"}
	s.RecurrenceID = "2036-03-06T09:00:00Z"
	must(t, "UpdateSession(move)", e.store.UpdateSession(e.ctx, s))
	s.Version = 3

	test := func(leader string, from, to time.Time, want ...string) {
		t.Helper()
		got, err := e.store.SessionsOfLeader(e.ctx, leader, from, to)
		must(t, "SessionsOfLeader", err)
		equal(t, fmt.Sprintf("SessionsOfLeader(%s, %v, %v)", leader, from, to), sessionIDs(got), append([]string{}, want...))
	}
	test("l1", at(0), at(2*day))
	test("l1", at(2*day), at(4*day), "g1")
	test("l2", at(0), at(30*day))
	test("l3", at(0), at(30*day), "g1")
	byCoach, err := e.store.SessionsOfCoach(e.ctx, "c1", at(0), at(2*day))
	must(t, "SessionsOfCoach", err)
	equal(t, "SessionsOfCoach(old time)", sessionIDs(byCoach), []string{})

	_, err = e.store.SessionByCalendar(e.ctx, "event@calendar.example", "")
	wantCode(t, "SessionByCalendar(old occurrence)", err, coaching.ENOTFOUND)
	got, err := e.store.SessionByCalendar(e.ctx, "event@calendar.example", "2036-03-06T09:00:00Z")
	must(t, "SessionByCalendar(new occurrence)", err)
	equal(t, "the moved session", got, s)

	wantCode(t, "UpdateSession(missing)", e.store.UpdateSession(e.ctx, newSession("zz", "c1", t0)), coaching.ENOTFOUND)
}

func commitmentIDs(cs []coaching.Commitment) []string {
	return ids(cs, func(c coaching.Commitment) string { return c.ID })
}

func testCommitments(t *testing.T, e *env) {
	e.setup(t, "l1", "l2")
	c1 := newCommitment("k1", "l1", "s1", at(0))
	c2 := newCommitment("k2", "l1", "s1", at(hour))
	c3 := newCommitment("k3", "l1", "s2", at(7*day))
	other := newCommitment("k9", "l2", "s9", at(0))
	must(t, "Apply(new commitments)", e.store.Apply(e.ctx, coaching.Change{
		Inbound:     inbound("m1", "l1", at(0)),
		Commitments: []coaching.Commitment{c3, c1, c2, other},
	}))

	all, err := e.store.Commitments(e.ctx, "l1", false)
	must(t, "Commitments", err)
	equal(t, "Commitments(l1, all)", commitmentIDs(all), []string{"k1", "k2", "k3"})
	if len(all) > 0 {
		want := c1
		want.Version = 1
		equal(t, "Commitments(l1)[0]", all[0], want)
	}

	open, err := e.store.Commitments(e.ctx, "l1", true)
	must(t, "Commitments(open)", err)
	equal(t, "Commitments(l1, open)", commitmentIDs(open), []string{"k1", "k2", "k3"})

	stale := c2
	stale.Version = 7
	stale.Text = "changed"
	wantCode(t, "Apply(stale commitment)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("m4", "l1", at(4*day)), Commitments: []coaching.Commitment{stale}}), coaching.ECONFLICT)
	dup := newCommitment("k1", "l1", "s1", at(0))
	wantCode(t, "Apply(commitment exists)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("m5", "l1", at(4*day)), Commitments: []coaching.Commitment{dup}}), coaching.ECONFLICT)

	others, err := e.store.Commitments(e.ctx, "l2", true)
	must(t, "Commitments(l2)", err)
	equal(t, "Commitments(l2, open)", commitmentIDs(others), []string{"k9"})
}

func testFocusAnswers(t *testing.T, e *env) {
	e.setup(t, "l1", "l2")
	var want []coaching.FocusAnswer
	for i := range 5 {
		f := coaching.FocusAnswer{
			SessionID: fmt.Sprintf("s%d", i), LeaderID: "l1", Text: fmt.Sprintf("focus %d: the board wants a plan", i),
			MessageID: fmt.Sprintf("msg%d@mail.example", i), ReceivedAt: at(time.Duration(i) * 7 * day),
		}
		want = append([]coaching.FocusAnswer{f}, want...)
		in := inbound(fmt.Sprintf("m%d", i), "l1", f.ReceivedAt)
		must(t, "Apply(focus)", e.store.Apply(e.ctx, coaching.Change{Inbound: in, Focus: &f}))
	}
	// Another leader's answer and a message without one stay out.
	must(t, "Apply(l2 focus)", e.store.Apply(e.ctx, coaching.Change{
		Inbound: inbound("x", "l2", at(100*day)),
		Focus:   &coaching.FocusAnswer{SessionID: "s9", LeaderID: "l2", Text: "other", ReceivedAt: at(100 * day)},
	}))
	must(t, "Apply(no focus)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("y", "l1", at(200*day))}))

	got, err := e.store.FocusAnswers(e.ctx, "l1", 3)
	must(t, "FocusAnswers", err)
	equal(t, "FocusAnswers(l1, 3)", got, want[:3])
	got, err = e.store.FocusAnswers(e.ctx, "l1", 0)
	must(t, "FocusAnswers", err)
	equal(t, "FocusAnswers(l1, all)", got, want)

	in := inbound("bad", "l2", at(0))
	wantCode(t, "Apply(focus of another leader)", e.store.Apply(e.ctx, coaching.Change{Inbound: in, Focus: &want[0]}), coaching.EINVALID)
}

func testOutcomes(t *testing.T, e *env) {
	e.setup(t, "l1", "l2")
	must(t, "CreateSession", e.store.CreateSession(e.ctx, newSession("g1", "c1", t0, "l1", "l2")))
	first := []coaching.Outcome{
		{SessionID: "g1", LeaderID: "l2", Kind: coaching.Decision, Text: "Hire a head of sales", CreatedAt: at(2 * hour)},
		{SessionID: "g1", LeaderID: "l1", Kind: coaching.Reframe, Text: "The board is an ally", CreatedAt: at(2 * hour)},
		{SessionID: "g1", LeaderID: "l1", Kind: coaching.Action, Text: "Send the plan", Due: "2036-03-07", CreatedAt: at(2 * hour)},
	}
	second := []coaching.Outcome{
		{SessionID: "g1", LeaderID: "l1", Kind: coaching.Action, Text: "Call Dana", CreatedAt: at(3 * hour)},
	}
	must(t, "Apply(second notes)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("n2", "", at(3*hour)), Outcomes: second}))
	must(t, "Apply(first notes)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("n1", "", at(2*hour)), Outcomes: first}))
	got, err := e.store.Outcomes(e.ctx, "g1")
	must(t, "Outcomes", err)
	equal(t, "Outcomes(g1)", got, append(append([]coaching.Outcome{}, first...), second...))
	got, err = e.store.Outcomes(e.ctx, "none")
	must(t, "Outcomes(none)", err)
	equal(t, "len(Outcomes(none))", len(got), 0)
}

func emailIDs(es []coaching.ScheduledEmail) []string {
	return ids(es, func(e coaching.ScheduledEmail) string { return e.ID })
}

func testEmailsOfSession(t *testing.T, e *env) {
	e.setup(t, "l1")
	emails := []coaching.ScheduledEmail{
		newEmail("recap", coaching.EmailRecap, "s1", "l1", at(2*hour)),
		newEmail("prompt", coaching.EmailPrompt, "s1", "l1", at(-24*hour)),
		newEmail("brief", coaching.EmailBrief, "s1", "", at(-2*hour)),
		newEmail("other", coaching.EmailPrompt, "s2", "l1", at(-24*hour)),
		newEmail("notice", coaching.EmailNotice, "", "", at(0)),
	}
	emails[4].Notice, emails[4].Detail = "notes_unmatched", "no session found"
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, emails))
	got, err := e.store.EmailsOfSession(e.ctx, "s1")
	must(t, "EmailsOfSession", err)
	equal(t, "EmailsOfSession(s1)", emailIDs(got), []string{"prompt", "brief", "recap"})
	want := emails[1]
	want.Version = 1
	if len(got) == 3 {
		equal(t, "EmailsOfSession(s1)[0]", got[0], want)
	}
	n, err := e.store.EmailByID(e.ctx, "notice")
	must(t, "EmailByID(notice)", err)
	wantNotice := emails[4]
	wantNotice.Version = 1
	equal(t, "EmailByID(notice)", n, wantNotice)
	_, err = e.store.EmailByID(e.ctx, "nothing")
	wantCode(t, "EmailByID(nothing)", err, coaching.ENOTFOUND)

	wantCode(t, "ScheduleEmails(one exists)", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{
		newEmail("fresh", coaching.EmailReminder, "s1", "l1", at(5*day)),
		newEmail("recap", coaching.EmailRecap, "s1", "l1", at(2*hour)),
	}), coaching.ECONFLICT)
	_, err = e.store.EmailByID(e.ctx, "fresh")
	wantCode(t, "EmailByID(fresh) after the refused batch", err, coaching.ENOTFOUND)
}

func testUpdateEmail(t *testing.T, e *env) {
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{newEmail("e1", coaching.EmailPrompt, "s1", "l1", at(0))}))
	em, err := e.store.EmailByID(e.ctx, "e1")
	must(t, "EmailByID", err)
	em.Due = at(day) // the session moved
	must(t, "UpdateEmail", e.store.UpdateEmail(e.ctx, em))
	wantCode(t, "UpdateEmail(stale)", e.store.UpdateEmail(e.ctx, em), coaching.ECONFLICT)
	got, err := e.store.EmailByID(e.ctx, "e1")
	must(t, "EmailByID", err)
	em.Version = 2
	equal(t, "EmailByID after update", got, em)
	wantCode(t, "UpdateEmail(missing)", e.store.UpdateEmail(e.ctx, newEmail("zz", coaching.EmailPrompt, "s1", "l1", at(0))), coaching.ECONFLICT)
}

func testDueEmails(t *testing.T, e *env) {
	var emails []coaching.ScheduledEmail
	shards := map[int]bool{}
	for i := range 40 {
		// Due times interleave across ids, so the merge has work to do.
		em := newEmail(fmt.Sprintf("e%02d", i), coaching.EmailPrompt, fmt.Sprintf("s%d", i%7), "l1", at(time.Duration((i*17)%40)*time.Minute))
		emails = append(emails, em)
		shards[dynamo.DueShard(em.ID, dynamo.DefaultDueShards)] = true
	}
	if len(shards) < 4 {
		t.Fatalf("40 emails fell in %d shards; the test needs several", len(shards))
	}
	must(t, "ScheduleEmails", e.store.ScheduleEmails(e.ctx, emails))

	// Due at or before 20 min: the 21 emails due at minutes 0..20.
	now := at(20 * time.Minute)
	got, err := e.store.DueEmails(e.ctx, now, 0)
	must(t, "DueEmails", err)
	var want []string
	for m := range 21 {
		for _, em := range emails {
			if em.Due.Equal(at(time.Duration(m) * time.Minute)) {
				want = append(want, em.ID)
			}
		}
	}
	equal(t, "DueEmails(20 min, all)", emailIDs(got), want)
	got, err = e.store.DueEmails(e.ctx, now, 5)
	must(t, "DueEmails", err)
	equal(t, "DueEmails(20 min, 5)", emailIDs(got), want[:5])
	got, err = e.store.DueEmails(e.ctx, at(-time.Nanosecond), 0)
	must(t, "DueEmails", err)
	equal(t, "DueEmails(before all)", emailIDs(got), []string{})

	// A store with fewer shards than the table was written with would miss
	// emails: the count may only grow. One with more finds them all.
	wide := dynamo.New(e.client, e.table, dynamo.WithDueShards(32))
	got, err = wide.DueEmails(e.ctx, now, 0)
	must(t, "DueEmails(32 shards)", err)
	equal(t, "DueEmails(20 min) with 32 shards", len(got), 21)
}

// testCommitmentClosed closes and reopens commitments: the open index
// follows, without a REMOVE, because every write is a whole item.
func testCommitmentClosed(t *testing.T, e *env) {
	e.setup(t, "l1")
	c1 := newCommitment("k1", "l1", "s1", at(0))
	c2 := newCommitment("k2", "l1", "s1", at(hour))
	c3 := newCommitment("k3", "l1", "s2", at(7*day))
	must(t, "Apply(new commitments)", e.store.Apply(e.ctx, coaching.Change{
		Inbound:     inbound("m1", "l1", at(0)),
		Commitments: []coaching.Commitment{c1, c2, c3},
	}))

	// Reported: k1 done, k2 not done yet (still carried).
	c1.Version, c2.Version = 1, 1
	c1.Record(coaching.StatusChange{At: at(2 * day), Event: coaching.EventReported, Status: coaching.CommitmentDone, Source: "m2"})
	c2.Record(coaching.StatusChange{At: at(2 * day), Event: coaching.EventReported, Status: coaching.CommitmentNotDone, Comment: "budget frozen", Source: "m2"})
	must(t, "Apply(status updates)", e.store.Apply(e.ctx, coaching.Change{
		Inbound:     inbound("m2", "l1", at(2*day)),
		Commitments: []coaching.Commitment{c1, c2},
	}))
	open, err := e.store.Commitments(e.ctx, "l1", true)
	must(t, "Commitments(open)", err)
	equal(t, "Commitments(l1, open)", commitmentIDs(open), []string{"k2", "k3"})
	all, err := e.store.Commitments(e.ctx, "l1", false)
	must(t, "Commitments", err)
	if len(all) == 3 {
		want := c1
		want.Version = 2
		equal(t, "the done commitment", all[0], want)
	}

	// Reopened: back in the open index.
	c1.Version = 2
	c1.Record(coaching.StatusChange{At: at(3 * day), Event: coaching.EventReworded, Status: coaching.CommitmentOpen, Source: "m3"})
	must(t, "Apply(reopen)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("m3", "l1", at(3*day)), Commitments: []coaching.Commitment{c1}}))
	open, err = e.store.Commitments(e.ctx, "l1", true)
	must(t, "Commitments(open)", err)
	equal(t, "Commitments(l1, open) after reopening", commitmentIDs(open), []string{"k1", "k2", "k3"})
}

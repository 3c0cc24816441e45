package dynamo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/coachmail/coachmail/internal/coaching"
)

// gone is the erased leader's id: a string no other id of the test contains,
// so that the table can be searched for any trace of it.
const gone = "qzxv"

// testErase builds a leader with one of everything, beside a leader who
// shares a group session, erases the first, and checks every access pattern
// and then every item of the table for a trace of them.
func testErase(t *testing.T, e *env) {
	s := e.store
	e.setup(t, gone, "l2")
	goneAddr := gone + "@leader.example"
	must(t, "Suppress", s.Suppress(e.ctx, goneAddr, "bounce", at(0)))

	one := newSession("s1", "c1", at(0), gone)
	one.CalendarUID = "cal-1@calendar.example"
	group := newSession("g1", "c1", at(day), gone, "l2")
	group.CalendarUID, group.RecurrenceID = "cal-g@calendar.example", "2036-03-04T09:00:00Z"
	other := newSession("s2", "c1", at(2*day), "l2")
	for _, ss := range []coaching.Session{one, group, other} {
		must(t, "CreateSession "+ss.ID, s.CreateSession(e.ctx, ss))
	}
	// The calendar series the sessions came from: one the leader's alone,
	// with a title naming them, and the group's.
	for _, sr := range []coaching.Series{
		{UID: one.CalendarUID, CoachID: "c1", LeaderIDs: []string{gone}, Title: "Coaching with " + gone,
			Start: at(0), End: at(hour), RRule: "FREQ=WEEKLY", TopUpAt: at(7 * day), UpdatedAt: at(0)},
		{UID: group.CalendarUID, CoachID: "c1", LeaderIDs: []string{gone, "l2"}, Title: "Leadership circle",
			Start: at(day), End: at(day + hour), RRule: "FREQ=WEEKLY", TopUpAt: at(8 * day), UpdatedAt: at(0)},
	} {
		must(t, "CreateSeries "+sr.UID, s.CreateSeries(e.ctx, sr))
	}

	apply := func(ch coaching.Change) {
		t.Helper()
		must(t, "Apply "+ch.Inbound.ID, s.Apply(e.ctx, ch))
	}
	apply(coaching.Change{Inbound: inbound("notes-s1", gone, at(2*hour)),
		Outcomes:    []coaching.Outcome{{SessionID: "s1", LeaderID: gone, Kind: coaching.Action, Text: "Plan", CreatedAt: at(2 * hour)}},
		Commitments: []coaching.Commitment{newCommitment("k1", gone, "s1", at(2*hour)), newCommitment("k2", gone, "s1", at(2*hour))}})
	notesG := inbound("notes-g1", "", at(day+2*hour))
	apply(coaching.Change{Inbound: notesG, Outcomes: []coaching.Outcome{
		{SessionID: "g1", LeaderID: gone, Kind: coaching.Decision, Text: "Go", CreatedAt: at(day + 2*hour)},
		{SessionID: "g1", LeaderID: "l2", Kind: coaching.Reframe, Text: "Ally", CreatedAt: at(day + 2*hour)},
	}, Commitments: []coaching.Commitment{newCommitment("k9", "l2", "g1", at(day+2*hour))}})
	apply(coaching.Change{Inbound: inbound("reply-1", gone, at(-hour)),
		Focus: &coaching.FocusAnswer{SessionID: "s1", LeaderID: gone, Text: "Hiring", ReceivedAt: at(-hour)}})
	apply(coaching.Change{Inbound: inbound("reply-g", "", at(day-hour)),
		Focus: &coaching.FocusAnswer{SessionID: "g1", LeaderID: gone, Text: "Board", ReceivedAt: at(day - hour)}})
	apply(coaching.Change{Inbound: inbound("reply-l2", "l2", at(day-hour)),
		Focus: &coaching.FocusAnswer{SessionID: "g1", LeaderID: "l2", Text: "Budget", ReceivedAt: at(day - hour)}})
	q := coaching.Quarantine{ID: "quar-1", RawKey: "raw/quar-1", Reason: "dmarc", CoachID: "c1", LeaderID: gone, ReceivedAt: at(hour)}
	apply(coaching.Change{Inbound: inbound("quar-1", gone, at(hour)), Quarantine: &q})

	emails := []coaching.ScheduledEmail{
		newEmail("p-s1", coaching.EmailPrompt, "s1", gone, at(-day)),
		newEmail("b-s1", coaching.EmailBrief, "s1", "", at(-2*hour)),
		newEmail("p-g1-gone", coaching.EmailPrompt, "g1", gone, at(0)),
		newEmail("p-g1-l2", coaching.EmailPrompt, "g1", "l2", at(0)),
		newEmail("b-g1", coaching.EmailBrief, "g1", "", at(day-2*hour)),
		newEmail("notice", coaching.EmailNotice, "", gone, at(hour)),
	}
	must(t, "ScheduleEmails", s.ScheduleEmails(e.ctx, emails))
	send := func(id, leader, session, token string) {
		t.Helper()
		em, err := s.EmailByID(e.ctx, id)
		must(t, "EmailByID", err)
		em.MessageID = id + "@coachmail.example"
		claimed, err := s.ClaimEmail(e.ctx, em, at(2*day), at(2*day+time.Minute))
		must(t, "ClaimEmail "+id, err)
		must(t, "MarkSent "+id, s.MarkSent(e.ctx, claimed, coaching.SentRef{
			MessageID: em.MessageID, TokenID: token, EmailID: id, SessionID: session, LeaderID: leader, CoachID: "c1", SentAt: at(2 * day),
		}))
	}
	send("p-s1", gone, "s1", "tok-p-s1")
	send("b-s1", "", "s1", "")
	send("b-g1", "", "g1", "")
	send("p-g1-l2", "l2", "g1", "tok-l2")

	raw, err := s.EraseLeader(e.ctx, gone)
	must(t, "EraseLeader", err)
	equal(t, "raw keys", raw, []string{"raw/notes-s1", "raw/quar-1", "raw/reply-1", "raw/reply-g"})

	// Every access pattern finds nothing of the leader.
	notFound := func(what string, err error) {
		t.Helper()
		wantCode(t, what, err, coaching.ENOTFOUND)
	}
	_, err = s.LeaderByID(e.ctx, gone)
	notFound("LeaderByID", err)
	_, err = s.LeaderByEmail(e.ctx, goneAddr)
	notFound("LeaderByEmail", err)
	reason, err := s.Suppression(e.ctx, goneAddr)
	must(t, "Suppression", err)
	equal(t, "Suppression", reason, "")
	leaders, err := s.LeadersOfCoach(e.ctx, "c1")
	must(t, "LeadersOfCoach", err)
	equal(t, "LeadersOfCoach(c1)", ids(leaders, func(l coaching.Leader) string { return l.ID }), []string{"l2"})
	sessions, err := s.SessionsOfLeader(e.ctx, gone, time.Time{}, time.Time{})
	must(t, "SessionsOfLeader", err)
	equal(t, "SessionsOfLeader", len(sessions), 0)
	_, err = s.SessionByID(e.ctx, "s1")
	notFound("SessionByID(s1)", err)
	_, err = s.SessionByCalendar(e.ctx, one.CalendarUID, "")
	notFound("SessionByCalendar(s1)", err)
	commitments, err := s.Commitments(e.ctx, gone, false)
	must(t, "Commitments", err)
	equal(t, "Commitments", len(commitments), 0)
	open, err := s.Commitments(e.ctx, gone, true)
	must(t, "Commitments(open)", err)
	equal(t, "Commitments(open)", len(open), 0)
	focus, err := s.FocusAnswers(e.ctx, gone, 0)
	must(t, "FocusAnswers", err)
	equal(t, "FocusAnswers", len(focus), 0)
	outcomes, err := s.Outcomes(e.ctx, "s1")
	must(t, "Outcomes(s1)", err)
	equal(t, "Outcomes(s1)", len(outcomes), 0)
	mails, err := s.EmailsOfSession(e.ctx, "s1")
	must(t, "EmailsOfSession(s1)", err)
	equal(t, "EmailsOfSession(s1)", len(mails), 0)
	_, err = s.EmailByID(e.ctx, "notice")
	notFound("EmailByID(notice)", err)
	_, err = s.SentRefByMessageID(e.ctx, "p-s1@coachmail.example")
	notFound("SentRefByMessageID(p-s1)", err)
	_, err = s.SentRefByMessageID(e.ctx, "b-s1@coachmail.example")
	notFound("SentRefByMessageID(b-s1)", err)
	_, err = s.SentRefByToken(e.ctx, "tok-p-s1")
	notFound("SentRefByToken", err)
	for _, id := range []string{"notes-s1", "reply-1", "reply-g", "quar-1"} {
		_, err = s.InboundByID(e.ctx, id)
		notFound("InboundByID("+id+")", err)
	}
	_, err = s.QuarantineByID(e.ctx, "quar-1")
	notFound("QuarantineByID", err)
	_, err = s.SeriesByUID(e.ctx, one.CalendarUID)
	notFound("SeriesByUID(the leader's own)", err)
	topUp, err := s.SeriesToTopUp(e.ctx, at(365*day), 0)
	must(t, "SeriesToTopUp", err)
	for _, sr := range topUp {
		if slices.Contains(sr.LeaderIDs, gone) {
			t.Errorf("SeriesToTopUp lists %s with the erased leader", sr.UID)
		}
	}
	due, err := s.DueEmails(e.ctx, at(30*day), 0)
	must(t, "DueEmails", err)
	for _, em := range due {
		if em.LeaderID == gone {
			t.Errorf("DueEmails lists %s of the erased leader", em.ID)
		}
	}

	// The other leader keeps everything, and the group session goes on
	// without the erased leader.
	g, err := s.SessionByID(e.ctx, "g1")
	must(t, "SessionByID(g1)", err)
	equal(t, "g1 leaders", g.LeaderIDs, []string{"l2"})
	if g.Version != 2 {
		t.Errorf("g1 version %d, want 2", g.Version)
	}
	byCal, err := s.SessionByCalendar(e.ctx, group.CalendarUID, group.RecurrenceID)
	must(t, "SessionByCalendar(g1)", err)
	equal(t, "SessionByCalendar(g1).ID", byCal.ID, "g1")
	sessions, err = s.SessionsOfLeader(e.ctx, "l2", time.Time{}, time.Time{})
	must(t, "SessionsOfLeader(l2)", err)
	equal(t, "SessionsOfLeader(l2)", sessionIDs(sessions), []string{"g1", "s2"})
	outcomes, err = s.Outcomes(e.ctx, "g1")
	must(t, "Outcomes(g1)", err)
	equal(t, "Outcomes(g1) leaders", ids(outcomes, func(o coaching.Outcome) string { return o.LeaderID }), []string{"l2"})
	mails, err = s.EmailsOfSession(e.ctx, "g1")
	must(t, "EmailsOfSession(g1)", err)
	equal(t, "EmailsOfSession(g1)", sortedIDs(emailIDs(mails)), []string{"b-g1", "p-g1-l2"})
	focus, err = s.FocusAnswers(e.ctx, "l2", 0)
	must(t, "FocusAnswers(l2)", err)
	equal(t, "FocusAnswers(l2)", len(focus), 1)
	commitments, err = s.Commitments(e.ctx, "l2", true)
	must(t, "Commitments(l2, open)", err)
	equal(t, "Commitments(l2, open)", commitmentIDs(commitments), []string{"k9"})
	commitments, err = s.Commitments(e.ctx, "l2", false)
	must(t, "Commitments(l2)", err)
	equal(t, "Commitments(l2)", commitmentIDs(commitments), []string{"k9"})
	_, err = s.SentRefByToken(e.ctx, "tok-l2")
	must(t, "SentRefByToken(l2)", err)
	_, err = s.InboundByID(e.ctx, "notes-g1")
	must(t, "InboundByID(notes-g1)", err)
	gs, err := s.SeriesByUID(e.ctx, group.CalendarUID)
	must(t, "SeriesByUID(group)", err)
	equal(t, "group series leaders", gs.LeaderIDs, []string{"l2"})

	// And no item anywhere mentions the leader (a Scan, in the test only).
	scan := dynamodb.NewScanPaginator(e.client, &dynamodb.ScanInput{TableName: aws.String(e.table), ConsistentRead: aws.Bool(true)})
	items := 0
	for scan.HasMorePages() {
		page, err := scan.NextPage(e.ctx)
		must(t, "Scan", err)
		for _, it := range page.Items {
			items++
			var m map[string]any
			must(t, "decode item", attributevalue.UnmarshalMap(it, &m))
			if dump := strings.ToLower(fmt.Sprint(m)); strings.Contains(dump, gone) {
				t.Errorf("item left after erase: %s", dump)
			}
		}
	}
	if items == 0 {
		t.Errorf("the table is empty: the erase took the others' items too")
	}

	_, err = s.EraseLeader(e.ctx, gone)
	notFound("EraseLeader(again)", err)
}

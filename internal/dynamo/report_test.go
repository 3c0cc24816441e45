package dynamo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

// reportOn is what a reply says of one commitment.
type reportOn struct {
	id      string
	status  coaching.CommitmentStatus
	comment string
}

// reply builds the change a leader's reply makes, as internal/inbound does:
// the inbound record, a focus answer unless focus is "", and each reported
// commitment as read with one reported entry from the message appended.
func reply(id, leader string, received time.Time, focus string, read []coaching.Commitment, reports ...reportOn) coaching.Change {
	ch := coaching.Change{Inbound: inbound(id, leader, received)}
	if focus != "" {
		ch.Focus = &coaching.FocusAnswer{SessionID: "s2", LeaderID: leader, Text: focus, MessageID: id + "@mail.example", ReceivedAt: received}
	}
	for _, r := range reports {
		for _, c := range read {
			if c.ID != r.id {
				continue
			}
			c.History = slices.Clone(c.History)
			if c.Record(coaching.StatusChange{At: received, Event: coaching.EventReported, Status: r.status, Comment: r.comment, SessionID: "s2", Source: id}) {
				ch.Commitments = append(ch.Commitments, c)
			}
		}
	}
	return ch
}

// afterReply is what Commitments should show once ch is applied on top of
// read: the reported commitments as the reply recorded them, one version on.
func afterReply(read []coaching.Commitment, ch coaching.Change) []coaching.Commitment {
	out := slices.Clone(read)
	for i, c := range out {
		for _, r := range ch.Commitments {
			if r.ID == c.ID {
				r.Version++
				out[i] = r
			}
		}
	}
	return out
}

func openOf(cs []coaching.Commitment) []coaching.Commitment {
	return slices.DeleteFunc(slices.Clone(cs), func(c coaching.Commitment) bool {
		return c.Status != coaching.CommitmentOpen && c.Status != coaching.CommitmentNotDone
	})
}

// makeCommitments creates open commitments of a leader, an hour apart, in
// one notes message, and returns them as Commitments reads them.
func (e *env) makeCommitments(t *testing.T, leader string, ids ...string) []coaching.Commitment {
	t.Helper()
	ch := coaching.Change{Inbound: inbound("notes-"+leader, leader, at(0))}
	for i, id := range ids {
		ch.Commitments = append(ch.Commitments, newCommitment(id, leader, "s1", at(time.Duration(i)*hour)))
	}
	must(t, "Apply(notes)", e.store.Apply(e.ctx, ch))
	return e.commitments(t, leader, false)
}

func (e *env) commitments(t *testing.T, leader string, openOnly bool) []coaching.Commitment {
	t.Helper()
	cs, err := e.store.Commitments(e.ctx, leader, openOnly)
	must(t, "Commitments", err)
	return cs
}

func (e *env) focusAnswers(t *testing.T, leader string, limit int) []coaching.FocusAnswer {
	t.Helper()
	fs, err := e.store.FocusAnswers(e.ctx, leader, limit)
	must(t, "FocusAnswers", err)
	return fs
}

func (e *env) compact(t *testing.T, leader string) int {
	t.Helper()
	n, err := e.store.Compact(e.ctx, leader)
	must(t, "Compact", err)
	return n
}

// storedCommitment reads a commitment's item as stored, without the
// pending reports that Commitments folds in.
func (e *env) storedCommitment(t *testing.T, c coaching.Commitment) coaching.Commitment {
	t.Helper()
	item := e.rawItem(t, "LEADER#"+c.LeaderID, "COMMIT#"+c.CreatedAt.UTC().Format("2006-01-02T15:04:05.000000000Z")+"#"+c.ID)
	var out coaching.Commitment
	must(t, "decode commitment", attributevalue.UnmarshalMap(item, &out))
	return out
}

func stringAttr(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// writeCounter counts the write calls a Store makes.
type writeCounter struct {
	*dynamodb.Client
	mu    sync.Mutex
	calls map[string]int
}

func (c *writeCounter) count(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[op]++
}

func (c *writeCounter) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.count("PutItem")
	return c.Client.PutItem(ctx, in, opts...)
}

func (c *writeCounter) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.count("DeleteItem")
	return c.Client.DeleteItem(ctx, in, opts...)
}

func (c *writeCounter) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.count("TransactWriteItems")
	return c.Client.TransactWriteItems(ctx, in, opts...)
}

// applyCounting applies ch and returns the write calls it made.
func (e *env) applyCounting(t *testing.T, ch coaching.Change) map[string]int {
	t.Helper()
	wc := &writeCounter{Client: e.client}
	must(t, "Apply "+ch.Inbound.ID, dynamo.New(wc, e.table).Apply(e.ctx, ch))
	return wc.calls
}

// testReplyReports applies replies with status reports: each is one
// conditional PutItem, and the reads show the statuses and history at once.
func testReplyReports(t *testing.T, e *env) {
	e.setup(t, "l1")
	read := e.makeCommitments(t, "l1", "k1", "k2", "k3")

	ch := reply("m2", "l1", at(day), "The board wants a plan", read,
		reportOn{"k1", coaching.CommitmentDone, ""}, reportOn{"k2", coaching.CommitmentNotDone, "budget frozen"})
	equal(t, "writes of a focus answer and two statuses", e.applyCounting(t, ch), map[string]int{"PutItem": 1})
	want := afterReply(read, ch)
	equal(t, "Commitments after the reply", e.commitments(t, "l1", false), want)
	equal(t, "Commitments(open) after the reply", e.commitments(t, "l1", true), openOf(want))
	equal(t, "open ids", commitmentIDs(e.commitments(t, "l1", true)), []string{"k2", "k3"})
	equal(t, "FocusAnswers", e.focusAnswers(t, "l1", 0), []coaching.FocusAnswer{*ch.Focus})
	got, err := e.store.InboundByID(e.ctx, "m2")
	must(t, "InboundByID", err)
	equal(t, "InboundByID(m2)", got, ch.Inbound)
	// The commitment items are untouched until compaction.
	equal(t, "stored k1", e.storedCommitment(t, read[0]), read[0])

	// A reply without a focus answer (to a reminder), on three
	// commitments, one of them reported on before: one write too.
	ch = reply("m3", "l1", at(2*day), "", want,
		reportOn{"k1", coaching.CommitmentDone, "sent it"}, reportOn{"k2", coaching.CommitmentDone, ""}, reportOn{"k3", coaching.CommitmentDropped, "no longer needed"})
	equal(t, "writes of three statuses", e.applyCounting(t, ch), map[string]int{"PutItem": 1})
	want = afterReply(want, ch)
	equal(t, "Commitments after the second reply", e.commitments(t, "l1", false), want)
	equal(t, "Commitments(open) after the second reply", len(e.commitments(t, "l1", true)), 0)
	equal(t, "FocusAnswers after a reply without one", len(e.focusAnswers(t, "l1", 0)), 1)
	item := e.rawItem(t, "INBOUND#m3", "INBOUND")
	if _, ok := ttlOf(t, item); ok {
		t.Errorf("a reply with pending reports has a ttl: it could expire before they are folded")
	}

	// A reply that also adds a commitment (to a recap) is a transaction,
	// with the version checks of a full write.
	ch = reply("m4", "l1", at(3*day), "", want, reportOn{"k2", coaching.CommitmentNotDone, "reopened"})
	ch.Commitments = append(ch.Commitments, newCommitment("k4", "l1", "s2", at(3*day)))
	equal(t, "writes of a status and a new commitment", e.applyCounting(t, ch), map[string]int{"TransactWriteItems": 1})
	want = afterReply(want, ch)
	k4 := ch.Commitments[1]
	k4.Version = 1
	want = append(want, k4)
	equal(t, "Commitments after a reply with a new commitment", e.commitments(t, "l1", false), want)
	equal(t, "open ids after it", commitmentIDs(e.commitments(t, "l1", true)), []string{"k2", "k4"})
}

// leaderState is what the reads show of a leader.
type leaderState struct {
	All, Open []coaching.Commitment
	Focus     []coaching.FocusAnswer
}

func (e *env) leaderState(t *testing.T, leader string) leaderState {
	t.Helper()
	return leaderState{e.commitments(t, leader, false), e.commitments(t, leader, true), e.focusAnswers(t, leader, 0)}
}

func wantAlreadyHandled(t *testing.T, what string, err error) {
	t.Helper()
	wantCode(t, what, err, coaching.ECONFLICT)
	if !strings.Contains(err.Error(), "already handled") {
		t.Errorf("%s = %v, want it to say already handled", what, err)
	}
}

// testReplyRedelivered redelivers a reply with reports, as is and after a
// re-read, before and after compaction: refused, nothing changes.
func testReplyRedelivered(t *testing.T, e *env) {
	e.setup(t, "l1")
	read := e.makeCommitments(t, "l1", "k1", "k2")
	ch := reply("m2", "l1", at(day), "Hiring", read, reportOn{"k1", coaching.CommitmentDone, ""}, reportOn{"k2", coaching.CommitmentNotDone, "later"})
	must(t, "Apply", e.store.Apply(e.ctx, ch))
	after := e.leaderState(t, "l1")

	wantAlreadyHandled(t, "Apply(redelivered)", e.store.Apply(e.ctx, ch))
	// Redelivered after the handler read again: the reports are in what it
	// read, so the change is the focus answer alone, and still refused.
	again := reply("m2", "l1", at(day+time.Minute), "Hiring", after.All, reportOn{"k1", coaching.CommitmentDone, ""})
	equal(t, "reports recorded again after a re-read", len(again.Commitments), 0)
	wantAlreadyHandled(t, "Apply(redelivered, re-read)", e.store.Apply(e.ctx, again))
	// And with a different status this time: refused all the same.
	other := reply("m2", "l1", at(day), "", read, reportOn{"k1", coaching.CommitmentDropped, ""})
	wantAlreadyHandled(t, "Apply(redelivered, other status)", e.store.Apply(e.ctx, other))
	equal(t, "state after the duplicates", e.leaderState(t, "l1"), after)

	equal(t, "replies compacted", e.compact(t, "l1"), 1)
	wantAlreadyHandled(t, "Apply(redelivered after compaction)", e.store.Apply(e.ctx, ch))
	wantAlreadyHandled(t, "Apply(redelivered after compaction, other status)", e.store.Apply(e.ctx, other))
	equal(t, "state after compaction and duplicates", e.leaderState(t, "l1"), after)
}

// testTwoReplies applies two replies about the same commitments, written
// from the same read (both in flight at once) and arriving in the reverse
// of the order they were answered in: both count, the history is in time
// order, and the later status wins.
func testTwoReplies(t *testing.T, e *env) {
	e.setup(t, "l1")
	read := e.makeCommitments(t, "l1", "k1", "k2")
	first := reply("m2", "l1", at(day), "", read, reportOn{"k1", coaching.CommitmentNotDone, "next week"}, reportOn{"k2", coaching.CommitmentDone, ""})
	second := reply("m3", "l1", at(day+hour), "", read, reportOn{"k1", coaching.CommitmentDone, "finally"}, reportOn{"k2", coaching.CommitmentNotDone, "reopened"})
	must(t, "Apply(second)", e.store.Apply(e.ctx, second))
	must(t, "Apply(first, arriving late)", e.store.Apply(e.ctx, first))

	want := slices.Clone(read)
	for i := range want {
		want[i].History = slices.Clone(want[i].History)
		for _, ch := range []coaching.Change{first, second} {
			for _, c := range ch.Commitments {
				if c.ID == want[i].ID {
					want[i].Record(c.History[len(c.History)-1])
					want[i].Version++
				}
			}
		}
	}
	if want[0].Status != coaching.CommitmentDone || want[1].Status != coaching.CommitmentNotDone || len(want[0].History) != 3 {
		t.Fatalf("the expectation itself is wrong: %+v", want)
	}
	equal(t, "Commitments after both replies", e.commitments(t, "l1", false), want)
	equal(t, "Commitments(open) after both replies", e.commitments(t, "l1", true), want[1:])

	equal(t, "replies compacted", e.compact(t, "l1"), 2)
	equal(t, "Commitments after compaction", e.commitments(t, "l1", false), want)
	for _, c := range want {
		equal(t, "stored "+c.ID+" after compaction", e.storedCommitment(t, c), c)
	}
	equal(t, "replies compacted again", e.compact(t, "l1"), 0)

	// A reply handled at a time before the last report but stored after
	// the compaction (two handlers at once): it takes its place in the
	// history, and the later status stands.
	late := reply("m5", "l1", at(day+30*time.Minute), "", read, reportOn{"k1", coaching.CommitmentDropped, "in between"})
	must(t, "Apply(late)", e.store.Apply(e.ctx, late))
	k1 := want[0]
	k1.History = slices.Insert(slices.Clone(k1.History), 2, late.Commitments[0].History[1])
	k1.Version++
	withLate := []coaching.Commitment{k1, want[1]}
	equal(t, "Commitments after a late reply", e.commitments(t, "l1", false), withLate)
	equal(t, "late reply compacted", e.compact(t, "l1"), 1)
	equal(t, "stored k1 after the late reply", e.storedCommitment(t, k1), k1)

	// A third reply, on the compacted item, counts on.
	third := reply("m4", "l1", at(2*day), "", withLate, reportOn{"k1", coaching.CommitmentNotDone, "reopened"})
	must(t, "Apply(third)", e.store.Apply(e.ctx, third))
	equal(t, "Commitments after a third reply", e.commitments(t, "l1", false), afterReply(withLate, third))
}

// testReplyThenRewrite applies a reply, then a change that rewrites a
// reported commitment in full (a transaction, as notes make): nothing of
// the reply is lost, and a rewrite from a read older than the reply is
// refused.
func testReplyThenRewrite(t *testing.T, e *env) {
	e.setup(t, "l1")
	must(t, "CreateSession", e.store.CreateSession(e.ctx, newSession("s1", "c1", t0, "l1")))
	before := e.makeCommitments(t, "l1", "k1", "k2")
	ch := reply("m2", "l1", at(day), "Hiring", before, reportOn{"k1", coaching.CommitmentDone, ""}, reportOn{"k2", coaching.CommitmentNotDone, "budget"})
	must(t, "Apply(reply)", e.store.Apply(e.ctx, ch))
	read := e.commitments(t, "l1", false)

	// Notes reopen k1 with new words, and record an outcome.
	k1 := read[0]
	k1.History = slices.Clone(k1.History)
	k1.Text = "Draft and share the hiring plan"
	k1.Record(coaching.StatusChange{At: at(2 * day), Event: coaching.EventReworded, Status: coaching.CommitmentOpen, SessionID: "s1", Source: "notes-2"})
	notes := coaching.Change{Inbound: inbound("notes-2", "l1", at(2*day)), Commitments: []coaching.Commitment{k1},
		Outcomes: []coaching.Outcome{{SessionID: "s1", LeaderID: "l1", Kind: coaching.Action, Text: "Share the plan", CreatedAt: at(2 * day)}}}
	must(t, "Apply(notes)", e.store.Apply(e.ctx, notes))
	k1.Version++
	want := []coaching.Commitment{k1, read[1]}
	equal(t, "Commitments after the rewrite", e.commitments(t, "l1", false), want)
	equal(t, "Commitments(open) after the rewrite", e.commitments(t, "l1", true), want)
	// The reply's report went into the rewritten item with it.
	equal(t, "stored k1", e.storedCommitment(t, k1), k1)

	// A rewrite of k2 from the read before the reply is stale.
	stale := before[1]
	stale.History = slices.Clone(stale.History)
	stale.Text = "changed"
	stale.Record(coaching.StatusChange{At: at(3 * day), Event: coaching.EventReworded, Status: coaching.CommitmentOpen, Source: "notes-3"})
	err := e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("notes-3", "l1", at(3*day)), Commitments: []coaching.Commitment{stale},
		Outcomes: []coaching.Outcome{{SessionID: "s1", Kind: coaching.Decision, Text: "x", CreatedAt: at(3 * day)}}})
	wantCode(t, "Apply(rewrite older than the reply)", err, coaching.ECONFLICT)
	if !strings.Contains(err.Error(), "commitment k2") {
		t.Errorf("Apply(rewrite older than the reply) = %v, want it to name commitment k2", err)
	}
	_, err = e.store.InboundByID(e.ctx, "notes-3")
	wantCode(t, "InboundByID(notes-3)", err, coaching.ENOTFOUND)
	outcomes, err := e.store.Outcomes(e.ctx, "s1")
	must(t, "Outcomes", err)
	equal(t, "outcomes after the refused rewrite", len(outcomes), 1)
	equal(t, "Commitments after the refused rewrite", e.commitments(t, "l1", false), want)

	// The same rewrite from a read after the reply goes through, with it.
	k2 := read[1]
	k2.History = slices.Clone(k2.History)
	k2.Text = "changed"
	k2.Record(coaching.StatusChange{At: at(3 * day), Event: coaching.EventReworded, Status: coaching.CommitmentOpen, Source: "notes-3"})
	must(t, "Apply(rewrite after the reply)", e.store.Apply(e.ctx, coaching.Change{Inbound: inbound("notes-3", "l1", at(3*day)), Commitments: []coaching.Commitment{k2}}))
	k2.Version++
	want = []coaching.Commitment{k1, k2}
	equal(t, "Commitments after the second rewrite", e.commitments(t, "l1", false), want)
	if n := len(k2.History); n != 3 || k2.History[1].Source != "m2" {
		t.Errorf("k2 history %+v, want made, the report, the rewording", k2.History)
	}

	// Compaction moves the reply and changes nothing the reads show.
	equal(t, "replies compacted", e.compact(t, "l1"), 1)
	equal(t, "Commitments after compaction", e.commitments(t, "l1", false), want)
	for _, c := range want {
		equal(t, "stored "+c.ID+" after compaction", e.storedCommitment(t, c), c)
	}
}

// testCompact folds pending replies, with and without focus answers, and
// checks that reads are the same before and after, and the records move.
func testCompact(t *testing.T, e *env) {
	e.setup(t, "l1")
	read := e.makeCommitments(t, "l1", "k1", "k2", "k3")
	withFocus := reply("m1", "l1", at(day), "The board", read, reportOn{"k1", coaching.CommitmentDone, ""})
	must(t, "Apply(m1)", e.store.Apply(e.ctx, withFocus))
	noFocus := reply("m2", "l1", at(2*day), "", e.commitments(t, "l1", false), reportOn{"k2", coaching.CommitmentDropped, "not needed"})
	must(t, "Apply(m2)", e.store.Apply(e.ctx, noFocus))
	focusOnly := reply("m3", "l1", at(3*day), "Pricing", nil)
	must(t, "Apply(m3)", e.store.Apply(e.ctx, focusOnly))
	before := e.leaderState(t, "l1")
	equal(t, "focus answers before compaction", before.Focus, []coaching.FocusAnswer{*focusOnly.Focus, *withFocus.Focus})

	equal(t, "replies compacted", e.compact(t, "l1"), 2)
	equal(t, "state after compaction", e.leaderState(t, "l1"), before)
	m1 := e.rawItem(t, "INBOUND#m1", "INBOUND")
	if sk := stringAttr(m1, "GSI1SK"); !strings.HasPrefix(sk, "FOCUS#") {
		t.Errorf("compacted reply with a focus answer sorts as %q, want FOCUS#", sk)
	}
	if _, ok := ttlOf(t, m1); ok {
		t.Errorf("compacted reply with a focus answer has a ttl")
	}
	m2 := e.rawItem(t, "INBOUND#m2", "INBOUND")
	if sk := stringAttr(m2, "GSI1SK"); !strings.HasPrefix(sk, "INBOUND#") || stringAttr(m2, "GSI1PK") != "LEADER#l1" {
		t.Errorf("compacted reply without a focus answer is under %q / %q, want LEADER#l1 / INBOUND#", stringAttr(m2, "GSI1PK"), sk)
	}
	if ttl, ok := ttlOf(t, m2); !ok || ttl != noFocus.Inbound.Expires.Unix() {
		t.Errorf("compacted reply without a focus answer: ttl %d (present %v), want %d", ttl, ok, noFocus.Inbound.Expires.Unix())
	}
	equal(t, "replies compacted again", e.compact(t, "l1"), 0)

	// Reported done and compacted, then reported not done: the open
	// index does not hold it, the reads still show it open.
	later := reply("m4", "l1", at(4*day), "Hiring", before.All, reportOn{"k1", coaching.CommitmentNotDone, "slipped"})
	must(t, "Apply(m4)", e.store.Apply(e.ctx, later))
	want := afterReply(before.All, later)
	equal(t, "Commitments(open) after a reopening report", e.commitments(t, "l1", true), openOf(want))
	equal(t, "open ids", commitmentIDs(openOf(want)), []string{"k1", "k3"})
	// Focus answers merge pending and compacted replies, newest first.
	equal(t, "FocusAnswers(2)", e.focusAnswers(t, "l1", 2), []coaching.FocusAnswer{*later.Focus, *focusOnly.Focus})
	equal(t, "FocusAnswers(all)", e.focusAnswers(t, "l1", 0), []coaching.FocusAnswer{*later.Focus, *focusOnly.Focus, *withFocus.Focus})

	_, err := e.store.Compact(e.ctx, strings.Repeat("x", 600))
	must(t, "Compact(unknown leader)", err)
}

// testEraseReports erases a leader with replies pending and compacted,
// beside another leader with a pending reply.
func testEraseReports(t *testing.T, e *env) {
	e.setup(t, gone, "l2")
	read := e.makeCommitments(t, gone, "k1", "k2")
	must(t, "Apply(r1)", e.store.Apply(e.ctx, reply("r1", gone, at(day), "Hiring", read, reportOn{"k1", coaching.CommitmentDone, "told " + gone})))
	equal(t, "replies compacted", e.compact(t, gone), 1)
	read = e.commitments(t, gone, false)
	// A reply without a focus answer, and without the leader on its
	// inbound record: found by its reports.
	r2 := reply("r2", "", at(2*day), "", read, reportOn{"k2", coaching.CommitmentNotDone, "ask " + gone})
	must(t, "Apply(r2)", e.store.Apply(e.ctx, r2))
	r3 := reply("r3", "", at(3*day), "", read, reportOn{"k1", coaching.CommitmentNotDone, "again"})
	must(t, "Apply(r3)", e.store.Apply(e.ctx, r3))
	equal(t, "replies compacted", e.compact(t, gone), 2)
	must(t, "Apply(r4)", e.store.Apply(e.ctx, reply("r4", gone, at(4*day), "Board", e.commitments(t, gone, false), reportOn{"k2", coaching.CommitmentDone, ""})))
	other := e.makeCommitments(t, "l2", "k9")
	l2 := reply("x1", "l2", at(day), "Budget", other, reportOn{"k9", coaching.CommitmentDone, ""})
	must(t, "Apply(x1)", e.store.Apply(e.ctx, l2))

	raw, err := e.store.EraseLeader(e.ctx, gone)
	must(t, "EraseLeader", err)
	equal(t, "raw keys", raw, []string{"raw/notes-" + gone, "raw/r1", "raw/r2", "raw/r3", "raw/r4"})
	equal(t, "Commitments of the erased leader", len(e.commitments(t, gone, false)), 0)
	equal(t, "FocusAnswers of the erased leader", len(e.focusAnswers(t, gone, 0)), 0)
	equal(t, "Compact of the erased leader", e.compact(t, gone), 0)
	for _, id := range []string{"r1", "r2", "r3", "r4"} {
		_, err := e.store.InboundByID(e.ctx, id)
		wantCode(t, "InboundByID("+id+")", err, coaching.ENOTFOUND)
	}
	equal(t, "Commitments of the other leader", e.commitments(t, "l2", false), afterReply(other, l2))
	equal(t, "FocusAnswers of the other leader", e.focusAnswers(t, "l2", 0), []coaching.FocusAnswer{*l2.Focus})
	e.noTrace(t, gone)
}

// noTrace fails when any item of the table mentions s (a Scan, in tests
// only).
func (e *env) noTrace(t *testing.T, s string) {
	t.Helper()
	scan := dynamodb.NewScanPaginator(e.client, &dynamodb.ScanInput{TableName: &e.table})
	items := 0
	for scan.HasMorePages() {
		page, err := scan.NextPage(e.ctx)
		must(t, "Scan", err)
		for _, it := range page.Items {
			items++
			var m map[string]any
			must(t, "decode item", attributevalue.UnmarshalMap(it, &m))
			if dump := strings.ToLower(fmt.Sprint(m)); strings.Contains(dump, s) {
				t.Errorf("item left after erase: %s", dump)
			}
		}
	}
	if items == 0 {
		t.Errorf("the table is empty: the erase took the others' items too")
	}
}

// testReplyCapacity checks what the server reports for the common replies:
// a focus answer with one to three statuses is one PutItem of an item under
// 1 KB and its GSI1 entry, two write units, as a focus answer alone.
func testReplyCapacity(t *testing.T, e *env) {
	e.srv.Skip(t, dynamotest.Minidyn, "reports no consumed capacity")
	e.setup(t, "l1")
	read := e.makeCommitments(t, "l1", "k1", "k2", "k3")
	statuses := []reportOn{{"k1", coaching.CommitmentDone, ""}, {"k2", coaching.CommitmentNotDone, "budget frozen"}, {"k3", coaching.CommitmentDropped, ""}}
	for n := range 4 {
		id := "0100018e3c0a9b1f-4d1e6b2a-4f7c-4c7e-9d8e-5b6a7c8d9e0" + string(rune('a'+n)) + "-000000"
		ch := reply(id, "l1", at(time.Duration(n+1)*day), "Whether to promote Sam before the reorg.", read, statuses[:n]...)
		before := e.store.WriteUnits()
		must(t, "Apply", e.store.Apply(e.ctx, ch))
		equal(t, "write units of a focus answer and statuses", e.store.WriteUnits()-before, 2.0)
		read = e.commitments(t, "l1", false)
	}
}

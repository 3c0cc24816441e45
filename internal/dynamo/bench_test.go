package dynamo_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

// BenchmarkApply applies typical replies, on each server, and reports the
// write units DynamoDB charged per message (DynamoDB Local computes them as
// DynamoDB does, table and index writes together; minidyn reports none) and
// messages per second. The replies:
//   - focus: a focus answer and nothing else (one conditional PutItem);
//   - focus+status: a focus answer and one commitment reported done (a
//     transaction of two items);
//   - focus+2status: a focus answer and two commitments reported, one done,
//     one not done.
func BenchmarkApply(b *testing.B) {
	for _, srv := range dynamotest.Servers(b) {
		for _, reports := range []int{0, 1, 2} {
			name := map[int]string{0: "focus", 1: "focus+status", 2: "focus+2status"}[reports]
			b.Run(srv.Name+"/"+name, func(b *testing.B) { benchmarkApply(b, srv, reports) })
		}
	}
}

func benchmarkApply(b *testing.B, srv dynamotest.Server, reports int) {
	client, table := dynamotest.NewTable(b, srv)
	s := dynamo.New(client, table)
	ctx := b.Context()
	t0 := time.Date(2036, 3, 3, 9, 0, 0, 0, time.UTC) // expiries in the future: DynamoDB Local deletes expired items
	const leaders = 64
	// Every message reports on commitments of its own, so that each write
	// replaces a commitment of the usual size (a short history).
	commitments := map[string]coaching.Commitment{}
	commitment := func(leader string, i, n int) coaching.Commitment {
		id := fmt.Sprintf("%s-k%d-%d", leader, i, n)
		c, ok := commitments[id]
		if !ok {
			c = coaching.Commitment{
				ID: id, LeaderID: leader, SessionID: "s-" + leader, Text: "Share the reorg plan with the team",
				Due: "2036-03-07", Status: coaching.CommitmentOpen, CreatedAt: t0, UpdatedAt: t0,
				History: []coaching.StatusChange{{At: t0, Event: coaching.EventMade, Status: coaching.CommitmentOpen, SessionID: "s-" + leader, Source: "notes-" + leader}},
				Version: 1,
			}
		}
		return c
	}
	// Set up the commitments the messages will report on, outside the
	// measurement.
	for i := range b.N {
		leader := fmt.Sprintf("leader%02d", i%leaders)
		var cs []coaching.Commitment
		for n := range reports {
			c := commitment(leader, i, n)
			c.Version = 0
			cs = append(cs, c)
			commitments[c.ID] = commitment(leader, i, n)
		}
		if len(cs) > 0 {
			in := coaching.InboundMessage{ID: fmt.Sprintf("notes-%d", i), ReceivedAt: t0, Route: coaching.RouteNotes, Outcome: "applied"}
			if err := s.Apply(ctx, coaching.Change{Inbound: in, Commitments: cs}); err != nil {
				b.Fatal(err)
			}
		}
	}
	before := s.WriteUnits()
	b.ResetTimer()
	for i := range b.N {
		leader := fmt.Sprintf("leader%02d", i%leaders)
		at := t0.Add(time.Duration(i) * time.Second)
		id := fmt.Sprintf("0100018e3c0a9b1f-4d1e6b2a-4f7c-4c7e-9d8e-%012d-000000", i)
		in := coaching.InboundMessage{
			ID: id, ReceivedAt: at, Route: coaching.RouteReply, Outcome: "applied",
			RawKey: "inbound/" + id, LeaderID: leader, CoachID: "coach01", Expires: at.Add(30 * 24 * time.Hour),
		}
		ch := coaching.Change{Inbound: in, Focus: &coaching.FocusAnswer{
			SessionID: "s-" + leader, LeaderID: leader, MessageID: "CAF=" + id + "@mail.gmail.com", ReceivedAt: at,
			Text: "Whether to promote Sam before the reorg, and how to tell the team without losing Dana.",
		}}
		for n := range reports {
			c := commitment(leader, i, n)
			status := coaching.CommitmentDone
			if n == 1 {
				status = coaching.CommitmentNotDone
			}
			c.Record(coaching.StatusChange{At: at, Event: coaching.EventReported, Status: status, Comment: "budget frozen", Source: id})
			ch.Commitments = append(ch.Commitments, c)
		}
		if err := s.Apply(ctx, ch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric((s.WriteUnits()-before)/float64(b.N), "WCU/msg")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

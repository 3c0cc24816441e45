package dynamo_test

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

// BenchmarkApply applies typical replies, on each server, and reports per
// message the write units the server reported (WCU/msg: table and index
// writes; minidyn reports none, and DynamoDB Local 3.3.1 reports 2 for any
// transaction, whatever its size), the table write units by DynamoDB's
// published rules computed from the items sent (table-WCU/msg: 1 per KB of a
// plain write, 2 per KB of each item of a transaction; index writes come on
// top), and messages per second. The replies:
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
	model := &modelClient{Client: client}
	s := dynamo.New(model, table)
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
	before, modelBefore := s.WriteUnits(), model.units()
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
	b.ReportMetric((model.units()-modelBefore)/float64(b.N), "table-WCU/msg")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// modelClient counts the table write units of the writes it passes on, by
// DynamoDB's published rules.
type modelClient struct {
	*dynamodb.Client
	mu sync.Mutex
	n  float64
}

func (c *modelClient) units() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func (c *modelClient) add(u float64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n += u
}

func (c *modelClient) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	out, err := c.Client.PutItem(ctx, in, opts...)
	if err == nil {
		c.add(math.Ceil(float64(itemSize(in.Item)) / 1024))
	}
	return out, err
}

func (c *modelClient) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := c.Client.TransactWriteItems(ctx, in, opts...)
	if err == nil {
		for _, it := range in.TransactItems {
			size := 1 // a delete is charged for the item it removes; taken as small
			if it.Put != nil {
				size = itemSize(it.Put.Item)
			}
			c.add(2 * math.Ceil(float64(size)/1024))
		}
	}
	return out, err
}

// itemSize is an item's size as DynamoDB counts it: names and values.
func itemSize(item map[string]types.AttributeValue) int {
	n := 0
	for k, v := range item {
		n += len(k) + valueSize(v)
	}
	return n
}

func valueSize(v types.AttributeValue) int {
	switch v := v.(type) {
	case *types.AttributeValueMemberS:
		return len(v.Value)
	case *types.AttributeValueMemberN:
		return (len(v.Value)+1)/2 + 1
	case *types.AttributeValueMemberB:
		return len(v.Value)
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range v.Value {
			n += len(k) + valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range v.Value {
			n += valueSize(e) + 1
		}
		return n
	}
	return 1
}

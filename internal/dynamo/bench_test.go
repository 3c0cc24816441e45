package dynamo_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
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
// message:
//   - WCU/msg: the write units the server reported (minidyn reports none;
//     DynamoDB Local 3.3.1 counts plain writes and their index writes, but
//     reports a flat figure for any TransactWriteItems, whatever its size);
//   - computed-WCU/msg: the write units by DynamoDB's published rules,
//     computed from the items sent (see modelClient), table and indexes;
//   - table-WCU/msg: the table's part of it;
//   - compact-WCU/msg: the computed units that Compact spends later, off
//     the reply path, to fold the replies' reports into the commitments;
//   - record-bytes: the size of a reply's inbound record;
//   - msgs/s.
//
// The replies: a focus answer alone, and a focus answer with one, two or
// three commitments reported (done, not done with a comment, dropped).
func BenchmarkApply(b *testing.B) {
	for _, srv := range dynamotest.Servers(b) {
		for reports := range 4 {
			name := map[int]string{0: "focus", 1: "focus+status", 2: "focus+2status", 3: "focus+3status"}[reports]
			b.Run(srv.Name+"/"+name, func(b *testing.B) { benchmarkApply(b, srv, reports) })
		}
	}
}

func benchmarkApply(b *testing.B, srv dynamotest.Server, reports int) {
	client, table := dynamotest.NewTable(b, srv)
	model := newModelClient(client)
	s := dynamo.New(model, table)
	ctx := b.Context()
	t0 := time.Date(2036, 3, 3, 9, 0, 0, 0, time.UTC) // expiries in the future: DynamoDB Local deletes expired items
	const leaders = 64
	// Ids are as long as coaching.NewID's, for items of the real size.
	// Every message reports on commitments of its own, so that each write
	// replaces a commitment of the usual size (a short history).
	commitments := map[string]coaching.Commitment{}
	commitment := func(leader string, i, n int) coaching.Commitment {
		id := fmt.Sprintf("k%011d%04d", i, n)
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
		leader := fmt.Sprintf("leader%010d", i%leaders)
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
		leader := fmt.Sprintf("leader%010d", i%leaders)
		at := t0.Add(time.Duration(i) * time.Second)
		id := fmt.Sprintf("0100018e3c0a9b1f-4d1e6b2a-4f7c-4c7e-9d8e-%012d-000000", i)
		in := coaching.InboundMessage{
			ID: id, ReceivedAt: at, Route: coaching.RouteReply, Outcome: "applied",
			RawKey: "inbound/" + id, LeaderID: leader, CoachID: "coach00000000001", Expires: at.Add(30 * 24 * time.Hour),
		}
		ch := coaching.Change{Inbound: in, Focus: &coaching.FocusAnswer{
			SessionID: "s-" + leader, LeaderID: leader, MessageID: "CAF=" + id + "@mail.gmail.com", ReceivedAt: at,
			Text: "Whether to promote Sam before the reorg, and how to tell the team without losing Dana.",
		}}
		for n := range reports {
			c := commitment(leader, i, n)
			status := []coaching.CommitmentStatus{coaching.CommitmentDone, coaching.CommitmentNotDone, coaching.CommitmentDropped}[n]
			c.Record(coaching.StatusChange{At: at, Event: coaching.EventReported, Status: status, Comment: "budget frozen", SessionID: "s-" + leader, Source: id})
			ch.Commitments = append(ch.Commitments, c)
		}
		if err := s.Apply(ctx, ch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := model.units()
	b.ReportMetric((s.WriteUnits()-before)/float64(b.N), "WCU/msg")
	b.ReportMetric((after.total()-modelBefore.total())/float64(b.N), "computed-WCU/msg")
	b.ReportMetric((after.table-modelBefore.table)/float64(b.N), "table-WCU/msg")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// The size of the last reply's record, as DynamoDB counts it: under
	// 1024 bytes, the record and its index entry cost a unit each.
	last := fmt.Sprintf("0100018e3c0a9b1f-4d1e6b2a-4f7c-4c7e-9d8e-%012d-000000", b.N-1)
	b.ReportMetric(float64(model.size([2]string{"INBOUND#" + last, "INBOUND"})), "record-bytes")

	// Compaction, off the reply path: what it spends per reply.
	for l := range min(leaders, b.N) {
		if _, err := s.Compact(ctx, fmt.Sprintf("leader%010d", l)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((model.units().total()-after.total())/float64(b.N), "compact-WCU/msg")
}

// modelClient computes the write units of the writes it passes on by
// DynamoDB's published rules, keeping the image of every item written
// through it so that it knows what each write replaces:
//   - a table write costs 1 unit per KB (rounded up) of the larger of the
//     item it replaces and the item it writes; each item of a
//     TransactWriteItems costs twice that;
//   - each global secondary index the write touches costs 1 unit per KB of
//     the index entry (the whole item: both indexes project all
//     attributes): one write for an entry added, removed or changed, two
//     (a delete and a put) for an entry whose index key changed, none when
//     the item is in the index neither before nor after, or is unchanged.
//     Index writes are counted at the standard rate in a transaction too:
//     DynamoDB propagates them after the transaction, not in it;
//   - writes that fail are not counted (DynamoDB charges a failed
//     conditional write too, one unit or more).
//
// An index entry is counted at the item's size, without the 100 bytes per
// entry that DynamoDB adds for storage.
type modelClient struct {
	*dynamodb.Client
	mu    sync.Mutex
	items map[[2]string]map[string]types.AttributeValue
	n     modelUnits
}

type modelUnits struct{ table, index float64 }

func (u modelUnits) total() float64 { return u.table + u.index }

func newModelClient(c *dynamodb.Client) *modelClient {
	return &modelClient{Client: c, items: map[[2]string]map[string]types.AttributeValue{}}
}

func (c *modelClient) units() modelUnits {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// size returns the size of the item last written at k, 0 when none.
func (c *modelClient) size(k [2]string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return itemSize(c.items[k])
}

func itemKey(item map[string]types.AttributeValue) [2]string {
	s := func(n string) string {
		if v, ok := item[n].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	return [2]string{s("PK"), s("SK")}
}

func kb(item map[string]types.AttributeValue) float64 {
	if item == nil {
		return 0
	}
	return max(1, math.Ceil(float64(itemSize(item))/1024))
}

// write counts and records the write of item (nil: a delete) at k.
func (c *modelClient) write(k [2]string, item map[string]types.AttributeValue, transact bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.items[k]
	mult := 1.0
	if transact {
		mult = 2
	}
	c.n.table += mult * max(kb(old), kb(item))
	for _, idx := range [][2]string{{"GSI1PK", "GSI1SK"}, {"GSI2PK", "GSI2SK"}} {
		oldKey, oldIn := indexKey(old, idx)
		newKey, newIn := indexKey(item, idx)
		switch {
		case oldIn && newIn && oldKey != newKey:
			c.n.index += kb(old) + kb(item)
		case oldIn && newIn:
			if !reflect.DeepEqual(old, item) {
				c.n.index += kb(item)
			}
		case oldIn:
			c.n.index += kb(old)
		case newIn:
			c.n.index += kb(item)
		}
	}
	if item == nil {
		delete(c.items, k)
	} else {
		c.items[k] = item
	}
}

func indexKey(item map[string]types.AttributeValue, idx [2]string) ([2]string, bool) {
	pk, ok1 := item[idx[0]].(*types.AttributeValueMemberS)
	sk, ok2 := item[idx[1]].(*types.AttributeValueMemberS)
	if !ok1 || !ok2 {
		return [2]string{}, false
	}
	return [2]string{pk.Value, sk.Value}, true
}

func (c *modelClient) PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	out, err := c.Client.PutItem(ctx, in, opts...)
	if err == nil {
		c.write(itemKey(in.Item), in.Item, false)
	}
	return out, err
}

func (c *modelClient) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	out, err := c.Client.DeleteItem(ctx, in, opts...)
	if err == nil {
		c.write(itemKey(in.Key), nil, false)
	}
	return out, err
}

func (c *modelClient) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	out, err := c.Client.TransactWriteItems(ctx, in, opts...)
	if err == nil {
		for _, it := range in.TransactItems {
			switch {
			case it.Put != nil:
				c.write(itemKey(it.Put.Item), it.Put.Item, true)
			case it.Delete != nil:
				c.write(itemKey(it.Delete.Key), nil, true)
			}
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

package inbound

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/token"
)

// BenchmarkInboundReply handles leaders' replies end to end on the local
// servers — S3 read, parse, route, the store's write — on DynamoDB Local
// when it runs (COACHMAIL_DYNAMODB_ENDPOINT), else on minidyn. It reports
// latency percentiles and the write units the server says it consumed per
// message (DynamoDB Local reports 2 for any transaction, whatever its size:
// see internal/dynamo's notes).
func BenchmarkInboundReply(b *testing.B) {
	servers := dynamotest.Servers(b)
	srv := servers[len(servers)-1]
	for _, tc := range []struct {
		name, body string
		statuses   int
	}{
		{"focus", "My focus: the pricing decision I keep putting off.\n", 0},
		{"focus+2status", gmailReply, 2},
	} {
		b.Run(srv.Name+"/"+tc.name, func(b *testing.B) {
			e := newEnv(b, srv)
			lat := make([]time.Duration, 0, b.N)
			var written float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Each reply answers its own prompt, with commitments of
				// its own: a leader's week, not one reply replayed.
				b.StopTimer()
				var ids []string
				if tc.statuses > 0 {
					ids = e.commitments("Draft the hiring plan", "Talk to the CFO")
				}
				tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, ids)
				raw := msg(leaderAddr, token.ReplyAddress(tok, domain), "Re: Before our session", "", tc.body)
				b.SetBytes(int64(len(raw)))
				id := fmt.Sprintf("bench%08d%s", i, coaching.NewID())
				if err := e.raw.Put(e.ctx, e.raw.Key(id), []byte(raw)); err != nil {
					b.Fatal(err)
				}
				before := e.store.Usage().WriteUnits
				b.StartTimer()
				start := time.Now()
				res, err := e.deliverID(id, func(r *events.SimpleEmailReceipt) { r.Recipients = []string{token.ReplyAddress(tok, domain)} })
				lat = append(lat, time.Since(start))
				written += e.store.Usage().WriteUnits - before
				if err != nil || res.Outcome != Applied {
					b.Fatalf("reply %d: %+v, %v", i, res, err)
				}
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(written/float64(b.N), "WCU/msg")
		})
	}
}

package cycle_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/outbox"
	"github.com/coachmail/coachmail/internal/ses"
	"github.com/coachmail/coachmail/internal/sestest"
	"github.com/coachmail/coachmail/internal/token"
	"github.com/coachmail/coachmail/templates"
)

// BenchmarkDispatch measures the dispatcher on the local servers: due
// emails claimed, rendered and handed to a local SES-compatible server (the
// outbox), per second, and the capacity units each email consumed. One op
// is one email; the due records are made before the timer starts, 100 per
// session. DynamoDB Local is used when it runs, else minidyn.
func BenchmarkDispatch(b *testing.B) {
	servers := dynamotest.Servers(b)
	srv := servers[len(servers)-1]
	b.Run(srv.Name, func(b *testing.B) {
		ctx := context.Background()
		client, table := dynamotest.NewTable(b, srv)
		store := dynamo.New(client, table)
		out, err := outbox.New(b.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			b.Fatal(err)
		}
		sesSrv := httptest.NewServer(out.SESHandler())
		b.Cleanup(sesSrv.Close)
		keys, _ := token.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{3}, 32)})
		tmpl, err := templates.New()
		if err != nil {
			b.Fatal(err)
		}
		clock := coaching.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		d := &cycle.Dispatcher{
			Store: store, Clock: clock, Sender: ses.New(sestest.Client(sesSrv.URL), ""), Temporary: ses.IsTemporary,
			Templates: tmpl, Keys: keys, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			From: fromAddr, Practice: "Northwind Coaching", IntakeDomain: domain, Batch: 500,
		}
		if err := store.CreateCoach(ctx, coaching.Coach{ID: "coach1", Email: coachAddr, Name: "Robin Coach", TimeZone: "UTC"}); err != nil {
			b.Fatal(err)
		}
		if err := store.CreateLeader(ctx, coaching.Leader{ID: "leader1", Email: leaderAddr, Name: "Dana Lee", CoachID: "coach1"}); err != nil {
			b.Fatal(err)
		}
		for made := 0; made < b.N; {
			s := coaching.Session{ID: coaching.NewID(), CoachID: "coach1", LeaderIDs: []string{"leader1"}, Start: clock.Now().Add(24 * time.Hour), End: clock.Now().Add(25 * time.Hour), Status: coaching.SessionScheduled, CreatedAt: clock.Now()}
			if err := store.CreateSession(ctx, s); err != nil {
				b.Fatal(err)
			}
			var batch []coaching.ScheduledEmail
			for i := 0; i < 100 && made < b.N; i++ {
				batch = append(batch, coaching.ScheduledEmail{ID: coaching.NewID(), Kind: coaching.EmailPrompt, SessionID: s.ID, LeaderID: "leader1", CoachID: "coach1", Due: clock.Now().Add(-time.Minute), State: coaching.EmailPending})
				made++
			}
			if err := store.ScheduleEmails(ctx, batch); err != nil {
				b.Fatal(err)
			}
		}
		before := store.Usage()
		b.ResetTimer()
		sent := 0
		for sent < b.N {
			res, err := d.Run(ctx)
			if err != nil || res.Failed > 0 {
				b.Fatalf("Run = %+v, %v", res, err)
			}
			if res.Sent == 0 {
				b.Fatalf("dispatch stalled after %d of %d", sent, b.N)
			}
			sent += res.Sent
		}
		b.StopTimer()
		used := store.Usage()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "emails/s")
		b.ReportMetric((used.WriteUnits-before.WriteUnits)/float64(b.N), "WCU/email")
		b.ReportMetric((used.ReadUnits-before.ReadUnits)/float64(b.N), "RCU/email")
		if got := len(out.Messages()); got != b.N {
			b.Fatalf("outbox holds %d messages, want %d", got, b.N)
		}
	})
}

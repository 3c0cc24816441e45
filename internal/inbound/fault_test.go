package inbound

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/hostile/faults"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/s3test"
	"github.com/coachmail/coachmail/internal/token"
)

// newFaultEnv is newEnv with fault transports in front of the handler's
// DynamoDB and S3 clients. The SDK's own retries are off, so that every
// injected fault reaches coachmail's code: the harshest case. The
// transports start without rules; the test sets them after the seeding.
func newFaultEnv(t *testing.T, srv dynamotest.Server) (*env, *faults.Transport, *faults.Transport) {
	t.Helper()
	ctx := context.Background()
	client, table := dynamotest.NewTable(t, srv)
	ddb := faults.New(faults.DynamoDB, nil, 11)
	store := dynamo.New(dynamodb.New(client.Options(), func(o *dynamodb.Options) {
		o.HTTPClient, o.RetryMaxAttempts = ddb.Client(), 1
	}), table)
	s3f := faults.New(faults.S3, nil, 12)
	raw := rawmail.New(s3.New(s3test.Start(t, "raw").Options(), func(o *s3.Options) {
		o.HTTPClient, o.RetryMaxAttempts = s3f.Client(), 1
	}), "raw", "inbound/")
	keys, err := token.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	clock := coaching.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	e := &env{t: t, ctx: ctx, store: store, raw: raw, clock: clock, keys: keys, logs: logs}
	e.h = &Handler{
		Store: store, Raw: raw, Keys: keys, Clock: clock, Log: log,
		Cycle:        &cycle.Cycle{Store: store, Clock: clock, Log: log},
		IntakeDomain: domain, NotesAddress: notesAddr, MaxMessage: 40 << 20,
	}
	e.coach = coaching.Coach{ID: "coach1", Email: coachAddr, Name: "Robin Coach", TimeZone: "Europe/London", CreatedAt: clock.Now()}
	e.leader = coaching.Leader{ID: "leader1", Email: leaderAddr, Name: "Dana Lee", CoachID: "coach1", TimeZone: "Europe/London", CreatedAt: clock.Now()}
	if err := store.CreateCoach(ctx, e.coach); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateLeader(ctx, e.leader); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if e.session, err = e.h.Cycle.AddSession(ctx, coaching.Session{CoachID: "coach1", LeaderIDs: []string{"leader1"}, Start: start, End: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return e, ddb, s3f
}

// untilAcked plays SES and Lambda's retries: it hands r to the handler
// until Handle acknowledges it, at most tries times, each call with its
// own deadline. It returns the last result, the attempts made and the
// last error.
func (e *env) untilAcked(r Receipt, tries int) (Result, int, error) {
	var (
		res Result
		err error
	)
	for i := 1; i <= tries; i++ {
		ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
		res, err = e.h.Handle(ctx, r)
		cancel()
		if err == nil {
			return res, i, nil
		}
	}
	return res, tries, err
}

// Injected faults in DynamoDB and S3 never lose an inbound message nor
// apply one twice: Handle either returns an error (and a retry succeeds
// later) or acknowledges it applied, ignored or quarantined, exactly once.
func TestFaultsLoseNothing(t *testing.T) {
	// By chance, not every Nth: a handler makes two writes per message
	// (its claim, then the change), and every second write would fail at
	// the same one each time.
	writes := func(m faults.Mode) []faults.Rule {
		return []faults.Rule{{Operation: "TransactWriteItems", Chance: 0.4, Mode: m}, {Operation: "PutItem", Chance: 0.4, Mode: m}}
	}
	tests := []struct {
		name    string
		ddb, s3 []faults.Rule
	}{
		{"two writes in five fail before the server", writes(faults.ServerError), nil},
		{"two writes in five applied and their answer lost", writes(faults.LoseAnswer), nil},
		{"a third of reads throttled", []faults.Rule{{Operation: "GetItem", Chance: 0.3, Mode: faults.Throttle}, {Operation: "Query", Chance: 0.3, Mode: faults.Throttle}}, nil},
		{"every second S3 GetObject times out", nil, []faults.Rule{{Operation: "GetObject", Every: 2, Mode: faults.Timeout, Delay: 20 * time.Millisecond}}},
		{"S3 GetObject fails and slows down", nil, []faults.Rule{{Operation: "GetObject", Every: 3, Mode: faults.ServerError}, {Operation: "GetObject", Every: 2, Mode: faults.Throttle}}},
		{"a fifth of all calls fail in every way", []faults.Rule{
			{Chance: 0.1, Mode: faults.ServerError}, {Chance: 0.05, Mode: faults.Throttle},
			{Operation: "TransactWriteItems", Chance: 0.1, Mode: faults.LoseAnswer}, {Operation: "PutItem", Chance: 0.1, Mode: faults.LoseAnswer},
		}, []faults.Rule{{Operation: "GetObject", Chance: 0.2, Mode: faults.Timeout, Delay: 10 * time.Millisecond}}},
	}
	for _, srv := range dynamotest.Servers(t) {
		for _, tt := range tests {
			t.Run(srv.Name+"/"+tt.name, func(t *testing.T) {
				e, ddb, s3f := newFaultEnv(t, srv)
				faultsLoseNothing(t, e, ddb, s3f, tt.ddb, tt.s3)
			})
		}
	}
}

func faultsLoseNothing(t *testing.T, e *env, ddb, s3f *faults.Transport, ddbRules, s3Rules []faults.Rule) {
	ids := e.commitments("Draft the hiring plan", "Talk to the CFO")
	tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, ids)
	reply := token.ReplyAddress(tok, domain)

	type delivery struct {
		id, kind string
		r        Receipt
	}
	var all []delivery
	add := func(kind, raw string, rcpt string) {
		id := fmt.Sprintf("fault-%s-%02d-%s", kind, len(all), coaching.NewID())
		if err := e.raw.Put(e.ctx, e.raw.Key(id), []byte(raw)); err != nil {
			t.Fatal(err)
		}
		all = append(all, delivery{id, kind, Receipt{MessageID: id, Recipients: []string{rcpt}, SPF: Pass, DKIM: Pass, DMARC: Pass, Spam: Pass, Virus: Pass}})
	}
	const replies = 8
	for i := range replies {
		add("reply", msg(leaderAddr, reply, "Re: hi", "", fmt.Sprintf("My focus, take %d, is the pricing decision.\n\n2 not yet, reason %d\n", i, i)), reply)
	}
	add("stranger", msg("someone@else.example", notesAddr, "hello", "", "Hi there\n"), notesAddr)
	add("stranger", msg("other@else.example", notesAddr, "hello", "", "Hi again\n"), notesAddr)
	add("autoreply", msg(leaderAddr, reply, "Out of Office: Re: hi", "Auto-Submitted: auto-replied\r\n", "Away.\n"), reply)

	ddb.Set(ddbRules...)
	s3f.Set(s3Rules...)
	attempts := 0
	for _, d := range all {
		res, n, err := e.untilAcked(d.r, 40)
		attempts += n
		if err != nil {
			t.Errorf("%s: still failing after %d attempts: %v", d.id, n, err)
			continue
		}
		want := map[string][]string{"reply": {Applied, Duplicate}, "stranger": {Quarantined, Duplicate}, "autoreply": {Ignored, Duplicate}}[d.kind]
		if res.Outcome != want[0] && res.Outcome != want[1] {
			t.Errorf("%s: outcome %s, want %s", d.id, res.Outcome, strings.Join(want, " or "))
		}
	}
	injected := ddb.Faults("") + s3f.Faults("")
	ddb.Set()
	s3f.Set()
	if injected == 0 {
		t.Fatalf("no fault was injected")
	}

	for _, d := range all {
		in, err := e.store.InboundByID(e.ctx, d.id)
		want := map[string]string{"reply": Applied, "stranger": Quarantined, "autoreply": Ignored}[d.kind]
		if err != nil || in.Outcome != want || in.RawKey != e.raw.Key(d.id) {
			t.Errorf("%s: inbound record %+v, %v; want outcome %s and the raw key", d.id, in, err, want)
		}
		if _, err := e.raw.Get(e.ctx, e.raw.Key(d.id), 1<<20); err != nil {
			t.Errorf("%s: raw message: %v, want it kept", d.id, err)
		}
	}
	answers, err := e.store.FocusAnswers(e.ctx, e.leader.ID, 100)
	if err != nil || len(answers) != replies {
		t.Errorf("focus answers = %d, %v; want %d, one per reply", len(answers), err, replies)
	}
	cs, err := e.store.Commitments(e.ctx, e.leader.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	reported := map[string]int{}
	for _, c := range cs {
		for _, h := range c.History {
			if h.Event == coaching.EventReported {
				reported[h.Source]++
			}
		}
	}
	for _, d := range all {
		if d.kind == "reply" && reported[d.id] != 1 {
			t.Errorf("%s: status reported %d times, want once", d.id, reported[d.id])
		}
	}
	qs, err := e.store.Quarantined(e.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	quarantined := map[string]int{}
	for _, q := range qs {
		quarantined[q.ID]++
	}
	for _, d := range all {
		if d.kind == "stranger" && quarantined[d.id] != 1 {
			t.Errorf("%s: quarantined %d times, want once", d.id, quarantined[d.id])
		}
	}
	t.Logf("%d messages, %d faults injected, %d Handle calls", len(all), injected, attempts)
}

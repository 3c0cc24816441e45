package cycle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/mail"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/hostile/faults"
	"github.com/coachmail/coachmail/internal/inbound"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/s3test"
	"github.com/coachmail/coachmail/internal/ses"
	"github.com/coachmail/coachmail/internal/sestest"
	"github.com/coachmail/coachmail/internal/token"
	"github.com/coachmail/coachmail/templates"
)

// faultLease is the dispatcher's lease in these tests.
const faultLease = 5 * time.Minute

// faultWorld is a world whose DynamoDB and SES clients go through fault
// transports (the SDK's own retries off, so that every fault reaches
// coachmail's code), and which records what the SES server accepted,
// below the faults: what was really sent, lost answers included.
type faultWorld struct {
	*world
	ddb, ses *faults.Transport
	accepted *acceptedMail
	start    time.Time // of every session made by leaders
}

// newFaultWorld makes a faultWorld on srv, sending to the local SES server
// at sesURL (tests share one: what it keeps is not what they check).
func newFaultWorld(t *testing.T, srv dynamotest.Server, sesURL string) *faultWorld {
	t.Helper()
	ctx := context.Background()
	client, table := dynamotest.NewTable(t, srv)
	ddb := faults.New(faults.DynamoDB, nil, 21)
	store := dynamo.New(dynamodb.New(client.Options(), func(o *dynamodb.Options) {
		o.HTTPClient, o.RetryMaxAttempts = ddb.Client(), 1
	}), table)
	raw := rawmail.New(s3test.Start(t, "raw"), "raw", "inbound/")
	keys, err := token.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{9}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	acc := &acceptedMail{next: http.DefaultTransport.(*http.Transport).Clone()}
	sesf := faults.New(faults.SES, acc, 22)
	sesClient := sesv2.New(sestest.Client(sesURL).Options(), func(o *sesv2.Options) {
		o.HTTPClient, o.RetryMaxAttempts = sesf.Client(), 1
	})
	clock := coaching.NewManualClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cyc := &cycle.Cycle{Store: store, Clock: clock, Log: log}
	rec := &recorder{next: ses.New(sesClient, "")}
	w := &world{t: t, ctx: ctx, clock: clock, store: store, raw: raw, rec: rec, sesURL: sesURL}
	w.in = &inbound.Handler{Store: store, Raw: raw, Keys: keys, Cycle: cyc, Clock: clock, Log: log, IntakeDomain: domain, NotesAddress: notesAddr}
	w.disp = &cycle.Dispatcher{
		Store: store, Clock: clock, Sender: rec, Temporary: ses.IsTemporary, Templates: tmpl, Keys: keys, Log: log,
		From: fromAddr, Practice: "Northwind Coaching", IntakeDomain: domain, UnsubscribeURL: "https://unsub.practice.example/u",
		Lease: faultLease,
	}
	if err := store.CreateCoach(ctx, coaching.Coach{ID: "coach1", Email: coachAddr, Name: "Robin Coach", Practice: "Northwind Coaching", TimeZone: "Europe/London"}); err != nil {
		t.Fatal(err)
	}
	return &faultWorld{world: w, ddb: ddb, ses: sesf, accepted: acc, start: time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC)}
}

// leaders adds n leaders, each with one open commitment and a session at
// fw.start, and returns them with their sessions.
func (fw *faultWorld) leaders(n int) ([]coaching.Leader, []coaching.Session) {
	fw.t.Helper()
	var ls []coaching.Leader
	var ss []coaching.Session
	for i := range n {
		l := coaching.Leader{ID: coaching.NewID(), Email: fmt.Sprintf("leader%02d@example.org", i), Name: fmt.Sprintf("Lee %02d", i), CoachID: "coach1", TimeZone: "Europe/London"}
		if err := fw.store.CreateLeader(fw.ctx, l); err != nil {
			fw.t.Fatal(err)
		}
		c := coaching.Commitment{ID: coaching.NewID(), LeaderID: l.ID, SessionID: "earlier", Text: "Draft the hiring plan", Status: coaching.CommitmentOpen, CreatedAt: fw.clock.Now()}
		c.Record(coaching.StatusChange{At: fw.clock.Now(), Event: coaching.EventMade, Status: coaching.CommitmentOpen})
		seed := coaching.Change{Inbound: coaching.InboundMessage{ID: "seed-" + l.ID, ReceivedAt: fw.clock.Now(), Route: coaching.RouteNotes, Outcome: inbound.Applied}, Commitments: []coaching.Commitment{c}}
		if err := fw.store.Apply(fw.ctx, seed); err != nil {
			fw.t.Fatal(err)
		}
		s, err := fw.in.Cycle.AddSession(fw.ctx, coaching.Session{CoachID: "coach1", LeaderIDs: []string{l.ID}, Start: fw.start, End: fw.start.Add(time.Hour)})
		if err != nil {
			fw.t.Fatal(err)
		}
		ls, ss = append(ls, l), append(ss, s)
	}
	return ls, ss
}

// acceptedMail is an http.RoundTripper in front of the SES server that
// records the Message-ID header of each raw message the server accepted.
type acceptedMail struct {
	next http.RoundTripper
	mu   sync.Mutex
	ids  []string
}

func (a *acceptedMail) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := a.next.RoundTrip(req)
	if err != nil || resp.StatusCode/100 != 2 || faults.Operation(faults.SES, req) != "SendEmail" {
		return resp, err
	}
	var in struct {
		Content struct{ Raw struct{ Data []byte } }
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("accepted: decode SendEmail: %w", err)
	}
	m, err := mail.ReadMessage(bytes.NewReader(in.Content.Raw.Data))
	if err != nil {
		return nil, fmt.Errorf("accepted: read raw message: %w", err)
	}
	a.mu.Lock()
	a.ids = append(a.ids, m.Header.Get("Message-Id"))
	a.mu.Unlock()
	return resp, nil
}

// counts returns how many times each Message-ID was accepted.
func (a *acceptedMail) counts() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := map[string]int{}
	for _, id := range a.ids {
		n[strings.Trim(id, "<>")]++
	}
	return n
}

// Faults in the send path never leave an email stuck after the lease, and
// never send one twice unless the fault came after SES accepted it (its
// answer lost, or the sent record's write failing): then it is sent again
// after the lease with the same Message-ID, which receiving systems use to
// drop the copy.
func TestDispatchFaults(t *testing.T) {
	tests := []struct {
		name    string
		ddb     []faults.Rule
		ses     []faults.Rule
		resends bool // the fault can come after SES accepted the message
	}{
		{name: "SES throttles every second send", ses: []faults.Rule{{Operation: "SendEmail", Every: 2, Mode: faults.Throttle}}},
		{name: "SES fails every third send", ses: []faults.Rule{{Operation: "SendEmail", Every: 3, Mode: faults.ServerError}}},
		{name: "SES times out every second send", ses: []faults.Rule{{Operation: "SendEmail", Every: 2, Mode: faults.Timeout, Delay: 20 * time.Millisecond}}},
		{name: "every second claim fails", ddb: []faults.Rule{{Operation: "PutItem", Every: 2, Mode: faults.ServerError}}},
		{name: "a third of reads throttled", ddb: []faults.Rule{{Operation: "GetItem", Chance: 0.3, Mode: faults.Throttle}, {Operation: "Query", Chance: 0.3, Mode: faults.Throttle}}},
		{name: "every second sent record applied, its answer lost", ddb: []faults.Rule{{Operation: "TransactWriteItems", Every: 2, Mode: faults.LoseAnswer}}},
		{name: "every second sent record fails after the send", ddb: []faults.Rule{{Operation: "TransactWriteItems", Every: 2, Mode: faults.ServerError}}, resends: true},
		{name: "SES accepts every second send and its answer is lost", ses: []faults.Rule{{Operation: "SendEmail", Every: 2, Mode: faults.LoseAnswer}}, resends: true},
	}
	sesURL := sestest.Start(t)
	for _, srv := range dynamotest.Servers(t) {
		for _, tt := range tests {
			t.Run(srv.Name+"/"+tt.name, func(t *testing.T) {
				fw := newFaultWorld(t, srv, sesURL)
				_, sessions := fw.leaders(4)
				fw.ddb.Set(tt.ddb...)
				fw.ses.Set(tt.ses...)
				at := fw.start.Add(-2 * time.Hour) // every prompt and brief is due
				for round := range 6 {
					fw.clock.Set(at.Add(time.Duration(round) * (faultLease + time.Second)))
					if _, err := fw.disp.Run(fw.ctx); err != nil {
						t.Logf("round %d: %v", round, err)
					}
				}
				injected := fw.ddb.Faults("") + fw.ses.Faults("")
				resendFaults := fw.ddb.Faults("TransactWriteItems") + fw.ses.Faults("SendEmail")
				fw.ddb.Set()
				fw.ses.Set()
				fw.clock.Set(at.Add(6 * (faultLease + time.Second)))
				if res, err := fw.disp.Run(fw.ctx); err != nil || res.Retry+res.Failed > 0 {
					t.Errorf("healed run = %+v, %v", res, err)
				}
				if injected == 0 {
					t.Fatal("no fault was injected")
				}
				counts := fw.accepted.counts()
				extra := 0
				for _, s := range sessions {
					emails, err := fw.store.EmailsOfSession(fw.ctx, s.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range emails {
						switch n := counts[e.MessageID]; {
						case e.State != coaching.EmailSent:
							t.Errorf("%s email %s is %s after the lease, want sent", e.Kind, e.ID, e.State)
						case n == 0:
							t.Errorf("%s email %s is marked sent but SES never accepted %s", e.Kind, e.ID, e.MessageID)
						case n > 1 && !tt.resends:
							t.Errorf("%s email %s was accepted by SES %d times", e.Kind, e.ID, n)
						default:
							extra += n - 1
						}
					}
				}
				if extra > resendFaults {
					t.Errorf("%d resends for %d faults after the send, want at most one each", extra, resendFaults)
				}
				t.Logf("%d faults injected; SES accepted %d messages, %d of them resends (same Message-ID)", injected, len(fw.accepted.ids), extra)
			})
		}
	}
}

// killAfterClaim stops the dispatcher right after its first claim
// succeeds, as a crash or a Lambda timeout would: nothing after the claim
// happens (the context is cancelled, so no send and no write goes out).
type killAfterClaim struct {
	coaching.Store
	kill    context.CancelFunc
	once    sync.Once
	claimed string
}

func (k *killAfterClaim) ClaimEmail(ctx context.Context, e coaching.ScheduledEmail, now, leaseUntil time.Time) (coaching.ScheduledEmail, error) {
	c, err := k.Store.ClaimEmail(ctx, e, now, leaseUntil)
	if err == nil {
		k.once.Do(func() { k.claimed = e.ID; k.kill() })
	}
	return c, err
}

// A dispatcher killed between claim and send leaves the email claimed; no
// other run sends it before the lease ends, the first run after sends it,
// once.
func TestDispatchKilledBetweenClaimAndSend(t *testing.T) {
	sesURL := sestest.Start(t)
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			fw := newFaultWorld(t, srv, sesURL)
			_, sessions := fw.leaders(3)
			at := fw.start.Add(-2 * time.Hour)
			fw.clock.Set(at)
			ctx, kill := context.WithCancel(fw.ctx)
			dying := *fw.disp
			k := &killAfterClaim{Store: fw.store, kill: kill}
			dying.Store = k
			dying.Run(ctx)
			if k.claimed == "" || len(fw.accepted.ids) != 0 {
				t.Fatalf("killed run claimed %q and sent %d, want one claim and nothing sent", k.claimed, len(fw.accepted.ids))
			}
			first, err := fw.disp.Run(fw.ctx) // within the lease
			if err != nil {
				t.Fatal(err)
			}
			if n := fw.accepted.counts(); len(n) != 5 {
				t.Errorf("run within the lease sent %d, want the 5 unclaimed", len(n))
			}
			fw.clock.Set(at.Add(faultLease + time.Second))
			after, err := fw.disp.Run(fw.ctx)
			if err != nil || after.Sent != 1 {
				t.Errorf("run after the lease = %+v, %v; want the claimed email sent", after, err)
			}
			counts := fw.accepted.counts()
			for _, s := range sessions {
				emails, _ := fw.store.EmailsOfSession(fw.ctx, s.ID)
				for _, e := range emails {
					if e.State != coaching.EmailSent || counts[e.MessageID] != 1 {
						t.Errorf("%s email %s: %s, accepted %d times; want sent once", e.Kind, e.ID, e.State, counts[e.MessageID])
					}
				}
			}
			t.Logf("killed after claiming %s; then %+v within the lease, %+v after it", k.claimed, first, after)
		})
	}
}

// Two dispatchers and twenty inbound handlers at once on one table: every
// due brief is sent once, every reply is applied once, the replies that
// race on the same commitment are retried as Lambda would retry them, and
// the race detector sees nothing.
func TestConcurrentDispatchersAndInbound(t *testing.T) {
	sesURL := sestest.Start(t)
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			fw := newFaultWorld(t, srv, sesURL)
			leaders, _ := fw.leaders(10)
			// The prompts go out first, one run.
			fw.clock.Set(fw.start.Add(-24 * time.Hour))
			if res, err := fw.disp.Run(fw.ctx); err != nil || res.Sent != len(leaders) {
				t.Fatalf("prompts: %+v, %v", res, err)
			}
			prompts := map[string]sent{}
			for _, s := range fw.rec.take() {
				prompts[s.to] = s
			}
			// Two replies per leader, both about commitment 1.
			type delivery struct {
				id     string
				leader coaching.Leader
			}
			var in []delivery
			for _, l := range leaders {
				for j, body := range []string{"Hiring is the thing.\n\n1 not yet, waiting on budget\n", "Actually pricing.\n\n1 done\n"} {
					id := fmt.Sprintf("conc-%s-%d", l.ID, j)
					if err := fw.raw.Put(fw.ctx, fw.raw.Key(id), []byte(replyTo(prompts[l.Email], l.Email, body))); err != nil {
						t.Fatal(err)
					}
					in = append(in, delivery{id, l})
				}
			}
			fw.clock.Set(fw.start.Add(-2 * time.Hour)) // the briefs are due
			var wg sync.WaitGroup
			var mu sync.Mutex
			var sentByRuns, retries int
			for range 2 {
				wg.Go(func() {
					for range 20 {
						res, err := fw.disp.Run(fw.ctx)
						if err != nil {
							t.Errorf("dispatcher: %v", err)
							return
						}
						mu.Lock()
						sentByRuns += res.Sent
						mu.Unlock()
						if res.Sent+res.Retry+res.Lost == 0 {
							return
						}
					}
				})
			}
			for _, d := range in {
				wg.Go(func() {
					r := inbound.Receipt{MessageID: d.id, Recipients: []string{prompts[d.leader.Email].msg.Header.Get("Reply-To")}, SPF: inbound.Pass, DKIM: inbound.Pass, DMARC: inbound.Pass}
					r.Recipients[0] = strings.Trim(r.Recipients[0], "<>")
					for try := range 20 {
						res, err := fw.in.Handle(fw.ctx, r)
						if err == nil {
							if res.Outcome != inbound.Applied && res.Outcome != inbound.Duplicate {
								t.Errorf("%s: %+v, want applied", d.id, res)
							}
							return
						}
						mu.Lock()
						retries++
						mu.Unlock()
						time.Sleep(time.Duration(try+1) * 5 * time.Millisecond)
					}
					t.Errorf("%s: not applied after 20 tries", d.id)
				})
			}
			wg.Wait()

			counts := fw.accepted.counts()
			total := 0
			for id, n := range counts {
				if n != 1 {
					t.Errorf("message %s accepted %d times, want once", id, n)
				}
				total++
			}
			if total != len(leaders)*2 || sentByRuns != len(leaders) {
				t.Errorf("SES accepted %d messages in all and the racing runs sent %d; want %d prompts before and %d briefs by the racing runs", total, sentByRuns, len(leaders), len(leaders))
			}
			for _, l := range leaders {
				answers, err := fw.store.FocusAnswers(fw.ctx, l.ID, 10)
				if err != nil || len(answers) != 2 {
					t.Errorf("%s: focus answers = %d, %v; want 2", l.Email, len(answers), err)
				}
				cs, err := fw.store.Commitments(fw.ctx, l.ID, false)
				if err != nil || len(cs) != 1 {
					t.Fatalf("%s: commitments = %v, %v", l.Email, cs, err)
				}
				var sources []string
				for _, h := range cs[0].History {
					if h.Event == coaching.EventReported {
						sources = append(sources, h.Source)
					}
				}
				sort.Strings(sources)
				if want := []string{"conc-" + l.ID + "-0", "conc-" + l.ID + "-1"}; strings.Join(sources, ",") != strings.Join(want, ",") {
					t.Errorf("%s: status reports from %q, want one from each reply %q", l.Email, sources, want)
				}
			}
			t.Logf("%d replies applied with %d retries after conflicts; %d briefs sent by two racing dispatchers", len(in), retries, sentByRuns)
		})
	}
}

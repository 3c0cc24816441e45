package feedback

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
)

const (
	danaAddr   = "dana.lee@example.org"  // leader of coach1, in the fixtures
	samAddr    = "sam.ortiz@example.net" // leader of coach2
	coach1Addr = "robin@practice.example"
	coach2Addr = "kim@other-practice.example"
)

// env is a handler on a fresh table of a real local DynamoDB server, with
// two coaches and a leader of each.
type env struct {
	t      *testing.T
	ctx    context.Context
	store  *dynamo.Store
	clock  *coaching.ManualClock
	logs   *syncBuffer
	h      *Handler
	dana   coaching.Leader
	sam    coaching.Leader
	coach1 coaching.Coach
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func forEachServer(t *testing.T, f func(t *testing.T, e *env)) {
	t.Helper()
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) {
			t.Parallel()
			f(t, newEnv(t, srv))
		})
	}
}

func newEnv(t *testing.T, srv dynamotest.Server) *env {
	t.Helper()
	ctx := context.Background()
	client, table := dynamotest.NewTable(t, srv)
	store := dynamo.New(client, table)
	clock := coaching.NewManualClock(time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC))
	logs := &syncBuffer{}
	e := &env{t: t, ctx: ctx, store: store, clock: clock, logs: logs}
	e.h = &Handler{Store: store, Clock: clock, Log: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	e.coach1 = coaching.Coach{ID: "coach1", Email: coach1Addr, Name: "Robin Coach", CreatedAt: clock.Now()}
	coach2 := coaching.Coach{ID: "coach2", Email: coach2Addr, Name: "Kim Coach", CreatedAt: clock.Now()}
	e.dana = coaching.Leader{ID: "leader1", Email: danaAddr, Name: "Dana Lee", CoachID: "coach1", CreatedAt: clock.Now()}
	e.sam = coaching.Leader{ID: "leader2", Email: samAddr, Name: "Sam Ortiz", CoachID: "coach2", CreatedAt: clock.Now()}
	for _, c := range []coaching.Coach{e.coach1, coach2} {
		if err := store.CreateCoach(ctx, c); err != nil {
			t.Fatalf("CreateCoach: %v", err)
		}
	}
	for _, l := range []coaching.Leader{e.dana, e.sam} {
		if err := store.CreateLeader(ctx, l); err != nil {
			t.Fatalf("CreateLeader: %v", err)
		}
	}
	return e
}

// fixture returns the content of testdata/name.json.
func fixture(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// event wraps SES notifications in an SNS event as Lambda delivers it, one
// record each, with SNS message ids sns-1, sns-2...
func event(messages ...string) events.SNSEvent {
	var ev events.SNSEvent
	for i, m := range messages {
		ev.Records = append(ev.Records, events.SNSEventRecord{EventSource: "aws:sns", SNS: events.SNSEntity{
			Type: "Notification", MessageID: "sns-" + string(rune('1'+i)), Message: m,
		}})
	}
	return ev
}

func (e *env) handle(ev events.SNSEvent) {
	e.t.Helper()
	if err := e.h.HandleSNS(e.ctx, ev); err != nil {
		e.t.Fatalf("HandleSNS: %v", err)
	}
}

// notices returns the coach notices due now.
func (e *env) notices() []coaching.ScheduledEmail {
	e.t.Helper()
	due, err := e.store.DueEmails(e.ctx, e.clock.Now(), 100)
	if err != nil {
		e.t.Fatalf("DueEmails: %v", err)
	}
	var out []coaching.ScheduledEmail
	for _, em := range due {
		if em.Kind == coaching.EmailNotice {
			out = append(out, em)
		}
	}
	return out
}

func (e *env) suppression(addr string) string {
	e.t.Helper()
	reason, err := e.store.Suppression(e.ctx, addr)
	if err != nil {
		e.t.Fatalf("Suppression: %v", err)
	}
	return reason
}

func (e *env) leader(id string) coaching.Leader {
	e.t.Helper()
	l, err := e.store.LeaderByID(e.ctx, id)
	if err != nil {
		e.t.Fatalf("LeaderByID(%s): %v", id, err)
	}
	return l
}

// noAddressLogged fails when an address of the fixtures reached the logs.
func (e *env) noAddressLogged() {
	e.t.Helper()
	logs := strings.ToLower(e.logs.String())
	for _, a := range []string{"dana.lee", "sam.ortiz", "example.org", "example.net", "robin@", "kim@"} {
		if strings.Contains(logs, a) {
			e.t.Errorf("logs mention %q:\n%s", a, e.logs.String())
		}
	}
}

func TestLambdaEvent(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		data, err := os.ReadFile(filepath.Join("testdata", "sns-event.json"))
		if err != nil {
			t.Fatal(err)
		}
		var ev events.SNSEvent
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatalf("unmarshal the Lambda event: %v", err)
		}
		e.handle(ev)

		if got := e.suppression(danaAddr); got != "bounce" {
			t.Errorf("Suppression = %q, want bounce", got)
		}
		if got := e.leader(e.dana.ID); got.Suppressed != "bounce" || got.Version != 2 {
			t.Errorf("leader = Suppressed %q, Version %d; want bounce, 2 (one write)", got.Suppressed, got.Version)
		}
		ns := e.notices()
		if len(ns) != 1 {
			t.Fatalf("notices = %+v, want one", ns)
		}
		n := ns[0]
		if n.Notice != "bounce" || n.CoachID != "coach1" || n.Address != danaAddr || n.State != coaching.EmailPending ||
			!n.Due.Equal(e.clock.Now()) || n.LeaderID != "" || !strings.Contains(n.Detail, "does not exist") || strings.ContainsAny(n.Detail, "\r\n") {
			t.Errorf("notice = %+v; want a pending bounce notice to coach1 about %s, due now, with the one-line diagnostic", n, danaAddr)
		}
		in, err := e.store.InboundByID(e.ctx, "feedback-0102019a7c40aa01-7d6e5f40-3b2a-4c19-9d8e-7f6a5b4c3d2e-000000-1")
		if err != nil {
			t.Fatalf("InboundByID: %v", err)
		}
		if in.Outcome != Suppressed || in.Route != coaching.RouteBounce || in.LeaderID != e.dana.ID || in.CoachID != "coach1" ||
			!in.Expires.Equal(e.clock.Now().Add(90*24*time.Hour)) {
			t.Errorf("record = %+v; want suppressed, bounce, leader1 of coach1, kept 90 days", in)
		}
		if !strings.Contains(e.logs.String(), `"suppressed":1`) {
			t.Errorf("logs = %s; want the handled line with its counts", e.logs.String())
		}
		e.noAddressLogged()
	})
}

func TestSuppressing(t *testing.T) {
	tests := []struct{ fixture, reason string }{
		{"notification-bounce-permanent", "bounce"},
		{"event-bounce-permanent", "bounce"},
		{"event-bounce-suppression-list", "bounce"},
		{"notification-complaint-abuse", "complaint"},
		{"event-complaint-no-type", "complaint"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			forEachServer(t, func(t *testing.T, e *env) {
				e.handle(event(fixture(t, tt.fixture)))
				if got := e.suppression(danaAddr); got != tt.reason {
					t.Errorf("Suppression = %q, want %q", got, tt.reason)
				}
				if got := e.leader(e.dana.ID).Suppressed; got != tt.reason {
					t.Errorf("leader.Suppressed = %q, want %q", got, tt.reason)
				}
				ns := e.notices()
				if len(ns) != 1 || ns[0].Notice != tt.reason || ns[0].CoachID != "coach1" || ns[0].Address != danaAddr {
					t.Errorf("notices = %+v; want one %s notice to coach1", ns, tt.reason)
				}
				if got := e.leader(e.sam.ID); got.Suppressed != "" || e.suppression(samAddr) != "" {
					t.Errorf("the other leader was touched: %+v", got)
				}
				e.noAddressLogged()
			})
		})
	}
}

func TestRecordedOnly(t *testing.T) {
	for _, name := range []string{"event-bounce-transient", "notification-bounce-undetermined", "event-complaint-not-spam"} {
		t.Run(name, func(t *testing.T) {
			forEachServer(t, func(t *testing.T, e *env) {
				n, err := Decode([]byte(fixture(t, name)))
				if err != nil {
					t.Fatal(err)
				}
				res, err := e.h.Handle(e.ctx, n, "sns-1")
				if err != nil || res.Recorded != 1 || res.Suppressed != 0 || res.Notices != 0 {
					t.Fatalf("Handle = %+v, %v; want one recipient recorded, nothing suppressed", res, err)
				}
				if got := e.suppression(danaAddr); got != "" {
					t.Errorf("Suppression = %q, want none", got)
				}
				if got := e.leader(e.dana.ID); got.Suppressed != "" || got.Version != 1 {
					t.Errorf("leader = %+v; want it unchanged", got)
				}
				if ns := e.notices(); len(ns) != 0 {
					t.Errorf("notices = %+v, want none", ns)
				}
				in, err := e.store.InboundByID(e.ctx, "feedback-"+n.FeedbackID+"-1")
				if err != nil || in.Outcome != Recorded {
					t.Errorf("record = %+v, %v; want one, recorded", in, err)
				}
				// Redelivered: recognised.
				if res, err := e.h.Handle(e.ctx, n, "sns-1"); err != nil || res.Duplicates != 1 || res.Recorded != 0 {
					t.Errorf("Handle again = %+v, %v; want a duplicate", res, err)
				}
			})
		})
	}
}

func TestRedelivery(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		msg := fixture(t, "event-complaint-no-type")
		e.handle(event(msg))
		e.clock.Advance(time.Minute)
		e.handle(event(msg))
		// Two deliveries at once, as SNS may retry while the first still runs.
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = e.h.HandleSNS(e.ctx, event(msg)) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Errorf("concurrent HandleSNS: %v", err)
			}
		}
		e.clock.Advance(time.Minute)
		if ns := e.notices(); len(ns) != 1 {
			t.Errorf("notices = %+v, want exactly one", ns)
		}
		if got := e.leader(e.dana.ID); got.Version != 2 {
			t.Errorf("leader version = %d, want 2 (one write)", got.Version)
		}
	})
}

func TestSuppressedOnce(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		// Two emails bounced for the same address, reported separately.
		e.handle(event(fixture(t, "event-bounce-permanent")))
		n, err := Decode([]byte(fixture(t, "notification-bounce-permanent")))
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.h.Handle(e.ctx, n, "sns-2")
		if err != nil || res.Suppressed != 1 || res.Notices != 0 {
			t.Errorf("second bounce = %+v, %v; want suppressed again, without a notice", res, err)
		}
		if ns := e.notices(); len(ns) != 1 {
			t.Errorf("notices = %+v, want one", ns)
		}
	})
}

func TestSeveralRecipients(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		n, err := Decode([]byte(fixture(t, "event-bounce-multiple")))
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.h.Handle(e.ctx, n, "sns-1")
		if err != nil || res.Suppressed != 2 || res.Notices != 2 {
			t.Fatalf("Handle = %+v, %v; want two suppressed, two notices", res, err)
		}
		for _, l := range []coaching.Leader{e.dana, e.sam} {
			if got := e.leader(l.ID).Suppressed; got != "bounce" {
				t.Errorf("leader %s Suppressed = %q, want bounce", l.ID, got)
			}
		}
		got := map[string]string{}
		for _, em := range e.notices() {
			got[em.CoachID] = em.Address
		}
		if len(got) != 2 || got["coach1"] != danaAddr || got["coach2"] != samAddr {
			t.Errorf("notices by coach = %v; want each coach told of their own leader", got)
		}
		if res, err := e.h.Handle(e.ctx, n, "sns-1"); err != nil || res.Duplicates != 2 {
			t.Errorf("Handle again = %+v, %v; want two duplicates", res, err)
		}
	})
}

func TestNotALeader(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		n := Notification{Type: Bounce, BounceType: Permanent, FeedbackID: "fb-1", Recipients: []Recipient{
			{Address: "nobody@example.com"}, {Address: coach1Addr},
		}}
		res, err := e.h.Handle(e.ctx, n, "sns-1")
		if err != nil || res.Suppressed != 2 || res.Notices != 0 || res.CoachAddresses != 1 {
			t.Fatalf("Handle = %+v, %v; want both suppressed, no notice, one coach address", res, err)
		}
		for _, a := range []string{"nobody@example.com", coach1Addr} {
			if got := e.suppression(a); got != "bounce" {
				t.Errorf("Suppression(%s) = %q, want bounce", a, got)
			}
		}
		if ns := e.notices(); len(ns) != 0 {
			t.Errorf("notices = %+v, want none", ns)
		}
		in, err := e.store.InboundByID(e.ctx, "feedback-fb-1-2")
		if err != nil || in.CoachID != "coach1" || in.LeaderID != "" {
			t.Errorf("record of the coach's address = %+v, %v; want it to name coach1", in, err)
		}
		// Logged through HandleSNS, the coach's address is flagged, not named.
		data, _ := json.Marshal(map[string]any{"eventType": "Complaint", "complaint": map[string]any{
			"feedbackId": "fb-2", "complainedRecipients": []map[string]string{{"emailAddress": coach1Addr}}}})
		e.handle(event(string(data)))
		if !strings.Contains(e.logs.String(), "coach's address is suppressed") {
			t.Errorf("logs = %s; want a warning about the coach's address", e.logs.String())
		}
		e.noAddressLogged()
	})
}

// racingStore changes the leader behind the handler's back once, between
// the handler's read of the leader and its write.
type racingStore struct {
	*dynamo.Store
	once sync.Once
}

func (s *racingStore) LeaderByEmail(ctx context.Context, addr string) (coaching.Leader, error) {
	l, err := s.Store.LeaderByEmail(ctx, addr)
	if err != nil {
		return l, err
	}
	var uerr error
	s.once.Do(func() {
		changed := l
		changed.TimeZone = "America/New_York"
		uerr = s.Store.UpdateLeader(ctx, changed)
	})
	return l, uerr
}

func TestLeaderChangedMeanwhile(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		e.h.Store = &racingStore{Store: e.store}
		e.handle(event(fixture(t, "notification-complaint-abuse")))
		got := e.leader(e.dana.ID)
		if got.Suppressed != "complaint" || got.TimeZone != "America/New_York" {
			t.Errorf("leader = %+v; want suppressed with the concurrent change kept", got)
		}
		if ns := e.notices(); len(ns) != 1 {
			t.Errorf("notices = %+v, want one", ns)
		}
	})
}

// failingStore fails suppressions, as an unreachable table would.
type failingStore struct{ *dynamo.Store }

var errDown = errors.New("connection refused")

func (failingStore) Suppress(context.Context, string, string, time.Time) error { return errDown }

func TestTemporaryFailure(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		ev := event(fixture(t, "event-bounce-permanent"))
		e.h.Store = failingStore{e.store}
		if err := e.h.HandleSNS(e.ctx, ev); !errors.Is(err, errDown) {
			t.Fatalf("HandleSNS = %v, want the store's error returned for a retry", err)
		}
		if !strings.Contains(e.logs.String(), "will be retried") {
			t.Errorf("logs = %s; want the failure logged", e.logs.String())
		}
		// Lambda's retry, with the table back.
		e.h.Store = e.store
		e.handle(ev)
		if got := e.suppression(danaAddr); got != "bounce" {
			t.Errorf("Suppression after the retry = %q, want bounce", got)
		}
		if ns := e.notices(); len(ns) != 1 {
			t.Errorf("notices = %+v, want one", ns)
		}
	})
}

func TestAcknowledged(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		ev := event(fixture(t, "bad-not-json"), fixture(t, "bad-bounce-no-recipients"),
			fixture(t, "event-delivery"), fixture(t, "notification-subscription-succeeded"), "")
		e.handle(ev)
		if got := e.suppression(danaAddr); got != "" {
			t.Errorf("Suppression = %q, want none", got)
		}
		if got := strings.Count(e.logs.String(), "notification rejected"); got != 3 {
			t.Errorf("logged %d rejections, want 3:\n%s", got, e.logs.String())
		}
		if got := strings.Count(e.logs.String(), "feedback: ignored"); got != 2 {
			t.Errorf("logged %d ignored notifications, want 2:\n%s", got, e.logs.String())
		}
		if res, err := e.h.Handle(e.ctx, Notification{Type: Bounce, BounceType: Permanent, Recipients: []Recipient{{Address: danaAddr}}}, ""); !coaching.IsInvalid(err) {
			t.Errorf("Handle without any id = %+v, %v; want EINVALID", res, err)
		}
		e.noAddressLogged()
	})
}

func TestIDPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"0102019a7c40aa01-7d6e-000000", "0102019a7c40aa01-7d6e-000000"},
		{"a.b_c:d", "a.b_c:d"},
	}
	for _, tt := range tests {
		if got := idPart(tt.in); got != tt.want {
			t.Errorf("idPart(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{"has space", "dana@example.org", strings.Repeat("a", 129), "x#y"} {
		got := idPart(in)
		if len(got) != 33 || got[0] != 'h' || got == idPart(in+"!") {
			t.Errorf("idPart(%.40q) = %q; want a distinct 33-character hash", in, got)
		}
	}
}

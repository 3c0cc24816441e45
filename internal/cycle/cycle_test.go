package cycle_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/inbound"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/s3test"
	"github.com/coachmail/coachmail/internal/ses"
	"github.com/coachmail/coachmail/internal/sestest"
	"github.com/coachmail/coachmail/internal/token"
	"github.com/coachmail/coachmail/templates"
)

const (
	domain     = "mail.practice.example"
	notesAddr  = "notes@mail.practice.example"
	fromAddr   = "coach@mail.practice.example"
	coachAddr  = "robin@practice.example"
	leaderAddr = "dana@example.org"
)

// recorder keeps the raw messages handed to the real sender, so the test
// can check the headers the local SES server does not keep.
type recorder struct {
	next cycle.Sender
	mu   sync.Mutex
	sent []sent
}

type sent struct {
	to  string
	raw []byte
	msg *mail.Message
}

func (r *recorder) Send(ctx context.Context, from string, to []string, raw []byte) (string, error) {
	id, err := r.next.Send(ctx, from, to, raw)
	if err == nil {
		m, perr := mail.ReadMessage(bytes.NewReader(raw))
		if perr != nil {
			return "", fmt.Errorf("recorder: sent message does not parse: %w", perr)
		}
		r.mu.Lock()
		r.sent = append(r.sent, sent{to: to[0], raw: raw, msg: m})
		r.mu.Unlock()
	}
	return id, err
}

// take returns and forgets what was sent since the last call.
func (r *recorder) take() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.sent
	r.sent = nil
	return out
}

type world struct {
	t      *testing.T
	ctx    context.Context
	clock  *coaching.ManualClock
	store  *dynamo.Store
	raw    *rawmail.Store
	in     *inbound.Handler
	disp   *cycle.Dispatcher
	rec    *recorder
	sesURL string
	n      int
}

func newWorld(t *testing.T, srv dynamotest.Server) *world {
	t.Helper()
	ctx := context.Background()
	client, table := dynamotest.NewTable(t, srv)
	store := dynamo.New(client, table)
	raw := rawmail.New(s3test.Start(t, "raw"), "raw", "inbound/")
	keys, err := token.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{9}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	sesURL := sestest.Start(t)
	clock := coaching.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	log := slog.New(slog.NewTextHandler(testWriter{t}, nil))
	cyc := &cycle.Cycle{Store: store, Clock: clock, Log: log}
	rec := &recorder{next: ses.New(sestest.Client(sesURL), "")}
	w := &world{t: t, ctx: ctx, clock: clock, store: store, raw: raw, rec: rec, sesURL: sesURL}
	w.in = &inbound.Handler{Store: store, Raw: raw, Keys: keys, Cycle: cyc, Clock: clock, Log: log, IntakeDomain: domain, NotesAddress: notesAddr}
	w.disp = &cycle.Dispatcher{
		Store: store, Clock: clock, Sender: rec, Temporary: ses.IsTemporary, Templates: tmpl, Keys: keys, Log: log,
		From: fromAddr, Practice: "Northwind Coaching", IntakeDomain: domain, NotesAddress: notesAddr,
		UnsubscribeURL: "https://unsub.practice.example/u",
	}
	if err := store.CreateCoach(ctx, coaching.Coach{ID: "coach1", Email: coachAddr, Name: "Robin Coach", Practice: "Northwind Coaching", TimeZone: "Europe/London"}); err != nil {
		t.Fatal(err)
	}
	return w
}

// at moves the clock and runs the dispatcher, returning what it sent.
func (w *world) at(t time.Time) []sent {
	w.t.Helper()
	w.clock.Set(t)
	res, err := w.disp.Run(w.ctx)
	if err != nil || res.Failed > 0 || res.Retry > 0 {
		w.t.Fatalf("dispatch at %v = %+v, %v", t, res, err)
	}
	return w.rec.take()
}

// receive plays SES receiving raw.
func (w *world) receive(raw string) inbound.Result {
	w.t.Helper()
	w.n++
	id := fmt.Sprintf("ses%04d", w.n)
	if err := w.raw.Put(w.ctx, w.raw.Key(id), []byte(raw)); err != nil {
		w.t.Fatal(err)
	}
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		w.t.Fatal(err)
	}
	to, _ := m.Header.AddressList("To")
	var rcpt []string
	for _, a := range to {
		rcpt = append(rcpt, a.Address)
	}
	ev := events.SimpleEmailEvent{Records: []events.SimpleEmailRecord{{SES: events.SimpleEmailService{
		Mail: events.SimpleEmailMessage{MessageID: id},
		Receipt: events.SimpleEmailReceipt{Recipients: rcpt, SPFVerdict: events.SimpleEmailVerdict{Status: "PASS"},
			DKIMVerdict: events.SimpleEmailVerdict{Status: "PASS"}, DMARCVerdict: events.SimpleEmailVerdict{Status: "PASS"},
			SpamVerdict: events.SimpleEmailVerdict{Status: "PASS"}, VirusVerdict: events.SimpleEmailVerdict{Status: "PASS"}},
	}}}}
	rs, err := inbound.Receipts(ev)
	if err != nil {
		w.t.Fatal(err)
	}
	res, err := w.in.Handle(w.ctx, rs[0])
	if err != nil {
		w.t.Fatalf("inbound: %v", err)
	}
	return res
}

func one(t *testing.T, got []sent, to, subject string) sent {
	t.Helper()
	if len(got) != 1 {
		var subs []string
		for _, s := range got {
			subs = append(subs, s.to+": "+s.msg.Header.Get("Subject"))
		}
		t.Fatalf("sent %d emails %q, want one to %s", len(got), subs, to)
	}
	s := got[0]
	if s.to != to || !strings.Contains(decodeSubject(t, s), subject) {
		t.Fatalf("sent to %s subject %q, want to %s with %q", s.to, decodeSubject(t, s), to, subject)
	}
	for _, h := range []string{"Message-Id", "Reply-To", "Auto-Submitted", "Date"} {
		if s.msg.Header.Get(h) == "" {
			t.Errorf("email to %s has no %s header", to, h)
		}
	}
	return s
}

func decodeSubject(t *testing.T, s sent) string {
	t.Helper()
	sub, err := new(mime).DecodeHeader(s.msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	return sub
}

// replyTo builds a leader's Gmail-style reply to a sent email.
func replyTo(s sent, from, body string) string {
	rt := s.msg.Header.Get("Reply-To")
	mid := s.msg.Header.Get("Message-Id")
	return "From: Dana Lee <" + from + ">\r\nTo: " + rt + "\r\nSubject: Re: our session\r\n" +
		"Date: Sun, 6 Dec 2026 11:00:00 +0000\r\nMessage-ID: <" + coaching.NewID() + "@mail.gmail.example>\r\n" +
		"In-Reply-To: " + mid + "\r\nReferences: " + mid + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
		strings.ReplaceAll(body, "\n", "\r\n")
}

func bodyText(t *testing.T, s sent) string {
	t.Helper()
	return textPart(t, s.raw)
}

// TestWholeCycle plays SPEC.md's cycle end to end on real local servers
// (DynamoDB, S3, SES) and a fake clock.
func TestWholeCycle(t *testing.T) {
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) { wholeCycle(t, newWorld(t, srv)) })
	}
}

func wholeCycle(t *testing.T, w *world) {
	london, _ := time.LoadLocation("Europe/London")
	// 1. The coach invites the intake address to a weekly series.
	res := w.receive("From: Robin Coach <" + coachAddr + ">\r\nTo: " + leaderAddr + ", " + notesAddr + "\r\nSubject: Invitation: Coaching\r\n" +
		"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=UTF-8\r\n\r\n" +
		"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:weekly-1@practice.example\r\nSEQUENCE:0\r\n" +
		"DTSTART;TZID=Europe/London:20261207T100000\r\nDTEND;TZID=Europe/London:20261207T110000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n" +
		"SUMMARY:Coaching\r\nORGANIZER;CN=Robin Coach:mailto:" + coachAddr + "\r\nATTENDEE;CN=Dana Lee:mailto:" + leaderAddr + "\r\n" +
		"END:VEVENT\r\nEND:VCALENDAR\r\n")
	if res.Outcome != inbound.Applied {
		t.Fatalf("invitation: %+v", res)
	}
	if got := w.at(time.Date(2026, 12, 6, 9, 59, 0, 0, london)); len(got) != 0 {
		t.Fatalf("sent %d emails before the prompt is due", len(got))
	}
	// 2. The prompt goes out 24 hours before.
	prompt := one(t, w.at(time.Date(2026, 12, 6, 10, 0, 0, 0, london)), leaderAddr, "")
	if txt := bodyText(t, prompt); !strings.Contains(txt, "most important thing") {
		t.Errorf("prompt text lacks the question:\n%s", txt)
	}
	if lu := prompt.msg.Header.Get("List-Unsubscribe"); !strings.Contains(lu, "https://unsub.practice.example/u?t=") {
		t.Errorf("List-Unsubscribe = %q", lu)
	}
	if prompt.msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", prompt.msg.Header.Get("List-Unsubscribe-Post"))
	}
	// 3. The leader replies, Gmail-style, with the quoted prompt.
	w.clock.Set(time.Date(2026, 12, 6, 11, 0, 0, 0, london))
	res = w.receive(replyTo(prompt, leaderAddr, "Honestly? I keep avoiding the roles conversation with my co-founder.\n\nOn Sun, Dec 6, 2026 at 10:00 AM Northwind Coaching <"+fromAddr+"> wrote:\n> What's the most important thing to work on today?\n"))
	if res.Outcome != inbound.Applied {
		t.Fatalf("leader reply: %+v", res)
	}
	// 4. The brief reaches the coach two hours before, with the answer.
	brief := one(t, w.at(time.Date(2026, 12, 7, 8, 0, 0, 0, london)), coachAddr, "")
	if txt := bodyText(t, brief); !strings.Contains(txt, "roles conversation with my co-founder") {
		t.Errorf("brief lacks the focus answer:\n%s", txt)
	} else if subject := brief.msg.Header.Get("Subject"); len(coaching.FindSessionRefs(subject)) != 1 || !strings.Contains(txt, notesAddr) {
		t.Errorf("brief %q lacks the session reference in its subject or the notes address in its text:\n%s", subject, txt)
	}
	// 5. After the session the coach forwards the notes.
	w.clock.Set(time.Date(2026, 12, 7, 11, 30, 0, 0, london))
	res = w.receive("From: Robin Coach <" + coachAddr + ">\r\nTo: " + notesAddr + "\r\nSubject: Fwd: Dana notes\r\n" +
		"Date: Mon, 7 Dec 2026 11:30:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
		"---------- Forwarded message ---------\r\nFrom: Robin Coach <" + coachAddr + ">\r\nDate: Mon, Dec 7, 2026 at 11:10 AM\r\n" +
		"Subject: Dana notes\r\nTo: Dana Lee <" + leaderAddr + ">\r\n\r\n" +
		"Decision: Dana will have the roles conversation this week.\r\nReframe: it's not conflict, it's clarity.\r\n" +
		"Actions:\r\n- Book the conversation with the co-founder by Friday\r\n- Draft the roles document before the board meeting on 15 December\r\n")
	if res.Outcome != inbound.Applied || res.Route != coaching.RouteNotes {
		t.Fatalf("notes: %+v", res)
	}
	if got := w.at(time.Date(2026, 12, 7, 11, 59, 0, 0, london)); len(got) != 0 {
		t.Fatalf("sent %d emails before the review delay passed", len(got))
	}
	// 6. The recap follows the review delay, threaded under the prompt.
	recap := one(t, w.at(time.Date(2026, 12, 7, 12, 0, 0, 0, london)), leaderAddr, "")
	txt := bodyText(t, recap)
	for _, want := range []string{"roles conversation this week", "clarity", "Book the conversation", "11 December"} {
		if !strings.Contains(txt, want) {
			t.Errorf("recap lacks %q:\n%s", want, txt)
		}
	}
	if refs := recap.msg.Header.Get("References"); !strings.Contains(refs, strings.Trim(prompt.msg.Header.Get("Message-Id"), "<>")) {
		t.Errorf("recap References = %q, want the prompt's Message-ID", refs)
	}
	// 7. The reminder, three days before the next session.
	reminder := one(t, w.at(time.Date(2026, 12, 11, 10, 0, 0, 0, london)), leaderAddr, "")
	if txt := bodyText(t, reminder); !strings.Contains(txt, "1.") || !strings.Contains(txt, "Book the conversation") {
		t.Errorf("reminder lacks the numbered commitments:\n%s", txt)
	}
	// 8. The next prompt lists the open commitments, numbered.
	next := one(t, w.at(time.Date(2026, 12, 13, 10, 0, 0, 0, london)), leaderAddr, "")
	txt = bodyText(t, next)
	if i, j := strings.Index(txt, "Book the conversation"), strings.Index(txt, "Draft the roles document"); i < 0 || j < i {
		t.Fatalf("next prompt lacks the commitments in order:\n%s", txt)
	}
	// 9. The leader answers with statuses.
	w.clock.Set(time.Date(2026, 12, 13, 12, 0, 0, 0, london))
	res = w.receive(replyTo(next, leaderAddr, "Pricing is the big one this week.\n\n1 done\n2 not yet, waiting on legal\n"))
	if res.Outcome != inbound.Applied {
		t.Fatalf("status reply: %+v", res)
	}
	leader, err := w.store.LeaderByEmail(w.ctx, leaderAddr)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := w.store.Commitments(w.ctx, leader.ID, false)
	if err != nil || len(cs) != 2 {
		t.Fatalf("commitments = %+v, %v", cs, err)
	}
	if cs[0].Status != coaching.CommitmentDone || cs[1].Status != coaching.CommitmentNotDone || cs[1].History[len(cs[1].History)-1].Comment != "waiting on legal" {
		t.Errorf("commitments after the status reply = %s, %s (%+v)", cs[0].Status, cs[1].Status, cs[1].History)
	}
	// The local SES server received every one of those emails.
	msgs, err := sestest.Messages(w.ctx, w.sesURL)
	if err != nil || len(msgs) != 5 {
		t.Errorf("local SES server holds %d messages, %v; want 5", len(msgs), err)
	}
	for _, m := range msgs {
		if !strings.Contains(m.From, "Northwind Coaching") || len(m.ReplyTo) != 1 || !strings.HasPrefix(m.ReplyTo[0], "reply+") {
			t.Errorf("SES message from %q reply-to %q, want the practice name and a reply+ address", m.From, m.ReplyTo)
		}
	}
}

// testWriter sends log output to the test's log, shown when it fails.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

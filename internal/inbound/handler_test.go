package inbound

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamo"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/rawmail"
	"github.com/coachmail/coachmail/internal/s3test"
	"github.com/coachmail/coachmail/internal/token"
)

const (
	domain     = "mail.practice.example"
	notesAddr  = "notes@mail.practice.example"
	coachAddr  = "coach@practice.example"
	leaderAddr = "dana@example.org"
)

// env is one handler on real local servers: a fresh DynamoDB table and an
// in-process S3-compatible server, with a coach, a leader and a session.
type env struct {
	t       testing.TB
	ctx     context.Context
	h       *Handler
	store   *dynamo.Store
	raw     *rawmail.Store
	clock   *coaching.ManualClock
	keys    *token.Keyring
	coach   coaching.Coach
	leader  coaching.Leader
	session coaching.Session
	logs    *bytes.Buffer
	n       int
}

func newEnv(t testing.TB, srv dynamotest.Server) *env {
	t.Helper()
	ctx := context.Background()
	client, table := dynamotest.NewTable(t, srv)
	store := dynamo.New(client, table)

	s3c := s3test.Start(t, "raw")
	raw := rawmail.New(s3c, "raw", "inbound/")

	keys, err := token.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatalf("keyring: %v", err)
	}
	clock := coaching.NewManualClock(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := &env{t: t, ctx: ctx, store: store, raw: raw, clock: clock, keys: keys, logs: logs}
	e.h = &Handler{
		Store: store, Raw: raw, Keys: keys, Clock: clock, Log: log,
		Cycle:        &cycle.Cycle{Store: store, Clock: clock, Log: log},
		IntakeDomain: domain, NotesAddress: notesAddr, MaxMessage: 40 << 20,
	}
	e.coach = coaching.Coach{ID: "coach1", Email: coachAddr, Name: "Robin Coach", TimeZone: "Europe/London", CreatedAt: clock.Now()}
	if err := store.CreateCoach(ctx, e.coach); err != nil {
		t.Fatalf("CreateCoach: %v", err)
	}
	e.leader = coaching.Leader{ID: "leader1", Email: leaderAddr, Name: "Dana Lee", CoachID: "coach1", TimeZone: "Europe/London", CreatedAt: clock.Now()}
	if err := store.CreateLeader(ctx, e.leader); err != nil {
		t.Fatalf("CreateLeader: %v", err)
	}
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	e.session, err = e.h.Cycle.AddSession(ctx, coaching.Session{CoachID: "coach1", LeaderIDs: []string{"leader1"}, Start: start, End: start.Add(time.Hour)})
	if err != nil {
		t.Fatalf("AddSession: %v", err)
	}
	return e
}

// sent records an email of the session as sent to the leader (or, with
// leaderID "", to the coach), listing the given commitments, and returns
// its reply token and Message-ID.
func (e *env) sent(kind coaching.EmailKind, leaderID string, commitments []string) (tok, messageID string) {
	e.t.Helper()
	em := coaching.ScheduledEmail{ID: coaching.NewID(), Kind: kind, SessionID: e.session.ID, LeaderID: leaderID, CoachID: "coach1", Due: e.clock.Now(), State: coaching.EmailPending}
	if err := e.store.ScheduleEmails(e.ctx, []coaching.ScheduledEmail{em}); err != nil {
		e.t.Fatalf("ScheduleEmails: %v", err)
	}
	em.Version = 1
	em.MessageID = coaching.NewID() + "@" + domain
	claimed, err := e.store.ClaimEmail(e.ctx, em, e.clock.Now(), e.clock.Now().Add(time.Minute))
	if err != nil {
		e.t.Fatalf("ClaimEmail: %v", err)
	}
	ref := coaching.SentRef{MessageID: em.MessageID, TokenID: em.ID, EmailID: em.ID, Kind: kind, SessionID: e.session.ID, LeaderID: leaderID, CoachID: "coach1", Commitments: commitments, SentAt: e.clock.Now(), Expires: e.clock.Now().AddDate(0, 2, 0)}
	if err := e.store.MarkSent(e.ctx, claimed, ref); err != nil {
		e.t.Fatalf("MarkSent: %v", err)
	}
	tok, err = e.keys.Sign(token.Token{ID: em.ID, Purpose: token.Prompt, Expires: e.clock.Now().AddDate(0, 2, 0)})
	if err != nil {
		e.t.Fatalf("Sign: %v", err)
	}
	return tok, em.MessageID
}

// deliver plays SES: it stores raw under a fresh message id, builds the
// Lambda event from testdata/ses-lambda-event.json (changed by edit), and
// hands it to the handler.
func (e *env) deliver(raw string, edit func(*events.SimpleEmailReceipt)) (Result, error) {
	e.t.Helper()
	e.n++
	id := fmt.Sprintf("sesmsg%04d%s", e.n, coaching.NewID())
	if err := e.raw.Put(e.ctx, e.raw.Key(id), []byte(raw)); err != nil {
		e.t.Fatalf("Put: %v", err)
	}
	// The envelope recipients are the message's To addresses, as SES
	// would have them from RCPT TO.
	var rcpt []string
	for _, line := range strings.Split(raw, "\r\n") {
		if to, ok := strings.CutPrefix(line, "To: "); ok {
			for _, a := range strings.Split(to, ",") {
				rcpt = append(rcpt, strings.TrimSpace(a))
			}
			break
		}
	}
	return e.deliverID(id, func(r *events.SimpleEmailReceipt) {
		r.Recipients = rcpt
		if edit != nil {
			edit(r)
		}
	})
}

func (e *env) deliverID(id string, edit func(*events.SimpleEmailReceipt)) (Result, error) {
	e.t.Helper()
	data, err := os.ReadFile("testdata/ses-lambda-event.json")
	if err != nil {
		e.t.Fatal(err)
	}
	ev, err := DecodeEvent(data)
	if err != nil {
		e.t.Fatalf("DecodeEvent: %v", err)
	}
	ev.Records[0].SES.Mail.MessageID = id
	if edit != nil {
		edit(&ev.Records[0].SES.Receipt)
	}
	rs, err := Receipts(ev)
	if err != nil {
		e.t.Fatalf("Receipts: %v", err)
	}
	return e.h.Handle(e.ctx, rs[0])
}

func msg(from, to, subject, extra, body string) string {
	return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject +
		"\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\nMessage-ID: <" + coaching.NewID() + "@mail.example.org>\r\n" +
		extra + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")
}

const gmailReply = `The real thing is that I keep avoiding the conversation with my co-founder about roles.

1 done
2 not yet, budget frozen

On Mon, 30 Nov 2026 at 08:00, Robin Coach <reply+x@mail.practice.example> wrote:
> What's the most important thing to work on today?
>
> 1. Draft the hiring plan
> 2. Talk to the CFO
`

func forEachServer(t *testing.T, f func(t *testing.T, e *env)) {
	for _, srv := range dynamotest.Servers(t) {
		t.Run(srv.Name, func(t *testing.T) { f(t, newEnv(t, srv)) })
	}
}

// commitments makes open commitments for the leader and returns their ids.
func (e *env) commitments(texts ...string) []string {
	e.t.Helper()
	var ids []string
	ch := coaching.Change{Inbound: coaching.InboundMessage{ID: "seed-" + coaching.NewID(), ReceivedAt: e.clock.Now(), Route: coaching.RouteNotes, Outcome: Applied}}
	for _, text := range texts {
		c := coaching.Commitment{ID: coaching.NewID(), LeaderID: e.leader.ID, SessionID: "earlier", Text: text, Status: coaching.CommitmentOpen, CreatedAt: e.clock.Now()}
		c.Record(coaching.StatusChange{At: e.clock.Now(), Event: coaching.EventMade, Status: coaching.CommitmentOpen})
		ch.Commitments = append(ch.Commitments, c)
		ids = append(ids, c.ID)
		e.clock.Advance(time.Second)
	}
	if err := e.store.Apply(e.ctx, ch); err != nil {
		e.t.Fatalf("Apply seed commitments: %v", err)
	}
	return ids
}

func want(t *testing.T, got Result, err error, route coaching.Route, outcome string) {
	t.Helper()
	if err != nil {
		t.Fatalf("Handle error = %v, want none", err)
	}
	if got.Route != route || got.Outcome != outcome {
		t.Fatalf("Handle = %+v, want route %s outcome %s", got, route, outcome)
	}
}

func TestReplyWithToken(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		ids := e.commitments("Draft the hiring plan", "Talk to the CFO")
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, ids)
		raw := msg("Dana Lee <Dana@Example.org>", token.ReplyAddress(tok, domain), "Re: Before our session", "", gmailReply)
		res, err := e.deliver(raw, func(r *events.SimpleEmailReceipt) { r.Recipients = []string{token.ReplyAddress(tok, domain)} })
		want(t, res, err, coaching.RouteReply, Applied)

		answers, err := e.store.FocusAnswers(e.ctx, e.leader.ID, 5)
		if err != nil || len(answers) != 1 {
			t.Fatalf("FocusAnswers = %v, %v; want one", answers, err)
		}
		if a := answers[0]; a.SessionID != e.session.ID || !strings.HasPrefix(a.Text, "The real thing is") || strings.Contains(a.Text, "wrote:") || strings.Contains(a.Text, "> ") {
			t.Errorf("focus answer = %+v, want the new text of the reply for the session", a)
		}
		cs, err := e.store.Commitments(e.ctx, e.leader.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]coaching.Commitment{}
		for _, c := range cs {
			got[c.Text] = c
		}
		if c := got["Draft the hiring plan"]; c.Status != coaching.CommitmentDone {
			t.Errorf("commitment 1 status = %s, want done", c.Status)
		}
		if c := got["Talk to the CFO"]; c.Status != coaching.CommitmentNotDone || c.History[len(c.History)-1].Comment != "budget frozen" {
			t.Errorf("commitment 2 = %+v, want not_done with comment 'budget frozen'", c)
		}
		if strings.Contains(e.logs.String(), leaderAddr) || strings.Contains(e.logs.String(), "co-founder") || strings.Contains(e.logs.String(), "Before our session") {
			t.Errorf("logs hold an address, a subject or body text:\n%s", e.logs)
		}
	})
}

// A leader who answers inline, under each quoted commitment of the
// prompt, reports each one's status; the answer above the quotes is the
// focus, without the status lines.
func TestReplyInline(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		ids := e.commitments("Draft the hiring plan", "Talk to the CFO")
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, ids)
		body := "Pricing, before the board sees the numbers.\n\n" +
			"On Sun, 29 Nov 2026 at 10:00, Robin Coach <" + token.ReplyAddress(tok, domain) + "> wrote:\n" +
			"> What's the most important thing to work on today?\n>\n> Your commitments:\n>\n> 1. Draft the hiring plan\n\n" +
			"Done, shared with the team on Friday.\n\n> 2. Talk to the CFO\n\nNot yet, she is travelling.\n\n> Reply to this email.\n"
		raw := msg("Dana Lee <"+leaderAddr+">", token.ReplyAddress(tok, domain), "Re: Before our session", "", body)
		res, err := e.deliver(raw, nil)
		want(t, res, err, coaching.RouteReply, Applied)
		cs, err := e.store.Commitments(e.ctx, e.leader.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]coaching.CommitmentStatus{}
		for _, c := range cs {
			got[c.Text] = c.Status
		}
		if got["Draft the hiring plan"] != coaching.CommitmentDone || got["Talk to the CFO"] != coaching.CommitmentNotDone {
			t.Errorf("statuses after an inline reply = %v, want done and not done", got)
		}
		answers, err := e.store.FocusAnswers(e.ctx, e.leader.ID, 5)
		if err != nil || len(answers) != 1 || answers[0].Text != "Pricing, before the board sees the numbers." {
			t.Errorf("focus answers = %+v, %v; want the line above the quotes alone", answers, err)
		}
	})
}

// A leader answers the recap with a new wording of one commitment, a
// status of another and a new action: the wording replaces the text (with
// the old one in its history and a new due date), and only the new action
// becomes a new commitment.
func TestReplyRewordsCommitment(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		ids := e.commitments("Draft the hiring plan", "Talk to the CFO")
		tok, _ := e.sent(coaching.EmailRecap, e.leader.ID, ids)
		body := "Thanks, that was a good session.\n\nChange 2 to: talk to the CFO after the board meeting, by Friday 4 December\n" +
			"1 done\nI will also book a retro with the team by next Wednesday.\n"
		res, err := e.deliver(msg("Dana Lee <"+leaderAddr+">", token.ReplyAddress(tok, domain), "Re: Your session", "", body), nil)
		want(t, res, err, coaching.RouteReply, Applied)
		cs, err := e.store.Commitments(e.ctx, e.leader.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, c := range cs {
			texts = append(texts, c.Text)
			switch c.ID {
			case ids[0]:
				if c.Status != coaching.CommitmentDone {
					t.Errorf("commitment 1 = %+v, want done", c)
				}
			case ids[1]:
				last := c.History[len(c.History)-1]
				if c.Text != "talk to the CFO after the board meeting, by Friday 4 December" || c.Due != "2026-12-04" ||
					last.Event != coaching.EventReworded || last.Comment != "was: Talk to the CFO" || c.Status != coaching.CommitmentOpen {
					t.Errorf("commitment 2 = %+v, want the new wording, due 2026-12-04, the old one in its history", c)
				}
			}
		}
		if len(cs) != 3 || !strings.Contains(strings.Join(texts, "|"), "retro") {
			t.Errorf("commitments = %q, want the two and the retro", texts)
		}
	})
}

func TestDuplicateDelivery(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		raw := msg(leaderAddr, token.ReplyAddress(tok, domain), "Re: hi", "", "Hiring is what matters.\n")
		res, err := e.deliver(raw, nil)
		want(t, res, err, coaching.RouteReply, Applied)
		res, err = e.deliverID(fmt.Sprintf("sesmsg%04d", e.n)+"x", nil) // a different id: missing raw
		want(t, res, err, coaching.RouteUnknown, Quarantined)
		// The same SES id again: acknowledged, nothing applied twice.
		id := ""
		for _, q := range mustQuarantined(t, e) {
			id = q.ID
		}
		res, err = e.deliverID(id, nil)
		if err != nil || res.Outcome != Duplicate {
			t.Fatalf("second delivery = %+v, %v; want duplicate", res, err)
		}
		answers, _ := e.store.FocusAnswers(e.ctx, e.leader.ID, 5)
		if len(answers) != 1 {
			t.Errorf("focus answers after duplicates = %d, want 1", len(answers))
		}
	})
}

func mustQuarantined(t *testing.T, e *env) []coaching.Quarantine {
	t.Helper()
	qs, err := e.store.Quarantined(e.ctx, 50)
	if err != nil {
		t.Fatalf("Quarantined: %v", err)
	}
	return qs
}

// Every way a reply can fail to prove itself ends in quarantine with the
// reason, and the raw message stays where it was.
func TestQuarantine(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		forged := []byte(tok)
		if forged[5] == 'a' {
			forged[5] = 'b'
		} else {
			forged[5] = 'a'
		}
		expired, err := e.keys.Sign(token.Token{ID: coaching.NewID(), Purpose: token.Prompt, Expires: e.clock.Now().AddDate(0, 0, -3)})
		if err != nil {
			t.Fatal(err)
		}
		reply := func(from, tok string) string {
			return msg(from, token.ReplyAddress(tok, domain), "Re: hi", "", "My focus is the board.\n")
		}
		tests := []struct {
			name   string
			raw    string
			edit   func(*events.SimpleEmailReceipt)
			reason string
		}{
			{"forged token", reply(leaderAddr, string(forged)), nil, "does not verify"},
			{"expired token", reply(leaderAddr, expired), nil, "expired"},
			{"wrong sender", reply("mallory@evil.example", tok), nil, "not the leader"},
			{"dkim and spf fail", reply(leaderAddr, tok), func(r *events.SimpleEmailReceipt) {
				r.DKIMVerdict.Status, r.SPFVerdict.Status = "FAIL", "FAIL"
			}, "authentication"},
			{"dmarc fail", reply(leaderAddr, tok), func(r *events.SimpleEmailReceipt) { r.DMARCVerdict.Status = "FAIL" }, "authentication"},
			{"spam", reply(leaderAddr, tok), func(r *events.SimpleEmailReceipt) { r.SpamVerdict.Status = "FAIL" }, "spam"},
			{"virus", reply(leaderAddr, tok), func(r *events.SimpleEmailReceipt) { r.VirusVerdict.Status = "FAIL" }, "virus"},
			{"stranger", msg("someone@else.example", notesAddr, "hello", "", "Hi there\n"), nil, "neither"},
			{"not a message", "\x00\x01garbage without any header\n", nil, "unreadable"},
		}
		for _, tt := range tests {
			res, err := e.deliver(tt.raw, tt.edit)
			if err != nil || res.Outcome != Quarantined || !strings.Contains(res.Reason, tt.reason) {
				t.Errorf("%s: Handle = %+v, %v; want quarantined for %q", tt.name, res, err, tt.reason)
			}
		}
		qs := mustQuarantined(t, e)
		if len(qs) != len(tests) {
			t.Errorf("quarantine holds %d messages, want %d", len(qs), len(tests))
		}
		for _, q := range qs {
			if _, err := e.raw.Get(e.ctx, q.RawKey, 1<<20); err != nil {
				t.Errorf("raw message of quarantined %s: %v, want it kept", q.ID, err)
			}
		}
		if answers, _ := e.store.FocusAnswers(e.ctx, e.leader.ID, 5); len(answers) != 0 {
			t.Errorf("focus answers after quarantined replies = %d, want 0", len(answers))
		}
	})
}

func TestInReplyToWithoutToken(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		_, mid := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		raw := msg(leaderAddr, "coach@practice.example", "Re: hi", "In-Reply-To: <"+mid+">\r\nReferences: <"+mid+">\r\n", "Delegation, finally.\n")
		res, err := e.deliver(raw, nil)
		want(t, res, err, coaching.RouteReply, Applied)
		answers, _ := e.store.FocusAnswers(e.ctx, e.leader.ID, 5)
		if len(answers) != 1 || answers[0].Text != "Delegation, finally." {
			t.Errorf("focus answers = %+v, want the reply text", answers)
		}
	})
}

func TestUnsubscribeReply(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailReminder, e.leader.ID, nil)
		res, err := e.deliver(msg(leaderAddr, token.ReplyAddress(tok, domain), "Re: reminder", "", "unsubscribe\n"), nil)
		want(t, res, err, coaching.RouteReply, Applied)
		l, err := e.store.LeaderByID(e.ctx, e.leader.ID)
		if err != nil || !l.Unsubscribed {
			t.Errorf("leader after unsubscribe = %+v, %v; want unsubscribed", l, err)
		}
	})
}

func TestAutoReplyIgnored(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		raw := msg(leaderAddr, token.ReplyAddress(tok, domain), "Out of Office: Re: hi", "Auto-Submitted: auto-replied\r\n", "I am away until Monday.\n")
		res, err := e.deliver(raw, nil)
		want(t, res, err, coaching.RouteAutoReply, Ignored)
		if answers, _ := e.store.FocusAnswers(e.ctx, e.leader.ID, 5); len(answers) != 0 {
			t.Errorf("an auto-reply became a focus answer: %+v", answers)
		}
	})
}

const dsn = "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n" +
	"To: bounces@mail.practice.example\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
	"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n" +
	"--b1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system. Your message could not be delivered.\r\n" +
	"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n" +
	"Final-Recipient: rfc822; dana@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
	"Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n--b1--\r\n"

func TestBounce(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		res, err := e.deliver(dsn, nil)
		want(t, res, err, coaching.RouteBounce, Applied)
		if reason, err := e.store.Suppression(e.ctx, leaderAddr); err != nil || reason == "" {
			t.Errorf("Suppression(leader) = %q, %v; want suppressed", reason, err)
		}
		due, err := e.store.DueEmails(e.ctx, e.clock.Now(), 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, em := range due {
			found = found || (em.Kind == coaching.EmailNotice && em.Notice == "bounce" && em.CoachID == e.coach.ID)
		}
		if !found {
			t.Errorf("no bounce notice to the coach among due emails %+v", due)
		}
	})
}

// A full mailbox (a failed delivery whose status is 4.2.2 or 5.2.2) is not
// a bad address: nothing is suppressed and the coach is not told, as for
// SES's transient bounces.
func TestBounceMailboxFull(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		full := strings.Replace(dsn, "Status: 5.1.1", "Status: 4.2.2", 1)
		if full == dsn {
			t.Fatal("the DSN fixture has no Status: 5.1.1 to change")
		}
		res, err := e.deliver(full, nil)
		want(t, res, err, coaching.RouteBounce, Ignored)
		if reason, err := e.store.Suppression(e.ctx, leaderAddr); err != nil || reason != "" {
			t.Errorf("Suppression(leader) = %q, %v; want none", reason, err)
		}
		due, _ := e.store.DueEmails(e.ctx, e.clock.Now(), 50)
		for _, em := range due {
			if em.Notice == "bounce" {
				t.Errorf("a bounce notice went out for a full mailbox: %+v", em)
			}
		}
	})
}

const notesBody = `Notes from today's session with Dana.

Decision: Dana will stop approving every expense herself.
Reframe: it's not a trust problem, it's a clarity problem.
Actions:
- Write the delegation memo by Friday
- Talk to the CFO before the board meeting on 3 December

See you next time!
`

func TestNotes(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		// The session has ended; the notes arrive an hour later.
		e.clock.Set(e.session.End.Add(time.Hour))
		res, err := e.deliver(msg("Robin Coach <coach@practice.example>", notesAddr, "Session notes", "", notesBody), nil)
		want(t, res, err, coaching.RouteNotes, Applied)
		outs, err := e.store.Outcomes(e.ctx, e.session.ID)
		if err != nil || len(outs) < 3 {
			t.Fatalf("Outcomes = %+v, %v; want the decision, reframe and actions", outs, err)
		}
		cs, _ := e.store.Commitments(e.ctx, e.leader.ID, true)
		if len(cs) < 2 {
			t.Errorf("open commitments = %+v, want the two actions", cs)
		}
		emails, _ := e.store.EmailsOfSession(e.ctx, e.session.ID)
		var recap *coaching.ScheduledEmail
		for i := range emails {
			if emails[i].Kind == coaching.EmailRecap {
				recap = &emails[i]
			}
		}
		if recap == nil || !recap.Due.Equal(e.clock.Now().Add(30*time.Minute)) {
			t.Errorf("recap = %+v, want one due 30 minutes after the notes", recap)
		}
	})
}

func TestNotesMatchNoSession(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		// Five days after the session: nothing ended within 48 hours.
		e.clock.Set(e.session.End.AddDate(0, 0, 5))
		res, err := e.deliver(msg(coachAddr, notesAddr, "Notes: someone new", "", notesBody), nil)
		if err != nil || res.Outcome != Quarantined || !strings.Contains(res.Reason, "no session") {
			t.Fatalf("Handle = %+v, %v; want quarantined, matching no session", res, err)
		}
		due, _ := e.store.DueEmails(e.ctx, e.clock.Now(), 50)
		found := false
		for _, em := range due {
			found = found || (em.Notice == "notes_unmatched" && em.Subject == "Notes: someone new")
		}
		if !found {
			t.Errorf("no notes_unmatched notice to the coach among %+v", due)
		}
	})
}

const invite = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n" +
	"UID:series-42@practice.example\r\nSEQUENCE:0\r\nDTSTAMP:20261130T090000Z\r\n" +
	"DTSTART;TZID=Europe/London:20261207T100000\r\nDTEND;TZID=Europe/London:20261207T110000\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=3\r\nSUMMARY:Coaching\r\n" +
	"ORGANIZER;CN=Robin Coach:mailto:coach@practice.example\r\n" +
	"ATTENDEE;CN=Sam New:mailto:sam@example.net\r\nATTENDEE:mailto:notes@mail.practice.example\r\n" +
	"END:VEVENT\r\nEND:VCALENDAR\r\n"

func TestInvite(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		raw := "From: " + coachAddr + "\r\nTo: sam@example.net, " + notesAddr + "\r\nSubject: Invitation: Coaching\r\n" +
			"Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n" + invite
		res, err := e.deliver(raw, nil)
		want(t, res, err, coaching.RouteInvite, Applied)
		sam, err := e.store.LeaderByEmail(e.ctx, "sam@example.net")
		if err != nil || sam.CoachID != e.coach.ID {
			t.Fatalf("new leader = %+v, %v; want created for the coach", sam, err)
		}
		sessions, err := e.store.SessionsByCalendar(e.ctx, "series-42@practice.example")
		if err != nil || len(sessions) != 3 {
			t.Fatalf("sessions of the series = %d, %v; want 3", len(sessions), err)
		}
		emails, _ := e.store.EmailsOfSession(e.ctx, sessions[0].ID)
		if len(emails) != 2 {
			t.Errorf("emails of the first session = %+v, want a prompt and a brief", emails)
		}
	})
}

func TestLargeMessages(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		var b strings.Builder
		b.WriteString("From: " + leaderAddr + "\r\nTo: " + token.ReplyAddress(tok, domain) + "\r\nSubject: Re: hi\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\n")
		b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nThe deck is attached; my focus is the pricing decision.\r\n")
		b.WriteString("--zz\r\nContent-Type: application/pdf; name=deck.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		line := strings.Repeat("QUJDRA", 12) + "\r\n"
		for b.Len() < 39<<20 {
			b.WriteString(line)
		}
		b.WriteString("--zz--\r\n")
		res, err := e.deliver(b.String(), nil)
		want(t, res, err, coaching.RouteReply, Applied)

		e.h.MaxMessage = 1 << 20 // the same message over a smaller cap
		res, err = e.deliver(b.String(), nil)
		if err != nil || res.Outcome != Quarantined || !strings.Contains(res.Reason, "larger") {
			t.Errorf("over the cap: Handle = %+v, %v; want quarantined as too large", res, err)
		}
	})
}

func TestReceiptsRejectsBadEvents(t *testing.T) {
	for name, ev := range map[string]events.SimpleEmailEvent{
		"no records": {},
		"no id":      {Records: []events.SimpleEmailRecord{{}}},
		"path id":    {Records: []events.SimpleEmailRecord{{SES: events.SimpleEmailService{Mail: events.SimpleEmailMessage{MessageID: "../../etc/passwd"}}}}},
	} {
		if _, err := Receipts(ev); err == nil {
			t.Errorf("%s: Receipts succeeded, want an error", name)
		}
	}
}

func FuzzDecodeEvent(f *testing.F) {
	data, err := os.ReadFile("testdata/ses-lambda-event.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"Records":[{"ses":{"mail":{"messageId":"a"},"receipt":{"recipients":["X@Y"]}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := DecodeEvent(data)
		if err != nil {
			return
		}
		rs, err := Receipts(ev)
		if err != nil {
			return
		}
		for _, r := range rs {
			if r.MessageID == "" || strings.ContainsAny(r.MessageID, "/\\\r\n") {
				t.Fatalf("Receipts let through message id %q", r.MessageID)
			}
		}
	})
}

func TestAuthenticated(t *testing.T) {
	pass := Receipt{SPF: Pass, DKIM: Pass, DMARC: Pass}
	tests := []struct {
		name string
		r    Receipt
		from string
		d    []string
		want bool
	}{
		{"all pass", pass, "example.org", nil, true},
		{"dmarc fail", Receipt{SPF: Pass, DKIM: Pass, DMARC: Fail}, "example.org", []string{"example.org"}, false},
		{"nothing passes", Receipt{SPF: Fail, DKIM: Fail, DMARC: Gray}, "example.org", []string{"example.org"}, false},
		{"no dmarc, spf only", Receipt{SPF: Pass, DKIM: Fail, DMARC: Gray}, "example.org", nil, false},
		{"no dmarc, dkim aligned", Receipt{SPF: Fail, DKIM: Pass, DMARC: Gray}, "example.org", []string{"example.org"}, true},
		{"no dmarc, dkim of a parent domain", Receipt{DKIM: Pass, DMARC: Gray}, "mail.example.org", []string{"example.org"}, true},
		{"no dmarc, dkim of another domain", Receipt{DKIM: Pass, DMARC: Gray}, "example.org", []string{"mailer.example.net"}, false},
		{"no dmarc, dkim of a suffix lookalike", Receipt{DKIM: Pass, DMARC: Gray}, "badexample.org", []string{"example.org"}, false},
		{"no dmarc, dkim of a bare tld", Receipt{DKIM: Pass, DMARC: Gray}, "example.org", []string{"org"}, false},
	}
	for _, tt := range tests {
		if got := tt.r.Authenticated(tt.from, tt.d); got != tt.want {
			t.Errorf("%s: Authenticated(%q, %q) = %v, want %v", tt.name, tt.from, tt.d, got, tt.want)
		}
	}
	if got := DKIMDomains([]string{"v=1; a=rsa-sha256; d=Example.org; s=s1; b=abc", "v=1; d = mail.example.net ;s=x"}); len(got) != 2 || got[0] != "Example.org" || got[1] != "mail.example.net" {
		t.Errorf("DKIMDomains = %q", got)
	}
}

func TestOversizedAnswerClipped(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		body := "My focus: " + strings.Repeat("ä", 300<<10) + "\n"
		res, err := e.deliver(msg(leaderAddr, token.ReplyAddress(tok, domain), "Re: hi", "", body), nil)
		want(t, res, err, coaching.RouteReply, Applied)
		answers, _ := e.store.FocusAnswers(e.ctx, e.leader.ID, 1)
		if len(answers) != 1 || len(answers[0].Text) > maxAnswer+8 || !strings.HasSuffix(answers[0].Text, "[…]") {
			t.Errorf("stored answer of %d bytes, want it clipped to about %d with a mark", len(answers[0].Text), maxAnswer)
		}
	})
}

func TestFocusText(t *testing.T) {
	list := []string{"Draft the hiring plan", "Talk to the CFO"}
	for _, tt := range []struct{ in, want string }{
		{"Pricing is the big one.\n\n1 done\n2 not yet, budget frozen", "Pricing is the big one."},
		{"1 done\n2 dropped", ""},
		{"Just the focus: delegation.", "Just the focus: delegation."},
		{"Delegation.\nDone with the hiring plan.", "Delegation."},
	} {
		if got := focusText(tt.in, list); got != tt.want {
			t.Errorf("focusText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A message the sender's server sent twice (it lost our "250 OK") comes
// under a new SES id each time; it is taken in once, by sender and
// Message-ID, and an operator's replay of the first delivery still runs.
func TestResentMessage(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
		reply := msg(leaderAddr, token.ReplyAddress(tok, domain), "Re: hi", "", "Hiring is what matters.\n")
		const first = "resent-first-delivery"
		if err := e.raw.Put(e.ctx, e.raw.Key(first), []byte(reply)); err != nil {
			t.Fatal(err)
		}
		rcpt := []string{token.ReplyAddress(tok, domain)}
		res, err := e.deliverID(first, func(r *events.SimpleEmailReceipt) { r.Recipients = rcpt })
		want(t, res, err, coaching.RouteReply, Applied)
		res, err = e.deliver(reply, nil)
		if err != nil || res.Outcome != Duplicate {
			t.Fatalf("the reply sent again = %+v, %v; want duplicate", res, err)
		}
		if answers, _ := e.store.FocusAnswers(e.ctx, e.leader.ID, 5); len(answers) != 1 {
			t.Errorf("focus answers after the reply came twice = %d, want 1", len(answers))
		}

		// The same Message-ID from another sender is another message.
		other := strings.Replace(reply, "From: "+leaderAddr, "From: someone@else.example", 1)
		res, err = e.deliver(other, nil)
		if err != nil || res.Outcome != Quarantined {
			t.Errorf("the same Message-ID from a stranger = %+v, %v; want quarantined", res, err)
		}

		// Notes sent twice make each commitment once.
		e.clock.Set(e.session.End.Add(time.Hour))
		notes := msg("Robin Coach <coach@practice.example>", notesAddr, "Session notes", "", notesBody)
		res, err = e.deliver(notes, nil)
		want(t, res, err, coaching.RouteNotes, Applied)
		before, _ := e.store.Commitments(e.ctx, e.leader.ID, false)
		res, err = e.deliver(notes, nil)
		if err != nil || res.Outcome != Duplicate {
			t.Fatalf("the notes sent again = %+v, %v; want duplicate", res, err)
		}
		after, _ := e.store.Commitments(e.ctx, e.leader.ID, false)
		if len(after) != len(before) || len(before) == 0 {
			t.Errorf("commitments after the notes came twice = %d, want %d (not zero)", len(after), len(before))
		}

		// A replay of the first delivery under a new id (what `coachmail
		// quarantine replay` does) takes over its claim.
		id := first + "-replay-1"
		if err := e.raw.Put(e.ctx, e.raw.Key(id), []byte(reply)); err != nil {
			t.Fatal(err)
		}
		r := Receipt{MessageID: id, Recipients: rcpt, Replays: first, SPF: Pass, DKIM: Pass, DMARC: Pass, Spam: Pass, Virus: Pass}
		if res, err := e.h.Handle(e.ctx, r); err != nil || res.Outcome == Duplicate {
			t.Errorf("replay of the first delivery = %+v, %v; want it handled", res, err)
		}
	})
}

// Notes whose subject carries a session reference (the coach's brief has
// it in its own) are filed with that session: a group session, or one
// long past the 48 hours that matching by time allows. A reference to
// another coach's session finds nothing.
func TestNotesBySessionRef(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		ctx := e.ctx
		if err := e.store.CreateLeader(ctx, coaching.Leader{ID: "leader2", Email: "sam@leader.example", Name: "Sam Ng", CoachID: "coach1", CreatedAt: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		start := e.session.Start.AddDate(0, 0, 2)
		group, err := e.h.Cycle.AddSession(ctx, coaching.Session{CoachID: "coach1", LeaderIDs: []string{"leader1", "leader2"}, Title: "Founders' circle", Start: start, End: start.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.CreateCoach(ctx, coaching.Coach{ID: "coach2", Email: "other@coach.example", Name: "Other", CreatedAt: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := e.store.CreateLeader(ctx, coaching.Leader{ID: "leader3", Email: "kai@leader.example", CoachID: "coach2", CreatedAt: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		theirs, err := e.h.Cycle.AddSession(ctx, coaching.Session{CoachID: "coach2", LeaderIDs: []string{"leader3"}, Start: start, End: start.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}

		// A week after both sessions: matching by time finds nothing.
		e.clock.Set(group.End.AddDate(0, 0, 7))
		outcomes := func(s coaching.Session) int {
			t.Helper()
			outs, err := e.store.Outcomes(ctx, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(outs)
		}

		// The brief forwarded, notes on top: the reference is in the
		// forwarded message's subject and in the coach's.
		fwd := "Decision: the circle keeps Friday demos.\nAction: Sam drafts the roles memo by Friday\n\n" +
			"---------- Forwarded message ---------\nFrom: Coachmail <coachmail@" + domain + ">\n" +
			"Date: Thu, 3 Dec 2026 at 08:00\nSubject: Brief: Founders' circle, Thursday 10:00 [" + coaching.SessionRef(group.ID) + "]\n" +
			"To: Robin Coach <" + coachAddr + ">\n\nHi Robin,\n"
		res, err := e.deliver(msg("Robin Coach <"+coachAddr+">", notesAddr, "Fwd: Brief: Founders' circle, Thursday 10:00 ["+coaching.SessionRef(group.ID)+"]", "", fwd), nil)
		want(t, res, err, coaching.RouteNotes, Applied)
		if n := outcomes(group); n < 2 {
			t.Errorf("outcomes of the group session = %d, want the decision and the action", n)
		}
		// The action names Sam: it is Sam's commitment, not Dana's.
		if cs, _ := e.store.Commitments(ctx, "leader2", true); len(cs) != 1 || !strings.Contains(cs[0].Text, "roles memo") {
			t.Errorf("Sam's commitments after the group notes = %+v, want the roles memo", cs)
		}
		if cs, _ := e.store.Commitments(ctx, "leader1", true); len(cs) != 0 {
			t.Errorf("Dana's commitments after the group notes = %+v, want none", cs)
		}

		// Typed by hand, in lower case, on notes of the 1:1 session.
		res, err = e.deliver(msg("Robin Coach <"+coachAddr+">", notesAddr, "notes dana "+strings.ToLower(coaching.SessionRef(e.session.ID)), "", notesBody), nil)
		want(t, res, err, coaching.RouteNotes, Applied)
		if n := outcomes(e.session); n < 3 {
			t.Errorf("outcomes of the 1:1 session = %d, want the decision, reframe and actions", n)
		}

		// Another coach's session: not this coach's to file notes with.
		res, err = e.deliver(msg("Robin Coach <"+coachAddr+">", notesAddr, "Notes ["+coaching.SessionRef(theirs.ID)+"]", "", notesBody), nil)
		if err != nil || res.Outcome != Quarantined || !strings.Contains(res.Reason, "no session") {
			t.Errorf("notes naming another coach's session = %+v, %v; want quarantined, matching no session", res, err)
		}
		if n := outcomes(theirs); n != 0 {
			t.Errorf("outcomes of the other coach's session = %d, want 0", n)
		}
	})
}

package inbound

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/dynamotest"
	"github.com/coachmail/coachmail/internal/hostile"
	"github.com/coachmail/coachmail/internal/token"
	"github.com/coachmail/coachmail/templates"
)

// hostileDeadline is the context deadline of each hostile case: generous,
// so that a slow machine does not fail the test, yet a handler that hangs
// on a message is stopped and reported.
const hostileDeadline = 3 * time.Minute

// Memory budget of one hostile message through Handle, the in-process S3
// server serving it included. Peak is the live heap's growth over the
// call, sampled; total is everything allocated. Inflating the zip bomb
// alone would allocate 1 GiB.
func peakBudget(size int) uint64 { return 4*uint64(size) + 128<<20 }

const totalBudget = 1 << 30

// overBudget lists the cases known to cost more than the budget, why, and
// the raised budget that holds them until they are fixed, so that they
// cannot grow unnoticed either.
var overBudget = map[string]struct {
	why         string
	peak, total uint64
}{}

// knownDefects lists the cases the inbound path does not yet handle as
// SPEC.md says, and what it does instead. Such a case may end in an error
// from Handle (Lambda retries the event, then its dead-letter queue keeps
// it; the raw message stays in S3 for a replay), but never in a panic, a
// lost raw message or a half-written record.
var knownDefects = map[string]string{}

// heavy lists the cases run on the deciding server only (the last of
// dynamotest.Servers: DynamoDB Local when there is one, with DynamoDB's
// item size limit), to keep the package fast under -race: their cost is in
// reading the message, which no store changes.
var heavy = map[string]bool{
	"calendar-byrule-expansion": true, "html-bomb": true, "body-line-10mb": true,
	"attachment-40mb": true, "attachment-over-40mib": true, "header-fields-100000": true,
}

// hostileFigures are what one case cost.
type hostileFigures struct {
	name     string
	size     int
	res      Result
	err      error
	panicked any
	elapsed  time.Duration
	total    uint64 // bytes allocated during Handle
	peak     uint64 // highest live heap during Handle, over the heap before it
}

// hostileParams addresses the corpus to this env: replies to a prompt the
// leader was sent, notes and invitations from the coach.
func (e *env) hostileParams() hostile.Params {
	e.t.Helper()
	tok, _ := e.sent(coaching.EmailPrompt, e.leader.ID, nil)
	return hostile.Params{
		Seed: 1, Date: e.clock.Now(),
		Leader: leaderAddr, Reply: token.ReplyAddress(tok, domain),
		Coach: coachAddr, Notes: notesAddr, Attendee: "sam@example.net",
	}
}

// handleHostile stores the case's message as SES would and hands it to the
// handler, measuring time and memory around Handle alone.
func (e *env) handleHostile(c hostile.Case, p hostile.Params) (f hostileFigures, id string) {
	e.t.Helper()
	raw, err := c.Build(p)
	if err != nil {
		e.t.Fatal(err)
	}
	f.name, f.size = c.Name, len(raw)
	id = "hostile-" + c.Name + "-" + coaching.NewID()
	if err := e.raw.Put(e.ctx, e.raw.Key(id), raw); err != nil {
		e.t.Fatalf("%s: Put: %v", c.Name, err)
	}
	raw = nil
	r := Receipt{MessageID: id, Received: e.clock.Now(), SPF: Pass, DKIM: Pass, DMARC: Pass, Spam: Pass, Virus: Pass}
	switch c.Role {
	case hostile.LeaderReply:
		r.Recipients = []string{p.Reply}
	case hostile.CoachNotes:
		r.Recipients = []string{p.Notes}
	case hostile.CoachInvite:
		r.Recipients = []string{p.Notes}
	}
	ctx, cancel := context.WithTimeout(e.ctx, hostileDeadline)
	defer cancel()

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := samplePeakHeap()
	start := time.Now()
	func() {
		defer func() { f.panicked = recover() }()
		f.res, f.err = e.h.Handle(ctx, r)
	}()
	f.elapsed = time.Since(start)
	peak := stop()
	runtime.ReadMemStats(&after)
	f.total = after.TotalAlloc - before.TotalAlloc
	if peak > before.HeapAlloc {
		f.peak = peak - before.HeapAlloc
	}
	return f, id
}

// samplePeakHeap watches the live heap until the returned function is
// called, and that function returns the highest value seen.
func samplePeakHeap() func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	read := func() {
		metrics.Read(sample)
		mu.Lock()
		peak = max(peak, sample[0].Value.Uint64())
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			read()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		read()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// Every hostile case goes through the real handler on the real local
// servers: no panic, no error (an error would have Lambda retry a poison
// message forever), a quarantine with a reason or a safe application, the
// raw message kept, memory within budget, and none of its content in the
// reason or the logs. Durations and memory are reported (go test -v).
func TestHostileCorpus(t *testing.T) {
	servers := dynamotest.Servers(t)
	for i, srv := range servers {
		t.Run(srv.Name, func(t *testing.T) { hostileCorpus(t, newEnv(t, srv), i == len(servers)-1) })
	}
}

func hostileCorpus(t *testing.T, e *env, deciding bool) {
	p := e.hostileParams()
	quarantined := map[string]bool{}
	var figures []hostileFigures
	for _, c := range hostile.Cases() {
		if heavy[c.Name] && !deciding {
			continue
		}
		f, id := e.handleHostile(c, p)
		figures = append(figures, f)
		switch {
		case f.panicked != nil:
			t.Errorf("%s: Handle panicked: %v", c.Name, f.panicked)
			continue
		case f.err != nil && knownDefects[c.Name] != "":
			t.Logf("%s: KNOWN DEFECT: %s; Handle error: %v", c.Name, knownDefects[c.Name], f.err)
			if _, err := e.store.InboundByID(e.ctx, id); !coaching.IsNotFound(err) {
				t.Errorf("%s: inbound record after a failed Handle: %v, want none, so that a retry applies it", c.Name, err)
			}
			if _, err := e.raw.Get(e.ctx, e.raw.Key(id), 64<<20); err != nil {
				t.Errorf("%s: raw message after a failed Handle: %v, want it kept", c.Name, err)
			}
			continue
		case f.err != nil:
			t.Errorf("%s: Handle error = %v, want the message acknowledged", c.Name, f.err)
			continue
		}
		switch f.res.Outcome {
		case Applied, Ignored:
		case Quarantined:
			quarantined[id] = true
			if f.res.Reason == "" {
				t.Errorf("%s: quarantined without a reason", c.Name)
			}
		default:
			t.Errorf("%s: outcome %q, want applied, ignored or quarantined", c.Name, f.res.Outcome)
		}
		for _, bad := range []string{hostile.Probe, hostile.Victim, "<script", "My focus"} {
			if strings.Contains(f.res.Reason, bad) {
				t.Errorf("%s: reason %q holds message content %q", c.Name, f.res.Reason, bad)
			}
		}
		in, err := e.store.InboundByID(e.ctx, id)
		if err != nil || in.RawKey != e.raw.Key(id) || in.Outcome != f.res.Outcome {
			t.Errorf("%s: inbound record = %+v, %v; want one with the raw key and outcome %s", c.Name, in, err, f.res.Outcome)
		}
		if kept, err := e.raw.Get(e.ctx, e.raw.Key(id), 64<<20); err != nil || len(kept) != f.size {
			t.Errorf("%s: raw message after Handle: %d bytes, %v; want the %d bytes kept", c.Name, len(kept), err, f.size)
		}
		peak, total := peakBudget(f.size), uint64(totalBudget)
		if known, ok := overBudget[c.Name]; ok {
			t.Logf("%s: known over budget: %s", c.Name, known.why)
			peak, total = known.peak, known.total
		}
		if f.peak > peak || f.total > total {
			t.Errorf("%s: peak heap +%d MiB, allocated %d MiB; want within +%d MiB and %d MiB",
				c.Name, f.peak>>20, f.total>>20, peak>>20, total>>20)
		}
	}
	for _, f := range figures {
		if f.name == "attachment-over-40mib" && (f.res.Outcome != Quarantined || !strings.Contains(f.res.Reason, "larger")) {
			t.Errorf("%s: %+v, want quarantined as larger than the cap", f.name, f.res)
		}
	}
	qs, err := e.store.Quarantined(e.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		delete(quarantined, q.ID)
	}
	for id := range quarantined {
		t.Errorf("quarantined message %s has no quarantine record", id)
	}
	logs := e.logs.String()
	for _, bad := range []string{hostile.Probe, hostile.Victim, "<script", "My focus", leaderAddr} {
		if strings.Contains(logs, bad) {
			t.Errorf("logs hold message content or an address: %q", bad)
		}
	}
	t.Logf("%-30s %10s %-12s %9s %9s %9s  %s", "case", "bytes", "outcome", "ms", "alloc MiB", "peak MiB", "reason")
	for _, f := range figures {
		t.Logf("%-30s %10d %-12s %9d %9d %9d  %s", f.name, f.size, f.res.Outcome, f.elapsed.Milliseconds(), f.total>>20, f.peak>>20, cutReason(f.res.Reason))
	}
}

func cutReason(s string) string {
	if len(s) > 70 {
		return s[:70] + "..."
	}
	return s
}

// capture is a cycle.Sender that keeps what would have been sent.
type capture struct {
	mu   sync.Mutex
	sent []captured
}

type captured struct {
	to  []string
	raw []byte
}

func (c *capture) Send(_ context.Context, _ string, to []string, raw []byte) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, captured{to: append([]string{}, to...), raw: append([]byte{}, raw...)})
	return fmt.Sprintf("ses-%d", len(c.sent)), nil
}

// The injection cases are applied like any leader's or coach's mail, and
// then the dispatcher sends what follows from them: the notice of the
// unmatched notes, the brief with the focus answers, the recap of the
// notes, the prompt and brief of the invited series. No message carries an
// injected header field or recipient, and no HTML part carries live
// markup from the mail: the hostile text is there, escaped.
func TestHostileInjectionNeverReachesOutbound(t *testing.T) {
	forEachServer(t, func(t *testing.T, e *env) {
		tmpl, err := templates.New()
		if err != nil {
			t.Fatal(err)
		}
		out := &capture{}
		d := &cycle.Dispatcher{
			Store: e.store, Clock: e.clock, Sender: out, Templates: tmpl, Keys: e.keys, Log: e.h.Log,
			From: "coach@mail.practice.example", Practice: "Northwind Coaching", IntakeDomain: domain,
			UnsubscribeURL: "https://unsub.practice.example/u",
		}
		dispatch := func(at time.Time) {
			t.Helper()
			e.clock.Set(at)
			res, err := d.Run(e.ctx)
			if err != nil || res.Failed > 0 || res.Retry > 0 {
				t.Fatalf("dispatch at %v = %+v, %v", at, res, err)
			}
		}
		p := e.hostileParams()
		deliver := func(name string, want string) {
			t.Helper()
			c, ok := hostile.Lookup(name)
			if !ok {
				t.Fatalf("no hostile case %s", name)
			}
			f, _ := e.handleHostile(c, p)
			if f.panicked != nil || f.err != nil || f.res.Outcome != want {
				t.Fatalf("%s: Handle = %+v, %v (panic %v); want %s", name, f.res, f.err, f.panicked, want)
			}
		}
		// Before the session: the leader's replies, the coach's notes that
		// match no session yet, an invitation for a new leader.
		deliver("inject-display-name", Applied)
		deliver("script-focus-text", Applied)
		deliver("script-focus-html", Applied)
		deliver("inject-notes-subject", Quarantined)
		deliver("inject-calendar-names", Applied)
		dispatch(e.clock.Now())                       // the notice
		dispatch(e.session.Start.Add(-2 * time.Hour)) // the prompt, the brief
		// After the session: notes with script in every outcome.
		e.clock.Set(e.session.End.Add(time.Hour))
		deliver("script-notes", Applied)
		dispatch(e.clock.Now().Add(30 * time.Minute)) // the recap
		// The invited series: its prompt and brief.
		sam, err := e.store.LeaderByEmail(e.ctx, p.Attendee)
		if err != nil {
			t.Fatalf("invited leader: %v", err)
		}
		sessions, err := e.store.SessionsOfLeader(e.ctx, sam.ID, e.clock.Now(), e.clock.Now().AddDate(0, 1, 0))
		if err != nil || len(sessions) == 0 {
			t.Fatalf("sessions of the invited leader = %v, %v", sessions, err)
		}
		dispatch(sessions[0].Start.Add(-2 * time.Hour))

		var seen struct{ notice, brief, recap, samPrompt bool }
		for _, s := range out.sent {
			m := checkOutbound(t, s)
			to := s.to[0]
			switch {
			case to == coachAddr && strings.Contains(m.text, "Notes") && strings.Contains(m.html, hostile.InjectedHeader):
				seen.notice = true
			case to == coachAddr && strings.Contains(m.html, hostile.Probe) && strings.Contains(m.html, "&lt;script&gt;"):
				seen.brief = true
			case to == leaderAddr && strings.Contains(m.html, hostile.Probe) && strings.Contains(m.html, "&lt;script&gt;"):
				seen.recap = true
			case to == p.Attendee && strings.HasPrefix(m.toName, "Sam"):
				seen.samPrompt = true
			}
		}
		if !seen.notice || !seen.brief || !seen.recap || !seen.samPrompt {
			t.Errorf("sent %d messages; seen notice %v, brief with the escaped focus %v, recap with the escaped notes %v, prompt to the invited leader %v; want all",
				len(out.sent), seen.notice, seen.brief, seen.recap, seen.samPrompt)
		}
	})
}

// outbound is what checkOutbound read of a sent message.
type outbound struct {
	toName     string
	text, html string
}

// checkOutbound fails t if a sent message carries a header field, a
// recipient or live HTML that came from hostile mail.
func checkOutbound(t *testing.T, s captured) outbound {
	t.Helper()
	if len(s.to) != 1 || s.to[0] == hostile.Victim {
		t.Errorf("envelope recipients %q, want one, never %s", s.to, hostile.Victim)
	}
	m, err := mail.ReadMessage(bytes.NewReader(s.raw))
	if err != nil {
		t.Fatalf("sent message does not parse: %v", err)
	}
	head, _, _ := bytes.Cut(s.raw, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		name, _, _ := strings.Cut(line, ":")
		switch n := strings.ToLower(strings.TrimSpace(name)); {
		case line == "" || line[0] == ' ' || line[0] == '\t':
		case n == "bcc" || n == "cc" || n == strings.ToLower(hostile.InjectedHeader):
			t.Errorf("sent to %s: injected header line %q", s.to[0], line)
		}
	}
	for k := range m.Header {
		if strings.EqualFold(k, hostile.InjectedHeader) || strings.EqualFold(k, "Bcc") || strings.EqualFold(k, "Cc") {
			t.Errorf("sent to %s: header field %s", s.to[0], k)
		}
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != s.to[0] {
		t.Errorf("To = %v, %v; want the one envelope recipient %s", to, err, s.to[0])
	}
	var o outbound
	if len(to) > 0 {
		o.toName = to[0].Name
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type: %v", err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("sent to %s: part: %v", s.to[0], err)
		}
		body, err := io.ReadAll(part) // NextPart decodes quoted-printable

		if err != nil {
			t.Fatalf("sent to %s: read part: %v", s.to[0], err)
		}
		switch ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type")); ct {
		case "text/plain":
			o.text = string(body)
		case "text/html":
			o.html = string(body)
			checkHTML(t, s.to[0], o.html)
		}
	}
	return o
}

// checkHTML fails t for markup that can run or load something: a script,
// an embedded object or image, an event handler attribute, a javascript:
// URL. The templates use none of them; hostile mail tries all.
func checkHTML(t *testing.T, to, doc string) {
	t.Helper()
	if strings.Contains(strings.ToLower(doc), "<script") {
		t.Errorf("HTML to %s holds <script unescaped", to)
	}
	z := html.NewTokenizer(strings.NewReader(doc))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script", "img", "svg", "iframe", "object", "embed", "form", "input", "base":
				t.Errorf("HTML to %s holds a <%s> element", to, tok.Data)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
					t.Errorf("HTML to %s holds <%s %s=%q>", to, tok.Data, a.Key, a.Val)
				}
			}
		}
	}
}

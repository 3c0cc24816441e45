package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/cycle"
	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/outbox"
)

// The time line of a run. Sessions start within sessionWindow after
// sessionsFrom; at dispatchAt every prompt (a day before its session) is
// due and no brief (two hours before) is.
var (
	t0            = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	sessionsFrom  = t0.Add(72 * time.Hour)
	sessionWindow = 12 * time.Hour
	dispatchAt    = sessionsFrom.Add(sessionWindow + 10*time.Minute - 24*time.Hour)
)

// progressEvery is how often a progress line is written.
const progressEvery = 15 * time.Second

// Per-message bounds: a reply that takes longer failed.
const (
	smtpDialTimeout = 10 * time.Second
	smtpTimeout     = time.Minute
)

// leader is one leader of the load and the sessions it has.
type leader struct {
	id, name, email, zone string
	loc                   *time.Location
	coachID               string
	sessions              []string
}

// session is what a run knows of one session.
type session struct {
	id     string
	leader int // index in load.leaders
	// promptID is the Message-ID of its prompt, once sent.
	promptID string
	// marker names what the reply to its prompt names; quoted holds lines
	// of the prompt, which the stored answer must not have.
	marker string
	quoted []string
}

// load is one run.
type load struct {
	cfg     config
	stack   *local.Stack
	clock   *coaching.ManualClock
	probs   *problems
	leaders []leader
	coaches []coaching.Coach
	// sessions in the order they were added; byID and byPrompt index them.
	sessions []*session
	byID     map[string]*session
	byPrompt map[string]*session
	mails    []replyMail
	// replied counts the replies accepted, deliveries the messages
	// accepted: more when some were sent twice.
	replied, deliveries int

	// progress counts the messages of the phase under way, for the
	// progress lines; counter, when set, counts them instead.
	progressMu sync.Mutex
	phaseName  string
	phaseTotal int
	phaseStart time.Time
	progress   atomic.Int64
	counter    func() int64
}

// begin starts the progress count of a phase.
func (l *load) begin(name string, total int, counter func() int64) {
	l.progressMu.Lock()
	defer l.progressMu.Unlock()
	l.phaseName, l.phaseTotal, l.phaseStart, l.counter = name, total, time.Now(), counter
	l.progress.Store(0)
}

// report writes a progress line every interval until ctx ends.
func (l *load) report(ctx context.Context, w io.Writer, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		l.progressMu.Lock()
		name, total, since, count := l.phaseName, l.phaseTotal, l.phaseStart, l.counter
		l.progressMu.Unlock()
		n := l.progress.Load()
		if count != nil {
			n = count()
		}
		fmt.Fprintf(w, "loadtest: %s: %d of %d after %s\n", name, n, total, round(time.Since(since)))
	}
}

func run(ctx context.Context, cfg config, out io.Writer) (result, error) {
	if err := cfg.validate(); err != nil {
		return result{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "coachmail-loadtest-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)

	probs := &problems{}
	logs := newLogCounter(cfg.Log, probs)
	l := &load{cfg: cfg, clock: coaching.NewManualClock(t0), probs: probs, byID: map[string]*session{}, byPrompt: map[string]*session{}}
	opts := local.Options{
		Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Clock: l.clock, DispatchEvery: -1, NoSeed: true,
		Practice: "Northwind Coaching", Log: slog.New(logs),
	}
	storeName, storeKind := "embedded store (in process, snapshot file)", "the embedded store"
	if cfg.Endpoint != "" {
		opts.DynamoDBEndpoint, opts.Table = cfg.Endpoint, "coachmail-loadtest-"+coaching.NewID()
		storeName, storeKind = fmt.Sprintf("DynamoDB at %s (table %s)", cfg.Endpoint, opts.Table), "DynamoDB at "+cfg.Endpoint
	}
	var dropOnce sync.Once
	drop := func() {
		if cfg.Endpoint != "" {
			dropOnce.Do(func() { deleteTable(cfg.Endpoint, opts.Table, probs) })
		}
	}
	defer drop()
	if l.stack, err = local.Start(ctx, opts); err != nil {
		return result{}, fmt.Errorf("start the local stack: %w", err)
	}
	defer l.stack.Close()
	fmt.Fprintf(out, "coachmail load test: %d leaders × %d sessions = %d prompts and %d replies, through the local mode on loopback\n",
		cfg.Leaders, cfg.Sessions, cfg.Leaders*cfg.Sessions, cfg.Leaders*cfg.Sessions)
	fmt.Fprintf(out, "store: %s; %d SMTP clients; %s\n", storeName, cfg.Clients, machine())

	if cfg.Progress != nil {
		pctx, stop := context.WithCancel(ctx)
		defer stop()
		go l.report(pctx, cfg.Progress, progressEvery)
	}
	var res result
	fmt.Fprintf(out, row, "phase", "messages", "time", "msgs/s", "p50", "p99", "errors")
	steps := []struct {
		do    func(context.Context) (phase, error)
		after func(context.Context, *result) error
	}{
		{l.setup, nil},
		// Not timed: the checks of the dispatch, and the replies to send,
		// read back from the records and the outbox.
		{l.dispatch, l.checkSentAndPrepare},
		{l.replies, func(ctx context.Context, res *result) error { return l.checkStored(ctx, res) }},
	}
	for _, step := range steps {
		p, err := step.do(ctx)
		res.Phases = append(res.Phases, p)
		writePhase(out, p)
		if err == nil && step.after != nil {
			err = step.after(ctx, &res)
		}
		if err != nil {
			l.probs.add("%s: %v", p.Name, err)
			break
		}
	}
	if err := l.stack.Close(); err != nil {
		l.probs.add("close the stack: %v", err)
	}
	drop()
	if n := logs.count(); n > 0 {
		res.Checks = append(res.Checks, fmt.Sprintf("the stack logged %d warnings or errors", n))
	}
	res.Errors = l.probs.count()
	res.Problems = l.probs.first
	res.Summary = summary(cfg, storeKind, res)
	writeEnd(out, res)
	if ctx.Err() != nil {
		return res, fmt.Errorf("stopped after %s: %w", cfg.Timeout, ctx.Err())
	}
	if res.Errors > 0 {
		return res, fmt.Errorf("%d errors", res.Errors)
	}
	return res, nil
}

// setup registers the coaches and leaders and adds every session.
func (l *load) setup(ctx context.Context) (phase, error) {
	p := phase{Name: "setup: add session"}
	store := l.stack.Store()
	now := l.clock.Now()
	for c := 0; c < (l.cfg.Leaders+9)/10; c++ {
		first, last := firstNames[(c+7)%len(firstNames)], lastNames[(c+11)%len(lastNames)]
		coach := coaching.Coach{
			ID: coaching.NewID(), Email: fmt.Sprintf("%s.%s.%d@northwind-coaching.example", strings.ToLower(first), strings.ToLower(last), c),
			Name: first + " " + last, Practice: "Northwind Coaching", TimeZone: zones[c%len(zones)], CreatedAt: now,
		}
		if err := store.CreateCoach(ctx, coach); err != nil {
			return p, fmt.Errorf("create coach: %w", err)
		}
		l.coaches = append(l.coaches, coach)
	}
	for i := 0; i < l.cfg.Leaders; i++ {
		first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
		ld := leader{
			id: coaching.NewID(), name: first + " " + last, zone: zones[(i/3)%len(zones)],
			email:   fmt.Sprintf("%s.%s.%d@%s.example", strings.ToLower(first), strings.ToLower(last), i, companies[i%len(companies)]),
			coachID: l.coaches[i/10].ID,
		}
		loc, err := time.LoadLocation(ld.zone)
		if err != nil {
			return p, fmt.Errorf("time zone %s: %w", ld.zone, err)
		}
		ld.loc = loc
		if err := store.CreateLeader(ctx, coaching.Leader{ID: ld.id, Email: ld.email, Name: ld.name, CoachID: ld.coachID, TimeZone: ld.zone, CreatedAt: now}); err != nil {
			return p, fmt.Errorf("create leader: %w", err)
		}
		l.leaders = append(l.leaders, ld)
	}

	// Every leader's j-th session starts at the same step of the window,
	// a few minutes apart from leader to leader.
	type job struct{ leader, n int }
	jobs := make(chan job)
	type added struct {
		job
		id string
		d  time.Duration
	}
	done := make(chan added)
	cyc := &cycle.Cycle{Store: store, Clock: l.clock, Log: slog.New(slog.DiscardHandler)}
	var failed atomic.Int64
	l.begin(p.Name, l.cfg.Leaders*l.cfg.Sessions, nil)
	var wg sync.WaitGroup
	for range l.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				ld := l.leaders[j.leader]
				start := sessionsFrom.Add(time.Duration(j.n) * sessionWindow / time.Duration(l.cfg.Sessions)).Add(time.Duration(j.leader%7) * time.Minute)
				began := time.Now()
				s, err := cyc.AddSession(ctx, coaching.Session{
					CoachID: ld.coachID, LeaderIDs: []string{ld.id}, Title: "Coaching: " + ld.name,
					Start: start, End: start.Add(time.Hour), TimeZone: ld.zone,
				})
				if err != nil {
					failed.Add(1)
					l.probs.add("add session %d of leader %d: %v", j.n, j.leader, err)
					continue
				}
				l.progress.Add(1)
				done <- added{j, s.ID, time.Since(began)}
			}
		}()
	}
	start := time.Now()
	go func() {
		defer close(jobs)
		for n := 0; n < l.cfg.Sessions; n++ {
			for i := range l.leaders {
				select {
				case jobs <- job{i, n}:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()
	for a := range done {
		s := &session{id: a.id, leader: a.leader}
		l.sessions = append(l.sessions, s)
		l.byID[s.id] = s
		p.Times = append(p.Times, a.d)
	}
	// The workers have stopped reading the leaders.
	for _, s := range l.sessions {
		l.leaders[s.leader].sessions = append(l.leaders[s.leader].sessions, s.id)
	}
	p.Elapsed, p.Count, p.Errors = time.Since(start), len(l.sessions), int(failed.Load())
	if err := ctx.Err(); err != nil {
		return p, err
	}
	if p.Errors > 0 {
		return p, fmt.Errorf("%d sessions not added", p.Errors)
	}
	return p, nil
}

// dispatch moves the clock to where every prompt is due and runs the
// dispatcher until nothing due is left.
func (l *load) dispatch(ctx context.Context) (phase, error) {
	p := phase{Name: "dispatch: prompt to outbox"}
	l.clock.Set(dispatchAt)
	l.begin(p.Name, len(l.sessions), func() int64 { return int64(len(l.stack.Outbox().Messages())) })
	start := time.Now()
	var total cycle.Result
	for {
		res, err := l.stack.Dispatch(ctx)
		total.Add(res)
		if err != nil {
			p.Elapsed = time.Since(start)
			return p, fmt.Errorf("dispatch: %w", err)
		}
		if res.Sent+res.Skipped+res.Failed == 0 || total.Sent >= len(l.sessions) {
			break
		}
	}
	p.Elapsed, p.Count = time.Since(start), total.Sent
	p.Errors = total.Skipped + total.Lost + total.Retry + total.Failed
	if p.Errors > 0 {
		l.probs.add("dispatch: %d skipped, %d lost to another dispatcher, %d to retry, %d failed; want none", total.Skipped, total.Lost, total.Retry, total.Failed)
	}
	// The dispatcher sends one email after another: the time each took is
	// the gap between its arrival in the outbox and the one before.
	var captured []time.Time
	for _, m := range l.stack.Outbox().Messages() {
		captured = append(captured, m.Captured)
	}
	sort.Slice(captured, func(i, j int) bool { return captured[i].Before(captured[j]) })
	prev := start
	for _, c := range captured {
		p.Times = append(p.Times, c.Sub(prev))
		prev = c
	}
	return p, nil
}

// checkSentAndPrepare checks the dispatch and prepares the replies.
func (l *load) checkSentAndPrepare(ctx context.Context, res *result) error {
	if err := l.checkSent(ctx, res); err != nil {
		return fmt.Errorf("check: %w", err)
	}
	if err := l.prepare(ctx); err != nil {
		return fmt.Errorf("prepare the replies: %w", err)
	}
	return nil
}

// checkSent reads back every session's emails and the outbox, and checks
// that each prompt was sent once, to its leader, and nothing else was.
func (l *load) checkSent(ctx context.Context, res *result) error {
	records := make(map[string][]coaching.ScheduledEmail, len(l.sessions))
	var mu sync.Mutex
	err := l.each(ctx, len(l.sessions), func(i int) error {
		s := l.sessions[i]
		emails, err := l.stack.Store().EmailsOfSession(ctx, s.id)
		if err != nil {
			return fmt.Errorf("emails of session %s: %w", s.id, err)
		}
		mu.Lock()
		records[s.id] = emails
		mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	want := map[string]string{} // session id → leader address
	for _, s := range l.sessions {
		want[s.id] = l.leaders[s.leader].email
	}
	msgs := l.stack.Outbox().Messages()
	sent := checkSent(want, records, msgs, l.probs.add)
	for id, s := range sent {
		l.byID[id].promptID = s
		l.byPrompt[s] = l.byID[id]
	}
	// Nothing else is due: a second dispatch at the same time sends
	// nothing.
	again, err := l.stack.Dispatch(ctx)
	if err != nil {
		return fmt.Errorf("second dispatch: %w", err)
	}
	if again.Sent+again.Failed+again.Retry > 0 {
		l.probs.add("a second dispatch at the same time sent %d, failed %d, retried %d; want nothing", again.Sent, again.Failed, again.Retry)
	}
	unique := map[string]bool{}
	for _, m := range msgs {
		unique[m.MessageID] = true
	}
	res.Checks = append(res.Checks, fmt.Sprintf("every due prompt sent once: %d records sent, outbox %d, unique Message-IDs %d, each to its leader; a second dispatch sent %d",
		len(sent), len(msgs), len(unique), again.Sent))
	return nil
}

// checkSent checks the dispatch: want maps each session to its leader's
// address; records are the scheduled emails of each session; msgs are
// the outbox's messages. Each session must have one prompt recorded as
// sent with a Message-ID that the outbox holds once, addressed to its
// leader, and a brief still pending (not yet due); the outbox must hold
// nothing else. It returns the prompts' Message-IDs by session, and says
// each failure to fail.
func checkSent(want map[string]string, records map[string][]coaching.ScheduledEmail, msgs []outbox.Message, fail func(string, ...any)) map[string]string {
	byMsgID := map[string][]outbox.Message{}
	for _, m := range msgs {
		byMsgID[m.MessageID] = append(byMsgID[m.MessageID], m)
	}
	sent := map[string]string{}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var prompts, briefs int
		for _, e := range records[id] {
			switch e.Kind {
			case coaching.EmailPrompt:
				prompts++
				if e.State != coaching.EmailSent || e.MessageID == "" {
					fail("session %s: prompt %s is %s, want sent", id, e.ID, e.State)
					continue
				}
				sent[id] = e.MessageID
				got := byMsgID[e.MessageID]
				if len(got) != 1 {
					fail("session %s: prompt <%s> is in the outbox %d times, want once", id, e.MessageID, len(got))
					continue
				}
				if to := got[0].Envelope.To; len(to) != 1 || coaching.NormalizeAddress(to[0]) != want[id] {
					fail("session %s: prompt <%s> went to %v, want %s", id, e.MessageID, to, want[id])
				}
			case coaching.EmailBrief:
				briefs++
				if e.State != coaching.EmailPending {
					fail("session %s: brief %s is %s before it is due, want pending", id, e.ID, e.State)
				}
			default:
				fail("session %s: unexpected %s email %s (%s)", id, e.Kind, e.ID, e.State)
			}
		}
		if prompts != 1 || briefs != 1 {
			fail("session %s: %d prompts and %d briefs scheduled, want one of each", id, prompts, briefs)
		}
	}
	ours := map[string]bool{}
	for _, m := range sent {
		ours[m] = true
	}
	for id, ms := range byMsgID {
		if !ours[id] {
			fail("outbox holds <%s> %d times, which no record says was sent", id, len(ms))
		}
	}
	return sent
}

// prepare writes the reply to every prompt: read from the outbox, as the
// leader's mail client would have it.
func (l *load) prepare(ctx context.Context) error {
	msgs := l.stack.Outbox().Messages()
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].Captured.Before(msgs[j].Captured) })
	l.mails = make([]replyMail, len(msgs))
	at := dispatchAt.Add(20 * time.Minute)
	return l.each(ctx, len(msgs), func(i int) error {
		m := msgs[i]
		s := l.byPrompt[m.MessageID]
		if s == nil || len(m.ReplyTo) == 0 {
			return fmt.Errorf("outbox message %s: no session or no Reply-To", m.ID)
		}
		d, err := l.stack.Outbox().Detail(m.ID)
		if err != nil {
			return err
		}
		p := prompt{From: m.From, ReplyTo: m.ReplyTo[0], Subject: m.Subject, MessageID: m.MessageID, Refs: m.References, Date: m.Date, Text: d.Text, HTML: d.HTML}
		text, marker := answer(i)
		s.marker, s.quoted = marker, promptLines(d.Text)
		l.mails[i] = compose(p, l.leaders[s.leader], text, i, at.Add(time.Duration(i)*time.Second))
		return nil
	})
}

// promptLines are the lines of a prompt long enough to tell that a stored
// answer quotes it.
func promptLines(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); len(line) >= 24 {
			out = append(out, line)
		}
	}
	return out
}

// replies sends every reply over SMTP from cfg.Clients clients at once.
func (l *load) replies(ctx context.Context) (phase, error) {
	p := phase{Name: "replies: SMTP to stored"}
	jobs := make(chan int)
	times := make([][]time.Duration, l.cfg.Clients)
	errs, again := make([]int, l.cfg.Clients), make([]int, l.cfg.Clients)
	var wg sync.WaitGroup
	l.begin(p.Name, len(l.mails), nil)
	start := time.Now()
	for c := range l.cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := &smtpClient{addr: l.stack.SMTPAddr(), helo: fmt.Sprintf("mta%d.mail.example", c)}
			defer cl.close()
			for k := range jobs {
				began := time.Now()
				if err := cl.send(ctx, l.mails[k]); err != nil {
					errs[c]++
					l.probs.add("reply %d from %s: %v", k, l.mails[k].from, err)
					continue
				}
				times[c] = append(times[c], time.Since(began))
				l.progress.Add(1)
				if redelivered(k, l.cfg.Redeliver) {
					// The sending MTA missed the 250 and sends the same
					// message again, as RFC 5321 4.1.1.4 allows it to.
					if err := cl.send(ctx, l.mails[k]); err != nil {
						errs[c]++
						l.probs.add("reply %d from %s, sent again: %v", k, l.mails[k].from, err)
						continue
					}
					again[c]++
				}
			}
		}()
	}
feed:
	for k := range l.mails {
		select {
		case jobs <- k:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	p.Elapsed = time.Since(start)
	for c := range l.cfg.Clients {
		p.Times = append(p.Times, times[c]...)
		p.Errors += errs[c]
		l.deliveries += again[c]
	}
	p.Count = len(p.Times)
	l.replied = p.Count
	l.deliveries += p.Count
	return p, ctx.Err()
}

// redelivered reports whether reply k is sent twice when percent of the
// replies are.
func redelivered(k, percent int) bool { return k%100 < percent }

// smtpClient is one sending MTA: one connection, kept across messages,
// opened again after a failure.
type smtpClient struct {
	addr, helo string
	conn       net.Conn
	c          *smtp.Client
}

func (s *smtpClient) send(ctx context.Context, m replyMail) error {
	if s.c == nil {
		d := net.Dialer{Timeout: smtpDialTimeout}
		conn, err := d.DialContext(ctx, "tcp", s.addr)
		if err != nil {
			return fmt.Errorf("dial: %w", err)
		}
		host, _, _ := net.SplitHostPort(s.addr)
		c, err := smtp.NewClient(conn, host)
		if err != nil {
			conn.Close()
			return fmt.Errorf("greeting: %w", err)
		}
		s.conn, s.c = conn, c
		if err := c.Hello(s.helo); err != nil {
			s.close()
			return fmt.Errorf("EHLO: %w", err)
		}
	}
	deadline := time.Now().Add(smtpTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	err := s.conn.SetDeadline(deadline)
	if err == nil {
		err = s.transaction(m)
	}
	if err != nil {
		s.close()
	}
	return err
}

func (s *smtpClient) transaction(m replyMail) error {
	if err := s.c.Mail(m.from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := s.c.Rcpt(m.rcpt); err != nil {
		return fmt.Errorf("RCPT TO: %w", err)
	}
	w, err := s.c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(m.raw); err != nil {
		w.Close()
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end of DATA: %w", err)
	}
	return nil
}

func (s *smtpClient) close() {
	if s.c != nil {
		_ = s.c.Quit()
		s.c.Close()
	}
	s.c, s.conn = nil, nil
}

// checkStored reads back every leader's focus answers, the quarantine
// and the raw mail kept, and checks that each reply was stored once.
func (l *load) checkStored(ctx context.Context, res *result) error {
	answers := make([][]coaching.FocusAnswer, len(l.leaders))
	err := l.each(ctx, len(l.leaders), func(i int) error {
		// More than the leader's sessions, so that a duplicate shows.
		fa, err := l.stack.Store().FocusAnswers(ctx, l.leaders[i].id, 2*len(l.leaders[i].sessions)+10)
		if err != nil {
			return fmt.Errorf("focus answers of leader %d: %w", i, err)
		}
		answers[i] = fa
		return nil
	})
	if err != nil {
		return err
	}
	var all []coaching.FocusAnswer
	for _, fa := range answers {
		all = append(all, fa...)
	}
	want := map[string]expected{}
	for _, s := range l.sessions {
		want[s.id] = expected{leaderID: l.leaders[s.leader].id, marker: s.marker, quoted: s.quoted}
	}
	c := checkAnswers(want, all, l.probs.add)
	q, err := l.stack.Store().Quarantined(ctx, 20)
	if err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	for _, m := range q {
		l.probs.add("quarantined: %s (%s)", m.ID, m.Reason)
	}
	raw, err := countRaw(ctx, l.stack.Dir())
	if err != nil {
		return err
	}
	if raw != l.deliveries {
		l.probs.add("%d raw messages kept for %d messages accepted, want one each", raw, l.deliveries)
	}
	if n := len(l.stack.Outbox().Messages()); n != len(l.sessions) {
		l.probs.add("outbox holds %d messages after the replies, want the %d prompts only", n, len(l.sessions))
	}
	again := ""
	if l.cfg.Redeliver > 0 {
		again = fmt.Sprintf(" (%d of them delivered twice)", l.deliveries-l.replied)
	}
	res.Checks = append(res.Checks, fmt.Sprintf("every reply stored once: %d replies accepted%s, %d focus answers, %d sessions answered once, %d twice or more, %d missing, %d without their reply's words, %d with the quoted prompt; %d quarantined; %d raw messages kept",
		l.replied, again, len(all), c.once, c.more, c.missing, c.wrong, c.quoted, len(q), raw))
	return nil
}

// expected is what a session's stored answer must be.
type expected struct {
	leaderID string
	marker   string   // words the answer must have
	quoted   []string // lines it must not have
}

// answerCounts says how the stored answers matched what was expected.
type answerCounts struct{ once, more, missing, wrong, quoted int }

// checkAnswers checks that each session of want has exactly one stored
// focus answer, of its leader, with its marker and none of its quoted
// lines, and that no answer is of a session not in want; it says each
// failure to fail.
func checkAnswers(want map[string]expected, got []coaching.FocusAnswer, fail func(string, ...any)) answerCounts {
	var c answerCounts
	by := map[string][]coaching.FocusAnswer{}
	for _, f := range got {
		if _, ok := want[f.SessionID]; !ok {
			fail("focus answer from %s for session %q, which is not one of the load's", f.MessageID, f.SessionID)
			continue
		}
		by[f.SessionID] = append(by[f.SessionID], f)
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		w, fs := want[id], by[id]
		switch {
		case len(fs) == 0:
			c.missing++
			fail("session %s: no focus answer stored, want one naming %s", id, w.marker)
			continue
		case len(fs) > 1:
			c.more++
			fail("session %s: %d focus answers stored, want one", id, len(fs))
		default:
			c.once++
		}
		f := fs[0]
		if f.LeaderID != w.leaderID {
			fail("session %s: focus answer of leader %s, want %s", id, f.LeaderID, w.leaderID)
		}
		if !strings.Contains(f.Text, w.marker) {
			c.wrong++
			fail("session %s: focus answer %q does not name %s", id, clip(f.Text), w.marker)
		}
		for _, q := range w.quoted {
			if strings.Contains(f.Text, q) {
				c.quoted++
				fail("session %s: focus answer %q holds the prompt's line %q", id, clip(f.Text), q)
				break
			}
		}
	}
	return c
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// countRaw counts the raw messages the stack kept, listed through the S3
// API of its raw-mail bucket, as the operator commands find it.
func countRaw(ctx context.Context, dir string) (int, error) {
	data, err := os.ReadFile(filepath.Join(dir, local.RunningFile))
	if err != nil {
		return 0, fmt.Errorf("count raw messages: %w", err)
	}
	var r local.Running
	if err := json.Unmarshal(data, &r); err != nil {
		return 0, fmt.Errorf("count raw messages: %s: %w", local.RunningFile, err)
	}
	client := s3.New(s3.Options{
		Region: "eu-west-1", BaseEndpoint: aws.String(r.S3Endpoint), UsePathStyle: true,
		Credentials:                credentials.NewStaticCredentialsProvider("local", "local", ""),
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	})
	n := 0
	pages := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(r.Bucket), Prefix: aws.String(r.RawPrefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("count raw messages: list %s/%s: %w", r.Bucket, r.RawPrefix, err)
		}
		n += len(page.Contents)
	}
	return n, nil
}

// each runs f for 0..n-1 on cfg.Workers goroutines and returns the first
// error.
func (l *load) each(ctx context.Context, n int, f func(int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range l.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					cancel(err)
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// deleteTable removes the table a run made on DynamoDB Local.
func deleteTable(endpoint, table string, probs *problems) {
	client := dynamodb.New(dynamodb.Options{
		Region: "eu-west-1", BaseEndpoint: aws.String(endpoint),
		Credentials:                     credentials.NewStaticCredentialsProvider("local", "local", ""),
		DisableValidateResponseChecksum: true,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}); err != nil {
		probs.add("delete table %s: %v", table, err)
	}
}

// row is the format of the phase table.
const row = "%-28s %8s %9s %8s %9s %9s %6s\n"

// writePhase prints the line of a phase.
func writePhase(out io.Writer, p phase) {
	s := stats(p.Times)
	fmt.Fprintf(out, row, p.Name, fmt.Sprint(p.Count), round(p.Elapsed), fmt.Sprintf("%.1f", p.PerSecond()), round(s.p50), round(s.p99), fmt.Sprint(p.Errors))
}

// writeEnd prints the checks and the errors.
func writeEnd(out io.Writer, res result) {
	for _, c := range res.Checks {
		fmt.Fprintln(out, "check: "+c)
	}
	for _, p := range res.Problems {
		fmt.Fprintln(out, "error: "+p)
	}
	if len(res.Problems) < res.Errors {
		fmt.Fprintf(out, "error: ... and %d more\n", res.Errors-len(res.Problems))
	}
	fmt.Fprintf(out, "errors: %d\n", res.Errors)
}

// summary is the one-line result.
func summary(cfg config, store string, res result) string {
	var parts []string
	for _, p := range res.Phases {
		name, _, _ := strings.Cut(p.Name, ":")
		parts = append(parts, fmt.Sprintf("%s %d in %s (%.0f/s)", name, p.Count, round(p.Elapsed), p.PerSecond()))
	}
	return fmt.Sprintf("loadtest: %d×%d on %s: %s; errors %d", cfg.Leaders, cfg.Sessions, store, strings.Join(parts, ", "), res.Errors)
}

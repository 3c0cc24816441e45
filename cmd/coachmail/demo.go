package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"mime/quotedprintable"
	"net/smtp"
	"net/textproto"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/outbox"
)

// demoCmd plays one whole coaching cycle against the local mode, in a
// fresh folder, on a clock that jumps from one due email to the next, and prints
// what each person received and what was stored. Mail goes in over SMTP
// and out through the SES endpoint of the outbox, so everything runs the
// code that runs in AWS. The output holds no random ids or ports: the same
// code prints the same story.
func demoCmd(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	keep := fs.Bool("keep", false, "keep the demo's state folder and say where it is (open its outbox with coachmail run --dir)")
	verbose := fs.Bool("v", false, "log what the stack does to standard error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: coachmail demo [-keep] [-v]")
		return 2
	}
	dir, err := os.MkdirTemp("", "coachmail-demo-")
	if err != nil {
		fmt.Fprintf(stderr, "coachmail demo: %v\n", err)
		return 1
	}
	if *keep {
		fmt.Fprintf(stderr, "coachmail demo: state kept in %s; see it with: coachmail run --dir %s\n", dir, dir)
	} else {
		defer os.RemoveAll(dir)
	}
	log := slog.New(slog.DiscardHandler)
	if *verbose {
		log = slog.New(slog.NewTextHandler(stderr, nil))
	}
	if err := playDemo(ctx, dir, stdout, log); err != nil {
		fmt.Fprintf(stderr, "coachmail demo: %v\n", err)
		return 1
	}
	return 0
}

// The people and places of the demo.
const (
	demoZone        = "Europe/London"
	demoCoachName   = "Robin Ellis"
	demoCoachAddr   = "robin@coach.example"
	demoLeaderName  = "Dana Lee"
	demoLeaderAddr  = "dana@leader.example"
	demoPractice    = "Northwind Coaching"
	demoFirstLines  = 6
	demoSessionUID  = "7kq2m9c4v1@google.example"
	demoGmailDomain = "mail.gmail.example"
)

// demoStart is when the story starts: a week before the first session.
var demoStart = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

type demo struct {
	ctx   context.Context
	out   io.Writer
	s     *local.Stack
	clock *coaching.ManualClock
	zone  *time.Location
	seen  map[string]bool
	got   map[string]outbox.Message // latest message received, by recipient address
	coach coaching.Coach
	// sessions are the ids of the sessions whose emails the clock stops at.
	sessions []string
	n        int // messages sent by the people, for their Message-IDs
	err      error
}

func playDemo(ctx context.Context, dir string, out io.Writer, log *slog.Logger) error {
	zone, err := time.LoadLocation(demoZone)
	if err != nil {
		return fmt.Errorf("time zone %s: %w", demoZone, err)
	}
	clock := coaching.NewManualClock(demoStart)
	s, err := local.Start(ctx, local.Options{
		Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
		Clock: clock, DispatchEvery: -1, NoSeed: true, Practice: demoPractice, Log: log,
	})
	if err != nil {
		return err
	}
	d := &demo{ctx: ctx, out: out, s: s, clock: clock, zone: zone, seen: map[string]bool{}, got: map[string]outbox.Message{}}
	d.play()
	if err := s.Close(); err != nil && d.err == nil {
		d.err = err
	}
	return d.err
}

// play tells the story. Each step stops at the first error.
func (d *demo) play() {
	d.printf("coachmail demo: one coaching cycle on the local mode, on a clock that runs ahead.\n")
	d.printf("Mail goes in over SMTP to the intake at @%s and out through the SES endpoint to the outbox.\n", d.s.Domain())
	d.printf("The clock jumps to each time an email falls due and the dispatcher runs there. Times are %s.\n", demoZone)

	// The operator registers the coach (coachmail coach add).
	d.step("operator", "registers the coach")
	d.coach = coaching.Coach{ID: coaching.NewID(), Email: demoCoachAddr, Name: demoCoachName, Practice: demoPractice, TimeZone: demoZone, CreatedAt: d.clock.Now()}
	if d.check(d.s.Store().CreateCoach(d.ctx, d.coach)) {
		return
	}
	d.stored("coach %s <%s>, practice %s, time zone %s", d.coach.Name, d.coach.Email, d.coach.Practice, d.coach.TimeZone)

	// 1. The coach invites the intake address to a weekly series.
	d.step(demoCoachName, "sends a calendar invitation to "+d.s.NotesAddress())
	d.quote("Coaching: Dana / Robin — weekly on Mondays 10:00–11:00, twice; guests: Dana Lee, " + d.s.NotesAddress())
	if d.send(demoCoachAddr, d.invitation()) {
		return
	}
	leader, err := d.s.Store().LeaderByEmail(d.ctx, demoLeaderAddr)
	if d.check(err) {
		return
	}
	d.stored("leader %s <%s>, new, from the invitation's guests", leader.Name, leader.Email)
	sessions, err := d.s.Store().SessionsOfLeader(d.ctx, leader.ID, demoStart, time.Time{})
	if d.check(err) {
		return
	}
	for _, ss := range sessions {
		d.sessions = append(d.sessions, ss.ID)
		emails, err := d.s.Store().EmailsOfSession(d.ctx, ss.ID)
		if d.check(err) {
			return
		}
		d.stored("session %s, %s", d.span(ss.Start, ss.End), d.schedule(emails))
	}
	first := sessions[0]

	// 2. The prompt goes out a day before.
	if d.runUntil(time.Date(2026, 12, 6, 11, 0, 0, 0, d.zone)) {
		return
	}
	// 3. Dana replies from Gmail, above the quoted prompt.
	prompt, ok := d.got[demoLeaderAddr]
	if !ok {
		d.err = fmt.Errorf("no prompt reached %s", demoLeaderAddr)
		return
	}
	answer := "Honestly? I keep avoiding the roles conversation with my co-founder. We both think we own product, and the team can feel it.\n\nSent from my phone, sorry for typos."
	d.step(demoLeaderName, "replies from Gmail, her answer above the quoted prompt")
	d.quote("Honestly? I keep avoiding the roles conversation with my co-founder. [...]")
	if d.send(demoLeaderAddr, d.gmailReply(prompt, answer)) {
		return
	}
	focus, err := d.s.Store().FocusAnswers(d.ctx, leader.ID, 1)
	if d.check(err) {
		return
	}
	for _, f := range focus {
		d.stored("focus answer for %s: %q", d.when(first.Start), f.Text)
	}

	// 4. The brief two hours before; 5. the coach's notes after the session.
	if d.runUntil(time.Date(2026, 12, 7, 11, 30, 0, 0, d.zone)) {
		return
	}
	d.step(demoCoachName, "forwards her notes of the session to "+d.s.NotesAddress())
	d.quote("Fwd: Dana 7/12 — Decision, Reframe, Actions with due dates")
	if d.send(demoCoachAddr, d.forwardedNotes()) {
		return
	}
	outcomes, err := d.s.Store().Outcomes(d.ctx, first.ID)
	if d.check(err) {
		return
	}
	for _, o := range outcomes {
		due := ""
		if o.Due != "" {
			due = ", due " + o.Due
		}
		d.stored("%s: %q%s", o.Kind, o.Text, due)
	}
	emails, err := d.s.Store().EmailsOfSession(d.ctx, first.ID)
	if d.check(err) {
		return
	}
	d.stored("commitments for %s: %d open; %s", demoLeaderName, d.openCommitments(leader.ID), d.schedule(emails))

	// 6. The recap, 7. the reminder, 8. the next prompt with commitments.
	if d.runUntil(time.Date(2026, 12, 13, 12, 0, 0, 0, d.zone)) {
		return
	}
	// 9. Dana answers the next prompt with a focus and statuses.
	next, ok := d.got[demoLeaderAddr]
	if !ok {
		d.err = fmt.Errorf("no second prompt reached %s", demoLeaderAddr)
		return
	}
	d.step(demoLeaderName, "replies to the prompt with her focus and where her commitments stand")
	d.quote("Pricing is the big one this week. / 1 done / 2 not yet, waiting on legal")
	if d.send(demoLeaderAddr, d.gmailReply(next, "Pricing is the big one this week: we are about to lose a deal over it.\n\n1 done\n2 not yet, waiting on legal")) {
		return
	}
	cs, err := d.s.Store().Commitments(d.ctx, leader.ID, false)
	if d.check(err) {
		return
	}
	for i, c := range cs {
		last := c.History[len(c.History)-1]
		comment := ""
		if last.Comment != "" {
			comment = fmt.Sprintf(" (%q)", last.Comment)
		}
		d.stored("commitment %d %q: %s%s", i+1, c.Text, strings.ReplaceAll(string(c.Status), "_", " "), comment)
	}
	focus, err = d.s.Store().FocusAnswers(d.ctx, leader.ID, 1)
	if d.check(err) {
		return
	}
	for _, f := range focus {
		d.stored("focus answer for %s: %q", d.when(sessions[len(sessions)-1].Start), f.Text)
	}

	// The second brief shows it all to the coach.
	if d.runUntil(time.Date(2026, 12, 14, 9, 0, 0, 0, d.zone)) {
		return
	}
	d.printf("\nThe outbox holds %d emails, each also an .eml file. To read them on the outbox page:\n", len(d.s.Outbox().Messages()))
	d.printf("coachmail demo -keep, then coachmail run --dir with the folder it names.\n")
}

// runUntil moves the clock up to t, stopping at each time an email of the
// demo's sessions falls due and running the dispatcher there (and at t),
// and prints what it sent; it reports whether the story must stop.
func (d *demo) runUntil(t time.Time) bool {
	for {
		res, err := d.s.Dispatch(d.ctx)
		if d.check(err) {
			return true
		}
		if res.Failed > 0 || res.Retry > 0 {
			d.err = fmt.Errorf("dispatch at %s: %d failed, %d to retry (run with -v)", d.when(d.clock.Now()), res.Failed, res.Retry)
			return true
		}
		d.received()
		now := d.clock.Now()
		if !now.Before(t) {
			return false
		}
		next := t
		for _, id := range d.sessions {
			emails, err := d.s.Store().EmailsOfSession(d.ctx, id)
			if d.check(err) {
				return true
			}
			for _, e := range emails {
				if e.State == coaching.EmailPending && e.Due.After(now) && e.Due.Before(next) {
					next = e.Due
				}
			}
		}
		d.clock.Set(next)
	}
}

// received prints the messages the outbox got since the last call.
func (d *demo) received() {
	ms := d.s.Outbox().Messages()
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	for _, m := range ms {
		if d.seen[m.ID] {
			continue
		}
		d.seen[m.ID] = true
		to := strings.Join(m.To, ", ")
		d.step(to, "receives "+strconvQuote(m.Subject))
		det, err := d.s.Outbox().Detail(m.ID)
		if d.check(err) {
			return
		}
		n := 0
		for _, line := range strings.Split(det.Text, "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			d.printf("    | %s\n", strings.TrimRight(line, " "))
			if n++; n == demoFirstLines {
				d.printf("    | [...]\n")
				break
			}
		}
		for _, a := range m.Envelope.To {
			d.got[a] = m
		}
	}
}

// send sends raw over SMTP from the envelope sender to the notes address or
// the Reply-To the message names, as a mail client would.
func (d *demo) send(from string, msg demoMail) bool {
	d.n++
	err := smtp.SendMail(d.s.SMTPAddr(), nil, from, []string{msg.rcpt}, msg.raw)
	return d.check(err)
}

// demoMail is a message and its envelope recipient.
type demoMail struct {
	rcpt string
	raw  []byte
}

func (d *demo) invitation() demoMail {
	notes := d.s.NotesAddress()
	ics := strings.Join([]string{
		"BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:REQUEST",
		"BEGIN:VTIMEZONE", "TZID:Europe/London", "X-LIC-LOCATION:Europe/London",
		"BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST", "DTSTART:19700329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
		"BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT", "DTSTART:19701025T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
		"END:VTIMEZONE",
		"BEGIN:VEVENT", "DTSTART;TZID=Europe/London:20261207T100000", "DTEND;TZID=Europe/London:20261207T110000",
		"RRULE:FREQ=WEEKLY;WKST=MO;COUNT=2;BYDAY=MO", "DTSTAMP:20261130T090000Z",
		"ORGANIZER;CN=Robin Ellis:mailto:" + demoCoachAddr, "UID:" + demoSessionUID,
		"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Dana Lee;X-NUM-GUESTS=0:mailto:" + demoLeaderAddr,
		"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=" + notes + ";X-NUM-GUESTS=0:mailto:" + notes,
		"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;CN=Robin Ellis;X-NUM-GUESTS=0:mailto:" + demoCoachAddr,
		"CREATED:20261130T085900Z", "DESCRIPTION:Our weekly coaching hour.", "LAST-MODIFIED:20261130T090000Z", "LOCATION:Video call",
		"SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Coaching: Dana / Robin", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR", "",
	}, "\r\n")
	text := "Robin Ellis has invited you to the following event.\n\nCoaching: Dana / Robin\nWeekly on Monday, 10:00 – 11:00 (GMT), twice\nGuests: Robin Ellis, Dana Lee, " + notes + "\n"
	return demoMail{rcpt: notes, raw: d.multipart(
		[]string{
			"From: Robin Ellis <" + demoCoachAddr + ">",
			"To: Dana Lee <" + demoLeaderAddr + ">, " + notes,
			"Subject: Invitation: Coaching: Dana / Robin @ Weekly from 10:00 to 11:00 on Monday (GMT) (" + demoLeaderAddr + ")",
			"Reply-To: Robin Ellis <" + demoCoachAddr + ">",
		},
		part{"text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes", text},
		part{"text/calendar; charset=\"UTF-8\"; method=REQUEST", ics},
	)}
}

// gmailReply answers m as Gmail does: the new text, then "On ... wrote:"
// and the quoted message, in a text and an HTML part.
func (d *demo) gmailReply(m outbox.Message, answer string) demoMail {
	det, err := d.s.Outbox().Detail(m.ID)
	if err != nil {
		d.err = err
	}
	attribution := fmt.Sprintf("On %s, %s wrote:", m.Date.In(d.zone).Format("Mon, 2 Jan 2006 at 15:04"), m.From)
	var quoted strings.Builder
	for _, line := range strings.Split(strings.TrimRight(det.Text, "\n"), "\n") {
		if line == "" {
			quoted.WriteString(">\n")
		} else {
			quoted.WriteString("> " + line + "\n")
		}
	}
	text := answer + "\n\n" + attribution + "\n\n" + quoted.String()
	var h strings.Builder
	h.WriteString(`<div dir="ltr">`)
	for _, p := range strings.Split(answer, "\n") {
		if p == "" {
			h.WriteString("<div><br></div>")
		} else {
			h.WriteString("<div>" + html.EscapeString(p) + "</div>")
		}
	}
	h.WriteString(`</div><br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">` + html.EscapeString(attribution) +
		`<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">` +
		det.HTML + "</blockquote></div>\n")
	refs := append(append([]string(nil), m.References...), m.MessageID)
	for i, r := range refs {
		refs[i] = "<" + r + ">"
	}
	to := m.ReplyTo[0]
	return demoMail{rcpt: to, raw: d.multipart(
		[]string{
			"From: Dana Lee <" + demoLeaderAddr + ">",
			"To: " + to,
			"Subject: Re: " + m.Subject,
			"In-Reply-To: <" + m.MessageID + ">",
			"References: " + strings.Join(refs, " "),
		},
		part{"text/plain; charset=\"UTF-8\"", text},
		part{"text/html; charset=\"UTF-8\"", h.String()},
	)}
}

func (d *demo) forwardedNotes() demoMail {
	notes := d.s.NotesAddress()
	body := "\n\n---------- Forwarded message ---------\n" +
		"From: Robin Ellis <" + demoCoachAddr + ">\n" +
		"Date: Mon, 7 Dec 2026 at 11:12\n" +
		"Subject: Dana 7/12\n" +
		"To: Robin Ellis <" + demoCoachAddr + ">\n\n\n" +
		"Dana — roles with her co-founder (Sam). Came in wanting to talk hiring; real issue is who owns product.\n\n" +
		"Decision: Dana will have the roles conversation with Sam this week.\n" +
		"Reframe: it's not conflict, it's clarity.\n\n" +
		"Actions:\n" +
		"- Book the conversation with Sam by Friday\n" +
		"- Draft the roles document before the board meeting on 15 December\n\n" +
		"Energy low at the start, much better by the end.\n\n" +
		"--\nRobin Ellis · Northwind Coaching\n"
	return demoMail{rcpt: notes, raw: d.multipart(
		[]string{
			"From: Robin Ellis <" + demoCoachAddr + ">",
			"To: " + notes,
			"Subject: Fwd: Dana 7/12",
		},
		part{"text/plain; charset=\"UTF-8\"", body},
	)}
}

type part struct{ contentType, body string }

// multipart writes a message with the header fields given, a Date and
// Message-ID of the demo's clock and counter, and the parts as a
// multipart/alternative in quoted-printable (one part: a single body).
func (d *demo) multipart(header []string, parts ...part) []byte {
	var b bytes.Buffer
	now := d.clock.Now().In(d.zone)
	for _, h := range header {
		b.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <CAdemo%04d+%s@%s>\r\nMIME-Version: 1.0\r\n", now.Format(time.RFC1123Z), d.n+1, now.Format("20060102T1504"), demoGmailDomain)
	qp := func(w io.Writer, s string) {
		q := quotedprintable.NewWriter(w)
		_, _ = q.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")))
		_ = q.Close()
	}
	if len(parts) == 1 {
		fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", parts[0].contentType)
		qp(&b, parts[0].body)
		return b.Bytes()
	}
	mw := multipart.NewWriter(&b)
	_ = mw.SetBoundary(fmt.Sprintf("000000000000demo%04d", d.n+1))
	fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=%q\r\n\r\n", mw.Boundary())
	for _, p := range parts {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.contentType}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			d.err = err
			return nil
		}
		qp(w, p.body)
	}
	_ = mw.Close()
	return b.Bytes()
}

func (d *demo) openCommitments(leaderID string) int {
	cs, err := d.s.Store().Commitments(d.ctx, leaderID, true)
	if d.check(err) {
		return 0
	}
	return len(cs)
}

// schedule says what is pending for a session, by kind and time.
func (d *demo) schedule(emails []coaching.ScheduledEmail) string {
	var parts []string
	sort.SliceStable(emails, func(i, j int) bool { return emails[i].Due.Before(emails[j].Due) })
	for _, e := range emails {
		if e.State == coaching.EmailPending {
			parts = append(parts, fmt.Sprintf("%s %s", e.Kind, d.when(e.Due)))
		}
	}
	if len(parts) == 0 {
		return "nothing pending"
	}
	return "pending: " + strings.Join(parts, ", ")
}

func (d *demo) step(who, what string) {
	d.printf("\n%s  %s %s\n", d.when(d.clock.Now()), who, what)
}

func (d *demo) quote(s string) { d.printf("    > %s\n", s) }

func (d *demo) stored(format string, args ...any) {
	d.printf("    stored: "+format+"\n", args...)
}

func (d *demo) when(t time.Time) string { return t.In(d.zone).Format("Mon 2 Jan 15:04") }

func (d *demo) span(start, end time.Time) string {
	return d.when(start) + "–" + end.In(d.zone).Format("15:04")
}

func (d *demo) printf(format string, args ...any) {
	if d.err != nil {
		return
	}
	if _, err := fmt.Fprintf(d.out, format, args...); err != nil {
		d.err = err
	}
}

// check records err and reports whether the story must stop.
func (d *demo) check(err error) bool {
	if err != nil && d.err == nil {
		d.err = err
	}
	return d.err != nil
}

func strconvQuote(s string) string { return "“" + s + "”" }

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	stdlog "log"
	"log/slog"
	"net/mail"
	"net/smtp"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/htmltext"
	"github.com/coachmail/coachmail/internal/local"
	"github.com/coachmail/coachmail/internal/message"
)

// TestDemoLogsNoPersonalData plays the whole demo story (invitation,
// prompt, Gmail reply, brief, forwarded notes, recap, reminder, second
// prompt, status reply, second brief) with every logger at debug level:
// the stack's Log, the process-wide slog and log defaults, and whatever is
// written straight to standard output or error while it runs. It fails
// when any line of that holds a fragment of a message body sent or
// received in the story, a subject, or a raw email address (SPEC.md: logs
// carry ids, routes and outcomes, never content or addresses).
//
// The story's messages are read back from the state folder afterwards (the
// raw inbound mail under raw/, the outbox's .eml files), so what is looked
// for follows the demo as it changes, rather than a list kept here.
func TestDemoLogsNoPersonalData(t *testing.T) {
	rec := &logRecorder{}
	dir := t.TempDir()
	var out bytes.Buffer
	stop := captureProcessOutput(t, rec)
	err := playDemo(context.Background(), dir, &out, slog.New(rec.handler(slog.LevelDebug)))
	stop()
	if err != nil {
		t.Fatalf("demo: %v\noutput so far:\n%s", err, out.String())
	}

	story := readStory(t, dir)
	if story.inbound == 0 || story.outbound == 0 {
		t.Fatalf("story read back from %s: %d messages received, %d sent; want both, or there is nothing to look for", dir, story.inbound, story.outbound)
	}
	det := newLeakDetector(story)
	lines := rec.all()
	if len(lines) == 0 {
		t.Fatal("nothing was logged: the logger is not wired, so the test proves nothing")
	}
	t.Logf("checked %d log lines (by level: %s) against %d body fragments, %d subjects and the address pattern, from %d messages received and %d sent",
		len(lines), rec.levels(), len(det.fragments), len(det.subjects), story.inbound, story.outbound)
	leaks := 0
	for _, line := range lines {
		for _, why := range det.leaks(line) {
			leaks++
			if leaks <= 20 {
				t.Errorf("log line leaks %s:\n\t%s", why, line)
			}
		}
	}
	if leaks > 20 {
		t.Errorf("... and %d more leaks", leaks-20)
	}

	// The detector itself: each kind of leak, planted in a line logged
	// through the same handler, must be caught; the stack's own kind of
	// line, and a masked address, must not be.
	t.Run("detector", func(t *testing.T) {
		if len(det.fragments) == 0 || len(det.subjects) == 0 || len(story.addresses) == 0 {
			t.Fatalf("story has %d fragments, %d subjects, %d addresses; want some of each", len(det.fragments), len(det.subjects), len(story.addresses))
		}
		planted := &logRecorder{}
		log := slog.New(planted.handler(slog.LevelDebug))
		body := det.fragments[len(det.fragments)/2]
		log.Debug("inbound: reply read", "text", "so: "+body+" ...")
		log.Info("dispatch: sent", slog.Group("email", "subject", det.subjects[0]))
		log.With("from", story.addresses[0]).Warn("inbound: quarantined")
		log.Error("smtp: received", "err", fmt.Errorf("wrap: %w", errors.New("rcpt <"+story.addresses[len(story.addresses)-1]+"> refused")))
		log.Info("inbound: handled", "message", "0000000demo0001", "route", "reply", "outcome", "applied", "duration_ms", 3)
		log.Info("unsubscribe: request", "address", "d***@leader.example")
		got := planted.all()
		if len(got) != 6 {
			t.Fatalf("planted %d lines, recorded %d", 6, len(got))
		}
		for i, line := range got {
			found := det.leaks(line)
			if want := i < 4; (len(found) > 0) != want {
				t.Errorf("leaks(%q) = %q, want a leak: %v", line, found, want)
			}
		}
	})
}

// logRecorder keeps every log record as one line: the level, the message
// and each attribute as key=value with the value as it is, unquoted and
// unescaped, so that a fragment is found whatever a real handler would do
// to its quotes or newlines.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
	count map[string]int
}

func (r *logRecorder) add(level, line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, line)
	if r.count == nil {
		r.count = map[string]int{}
	}
	r.count[level]++
}

func (r *logRecorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.lines...)
}

func (r *logRecorder) levels() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var parts []string
	for l, n := range r.count {
		parts = append(parts, fmt.Sprintf("%s %d", l, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func (r *logRecorder) handler(level slog.Level) slog.Handler {
	return &recordHandler{rec: r, level: level}
}

// recordHandler is the slog.Handler of a logRecorder.
type recordHandler struct {
	rec    *logRecorder
	level  slog.Level
	group  string // prefix of the keys: the open groups, dot-separated
	preset string // attributes added by With, rendered
}

func (h *recordHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *recordHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String() + " " + r.Message + h.preset)
	r.Attrs(func(a slog.Attr) bool {
		writeAttr(&b, h.group, a)
		return true
	})
	h.rec.add(r.Level.String(), b.String())
	return nil
}

func (h *recordHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	var b strings.Builder
	for _, a := range attrs {
		writeAttr(&b, h.group, a)
	}
	c := *h
	c.preset += b.String()
	return &c
}

func (h *recordHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	c := *h
	c.group += name + "."
	return &c
}

func writeAttr(b *strings.Builder, prefix string, a slog.Attr) {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range v.Group() {
			writeAttr(b, p, g)
		}
		return
	}
	b.WriteString(" " + prefix + a.Key + "=" + v.String())
}

// captureProcessOutput sends the process-wide loggers (slog's and log's
// defaults) to rec at debug level, and what is written to os.Stdout and
// os.Stderr to rec too, until the returned function is called: a library
// that logs on its own, or prints, is then looked at as well. The test's
// own output is unaffected: package testing keeps the writer it started
// with.
func captureProcessOutput(t *testing.T, rec *logRecorder) (stop func()) {
	t.Helper()
	oldDefault := slog.Default()
	slog.SetDefault(slog.New(rec.handler(slog.LevelDebug)))
	oldOut, oldErr := os.Stdout, os.Stderr
	var wg sync.WaitGroup
	pipe := func(name string) *os.File {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatalf("capture %s: %v", name, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, _ := io.ReadAll(r)
			r.Close()
			for _, line := range strings.Split(string(data), "\n") {
				if strings.TrimSpace(line) != "" {
					rec.add(name, name+": "+line)
				}
			}
		}()
		return w
	}
	os.Stdout, os.Stderr = pipe("stdout"), pipe("stderr")
	var once sync.Once
	stop = func() {
		once.Do(func() {
			os.Stdout.Close()
			os.Stderr.Close()
			os.Stdout, os.Stderr = oldOut, oldErr
			slog.SetDefault(oldDefault)
			wg.Wait()
		})
	}
	t.Cleanup(stop)
	return stop
}

// story is what was said in the messages of a run.
type story struct {
	inbound, outbound int
	bodies            []string // text of each body: plain, HTML as text, calendar texts
	subjects          []string
	addresses         []string // every address of the headers
	messageIDs        []string // every message id the messages named
}

// readStory reads every message received (the raw mail under raw/, as SES
// would keep it) and sent (the outbox's .eml files) in the state folder.
func readStory(t *testing.T, dir string) story {
	t.Helper()
	var st story
	read := func(root string, n *int) {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			m, err := message.Read(bytes.NewReader(data), message.Options{})
			if err != nil || m.From.Address == "" {
				return nil // the store's own files (metadata), not mail
			}
			*n++
			st.add(m)
			return nil
		})
		if err != nil {
			t.Fatalf("read messages under %s: %v", root, err)
		}
	}
	read(filepath.Join(dir, "raw"), &st.inbound)
	read(filepath.Join(dir, "outbox"), &st.outbound)
	return st
}

func (st *story) add(m *message.Message) {
	st.bodies = append(st.bodies, m.Text, htmltext.Convert(m.HTML, htmltext.Options{}))
	for _, c := range m.Calendars {
		st.bodies = append(st.bodies, calendarText(string(c)))
	}
	st.subjects = append(st.subjects, m.Subject)
	for _, list := range [][]string{{m.From.Address}, addrs(m.To), addrs(m.Cc), addrs(m.ReplyTo)} {
		st.addresses = append(st.addresses, list...)
	}
	st.messageIDs = append(st.messageIDs, m.MessageID, m.InReplyTo)
	st.messageIDs = append(st.messageIDs, m.References...)
	for _, a := range m.Attached {
		st.add(a)
	}
}

func addrs(list []mail.Address) []string {
	var out []string
	for _, a := range list {
		if a.Address != "" {
			out = append(out, a.Address)
		}
	}
	return out
}

// calendarText is what people wrote in a calendar: the values of its
// SUMMARY, DESCRIPTION, LOCATION and COMMENT properties, unfolded and
// unescaped, one a line.
func calendarText(ics string) string {
	ics = strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "").Replace(ics)
	var b strings.Builder
	for _, line := range strings.Split(ics, "\n") {
		name, value, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(strings.ToUpper(name), ";")
		switch name {
		case "SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT":
			value = strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(value)
			b.WriteString(value + "\n")
		}
	}
	return b.String()
}

// Lengths below which a line or subject is too common to say anything.
const (
	minFragment = 12
	minSubject  = 6
)

// addressPattern finds what looks like an email address. A redacting
// logger masks the local part ("d***@leader.example"), and a masked address
// does not match: '*' is left out of the local part's characters on
// purpose, so the match would have to end at the '@'.
var addressPattern = regexp.MustCompile(`[A-Za-z0-9._%+=-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`)

// replyPrefix is a subject's reply and forward markers.
var replyPrefix = regexp.MustCompile(`^(?i)(?:\s*(?:re|fwd?|aw|wg|tr|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+`)

// leakDetector says what of a story a log line gives away.
type leakDetector struct {
	fragments  []string // lower-cased body lines of minFragment characters or more
	subjects   []string // lower-cased, whole and without reply prefixes
	messageIDs map[string]bool
}

func newLeakDetector(st story) *leakDetector {
	d := &leakDetector{messageIDs: map[string]bool{}}
	seen := map[string]bool{}
	add := func(list *[]string, s string, min int) {
		s = strings.ToLower(strings.TrimSpace(s))
		if utf8.RuneCountInString(s) >= min && !seen[s] {
			seen[s] = true
			*list = append(*list, s)
		}
	}
	for _, body := range st.bodies {
		for _, line := range strings.Split(body, "\n") {
			// Quoted history is text of the story too, as is the line
			// without its quote marks.
			line = strings.TrimLeft(strings.TrimSpace(line), "> ")
			add(&d.fragments, line, minFragment)
		}
	}
	sort.Strings(d.fragments)
	for _, s := range st.subjects {
		add(&d.subjects, s, minSubject)
		add(&d.subjects, replyPrefix.ReplaceAllString(s, ""), minSubject)
	}
	for _, id := range st.messageIDs {
		if id != "" {
			d.messageIDs[strings.ToLower(id)] = true
		}
	}
	return d
}

// leaks says what line gives away: each body fragment, subject and raw
// address in it. An address-shaped message id of the story is not an
// address.
func (d *leakDetector) leaks(line string) []string {
	var out []string
	lower := strings.ToLower(line)
	for _, f := range d.fragments {
		if strings.Contains(lower, f) {
			out = append(out, fmt.Sprintf("body fragment %q", f))
		}
	}
	for _, s := range d.subjects {
		if strings.Contains(lower, s) {
			out = append(out, fmt.Sprintf("subject %q", s))
		}
	}
	for _, a := range addressPattern.FindAllString(line, -1) {
		if !d.messageIDs[strings.ToLower(a)] {
			out = append(out, fmt.Sprintf("address %q", a))
		}
	}
	return out
}

// TestRefusalsLogNoPersonalData is the other half of the story: the paths
// that log a reason (quarantine, ignore, refusal) rather than "applied",
// where a reason written from the message is the likeliest leak. On the
// seeded coach and leader, at debug level: notes, the recap, then a reply
// from the leader's other address, notes from a stranger, a reply to a
// forged reply address, an out-of-office answer, mail for another domain,
// an unsubscribe, and the notices that follow.
func TestRefusalsLogNoPersonalData(t *testing.T) {
	rec := &logRecorder{}
	dir := t.TempDir()
	stop := captureProcessOutput(t, rec)
	clock := coaching.NewManualClock(time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC))
	s, err := local.Start(context.Background(), local.Options{
		Dir: dir, SMTPAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Clock: clock, DispatchEvery: -1,
		Zone: "Europe/London", Log: slog.New(rec.handler(slog.LevelDebug)),
	})
	if err != nil {
		t.Fatal(err)
	}
	seed := s.Seeded()
	sendMail := func(from, rcpt, raw string) error {
		t.Helper()
		return smtp.SendMail(s.SMTPAddr(), nil, from, []string{rcpt}, []byte(strings.ReplaceAll(raw, "\n", "\r\n")))
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	dispatch := func() {
		t.Helper()
		if res, err := s.Dispatch(context.Background()); err != nil || res.Failed+res.Retry > 0 {
			t.Fatalf("Dispatch = %+v, %v", res, err)
		}
	}
	must(sendMail(seed.Coach.Email, s.NotesAddress(), `From: Robin Ellis <`+seed.Coach.Email+`>
To: `+s.NotesAddress()+`
Subject: Notes: Dana, the hiring freeze
Message-ID: <privacy-notes-1@coach.example>
Date: Mon, 7 Dec 2026 12:00:00 +0000

Decision: Dana will tell the board about the hiring freeze herself.
Actions:
- Write the board memo on the hiring freeze by Thursday
`))
	clock.Set(clock.Now().Add(seed.Coach.Offsets.Review))
	dispatch()
	ms := s.Outbox().Messages()
	if len(ms) != 1 || len(ms[0].ReplyTo) == 0 {
		t.Fatalf("outbox after the notes = %+v, want the recap", ms)
	}
	recap := ms[0]
	reply := func(from, subject, extra, body string) string {
		return "From: Dana Lee <" + from + ">\nTo: " + recap.ReplyTo[0] + "\nSubject: " + subject +
			"\nIn-Reply-To: <" + recap.MessageID + ">\nReferences: <" + recap.MessageID + ">\nMessage-ID: <privacy-" + coaching.NewID() + "@mail.leader.example>\n" +
			extra + "Date: Mon, 7 Dec 2026 13:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n" + body
	}
	// From her personal address: quarantined, the coach told.
	must(sendMail("dana.lee@personal.example", recap.ReplyTo[0], reply("dana.lee@personal.example", "Re: "+recap.Subject, "",
		"Sending from my own account: the memo is half written, the freeze news leaked already.\n")))
	// Away: ignored as an automatic reply.
	must(sendMail(seed.Leader.Email, recap.ReplyTo[0], reply(seed.Leader.Email, "Automatic reply: "+recap.Subject, "Auto-Submitted: auto-replied\n",
		"I am away at the offsite in Lisbon until Monday 14 December with no access to email.\n")))
	// Away again, known by its subject alone, whose reason once quoted it.
	must(sendMail(seed.Leader.Email, recap.ReplyTo[0], reply(seed.Leader.Email, "Out of Office: "+recap.Subject, "",
		"Back on 15 December. For the payroll migration, ask Jordan in finance.\n")))
	// A stranger writes to the notes address.
	must(sendMail("sam.okafor@cofounder.example", s.NotesAddress(), "From: Sam Okafor <sam.okafor@cofounder.example>\nTo: "+s.NotesAddress()+
		"\nSubject: Dana and the roles question\nMessage-ID: <privacy-stranger@cofounder.example>\n\nI hear Dana has been talking to a coach about our roles. Can we talk?\n"))
	// A reply address no email of ours gave out.
	forged := "reply+" + strings.Repeat("a", 40) + "@" + s.Domain()
	must(sendMail(seed.Leader.Email, forged, "From: Dana Lee <"+seed.Leader.Email+">\nTo: "+forged+
		"\nSubject: Re: the salary review numbers\nMessage-ID: <privacy-forged@leader.example>\n\nThe salary review numbers are attached, please keep them to yourself.\n"))
	// Another domain: refused at RCPT.
	if err := sendMail(seed.Leader.Email, "priya.raman@elsewhere.example", "Subject: x\n\nx\n"); err == nil {
		t.Error("mail for another domain was accepted")
	}
	// And the leader leaves.
	must(sendMail(seed.Leader.Email, recap.ReplyTo[0], reply(seed.Leader.Email, "Re: "+recap.Subject, "", "unsubscribe\n")))
	clock.Set(clock.Now().Add(time.Hour))
	dispatch()
	must(s.Close())
	stop()

	story := readStory(t, dir)
	det := newLeakDetector(story)
	lines := rec.all()
	q := 0
	for _, line := range lines {
		if strings.Contains(line, "outcome=quarantined") {
			q++
		}
	}
	t.Logf("checked %d log lines (by level: %s; %d quarantined) against %d body fragments, %d subjects and the address pattern, from %d messages received and %d sent",
		len(lines), rec.levels(), q, len(det.fragments), len(det.subjects), story.inbound, story.outbound)
	if story.inbound < 5 {
		t.Errorf("%d messages kept as received, want at least the 5 accepted", story.inbound)
	}
	for _, line := range lines {
		for _, why := range det.leaks(line) {
			t.Errorf("log line leaks %s:\n\t%s", why, line)
		}
	}
}

// TestCaptureProcessOutput proves that what a library would log or print
// on its own, around the stack's logger, reaches the privacy tests.
func TestCaptureProcessOutput(t *testing.T) {
	rec := &logRecorder{}
	stop := captureProcessOutput(t, rec)
	fmt.Fprintln(os.Stdout, "printed dana@leader.example")
	fmt.Fprintln(os.Stderr, "warned dana@leader.example")
	stdlog.Print("logged dana@leader.example")
	slog.Debug("debugged", "to", "dana@leader.example")
	stop()
	det := newLeakDetector(story{})
	got := rec.all()
	if len(got) != 4 {
		t.Fatalf("captured %q, want 4 lines", got)
	}
	for _, line := range got {
		if len(det.leaks(line)) != 1 {
			t.Errorf("leaks(%q) = %q, want the address", line, det.leaks(line))
		}
	}
}

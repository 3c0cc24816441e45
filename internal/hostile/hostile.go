// Package hostile generates a corpus of hostile and broken email: what an
// attacker, or a broken mail system, sends to coachmail's intake. Tests feed
// it to the real inbound path to prove what SPEC.md "Inbound mail" promises
// (no crash, bounded time and memory, a quarantine reason or a safe
// application, the raw message never lost) and run the dispatcher
// afterwards to prove that nothing of it reaches what coachmail sends (no
// injected header, no live script).
//
// Every case is generated, never downloaded, and deterministically: the
// same Params give the same bytes, so a failure replays exactly and the
// small cases can be kept as files (testdata/hostile at the repository
// root, rewritten by `go test ./internal/hostile -update`).
//
// The messages break, on purpose, RFC 5322 (line length, header syntax,
// NUL), RFC 2045 and RFC 2046 (nesting, part counts, boundaries, base64
// and quoted-printable), RFC 2047 (encoded-words that decode to CR LF),
// RFC 2231 and charset labels (labels that lie about the bytes), RFC 5545
// (recurrences of 100,000 and more instances), RFC 6868 (^n in a parameter
// value), RFC 1951 (a deflate stream a thousand times smaller than what it
// inflates to) and HTML (deep nesting, millions of character references,
// script). Each Case says what it attacks in its Attack field.
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Markers put into the injection cases. A test that finds one of them in a
// header of an outbound message, or the script marker unescaped in its
// HTML, has found an injection.
const (
	// InjectedHeader is the name of the header field the injection cases
	// try to smuggle into outbound mail.
	InjectedHeader = "X-Hostile-Injected"
	// Victim is the address the injection cases try to add as a Bcc.
	Victim = "victim@evil.example"
	// Probe marks the text of the injection cases, so that a test can find
	// where it landed (a focus answer, an outcome, a brief).
	Probe = "hostile-probe"
)

// Role says who a case claims to be from and to, which decides the route
// it takes through the inbound handler.
type Role string

// Roles.
const (
	// LeaderReply: from Params.Leader to Params.Reply, a reply to one of
	// coachmail's emails.
	LeaderReply Role = "leader-reply"
	// CoachNotes: from Params.Coach to Params.Notes, session notes.
	CoachNotes Role = "coach-notes"
	// CoachInvite: from Params.Coach to Params.Notes and Params.Attendee,
	// a calendar invitation.
	CoachInvite Role = "coach-invite"
)

// Params are what a case is generated from. The zero value of each field
// has a default, so that Params{} generates a usable corpus.
type Params struct {
	// Seed chooses the filler text, boundaries and attachment bytes; zero
	// is a seed like any other.
	Seed uint64
	// Date is the Date of every message and the reference for the
	// invitations' start times; zero means 2026-11-30 09:00 UTC.
	Date time.Time

	Leader   string // a leader's address; default dana@example.org
	Reply    string // a reply address of coachmail's; default reply+token@mail.practice.example
	Coach    string // a registered coach's address; default coach@practice.example
	Notes    string // the notes address; default notes@mail.practice.example
	Attendee string // a new leader an invitation names; default sam@example.net
}

func (p Params) withDefaults() Params {
	if p.Date.IsZero() {
		p.Date = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&p.Leader, "dana@example.org")
	def(&p.Reply, "reply+token@mail.practice.example")
	def(&p.Coach, "coach@practice.example")
	def(&p.Notes, "notes@mail.practice.example")
	def(&p.Attendee, "sam@example.net")
	return p
}

// Case is one hostile message.
type Case struct {
	Name   string // short and file-name safe: "mime-nesting-1000"
	Attack string // one line: what the message tries
	Role   Role
	// Injection is set for the cases that try to put a header or a script
	// into coachmail's outbound mail; their text carries Probe.
	Injection bool
	// Size is the approximate size of the message, in bytes.
	Size int64
	gen  func(g *gen) error
}

// Build generates the message.
func (c Case) Build(p Params) ([]byte, error) {
	p = p.withDefaults()
	h := fnv.New64a()
	h.Write([]byte(c.Name))
	g := &gen{p: p, rng: rand.New(rand.NewPCG(p.Seed, h.Sum64())), name: c.Name}
	g.buf.Grow(int(min(c.Size+c.Size/8+4096, 64<<20)))
	if err := c.gen(g); err != nil {
		return nil, fmt.Errorf("hostile: build %s: %w", c.Name, err)
	}
	return g.buf.Bytes(), nil
}

// Sizes of the large cases.
const (
	// AttachmentSize is the size of the attachment-40mb message: 40 MB,
	// under the 40 MiB that SES accepts and the inbound function reads.
	AttachmentSize = 40_000_000
	// OverCapSize is the size of the attachment-over-40mib message: just
	// over 40 MiB.
	OverCapSize = 40<<20 + 64<<10
	// ZipInflated is what the zip bomb's one member inflates to: 1 GiB.
	ZipInflated = 1 << 30
	// Nesting is the depth of the nesting cases.
	Nesting = 1000
	// Parts is the part count of parts-10000.
	Parts = 10_000
	// HeaderLine is the length of the long header lines.
	HeaderLine = 1 << 20
)

// Cases returns every case, small ones first.
func Cases() []Case {
	return []Case{
		{Name: "inject-display-name", Role: LeaderReply, Injection: true, Size: 1 << 10,
			Attack: "CR LF in RFC 2047 encoded-words and a quoted CR LF in display names and the subject, adding Bcc and " + InjectedHeader, gen: injectDisplayName},
		{Name: "inject-notes-subject", Role: CoachNotes, Injection: true, Size: 1 << 10,
			Attack: "a notes subject whose encoded-words decode to CR LF and header fields, echoed in the notice to the coach", gen: injectNotesSubject},
		{Name: "inject-calendar-names", Role: CoachInvite, Injection: true, Size: 1 << 10,
			Attack: "RFC 6868 ^n and encoded CR LF in CN parameters, escaped newlines in SUMMARY: the names and title that outbound headers carry", gen: injectCalendar},
		{Name: "script-focus-text", Role: LeaderReply, Injection: true, Size: 512,
			Attack: "script, event handlers, javascript: URLs and template actions in a plain-text focus answer", gen: scriptFocusText},
		{Name: "script-focus-html", Role: LeaderReply, Injection: true, Size: 1 << 10,
			Attack: "an HTML-only focus answer with live script and entity-encoded script that decodes to markup", gen: scriptFocusHTML},
		{Name: "script-notes", Role: CoachNotes, Injection: true, Size: 1 << 10,
			Attack: "script and javascript: links in the decisions, reframes and actions of session notes", gen: scriptNotes},
		{Name: "nul-bytes", Role: LeaderReply, Size: 4 << 10,
			Attack: "NUL bytes in header names and values, in a boundary and in the body", gen: nulBytes},
		{Name: "charset-lies", Role: LeaderReply, Size: 1 << 10,
			Attack: "charset labels that lie: UTF-8 as us-ascii, invalid UTF-8, UTF-7 script, broken ISO-2022-JP, odd UTF-16, unknown labels", gen: charsetLies},
		{Name: "base64-invalid", Role: LeaderReply, Size: 40 << 10,
			Attack: "base64 with bytes outside the alphabet, padding mid-stream, a truncated quantum and 30,000-character lines", gen: base64Invalid},
		{Name: "qp-invalid", Role: LeaderReply, Size: 140 << 10,
			Attack: "quoted-printable with bad escapes, a dangling =, raw 8-bit bytes and a 128 KiB soft-broken line", gen: qpInvalid},
		{Name: "mime-broken-boundaries", Role: LeaderReply, Size: 4 << 10,
			Attack: "multiparts without a boundary, with a boundary never closed, an over-long boundary and parts without headers", gen: brokenBoundaries},
		{Name: "calendar-count-150000", Role: CoachInvite, Size: 1 << 10,
			Attack: "RRULE:FREQ=MINUTELY;COUNT=150000: a series of 150,000 occurrences", gen: calendarCount},
		{Name: "calendar-secondly-since-2000", Role: CoachInvite, Size: 1 << 10,
			Attack: "RRULE:FREQ=SECONDLY without end from DTSTART in 2000: about 850 million occurrences before now", gen: calendarSecondly},
		{Name: "calendar-byrule-expansion", Role: CoachInvite, Size: 1 << 10,
			Attack: "a YEARLY rule whose BYMONTH, BYMONTHDAY, BYHOUR, BYMINUTE and BYSECOND lists expand to 32 million instances a year", gen: calendarByRule},
		{Name: "mime-nesting-1000", Role: LeaderReply, Size: 80 << 10,
			Attack: "multipart/mixed nested 1,000 deep", gen: mimeNesting},
		{Name: "rfc822-nesting-1000", Role: LeaderReply, Size: 200 << 10,
			Attack: "message/rfc822 attached inside itself 1,000 deep", gen: rfc822Nesting},
		{Name: "parts-10000", Role: LeaderReply, Size: 900 << 10,
			Attack: "10,000 MIME parts in one multipart", gen: manyParts},
		{Name: "header-fields-100000", Role: LeaderReply, Size: 13 << 20,
			Attack: "100,000 Received header fields", gen: manyFields},
		{Name: "header-lines-1mb", Role: LeaderReply, Size: 2 * HeaderLine,
			Attack: "a 1 MiB unfolded header line and a 1 MiB subject of encoded-words", gen: longHeaders},
		{Name: "zip-bomb", Role: LeaderReply, Size: 1500 << 10,
			Attack: "a base64 zip whose one member inflates 1,000-fold to 1 GiB", gen: zipBomb},
		{Name: "html-bomb", Role: LeaderReply, Size: 9 << 20,
			Attack: "an HTML-only body with 100,000 unclosed nested tags, 1,000,000 character references and a 1 MiB attribute", gen: htmlBomb},
		{Name: "body-line-10mb", Role: LeaderReply, Size: 10 << 20,
			Attack: "a text body of one 10 MiB line", gen: longBodyLine},
		{Name: "attachment-40mb", Role: LeaderReply, Size: AttachmentSize,
			Attack: "a 40 MB message, nearly all of it one base64 attachment", gen: attachment40MB},
		{Name: "attachment-over-40mib", Role: LeaderReply, Size: OverCapSize,
			Attack: "a message just over the 40 MiB that SES accepts", gen: attachmentOverCap},
	}
}

// Lookup returns the case of the given name.
func Lookup(name string) (Case, bool) {
	for _, c := range Cases() {
		if c.Name == name {
			return c, true
		}
	}
	return Case{}, false
}

// Write generates the cases whose Size is at most maxSize into dir, as
// NAME.eml, and returns the paths written.
func Write(dir string, p Params, maxSize int64) ([]string, error) {
	var paths []string
	for _, c := range Cases() {
		if c.Size > maxSize {
			continue
		}
		raw, err := c.Build(p)
		if err != nil {
			return paths, err
		}
		path := filepath.Join(dir, c.Name+".eml")
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return paths, fmt.Errorf("hostile: write %s: %w", c.Name, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// gen writes one message.
type gen struct {
	p    Params
	rng  *rand.Rand
	name string
	buf  bytes.Buffer
}

// line writes s and CR LF.
func (g *gen) line(s string) { g.buf.WriteString(s); g.buf.WriteString("\r\n") }

// header writes the fields a message of role r starts with: From, To, a
// Subject, Date and Message-ID, then extra fields (each a full line without
// CR LF). It ends neither the header nor MIME-Version.
func (g *gen) header(r Role, subject string, extra ...string) {
	from, to := g.p.Leader, g.p.Reply
	switch r {
	case CoachNotes:
		from, to = g.p.Coach, g.p.Notes
	case CoachInvite:
		from, to = g.p.Coach, g.p.Attendee+", "+g.p.Notes
	}
	g.line("From: " + from)
	g.line("To: " + to)
	g.line("Subject: " + subject)
	g.line("Date: " + g.p.Date.Format(time.RFC1123Z))
	g.line("Message-ID: <" + g.token(16) + "." + g.name + "@hostile.example>")
	for _, f := range extra {
		g.line(f)
	}
}

// textMessage writes a whole single-part text/plain message.
func (g *gen) textMessage(r Role, subject, body string, extra ...string) {
	g.header(r, subject, extra...)
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.buf.WriteString(strings.ReplaceAll(body, "\n", "\r\n"))
}

// token returns n random lower-case letters and digits.
func (g *gen) token(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.rng.IntN(len(alphabet))]
	}
	return string(b)
}

var words = strings.Fields(`the team hiring plan board budget conversation
co-founder delegation pricing decision roles clarity feedback quarter
priority trust memo customer launch review strategy focus week`)

// words returns n random words joined by spaces.
func (g *gen) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[g.rng.IntN(len(words))]
	}
	return strings.Join(w, " ")
}

// randomBytes returns n seeded random bytes, from a ChaCha8 stream keyed
// by the case's generator (fast, which matters for 40 MB under -race).
func (g *gen) randomBytes(n int) []byte {
	var key [32]byte
	for i := 0; i < len(key); i += 8 {
		binary.LittleEndian.PutUint64(key[i:], g.rng.Uint64())
	}
	b := make([]byte, n)
	rand.NewChaCha8(key).Read(b)
	return b
}

// base64Lines writes data in base64, 76 characters a line.
func (g *gen) base64Lines(data []byte) {
	enc := base64.StdEncoding
	const per = 57 // bytes per 76-character line
	line := make([]byte, enc.EncodedLen(per))
	for len(data) > 0 {
		n := min(per, len(data))
		m := enc.EncodedLen(n)
		enc.Encode(line[:m], data[:n])
		g.buf.Write(line[:m])
		g.buf.WriteString("\r\n")
		data = data[n:]
	}
}

// qEncoded returns s as one RFC 2047 Q encoded-word of UTF-8, with every
// byte outside printable ASCII, and "?", "=", "_" and space, written =XX.
func qEncoded(s string) string {
	var b strings.Builder
	b.WriteString("=?utf-8?q?")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '?' || c == '=' || c == '_' {
			fmt.Fprintf(&b, "=%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	b.WriteString("?=")
	return b.String()
}

// injection is the text the header injection cases hide in names and
// subjects: the end of the field, a Bcc and a field of our own.
const injection = "\r\nBcc: " + Victim + "\r\n" + InjectedHeader + ": 1\r\n"

func injectDisplayName(g *gen) error {
	g.line("From: " + qEncoded("Dana"+injection) + " <" + g.p.Leader + ">")
	g.line("To: " + g.p.Reply)
	g.line("Reply-To: \"Dana\\\r\n Bcc: " + Victim + "\" <" + Victim + ">")
	g.line("Subject: " + qEncoded("Re: hi"+injection+"\r\n<script>alert(1)</script>"))
	g.line("Date: " + g.p.Date.Format(time.RFC1123Z))
	g.line("Message-ID: <" + g.token(16) + ".inject@hostile.example>")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus this week is " + g.words(6) + ". " + Probe + " display-name")
	return nil
}

func injectNotesSubject(g *gen) error {
	subject := qEncoded("Notes"+injection) + " " + "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte("\r\n"+InjectedHeader+": 2\r\n\r\n<script>alert(2)</script>")) + "?="
	g.textMessage(CoachNotes, subject,
		"Notes from today's session.\n\nDecision: "+Probe+" notes-subject, "+g.words(5)+".\n")
	return nil
}

func injectCalendar(g *gen) error {
	start := g.p.Date.AddDate(0, 0, 7).Truncate(24 * time.Hour).Add(10 * time.Hour)
	g.header(CoachInvite, qEncoded("Invitation: Coaching"+injection))
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/calendar; method=REQUEST; charset=utf-8")
	g.line("")
	ical := []string{
		"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//coachmail hostile//EN", "METHOD:REQUEST",
		"BEGIN:VEVENT",
		"UID:" + g.token(12) + "@hostile.example",
		"SEQUENCE:0",
		"DTSTAMP:" + g.p.Date.UTC().Format("20060102T150405Z"),
		"DTSTART:" + start.UTC().Format("20060102T150405Z"),
		"DTEND:" + start.Add(time.Hour).UTC().Format("20060102T150405Z"),
		"RRULE:FREQ=WEEKLY;COUNT=2",
		`SUMMARY:Coaching\nBcc: ` + Victim + `\n` + InjectedHeader + `: 3\n<script>alert(3)</script>`,
		`DESCRIPTION:<script>alert(4)</script> ` + Probe,
		"ORGANIZER;CN=" + qEncoded("Robin"+injection) + ":mailto:" + g.p.Coach,
		`ATTENDEE;CN="Sam^nBcc: ` + Victim + `^n` + InjectedHeader + `: 4^n<script>alert(5)</script>":mailto:` + g.p.Attendee,
		"ATTENDEE:mailto:" + g.p.Notes,
		"END:VEVENT", "END:VCALENDAR",
	}
	for _, l := range ical {
		g.line(l)
	}
	return nil
}

// script is what the script cases write where text is expected.
const script = `<script>alert('` + Probe + `')</script>`

func scriptFocusText(g *gen) error {
	g.textMessage(LeaderReply, "Re: before our session",
		script+"\nMy focus: <img src=x onerror=alert(1)> and <a href=\"javascript:alert(2)\">this</a>.\n"+
			"\"><svg/onload=alert(3)> {{.CoachName}} {{template \"x\"}} "+Probe+" focus-text\n")
	return nil
}

func scriptFocusHTML(g *gen) error {
	g.header(LeaderReply, "Re: before our session")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/html; charset=utf-8")
	g.line("")
	g.line(`<html><head><script>alert(4)</script><style>p{color:red}</style></head><body>`)
	g.line(`<p>&lt;script&gt;alert('` + Probe + ` focus-html')&lt;/script&gt;</p>`)
	g.line(`<p onclick="alert(5)">Focus: <b>pricing</b><img src=x onerror=alert(6)></p>`)
	g.line(`<p>&lt;img src=x onerror=alert(7)&gt; <a href="javascript:alert(8)">link</a></p>`)
	g.line(`</body></html>`)
	return nil
}

func scriptNotes(g *gen) error {
	g.textMessage(CoachNotes, "Session notes",
		"Notes from today's session.\n\n"+
			"Decision: "+script+" we stop approving every expense.\n"+
			"Reframe: it's not <b onmouseover=alert(1)>trust</b>, it's clarity. "+Probe+" notes\n"+
			"Actions:\n"+
			"- Send <a href=\"javascript:alert(2)\">the memo</a> by Friday\n"+
			"- Talk to the CFO <img src=x onerror=alert(3)> before the board meeting\n")
	return nil
}

func nulBytes(g *gen) error {
	g.header(LeaderReply, "Re: hi\x00there", "X-Nul\x00Name: value", "X-Nul-Value: a\x00b")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: multipart/mixed; boundary=\"nul\x00b\"")
	g.line("")
	g.line("--nul\x00b")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is \x00 the " + g.words(4) + "\x00\x00.")
	g.line(strings.Repeat("\x00", 1024))
	g.line("--nul\x00b")
	g.line("Content-Type: application/octet-stream; name=\"a\x00.pdf\"")
	g.line("Content-Transfer-Encoding: base64")
	g.line("")
	g.base64Lines(make([]byte, 2048))
	g.line("--nul\x00b--")
	return nil
}

func charsetLies(g *gen) error {
	g.header(LeaderReply, "=?us-ascii?q?Re:_caf=C3=A9?= =?x-unknown?b?////?= =?utf-7?q?+ADw-script+AD4-?=")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: multipart/mixed; boundary=lies")
	g.line("")
	parts := []struct{ charset, cte, body string }{
		{"us-ascii", "8bit", "My focus: caf\u00e9 na\u00efve \u65e5\u672c " + g.words(4)},
		{"utf-8", "8bit", "Invalid: \xff\xfe \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82 end"},
		{"utf-7", "7bit", "+ADw-script+AD4-alert(1)+ADw-/script+AD4- +AGkAbQBn- +ZeVnLIqe-"},
		{"iso-2022-jp", "7bit", "\x1b$B$3$s\x1b(B broken \x1b$B\x1b$(D\x1b(J\x1b"},
		{"utf-16", "binary", "\xff\xfeA\x00B\x00\x00\xd8C"},
		{"x-no-such-charset", "8bit", "unknown label \xa4\xa4"},
		{"\"utf-8\x00evil\"", "8bit", "label with a NUL"},
	}
	for _, p := range parts {
		g.line("--lies")
		g.line("Content-Type: text/plain; charset=" + p.charset)
		g.line("Content-Transfer-Encoding: " + p.cte)
		g.line("")
		g.line(p.body)
	}
	g.line("--lies--")
	return nil
}

func base64Invalid(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: multipart/mixed; boundary=b64")
	g.line("")
	valid := base64.StdEncoding.EncodeToString([]byte("My focus is the " + g.words(8) + "."))
	bodies := []string{
		"!!!!@@@@####" + valid + "$$$$",
		valid[:len(valid)/2] + "==" + valid[len(valid)/2:] + "=Q=",
		valid[:len(valid)-3],
		strings.Repeat("QUJD", 7500),
		"\x80\x81\xfe\xff" + valid,
	}
	for i, b := range bodies {
		g.line("--b64")
		ct := "text/plain; charset=utf-8"
		if i == 3 {
			ct = "application/pdf; name=x.pdf"
		}
		g.line("Content-Type: " + ct)
		g.line("Content-Transfer-Encoding: base64")
		g.line("")
		g.line(b)
	}
	g.line("--b64--")
	return nil
}

func qpInvalid(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("Content-Transfer-Encoding: quoted-printable")
	g.line("")
	g.line("My focus =ZZ is =4 the =\xff " + g.words(5) + " =E2=82 =")
	g.line("raw 8-bit \xe9\xe8 and =3D=3d=0A=0D=00 and a bare CR\rhere")
	for range 128 << 10 / 64 {
		g.buf.WriteString(strings.Repeat("x", 62) + "=\r\n")
	}
	g.line("=")
	g.buf.WriteString("trailing soft break=")
	return nil
}

func brokenBoundaries(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: multipart/mixed; boundary=outer")
	g.line("")
	g.line("--outer")
	g.line("Content-Type: multipart/alternative")
	g.line("")
	g.line("no boundary parameter: " + g.words(5))
	g.line("--outer")
	g.line("")
	g.line("a part with no header at all")
	long := strings.Repeat("b", 2000)
	g.line("--outer")
	g.line("Content-Type: multipart/related; boundary=" + long)
	g.line("")
	g.line("--" + long)
	g.line("Content-Type: text/plain")
	g.line("")
	g.line("inside an over-long boundary; never closed")
	g.line("--outer")
	g.line("Content-Type: multipart/mixed; boundary=\"\"")
	g.line("")
	g.line("--")
	g.line("empty boundary")
	g.line("--outer")
	g.line("Content-Type: multipart/mixed; boundary=inner")
	g.line("")
	g.line("--inner")
	g.line("Content-Type: text/plain")
	g.line("")
	g.line("My focus is " + g.words(5) + "; the outer multipart is never closed either")
	return nil
}

// invite writes a calendar invitation with the given recurrence lines.
func (g *gen) invite(start time.Time, rrule ...string) {
	g.header(CoachInvite, "Invitation: Coaching")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/calendar; method=REQUEST; charset=utf-8")
	g.line("")
	g.line("BEGIN:VCALENDAR")
	g.line("VERSION:2.0")
	g.line("PRODID:-//coachmail hostile//EN")
	g.line("METHOD:REQUEST")
	g.line("BEGIN:VEVENT")
	g.line("UID:" + g.token(12) + "-" + g.name + "@hostile.example")
	g.line("SEQUENCE:0")
	g.line("DTSTAMP:" + g.p.Date.UTC().Format("20060102T150405Z"))
	g.line("DTSTART:" + start.UTC().Format("20060102T150405Z"))
	g.line("DTEND:" + start.Add(time.Hour).UTC().Format("20060102T150405Z"))
	for _, r := range rrule {
		g.line(r)
	}
	g.line("SUMMARY:Coaching")
	g.line("ORGANIZER;CN=Robin Coach:mailto:" + g.p.Coach)
	g.line("ATTENDEE;CN=Sam New:mailto:" + g.p.Attendee)
	g.line("ATTENDEE:mailto:" + g.p.Notes)
	g.line("END:VEVENT")
	g.line("END:VCALENDAR")
}

func calendarCount(g *gen) error {
	g.invite(g.p.Date.AddDate(0, 0, 1).Truncate(time.Hour), "RRULE:FREQ=MINUTELY;COUNT=150000")
	return nil
}

func calendarSecondly(g *gen) error {
	g.invite(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "RRULE:FREQ=SECONDLY")
	return nil
}

func calendarByRule(g *gen) error {
	list := func(from, to int) string {
		s := make([]string, 0, to-from+1)
		for i := from; i <= to; i++ {
			s = append(s, fmt.Sprint(i))
		}
		return strings.Join(s, ",")
	}
	g.invite(g.p.Date.AddDate(0, 0, 1).Truncate(time.Hour),
		"RRULE:FREQ=YEARLY;BYMONTH="+list(1, 12)+";BYMONTHDAY="+list(1, 31)+
			";BYHOUR="+list(0, 23)+";BYMINUTE="+list(0, 59)+";BYSECOND="+list(0, 59))
	return nil
}

func mimeNesting(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	b := "n" + g.token(6) + "-"
	for i := range Nesting {
		g.line(fmt.Sprintf("Content-Type: multipart/mixed; boundary=\"%s%d\"", b, i))
		g.line("")
		g.line(fmt.Sprintf("--%s%d", b, i))
	}
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is " + g.words(6) + ", at the bottom of 1,000 multiparts.")
	for i := Nesting - 1; i >= 0; i-- {
		g.line(fmt.Sprintf("--%s%d--", b, i))
	}
	return nil
}

func rfc822Nesting(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	for i := range Nesting {
		g.line("MIME-Version: 1.0")
		g.line("Content-Type: message/rfc822")
		g.line("")
		g.line(fmt.Sprintf("From: level%d@example.org", i))
		g.line(fmt.Sprintf("Subject: level %d", i))
		g.line("Date: " + g.p.Date.Format(time.RFC1123Z))
	}
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is " + g.words(6) + ", inside 1,000 attached messages.")
	return nil
}

func manyParts(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	b := "p" + g.token(8)
	g.line("Content-Type: multipart/mixed; boundary=" + b)
	g.line("")
	for i := range Parts {
		g.line("--" + b)
		if i%2 == 0 {
			g.line("Content-Type: text/plain; charset=utf-8")
			g.line("")
			g.line(fmt.Sprintf("part %d: %s", i, g.words(3)))
		} else {
			g.line(fmt.Sprintf("Content-Type: application/octet-stream; name=\"f%d.bin\"", i))
			g.line("Content-Disposition: attachment")
			g.line("")
			g.line("x")
		}
	}
	g.line("--" + b + "--")
	return nil
}

func manyFields(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	for i := range 100_000 {
		g.line(fmt.Sprintf("Received: from relay%d.example.net (relay%d.example.net [192.0.2.%d]) by mx.example.org; %s", i, i, i%256, g.p.Date.Format(time.RFC1123Z)))
	}
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is " + g.words(6) + ".")
	return nil
}

func longHeaders(g *gen) error {
	g.line("From: " + g.p.Leader)
	g.line("To: " + g.p.Reply)
	g.line("X-Filler: " + strings.Repeat("a", HeaderLine))
	g.buf.WriteString("Subject:")
	word := "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte("R\u00e9: "+g.words(4))) + "?="
	// Folded, one word a line; unfolded, a space and the word each.
	for n := 0; n < HeaderLine; n += len(word) + 1 {
		g.buf.WriteString(" " + word + "\r\n")
	}
	g.line("Date: " + g.p.Date.Format(time.RFC1123Z))
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is " + g.words(6) + ".")
	return nil
}

// deflateBomb returns a raw deflate stream (RFC 1951) that inflates to n
// zero bytes (n a multiple of 1 MiB) and its CRC-32. It is made by
// repeating one compressed, sync-flushed MiB of zeros, so making it costs
// one MiB of compression and no inflation.
func deflateBomb(n int64) ([]byte, uint32, error) {
	const chunk = 1 << 20
	if n <= 0 || n%chunk != 0 {
		return nil, 0, fmt.Errorf("deflate bomb of %d bytes: want a positive multiple of %d", n, chunk)
	}
	zeros := make([]byte, chunk)
	var one bytes.Buffer
	w, err := flate.NewWriter(&one, flate.BestCompression)
	if err != nil {
		return nil, 0, err
	}
	if _, err := w.Write(zeros); err != nil {
		return nil, 0, err
	}
	// A sync flush ends the chunk's blocks on a byte boundary, not final,
	// and nothing after refers back into it: copies concatenate.
	if err := w.Flush(); err != nil {
		return nil, 0, err
	}
	var out bytes.Buffer
	out.Grow(int(n/chunk)*one.Len() + 5)
	var crc uint32
	for range n / chunk {
		out.Write(one.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	// The final block: stored, empty (BFINAL=1, BTYPE=00, LEN=0, NLEN=~0).
	out.Write([]byte{0x01, 0x00, 0x00, 0xff, 0xff})
	return out.Bytes(), crc, nil
}

// ZipBomb returns a zip archive whose one member, report.pdf, inflates to
// inflated bytes of zeros (a multiple of 1 MiB), with truthful sizes and
// CRC in its headers.
func ZipBomb(inflated int64) ([]byte, error) {
	stream, crc, err := deflateBomb(inflated)
	if err != nil {
		return nil, fmt.Errorf("hostile: zip bomb: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name: "report.pdf", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(inflated),
		Modified: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
	})
	if err != nil {
		return nil, fmt.Errorf("hostile: zip bomb: %w", err)
	}
	if _, err := w.Write(stream); err != nil {
		return nil, fmt.Errorf("hostile: zip bomb: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("hostile: zip bomb: %w", err)
	}
	return buf.Bytes(), nil
}

func zipBomb(g *gen) error {
	z, err := ZipBomb(ZipInflated)
	if err != nil {
		return err
	}
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: multipart/mixed; boundary=zb")
	g.line("")
	g.line("--zb")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is the " + g.words(4) + "; the report is attached.")
	g.line("--zb")
	g.line("Content-Type: application/zip; name=\"report.zip\"")
	g.line("Content-Disposition: attachment; filename=\"report.zip\"")
	g.line("Content-Transfer-Encoding: base64")
	g.line("")
	g.base64Lines(z)
	g.line("--zb--")
	return nil
}

func htmlBomb(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/html; charset=utf-8")
	g.line("")
	g.buf.WriteString("<html><body><p title=\"" + strings.Repeat("&quot;x", HeaderLine/7) + "\">My focus is the " + g.words(4) + ".</p>\r\n")
	for i := range 100_000 {
		if i%2 == 0 {
			g.buf.WriteString("<div>")
		} else {
			g.buf.WriteString("<blockquote>")
		}
		if i%16 == 15 {
			g.buf.WriteString("\r\n")
		}
	}
	refs := []string{"&amp;", "&#x41;", "&#65;", "&nbsp;", "&bogus;", "&#99999999;", "&#0;", "&lt;script&gt;"}
	for i := range 1_000_000 {
		g.buf.WriteString(refs[i%len(refs)])
		if i%16 == 15 {
			g.buf.WriteString("\r\n")
		}
	}
	g.line("</body></html>")
	return nil
}

func longBodyLine(g *gen) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.buf.WriteString("My focus is ")
	for g.buf.Len() < 10<<20 {
		g.buf.WriteString(g.words(64))
		g.buf.WriteByte(' ')
	}
	g.line("")
	return nil
}

// attachment writes a reply with one base64 attachment, sized so that the
// whole message is size bytes.
func (g *gen) attachment(size int) error {
	g.header(LeaderReply, "Re: hi")
	g.line("MIME-Version: 1.0")
	g.line("Content-Type: multipart/mixed; boundary=att")
	g.line("")
	g.line("--att")
	g.line("Content-Type: text/plain; charset=utf-8")
	g.line("")
	g.line("My focus is the " + g.words(4) + "; the deck is attached.")
	g.line("--att")
	g.line("Content-Type: application/pdf; name=\"deck.pdf\"")
	g.line("Content-Disposition: attachment; filename=\"deck.pdf\"")
	g.line("Content-Transfer-Encoding: base64")
	g.line("")
	const tail = "--att--\r\n"
	room := size - g.buf.Len() - len(tail)
	if room < 78 {
		return errors.New("attachment size too small for the header")
	}
	// 57 bytes make a 76-character line and its CR LF: 78 bytes.
	n := room / 78 * 57
	g.base64Lines(g.randomBytes(n))
	// Fill to the exact size with white space after the base64, which
	// decoders skip.
	switch pad := size - g.buf.Len() - len(tail); {
	case pad >= 2:
		g.buf.WriteString(strings.Repeat(" ", pad-2) + "\r\n")
	case pad == 1:
		g.buf.WriteByte(' ')
	}
	g.buf.WriteString(tail)
	return nil
}

func attachment40MB(g *gen) error { return g.attachment(AttachmentSize) }

func attachmentOverCap(g *gen) error { return g.attachment(OverCapSize) }

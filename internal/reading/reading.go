// Package reading combines the parts of coachmail's mail understanding into
// one reading of a raw message: the MIME reader (package message), the reply
// extractor (reply), the forward parser (forward), the outcome extractor
// (notes), the commitment status parser (status) and the calendar reader
// (calendar). The inbound function routes on a Reading; `coachmail parse`
// prints one as JSON.
package reading

import (
	"bytes"
	"fmt"
	"io"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/coachmail/coachmail/internal/calendar"
	"github.com/coachmail/coachmail/internal/forward"
	"github.com/coachmail/coachmail/internal/htmltext"
	"github.com/coachmail/coachmail/internal/message"
	"github.com/coachmail/coachmail/internal/notes"
	"github.com/coachmail/coachmail/internal/reply"
	"github.com/coachmail/coachmail/internal/status"
)

// Options tune Read. The zero value reads with the message package's
// default limits and no listed commitments.
type Options struct {
	// Commitments are the texts of the commitments the email being answered
	// listed, in its numbering, for matching status updates.
	Commitments []string
	// Now is the reference time for due dates when the message has no
	// usable Date; zero means the time of the call.
	Now time.Time
	// SkipCalendars leaves calendar parts unread (Invite and Calendar
	// nil) until ReadCalendars is called: the inbound path reads them only
	// for a registered coach, since expanding a stranger's calendar is work
	// a stranger should not be able to cause.
	SkipCalendars bool
	// SkipNotes leaves Items empty until ReadItems is called: the inbound
	// path reads outcomes only from notes and from answers to a recap, and
	// they are a third of the work of reading a message.
	SkipNotes bool
	// SkipStatuses leaves StatusUpdates empty: the inbound path reads
	// statuses with StatusText once it knows the commitments answered.
	SkipStatuses bool
	Message      message.Options
}

// Reading is what coachmail understands of one message. Its JSON form is
// the output of `coachmail parse`.
type Reading struct {
	MessageID     string         `json:"message_id"`
	From          string         `json:"from"`
	To            []string       `json:"to"`
	Cc            []string       `json:"cc"`
	Date          string         `json:"date"`
	Subject       string         `json:"subject"`
	AutoReply     bool           `json:"auto_reply"`
	Bounce        bool           `json:"bounce"`
	ReplyText     string         `json:"reply_text"`
	Forwarded     []Forwarded    `json:"forwarded"`
	Items         []Item         `json:"items"`
	StatusUpdates []StatusUpdate `json:"status_updates"`
	Invite        *Invite        `json:"invite"`
	Attachments   []Attachment   `json:"attachments"`
	Warnings      []string       `json:"warnings"`

	// Message is the MIME reading underneath (headers, threading ids,
	// bounce recipients).
	Message *message.Message `json:"-"`
	// Calendar is the full invite, with what Invite leaves out (overrides,
	// EXDATEs, time zone), or nil.
	Calendar *calendar.Invite `json:"-"`
	// ForwarderText is the forwarder's own text above a forward.
	ForwarderText string `json:"-"`
	// NotesText is the text outcomes were read from: the forwarded bodies
	// and the forwarder's text for a forward, else the reply text.
	NotesText string `json:"-"`
	// Unsubscribe is set when the reply asks for no more mail.
	Unsubscribe bool `json:"-"`

	// itemsAt is the time due dates are read against, for ReadItems; zero
	// once the items are read or when there are none to read.
	itemsAt time.Time
}

// Forwarded is one forwarded message.
type Forwarded struct {
	From    string   `json:"from"`
	To      []string `json:"to"`
	Cc      []string `json:"cc"`
	Date    string   `json:"date"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
}

// Item is one outcome found in notes.
type Item struct {
	Type string `json:"type"`
	Text string `json:"text"`
	Due  string `json:"due,omitempty"`
}

// StatusUpdate is what a reply says about one listed commitment.
type StatusUpdate struct {
	Ref     int    `json:"ref"`
	Status  string `json:"status"`
	Comment string `json:"comment"`
}

// Invite is the calendar invitation carried by the message.
type Invite struct {
	Method    string   `json:"method"`
	UID       string   `json:"uid"`
	Sequence  int      `json:"sequence"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	RRule     string   `json:"rrule"`
	Organizer string   `json:"organizer"`
	Attendees []string `json:"attendees"`
	Status    string   `json:"status"`
	// TimeZone names the zone the event's times are in (IANA, or the
	// calendar's own VTIMEZONE name); AllDay marks a date-only event,
	// whose start and end are dates, not midnight UTC.
	TimeZone string `json:"time_zone,omitempty"`
	AllDay   bool   `json:"all_day,omitempty"`
}

// Attachment is a part not read into the text.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// ReadBytes reads a raw message held in memory.
func ReadBytes(raw []byte, opts Options) (*Reading, error) {
	return Read(bytes.NewReader(raw), opts)
}

// Read reads one raw RFC 5322 message. It fails only for input that is not
// a message at all, or is larger than the limit; anything odd about a
// message it can read is in Warnings.
func Read(r io.Reader, opts Options) (*Reading, error) {
	m, err := message.Read(r, opts.Message)
	if err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	rd := &Reading{
		Message:       m,
		MessageID:     m.MessageID,
		From:          m.From.Address,
		To:            addrs(m.To),
		Cc:            addrs(m.Cc),
		Subject:       m.Subject,
		AutoReply:     m.AutoReply,
		Bounce:        m.Bounce,
		Forwarded:     []Forwarded{},
		Items:         []Item{},
		StatusUpdates: []StatusUpdate{},
		Attachments:   []Attachment{},
		Warnings:      append([]string{}, m.Warnings...),
	}
	if !m.Date.IsZero() {
		rd.Date = m.Date.Format(time.RFC3339)
	}
	for _, a := range m.Attachments {
		rd.Attachments = append(rd.Attachments, Attachment{Filename: a.Filename, ContentType: a.ContentType, Size: a.Size})
	}
	if rd.Bounce || rd.AutoReply {
		// Machine-written: nothing in it is the sender's own word.
		return rd, nil
	}

	rd.ReplyText = replyText(m)
	rd.readForwards(m)
	if !opts.SkipCalendars {
		rd.readCalendar(m)
	}

	ref := m.Date
	if ref.IsZero() {
		ref = opts.Now
		if ref.IsZero() {
			ref = time.Now()
		}
	}
	if rd.Invite != nil || (opts.SkipCalendars && len(m.Calendars) > 0) {
		// An invitation's text is the calendar's own description (or a
		// word about a move or a cancellation), not session notes and not
		// an answer to a prompt.
		return rd, nil
	}
	rd.NotesText = rd.ReplyText
	if len(rd.Forwarded) > 0 {
		parts := []string{}
		if rd.ForwarderText != "" {
			parts = append(parts, rd.ForwarderText)
		}
		for _, f := range rd.Forwarded {
			parts = append(parts, f.Text)
		}
		rd.NotesText = strings.Join(parts, "\n\n")
	}
	rd.itemsAt = ref
	if !opts.SkipNotes {
		rd.ReadItems()
	}
	if !opts.SkipStatuses {
		for _, u := range status.Parse(statusText(m, rd.ReplyText, opts.Commitments), opts.Commitments) {
			rd.StatusUpdates = append(rd.StatusUpdates, StatusUpdate{Ref: u.Ref, Status: string(u.Status), Comment: u.Comment})
		}
	}
	rd.Unsubscribe = status.IsUnsubscribe(rd.ReplyText)
	return rd, nil
}

// ReadItems extracts the outcomes of the notes into Items, when Read was
// told to skip them; it does nothing when they were read. Forwarded notes
// are read part by part, each against its own date: a coach who forwards
// notes a week after writing them means "by Friday" of the week they wrote
// them.
func (rd *Reading) ReadItems() {
	ref := rd.itemsAt
	if ref.IsZero() {
		return
	}
	rd.itemsAt = time.Time{}
	add := func(text string, at time.Time) {
		for _, it := range notes.Extract(text, at) {
			rd.Items = append(rd.Items, Item{Type: string(it.Kind), Text: it.Text, Due: it.Due})
		}
	}
	if len(rd.Forwarded) == 0 {
		add(rd.NotesText, ref)
		return
	}
	if rd.ForwarderText != "" {
		add(rd.ForwarderText, ref)
	}
	for _, f := range rd.Forwarded {
		at := ref
		// A forwarded date later than the forward, or long before it, is
		// a misreading or a clock gone wrong: the forward's date is safer.
		if t, err := time.Parse(time.RFC3339, f.Date); err == nil && !t.After(ref.Add(24*time.Hour)) && t.After(ref.AddDate(-1, 0, 0)) {
			at = t
		}
		add(f.Text, at)
	}
}

// replyText is the sender's new text: from the plain body when there is
// one, else from the HTML with its quote containers dropped.
func replyText(m *message.Message) string {
	if strings.TrimSpace(m.Text) != "" {
		if t := reply.ExtractWith(m.Text, senderOf(m)); t != "" || m.HTML == "" {
			return t
		}
	}
	if m.HTML == "" {
		return ""
	}
	return reply.ExtractWith(htmltext.Convert(m.HTML, htmltext.Options{DropQuotes: true}), senderOf(m))
}

// StatusText returns the text to read commitment status updates from, for
// a reply to an email that listed commitments (their texts, in its
// numbering): the reply text, or, when the leader answered inline under
// each quoted commitment, those answers numbered after the commitment they
// follow ("2 Not yet."). Read does the same when Options.Commitments is
// set; the inbound path learns the commitments only after reading.
func (rd *Reading) StatusText(commitments []string) string {
	if rd.Message == nil {
		return rd.ReplyText
	}
	return statusText(rd.Message, rd.ReplyText, commitments)
}

// senderOf tells the reply extractor who wrote the message, so that a
// sign-off that is only the sender's name ("Sam") goes with the signature.
func senderOf(m *message.Message) reply.Options {
	from := m.From.Address
	if m.From.Name != "" {
		from = m.From.Name + " <" + from + ">"
	}
	return reply.Options{From: from}
}

// statusText is the text commitment updates are read from: the reply text,
// except when the leader answered inline, under each quoted commitment
// ("> 2. Talk to Priya" then "Not yet."). There the quote that the reply
// extractor drops is what says which commitment an answer is about, so
// each answer that follows a quoted numbered line (or a quoted line that is
// one of the listed commitments) gets that number in front ("2 Not yet.")
// before the reply text is extracted.
func statusText(m *message.Message, replyText string, commitments []string) string {
	if m.Text == "" || !strings.Contains(m.Text, ">") {
		return replyText
	}
	lines := strings.Split(m.Text, "\n")
	ref, prevQuoted, changed, answers := 0, false, false, 0
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, ">"):
			q := strings.TrimSpace(strings.TrimLeft(t, "> "))
			if q != "" {
				ref = quotedRef(q, commitments)
			}
			prevQuoted = true
		case t == "":
			// A blank line between a quote and its answer changes nothing.
		default:
			if prevQuoted {
				answers++
				if ref > 0 {
					lines[i] = strconv.Itoa(ref) + " " + t
					changed = true
				}
			}
			prevQuoted, ref = false, 0
		}
	}
	// One block of text under the quote is a bottom-posted reply, not
	// answers between quoted lines: it is about the whole prompt.
	if !changed || answers < 2 {
		return replyText
	}
	return reply.ExtractWith(strings.Join(lines, "\n"), senderOf(m))
}

// quotedRef is the number of the commitment a quoted line lists: its own
// number ("1. Draft the plan", "2) ..."), or the position of the listed
// commitment it repeats; 0 when it is neither.
func quotedRef(q string, commitments []string) int {
	i := 0
	for i < len(q) && i < 3 && q[i] >= '0' && q[i] <= '9' {
		i++
	}
	if i > 0 && i < len(q)-1 && (q[i] == '.' || q[i] == ')') && q[i+1] == ' ' {
		n, _ := strconv.Atoi(q[:i])
		if n > 0 && (len(commitments) == 0 || n <= len(commitments)) {
			return n
		}
	}
	for n, c := range commitments {
		if strings.EqualFold(strings.TrimSpace(c), q) {
			return n + 1
		}
	}
	return 0
}

func (rd *Reading) readForwards(m *message.Message) {
	// A message attached whole (message/rfc822) is the most faithful
	// forward there is: its own headers, not a client's rendering of them.
	for _, a := range m.Attached {
		if a.From.Address == "" && a.Subject == "" {
			continue // the headers of a bounced message, not a forward
		}
		f := Forwarded{From: a.From.Address, To: addrs(a.To), Cc: addrs(a.Cc), Subject: a.Subject, Text: strings.TrimSpace(a.BodyText())}
		if !a.Date.IsZero() {
			f.Date = a.Date.Format(time.RFC3339)
		}
		rd.Forwarded = append(rd.Forwarded, f)
	}
	loc := time.UTC
	if !m.Date.IsZero() {
		loc = m.Date.Location()
	}
	res, ok := forward.ParseIn(m.Subject, m.BodyText(), loc)
	if !ok {
		if len(rd.Forwarded) > 0 {
			rd.ForwarderText = rd.ReplyText
		}
		return
	}
	rd.ForwarderText = res.Message
	for _, fm := range res.Forwarded {
		f := Forwarded{From: fm.From.Address, To: addrs(fm.To), Cc: addrs(fm.Cc), Subject: fm.Subject, Text: fm.Body}
		if !fm.Date.IsZero() {
			f.Date = fm.Date.Format(time.RFC3339)
		}
		rd.Forwarded = append(rd.Forwarded, f)
	}
}

// ReadCalendars reads the message's calendar parts, when Read was told to
// skip them; it does nothing when they were read.
func (rd *Reading) ReadCalendars() {
	if rd.Calendar == nil && rd.Message != nil {
		rd.readCalendar(rd.Message)
	}
}

func (rd *Reading) readCalendar(m *message.Message) {
	for _, data := range m.Calendars {
		inv, err := calendar.Read(data)
		if err != nil {
			rd.Warnings = append(rd.Warnings, "calendar part unreadable: "+err.Error())
			continue
		}
		rd.Calendar = inv
		rd.Invite = &Invite{
			Method: inv.Method, UID: inv.UID, Sequence: inv.Sequence,
			RRule: inv.RRule, Organizer: inv.Organizer, Status: inv.Status,
			Attendees: []string{}, TimeZone: inv.TZID, AllDay: inv.AllDay,
		}
		if !inv.Start.IsZero() {
			rd.Invite.Start = inv.Start.Format(time.RFC3339)
		}
		if !inv.End.IsZero() {
			rd.Invite.End = inv.End.Format(time.RFC3339)
		}
		for _, a := range inv.Attendees {
			rd.Invite.Attendees = append(rd.Invite.Attendees, a.Addr)
		}
		for _, w := range inv.Warnings {
			rd.Warnings = append(rd.Warnings, "calendar: "+w)
		}
		return // the first readable invitation is the one
	}
}

func addrs(list []mail.Address) []string {
	out := make([]string, 0, len(list))
	for _, a := range list {
		if a.Address != "" {
			out = append(out, a.Address)
		}
	}
	return out
}

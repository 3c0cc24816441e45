// Package templates renders the emails coachmail sends: the pre-session
// prompt, the coach brief, the recap, the commitment reminder and the coach
// notices. Each email has a subject, a plain-text body and an HTML body.
//
// The templates are embedded files under email/, parsed once by New. Text
// bodies and subjects use text/template; HTML bodies use html/template, so
// whatever a leader or a coach wrote (a focus answer, a commitment) is
// escaped. Subjects are folded to one line with control characters removed,
// whatever the data holds. Times are shown in the zone each data type names,
// with the zone's abbreviation.
//
// The HTML is a single column at most 600 pixels wide in system fonts of
// at least 16 pixels, declares `color-scheme: light dark` and restyles
// itself under `prefers-color-scheme: dark`, and loads nothing remote: no
// images, fonts, scripts or tracking.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/coachmail/coachmail/internal/coaching"
)

//go:embed email/*
var files embed.FS

// Email is a rendered email.
type Email struct {
	Subject string // one line, no control characters
	Text    string // the text/plain body, lines ending in "\n"
	HTML    string // the text/html body, a whole document
}

// Templates holds the parsed templates. It is immutable after New and safe
// for concurrent use.
type Templates struct {
	kinds map[string]kind
}

type kind struct {
	text *texttemplate.Template // defines "subject" and "text"
	html *htmltemplate.Template // executes as "layout"
}

// names lists every email template; each has email/NAME.txt and
// email/NAME.html.
var names = []string{
	"prompt", "brief", "recap", "reminder",
	"notice_notes_unmatched", "notice_quarantined", "notice_bounce",
	"notice_complaint", "notice_unsubscribed",
}

// New parses the embedded templates.
func New() (*Templates, error) {
	textBase, err := texttemplate.New("").Funcs(texttemplate.FuncMap(funcs)).ParseFS(files, "email/common.txt")
	if err != nil {
		return nil, fmt.Errorf("templates: parse common text: %w", err)
	}
	htmlBase, err := htmltemplate.New("").Funcs(htmltemplate.FuncMap(funcs)).ParseFS(files, "email/layout.html")
	if err != nil {
		return nil, fmt.Errorf("templates: parse layout: %w", err)
	}
	t := &Templates{kinds: make(map[string]kind, len(names))}
	for _, name := range names {
		tt, err := texttemplate.Must(textBase.Clone()).ParseFS(files, "email/"+name+".txt")
		if err != nil {
			return nil, fmt.Errorf("templates: parse %s text: %w", name, err)
		}
		ht, err := htmltemplate.Must(htmlBase.Clone()).ParseFS(files, "email/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("templates: parse %s html: %w", name, err)
		}
		for _, def := range []string{"subject", "text"} {
			if tt.Lookup(def) == nil {
				return nil, fmt.Errorf("templates: %s.txt defines no %q", name, def)
			}
		}
		if ht.Lookup("content") == nil {
			return nil, fmt.Errorf("templates: %s.html defines no \"content\"", name)
		}
		t.kinds[name] = kind{text: tt, html: ht}
	}
	return t, nil
}

func (t *Templates) render(name string, data any) (Email, error) {
	k, ok := t.kinds[name]
	if !ok {
		return Email{}, fmt.Errorf("templates: no template %q", name)
	}
	var subject, text, html bytes.Buffer
	if err := k.text.ExecuteTemplate(&subject, "subject", data); err != nil {
		return Email{}, fmt.Errorf("templates: render %s subject: %w", name, err)
	}
	if err := k.text.ExecuteTemplate(&text, "text", data); err != nil {
		return Email{}, fmt.Errorf("templates: render %s text: %w", name, err)
	}
	if err := k.html.ExecuteTemplate(&html, "layout", data); err != nil {
		return Email{}, fmt.Errorf("templates: render %s html: %w", name, err)
	}
	return Email{
		Subject: OneLine(subject.String()),
		Text:    tidyText(text.String()),
		HTML:    html.String(),
	}, nil
}

// OneLine returns s as a single line fit for a header: every run of white
// space and control characters (CR and LF included, and the Unicode line and
// paragraph separators) becomes one space, the ends are trimmed, and the
// bidirectional embedding, override and isolate controls, which can make a
// subject read differently from what it says, are removed.
func OneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if bidiControl(r) {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tidyText trims trailing white space from each line (but keeps the "-- "
// signature separator, RFC 3676 section 4.3, so that mail clients and
// coachmail's own reply parser cut what follows), removes blank lines at
// either end, collapses runs of blank lines into one, and ends the text with
// one newline. Templates can then be written for readability.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		if l != "-- " {
			l = strings.TrimRight(l, " \t")
		}
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}

// Prompt is the email to a leader before a session: the focus question and
// the open commitments, numbered 1..n in the order given, which is the
// order in which the status parser reads "1 done, 2 not yet".
type Prompt struct {
	LeaderName   string // how the leader is greeted, usually a first name; "" for none
	CoachName    string // signs the email
	Practice     string // the practice, shown in the footer
	SessionStart time.Time
	Location     *time.Location // the leader's zone; nil means UTC
	Group        bool           // a group (peer mastermind) session
	Commitments  []string       // open commitments, in the order the status parser numbers them
}

// Prompt renders the pre-session prompt.
func (t *Templates) Prompt(d Prompt) (Email, error) {
	if d.SessionStart.IsZero() {
		return Email{}, fmt.Errorf("templates: prompt: no session start")
	}
	return t.render("prompt", d)
}

// Brief is the email to the coach before a session.
type Brief struct {
	CoachName    string
	Practice     string
	SessionTitle string // the calendar title; used for a group session
	SessionStart time.Time
	Location     *time.Location // the coach's zone; nil means UTC
	Leaders      []BriefLeader  // one for a 1:1 session, several for a group
	// Ref is the session's reference (coaching.SessionRef), kept in the
	// subject: notes sent with it in theirs are filed with this session.
	Ref string
	// NotesAddress is where the coach sends notes; "" leaves out the hint.
	NotesAddress string
}

// Group reports whether the brief is for a group session.
func (b Brief) Group() bool { return len(b.Leaders) > 1 }

// BriefLeader is what the brief says about one leader.
type BriefLeader struct {
	Name        string
	Focus       string           // the focus answer; "" shows "no answer yet"
	Commitments []CommitmentLine // numbered as in the leader's prompt
	// RecentFocus is the focus of earlier sessions, newest first; the brief
	// shows the first three.
	RecentFocus []FocusLine
}

// CommitmentLine is a commitment and where it stands.
type CommitmentLine struct {
	Text    string
	Due     string // YYYY-MM-DD or ""
	Status  coaching.CommitmentStatus
	Comment string // what the leader said with the status ("budget frozen"), or ""
}

// FocusLine is the focus answer of an earlier session.
type FocusLine struct {
	SessionStart time.Time
	Text         string
}

// Brief renders the coach brief.
func (t *Templates) Brief(d Brief) (Email, error) {
	if d.SessionStart.IsZero() {
		return Email{}, fmt.Errorf("templates: brief: no session start")
	}
	if len(d.Leaders) == 0 {
		return Email{}, fmt.Errorf("templates: brief: no leaders")
	}
	return t.render("brief", d)
}

// Recap is the email to a leader after the coach's notes: what the leader
// left the session with.
type Recap struct {
	LeaderName   string
	CoachName    string
	Practice     string
	SessionStart time.Time
	Location     *time.Location // the leader's zone; nil means UTC
	Decisions    []string
	Reframes     []string
	Actions      []Action // numbered 1..n, so that a reply can say "drop 2"
}

// Action is something a leader committed to, with an optional due date.
type Action struct {
	Text string
	Due  string // YYYY-MM-DD, or "" when none was given
}

// Recap renders the recap.
func (t *Templates) Recap(d Recap) (Email, error) {
	if d.SessionStart.IsZero() {
		return Email{}, fmt.Errorf("templates: recap: no session start")
	}
	if len(d.Decisions)+len(d.Reframes)+len(d.Actions) == 0 {
		return Email{}, fmt.Errorf("templates: recap: nothing to recap")
	}
	return t.render("recap", d)
}

// Reminder is the email to a leader between sessions: what they said they
// would do, numbered 1..n for the status parser.
type Reminder struct {
	LeaderName  string
	CoachName   string
	Practice    string
	Commitments []Action
	NextSession time.Time      // zero when no next session is known
	Location    *time.Location // the leader's zone; nil means UTC
}

// Reminder renders the commitment reminder.
func (t *Templates) Reminder(d Reminder) (Email, error) {
	if len(d.Commitments) == 0 {
		return Email{}, fmt.Errorf("templates: reminder: no commitments")
	}
	return t.render("reminder", d)
}

// NoticeKind says what a coach notice is about. The values are those of
// coaching.ScheduledEmail.Notice.
type NoticeKind string

// Notice kinds.
const (
	// NoticeNotesUnmatched: the coach's notes could not be matched to a session.
	NoticeNotesUnmatched NoticeKind = "notes_unmatched"
	// NoticeQuarantined: an inbound message was kept but not applied.
	NoticeQuarantined NoticeKind = "quarantined"
	// NoticeBounce: mail to a leader's address bounced.
	NoticeBounce NoticeKind = "bounce"
	// NoticeComplaint: a leader's mail provider reported our email as spam.
	NoticeComplaint NoticeKind = "complaint"
	// NoticeUnsubscribed: a leader unsubscribed.
	NoticeUnsubscribed NoticeKind = "unsubscribed"
)

// Notice is an email to the coach about something that needs their eye. It
// never holds the content of a leader's message: a quarantine notice gives
// the reason only.
type Notice struct {
	Kind       NoticeKind
	CoachName  string
	Practice   string
	LeaderName string // when known
	Address    string // the address concerned: the bounced, complaining or unsubscribed one, or a quarantined message's sender
	// Reason is a short, safe explanation: why a message was quarantined,
	// the bounce's diagnostic. Never message content.
	Reason string
	// Subject is, for NoticeNotesUnmatched only, the subject of the coach's
	// own notes email, so that they know which notes are meant.
	Subject    string
	ReceivedAt time.Time      // when the message concerned arrived (or the bounce)
	Location   *time.Location // the coach's zone; nil means UTC
	// Ref identifies the kept message for the operator
	// ("coachmail quarantine show REF"); "" when there is none.
	Ref string
}

// Notice renders a coach notice.
func (t *Templates) Notice(d Notice) (Email, error) {
	switch d.Kind {
	case NoticeNotesUnmatched, NoticeQuarantined, NoticeBounce, NoticeComplaint, NoticeUnsubscribed:
	default:
		return Email{}, fmt.Errorf("templates: notice: unknown kind %q", d.Kind)
	}
	return t.render("notice_"+string(d.Kind), d)
}

// bidiControl reports whether r is a bidirectional embedding, override or
// isolate control (Unicode UAX #9).
func bidiControl(r rune) bool {
	return '\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069'
}

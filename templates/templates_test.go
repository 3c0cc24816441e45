package templates

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // the tests name IANA zones; do not depend on the host's database

	"golang.org/x/net/html"

	"github.com/coachmail/coachmail/internal/coaching"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func newTemplates(t testing.TB) *Templates {
	t.Helper()
	tm, err := New()
	if err != nil {
		t.Fatalf("New() = %v", err)
	}
	return tm
}

// golden is one rendered email and the files it is compared with.
type golden struct {
	name   string
	render func(*Templates) (Email, error)
}

// goldens returns every email the package renders, in the situations that
// change its shape.
func goldens(t testing.TB) []golden {
	london := zone(t, "Europe/London")
	newYork := zone(t, "America/New_York")
	// Tuesday 3 March 2026, 14:00 in London (GMT).
	session := time.Date(2026, 3, 3, 14, 0, 0, 0, london)
	// Sunday 29 March 2026 in London is the first day of BST.
	dstSession := time.Date(2026, 3, 29, 10, 30, 0, 0, london)
	received := time.Date(2026, 3, 3, 16, 5, 0, 0, time.UTC)
	return []golden{
		{"prompt", func(tm *Templates) (Email, error) {
			return tm.Prompt(Prompt{
				LeaderName: "Sam", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				SessionStart: session, Location: london,
				Commitments: []string{
					"Talk to Priya about the reorg before the all-hands",
					"Draft the hiring plan",
					"Block two mornings a week for thinking time",
				},
			})
		}},
		{"prompt_first", func(tm *Templates) (Email, error) {
			// No commitments yet, no name on file, a session on the first day
			// of summer time, in the leader's zone (New York) rather than the
			// session's.
			return tm.Prompt(Prompt{
				CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				SessionStart: dstSession, Location: newYork,
			})
		}},
		{"prompt_group", func(tm *Templates) (Email, error) {
			return tm.Prompt(Prompt{
				LeaderName: "Zoë", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				SessionStart: dstSession, Location: london, Group: true,
				Commitments: []string{"Ask the board for a decision on pricing\nnot just another update"},
			})
		}},
		{"brief", func(tm *Templates) (Email, error) {
			return tm.Brief(Brief{
				CoachName: "Alex", Practice: "Northwind Coaching",
				SessionStart: session, Location: newYork,
				Ref: "S-4K7QMZ", NotesAddress: "notes@northwind.example",
				Leaders: []BriefLeader{{
					Name:  "Sam Lee",
					Focus: "Honestly? Whether I still want this job.\n\nThe reorg is the presentable problem.",
					Commitments: []CommitmentLine{
						{Text: "Talk to Priya about the reorg", Status: coaching.CommitmentDone},
						{Text: "Draft the hiring plan", Due: "2026-02-27", Status: coaching.CommitmentNotDone, Comment: "budget frozen until Q2"},
						{Text: "Block two mornings a week", Status: coaching.CommitmentOpen},
						{Text: "Weekly 1:1s with every direct report", Status: coaching.CommitmentDropped},
					},
					RecentFocus: []FocusLine{
						{SessionStart: session.AddDate(0, 0, -7), Text: "The board deck, and why I keep rewriting it"},
						{SessionStart: session.AddDate(0, 0, -14), Text: "Priya"},
						{SessionStart: session.AddDate(0, 0, -21), Text: strings.Repeat("A very long focus line that goes on ", 6)},
						{SessionStart: session.AddDate(0, 0, -28), Text: "This fourth one is not shown"},
					},
				}},
			})
		}},
		{"brief_group", func(tm *Templates) (Email, error) {
			return tm.Brief(Brief{
				CoachName: "Alex", Practice: "Northwind Coaching", SessionTitle: "Founders' circle",
				SessionStart: dstSession, Location: london, Ref: "S-9X2B7D",
				Leaders: []BriefLeader{
					{Name: "Sam Lee", Focus: "Letting go of the product roadmap"},
					{Name: "Zoë Ng", Commitments: []CommitmentLine{{Text: "Hire a COO", Status: coaching.CommitmentOpen}}},
				},
			})
		}},
		{"recap", func(tm *Templates) (Email, error) {
			return tm.Recap(Recap{
				LeaderName: "Sam", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				SessionStart: session, Location: london,
				Decisions: []string{"Stay in the role through the reorg, then decide"},
				Reframes:  []string{"The reorg isn't a verdict on me; it's a design problem I can help shape"},
				Actions: []Action{
					{Text: "Tell Priya what I actually think of the new structure", Due: "2026-03-06"},
					{Text: "Write down what would make me leave"},
				},
			})
		}},
		{"recap_actions", func(tm *Templates) (Email, error) {
			return tm.Recap(Recap{
				LeaderName: "Sam", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				SessionStart: session, Location: london,
				Actions: []Action{{Text: "Call the auditor", Due: "before the board meeting"}},
			})
		}},
		{"recap_no_actions", func(tm *Templates) (Email, error) {
			return tm.Recap(Recap{
				LeaderName: "Sam", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				SessionStart: session, Location: london,
				Reframes: []string{"Saying no to the CEO is part of the job, not a risk to it"},
			})
		}},
		{"reminder", func(tm *Templates) (Email, error) {
			return tm.Reminder(Reminder{
				LeaderName: "Sam", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
				NextSession: session.AddDate(0, 0, 14), Location: london,
				Commitments: []Action{
					{Text: "Tell Priya what I actually think of the new structure", Due: "2026-03-06"},
					{Text: "Write down what would make me leave"},
				},
			})
		}},
		{"reminder_no_next", func(tm *Templates) (Email, error) {
			return tm.Reminder(Reminder{
				LeaderName: "Sam", Practice: "Northwind Coaching",
				Commitments: []Action{{Text: "Write down what would make me leave"}},
			})
		}},
		{"notice_notes_unmatched", func(tm *Templates) (Email, error) {
			return tm.Notice(Notice{
				Kind: NoticeNotesUnmatched, CoachName: "Alex", Practice: "Northwind Coaching",
				Subject: "Fwd: notes, Tuesday", ReceivedAt: received, Location: london, Ref: "0100018e2a3b",
			})
		}},
		{"notice_quarantined", func(tm *Templates) (Email, error) {
			return tm.Notice(Notice{
				Kind: NoticeQuarantined, CoachName: "Alex", Practice: "Northwind Coaching",
				LeaderName: "Sam Lee", Address: "sam@example.com",
				Reason: "the reply token had expired", ReceivedAt: received, Location: newYork, Ref: "0100018e2a3c",
			})
		}},
		{"notice_quarantined_unknown", func(tm *Templates) (Email, error) {
			return tm.Notice(Notice{
				Kind: NoticeQuarantined, CoachName: "Alex", Practice: "Northwind Coaching",
				Reason: "DKIM and SPF both failed",
			})
		}},
		{"notice_bounce", func(tm *Templates) (Email, error) {
			return tm.Notice(Notice{
				Kind: NoticeBounce, CoachName: "Alex", Practice: "Northwind Coaching",
				LeaderName: "Sam Lee", Address: "sam@example.com",
				Reason: "550 5.1.1 user unknown", ReceivedAt: received, Location: london,
			})
		}},
		{"notice_complaint", func(tm *Templates) (Email, error) {
			return tm.Notice(Notice{
				Kind: NoticeComplaint, CoachName: "Alex", Practice: "Northwind Coaching",
				LeaderName: "Sam Lee", Address: "sam@example.com", ReceivedAt: received, Location: london,
			})
		}},
		{"notice_unsubscribed", func(tm *Templates) (Email, error) {
			return tm.Notice(Notice{
				Kind: NoticeUnsubscribed, CoachName: "Alex", Practice: "Northwind Coaching",
				Address: "sam@example.com", ReceivedAt: received, Location: london,
			})
		}},
	}
}

// TestGolden renders every email and compares the subject and text with
// testdata/NAME.txt and the HTML with testdata/NAME.html; -update rewrites
// them.
func TestGolden(t *testing.T) {
	tm := newTemplates(t)
	for _, g := range goldens(t) {
		t.Run(g.name, func(t *testing.T) {
			e, err := g.render(tm)
			if err != nil {
				t.Fatalf("render = %v", err)
			}
			compareGolden(t, g.name+".txt", "Subject: "+e.Subject+"\n\n"+e.Text)
			compareGolden(t, g.name+".html", e.HTML)
		})
	}
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the render (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestHTMLShape checks every HTML render for what a phone, dark mode and
// privacy need: parseable, nothing remote, no script, a single column of
// at most 600px, body text of 16px, the dark scheme declared.
func TestHTMLShape(t *testing.T) {
	tm := newTemplates(t)
	for _, g := range goldens(t) {
		e, err := g.render(tm)
		if err != nil {
			t.Fatalf("%s: render = %v", g.name, err)
		}
		z := html.NewTokenizer(strings.NewReader(e.HTML))
		var metaScheme, viewport bool
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			tok := z.Token()
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			switch tok.Data {
			case "img", "script", "iframe", "object", "embed", "link", "form", "video", "audio", "picture", "source":
				t.Errorf("%s: HTML has a <%s> element", g.name, tok.Data)
			}
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				attrs[a.Key] = a.Val
				switch a.Key {
				case "src", "srcset", "background", "href", "action":
					t.Errorf("%s: <%s %s=%q>: want no links or remote resources", g.name, tok.Data, a.Key, a.Val)
				}
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s>: want no event handlers", g.name, tok.Data, a.Key)
				}
			}
			if tok.Data == "meta" && attrs["name"] == "color-scheme" && attrs["content"] == "light dark" {
				metaScheme = true
			}
			if tok.Data == "meta" && attrs["name"] == "viewport" {
				viewport = true
			}
		}
		for _, want := range []string{
			"<!DOCTYPE html>",
			"color-scheme: light dark",
			"@media (prefers-color-scheme: dark)",
			"max-width:600px",
			"font-size:16px",
		} {
			if !strings.Contains(e.HTML, want) {
				t.Errorf("%s: HTML lacks %q", g.name, want)
			}
		}
		if !metaScheme || !viewport {
			t.Errorf("%s: HTML meta color-scheme %v, viewport %v, want both", g.name, metaScheme, viewport)
		}
		if strings.Contains(e.HTML, "url(") || strings.Contains(e.HTML, "@import") {
			t.Errorf("%s: HTML loads something through CSS", g.name)
		}
		if !strings.HasSuffix(e.Text, "\n") || strings.Contains(e.Text, "\n\n\n") {
			t.Errorf("%s: text = %q, want one blank line at most between paragraphs and a final newline", g.name, e.Text)
		}
	}
}

// TestEscaping puts markup in every field a leader or coach writes and
// checks that the HTML shows it as text.
func TestEscaping(t *testing.T) {
	tm := newTemplates(t)
	hostile := `<script>alert("x")</script> & "quotes" <b>bold</b> <img src=https://tracker.example/p.gif onerror=alert(1)>`
	start := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC)
	renders := map[string]func() (Email, error){
		"brief": func() (Email, error) {
			return tm.Brief(Brief{
				CoachName: hostile, Practice: hostile, SessionTitle: hostile, SessionStart: start,
				Leaders: []BriefLeader{
					{Name: hostile, Focus: hostile,
						Commitments: []CommitmentLine{{Text: hostile, Comment: hostile, Due: hostile}},
						RecentFocus: []FocusLine{{SessionStart: start, Text: hostile}}},
					{Name: hostile},
				},
			})
		},
		"prompt": func() (Email, error) {
			return tm.Prompt(Prompt{LeaderName: hostile, CoachName: hostile, Practice: hostile, SessionStart: start, Commitments: []string{hostile}})
		},
		"recap": func() (Email, error) {
			return tm.Recap(Recap{LeaderName: hostile, CoachName: hostile, SessionStart: start,
				Decisions: []string{hostile}, Reframes: []string{hostile}, Actions: []Action{{Text: hostile, Due: hostile}}})
		},
		"reminder": func() (Email, error) {
			return tm.Reminder(Reminder{LeaderName: hostile, CoachName: hostile, Commitments: []Action{{Text: hostile, Due: hostile}}})
		},
	}
	for _, kind := range []NoticeKind{NoticeNotesUnmatched, NoticeQuarantined, NoticeBounce, NoticeComplaint, NoticeUnsubscribed} {
		renders[string(kind)] = func() (Email, error) {
			return tm.Notice(Notice{Kind: kind, CoachName: hostile, Practice: hostile, LeaderName: hostile,
				Address: hostile, Reason: hostile, Subject: hostile, Ref: hostile})
		}
	}
	for name, render := range renders {
		e, err := render()
		if err != nil {
			t.Fatalf("%s: render = %v", name, err)
		}
		for _, bad := range []string{"<script", "<b>", "<img", "onerror=alert(1)>"} {
			if strings.Contains(e.HTML, bad) {
				t.Errorf("%s: HTML contains %q unescaped", name, bad)
			}
		}
		if !strings.Contains(e.HTML, "&lt;script&gt;") {
			t.Errorf("%s: HTML lacks the escaped &lt;script&gt;", name)
		}
		// The text version shows what was written, as written.
		if !strings.Contains(e.Text, "<script>") {
			t.Errorf("%s: text lost the literal <script>", name)
		}
	}
}

// TestSubjectOneLine checks that no data can put a line break (a header
// injection) or a control character into a subject.
func TestSubjectOneLine(t *testing.T) {
	tm := newTemplates(t)
	evil := "Sam\r\nBcc: victim@example.com\r\n\r\nbody\x00\x1b[31m\u2028\u0085\u202eevil"
	start := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC)
	var emails []Email
	add := func(e Email, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, e)
	}
	add(tm.Brief(Brief{SessionStart: start, Leaders: []BriefLeader{{Name: evil}}}))
	add(tm.Brief(Brief{SessionStart: start, SessionTitle: evil, Leaders: []BriefLeader{{Name: evil}, {Name: evil}}}))
	for _, kind := range []NoticeKind{NoticeQuarantined, NoticeBounce, NoticeComplaint, NoticeUnsubscribed} {
		add(tm.Notice(Notice{Kind: kind, LeaderName: evil}))
		add(tm.Notice(Notice{Kind: kind, Address: evil}))
	}
	for _, e := range emails {
		for _, r := range e.Subject {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u202e' {
				t.Errorf("subject %q contains %U", e.Subject, r)
			}
		}
		if !strings.Contains(e.Subject, "Sam Bcc: victim@example.com body") {
			t.Errorf("subject %q: want the text kept, on one line", e.Subject)
		}
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"  two\r\n lines  ", "two lines"},
		{"tab\tand\vform\ffeed", "tab and form feed"},
		{"nul\x00byte", "nul byte"},
		{"del\x7fchar", "del char"},
		{"c1\u0085next\u0080", "c1 next"},
		{"sep\u2028line\u2029para", "sep line para"},
		{"a\u202eb\u2066c", "abc"},
		{"Zoë Ng — 東京", "Zoë Ng — 東京"},
	}
	for _, test := range tests {
		if got := OneLine(test.in); got != test.want {
			t.Errorf("OneLine(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

// TestPromptNumbering checks that commitments are numbered 1..n in the
// order given, in both bodies: the status parser reads replies by these
// numbers.
func TestPromptNumbering(t *testing.T) {
	tm := newTemplates(t)
	items := []string{"gamma first", "alpha second", "beta third"}
	e, err := tm.Prompt(Prompt{SessionStart: time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC), Commitments: items})
	if err != nil {
		t.Fatal(err)
	}
	last := -1
	for i, item := range items {
		line := "  " + string(rune('1'+i)) + ". " + item + "\n"
		at := strings.Index(e.Text, line)
		if at < 0 || at < last {
			t.Errorf("text: line %q at %d (previous at %d), want it present and in order:\n%s", line, at, last, e.Text)
		}
		last = at
	}
	if !strings.Contains(e.Text, `"1 done, 2 not yet"`) {
		t.Errorf("text lacks the status hint:\n%s", e.Text)
	}
	// In HTML an ordered list numbers from 1 in document order.
	ol := e.HTML[strings.Index(e.HTML, "<ol>"):]
	last = -1
	for _, item := range items {
		at := strings.Index(ol, "<li style=\"white-space:pre-line;\">"+item+"</li>")
		if at < 0 || at < last {
			t.Errorf("html: item %q at %d (previous at %d), want it in the list in order", item, at, last)
		}
		last = at
	}
}

func TestZones(t *testing.T) {
	tm := newTemplates(t)
	// 13:30 UTC on Sunday 8 March 2026: the first day of EDT in New York,
	// still GMT in London.
	start := time.Date(2026, 3, 8, 13, 30, 0, 0, time.UTC)
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{nil, "Sunday 8 March at 13:30 UTC"},
		{zone(t, "Europe/London"), "Sunday 8 March at 13:30 GMT"},
		{zone(t, "America/New_York"), "Sunday 8 March at 09:30 EDT"},
		{zone(t, "Asia/Tokyo"), "Sunday 8 March at 22:30 JST"},
		{zone(t, "Asia/Kolkata"), "Sunday 8 March at 19:00 IST"},
	}
	for _, test := range tests {
		e, err := tm.Prompt(Prompt{SessionStart: start, Location: test.loc})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(e.Text, test.want) || !strings.Contains(e.HTML, test.want) {
			t.Errorf("prompt in %v: want %q in text and HTML; text:\n%s", test.loc, test.want, e.Text)
		}
	}
}

func TestBriefNoAnswer(t *testing.T) {
	tm := newTemplates(t)
	e, err := tm.Brief(Brief{SessionStart: time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC), Leaders: []BriefLeader{{Name: "Sam"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Text, "Focus: no answer yet") || !strings.Contains(e.HTML, "No answer yet.") {
		t.Errorf("brief without a focus answer: want \"no answer yet\"; text:\n%s", e.Text)
	}
}

func TestInvalid(t *testing.T) {
	tm := newTemplates(t)
	start := time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC)
	for name, render := range map[string]func() (Email, error){
		"prompt without start":  func() (Email, error) { return tm.Prompt(Prompt{}) },
		"brief without start":   func() (Email, error) { return tm.Brief(Brief{Leaders: []BriefLeader{{Name: "Sam"}}}) },
		"brief without leaders": func() (Email, error) { return tm.Brief(Brief{SessionStart: start}) },
		"empty recap":           func() (Email, error) { return tm.Recap(Recap{SessionStart: start}) },
		"recap without start":   func() (Email, error) { return tm.Recap(Recap{Decisions: []string{"x"}}) },
		"empty reminder":        func() (Email, error) { return tm.Reminder(Reminder{}) },
		"unknown notice":        func() (Email, error) { return tm.Notice(Notice{Kind: "fire"}) },
	} {
		if e, err := render(); err == nil {
			t.Errorf("%s: render = %+v, want an error", name, e)
		}
	}
}

// TestConcurrent renders from many goroutines at once; with -race it
// proves the parsed templates are shared safely.
func TestConcurrent(t *testing.T) {
	tm := newTemplates(t)
	gs := goldens(t)
	want := make([]Email, len(gs))
	for i, g := range gs {
		want[i], _ = g.render(tm)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i, g := range gs {
				got, err := g.render(tm)
				if err != nil || got != want[i] {
					t.Errorf("%s: concurrent render differs (err %v)", g.name, err)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkPrompt(b *testing.B) {
	tm := newTemplates(b)
	d := Prompt{LeaderName: "Sam", CoachName: "Alex", Practice: "Northwind Coaching",
		SessionStart: time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC), Commitments: []string{"one", "two", "three"}}
	var n int
	for b.Loop() {
		e, err := tm.Prompt(d)
		if err != nil {
			b.Fatal(err)
		}
		n = len(e.HTML) + len(e.Text)
	}
	b.SetBytes(int64(n))
}

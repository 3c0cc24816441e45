package templates

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coachmail/coachmail/internal/coaching"
)

// funcs are the functions the templates call. The map is never written to
// after initialisation.
var funcs = map[string]any{
	"when":    when,
	"day":     weekday,
	"date":    shortDate,
	"due":     due,
	"number":  func(i int) int { return i + 1 },
	"status":  status,
	"clip":    clip,
	"indent":  indent,
	"first":   first,
	"signoff": signoff,
	"clock":   clock,
}

func in(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc)
}

// when formats a moment for people: "Tuesday 3 March at 14:00 GMT".
func when(t time.Time, loc *time.Location) string {
	return in(t, loc).Format("Monday 2 January at 15:04 MST")
}

// clock formats the time of day of t in loc: "14:00 GMT".
func clock(t time.Time, loc *time.Location) string {
	return in(t, loc).Format("15:04 MST")
}

// weekday names the day of t in loc: "Tuesday".
func weekday(t time.Time, loc *time.Location) string {
	return in(t, loc).Format("Monday")
}

// shortDate formats the day of t in loc: "Tue 24 Feb".
func shortDate(t time.Time, loc *time.Location) string {
	return in(t, loc).Format("Mon 2 Jan")
}

// due formats a due date: "by Friday 6 March" for YYYY-MM-DD, and
// anything else as written ("before the board meeting").
func due(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return OneLine(s)
	}
	return d.Format("by Monday 2 January")
}

// status says where a commitment stands, in words.
func status(s coaching.CommitmentStatus) string {
	switch s {
	case coaching.CommitmentDone:
		return "done"
	case coaching.CommitmentNotDone:
		return "not done"
	case coaching.CommitmentDropped:
		return "dropped"
	default:
		return "no update yet"
	}
}

// clip shortens s to one line of at most n characters, ending it with "…"
// when it was cut.
func clip(n int, s string) string {
	s = OneLine(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// indent prefixes every line of s but the first with pad, so that a
// multi-line answer stays inside its item in a text email.
func indent(pad, s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	return strings.ReplaceAll(s, "\n", "\n"+pad)
}

// first returns at most n elements of a slice of focus lines.
func first(n int, l []FocusLine) []FocusLine {
	if len(l) > n {
		return l[:n]
	}
	return l
}

// signoff is the name an email is signed with: the coach's, or the
// practice's when the coach has none.
func signoff(coach, practice string) string {
	if coach != "" {
		return coach
	}
	return practice
}

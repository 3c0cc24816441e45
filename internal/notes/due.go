package notes

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// This file finds the due date written in an action and resolves it against
// the reference time. It works on a token stream rather than on regular
// expressions because RE2's \b knows only ASCII word characters, which
// breaks on "übermorgen", "mañana" or "venerdì".

type tokKind uint8

const (
	tokWord  tokKind = iota // letters, possibly followed by digits ("q2")
	tokNum                  // 1-4 digits, maybe an ordinal suffix ("3rd", "1er", "3.")
	tokDate                 // digits joined by / . or - ("3/3", "03.03.2026", "2026-12-01")
	tokPunct                // any other single character
)

type token struct {
	kind    tokKind
	text    string // lower-cased
	num     int    // value of a tokNum
	ordinal bool   // tokNum written as an ordinal ("3rd", "3.")
	glued   bool   // tokNum with letters right after it ("2x", "3pm")
	parts   []int  // numbers of a tokDate
	seps    string // separators of a tokDate, in order
}

// tokenize splits lower-cased text into tokens. Hyphens and apostrophes split
// words ("sexta-feira", "d'ici"); phrases are matched over several tokens.
func tokenize(s string) []token {
	return tokenizeLower(strings.ToLower(s))
}

// tokenizeLower is tokenize for text already lower-cased.
func tokenizeLower(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && r2 != '.' {
					break
				}
				// A dot stays inside a word only for "e.o.d."-like runs.
				if r2 == '.' && (j+n >= len(s) || !isASCIILetter(s[j+n])) {
					break
				}
				j += n
			}
			w := strings.ReplaceAll(s[i:j], ".", "")
			toks = append(toks, token{kind: tokWord, text: w})
			i = j
		case r >= '0' && r <= '9':
			i = lexNumber(s, i, &toks)
		case r == '\'' || r == '’' || r == '-' || r == '‐':
			// Apostrophes and hyphens join words ("d'ici", "sexta-feira",
			// "mid-March"); dropping them lets phrases match across.
			i += size
		default:
			toks = append(toks, token{kind: tokPunct, text: s[i : i+size]})
			i += size
		}
	}
	return toks
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' }

// lexNumber reads a number, a numeric date or an ordinal starting at i and
// returns the index after it.
func lexNumber(s string, i int, toks *[]token) int {
	digits := func(j int) (int, int) {
		v, k := 0, j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' && k-j < 5 {
			v = v*10 + int(s[k]-'0')
			k++
		}
		return v, k
	}
	v, j := digits(i)
	parts, seps := []int{v}, ""
	k := j
	for len(parts) < 3 && k+1 < len(s) && (s[k] == '/' || s[k] == '.' || s[k] == '-') && s[k+1] >= '0' && s[k+1] <= '9' {
		if seps != "" && s[k] != seps[0] {
			break
		}
		n, e := digits(k + 1)
		parts = append(parts, n)
		seps += s[k : k+1]
		k = e
	}
	if len(parts) > 1 {
		t := token{kind: tokDate, text: s[i:k], parts: parts, seps: seps}
		// German writes "3.3." with a closing dot.
		if seps[0] == '.' && k < len(s) && s[k] == '.' {
			t.text += "."
			k++
		}
		*toks = append(*toks, t)
		return k
	}
	t := token{kind: tokNum, text: s[i:j], num: v}
	// Ordinal suffixes: 1st 2nd 3rd 4th, 1er 2e 2ème, 1º 1ª, 3. (German).
	rest := s[j:]
	for _, suf := range []string{"st", "nd", "rd", "th", "er", "ème", "eme", "e", "º", "ª", "°"} {
		if strings.HasPrefix(rest, suf) {
			after := rest[len(suf):]
			if r, _ := utf8.DecodeRuneInString(after); after == "" || !unicode.IsLetter(r) {
				t.ordinal = true
				t.text += suf
				j += len(suf)
				break
			}
		}
	}
	if !t.ordinal && j < len(s) && s[j] == '.' && (j+1 == len(s) || s[j+1] == ' ') {
		// "am 3. März": a dot right after a day number is an ordinal in German.
		t.ordinal = true
		t.text += "."
		j++
	}
	if r, _ := utf8.DecodeRuneInString(s[j:]); !t.ordinal && j < len(s) && unicode.IsLetter(r) {
		t.glued = true // "2x", "3pm", "10k": not a day
	}
	*toks = append(*toks, t)
	return j
}

// numOrder says how to read an all-numeric date such as 3/4.
type numOrder uint8

const (
	dayFirst   numOrder = iota // 3/4 is 3 April: most of the world
	monthFirst                 // 3/4 is March 4: the United States
)

type candidate struct {
	pos      int
	date     time.Time
	deadline bool // preceded by "by", "before", "bis"...
}

// findDue returns the due date written in s, resolved against ref, or false.
// When several dates are written, the first one introduced by a deadline word
// ("by", "before", "avant", "bis", "antes de"...) wins, else the first one.
// Dates introduced by a start word ("from", "starting", "ab", "à partir de"),
// by a past word ("last Friday") or a recurrence ("every Friday") are not due
// dates.
func findDue(s string, ref time.Time, order numOrder) (time.Time, bool) {
	low := strings.ToLower(s)
	if !mayHoldDate(low) {
		return time.Time{}, false
	}
	toks := tokenizeLower(low)
	var best *candidate
	for i := 0; i < len(toks); i++ {
		d, n, ok := matchDate(toks, i, ref, order)
		if !ok {
			continue
		}
		c := candidate{pos: i, date: d}
		skip := false
		// Look back a few words, within the clause, for what introduces
		// the date: "by", "before the board meeting on", "after", "every".
		for back := 1; back <= 5 && i-back >= 0; back++ {
			w := toks[i-back].text
			if toks[i-back].kind == tokPunct {
				break
			}
			if startWords[w] || (back <= 2 && (pastWords[w] || everyWords[w])) {
				skip = true
				break
			}
			if deadlineWords[w] {
				c.deadline = true
				break
			}
		}
		if skip {
			i += n - 1
			continue
		}
		if best == nil || (c.deadline && !best.deadline) {
			cc := c
			best = &cc
		}
		if best.deadline {
			break
		}
		i += n - 1
	}
	if best == nil {
		return time.Time{}, false
	}
	return best.date, true
}

// mayHoldDate reports whether low, lower-cased text, may hold a date: it
// has a digit, or a word without which no date form matches (a month, a
// weekday, "today", a unit such as "week"). Most sentences have neither,
// and this costs far less than reading them into tokens. A dot between
// letters ("e.o.d.") joins a word in tokenize, so such text is read in full.
func mayHoldDate(low string) bool {
	start := -1
	for i := 0; i <= len(low); {
		r, size := rune(0), 1
		if i < len(low) {
			r = rune(low[i])
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(low[i:])
			}
		}
		switch {
		case '0' <= r && r <= '9':
			return true
		case r == '.' && start >= 0 && i+1 < len(low) && isASCIILetter(low[i+1]):
			return true
		case i < len(low) && unicode.IsLetter(r):
			if start < 0 {
				start = i
			}
		case start >= 0:
			if w := low[start:i]; dateFilter.mayHold(w) && dateWords[w] {
				return true
			}
			start = -1
		}
		i += size
	}
	return false
}

// dateFilter is dateWords as a filter, which most words fail at once.
var dateFilter = func() (f wordFilter) {
	for w := range dateWords {
		f.add(w)
	}
	return f
}()

// dateWords are the words that every date form other than a numeric one
// holds at least one of.
var dateWords = func() map[string]bool {
	m := map[string]bool{}
	for w := range monthNames {
		m[w] = true
	}
	for w := range weekdays {
		m[w] = true
	}
	for w := range ptWeekdays {
		m[w] = true
	}
	for w := range shortWeekdays {
		m[w] = true
	}
	for _, set := range []map[string]bool{todayWords, tomorrowWords, endWords, dayUnit, weekUnit,
		monthUnit, quarterUnit, yearUnit, fortnightWords} {
		for w := range set {
			m[w] = true
		}
	}
	for _, p := range append(append([][]string{}, dayAfterTomorrow...), todayPhrases...) {
		m[p[len(p)-1]] = true
	}
	return m
}()

// day is the calendar day of t at midnight in t's own zone.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// matchDate tries every date form at toks[i] and returns the date and the
// number of tokens it spans.
func matchDate(toks []token, i int, ref time.Time, order numOrder) (time.Time, int, bool) {
	today := day(ref)
	t := toks[i]
	word := func(k int) string {
		if k < len(toks) && toks[k].kind == tokWord {
			return toks[k].text
		}
		return ""
	}
	switch t.kind {
	case tokDate:
		d, ok := numericDate(t, today, order)
		return d, 1, ok
	case tokNum:
		if t.glued {
			return time.Time{}, 0, false
		}
		// 3 March, 3rd of March, 3. März, 3 de marzo, 1er mars [2027]
		k := i + 1
		if ofWords[word(k)] {
			k++
		}
		if m, ok := monthNames[word(k)]; ok {
			y, n := yearAfter(toks, k+1)
			d, ok := calendarDate(today, y, m, t.num)
			return d, k + 1 - i + n, ok
		}
		// "the 15th": the next such day of a month.
		if t.ordinal && i > 0 && (toks[i-1].text == "the") && t.num >= 1 && t.num <= 31 {
			return nextMonthDay(today, t.num)
		}
		return time.Time{}, 0, false
	case tokWord:
	default:
		return time.Time{}, 0, false
	}
	w := t.text
	// Month name then day: Dec 1, March 3rd, 2027; "mid-March" and "end of
	// March" are handled below.
	if m, ok := monthNames[w]; ok && i+1 < len(toks) && toks[i+1].kind == tokNum {
		nt := toks[i+1]
		if nt.num >= 1 && nt.num <= 31 && !nt.glued {
			y, n := yearAfter(toks, i+2)
			d, ok := calendarDate(today, y, m, nt.num)
			return d, 2 + n, ok
		}
	}
	// Phrases: the longest one starting here wins.
	if d, n, ok := matchPhrase(toks, i, today); ok {
		return d, n, true
	}
	// Weekdays, with an optional "next"/"this" before or after.
	if wd, ok := weekdayAt(toks, i); ok {
		n := 1
		if word(i+1) == "feira" { // Portuguese "sexta-feira"
			n++
		}
		if i > 0 && determiners[toks[i-1].text] {
			return time.Time{}, 0, false // "the Monday meetings": a kind of meeting, not a day
		}
		mod := ""
		if i > 0 {
			switch p := toks[i-1].text; {
			case nextWords[p]:
				mod = "next"
			case thisWords[p]:
				mod = "this"
			}
		}
		if pastWords[word(i+n)] { // "vendredi dernier"
			return time.Time{}, 0, false
		}
		if nw := word(i + n); nextWords[nw] {
			mod = "next"
			n++
		} else if nw == "que" && (word(i+n+1) == "viene" || word(i+n+1) == "vem") {
			mod = "next"
			n += 2
		}
		return weekdayDate(today, wd, mod), n, true
	}
	return time.Time{}, 0, false
}

// weekdayAt reads a weekday name at toks[i]. The Portuguese short forms
// ("sexta", "quinta") are also ordinals, so they count only before "feira" or
// after a word that introduces a date; the abbreviations that are also
// words ("mon", "sun", "do", "ven") only after a word of their language
// that introduces a date (see shortWeekdays).
func weekdayAt(toks []token, i int) (time.Weekday, bool) {
	w := toks[i].text
	if wd, ok := weekdays[w]; ok {
		return wd, true
	}
	if sd, ok := shortWeekdays[w]; ok && i > 0 && sd.after[toks[i-1].text] {
		return sd.day, true
	}
	if wd, ok := ptWeekdays[w]; ok {
		if i+1 < len(toks) && toks[i+1].text == "feira" {
			return wd, true
		}
		if i > 0 && (deadlineWords[toks[i-1].text] || toks[i-1].text == "na" || toks[i-1].text == "próxima" || toks[i-1].text == "proxima") {
			return wd, true
		}
	}
	return 0, false
}

// weekdayDate resolves a weekday. A bare weekday ("by Friday") is the next
// one strictly after today: a coach writing on a Friday "by Friday" means a
// week later, since a same-day deadline would be written "today". "this
// Friday" may be today. "next Friday" is the Friday of next week (weeks start
// on Monday), the reading most people give it when today is early in the
// week.
func weekdayDate(today time.Time, wd time.Weekday, mod string) time.Time {
	ahead := (int(wd) - int(today.Weekday()) + 7) % 7
	switch mod {
	case "this":
		return today.AddDate(0, 0, ahead)
	case "next":
		return mondayOf(today).AddDate(0, 0, 7+isoIndex(wd))
	}
	if ahead == 0 {
		ahead = 7
	}
	return today.AddDate(0, 0, ahead)
}

// isoIndex is the weekday's place in a Monday-first week (Monday = 0).
func isoIndex(wd time.Weekday) int { return (int(wd) + 6) % 7 }

func mondayOf(t time.Time) time.Time { return t.AddDate(0, 0, -isoIndex(t.Weekday())) }

// yearAfter reads an optional year ("2027", ", 2027", "de 2027") at toks[k]
// and returns it (0 when absent) and the tokens it spans.
func yearAfter(toks []token, k int) (int, int) {
	n := 0
	if k < len(toks) && (toks[k].text == "," || toks[k].text == "de" || toks[k].text == "del") {
		n++
	}
	if k+n < len(toks) && toks[k+n].kind == tokNum && !toks[k+n].ordinal {
		y := toks[k+n].num
		if y >= 2000 && y <= 2200 {
			return y, n + 1
		}
	}
	return 0, 0
}

// calendarDate builds y-m-d; without a year it is the first such date on or
// after today (the year rolls forward when the date has passed).
func calendarDate(today time.Time, y int, m time.Month, d int) (time.Time, bool) {
	if d < 1 || d > 31 {
		return time.Time{}, false
	}
	if y != 0 {
		t := time.Date(y, m, d, 0, 0, 0, 0, today.Location())
		return t, t.Day() == d
	}
	for y := today.Year(); y <= today.Year()+8; y++ {
		t := time.Date(y, m, d, 0, 0, 0, 0, today.Location())
		if t.Day() != d { // 31 April, or 29 February of a common year
			continue
		}
		if !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}

func nextMonthDay(today time.Time, d int) (time.Time, int, bool) {
	for k := 0; k < 13; k++ {
		first := time.Date(today.Year(), today.Month()+time.Month(k), 1, 0, 0, 0, 0, today.Location())
		t := first.AddDate(0, 0, d-1)
		if t.Month() == first.Month() && !t.Before(today) {
			return t, 1, true
		}
	}
	return time.Time{}, 0, false
}

// numericDate reads 2026-12-01, 2026/12/01, 3/3, 3/3/26, 03.03.2026 or 3.3.
// A dotted date needs a year or a closing dot, because "3.5" is a decimal.
// "24/7" is never a date.
func numericDate(t token, today time.Time, order numOrder) (time.Time, bool) {
	p := t.parts
	if t.text == "24/7" {
		return time.Time{}, false
	}
	if len(p) == 3 && p[0] >= 1000 { // year first: ISO 8601 and its slashed form
		return calendarDate(today, p[0], time.Month(p[1]), p[2])
	}
	if t.seps[0] == '-' {
		return time.Time{}, false // "3-4 weeks" is a range
	}
	if t.seps[0] == '.' && len(p) == 2 && !strings.HasSuffix(t.text, ".") {
		return time.Time{}, false
	}
	d, m := p[0], p[1]
	switch {
	case m > 12 && d <= 12:
		d, m = m, d
	case d > 12:
	case order == monthFirst:
		d, m = m, d
	}
	if m < 1 || m > 12 {
		return time.Time{}, false
	}
	y := 0
	if len(p) == 3 {
		y = p[2]
		if y < 100 {
			y += 2000
		}
		if y < 2000 || y > 2200 {
			return time.Time{}, false
		}
	}
	return calendarDate(today, y, time.Month(m), d)
}

// guessOrder decides how to read all-numeric dates in text: an unambiguous
// numeric date in the text itself settles it (13/3 is day-first, 3/13
// month-first); otherwise day-first, unless the reference time's zone is in
// the United States or Canada (by name or abbreviation, or by offset between
// UTC-10 and UTC-4 for a numeric zone) and the text reads as English, since
// Latin America shares those offsets but writes day-first.
func guessOrder(text string, ref time.Time, english bool) numOrder {
	for _, t := range tokenize(text) {
		if t.kind != tokDate || t.seps[0] == '-' || len(t.parts) < 2 || t.parts[0] >= 1000 {
			continue
		}
		a, b := t.parts[0], t.parts[1]
		if a > 12 && a <= 31 && b <= 12 {
			return dayFirst
		}
		if b > 12 && b <= 31 && a <= 12 {
			return monthFirst
		}
	}
	if !english {
		return dayFirst
	}
	name := ref.Location().String()
	abbr, off := ref.Zone()
	if usZones[abbr] || strings.HasPrefix(name, "US/") || strings.HasPrefix(name, "Canada/") || usLocations[name] {
		return monthFirst
	}
	if strings.HasPrefix(name, "America/") || strings.HasPrefix(name, "Europe/") || strings.Contains(name, "/") {
		return dayFirst // a named zone outside the US and Canada
	}
	if off >= -10*3600 && off <= -4*3600 {
		return monthFirst
	}
	return dayFirst
}

var usZones = set("EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "AKST", "AKDT", "HST")

var usLocations = set("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
	"America/Phoenix", "America/Anchorage", "America/Detroit", "America/Boise", "America/Juneau",
	"America/Indiana/Indianapolis", "America/Kentucky/Louisville", "America/Toronto", "America/Vancouver",
	"America/Edmonton", "America/Winnipeg", "America/Halifax", "America/Regina", "Pacific/Honolulu")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// matchPhrase reads the relative forms: today, tomorrow, next week, end of
// the month, in two weeks, and their translations.
func matchPhrase(toks []token, i int, today time.Time) (time.Time, int, bool) {
	w := func(k int) string {
		if k < len(toks) && toks[k].kind == tokWord {
			return toks[k].text
		}
		return ""
	}
	seq := func(words ...string) bool {
		for k, x := range words {
			if w(i+k) != x {
				return false
			}
		}
		return true
	}
	friday := func(weekOffset int) time.Time {
		return mondayOf(today).AddDate(0, 0, 7*weekOffset+4)
	}
	endOfMonth := func(monthOffset int) time.Time {
		return time.Date(today.Year(), today.Month()+time.Month(monthOffset)+1, 0, 0, 0, 0, 0, today.Location())
	}
	x := w(i)
	prev := ""
	if i > 0 {
		prev = toks[i-1].text
	}

	// Several-word forms first, so "après demain" is not read as "demain".
	for _, p := range dayAfterTomorrow {
		if seq(p...) {
			return today.AddDate(0, 0, 2), len(p), true
		}
	}
	for _, p := range todayPhrases {
		if seq(p...) {
			return today, len(p), true
		}
	}
	if todayWords[x] {
		return today, 1, true
	}
	if tomorrowWords[x] {
		// "morgen" is also German "morning" after am/jeden/guten/heute, and
		// "mañana" Spanish "morning" after la/esta/por/de.
		if x == "morgen" && morgenMorning[prev] || (x == "mañana" || x == "manana") && mananaMorning[prev] {
			return time.Time{}, 0, false
		}
		return today.AddDate(0, 0, 1), 1, true
	}
	// Week, month, quarter and year words with next/this around them.
	if n, unit, off, ok := periodPhrase(toks, i); ok {
		switch unit {
		case "week":
			if off == 0 && today.Weekday() == time.Saturday || off == 0 && today.Weekday() == time.Sunday {
				off = 1 // "end of this week" on a weekend: the coming Friday
			}
			return friday(off), n, true
		case "month":
			return endOfMonth(off), n, true
		}
	}
	// End of day/week/month/quarter/year/<month>/Qn.
	if endWords[x] {
		k := i + 1
		for k < len(toks) && (ofWords[w(k)] || articleWords[w(k)]) {
			k++
		}
		switch x {
		case "eod", "cob":
			return today, 1, true
		case "eow":
			off := 0
			if today.Weekday() == time.Saturday || today.Weekday() == time.Sunday {
				off = 1
			}
			return friday(off), 1, true
		case "eom", "monatsende":
			return endOfMonth(0), 1, true
		case "eoy", "jahresende":
			return time.Date(today.Year(), 12, 31, 0, 0, 0, 0, today.Location()), 1, true
		}
		if k == i+1 && x == "end" {
			return time.Time{}, 0, false // English "end" needs "of"
		}
		off := 0
		if nextWords[w(k)] {
			off = 1
			k++
		} else if thisWords[w(k)] {
			k++
		}
		u := w(k)
		after := w(k + 1)
		if nextWords[after] {
			off = 1
		}
		switch {
		case dayUnit[u]:
			return today, k + 1 - i, true
		case weekUnit[u]:
			if off == 0 && (today.Weekday() == time.Saturday || today.Weekday() == time.Sunday) {
				off = 1
			}
			return friday(off), k + 1 - i, true
		case monthUnit[u]:
			return endOfMonth(off), k + 1 - i, true
		case quarterUnit[u]:
			q := (int(today.Month())-1)/3 + off
			return time.Date(today.Year(), time.Month(3*q+4), 0, 0, 0, 0, 0, today.Location()), k + 1 - i, true
		case yearUnit[u]:
			return time.Date(today.Year()+off, 12, 31, 0, 0, 0, 0, today.Location()), k + 1 - i, true
		}
		if m, ok := monthNames[u]; ok {
			last := time.Date(today.Year(), m+1, 0, 0, 0, 0, 0, today.Location())
			if last.Before(today) {
				last = time.Date(today.Year()+1, m+1, 0, 0, 0, 0, 0, today.Location())
			}
			y, n := yearAfter(toks, k+1)
			if y != 0 {
				last = time.Date(y, m+1, 0, 0, 0, 0, 0, today.Location())
			}
			return last, k + 1 - i + n, true
		}
		if len(u) == 2 && u[0] == 'q' && u[1] >= '1' && u[1] <= '4' {
			q := int(u[1] - '0')
			last := time.Date(today.Year(), time.Month(3*q+1), 0, 0, 0, 0, 0, today.Location())
			if last.Before(today) {
				last = last.AddDate(1, 0, 0)
			}
			return last, k + 1 - i, true
		}
		return time.Time{}, 0, false
	}
	// In/within N units: "in two weeks", "dans 10 jours", "in zwei Wochen",
	// "en dos semanas", "daqui a duas semanas", "over twee weken", "tra due settimane".
	if inWords[x] || (x == "daqui" && w(i+1) == "a") || (x == "dentro" && w(i+1) == "de") || (x == "d" && w(i+1) == "ici") {
		k := i + 1
		if x == "daqui" || x == "dentro" || x == "d" {
			k++
		}
		if w(k) == "von" || w(k) == "of" { // innerhalb von, within of
			k++
		}
		n := 0
		switch {
		case k < len(toks) && toks[k].kind == tokNum && !toks[k].ordinal:
			n = toks[k].num
		case numberWords[w(k)] > 0:
			n = numberWords[w(k)]
			if w(k) == "a" && w(k+1) == "couple" {
				k++
				n = 2
				if w(k+1) == "of" {
					k++
				}
			}
		case w(k) == "a" || w(k) == "an" || w(k) == "one":
			n = 1
		}
		if n == 0 && fortnightWords[w(k)] {
			return today.AddDate(0, 0, 14), k + 1 - i, true
		}
		if n > 0 && n <= 400 {
			u := w(k + 1)
			switch {
			case dayUnit[u]:
				return today.AddDate(0, 0, n), k + 2 - i, true
			case weekUnit[u]:
				return today.AddDate(0, 0, 7*n), k + 2 - i, true
			case fortnightWords[u]:
				return today.AddDate(0, 0, 14*n), k + 2 - i, true
			case monthUnit[u]:
				return addMonths(today, n), k + 2 - i, true
			case yearUnit[u]:
				return addMonths(today, 12*n), k + 2 - i, true
			}
		}
	}
	// "a week from today", "two weeks from now".
	if n := amount(x); n > 0 {
		u := w(i + 1)
		if (w(i+2) == "from" && (w(i+3) == "today" || w(i+3) == "now")) && (weekUnit[u] || dayUnit[u] || monthUnit[u]) {
			switch {
			case dayUnit[u]:
				return today.AddDate(0, 0, n), 4, true
			case weekUnit[u]:
				return today.AddDate(0, 0, 7*n), 4, true
			default:
				return addMonths(today, n), 4, true
			}
		}
	}
	return time.Time{}, 0, false
}

func amount(w string) int {
	if w == "a" || w == "an" || w == "one" {
		return 1
	}
	return numberWords[w]
}

// addMonths adds n calendar months, clamping to the month's last day (31
// January plus one month is 28 or 29 February, not 3 March).
func addMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	last := first.AddDate(0, 1, -1).Day()
	d := t.Day()
	if d > last {
		d = last
	}
	return time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, t.Location())
}

// periodPhrase reads "next week", "this week", "la semaine prochaine",
// "nächste Woche", "la semana que viene", "volgende week", "next month"...
// It returns the tokens spanned, the unit and the offset (0 this, 1 next).
// "next week" is the Friday of next week and "next month" the last day of
// next month: the end of the period is when the action is due.
func periodPhrase(toks []token, i int) (int, string, int, bool) {
	w := func(k int) string {
		if k < len(toks) && toks[k].kind == tokWord {
			return toks[k].text
		}
		return ""
	}
	unit := func(u string) string {
		switch {
		case weekUnit[u]:
			return "week"
		case monthUnit[u]:
			return "month"
		}
		return ""
	}
	x := w(i)
	// next/this before the unit.
	if nextWords[x] || thisWords[x] {
		off := 0
		if nextWords[x] {
			off = 1
		}
		if u := unit(w(i + 1)); u != "" {
			// "this week" is not a period when "next" follows nothing; fine.
			return 2, u, off, true
		}
		return 0, "", 0, false
	}
	// the unit before next: "semaine prochaine", "semana que viene", "settimana prossima".
	if u := unit(x); u != "" {
		if nextWords[w(i+1)] {
			return 2, u, 1, true
		}
		if w(i+1) == "que" && (w(i+2) == "viene" || w(i+2) == "vem") {
			return 3, u, 1, true
		}
	}
	return 0, "", 0, false
}

// Package notes finds, in a coach's free-form session notes, what the leader
// leaves the session with: decisions made, reframes of a stuck situation, and
// actions committed to, each action with the due date written for it.
//
// Notes come in every shape: bullets under headings, numbered lists,
// checkboxes, Markdown, inline labels ("Decision: ..."), or plain prose ("She
// decided to...", "He'll talk to the CFO before the board meeting"), in
// English, French, German, Spanish, Portuguese, Dutch or Italian. Headings,
// labels and list markers are hints; sentences are read for their cues.
// Greetings, thanks, sign-offs, signatures, date lines and context or
// discussion paragraphs yield nothing.
//
// Items are emailed to the leader, so the coach's private observations
// never become items, nor part of one: lines labelled or headed as the
// coach's own ("Obs:", "Private:", "Note to self:", "Coach notes",
// "Observations", "Privé :", "Beobachtung:", "Nota privada:"...), lines
// marked "(private)", and sentences about how someone seemed or felt ("She
// seemed tired.", "Energy low.", "I noticed..."). A line joins the item
// above it only when it plausibly carries on its sentence, and takes that
// item's kind only when it reads as such an item by itself.
//
// No RFC governs notes. Dates follow the Gregorian calendar of the reference
// time's zone; numeric dates are read day-first (ISO 8601 year-first forms
// always as such) unless the text or the zone says otherwise: see Extract.
package notes

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind is what an item is.
type Kind string

// The kinds of items a session leaves a leader with.
const (
	Decision Kind = "decision" // a choice made: "Keep the platform team together"
	Reframe  Kind = "reframe"  // a new way of seeing: "It's not a people problem, it's a priorities problem"
	Action   Kind = "action"   // something to do before the next session
)

// Item is one outcome of a session.
type Item struct {
	Kind Kind
	// Text is the item as written, with list markers, Markdown, label
	// prefixes ("Decision:") and surrounding quotes removed, whitespace
	// collapsed and the first letter capitalised.
	Text string
	// Due is the action's due date as YYYY-MM-DD in the reference time's
	// zone, or "" when none is written. Decisions and reframes have none.
	Due string
}

// Limits that keep hostile or unusual input cheap. MaxItems exists because
// a session leaves a leader with one to three things; notes that yield more
// than twenty are a transcript or a plan, and the recap built from them must
// stay readable. Items past the limit are dropped, in order.
const (
	MaxItems     = 20
	maxInput     = 256 << 10 // bytes of notes read; the rest is ignored
	maxLines     = 4000
	maxItemRunes = 600 // longer "items" are paragraphs of discussion
)

// Extract returns the decisions, reframes and actions written in text, in
// the order written, without duplicates, at most MaxItems. ref is when the
// notes were sent, in the sender's zone: due dates are resolved against it.
//
// Due dates: "by Friday" is the next Friday strictly after ref (on a Friday,
// a week later: a same-day deadline is written "today"); "this Friday" may be
// today; "next Friday" is the Friday of the next Monday-to-Sunday week; "next
// week" is that week's Friday and "this week" this one's; "end of (the)
// month" the month's last day; "next month" the last day of next month;
// "in two weeks" fourteen days after ref; "tomorrow", "today", "EOD". Dates
// without a year ("3 March", "Dec 1", "by 3/3") are the next such date on or
// after ref's day: the year rolls forward once the date has passed. An
// all-numeric date such as 3/4 is read day-first (3 April) unless an
// unambiguous numeric date elsewhere in the notes is month-first (12/25) or
// the notes are in English and ref's zone is in the United States or Canada.
// Dates introduced by "from", "starting", "after" or "since", and recurring
// ones ("every Friday"), are not due dates. When several dates are written,
// the first introduced by a deadline word ("by", "before", "until", "avant",
// "bis", "antes de", "até", "voor", "entro") wins, else the first.
//
// An item with a due date and a commitment, decision or obligation cue ("She
// decided to tell the team by Friday") is an action: it is something the
// leader will be asked about. One that says a decision was made, without a
// due date or anything to do, is a decision even under an action heading
// or label ("Next steps: He decided to hire a deputy").
func Extract(text string, ref time.Time) []Item {
	text = clean(text)
	raw := strings.Split(text, "\n")
	if len(raw) > maxLines {
		raw = raw[:maxLines]
	}
	ls := make([]line, len(raw))
	for i, r := range raw {
		ls[i] = parseLine(r)
	}
	us := units(ls)
	e := extractor{ref: ref, seen: map[string]bool{}, memo: map[string]matched{}}
	if slices.ContainsFunc(us, func(u unit) bool { return hasNumericDate(u.text) }) {
		// Only all-numeric dates ("3/4") depend on the order; reading the
		// whole text for it is left to notes that have one.
		e.order = guessOrder(text, ref, english(text))
	}
	e.run(us)
	return e.items
}

// hasNumericDate reports whether s holds what tokenize reads as a numeric
// date: digits, a slash, dot or hyphen, digits.
func hasNumericDate(s string) bool {
	for i := 1; i+1 < len(s); i++ {
		if (s[i] == '/' || s[i] == '.' || s[i] == '-') && isDigit(s[i-1]) && isDigit(s[i+1]) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// clean bounds the input and makes it valid UTF-8 with LF line endings and
// without control or zero-width characters.
func clean(s string) string {
	if len(s) > maxInput {
		s = s[:maxInput]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\u00a0' || r == '\u2007' || r == '\u202f':
			return ' '
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u2060':
			return -1
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// matched is a text lower-cased for matching and, once matched, the cues
// it holds.
type matched struct {
	low     string
	cues    cueBits
	matched bool
}

type extractor struct {
	ref   time.Time
	order numOrder
	items []Item
	seen  map[string]bool
	memo  map[string]matched // sentence -> its cues

	sec   section
	style marker // how the current section's items are written; noMarker for plain lines
	count int    // items seen under the current section
	label bool   // the section was opened by an inline label
}

func (e *extractor) run(us []unit) {
	for i, u := range us {
		if len(e.items) >= MaxItems {
			return
		}
		if u.sigDelim {
			return
		}
		low := e.lower(u.text)
		if isSignoff(low) && signatureFollows(us[i+1:]) {
			return
		}
		if u.struck {
			continue
		}
		if whole, ok := privateLine(u.text); ok {
			// The coach's own note: never an item. A private heading
			// opens a section that runs to the next heading or outcome
			// label; a private label on a plain line runs, as any inline
			// label, to the next blank line.
			switch {
			case whole:
				e.open(secPrivate)
			case u.marker == noMarker:
				e.open(secPrivate)
				e.count, e.label = 1, true
			}
			continue
		}
		if s, _, _, ok := heading(u.text, u.heading); ok {
			e.open(s)
			continue
		}
		if e.sec != secNone && e.sec != secContext && u.afterBreak && e.count > 0 {
			// A section opened by an inline label ("todo: call Alex") ends at
			// the next blank line; one opened by a heading runs while what
			// follows reads like more of its items.
			if e.label || (e.style != noMarker && u.marker == noMarker) || (e.style == noMarker && !e.itemLike(u)) {
				e.open(secNone)
			}
		}
		if s, rest, ok := label(u.text); ok && (e.sec != secPrivate || (s != secNone && s != secContext)) {
			e.labelled(s, rest, u)
			continue
		}
		switch e.sec {
		case secPrivate:
			continue
		case secDecision, secReframe, secAction, secOutcome, secTakeaway:
			e.section(u)
		default:
			e.prose(u)
		}
	}
}

func (e *extractor) open(s section) {
	e.sec, e.style, e.count, e.label = s, noMarker, 0, false
}

// signatureFollows reports whether what comes after a sign-off is only a
// signature: a few short lines, no heading.
func signatureFollows(rest []unit) bool {
	if len(rest) > 8 {
		return false
	}
	for _, u := range rest {
		if utf8.RuneCountInString(u.text) > 90 {
			return false
		}
		if _, _, _, ok := heading(u.text, u.heading); ok && !u.sigDelim {
			if s, _, _, _ := heading(u.text, u.heading); s != secContext {
				return false
			}
		}
		if u.marker != noMarker {
			return false
		}
	}
	return true
}

// itemLike reports whether a plain paragraph after a blank line still reads
// as the next item of a section written in plain lines: short, one or two
// sentences.
func (e *extractor) itemLike(u unit) bool {
	if u.marker != noMarker {
		return true
	}
	return utf8.RuneCountInString(u.text) <= 200 && len(sentences(u.text)) <= 2 && !e.boilerplate(u.text)
}

// labelled handles "Decision: keep the team" and "Next steps: call Alex;
// draft the plan". A label on a plain line also opens its section, so that
// the lines after it follow it.
func (e *extractor) labelled(s section, rest string, u unit) {
	switch s {
	case secContext:
		// "Context: ...", "Date: ...": read as prose, never as a section item.
		if u.marker == noMarker {
			e.open(secNone)
		}
		e.prose(unit{text: rest, marker: u.marker})
		return
	case secNone:
		return
	}
	if u.marker == noMarker {
		e.open(s)
		e.count = 1
		e.label = true
	}
	parts := []string{rest}
	if s == secAction {
		parts = splitList(rest)
	}
	for _, p := range parts {
		e.emit(e.labelKind(s, p), p)
	}
}

// labelKind is the kind of an item written after a label on its own line
// ("Decision: she will tell the board this week"). A decision label is the
// coach saying what the item is, so it holds even for a dated item; under
// a decision heading, which only hints, kindOf may still find an action.
func (e *extractor) labelKind(s section, text string) Kind {
	if s == secDecision {
		return Decision
	}
	return e.kindOf(s, text, e.dueOf(text))
}

// kindOf is the kind an item takes under a section: the section's own, or
// for mixed sections the item's cues, else the section's default.
func (e *extractor) kindOf(s section, text string, due bool) Kind {
	switch s {
	case secDecision:
		// "Agreements: She'll talk to her boss before Friday": a dated
		// commitment says what it is, which the heading only hints at,
		// and the leader will be asked about it.
		if k, ok := e.cueKind(text, due); ok && k == Action && due {
			return Action
		}
		return Decision
	case secReframe:
		return Reframe
	case secAction:
		if !due && e.decidedOnly(text) {
			// "Next steps: He decided to hire a deputy": the sentence
			// says what it is, which the heading only hints at.
			return Decision
		}
		return Action
	}
	if k, ok := e.cueKind(text, due); ok {
		return k
	}
	if due || (imperative(text) && !stance(text)) {
		return Action
	}
	if s == secTakeaway {
		return Reframe
	}
	return Decision
}

// decidedOnly reports a sentence that says a decision was made and
// nothing to do: a decision cue, and no commitment, obligation or
// imperative ("Tell the team what was decided", "We agreed she will call
// Alex").
func (e *extractor) decidedOnly(text string) bool {
	low, c := e.cues(text)
	if c&decisionCue.bit == 0 || c&(undecided.bit|weakAction.bit|nextStep.bit|wish.bit) != 0 {
		return false
	}
	// Any "will" or "going to", not only one that opens the sentence:
	// "We agreed she will call Alex" is something to do.
	return c&strongActionGateBit == 0 && !isStrongAction(text, low, c) && !imperative(text)
}

// section reads a unit under an outcome heading: a list item is one item;
// plain text is one item per sentence.
//
// Only what is written as an item takes the section's kind: the heading's
// own style of item, or the first sentence of a plain paragraph under it. A
// loose line (a plain line after an inline label or among list items) or a
// paragraph's later sentence goes on with the section only when it reads as
// an item of that kind by itself (see shaped); anything else there is the
// coach's comment on the item above ("She seemed tired.", "The board meets
// on the 3rd.") and is read by its own cues, as prose is.
func (e *extractor) section(u unit) {
	mismatch := e.count > 0 && e.style != noMarker && u.marker == noMarker
	if e.count == 0 {
		e.style = u.marker
	}
	e.count++
	texts := []string{u.text}
	if u.marker == noMarker {
		texts = sentences(u.text)
	}
	for i, t := range texts {
		if _, ok := privateLine(t); ok && len(texts) > 1 { // run has read a one-sentence unit
			return // the rest of the paragraph is the coach's note too
		}
		if s, rest, ok := label(t); ok && s != secNone {
			if s == secContext {
				continue
			}
			e.emit(e.labelKind(s, rest), rest)
			continue
		}
		if e.boilerplate(t) || e.socialOnly(t) || (u.marker == noMarker && len(words(t)) < 2) {
			continue
		}
		due := e.dueOf(t)
		k := e.kindOf(e.sec, t, due)
		if loose := u.marker == noMarker && (e.label || mismatch || i > 0); loose {
			if own, ok := e.cueKind(t, due); ok {
				k = own
			} else if due && imperative(t) && !stance(t) {
				k = Action
			} else if !shaped(k, t, due) {
				continue
			}
		} else if k == Action && !due && e.describes(t) {
			continue
		}
		e.emit(k, t)
	}
}

// describes reports a sentence about someone that says nothing to do:
// "She has been carrying the team alone for months" under "Actions" is
// the coach's note on the leader, not a task. It opens with a person or a
// determiner, and holds no cue of any kind and no imperative.
func (e *extractor) describes(t string) bool {
	w, _ := firstWord(t)
	if !sentenceOpeners[w] && !subjectWords[w] || secondPerson[w] {
		return false // "You own the roadmap now" speaks to the leader
	}
	_, c := e.cues(t)
	return c == 0 && !imperative(t)
}

// secondPerson open a sentence addressed to the leader.
var secondPerson = set("you", "your", "vous", "votre", "tu", "ton", "ta", "du", "dein", "deine",
	"usted", "tú", "você", "jij", "jouw", "u", "tuo", "tua", "voi")

// shaped reports whether t reads as an item of kind k by itself, without
// a cue: an imperative ("Call Alex", "Keep the team together"), or for an
// action a due date on a line that opens with a capital and not as a
// sentence about someone ("Board pack by 3 March", not "Her manager
// leaves on 3 March").
// A reframe always needs its cue.
func shaped(k Kind, t string, due bool) bool {
	switch k {
	case Action:
		if imperative(t) {
			return true
		}
		// A dated noun phrase ("Board pack by 3 March"), but not a lower-
		// case fragment, which is the rest of a line wrapped short.
		w, upper := firstWord(t)
		return due && upper && !sentenceOpeners[w] && !subjectWords[w]
	case Decision:
		return imperative(t) || stance(t)
	}
	return false
}

// prose reads a unit outside any outcome section, sentence by sentence, by
// its cues alone. A list item or checkbox without cues still counts when it
// opens with an imperative ("Call Alex") or is a checkbox; a sentence of
// prose needs a due date for that.
func (e *extractor) prose(u unit) {
	texts := []string{u.text}
	if u.marker == noMarker {
		texts = sentences(u.text)
	}
	for _, t := range texts {
		if _, ok := privateLine(t); ok && len(texts) > 1 { // run has read a one-sentence unit
			return // the rest of the paragraph is the coach's note too
		}
		if s, rest, ok := label(t); ok && s != secNone && s != secContext {
			e.emit(e.labelKind(s, rest), rest)
			continue
		}
		if u.marker == noMarker && !e.mayBeItem(t) {
			continue // what follows would drop it; this says so sooner
		}
		if e.boilerplate(t) || strings.HasSuffix(strings.TrimSpace(t), "?") {
			continue
		}
		due := e.dueOf(t)
		k, ok := e.cueKind(t, due)
		if ok && e.socialOnly(t) {
			continue
		}
		if !ok {
			if e.socialOnly(t) {
				continue
			}
			switch {
			case u.marker == checkboxMarker:
				k, ok = Action, true
			case u.marker != noMarker && stance(t):
				k, ok = Decision, true
			case u.marker != noMarker && imperative(t):
				k, ok = Action, true
			case due && imperative(t):
				k, ok = Action, true
			}
		}
		if !ok {
			continue
		}
		e.emit(k, e.narrow(t, k))
	}
}

// socialOnly reports the coach's social sentences: thanks, "see you",
// "great session", "let me know".
func (e *extractor) socialOnly(s string) bool {
	_, c := e.cues(s)
	return c&social.bit != 0
}

// cues returns s lower-cased for matching, and the cues it holds, computed
// once per sentence: a sentence is tested for cues several times on its way.
func (e *extractor) cues(s string) (string, cueBits) {
	m, ok := e.memo[s]
	if !ok || !m.matched {
		if !ok {
			m.low = lowerMatch(s)
		}
		m.cues, m.matched = cues.match(m.low), true
		e.memo[s] = m
	}
	return m.low, m.cues
}

// lower is lowerMatch(s), computed once per text.
func (e *extractor) lower(s string) string {
	m, ok := e.memo[s]
	if !ok {
		m.low = lowerMatch(s)
		e.memo[s] = m
	}
	return m.low
}

// itemCues are the cues that make a plain sentence an item by themselves;
// weakAction needs a due date too.
var itemCues = decisionCue.bit | reframeCue.bit | strongActionOther.bit | nextStep.bit | strongActionGateBit

// mayBeItem reports whether a plain sentence can be an item: it holds a
// cue that makes one, or a due date. prose drops any other.
func (e *extractor) mayBeItem(t string) bool {
	if _, c := e.cues(t); c&itemCues != 0 {
		return true
	}
	return e.dueOf(t)
}

// narrow keeps, of a sentence joined with semicolons, the one clause that
// carries the cue: "We talked about the CFO; she realised that..." gives
// the realisation. Reframes of the form "not X; it's Y" need both halves and
// stay whole.
func (e *extractor) narrow(s string, k Kind) string {
	parts := strings.Split(s, ";")
	if len(parts) < 2 {
		return s
	}
	hit := -1
	for i, p := range parts {
		if got, ok := e.cueKind(p, false); ok && got == k || (ok && k == Action && got == Decision) {
			if hit >= 0 {
				return s
			}
			hit = i
		}
	}
	if hit < 0 {
		return s
	}
	return strings.TrimSpace(parts[hit])
}

// splitList splits an inline list of actions on semicolons.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (e *extractor) dueOf(s string) bool {
	if !mayHoldDate(e.lower(s)) { // as findDue would tell, from the text at hand
		return false
	}
	_, ok := findDue(s, e.ref, e.order)
	return ok
}

// emit cleans an item's text and keeps it unless empty, too long or already
// there.
func (e *extractor) emit(k Kind, text string) {
	if len(e.items) >= MaxItems {
		return
	}
	// Whatever the item's way here, a private note or a remark on how
	// someone seemed never reaches the leader, whole or as a trailing
	// clause ("Send the memo by Friday - she seemed tired").
	kept := dropPrivate(text)
	if kept == "" {
		kept = e.afterObservation(text)
	}
	text = tidy(kept)
	n := utf8.RuneCountInString(text)
	if n < 3 || n > maxItemRunes {
		return
	}
	key := dedupKey(text)
	if key == "" || e.seen[key] {
		return
	}
	e.seen[key] = true
	it := Item{Kind: k, Text: text}
	if k == Action {
		if d, ok := findDue(text, e.ref, e.order); ok {
			it.Due = d.Format("2006-01-02")
		}
	}
	e.items = append(e.items, it)
}

// observationBreaks are where a sentence that opens with an observation
// may go on with what the leader will do: "The team is exhausted, so
// she'll cut scope by Friday".
var observationBreaks = []string{", so ", "; ", ", and ", ", but ", " so ", " — ", " – ", " - "}

// afterObservation returns the clause after an opening observation when
// that clause carries an item's cue by itself, cleared of anything
// private, or "". A clause without one ("She seemed tired, especially
// when the CEO came up") goes on with the observation and is dropped
// with it, and so is all of the coach's own reading ("I noticed...").
func (e *extractor) afterObservation(text string) string {
	if coachReading(text) {
		return "" // the coach's own reading is private as a whole
	}
	for _, sep := range observationBreaks {
		i := strings.Index(text, sep)
		if i < 0 {
			continue
		}
		rest := strings.TrimSpace(text[i+len(sep):])
		if _, ok := e.cueKind(rest, false); ok && !e.socialOnly(rest) {
			return dropPrivate(rest)
		}
	}
	return ""
}

// tidy collapses whitespace, strips enclosing quotes and stray punctuation
// at the ends and capitalises the first letter of a lower-case word.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimLeft(s, "-–—:;,. ")
	s = strings.TrimRight(s, ":;, -–—")
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"'", "'"}, {"«", "»"}, {"„", "“"}, {"‘", "’"}} {
		inner := strings.TrimSuffix(strings.TrimSuffix(s, "."), q[1])
		// The opening quote must stand apart from the closing one: `".` is
		// one quote, not a pair.
		if strings.HasPrefix(s, q[0]) && len(inner) >= len(q[0]) && len(inner) < len(strings.TrimSuffix(s, ".")) && !strings.Contains(inner[len(q[0]):], q[1]) {
			s = strings.TrimSpace(inner[len(q[0]):])
			break
		}
	}
	r, size := utf8.DecodeRuneInString(s)
	if unicode.IsLower(r) {
		next, _ := utf8.DecodeRuneInString(s[size:])
		if !unicode.IsUpper(next) {
			s = string(unicode.ToUpper(r)) + s[size:]
		}
	}
	return s
}

// dedupKey is the text's letters and digits, lower-cased.
func dedupKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// english guesses whether text is English by counting common words of each
// language; it only decides how to read numeric dates.
func english(text string) bool {
	if len(text) > 8<<10 {
		text = text[:8<<10]
	}
	counts := map[string]int{}
	for _, w := range words(strings.ToLower(text)) {
		for lang, set := range stopwords {
			if set[w] {
				counts[lang]++
			}
		}
	}
	best := 0
	for lang, n := range counts {
		if lang != "en" && n > best {
			best = n
		}
	}
	return counts["en"] >= best
}

var stopwords = map[string]map[string]bool{
	"en": set("the", "and", "to", "of", "she", "he", "will", "with", "for", "is", "that", "you", "her", "his"),
	"fr": set("le", "les", "et", "des", "pour", "avec", "est", "une", "elle", "il", "vous", "du", "au"),
	"de": set("der", "die", "das", "und", "mit", "ist", "nicht", "sie", "er", "ein", "eine", "für", "zu", "bis"),
	"es": set("el", "los", "las", "y", "con", "para", "que", "es", "una", "por", "ella", "del"),
	"pt": set("o", "os", "e", "com", "para", "que", "é", "uma", "não", "ela", "do", "da"),
	"nl": set("de", "het", "een", "en", "met", "voor", "niet", "ze", "hij", "van", "op", "dat"),
	"it": set("il", "e", "con", "per", "che", "è", "una", "non", "lei", "del", "di", "gli"),
}

package notes

import (
	"iter"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// words splits lower-cased text into words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// wordsOf yields the words that words returns, without gathering them.
func wordsOf(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		start := -1
		for i := 0; i <= len(s); {
			r, size := rune(0), 1
			if i < len(s) {
				r = rune(s[i])
				if r >= utf8.RuneSelf {
					r, size = utf8.DecodeRuneInString(s[i:])
				}
			}
			switch {
			case i < len(s) && isLetterOrDigit(r):
				if start < 0 {
					start = i
				}
			case start >= 0:
				if !yield(s[start:i]) {
					return
				}
				start = -1
			}
			i += size
		}
	}
}

// appendFields appends the fields of s split at white space, as
// strings.Fields does, to ws, stopping after max of them.
func appendFields(ws []string, s string, max int) []string {
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				ws = append(ws, s[start:i])
				if len(ws) == max {
					return ws
				}
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		ws = append(ws, s[start:])
	}
	return ws
}

// weakHeadingWords announce a kind only when nothing stronger is there:
// "Agreed actions" are actions.
var weakHeadingWords = set("agreed", "decided", "committed", "vereinbart", "combinado", "acordado")

// heading reports whether the whole of text is a heading ("Decisions",
// "Your next steps:", "## Key insights", "Prochaines étapes") and what it
// announces. A heading is short and made of a keyword and filler words; when
// it is written as one (explicit: Markdown, bold, a closing colon) one other
// word may be there too, such as a name ("Maya's commitments:").
func heading(text string, explicit bool) (section, string, bool, bool) {
	// Lower-casing leaves the punctuation tested first as it is: a line
	// ending a sentence is no heading, which most lines show at once.
	if t := strings.TrimSpace(text); !explicit && !strings.HasSuffix(t, ":") && !strings.HasSuffix(t, "：") &&
		!strings.HasSuffix(t, "?") && (strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!")) {
		return secNone, "", false, false
	}
	t := strings.TrimSpace(lowerMatch(text))
	if strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：") {
		explicit = true
		t = strings.TrimRight(t, ":： ")
	}
	if strings.HasSuffix(t, "?") { // "What will you do before next time?"
		explicit = true
		t = strings.TrimRight(t, "? ")
	}
	if !explicit && (strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!")) {
		return secNone, "", false, false
	}
	if strings.ContainsAny(t, "([") {
		t = parenthetical.ReplaceAllString(t, " ")
	}
	if i := strings.IndexAny(t, "(["); i > 0 {
		t = t[:i]
	}
	if len(t) > 80 || t == "" {
		return secNone, "", false, false
	}
	n := 0
	for range wordsOf(t) {
		if n++; n > 8 {
			return secNone, "", false, false
		}
	}
	if n == 0 {
		return secNone, "", false, false
	}
	ws := words(t)
	orig := words(text) // same splitting, original case: names are capitalised
	var found []section
	var foundWords []string
	unknown, names := 0, 0
	for i := 0; i < len(ws); {
		matched := 0
		for n := 4; n >= 1; n-- {
			if i+n > len(ws) {
				continue
			}
			p := strings.Join(ws[i:i+n], " ")
			if s, ok := headingWords[p]; ok {
				found = append(found, s)
				foundWords = append(foundWords, p)
				matched = n
				break
			}
		}
		if matched > 0 {
			i += matched
			continue
		}
		w := ws[i]
		switch {
		case headingFiller[w], isDigits(w):
		case i > 0 && len(orig) == len(ws) && capitalised(orig[i]) && names < 1:
			names++ // "What Ahmed leaves with", "Maya's commitments"
		default:
			unknown++
		}
		i++
	}
	limit := 0
	if explicit {
		limit = 1
	}
	if len(found) == 0 || unknown > limit {
		return secNone, "", false, false
	}
	return resolve(found, foundWords), t, explicit, true
}

var parenthetical = regexp.MustCompile(`\([^()]*\)|\[[^\[\]]*\]`)

// capitalised reports a word in title case ("Ahmed"), not all capitals.
func capitalised(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) || size == len(w) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(w[size:])
	return unicode.IsLower(next)
}

func isDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// resolve picks one section from the keywords a heading holds. Weak words
// give way; context gives way to outcomes; mixed outcomes ("Decisions and
// actions") leave each item to its own cues.
func resolve(found []section, foundWords []string) section {
	var strong []section
	for i, s := range found {
		if !weakHeadingWords[foundWords[i]] {
			strong = append(strong, s)
		}
	}
	if len(strong) == 0 {
		strong = found
	}
	var out section
	for _, s := range strong {
		switch {
		case s == secContext:
			if out == secNone {
				out = secContext
			}
		case out == secNone || out == secContext || out == s:
			out = s
		default:
			out = secOutcome
		}
	}
	return out
}

// label splits "Decision: keep the team" into its section and the rest. The
// separator may be a colon or a spaced dash.
func label(text string) (section, string, bool) {
	cut := -1
	width := 0
	head := text // a label is short: only its first bytes are searched
	if max := 48 + len(" — "); len(head) > max {
		head = head[:max]
	}
	for _, sep := range []string{":", "：", " - ", " – ", " — "} {
		if i := strings.Index(head, sep); i > 0 && i <= 48 && (cut < 0 || i < cut) {
			cut, width = i, len(sep)
		}
	}
	if cut < 0 {
		return secNone, "", false
	}
	rest := strings.TrimSpace(text[cut+width:])
	if rest == "" {
		return secNone, "", false
	}
	// "10:30" is a time, not a label.
	if r, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(r) && cut > 0 && unicode.IsDigit(rune(text[cut-1])) {
		return secNone, "", false
	}
	if s, ok := shortLabel(text[:cut], rest); ok {
		return s, rest, true
	}
	s, _, _, ok := heading(text[:cut], true)
	if !ok {
		return secNone, "", false
	}
	return s, rest, true
}

// shortLabels are the abbreviated labels of terse notes ("Dec:", "Act:",
// "Entsch.:"), lower-cased and without their dot. They count only as the
// whole label: "Dec 3:" is a date. "Ref:" is a reference, not a reframe.
var shortLabels = map[string]section{
	"dec": secDecision, "decs": secDecision, "déc": secDecision, "décs": secDecision,
	"decis": secDecision, "décis": secDecision, "entsch": secDecision, "beschl": secDecision,
	"besl": secDecision,
	"act":  secAction, "acts": secAction, "aufg": secAction, "maßn": secAction, "massn": secAction,
	"acc": secAction, "aç": secAction, "pend": secAction, "az": secAction, "td": secAction, "todos": secAction,
	"to-do": secAction, "to-dos": secAction,
	"ref": secContext, "refs": secContext, "cf": secContext,
}

// shortLabel reads an abbreviated label. "AI" (action item) and "AP"
// (action point) count only in capitals, and "AI" only before what reads
// as an action, since it also names a topic ("AI: wants to pilot it in
// finance").
func shortLabel(label, rest string) (section, bool) {
	t := strings.TrimSuffix(strings.TrimSpace(label), ".")
	if len(t) > 7 || t == "" {
		return secNone, false
	}
	switch t {
	case "AI", "AIs", "AP", "APs":
		if t[:2] == "AI" && !actionShaped(rest) {
			return secContext, true
		}
		return secAction, true
	}
	s, ok := shortLabels[lowerMatch(t)]
	if ok && s == secDecision {
		// "Dec: 12 — board meeting" is a date.
		if r, _ := utf8.DecodeRuneInString(rest); unicode.IsDigit(r) {
			return secNone, false
		}
	}
	return s, ok
}

// actionShaped reports text that reads as an action by itself: an
// imperative, a commitment ("will", "to" after a name: "Maya to draft the
// plan") or a due date.
func actionShaped(text string) bool {
	if imperative(text) {
		return true
	}
	low := lowerMatch(text)
	if ws := words(low); len(ws) > 2 && ws[1] == "to" {
		return true
	}
	c := cues.match(low)
	if isStrongAction(text, low, c) || c&nextStep.bit != 0 {
		return true
	}
	// Only whether a date is written matters, not which day it is.
	_, ok := findDue(text, time.Time{}, dayFirst)
	return ok
}

// cueKind classifies a sentence by what it says. hasDue tells whether it
// carries a due date: a decision or an obligation with a deadline is
// something to do and to report on, so it is tracked as an action.
func (e *extractor) cueKind(s string, hasDue bool) (Kind, bool) {
	low, c := e.cues(s)
	strong := isStrongAction(s, low, c)
	decided := c&decisionCue.bit != 0 && c&undecided.bit == 0
	obliged := c&(weakAction.bit|nextStep.bit) != 0 || c&wish.bit != 0 && !ownWish(low)
	if hasDue && (strong || decided || obliged) {
		return Action, true
	}
	switch {
	case c&reframeCue.bit != 0:
		return Reframe, true
	case decided:
		return Decision, true
	case strong || c&nextStep.bit != 0:
		return Action, true
	}
	return "", false
}

// isStrongAction reports a commitment: "She'll talk to the CFO", "Will
// call Alex", "Il va parler au DAF", "Sie wird...". The coach's own
// promises to the leader ("I'll send you the article") are not the leader's
// items. low and c are s lower-cased and its cues.
func isStrongAction(s, low string, c cueBits) bool {
	if c&strongActionGateBit != 0 {
		if strongEN(s, low) || leadClause(s, func(rest string) bool { return strongEN(rest, low) }) {
			return true
		}
	}
	if c&strongActionOther.bit != 0 && c&notFuture.bit == 0 {
		return true
	}
	// "Bis Freitag schickt sie Karin den Entwurf", "Voor vrijdag stuurt ze
	// de memo": after a deadline, German and Dutch put the verb before its
	// subject, and the present tense says what will be done.
	return leadClause(s, inverted)
}

// strongEN reports an English commitment opening s: "She'll talk to the
// CFO", "Maya is going to...". low is the whole sentence lower-cased.
func strongEN(s, low string) bool {
	m := strongActionEN.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return false
	}
	subj := strings.ToLower(m[1])
	verb := strings.ToLower(m[2])
	switch {
	case notSubject[subj], notActionVerb[verb]:
		return false
	case subj == "i" && mentionsYou(low):
		return false
	}
	return true
}

// invertedSubjects are the pronouns that follow the verb in a German or
// Dutch clause that opens with a time.
var invertedSubjects = set("sie", "er", "ich", "wir", "ze", "hij", "zij", "ik", "we", "wij")

// inverted reports a clause that opens with a verb and then its subject:
// "schickt sie Karin den Entwurf".
func inverted(s string) bool {
	ws := words(lowerMatch(s))
	return len(ws) >= 3 && invertedSubjects[ws[1]] && !invertedSubjects[ws[0]]
}

// leadDeadlines open a sentence with its deadline: "By Thursday, send...",
// "D'ici vendredi, envoyer...", "Bis Freitag...".
var leadDeadlines = []string{"by ", "before ", "until ", "till ", "no later than ", "not later than ",
	"ahead of ", "prior to ", "d'ici ", "d’ici ", "avant ", "jusqu'à ", "jusqu’à ", "jusqu'au ",
	"jusqu’au ", "au plus tard ",
	"bis ", "vor ", "spätestens ", "antes ", "hasta ", "para ", "a más tardar ", "até ", "ate ",
	"voor ", "vóór ", "uiterlijk ", "tegen ", "entro ", "prima ", "per "}

// maxLead bounds, in bytes, the deadline a sentence may open with.
const maxLead = 80

// leadClause reports whether s opens with a deadline ("By Thursday",
// "Before the board meeting on 12 May") and what follows it satisfies
// ok: the clause after a comma, or else the words after the shortest run
// of words that holds the date and is followed by such a clause ("By
// Friday she will send the memo").
func leadClause(s string, ok func(string) bool) bool {
	t := strings.TrimSpace(s)
	lead := false
	for _, p := range leadDeadlines {
		if len(t) > len(p) && strings.EqualFold(t[:len(p)], p) {
			lead = true
			break
		}
	}
	if !lead {
		return false
	}
	// Only whether a date is written matters, not which day it is.
	dated := func(p string) bool {
		_, found := findDue(p, time.Time{}, dayFirst)
		return found
	}
	if !dated(t) {
		return false // "Para o Pedro, ...", "Voor het team ...": no deadline
	}
	if i := strings.IndexAny(t, ",;—–"); i > 0 && i <= maxLead && dated(t[:i]) {
		return ok(strings.TrimLeft(t[i:], ",;—– "))
	}
	n := 0
	for i := 0; i < len(t) && i <= maxLead; i++ {
		if t[i] != ' ' {
			continue
		}
		if n++; n >= 2 && dated(t[:i]) && ok(strings.TrimSpace(t[i:])) {
			return true
		}
	}
	return false
}

// ownWish reports whether every wish in low is the writer's own: "I want
// to", "we would like to", "I really want to".
func ownWish(low string) bool {
	ws := cueWords(low)
	found := false
	for i, w := range ws {
		if !(w == "want" || w == "wants" || w == "would" && i+1 < len(ws) && ws[i+1] == "like") {
			continue
		}
		j := i - 1
		if j > 0 && wishAdverbs[ws[j]] {
			j--
		}
		if j < 0 || !(ws[j] == "i" || ws[j] == "we") {
			return false
		}
		found = true
	}
	return found
}

var wishAdverbs = set("really", "also", "still", "just", "now", "definitely", "do", "truly")

func mentionsYou(low string) bool {
	for _, w := range words(low) {
		if w == "you" || w == "your" || w == "yours" {
			return true
		}
	}
	return false
}

// imperative reports whether s opens with an imperative or, in German and
// Dutch, closes on an infinitive: "Talk to the CFO", "Mit dem CFO sprechen".
// A deadline may come first: "By Thursday, send Karin the draft".
func imperative(s string) bool {
	return imperativeWords(s) || leadClause(s, imperativeWords)
}

// imperativeWords is imperative without a deadline before the verb.
func imperativeWords(s string) bool {
	ws := words(lowerMatch(s))
	for len(ws) > 2 && politeWords[ws[0]] { // "Please complete the questionnaire"
		ws = ws[1:]
	}
	if len(ws) < 2 {
		return false
	}
	first := ws[0]
	if first == "to" && len(ws) > 2 { // "To talk to the CFO"
		first = ws[1]
	}
	if imperativeFirst[first] {
		return true
	}
	return imperativeLast[ws[len(ws)-1]]
}

var politeWords = set("please", "pls", "kindly", "bitte", "svp", "merci", "de", "por", "favor", "per", "favore", "graag")

// stanceVerbs open imperatives that state a choice rather than a task:
// "Keep the current structure", "Stop attending the ops review".
var stanceVerbs = set("keep", "stay", "continue", "stop", "pause", "maintain", "hold", "remain",
	"retain", "freeze", "accept", "reject", "decline", "drop", "cancel", "postpone", "go",
	"garder", "rester", "continuer", "arrêter", "suspendre", "maintenir",
	"mantener", "seguir", "parar", "pausar", "suspender", "manter", "continuar",
	"mantenere", "sospendere", "continuare", "fermare", "houden", "stoppen", "behalten", "beibehalten")

// stance reports an imperative that states a choice.
func stance(s string) bool {
	ws := words(lowerMatch(s))
	if len(ws) > 2 && ws[0] == "to" {
		ws = ws[1:]
	}
	return len(ws) >= 2 && stanceVerbs[ws[0]]
}

// boilerplate reports lines that are never items: greetings, sign-offs,
// thanks and the coach's social sentences, date and time lines, signatures
// (addresses, links, phone numbers) and bare names.
func (e *extractor) boilerplate(s string) bool {
	low := e.lower(s)
	if isGreeting(low) && (len(words(low)) <= 4 || strings.HasSuffix(low, ",")) {
		return true
	}
	if isSignoff(low) || isSentFrom(low) {
		return true
	}
	if strings.Contains(low, "http://") || strings.Contains(low, "https://") || strings.Contains(low, "www.") {
		return true
	}
	if strings.Contains(low, "@") && !strings.Contains(low, " ") {
		return true
	}
	digits := 0
	for _, r := range low {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits >= 7 && digits*3 > len(low) { // a phone number or a date stamp
		return true
	}
	return dateLine(low) || e.nameLine(s) || isPlaceholder(low)
}

// isPlaceholder reports an empty entry under a heading: "None this time",
// "n/a". Every one opens with a byte of placeholderFirst.
func isPlaceholder(low string) bool {
	return low != "" && strings.IndexByte(placeholderFirst, low[0]) >= 0 && placeholder.MatchString(low)
}

const placeholderFirst = "ntarkg-\xe2"

var placeholder = regexp.MustCompile(`^(?:none|nothing|n/a|na|tbd|tbc|-|—|aucune?|rien|keine|nichts|ninguna|ninguno|nada|nenhuma|nenhum|geen|niets|nessuna|nessuno|niente)(?:\s+(?:this time|yet|today|for now|cette fois|pour l'instant|diesmal|esta vez|desta vez|deze keer|questa volta))?[.!]?$`)

// dateLine reports a line that only says when: "Tuesday 3 March, 10:00-11:00".
func dateLine(low string) bool {
	n := 0
	for w := range wordsOf(low) {
		n++
		if n > 10 {
			return false
		}
		if _, ok := monthNames[w]; ok {
			continue
		}
		if _, ok := weekdays[w]; ok {
			continue
		}
		if isDigits(w) || timeWords[w] {
			continue
		}
		if len(w) > 2 && isDigits(w[:len(w)-2]) { // 3rd, 10am, 4pm
			continue
		}
		return false
	}
	return n > 0
}

var timeWords = set("am", "pm", "at", "h", "utc", "gmt", "cet", "cest", "bst", "est", "edt", "pst",
	"pdt", "to", "and", "of", "the", "de", "du", "le", "am", "um", "el", "à", "a", "th", "st", "nd", "rd")

// nameLine reports a bare name or title: "Sam", "Sam Jones", "Executive Coach".
func (e *extractor) nameLine(s string) bool {
	var buf [4]string
	ws := appendFields(buf[:0], s, 4)
	if len(ws) == 0 || len(ws) > 3 {
		return false
	}
	for _, w := range ws {
		w = strings.Trim(w, ".,|")
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || strings.ContainsAny(w, ":;!?") {
			return false
		}
	}
	_, c := e.cues(s)
	return !imperative(s) && c&(decisionCue.bit|reframeCue.bit) == 0
}

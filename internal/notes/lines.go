package notes

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// marker is how a line is marked as a list item.
type marker uint8

const (
	noMarker marker = iota
	bulletMarker
	numberMarker
	checkboxMarker
)

// line is one physical line with its list marker and Markdown taken off.
type line struct {
	text      string
	indent    int
	marker    marker
	blank     bool // empty, or a horizontal rule
	sigDelim  bool // "-- ", the signature delimiter
	heading   bool // "# Heading", a setext heading, or a whole line in bold
	struck    bool // ~~struck through~~ as a whole: withdrawn, not an item
	underline bool // "====" or "----" under the previous line
}

var (
	mdHeading    = regexp.MustCompile(`^#{1,6}\s+`)
	ruleLine     = regexp.MustCompile(`^(?:[-=_*~•·.]\s*){3,}$`)
	bulletRE     = regexp.MustCompile(`^(?:[-*+•–—◦▪‣·●○■►▶➢➤→>]|=>|->)\s+`)
	numberRE     = regexp.MustCompile(`^(?:\(?\d{1,2}[.)]|\d{1,2}\s+[-–]|\(?[a-hA-H]\)|[a-h]\.|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)])\s+`)
	checkboxRE   = regexp.MustCompile(`^(?:\[[ xX✓✔*-]?\]|[☐☑☒✅✔✓❏❑□■]\x{fe0f}?)\s*`)
	outlookLevel = regexp.MustCompile(`^[o§]\s+`)
	mdLink       = regexp.MustCompile(`\[([^\]]+)\]\((?:[^)\s]+)\)`)
	strikeRE     = regexp.MustCompile(`~~[^~]*~~`)
	emphasisRE   = regexp.MustCompile(`(^|[\s(\["'])(?:\*{1,3}|_{1,3})([^*_\s](?:[^*_]*?[^*_\s])?)(?:\*{1,3}|_{1,3})`)
)

// The patterns above that a line opens with can only match lines whose
// first byte is one of theirs; testing that byte first keeps plain lines
// away from the regular expressions.

// opensRule reports whether s may open with ruleLine's characters.
func opensRule(s string) bool {
	return strings.IndexByte("-=_*~.", s[0]) >= 0 || strings.HasPrefix(s, "•") || strings.HasPrefix(s, "·")
}

// opensMarker reports whether s may open with a checkbox, a bullet or a
// number: ASCII punctuation or a digit, a symbol outside ASCII, or the
// letter of a lettered or Roman-numbered item, which a dot or a closing
// parenthesis follows within a few bytes ("a)", "b.", "iv.").
func opensMarker(s string) bool {
	switch c := s[0]; {
	case c >= 0x80, '0' <= c && c <= '9', strings.IndexByte("[-*+=>(", c) >= 0:
		return true
	case 'a' <= c && c <= 'h', 'A' <= c && c <= 'H', c == 'i', c == 'v', c == 'x':
		return strings.ContainsAny(s[:min(len(s), 6)], ".)")
	}
	return false
}

// collapseSpaces turns each run of white space (ASCII \s and Unicode
// space separators) into one space.
func collapseSpaces(s string) string {
	clean, prev := true, false
	for i := 0; i < len(s) && clean; {
		c := s[i]
		if c < utf8.RuneSelf {
			sp := c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
			clean = !sp || (c == ' ' && !prev)
			prev = sp
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		clean = !isSpaceRune(r)
		prev = false
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev = false
	for _, r := range s {
		if isSpaceRune(r) {
			if !prev {
				b.WriteByte(' ')
			}
			prev = true
			continue
		}
		prev = false
		b.WriteRune(r)
	}
	return b.String()
}

// isSpaceRune reports the white space of RE2's \s (ASCII only) and the
// Unicode space separators (Zs).
func isSpaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\f', '\r':
		return true
	}
	return r >= utf8.RuneSelf && unicode.Is(unicode.Zs, r)
}

// parseLine takes one raw line apart.
func parseLine(raw string) line {
	raw = strings.TrimRight(raw, " \t\r")
	if raw == "--" || raw == "-- " || raw == "—" || raw == "__" {
		return line{blank: true, sigDelim: raw != "__"}
	}
	indent := 0
	for _, r := range raw {
		if r == ' ' {
			indent++
		} else if r == '\t' {
			indent += 4
		} else {
			break
		}
	}
	s := strings.TrimSpace(raw)
	// Quote markers: a reframe quoted in Markdown ("> It's not...") is still
	// the coach's text; forwarded clutter has been removed upstream.
	for strings.HasPrefix(s, ">") {
		s = strings.TrimSpace(s[1:])
	}
	if s == "" {
		return line{blank: true}
	}
	if opensRule(s) && ruleLine.MatchString(s) {
		l := line{blank: true}
		l.underline = strings.Trim(s, "= ") == "" || strings.Trim(s, "- ") == ""
		return l
	}
	l := line{indent: indent}
	if s[0] == '#' {
		if loc := mdHeading.FindStringIndex(s); loc != nil {
			l.heading = true
			s = strings.TrimRight(s[loc[1]:], "# ")
		}
	}
	// Outlook's pasted lists mark the second level with "o" and the third
	// with "§"; a bare "o " is a bullet only when indented, since it is also
	// the Portuguese article.
	if indent > 0 && (s[0] == 'o' || strings.HasPrefix(s, "§")) {
		if loc := outlookLevel.FindStringIndex(s); loc != nil {
			l.marker = bulletMarker
			s = s[loc[1]:]
		}
	}
	// Markers may stack: "- [ ] 1. Call Alex".
	for k := 0; k < 3 && s != "" && opensMarker(s); k++ {
		if loc := checkboxRE.FindStringIndex(s); loc != nil && loc[1] > 0 && loc[1] < len(s) {
			l.marker = checkboxMarker
			s = s[loc[1]:]
			continue
		}
		if loc := bulletRE.FindStringIndex(s); loc != nil {
			if l.marker == noMarker {
				l.marker = bulletMarker
			}
			s = s[loc[1]:]
			continue
		}
		if loc := numberRE.FindStringIndex(s); loc != nil {
			if l.marker == noMarker || l.marker == bulletMarker {
				l.marker = numberMarker
			}
			s = s[loc[1]:]
			continue
		}
		break
	}
	s = strings.TrimSpace(s)
	if strings.Contains(s, "~~") {
		if strikeRE.FindString(s) == s && s != "" {
			l.struck = true
		}
		s = strikeRE.ReplaceAllString(s, "")
	}
	wasBold := (strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && len(s) > 4) ||
		(strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") && len(s) > 4)
	s = unemphasise(s)
	if strings.Contains(s, "](") {
		s = mdLink.ReplaceAllString(s, "$1")
	}
	s = strings.ReplaceAll(s, "`", "")
	s = strings.TrimSpace(collapseSpaces(s))
	if wasBold {
		l.heading = true
	}
	if s == "" {
		return line{blank: true}
	}
	l.text = s
	return l
}

// unemphasise drops Markdown emphasis markers around words, leaving
// snake_case and arithmetic alone.
func unemphasise(s string) string {
	for k := 0; k < 4 && strings.ContainsAny(s, "*_"); k++ {
		out := emphasisRE.ReplaceAllStringFunc(s, func(m string) string {
			sub := emphasisRE.FindStringSubmatch(m)
			return sub[1] + sub[2]
		})
		if out == s {
			break
		}
		s = out
	}
	s = strings.ReplaceAll(s, "**", "")
	s = strings.ReplaceAll(s, "__", "")
	return s
}

// unit is one candidate block: a list item with its continuation lines, or
// a run of plain lines that belong together.
type unit struct {
	text       string
	marker     marker
	heading    bool // written as a heading (Markdown, bold, setext)
	afterBreak bool // a blank line or a rule comes before it
	struck     bool
	sigDelim   bool
	lines      int
	tail       int // runes of the last line joined
}

// units groups lines. A plain line continues the previous unit when that
// one was hard-wrapped: see continues. Headings, labels and list items
// always start a new unit.
func units(lines []line) []unit {
	var out []unit
	brk := true
	for _, l := range lines {
		if l.sigDelim {
			out = append(out, unit{sigDelim: true, afterBreak: true})
			brk = true
			continue
		}
		if l.underline && len(out) > 0 && !brk && out[len(out)-1].lines == 1 {
			out[len(out)-1].heading = true
			brk = true
			continue
		}
		if l.blank {
			brk = true
			continue
		}
		if !brk && len(out) > 0 && l.marker == noMarker && !l.heading && continues(out[len(out)-1], l) {
			p := &out[len(out)-1]
			p.text += " " + l.text
			p.lines++
			p.tail = utf8.RuneCountInString(l.text)
			continue
		}
		out = append(out, unit{text: l.text, marker: l.marker, heading: l.heading, afterBreak: brk,
			struck: l.struck, lines: 1, tail: utf8.RuneCountInString(l.text)})
		brk = false
	}
	return out
}

// wrapWidth is the length from which a line that does not end a sentence
// reads as wrapped by the writer's mail client rather than ended by them.
const wrapWidth = 50

// continues reports whether line l goes on with the unit before it. Only a
// line that plausibly carries on the same sentence does: the unit does not
// end a sentence, and either it was wrapped (its last line is long, or ends
// on a comma or a word that cannot end a sentence, such as "the" or "to"),
// or l is indented under a list item, or l opens with a word that cannot
// open an item ("and", "before"). A line that opens a sentence (a capital
// "She", "The"), a label of any kind ("Obs:", "Mood:") or a private note,
// or that describes how someone seemed, is never joined: joined, it would
// be read as part of the item above.
func continues(prev unit, l line) bool {
	if prev.heading || prev.sigDelim || prev.struck {
		return false
	}
	// The checks are all needed; the cheap ones go first, and the unit so
	// far, which grows with each line joined, is read only while it is one
	// line.
	last, _ := utf8.DecodeLastRuneInString(prev.text)
	if strings.ContainsRune(".!?:;", last) {
		return false
	}
	if labelShaped(l.text) {
		return false
	}
	first, _ := utf8.DecodeRuneInString(l.text)
	indented := prev.marker != noMarker && l.indent >= 2
	wrapped := indented || prev.tail >= wrapWidth || last == ',' || dangling(prev.text)
	if unicode.IsLower(first) || unicode.IsDigit(first) {
		if !wrapped && !linking(l.text) {
			return false
		}
	} else if !wrapped || opensSentence(l.text) {
		return false
	}
	if _, _, _, ok := heading(l.text, false); ok {
		return false
	}
	if _, _, ok := label(l.text); ok {
		return false
	}
	if low := lowerMatch(l.text); isSignoff(low) || isGreeting(low) {
		return false
	}
	if prev.lines == 1 {
		if _, _, _, ok := heading(prev.text, false); ok {
			return false
		}
	}
	if _, ok := privateLine(l.text); ok {
		return false
	}
	return !observation(l.text)
}

// labelShaped reports a line that opens with a label, known or not: one to
// three words and a colon ("Obs:", "Mood:", "Next time:"), as a field of a
// form or a note of another kind starts.
func labelShaped(s string) bool {
	i := strings.IndexByte(s[:min(len(s), 32)], ':')
	if i <= 0 || (i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\t') {
		return false
	}
	n, letters := 0, false
	for w := range strings.FieldsSeq(s[:i]) {
		if n++; n > 3 {
			return false
		}
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters = true
			} else if !strings.ContainsRune("'’-/.&()", r) {
				return false
			}
		}
	}
	return letters
}

// firstWord returns the first word of s, lower-cased, and whether it was
// written with a capital.
func firstWord(s string) (string, bool) {
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !unicode.IsLetter(r) && r != '\'' && r != '’' {
			break
		}
		end += size
	}
	r, _ := utf8.DecodeRuneInString(s)
	return lowerMatch(s[:end]), unicode.IsUpper(r)
}

// lastWord returns the last word of s, lower-cased.
func lastWord(s string) string {
	start := len(s)
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:start])
		if !unicode.IsLetter(r) && r != '\'' && r != '’' && r != '/' {
			break
		}
		start -= size
	}
	return lowerMatch(s[start:])
}

// dangling reports a line that ends on a word a sentence cannot end on: an
// article, a preposition, a conjunction.
func dangling(s string) bool {
	w := lastWord(s)
	return w != "" && danglingWords[w]
}

// linking reports a line that opens with a word that carries on a sentence.
func linking(s string) bool {
	w, _ := firstWord(s)
	return linkingWords[w]
}

// opensSentence reports a line that opens with a capitalised word that is
// written with a capital only at the start of a sentence: "She", "The",
// "Elle", "Die".
func opensSentence(s string) bool {
	w, upper := firstWord(s)
	return upper && sentenceOpeners[w]
}

var danglingWords = set(
	"a", "an", "the", "to", "of", "for", "with", "and", "or", "but", "by", "on", "in", "at", "from",
	"about", "into", "that", "which", "who", "than", "as", "his", "her", "their", "our", "your",
	"my", "its", "this", "these", "those", "if", "when", "before", "after", "until", "not", "be",
	"is", "are", "was", "will", "would", "should", "can", "could", "must", "has", "have", "had",
	"per", "via", "w/", "re", "vs", "so",
	"le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'", "à", "au", "aux", "et", "ou",
	"mais", "pour", "avec", "sur", "dans", "par", "que", "qui", "son", "sa", "ses", "leur", "avant",
	"der", "die", "das", "den", "dem", "ein", "eine", "einen", "einem", "und", "oder", "aber",
	"mit", "für", "zu", "zum", "zur", "von", "vom", "an", "am", "im", "auf", "bis", "vor", "dass",
	"el", "los", "las", "una", "y", "o", "pero", "con", "para", "por", "en", "del", "al", "su",
	"sus", "os", "as", "um", "uma", "e", "com", "em", "no", "na", "do", "da", "dos", "das", "ao",
	"het", "een", "en", "maar", "met", "voor", "naar", "van", "op", "aan", "bij", "te", "dat",
	"il", "lo", "gli", "uno", "ma", "per", "su", "di", "della", "alla", "che", "entro")

var linkingWords = set(
	"and", "or", "but", "to", "with", "by", "before", "after", "until", "so", "that", "which",
	"who", "because", "on", "in", "at", "for", "of", "from", "about", "than", "as", "if", "when",
	"while", "without", "including", "plus", "then", "rather", "instead",
	"et", "ou", "mais", "pour", "avec", "avant", "après", "d'ici", "jusqu'à", "que", "qui", "sur",
	"dans", "de", "du", "des", "à", "au", "und", "oder", "aber", "mit", "für", "bis", "vor",
	"nach", "um", "zu", "dass", "von", "y", "o", "pero", "con", "para", "antes", "después",
	"hasta", "en", "a", "e", "mas", "com", "depois", "até", "em", "of", "maar", "met", "voor",
	"na", "tot", "dat", "om", "van", "ma", "per", "prima", "dopo", "entro", "fino", "che", "di")

var sentenceOpeners = set(
	"she", "he", "they", "we", "you", "it", "this", "that", "there", "the", "a", "an", "her",
	"his", "their", "our", "my", "your", "its", "these", "those", "she's", "he's", "they're",
	"it's", "energy", "mood",
	"elle", "il", "ils", "elles", "nous", "vous", "on", "le", "la", "les", "un", "une", "ce",
	"cette", "er", "es", "wir", "die", "der", "das", "ein", "eine", "ella", "él", "ellos", "el",
	"los", "las", "ela", "ele", "eles", "os", "as", "zij", "hij", "ze", "wij", "het", "de", "een",
	"lei", "lui", "loro", "noi", "lo", "gli")

// sentences splits a paragraph into sentences, keeping abbreviations ("e.g.",
// "Dr.", "vs.") and decimals ("3.5") whole.
func sentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			c, n := utf8.DecodeRuneInString(s[j:])
			if !strings.ContainsRune(".!?…\"'”’)»", c) {
				break
			}
			j += n
		}
		if c, _ := utf8.DecodeRuneInString(s[j:]); j < len(s) && !unicode.IsSpace(c) {
			i += size
			continue
		}
		k := j
		for k < len(s) {
			c, n := utf8.DecodeRuneInString(s[k:])
			if !unicode.IsSpace(c) {
				break
			}
			k += n
		}
		if k < len(s) {
			next, _ := utf8.DecodeRuneInString(s[k:])
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("\"'“‘«¿¡(", next)) {
				i += size
				continue
			}
		}
		if r == '.' && abbreviation(s[start:i]) {
			i += size
			continue
		}
		out = append(out, strings.TrimSpace(s[start:j]))
		start = k
		i = k
	}
	if start < len(s) {
		if t := strings.TrimSpace(s[start:]); t != "" {
			out = append(out, t)
		}
	}
	return out
}

var abbreviations = set("e.g", "i.e", "eg", "ie", "mr", "mrs", "ms", "dr", "vs", "etc", "approx", "cf",
	"no", "st", "jr", "sr", "p", "pp", "z.b", "bzw", "ca", "usw", "p.ex", "ex", "env", "sra", "sr", "dra")

// abbreviation reports whether the text before a dot ends in a known
// abbreviation or a single initial ("J. Smith").
func abbreviation(before string) bool {
	i := len(before)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(before[:i])
		if unicode.IsSpace(r) {
			break
		}
		i -= size
	}
	w := strings.ToLower(before[i:])
	w = strings.TrimLeft(w, "(\"'")
	if abbreviations[w] {
		return true
	}
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && w != "" && unicode.IsLetter(r)
}

// lowerMatch is the form cues are matched on.
func lowerMatch(s string) string {
	low := strings.ToLower(s)
	if strings.IndexByte(low, 0xe2) < 0 {
		return low // none of matchForm's characters, which all start with 0xe2
	}
	return matchForm.Replace(low)
}

var matchForm = strings.NewReplacer("’", "'", "‘", "'", "‐", "-", "‑", "-")

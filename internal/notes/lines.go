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
	spacesRE     = regexp.MustCompile(`[\s\p{Zs}]+`)
)

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
	if ruleLine.MatchString(s) {
		l := line{blank: true}
		l.underline = strings.Trim(s, "= ") == "" || strings.Trim(s, "- ") == ""
		return l
	}
	l := line{indent: indent}
	if loc := mdHeading.FindStringIndex(s); loc != nil {
		l.heading = true
		s = strings.TrimRight(s[loc[1]:], "# ")
	}
	// Outlook's pasted lists mark the second level with "o" and the third
	// with "§"; a bare "o " is a bullet only when indented, since it is also
	// the Portuguese article.
	if loc := outlookLevel.FindStringIndex(s); indent > 0 && loc != nil {
		l.marker = bulletMarker
		s = s[loc[1]:]
	}
	// Markers may stack: "- [ ] 1. Call Alex".
	for k := 0; k < 3; k++ {
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
	if strikeRE.FindString(s) == s && s != "" {
		l.struck = true
	}
	s = strikeRE.ReplaceAllString(s, "")
	wasBold := (strings.HasPrefix(s, "**") && strings.HasSuffix(s, "**") && len(s) > 4) ||
		(strings.HasPrefix(s, "__") && strings.HasSuffix(s, "__") && len(s) > 4)
	s = unemphasise(s)
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "`", "")
	s = strings.TrimSpace(spacesRE.ReplaceAllString(s, " "))
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
}

// units groups lines. A plain line continues the previous unit when that
// one was hard-wrapped: it does not end a sentence and either is long or the
// new line starts in lower case. Headings, labels and list items always
// start a new unit.
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
			continue
		}
		out = append(out, unit{text: l.text, marker: l.marker, heading: l.heading, afterBreak: brk, struck: l.struck, lines: 1})
		brk = false
	}
	return out
}

func continues(prev unit, l line) bool {
	if prev.heading || prev.sigDelim || prev.struck {
		return false
	}
	if _, _, _, ok := heading(l.text, false); ok {
		return false
	}
	if _, _, ok := label(l.text); ok {
		return false
	}
	if signoff.MatchString(lowerMatch(l.text)) || greeting.MatchString(lowerMatch(l.text)) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(prev.text)
	if strings.ContainsRune(".!?:;", last) {
		return false
	}
	if _, _, _, ok := heading(prev.text, false); ok && prev.lines == 1 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(l.text)
	if unicode.IsLower(first) || unicode.IsDigit(first) {
		return true
	}
	if prev.marker != noMarker && l.indent >= 2 {
		return true
	}
	return utf8.RuneCountInString(lastLine(prev.text)) >= 50
}

// lastLine approximates the length of the previous physical line.
func lastLine(s string) string {
	if len(s) > 90 {
		// The unit may span lines; measure the tail only.
		return s[len(s)-60:]
	}
	return s
}

// sentences splits a paragraph into sentences, keeping abbreviations ("e.g.",
// "Dr.", "vs.") and decimals ("3.5") whole.
func sentences(s string) []string {
	var out []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(".!?…\"'”’)»", rs[j]) {
			j++
		}
		if j < len(rs) && !unicode.IsSpace(rs[j]) {
			continue
		}
		k := j
		for k < len(rs) && unicode.IsSpace(rs[k]) {
			k++
		}
		if k < len(rs) {
			next := rs[k]
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("\"'“‘«¿¡(", next)) {
				continue
			}
		}
		if r == '.' && abbreviation(rs[start:i]) {
			continue
		}
		out = append(out, strings.TrimSpace(string(rs[start:j])))
		start = k
		i = k - 1
	}
	if start < len(rs) {
		if t := strings.TrimSpace(string(rs[start:])); t != "" {
			out = append(out, t)
		}
	}
	return out
}

var abbreviations = set("e.g", "i.e", "eg", "ie", "mr", "mrs", "ms", "dr", "vs", "etc", "approx", "cf",
	"no", "st", "jr", "sr", "p", "pp", "z.b", "bzw", "ca", "usw", "p.ex", "ex", "env", "sra", "sr", "dra")

// abbreviation reports whether the text before a dot ends in a known
// abbreviation or a single initial ("J. Smith").
func abbreviation(before []rune) bool {
	i := len(before)
	for i > 0 && !unicode.IsSpace(before[i-1]) {
		i--
	}
	w := strings.ToLower(string(before[i:]))
	w = strings.TrimLeft(w, "(\"'")
	if abbreviations[w] {
		return true
	}
	return utf8.RuneCountInString(w) == 1 && unicode.IsLetter([]rune(w)[0])
}

// lowerMatch is the form cues are matched on.
func lowerMatch(s string) string {
	return matchForm.Replace(strings.ToLower(s))
}

var matchForm = strings.NewReplacer("’", "'", "‘", "'", "‐", "-", "‑", "-")

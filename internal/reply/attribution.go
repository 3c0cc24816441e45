package reply

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxAttribution bounds an attribution, joined over its lines, in bytes.
// Real ones are well under this even with long names and addresses.
const maxAttribution = 400

var (

	// dateish matches a time, a year or a numeric date.
	dateish = regexp.MustCompile(`\d{1,2}[:.h]\d{2}|(?:^|\D)(?:19|20)\d{2}(?:\D|$)|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d+\s*年`)

	// calendarDate matches a year or a numeric date, as dateish does
	// without its times.
	calendarDate = regexp.MustCompile(`(?:^|\D)(?:19|20)\d{2}(?:\D|$)|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}`)

	// clockTime matches a time of day.
	clockTime = regexp.MustCompile(`\d{1,2}[:.]\d{2}`)

	// bracketAddress matches an address in angle brackets or parentheses,
	// possibly wrapped inside them.
	bracketAddress = regexp.MustCompile(`[<(][^>)]*@`)
)

// attribution reports whether an attribution line, possibly wrapped over up
// to three lines, starts at line i. It returns how many lines it spans (0 if
// none) and whether it is strong: it carries an address, or opens like an
// attribution and carries a date or time. A strong attribution ends the
// reply even when unquoted history follows it; a weak one only when quoted
// lines follow.
func (s *scanner) attribution(i int) (lines int, strong bool) {
	first := s.lines[i]
	if first.blank || first.quoted || len(first.trim) > maxAttribution {
		return 0, false
	}
	size := len(first.trim) // of the lines joined so far, with a space between each
	for k := 1; k <= 3 && i+k-1 < len(s.lines); k++ {
		last := s.lines[i+k-1]
		if k > 1 {
			if last.blank || (last.quoted && !isWrappedClose(last.trim)) {
				return 0, false
			}
			size += 1 + len(last.trim)
			if size > maxAttribution {
				return 0, false
			}
		}
		if k == 2 {
			// A wrapped attribution opens like one, and its first line
			// is not a finished sentence.
			if strings.ContainsAny(first.trim[len(first.trim)-1:], ".!?;") {
				return 0, false
			}
			if !opensLikeAttribution(first.trim) {
				return 0, false
			}
		}
		// The last line ends the candidate: most lines end in a way no
		// attribution does, which is told before joining them.
		if end := strings.TrimRight(last.trim, attributionTrim); end != "" && !attributionEnd(end[len(end)-1]) {
			continue
		}
		joined := first.trim
		for j := i + 1; j < i+k; j++ {
			joined += " " + s.lines[j].trim
		}
		if ok, st := matchAttribution(joined); ok {
			return k, st
		}
	}
	return 0, false
}

// attributionTrim is what matchAttribution trims from both ends.
const attributionTrim = "-–—*_ \t"

// attributionEnd reports whether an attribution may end with byte c: a
// colon, a verb's last letter, a closing parenthesis, or any byte of a
// character outside ASCII.
func attributionEnd(c byte) bool {
	return c == ':' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == ')'
}

// opensLikeAttribution reports whether s opens as attributions do, with a
// word ("On", "Le", "Am", "El día") or a date ("2017-11-24 ...", "30.09.2017,
// ...", "Wednesday, 17 November ...", "tir. 18. apr. ...", "ср, 30 апр. ...").
func opensLikeAttribution(s string) bool {
	return leadWord(s) || leadDate(s)
}

// leadSpace is what follows an opening word: ASCII white space or a comma.
const leadSpace = "\t\n\f\r ,"

// leadWord reports whether s opens with one of leadWords, or of the two
// words of leadPairs, in any case, followed by white space or a comma.
func leadWord(s string) bool {
	i := strings.IndexAny(s, leadSpace)
	if i < 0 {
		return false
	}
	w := strings.ToLower(s[:i])
	if leadWords[w] {
		return true
	}
	seconds := leadPairs[w]
	if seconds == nil || s[i] != ' ' {
		return false
	}
	rest := s[i+1:]
	j := strings.IndexAny(rest, leadSpace)
	return j >= 0 && seconds[strings.ToLower(rest[:j])]
}

// leadWords open attributions in the common languages; leadPairs are those
// of two words, by their first.
var (
	leadWords = setOf("on", "le", "am", "el", "il", "em", "op", "den", "på", "dnia", "dne")
	leadPairs = map[string]map[string]bool{"in": setOf("data"), "il": setOf("giorno"), "w": setOf("dniu"),
		"el": setOf("día")}
)

// leadDate reports whether s opens with a digit, or with a word of at most
// twelve letters, maybe a dot and a comma, white space and a digit.
func leadDate(s string) bool {
	if s == "" {
		return false
	}
	if '0' <= s[0] && s[0] <= '9' {
		return true
	}
	n, k := 0, 0
	for k < len(s) {
		r, size := utf8.DecodeRuneInString(s[k:])
		if !unicode.IsLetter(r) {
			break
		}
		n++
		k += size
	}
	if n < 1 || n > 12 {
		return false
	}
	if k < len(s) && s[k] == '.' {
		k++
	}
	if k < len(s) && s[k] == ',' {
		k++
	}
	m := k
	for k < len(s) && strings.IndexByte("\t\n\f\r ", s[k]) >= 0 {
		k++
	}
	return k > m && k < len(s) && '0' <= s[k] && s[k] <= '9'
}

// isWrappedClose reports whether a line that begins with '>' is the end of
// an address that a client wrapped ("<x@y.com\n>:"), not a quote.
func isWrappedClose(t string) bool {
	t = strings.TrimSpace(strings.TrimLeft(t, ">"))
	return t == ":" || t == "："
}

// attributionVerbs are the verbs that end an attribution: "On ..., X
// wrote:", "Le ... a écrit :", "X kirjoitti:", "X 写道：". Languages that
// put the verb after the name only need it as a suffix.
var attributionVerbs = []string{
	"wrote", "a écrit", "escribió", "escribio", "ha scritto", "scrisse", "escreveu", "schreef",
	"schrieb", "skrev", "har skrevet", "pisze", "napisał(a)", "napisała", "napisał", "napisal(a)",
	"napisal", "kirjoitti", "написал(а)", "написала", "написал", "написав", "írta", "napsal(a)",
	"napsala", "napsal", "yazdı", "έγραψε", "kirjutas", "rašė", "rakstīja",
	// Chinese, Korean and Japanese need no space before the verb.
	"写道", "寫道", "님이 작성", "작성", "のメッセージ", "のメール", "さんは書きました",
}

// verbEnds are the last letters of attributionVerbs.
var verbEnds = func() map[rune]bool {
	m := map[rune]bool{}
	for _, v := range attributionVerbs {
		r, _ := utf8.DecodeLastRuneInString(v)
		m[r] = true
	}
	return m
}()

// midVerbs are verbs that come before the name: "Am ... schrieb X <x@y>:",
// "Op ... schreef X:", "tir. ... skrev X:".
var midVerbs = []string{" schrieb ", " schreef ", " skrev ", " escribió ", " escreveu ", " a écrit ", " ha scritto ", " wrote ", " kirjoitti ", " napisał ", " написал "}

// verbSuffix reports whether lower ends with an attribution verb that
// stands as its own word.
func verbSuffix(lower string) bool {
	for _, v := range attributionVerbs {
		if !strings.HasSuffix(lower, v) {
			continue
		}
		before := lower[:len(lower)-len(v)]
		if before == "" {
			return false
		}
		// Chinese, Japanese and Korean verbs follow the date or name
		// directly; other verbs stand as their own word.
		if first, _ := utf8.DecodeRuneInString(v); first >= 0x2E80 {
			return true
		}
		r, _ := utf8.DecodeLastRuneInString(before)
		if r >= 0x2E80 || strings.ContainsRune(" \t\"'>)]", r) {
			return true
		}
	}
	return false
}

// matchAttribution tests one candidate attribution, already joined onto
// one line.
func matchAttribution(s string) (ok, strong bool) {
	s = strings.Trim(s, attributionTrim)
	if s == "" {
		return false, false
	}
	// An attribution ends with a colon or a verb; most prose ends with
	// punctuation or a digit, which this rejects before any allocation.
	if !attributionEnd(s[len(s)-1]) {
		return false, false
	}
	s = normalizeSpace(s)
	// Without a colon the line must end with a verb, whose last letter
	// tells most lines apart before lower-casing them.
	if r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, " \t")); r != ':' && r != '：' && !verbEnds[unicode.ToLower(r)] {
		return false, false
	}
	lower := strings.ToLower(s)
	body := strings.TrimRight(lower, " \t")
	colon := false
	if b, ok := strings.CutSuffix(body, ":"); ok {
		body, colon = strings.TrimRight(b, " \t"), true
	} else if b, ok := strings.CutSuffix(body, "："); ok {
		body, colon = strings.TrimRight(b, " \t"), true
	}
	verb := verbSuffix(body)
	if !colon && !verb {
		return false, false
	}
	lead := opensLikeAttribution(s)
	hasAddr := strings.Contains(s, "@")
	strong = hasAddr || (lead && strings.ContainsAny(s, "0123456789") && dateish.MatchString(s))
	if !strong && !plainAttribution(body) {
		return false, false
	}
	switch {
	case verb && colon:
		return true, strong
	case verb:
		// Without a colon only an unmistakable one counts.
		return lead && strong, lead && strong
	}
	for _, v := range midVerbs {
		// "Am ... schrieb X:" opens with a date; Gmail's German "X <x@y>
		// schrieb am <date>:" carries an address.
		if strings.Contains(body, v) && (hasAddr || lead && strong) {
			return true, true
		}
	}
	// Gmail in some locales writes no verb at all:
	// "2017-11-24 16:32 GMT+01:00 Name <x@y>:".
	if hasAddr && len(s) <= 250 && leadDate(s) && clockTime.MatchString(s) && bracketAddress.MatchString(s) {
		return true, true
	}
	// Attributions that people customise (mutt's attribution setting)
	// put the date anywhere: "* Name <x@y> [2026-03-11 10:00]:". A line
	// closed by a colon that holds an address in brackets, a date and a
	// time is one whatever the order.
	if colon && hasAddr && len(s) <= 250 && strings.ContainsAny(s, "0123456789") && calendarDate.MatchString(s) && clockTime.MatchString(s) && bracketAddress.MatchString(s) {
		return true, true
	}
	return false, false
}

// plainAttribution reports whether an attribution without address or date
// ("On Monday I wrote", "Sam wrote") is short and is not the end of a longer
// sentence ("I want to talk about my manager. He wrote:"), which is prose
// that introduces a quote.
func plainAttribution(body string) bool {
	if len(strings.Fields(body)) > 8 {
		return false
	}
	for _, stop := range []string{". ", "? ", "! ", "; "} {
		if strings.Contains(body, stop) {
			return false
		}
	}
	return true
}

// normalizeSpace turns the no-break and narrow spaces that clients put in
// headers into plain spaces, so that patterns can use \s. A literal
// "&nbsp;", which QQ Mail and Foxmail leave in their plain text
// ("------------------&nbsp;原始邮件&nbsp;------------------"), is one too.
func normalizeSpace(s string) string {
	// The spaces replaced all begin with byte 0xC2, 0xE2 or '&'; most
	// lines have none, and this is on every line's path.
	if strings.IndexByte(s, 0xC2) < 0 && strings.IndexByte(s, 0xE2) < 0 && strings.IndexByte(s, '&') < 0 {
		return s
	}
	return spaceReplacer.Replace(s)
}

var spaceReplacer = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2007", " ", "\u200b", "",
	"&nbsp;", " ", "&NBSP;", " ", "&#160;", " ", "&#xa0;", " ", "&#xA0;", " ")

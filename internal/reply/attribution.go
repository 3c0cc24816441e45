package reply

import (
	"regexp"
	"strings"
)

// maxAttribution bounds an attribution, joined over its lines, in bytes.
// Real ones are well under this even with long names and addresses.
const maxAttribution = 400

var (
	// attributionVerb matches an attribution that ends with its verb:
	// "On ..., X wrote:", "Le ... a écrit :", "X kirjoitti:", "X 写道：".
	// The colon may be missing ("... wrote ----" in Zoho, "... wrote" in some
	// webmails); see attribution for when that is accepted.
	attributionVerb = regexp.MustCompile(`(?i)(?:^|[\s"'>)\]])(?:wrote|a écrit|escribió|escribio|ha scritto|scrisse|escreveu|schreef|schrieb|skrev|pisze|napisał\(a\)|napisała|napisał|napisal\(a\)|napisal|kirjoitti|написал\(а\)|написала|написал|írta|napsal\(a\)|napsala|napsal|yazdı|έγραψε|kirjutas|rašė|rakstīja|har skrevet)\s*([:：])?$` +
		`|(?:写道|寫道|님이 작성|작성|のメッセージ|のメール|さんは書きました)\s*([:：])?$`)

	// attributionMidVerb matches attributions whose verb comes before the
	// name: "Am ... schrieb X <x@y>:", "Op ... schreef X:", "tir. ... skrev X:".
	attributionMidVerb = regexp.MustCompile(`(?i)\s(?:schrieb|schreef|skrev|escribió|escreveu|a écrit|ha scritto|wrote|kirjoitti|napisał|написал)\s.*[:：]$`)

	// leadWord matches how attributions open in the common languages.
	leadWord = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|in data|il giorno|em|op|den|på|w dniu|dnia|dne|el día)[\s,]`)

	// leadDate matches attributions that open with the date: "2017-11-24 ...",
	// "30.09.2017, ...", "Wednesday, 17 November ...", "tir. 18. apr. ...",
	// "ср, 30 апр. ...".
	leadDate = regexp.MustCompile(`^(?:\d|\pL{1,12}\.?,?\s+\d)`)

	// dateish matches a time, a year or a numeric date.
	dateish = regexp.MustCompile(`\d{1,2}[:.h]\d{2}|(?:^|\D)(?:19|20)\d{2}(?:\D|$)|\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d+\s*年`)

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
	joined := first.trim
	for k := 1; k <= 3 && i+k-1 < len(s.lines); k++ {
		if k > 1 {
			ln := s.lines[i+k-1]
			if ln.blank || (ln.quoted && !isWrappedClose(ln.trim)) {
				return 0, false
			}
			joined += " " + ln.trim
			if len(joined) > maxAttribution {
				return 0, false
			}
			// A wrapped attribution opens like one, and its first line
			// is not a finished sentence.
			if !leadWord.MatchString(first.trim) && !leadDate.MatchString(first.trim) {
				return 0, false
			}
			if strings.ContainsAny(first.trim[len(first.trim)-1:], ".!?;") {
				return 0, false
			}
		}
		if ok, st := matchAttribution(joined); ok {
			return k, st
		}
	}
	return 0, false
}

// isWrappedClose reports whether a line that begins with '>' is the end of
// an address that a client wrapped ("<x@y.com\n>:"), not a quote.
func isWrappedClose(t string) bool {
	t = strings.TrimSpace(strings.TrimLeft(t, ">"))
	return t == ":" || t == "："
}

// matchAttribution tests one candidate attribution, already joined onto
// one line.
func matchAttribution(s string) (ok, strong bool) {
	s = strings.Trim(s, "-–—*_ \t")
	if s == "" {
		return false, false
	}
	s = normalizeSpace(s)
	lead := leadWord.MatchString(s) || leadDate.MatchString(s)
	hasAddr := strings.Contains(s, "@")
	hasDate := dateish.MatchString(s)
	strong = hasAddr || (lead && hasDate)
	if m := attributionVerb.FindStringSubmatch(s); m != nil {
		colon := m[1] != "" || m[2] != ""
		if colon {
			return true, strong
		}
		// Without a colon only an unmistakable one counts.
		return lead && strong, lead && strong
	}
	if attributionMidVerb.MatchString(s) {
		return lead && strong, lead && strong
	}
	// Gmail in some locales writes no verb at all:
	// "2017-11-24 16:32 GMT+01:00 Name <x@y>:".
	if leadDate.MatchString(s) && clockTime.MatchString(s) && bracketAddress.MatchString(s) &&
		(strings.HasSuffix(s, ":") || strings.HasSuffix(s, "：")) && len(s) <= 250 {
		return true, true
	}
	return false, false
}

// normalizeSpace turns the no-break and narrow spaces that clients put in
// headers into plain spaces, so that patterns can use \s.
func normalizeSpace(s string) string {
	if !strings.ContainsAny(s, "\u00a0\u202f\u2007\u200b") {
		return s
	}
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2007", " ", "\u200b", "").Replace(s)
}

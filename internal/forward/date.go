package forward

import (
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxDateLen bounds the date text examined.
const maxDateLen = 256

// dateToken is one word of a printed date.
type dateToken struct {
	text string // lower-cased
	kind tokenKind
	n    int // value of a number
	dig  int // digits of a number
}

type tokenKind uint8

const (
	tokWord tokenKind = iota
	tokNumber
)

// parseDate reads a date as mail clients print it in many languages:
// RFC 5322 ("Wed, 3 Nov 2021 15:51:30 +0100"), month names
// ("Montag, 25. November 2026 um 10:02", "25 nov. 2026 à 10:02",
// "25. листопада 2026 р. о 10:02"), numbers ("11/25/2026 10:02 AM",
// "st 27. 10. 2021 v 9:31") and CJK ("2026年11月25日(水) 10:02").
// langs are the languages of the surrounding labels, used when a month word
// means different months in different languages. A date without a zone is
// read in loc.
func parseDate(s string, langs []string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimFunc(s, isSpace)
	if s == "" {
		return time.Time{}, false
	}
	s = cut(s, maxDateLen)
	// RFC 5322 dates need no special case: the general reading covers
	// them. ISO 8601 joins date and time with a "T".
	if len(s) >= 20 && s[4] == '-' && (s[10] == 'T' || s[10] == 't') {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t, true
		}
	}
	var d dateParts
	d.read(s)
	return d.resolve(langs, loc)
}

// dateParts collects what the words of a date say.
type dateParts struct {
	tokens []dateToken

	year, month, day     int
	hour, min, sec       int
	hasTime, pm, am      bool
	zone                 *time.Location
	usZone               bool
	numericDate          [3]int // as printed, for day/month order
	numericDig           [3]int
	hasNumericDate       bool
	cjkYear, cjkMonthDay bool
	yearSeen             bool
}

// read splits s into tokens and takes out times, zones, numeric and CJK
// dates; words and bare numbers are left for resolve.
func (d *dateParts) read(s string) {
	s = d.readCJK(s)
	fields := strings.FieldsFunc(fold(s), func(r rune) bool {
		return isSpace(r) || r == ',' || r == '(' || r == ')' || r == '，' || r == '、' || r == '|' || r == '[' || r == ']'
	})
	if len(fields) > 40 {
		fields = fields[:40]
	}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if d.readZone(f, fields, &i) {
			continue
		}
		if d.readTime(f) {
			continue
		}
		if d.readNumericDate(f) {
			continue
		}
		switch f {
		case "am", "a.m.", "a.m", "午前", "上午", "오전", "πμ", "π.μ.":
			d.am = true
			continue
		case "pm", "p.m.", "p.m", "午後", "下午", "오후", "μμ", "μ.μ.":
			d.pm = true
			continue
		case "a.", "p.":
			// Spanish "p. m.".
			if i+1 < len(fields) && (fields[i+1] == "m." || fields[i+1] == "m") {
				if f == "p." {
					d.pm = true
				} else {
					d.am = true
				}
				i++
				continue
			}
		}
		num := strings.TrimRight(f, ".")
		num = trimOrdinal(num)
		if n, ok := atoi(num); ok {
			d.tokens = append(d.tokens, dateToken{text: num, kind: tokNumber, n: n, dig: len(num)})
			if len(num) == 4 {
				d.yearSeen = true
			}
			continue
		}
		d.tokens = append(d.tokens, dateToken{text: strings.Trim(f, ".:-/"), kind: tokWord})
	}
}

// readCJK takes "2026年11月25日", "2026년 11월 25일" and "10時02分" out of s
// and returns what is left.
func (d *dateParts) readCJK(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			r, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(r)
			i += size
			continue
		}
		// "下午3:02": a number glued to an ideograph is a word of its own.
		if prev, _ := utf8.DecodeLastRuneInString(b.String()); prev >= 0x2E80 {
			b.WriteByte(' ')
		}
		digits := s[i:j]
		r, size := utf8.DecodeRuneInString(s[j:])
		n, ok := atoi(digits)
		switch {
		case !ok:
			b.WriteString(digits)
			i = j
			continue
		case r == '年' || r == '년':
			d.year, d.cjkYear, d.yearSeen = n, true, true
			b.WriteByte(' ')
		case r == '月' || r == '월':
			d.month, d.cjkMonthDay = n, true
			b.WriteByte(' ')
		case r == '日' || r == '일':
			d.day = n
			b.WriteByte(' ')
		case r == '時' || r == '时' || r == '시':
			b.WriteString(digits)
			b.WriteByte(':')
		case r == '分' || r == '분':
			b.WriteString(digits)
			b.WriteByte(' ')
		default:
			b.WriteString(digits)
			i = j
			continue
		}
		i = j + size
	}
	return b.String()
}

// readZone takes a zone: "+0200", "-04:00", "GMT+3", "UTC", "CEST", or
// "GMT" followed by an offset in the next field.
func (d *dateParts) readZone(f string, fields []string, i *int) bool {
	if d.zone != nil {
		return false
	}
	if off, ok := zoneOffsets[f]; ok {
		if (f == "gmt" || f == "utc" || f == "ut") && *i+1 < len(fields) {
			if o, ok := signedOffset(fields[*i+1]); ok {
				*i++
				off = o
			}
		}
		d.zone = time.FixedZone("", off)
		d.usZone = usZones[f]
		return true
	}
	for _, p := range []string{"gmt", "utc"} {
		if strings.HasPrefix(f, p) {
			if off, ok := signedOffset(f[len(p):]); ok {
				d.zone = time.FixedZone("", off)
				return true
			}
		}
	}
	if d.hasTime && (strings.HasPrefix(f, "+") || strings.HasPrefix(f, "-")) {
		if off, ok := signedOffset(f); ok {
			d.zone = time.FixedZone("", off)
			return true
		}
	}
	return false
}

// signedOffset reads "+3", "+03", "+0300", "+03:00", "-4".
func signedOffset(s string) (int, bool) {
	if len(s) < 2 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	s = s[1:]
	var h, m int
	var ok bool
	switch {
	case strings.Contains(s, ":"):
		hs, ms, _ := strings.Cut(s, ":")
		h, ok = atoi(hs)
		if !ok {
			return 0, false
		}
		if m, ok = atoi(ms); !ok {
			return 0, false
		}
	case len(s) <= 2:
		if h, ok = atoi(s); !ok {
			return 0, false
		}
	case len(s) == 4:
		if h, ok = atoi(s[:2]); !ok {
			return 0, false
		}
		if m, ok = atoi(s[2:]); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if h > 14 || m > 59 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// readTime takes "9:31", "09:26:50", "5:55:44pm", "17h30", and "14.25.08"
// or "12.46" once a year has been seen (before it they are dates).
func (d *dateParts) readTime(f string) bool {
	if d.hasTime {
		return false
	}
	t := f
	suffix := ""
	for _, sfx := range []string{"am", "pm", "a.m.", "p.m.", "uhr", "h", "u", "z"} {
		if strings.HasSuffix(t, sfx) && len(t) > len(sfx) && t[len(t)-len(sfx)-1] >= '0' && t[len(t)-len(sfx)-1] <= '9' {
			t, suffix = t[:len(t)-len(sfx)], sfx
			break
		}
	}
	var parts []string
	switch {
	case strings.Contains(t, ":"):
		parts = strings.Split(t, ":")
	case strings.Contains(t, "h") && !strings.ContainsAny(t, ".:"):
		parts = strings.Split(t, "h") // French "17h30"
	case strings.Count(t, ".") >= 1 && strings.Count(t, ".") <= 2 && d.yearSeen:
		parts = strings.Split(t, ".")
	default:
		return false
	}
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	var v [3]int
	for k, p := range parts {
		n, ok := atoi(p)
		if !ok || (k == 0 && len(p) > 2) || (k > 0 && len(p) != 2) {
			return false
		}
		v[k] = n
	}
	if v[0] > 24 || v[1] > 59 || v[2] > 60 {
		return false
	}
	d.hour, d.min, d.sec, d.hasTime = v[0], v[1], v[2], true
	switch suffix {
	case "am", "a.m.":
		d.am = true
	case "pm", "p.m.":
		d.pm = true
	case "z":
		d.zone = time.UTC
	}
	return true
}

// readNumericDate takes "27/10/2021", "28/10/21", "2021-10-28",
// "28.10.2021", "2021/10/28".
func (d *dateParts) readNumericDate(f string) bool {
	if d.hasNumericDate {
		return false
	}
	f = strings.TrimRight(f, ".")
	sep := ""
	for _, c := range []string{"/", "-", "."} {
		if strings.Count(f, c) == 2 {
			sep = c
			break
		}
	}
	if sep == "" {
		return false
	}
	parts := strings.Split(f, sep)
	var v, dig [3]int
	for k, p := range parts {
		n, ok := atoi(p)
		if !ok || len(p) == 0 || len(p) > 4 {
			return false
		}
		v[k], dig[k] = n, len(p)
	}
	if dig[1] > 2 || (dig[0] != 4 && dig[2] != 4 && dig[2] != 2) {
		return false
	}
	d.numericDate, d.numericDig, d.hasNumericDate = v, dig, true
	d.yearSeen = true
	return true
}

// resolve turns the parts into an instant.
func (d *dateParts) resolve(langs []string, loc *time.Location) (time.Time, bool) {
	year, month, day := d.year, d.month, d.day
	numbers := d.tokens[:0:0]
	for _, t := range d.tokens {
		if t.kind == tokNumber {
			numbers = append(numbers, t)
		}
	}
	us := d.pm || d.am || d.usZone
	switch {
	case d.cjkYear || d.cjkMonthDay:
		if year == 0 {
			year = d.firstYear(-1)
		}
	case d.hasNumericDate:
		year, month, day = orderNumeric(d.numericDate, d.numericDig, us)
	default:
		mi, m := d.pickMonth(langs)
		if m != 0 {
			month = int(m)
			yi := -1
			for k, t := range d.tokens {
				if t.kind == tokNumber && t.dig == 4 {
					year, yi = t.n, k
					break
				}
			}
			// The day is the small number nearest the month word.
			best := -1
			for k, t := range d.tokens {
				if t.kind != tokNumber || k == yi || t.dig > 2 || t.n < 1 || t.n > 31 {
					continue
				}
				if best < 0 || abs(k-mi) < abs(best-mi) {
					best = k
				}
			}
			if best >= 0 {
				day = d.tokens[best].n
			}
			if yi < 0 && best >= 0 {
				// A two-digit year: the other small number.
				for k, t := range d.tokens {
					if t.kind == tokNumber && k != best && t.dig == 2 {
						year = 2000 + t.n
						break
					}
				}
			}
		} else if len(numbers) >= 3 {
			// "27. 10. 2021", "2021. 10. 27."
			var v, dig [3]int
			for k := 0; k < 3; k++ {
				v[k], dig[k] = numbers[k].n, numbers[k].dig
			}
			year, month, day = orderNumeric(v, dig, us)
		}
		if m != 0 && d.monthAmbiguous(mi, langs) {
			month = d.checkWeekday(mi, year, month, day)
		}
	}
	if year < 100 && year > 0 {
		year += 2000
	}
	if year < 1970 || year > 2999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	hour := d.hour
	if d.pm && hour < 12 {
		hour += 12
	}
	if d.am && hour == 12 {
		hour = 0
	}
	if hour > 23 {
		return time.Time{}, false
	}
	sec := d.sec
	if sec == 60 {
		sec = 59
	}
	z := loc
	if d.zone != nil {
		z = d.zone
	}
	t := time.Date(year, time.Month(month), day, hour, d.min, sec, 0, z)
	if t.Day() != day {
		return time.Time{}, false // 31 November
	}
	return t, true
}

// firstYear returns the first four-digit number, or def.
func (d *dateParts) firstYear(def int) int {
	for _, t := range d.tokens {
		if t.kind == tokNumber && t.dig == 4 {
			return t.n
		}
	}
	return def
}

// orderNumeric reads three numbers as year, month and day: year first when
// it has four digits, else day first unless the day cannot be first or the
// date is American (a 12-hour clock or a US zone).
func orderNumeric(v, dig [3]int, us bool) (int, int, int) {
	if dig[0] == 4 {
		return v[0], v[1], v[2]
	}
	a, b, y := v[0], v[1], v[2]
	switch {
	case a > 12:
		return y, b, a
	case b > 12:
		return y, a, b
	case us:
		return y, a, b
	}
	return y, b, a
}

// pickMonth finds the word naming the month and the month it names.
func (d *dateParts) pickMonth(langs []string) (int, time.Month) {
	best, bestScore := -1, math.MinInt
	var bestMonth time.Month
	for k, t := range d.tokens {
		if t.kind != tokWord {
			continue
		}
		w := foldDate(t.text)
		meanings := calendar.months[w]
		if len(meanings) == 0 {
			continue
		}
		m, score := chooseMonth(meanings, langs)
		// A word that is also a weekday ("mar", "sze") only names the
		// month when nothing else does.
		if _, isDay := calendar.weekdays[w]; isDay {
			score -= 100
		}
		if score > bestScore {
			best, bestScore, bestMonth = k, score, m
		}
	}
	return best, bestMonth
}

// chooseMonth picks one meaning of a month word: one in the labels'
// languages first, then a whole word over a prefix, then the language
// listed first.
func chooseMonth(meanings []monthMeaning, langs []string) (time.Month, int) {
	bestScore := -1
	var best monthMeaning
	for _, m := range meanings {
		score := 0
		if contains(langs, m.lang) {
			score += 1000
		}
		if m.exact {
			score += 100
		}
		score += 50 - m.order
		if score > bestScore {
			best, bestScore = m, score
		}
	}
	s := 10
	if best.exact {
		s = 20
	}
	return best.month, s
}

// monthAmbiguous reports whether the month word at token mi means
// different months in different languages and no label language settles it.
func (d *dateParts) monthAmbiguous(mi int, langs []string) bool {
	meanings := calendar.months[foldDate(d.tokens[mi].text)]
	for _, m := range meanings {
		if contains(langs, m.lang) {
			return false
		}
	}
	for _, m := range meanings[1:] {
		if m.month != meanings[0].month {
			return true
		}
	}
	return false
}

// checkWeekday picks, among the months the word at token mi may mean, the
// one that puts the date on the printed weekday.
func (d *dateParts) checkWeekday(mi, year, month, day int) int {
	var want []time.Weekday
	for k, t := range d.tokens {
		if t.kind != tokWord || k == mi {
			continue
		}
		for _, w := range calendar.weekdays[foldDate(t.text)] {
			want = append(want, w.day)
		}
	}
	if len(want) == 0 || year == 0 || day == 0 {
		return month
	}
	for _, m := range calendar.months[foldDate(d.tokens[mi].text)] {
		wd := time.Date(year, m.month, day, 12, 0, 0, 0, time.UTC).Weekday()
		for _, w := range want {
			if w == wd {
				return int(m.month)
			}
		}
	}
	return month
}

// trimOrdinal removes an ordinal suffix from a number: "25th", "1er",
// "2nd", "3º".
func trimOrdinal(s string) string {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return s
	}
	for _, sfx := range []string{"st", "nd", "rd", "th", "er", "e", "º", "ª"} {
		if t, ok := strings.CutSuffix(s, sfx); ok && t != "" && t[len(t)-1] >= '0' && t[len(t)-1] <= '9' {
			return t
		}
	}
	return s
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// dateWord reports whether a word of an attribution line belongs to a date:
// a number, a month or weekday name.
func dateWord(w string) bool {
	w = strings.Trim(fold(w), ".,:;()")
	if w == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	if unicode.IsDigit(r) {
		return true
	}
	f := foldDate(w)
	if _, ok := calendar.weekdays[f]; ok && len([]rune(f)) > 2 {
		return true
	}
	_, ok := calendar.months[f]
	return ok
}

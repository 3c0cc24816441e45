package calendar

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits on what the normalizer passes to the decoder. They bound time and
// memory on hostile input while leaving real invitations untouched: the
// largest real ones (Exchange series with many exceptions and an HTML
// X-ALT-DESC per exception) stay well under MaxSize.
const (
	// MaxSize is the largest calendar object Read accepts, in bytes.
	MaxSize = 4 << 20
	// maxDepth bounds component nesting (VCALENDAR > VEVENT > VALARM needs 3).
	maxDepth = 8
	// maxParamValue bounds one parameter value; go-ical's decoder copies a
	// parameter value once per byte, so long values cost quadratic time.
	maxParamValue = 256
	// maxParamBytes bounds all kept parameter values together, for the same reason.
	maxParamBytes = 256 << 10
)

// keptParam reports whether Read uses the property parameter; the others
// (X-NUM-GUESTS, LANGUAGE, FMTTYPE, SCHEDULE-STATUS...) are dropped before
// decoding.
func keptParam(name string) bool {
	switch name {
	case "TZID", "VALUE", "CN", "ROLE", "PARTSTAT", "CUTYPE", "EMAIL", "RANGE", "RSVP", "SENT-BY":
		return true
	}
	return false
}

// keptProp reports whether a property goes to the decoder. Every X- property
// but the two Read uses (X-MS-OLK-*, most X-MICROSOFT-CDO-*, X-ALT-DESC with
// a whole HTML body, X-APPLE-*, X-GOOGLE-*) is noise for an invitation, and
// ATTACH can be large and is never used.
func keptProp(name string) bool {
	switch name {
	case "X-WR-TIMEZONE", "X-MICROSOFT-CDO-ALLDAYEVENT":
		return true
	case "ATTACH":
		return false
	}
	return !strings.HasPrefix(name, "X-")
}

// param is one parsed property parameter.
type param struct {
	name   string
	values []string
}

// normalize turns raw calendar bytes into the text go-ical's decoder is
// given: one content line per line (RFC 5545 §3.1 unfolding done), LF
// endings, the first VCALENDAR only, components balanced, malformed content
// lines and unused parameters and properties dropped. go-ical's decoder
// panics on some malformed parameter lists and fails the whole object on one
// bad line; an invitation with one bad line is still an invitation.
func normalize(data []byte, w *warnings) (string, error) {
	if len(data) > MaxSize {
		return "", fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxSize)
	}
	data = toUTF8(data, w)

	n := normalizer{w: w}
	n.out.Grow(len(data))
	lineNo, startNo := 0, 0
	var logical []byte
	rest := data
	for len(rest) > 0 {
		var line []byte
		line, rest = nextLine(rest)
		lineNo++
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
			// A folded continuation: the CRLF and one white-space character go.
			if logical != nil {
				logical = append(logical, line[1:]...)
			}
			continue
		}
		if logical != nil && !n.line(string(logical), startNo) {
			break
		}
		logical = append(logical[:0:0], line...)
		startNo = lineNo
	}
	if logical != nil && !n.done {
		n.line(string(logical), startNo)
	}
	return n.finish()
}

// toUTF8 removes a byte-order mark and converts UTF-16 (which some Windows
// exporters write when told "Unicode") to UTF-8. Invalid UTF-8 in values is
// replaced later, per value.
func toUTF8(data []byte, w *warnings) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		little := data[0] == 0xFF
		units := make([]uint16, 0, len(data)/2)
		for i := 2; i+1 < len(data); i += 2 {
			if little {
				units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		w.add("calendar is UTF-16; converted to UTF-8")
		var b bytes.Buffer
		b.Grow(len(units))
		for _, r := range utf16.Decode(units) {
			b.WriteRune(r)
		}
		return b.Bytes()
	}
	return data
}

// nextLine splits off one physical line ending in CRLF, LF or a lone CR.
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexAny(b, "\r\n")
	if i < 0 {
		return b, nil
	}
	line, rest = b[:i], b[i+1:]
	if b[i] == '\r' && len(rest) > 0 && rest[0] == '\n' {
		rest = rest[1:]
	}
	return line, rest
}

// normalizer holds the state of one normalize call.
type normalizer struct {
	w          *warnings
	out        strings.Builder
	stack      []string // open components, outermost first
	skipDepth  int      // >0 while inside a component nested too deeply
	started    bool     // BEGIN:VCALENDAR seen
	done       bool     // END:VCALENDAR seen
	paramBytes int

	malformed      int
	firstMalformed int
	droppedParams  int
}

// line handles one unfolded content line. It returns false once the first
// calendar object is complete.
func (n *normalizer) line(s string, lineNo int) bool {
	if strings.TrimSpace(s) == "" {
		return true
	}
	name, params, value, ok := parseContentLine(s)
	if !ok {
		if n.started {
			n.malformed++
			if n.firstMalformed == 0 {
				n.firstMalformed = lineNo
			}
		}
		return true
	}
	switch name {
	case "BEGIN":
		return n.begin(strings.ToUpper(strings.TrimSpace(value)))
	case "END":
		return n.end(strings.ToUpper(strings.TrimSpace(value)))
	}
	if !n.started || n.skipDepth > 0 || len(n.stack) == 0 {
		return true
	}
	if !keptProp(name) {
		return true
	}
	n.out.WriteString(name)
	for _, p := range params {
		n.writeParam(p)
	}
	n.out.WriteByte(':')
	n.out.WriteString(value)
	n.out.WriteByte('\n')
	return true
}

func (n *normalizer) writeParam(p param) {
	if !keptParam(p.name) {
		return
	}
	size := 0
	for _, v := range p.values {
		if len(v) > maxParamValue {
			n.droppedParams++
			return
		}
		size += len(v)
	}
	if n.paramBytes+size > maxParamBytes {
		n.droppedParams++
		return
	}
	n.paramBytes += size
	n.out.WriteByte(';')
	n.out.WriteString(p.name)
	n.out.WriteByte('=')
	for i, v := range p.values {
		if i > 0 {
			n.out.WriteByte(',')
		}
		// Values never contain DQUOTE (parseContentLine rejects it), so
		// quoting every value is always valid and keeps ':' ';' ',' inside.
		n.out.WriteByte('"')
		n.out.WriteString(v)
		n.out.WriteByte('"')
	}
}

func (n *normalizer) begin(comp string) bool {
	if !validName(comp) {
		if n.started {
			n.malformed++
		}
		return true
	}
	if !n.started {
		if comp != "VCALENDAR" {
			return true
		}
		n.started = true
	}
	if n.skipDepth > 0 || len(n.stack) >= maxDepth {
		if n.skipDepth == 0 {
			n.w.addf("components nested deeper than %d ignored", maxDepth)
		}
		n.skipDepth++
		return true
	}
	n.stack = append(n.stack, comp)
	n.out.WriteString("BEGIN:" + comp + "\n")
	return true
}

func (n *normalizer) end(comp string) bool {
	if !n.started {
		return true
	}
	if n.skipDepth > 0 {
		n.skipDepth--
		return true
	}
	idx := -1
	for i := len(n.stack) - 1; i >= 0; i-- {
		if n.stack[i] == comp {
			idx = i
			break
		}
	}
	if idx < 0 {
		n.w.addf("stray END:%s ignored", short(comp))
		return true
	}
	for len(n.stack) > idx+1 {
		open := n.stack[len(n.stack)-1]
		n.w.addf("END:%s missing before END:%s", short(open), short(comp))
		n.closeTop()
	}
	n.closeTop()
	if len(n.stack) == 0 {
		n.done = true
		return false
	}
	return true
}

func (n *normalizer) closeTop() {
	top := n.stack[len(n.stack)-1]
	n.stack = n.stack[:len(n.stack)-1]
	n.out.WriteString("END:" + top + "\n")
}

func (n *normalizer) finish() (string, error) {
	if !n.started {
		return "", ErrNotCalendar
	}
	if len(n.stack) > 0 {
		n.w.addf("calendar truncated: END:%s missing", short(n.stack[len(n.stack)-1]))
		for len(n.stack) > 0 {
			n.closeTop()
		}
	}
	if n.malformed > 0 {
		n.w.addf("%d malformed content line(s) ignored (first at line %d)", n.malformed, n.firstMalformed)
	}
	if n.droppedParams > 0 {
		n.w.addf("%d over-long parameter(s) ignored", n.droppedParams)
	}
	return n.out.String(), nil
}

// parseContentLine splits an unfolded content line (RFC 5545 §3.1) into its
// upper-cased name, parameters and raw value. It accepts exactly what the
// grammar allows for names and parameters, so anything it passes is safe for
// go-ical's decoder.
func parseContentLine(s string) (name string, params []param, value string, ok bool) {
	i := 0
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	if i == 0 || i >= len(s) {
		return "", nil, "", false
	}
	name = strings.ToUpper(s[:i])
	for i < len(s) && s[i] == ';' {
		i++
		j := i
		for j < len(s) && isNameByte(s[j]) {
			j++
		}
		if j == i || j >= len(s) || s[j] != '=' {
			return "", nil, "", false
		}
		p := param{name: strings.ToUpper(s[i:j])}
		i = j + 1
		for {
			if i < len(s) && s[i] == '"' {
				k := strings.IndexByte(s[i+1:], '"')
				if k < 0 {
					return "", nil, "", false
				}
				p.values = append(p.values, s[i+1:i+1+k])
				i += k + 2
			} else {
				j := i
				for j < len(s) && s[j] != ';' && s[j] != ':' && s[j] != ',' && s[j] != '"' {
					j++
				}
				p.values = append(p.values, s[i:j])
				i = j
			}
			if i >= len(s) {
				return "", nil, "", false
			}
			if s[i] == ',' {
				i++
				continue
			}
			if s[i] != ';' && s[i] != ':' {
				return "", nil, "", false
			}
			break
		}
		if !hasParam(params, p.name) {
			params = append(params, p)
		}
	}
	if i >= len(s) || s[i] != ':' {
		return "", nil, "", false
	}
	return name, params, s[i+1:], true
}

func hasParam(params []param, name string) bool {
	for _, p := range params {
		if p.name == name {
			return true
		}
	}
	return false
}

// isNameByte reports whether c may appear in a property, parameter or
// component name (iana-token and x-name: ALPHA, DIGIT and "-").
func isNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i]) {
			return false
		}
	}
	return true
}

// cleanText makes a decoded value safe to hand on: valid UTF-8, LF line
// endings, no surrounding space.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.Contains(s, "\r") {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.TrimSpace(s)
}

// unescapeText decodes an RFC 5545 §3.3.11 TEXT value. It is lenient where
// go-ical is strict: an unknown escape ("\:" from some Outlook versions,
// "\t") is kept as written, and an unescaped comma is part of the text, not
// a list separator, because single-valued properties like SUMMARY are
// written with bare commas by many producers.
func unescapeText(v string) string {
	if !strings.Contains(v, `\`) {
		return cleanText(v)
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch d := v[i]; d {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',', ':', '"':
			b.WriteByte(d)
		default:
			b.WriteByte('\\')
			b.WriteByte(d)
		}
	}
	return cleanText(b.String())
}

// decodeParam decodes RFC 6868 caret escapes in a parameter value
// (^n newline, ^' double quote, ^^ caret), as Apple Calendar writes them.
func decodeParam(v string) string {
	if !strings.Contains(v, "^") {
		return cleanText(v)
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '^' && i+1 < len(v) {
			switch v[i+1] {
			case 'n', 'N':
				b.WriteByte('\n')
				i++
				continue
			case '\'':
				b.WriteByte('"')
				i++
				continue
			case '^':
				b.WriteByte('^')
				i++
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return cleanText(b.String())
}

// warnings collects what was odd about one calendar, once each, bounded.
type warnings struct {
	list []string
	seen map[string]bool
}

const maxWarnings = 32

func (w *warnings) add(msg string) {
	if w.seen == nil {
		w.seen = make(map[string]bool)
	}
	if w.seen[msg] {
		return
	}
	w.seen[msg] = true
	switch {
	case len(w.list) < maxWarnings:
		w.list = append(w.list, msg)
	case len(w.list) == maxWarnings:
		w.list = append(w.list, "further warnings omitted")
	}
}

// short bounds text quoted from the input in a warning.
func short(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (w *warnings) addf(format string, args ...any) {
	w.add(fmt.Sprintf(format, args...))
}

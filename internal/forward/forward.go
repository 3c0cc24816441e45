package forward

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxBodySize is how many bytes of a body Parse examines; the rest is ignored.
// Forwarded notes are a few kilobytes; four megabytes of text is already far
// beyond any message a person wrote.
const MaxBodySize = 4 << 20

// MaxMessages is the most forwarded messages Parse returns. A longer chain
// keeps its remaining text in the last message's body.
const MaxMessages = 50

// maxSubjectLen bounds the outer subject examined.
const maxSubjectLen = 4096

// maxLines bounds the lines examined; text beyond is kept, unexamined, in the
// last line.
const maxLines = 100_000

// maxBlockLines bounds a header block, so that a body of header-like lines
// costs a constant amount of work per line.
const maxBlockLines = 24

// Result is what Parse recovers from a body.
type Result struct {
	// Message is the forwarder's own text above the first forwarded message,
	// trimmed; "" when they wrote nothing.
	Message string
	// Forwarded lists the forwarded messages in the order they appear, the
	// outermost (most recently forwarded) first. A forward of a forward gives
	// two entries, and so does an earlier message that a forwarded reply
	// quotes under a header block (Outlook's "From:/Sent:" layout); a reply
	// quoted under an "On ... wrote:" line stays in its message's Body.
	Forwarded []Message
}

// Message is one forwarded message.
type Message struct {
	// From is the author. Address is lower-cased; either part may be empty
	// when the client printed only a name or only an address.
	From mail.Address
	// To and Cc are the recipients as printed, in order.
	To, Cc []mail.Address
	// Date is the instant the message was sent, or the zero time when
	// DateText could not be read. A date printed without a zone is read in
	// the location given to ParseIn (UTC for Parse).
	Date time.Time
	// DateText is the date as the client printed it.
	DateText string
	// Subject is the forwarded message's subject; when the client printed
	// none it is taken from the outer subject without its forward prefix.
	Subject string
	// Body is this message's own text, without quote markers, trimmed. It
	// stops where a further forwarded message (the next entry) starts.
	Body string
}

// Parse reports whether body, the text of a message with the given subject,
// forwards other messages, and recovers them. Dates printed without a zone
// are read as UTC; use ParseIn to read them in the forwarder's zone.
func Parse(subject, body string) (Result, bool) {
	return ParseIn(subject, body, time.UTC)
}

// ParseIn is Parse with the location in which to read dates printed without a
// zone. Clients print a forwarded message's date in the forwarder's local
// time, so the outer message's Date location is the best choice. A nil loc
// means UTC.
//
// Header blocks without a forward separator (Outlook's "From:/Sent:/To:"
// layout, "-----Original Message-----", a rule of underscores) and
// reply-style attribution lines are ambiguous: they are taken as a forward
// unless the subject marks a reply ("Re:", "AW:", "SV:"...), and an
// attribution line only when the subject marks a forward. Explicit forward
// separators ("---------- Forwarded message ---------", "Begin forwarded
// message:" and their translations) always count.
func ParseIn(subject, body string, loc *time.Location) (Result, bool) {
	if loc == nil {
		loc = time.UTC
	}
	body = normalise(body)
	subject = cut(subject, maxSubjectLen)
	if !utf8.ValidString(subject) {
		subject = strings.ToValidUTF8(subject, "\uFFFD")
	}
	lines := splitLines(body)
	kind := subjectKindOf(subject)

	found := findForwards(lines, kind)
	if len(found) == 0 && kind == subjectForward {
		if f, ok := findAttribution(lines); ok {
			found = append(found, f)
		}
	}
	if len(found) == 0 {
		return Result{}, false
	}

	res := Result{
		Message:   joinLines(lines[:found[0].start], 0, false, false),
		Forwarded: make([]Message, 0, len(found)),
	}
	for k, f := range found {
		end := len(lines)
		if k+1 < len(found) {
			end = found[k+1].start
		}
		m := f.hdr.message(loc)
		if !f.hdr.has[fieldSubject] && k == 0 {
			m.Subject = forwardedSubject(subject)
		}
		m.Body = joinLines(dropEndMarker(lines[f.bodyStart:end]), f.depth, f.dedent, true)
		res.Forwarded = append(res.Forwarded, m)
	}
	return res, true
}

// normalise bounds the body, makes it valid UTF-8 with LF line endings and
// drops byte-order marks, which some clients leave mid-text.
func normalise(s string) string {
	if len(s) > MaxBodySize {
		s = s[:MaxBodySize]
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	if strings.Contains(s, "\uFEFF") {
		s = strings.ReplaceAll(s, "\uFEFF", "")
	}
	return s
}

// line is one line of the body with its quoting undone.
type line struct {
	text    string // as written
	depth   int    // number of ">" quote markers
	content string // text after the quote markers
}

func splitLines(s string) []line {
	lines := make([]line, 0, min(strings.Count(s, "\n")+1, maxLines))
	for {
		i := strings.IndexByte(s, '\n')
		if len(lines) == maxLines-1 {
			// The rest is kept for the last body but not examined.
			return append(lines, line{text: s})
		}
		t := s
		if i >= 0 {
			t = s[:i]
		}
		d, c := unquote(t, -1)
		lines = append(lines, line{text: t, depth: d, content: c})
		if i < 0 {
			return lines
		}
		s = s[i+1:]
	}
}

// unquote removes up to max (all when max < 0) leading ">" quote markers,
// each with the space after it, and reports how many it removed.
func unquote(t string, max int) (int, string) {
	depth := 0
	for max < 0 || depth < max {
		i := 0
		for i < len(t) && i < 3 && t[i] == ' ' {
			i++
		}
		if i >= len(t) || t[i] != '>' {
			break
		}
		t = t[i+1:]
		if len(t) > 0 && t[0] == ' ' {
			t = t[1:]
		}
		depth++
	}
	return depth, t
}

// joinLines rebuilds text from lines, removing depth quote levels from each
// and, when dedent is set, the indentation common to all lines. With
// quotedBody, when every remaining non-blank line is still quoted once more
// (Missive quotes the forwarded body under an unquoted header), that level
// goes too.
func joinLines(lines []line, depth int, dedent, quotedBody bool) string {
	out := make([]string, len(lines))
	allQuoted, any := true, false
	for i, l := range lines {
		_, t := unquote(l.text, depth)
		if isBlank(t) {
			t = ""
		} else {
			any = true
			if d, _ := unquote(t, 1); d == 0 {
				allQuoted = false
			}
		}
		out[i] = t
	}
	if quotedBody && any && allQuoted {
		for i, t := range out {
			_, t = unquote(t, 1)
			if isBlank(t) {
				t = ""
			}
			out[i] = t
		}
	}
	if dedent {
		indent := -1
		for _, t := range out {
			if t == "" {
				continue
			}
			w := len(t) - len(strings.TrimLeft(t, " \t"))
			if indent < 0 || w < indent {
				indent = w
			}
		}
		if indent > 0 {
			for i, t := range out {
				if len(t) >= indent {
					out[i] = t[indent:]
				}
			}
		}
	}
	return trimText(strings.Join(out, "\n"))
}

// cut shortens s to at most n bytes without splitting a rune.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isBlank(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' || r == '\u200B' }

func trimText(s string) string { return strings.TrimFunc(s, isSpace) }

// endPhrases close a forwarded message in some clients.
var endPhrases = []string{
	"end of forwarded message", "end forwarded message", "end of original message",
	"конец пересылаемого сообщения", "конец переадресованного сообщения",
	"fin du message transféré", "ende der weitergeleiteten nachricht",
}

// dropEndMarker removes a closing "End of forwarded message" line and the
// blank lines after it from the end of a body.
func dropEndMarker(lines []line) []line {
	k := len(lines)
	for k > 0 && isBlank(lines[k-1].content) {
		k--
	}
	if k == 0 {
		return lines
	}
	t := fold(strings.Trim(trimText(lines[k-1].content), "-_=*~: \t"))
	if len(t) < 100 {
		for _, p := range endPhrases {
			if t == p {
				return lines[:k-1]
			}
		}
	}
	return lines
}

// found is one forwarded message located in the lines.
type found struct {
	start     int  // first line of its separator or header block
	bodyStart int  // first line of its body
	depth     int  // quote depth of its header block, removed from the body
	dedent    bool // body is indented rather than quoted
	hdr       header
}

// findForwards locates forwarded messages announced by a separator or a
// header block.
func findForwards(lines []line, kind subjectKind) []found {
	var out []found
	for i := 0; i < len(lines) && len(out) < MaxMessages; i++ {
		t := trimText(lines[i].content)
		if t == "" {
			continue
		}
		// A reply's quoted header block is not a forward, unless it sits
		// inside a message that was forwarded.
		weakOK := kind != subjectReply || len(out) > 0

		if sep, rest := separatorOf(t); sep != sepNone {
			accept := sep == sepForward || weakOK
			if !accept {
				continue
			}
			if rest != "" {
				if h, ok := parseInline(rest); ok {
					out = append(out, found{start: i, bodyStart: i + 1, depth: lines[i].depth, hdr: h})
					continue
				}
			}
			j := i + 1
			for j < len(lines) && j <= i+4 && isBlank(lines[j].content) {
				j++
			}
			h, end := parseBlock(lines, j)
			need := 2
			if sep == sepForward {
				need = 1
			}
			if h.count() >= need && (sep == sepForward || h.has[fieldFrom]) {
				out = append(out, found{start: i, bodyStart: end, depth: lines[j].depth, hdr: h})
				i = end - 1
				continue
			}
			if sep == sepForward {
				// The separator alone says this is a forward, even if the
				// client printed no header fields we can read. Some
				// (Yandex, Mail.ru) print an attribution line instead:
				// `25.11.2026, 10:02, "Ivan" <ivan@example.ru>:`.
				f := found{start: i, bodyStart: i + 1, depth: lines[i].depth}
				if j < len(lines) {
					if a := trimText(lines[j].content); len(a) < 400 && strings.HasSuffix(a, ":") && strings.Contains(a, "@") {
						f.hdr, f.bodyStart, f.depth = attributionHeader(a), j+1, lines[j].depth
					}
				}
				out = append(out, f)
			}
			continue
		}

		if !weakOK {
			continue
		}
		if f, _ := headerLine(t); f != fieldFrom {
			continue
		}
		h, end := parseBlock(lines, i)
		if h.has[fieldFrom] && h.count() >= 3 && (h.has[fieldDate] || h.has[fieldSubject]) {
			out = append(out, found{start: i, bodyStart: end, depth: lines[i].depth, hdr: h})
			i = end - 1
		}
	}
	return out
}

// sepKind is how a separator line announces what follows.
type sepKind uint8

const (
	sepNone     sepKind = iota
	sepForward          // "Forwarded message", "Begin forwarded message:"
	sepOriginal         // "-----Original Message-----"
	sepRule             // a rule of underscores or dashes
)

// separatorOf classifies a trimmed line. rest is text following the
// separator on the same line (Yahoo prints the header fields there).
func separatorOf(t string) (sepKind, string) {
	t = cut(t, 4096)
	core := strings.TrimLeft(t, "-_=*~ \t")
	decorated := len(t)-len(core) >= 2
	if core == "" {
		if len(t) >= 8 {
			return sepRule, ""
		}
		return sepNone, ""
	}
	rest := ""
	if decorated {
		// The phrase ends at the next run of decoration.
		if i := indexRun(core, 3); i >= 0 {
			rest = strings.TrimSpace(strings.TrimLeft(core[i:], "-_=*~ \t"))
			core = core[:i]
		}
	}
	if !decorated && len(core) > 100 {
		return sepNone, "" // longer than any separator phrase
	}
	phrase := strings.TrimSpace(strings.TrimRight(core, "-_=*~: \t："))
	kind, _ := lookupFold(phraseIndex, phrase)
	switch kind {
	case phraseForward:
		return sepForward, rest
	case phraseOriginal:
		if decorated {
			return sepOriginal, rest
		}
		return sepNone, ""
	}
	if decorated && len(phrase) < 200 {
		// Lotus Notes "----- Forwarded by Jane Doe/ACME on 10/27/2021 -----"
		// and other decorated variants.
		for _, p := range []string{"forwarded message", "forwarded by", "original message"} {
			if containsFold(phrase, p) {
				if p == "original message" {
					return sepOriginal, rest
				}
				return sepForward, rest
			}
		}
	}
	return sepNone, ""
}

// indexRun returns the index of the first run of at least n dashes,
// underscores or equals signs in s, or -1.
func indexRun(s string, n int) int {
	run, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-', '_', '=':
			if run == 0 {
				start = i
			}
			run++
			if run >= n {
				return start
			}
		default:
			run = 0
		}
	}
	return -1
}

// header holds the raw values of one forwarded header block.
type header struct {
	from, to, cc, date, subject string
	has                         [fieldOther + 1]bool
	langs                       []string
	fromAddr                    mail.Address // set by an attribution line
}

func (h *header) count() int {
	n := 0
	for f := fieldFrom; f < fieldOther; f++ {
		if h.has[f] {
			n++
		}
	}
	return n
}

func (h *header) set(f field, v string, langs []string) {
	h.has[f] = true
	switch f {
	case fieldFrom:
		h.from = v
	case fieldTo:
		h.to = v
	case fieldCc:
		h.cc = v
	case fieldDate:
		h.date = v
	case fieldSubject:
		h.subject = v
	}
	for _, l := range langs {
		if len(h.langs) < 8 && !contains(h.langs, l) {
			h.langs = append(h.langs, l)
		}
	}
}

func (h *header) appendTo(f field, v string) {
	switch f {
	case fieldTo:
		h.to += " " + v
	case fieldCc:
		h.cc += " " + v
	}
}

// message turns the raw values into a Message (without its body).
func (h *header) message(loc *time.Location) Message {
	m := Message{
		To:       parseAddressList(h.to),
		Cc:       parseAddressList(h.cc),
		DateText: h.date,
		Subject:  h.subject,
	}
	if a, ok := h.attributionFrom(); ok {
		m.From = a
	} else if from := parseAddressList(h.from); len(from) > 0 {
		m.From = from[0]
	}
	if h.date != "" {
		m.Date, _ = parseDate(h.date, h.langs, loc)
	}
	return m
}

// parseBlock reads a header block starting at line j: consecutive lines of
// known labels at one quote depth. It returns the fields and the line after
// the block.
func parseBlock(lines []line, j int) (header, int) {
	var h header
	if j >= len(lines) {
		return h, j
	}
	depth := lines[j].depth
	last := fieldNone
	k := j
	for ; k < len(lines) && k-j < maxBlockLines; k++ {
		l := lines[k]
		if l.depth != depth {
			break
		}
		t := trimText(l.content)
		if t == "" {
			// HTML converted to text may leave a blank line between the
			// fields of one block: go on when a new field follows at once.
			if h.count() == 0 || h.count() >= 4 || k+1 >= len(lines) || lines[k+1].depth != depth {
				break
			}
			f, _ := headerLine(trimText(lines[k+1].content))
			if f == fieldNone || f == fieldOther || h.has[f] {
				break
			}
			continue
		}
		if f, v, langs := headerLineLangs(t); f != fieldNone {
			if f != fieldOther && h.has[f] {
				break // a second block starts here
			}
			h.set(f, v, langs)
			last = f
			continue
		}
		if (last == fieldTo || last == fieldCc) && strings.Contains(t, "@") {
			prev := h.to
			if last == fieldCc {
				prev = h.cc
			}
			prev = strings.TrimSpace(prev)
			indented := len(l.content) > 0 && (l.content[0] == ' ' || l.content[0] == '\t')
			if indented || strings.HasSuffix(prev, ",") || strings.HasSuffix(prev, ";") {
				h.appendTo(last, t)
				continue
			}
		}
		break
	}
	return h, k
}

// headerLine reports the field of a "Label: value" line and its value.
func headerLine(t string) (field, string) {
	f, v, _ := headerLineLangs(t)
	return f, v
}

func headerLineLangs(t string) (field, string, []string) {
	bold := strings.HasPrefix(t, "*")
	t = strings.TrimLeft(t, "*")
	limit := len(t)
	if limit > maxLabelLen {
		limit = maxLabelLen
	}
	i, w := -1, 0
	for k := 0; k < limit; {
		r, size := utf8.DecodeRuneInString(t[k:])
		if r == ':' || r == '：' {
			i, w = k, size
			break
		}
		k += size
	}
	if i <= 0 {
		return fieldNone, "", nil
	}
	label := strings.TrimSpace(strings.Trim(t[:i], "* \t"))
	info, ok := lookupFold(labelIndex, label)
	if !ok {
		return fieldNone, "", nil
	}
	v := t[i+w:]
	if bold {
		v = strings.TrimLeft(v, "*")
	}
	return info.field, strings.TrimFunc(v, isSpace), info.langs
}

// findAttribution finds a reply-style attribution ("On <date>, <name>
// <addr> wrote:") over a quoted or indented body, which is how Outlook for
// Mac forwards. Only called when the subject says the message is a forward.
func findAttribution(lines []line) (found, bool) {
	for i := 0; i < len(lines); i++ {
		t := trimText(lines[i].content)
		if t == "" || len(t) > 400 {
			continue
		}
		next := i + 1
		if !strings.HasSuffix(t, ":") {
			// Clients wrap long attributions: "...<john@example.com>\nwrote:".
			if next < len(lines) {
				u := trimText(lines[next].content)
				if u != "" && len(u) < 40 && strings.HasSuffix(u, ":") && lines[next].depth == lines[i].depth {
					t += " " + u
					next++
				}
			}
			if !strings.HasSuffix(t, ":") {
				continue
			}
		}
		if !strings.ContainsAny(t, "0123456789") || headerLabelOnly(t) {
			continue
		}
		// The body must be set off: quoted deeper or indented.
		j := next
		for j < len(lines) && isBlank(lines[j].content) {
			j++
		}
		if j >= len(lines) {
			continue
		}
		depth := lines[i].depth
		switch {
		case lines[j].depth > depth:
			h := attributionHeader(t)
			return found{start: i, bodyStart: next, depth: lines[j].depth, hdr: h}, true
		case strings.HasPrefix(lines[j].content, " ") || strings.HasPrefix(lines[j].content, "\t"):
			h := attributionHeader(t)
			return found{start: i, bodyStart: next, depth: depth, dedent: true, hdr: h}, true
		}
	}
	return found{}, false
}

// headerLabelOnly reports whether t is a "Label:" line with no value, which
// is not an attribution.
func headerLabelOnly(t string) bool {
	f, v := headerLine(t)
	return f != fieldNone && v == ""
}

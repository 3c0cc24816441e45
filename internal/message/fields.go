package message

import (
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-message/textproto"
)

// readFields fills the header-derived fields of st.m from h.
func readFields(st *state, h textproto.Header) {
	m := st.m
	m.MessageID = firstID(h.Get("Message-Id"))
	m.InReplyTo = firstID(h.Get("In-Reply-To"))
	m.References = msgIDs(h.Get("References"))
	if from := addresses(st, h, "From"); len(from) > 0 {
		m.From = from[0]
	} else if sender := addresses(st, h, "Sender"); len(sender) > 0 {
		m.From = sender[0]
	}
	m.To = addresses(st, h, "To")
	m.Cc = addresses(st, h, "Cc")
	m.ReplyTo = addresses(st, h, "Reply-To")
	m.Subject = cleanHeaderText(decodeWords(h.Get("Subject"), st.warn))
	if d := h.Get("Date"); strings.TrimSpace(d) == "" {
		st.warn("no Date header")
	} else if t, ok := parseDate(d); ok {
		m.Date = t
	} else {
		st.warn("Date %q not understood", cleanHeaderText(headerText(d, st.warn)))
	}
}

// addresses reads every field named key as one address list.
func addresses(st *state, h textproto.Header, key string) []mail.Address {
	vs := h.Values(key)
	if len(vs) == 0 {
		return nil
	}
	return parseAddressList(strings.Join(vs, ", "), key, st.warn)
}

// msgIDs returns the message ids of a Message-ID, In-Reply-To or References
// value without their angle brackets. Ids written without brackets are
// taken word by word.
func msgIDs(v string) []string {
	var ids []string
	for {
		lt := strings.IndexByte(v, '<')
		if lt < 0 {
			break
		}
		gt := strings.IndexByte(v[lt:], '>')
		if gt < 0 {
			break
		}
		if id := strings.Join(strings.Fields(v[lt+1:lt+gt]), ""); id != "" {
			ids = append(ids, id)
		}
		v = v[lt+gt+1:]
	}
	if ids != nil {
		return ids
	}
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' }) {
		if strings.Contains(f, "@") {
			ids = append(ids, strings.Trim(f, "<>"))
		}
	}
	return ids
}

func firstID(v string) string {
	ids := msgIDs(v)
	if len(ids) == 0 {
		return strings.Trim(strings.TrimSpace(v), "<>")
	}
	return ids[0]
}

// obsoleteZones are the zone names RFC 5322 section 4.3 gives offsets for;
// time.Parse reads them with offset zero.
var obsoleteZones = map[string]int{
	"UT": 0, "GMT": 0, "Z": 0, "UTC": 0,
	"EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
	"MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}

// dateLayouts are the layouts tried after net/mail.ParseDate, for dates
// that mailers write against RFC 5322.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15.04.05 -0700",
	"2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon, Jan 2 2006 15:04:05 -0700",
	"Monday, January 2, 2006 15:04:05 -0700",
	"2006-01-02T15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
}

// parseDate reads a Date header: RFC 5322 through net/mail, obsolete zone
// names with their offsets, then a few layouts seen in the wild. Dates
// without a zone are taken as UTC.
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if t, ok := parseDateFast(v); ok {
		return fixZone(t), true
	}
	if t, err := mail.ParseDate(v); err == nil {
		return fixZone(t), true
	}
	s, _ := stripComments(v)
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", ", ")), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return fixZone(t), true
		}
	}
	// A trailing zone name or junk after a valid date.
	if f := strings.Fields(s); len(f) > 1 {
		if t, err := mail.ParseDate(strings.Join(f[:len(f)-1], " ")); err == nil {
			return fixZone(t), true
		}
	}
	return time.Time{}, false
}

// fixZone gives the obsolete US zone names their offsets.
func fixZone(t time.Time) time.Time {
	name, off := t.Zone()
	if off != 0 {
		return t
	}
	if h, ok := obsoleteZones[name]; ok && h != 0 {
		y, mo, d := t.Date()
		return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, h*3600))
	}
	return t
}

// parseDateFast reads the RFC 5322 form nearly every mailer writes, with a
// numeric zone and an optional trailing comment ("Tue, 3 Mar 2026 09:15:00
// +0100 (CET)"), with one time.Parse call. net/mail.ParseDate gets there
// after trying up to 24 layouts, each failure allocating an error. The
// result is the one ParseDate gives: it cuts the date at the same place
// (the numeric zone) and uses the first of its layouts that matches, which
// for a date starting with a digit is the first layout and for one
// starting with a letter is the first with a day of week (all before it
// need a digit first). Anything else returns false, for the caller to try
// ParseDate.
func parseDateFast(v string) (time.Time, bool) {
	if v == "" || strings.IndexByte(v, '\r') >= 0 {
		return time.Time{}, false
	}
	i := strings.IndexAny(v, "+-")
	if i < 0 || len(v) < i+5 || !simpleComment(v[i+5:]) {
		return time.Time{}, false
	}
	layout := "2 Jan 2006 15:04:05 -0700"
	switch c := v[0]; {
	case c >= '0' && c <= '9':
	case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		layout = "Mon, 2 Jan 2006 15:04:05 -0700"
	default:
		return time.Time{}, false
	}
	t, err := time.Parse(layout, v[:i+5])
	return t, err == nil
}

// simpleComment reports whether s is empty or white space, or one comment
// without nested parentheses or quoted characters, possibly surrounded by
// white space: what net/mail.ParseDate skips after the zone.
func simpleComment(s string) bool {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return true
	}
	if s[0] != '(' {
		return false
	}
	end := strings.IndexAny(s[1:], "()\\")
	if end < 0 || s[1+end] != ')' {
		return false
	}
	return strings.TrimLeft(s[2+end:], " \t") == ""
}

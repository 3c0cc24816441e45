package calendar

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestParseContentLine(t *testing.T) {
	for _, tt := range []struct {
		line   string
		ok     bool
		name   string
		params []param
		value  string
	}{
		{"SUMMARY:Hello", true, "SUMMARY", nil, "Hello"},
		{"summary:lower case name", true, "SUMMARY", nil, "lower case name"},
		{"DTSTART;TZID=Europe/London:20250101T100000", true, "DTSTART",
			[]param{{"TZID", []string{"Europe/London"}}}, "20250101T100000"},
		{`DTSTART;TZID="W. Europe Standard Time":20250101T100000`, true, "DTSTART",
			[]param{{"TZID", []string{"W. Europe Standard Time"}}}, "20250101T100000"},
		{`DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin":20250101T100000`, true, "DTSTART",
			[]param{{"TZID", []string{"(UTC+01:00) Amsterdam, Berlin"}}}, "20250101T100000"},
		{"DTSTART;TZID=Amsterdam, Berlin:20250101T100000", true, "DTSTART",
			[]param{{"TZID", []string{"Amsterdam", " Berlin"}}}, "20250101T100000"},
		{`ATTENDEE;CN="A, B";ROLE=CHAIR;cn=dup:mailto:a@b.test`, true, "ATTENDEE",
			[]param{{"CN", []string{"A, B"}}, {"ROLE", []string{"CHAIR"}}}, "mailto:a@b.test"},
		{"DESCRIPTION:a:b;c", true, "DESCRIPTION", nil, "a:b;c"},
		{"X-EMPTY:", true, "X-EMPTY", nil, ""},
		{"X-EMPTY-PARAM;A=:v", true, "X-EMPTY-PARAM", []param{{"A", []string{""}}}, "v"},
		// Malformed: each would make go-ical fail or panic.
		{`ORGANIZER;CN="Ines:mailto:x@y.test`, false, "", nil, ""},
		{`LOCATION;X="a"b:Room`, false, "", nil, ""},
		{"DTSTART;TZID=Europe/London", false, "", nil, ""},
		{"DTSTART;TZID", false, "", nil, ""},
		{"DTSTART;=x:y", false, "", nil, ""},
		{"no colon here", false, "", nil, ""},
		{":value without name", false, "", nil, ""},
		{"NAME WITH SPACE:x", false, "", nil, ""},
		{`A;B=x"y:z`, false, "", nil, ""},
		{"A;B=x,", false, "", nil, ""},
	} {
		name, params, value, ok := parseContentLine(tt.line)
		if ok != tt.ok || name != tt.name || value != tt.value || !reflect.DeepEqual(params, tt.params) {
			t.Errorf("parseContentLine(%q) = %q, %v, %q, %v, want %q, %v, %q, %v",
				tt.line, name, params, value, ok, tt.name, tt.params, tt.value, tt.ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"crlf folding", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Long\r\n  line\r\n\t and tab\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
			"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Long line and tab\nEND:VEVENT\nEND:VCALENDAR\n"},
		{"bare cr", "BEGIN:VCALENDAR\rBEGIN:VEVENT\rUID:1\rEND:VEVENT\rEND:VCALENDAR\r",
			"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\n"},
		{"bom and preamble", "\uFEFFContent-Type: text/calendar\n\nbegin:vcalendar\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\ntrailing junk\n",
			"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\n"},
		{"x props and params dropped", "BEGIN:VCALENDAR\nX-MS-OLK-FORCEINSPECTOROPEN:TRUE\nX-WR-TIMEZONE:Europe/Paris\nBEGIN:VEVENT\n" +
			"ATTENDEE;X-NUM-GUESTS=0;CN=A;RSVP=TRUE:mailto:a@b.test\nX-ALT-DESC;FMTTYPE=text/html:<html>\nATTACH:data\nEND:VEVENT\nEND:VCALENDAR\n",
			"BEGIN:VCALENDAR\nX-WR-TIMEZONE:Europe/Paris\nBEGIN:VEVENT\nATTENDEE;CN=\"A\";RSVP=\"TRUE\":mailto:a@b.test\nEND:VEVENT\nEND:VCALENDAR\n"},
		{"missing ends", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nBEGIN:VALARM\nTRIGGER:-PT5M\nEND:VEVENT\n",
			"BEGIN:VCALENDAR\nBEGIN:VEVENT\nBEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n"},
		{"second calendar ignored", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:2\nEND:VEVENT\nEND:VCALENDAR\n",
			"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\n"},
	} {
		var w warnings
		got, err := normalize([]byte(tt.in), &w)
		if err != nil || got != tt.want {
			t.Errorf("normalize(%s) = %q, %v, want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestNormalizeUTF16(t *testing.T) {
	src := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Café – 会議\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	for _, little := range []bool{true, false} {
		var b []byte
		if little {
			b = []byte{0xFF, 0xFE}
		} else {
			b = []byte{0xFE, 0xFF}
		}
		for _, u := range utf16.Encode([]rune(src)) {
			if little {
				b = append(b, byte(u), byte(u>>8))
			} else {
				b = append(b, byte(u>>8), byte(u))
			}
		}
		var w warnings
		got, err := normalize(b, &w)
		if err != nil || !strings.Contains(got, "SUMMARY:Café – 会議\n") {
			t.Errorf("normalize(UTF-16, little=%v) = %q, %v, want the summary decoded", little, got, err)
		}
	}
}

func TestNormalizeDeepNesting(t *testing.T) {
	in := "BEGIN:VCALENDAR\n" + strings.Repeat("BEGIN:X\n", 10000) + "BEGIN:VEVENT\nUID:deep\nEND:VEVENT\n" +
		strings.Repeat("END:X\n", 10000) + "BEGIN:VEVENT\nUID:1\nEND:VEVENT\nEND:VCALENDAR\n"
	inv, err := Read([]byte(in))
	if err != nil {
		t.Fatalf("Read(deep nesting): %v", err)
	}
	if inv.UID != "1" {
		t.Errorf("Read(deep nesting).UID = %q, want the top-level event's %q", inv.UID, "1")
	}
}

func TestUnescapeText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`plain`, "plain"},
		{`a\, b\; c\\ d\nline\Nline`, "a, b; c\\ d\nline\nline"},
		{`Coaching\: Felix`, "Coaching: Felix"},
		{`bare, commas, stay`, "bare, commas, stay"},
		{`unknown \t escape`, `unknown \t escape`},
		{`trailing \`, `trailing \`},
		{"  spaced  ", "spaced"},
		{"crlf\r\ninside", "crlf\ninside"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
	} {
		if got := unescapeText(tt.in); got != tt.want {
			t.Errorf("unescapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeParam(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`Marcus ^'Mac^' O'Neill`, `Marcus "Mac" O'Neill`},
		{`line^nbreak`, "line\nbreak"},
		{`caret^^`, "caret^"},
		{`lone ^ caret^`, "lone ^ caret^"},
	} {
		if got := decodeParam(tt.in); got != tt.want {
			t.Errorf("decodeParam(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAddress(t *testing.T) {
	for _, tt := range []struct {
		value, email, want string
		ok                 bool
	}{
		{"mailto:Jane.Doe@Example.COM", "", "jane.doe@example.com", true},
		{"MAILTO:jane@example.com", "", "jane@example.com", true},
		{"Mailto: jane@example.com ", "", "jane@example.com", true},
		{"jane@example.com", "", "jane@example.com", true},
		{"mailto:jane%40example.com", "", "jane@example.com", true},
		{"mailto:<jane@example.com>", "", "jane@example.com", true},
		{"urn:uuid:6E1F2C4A-9B3D-4F8E-A1C2-7D5E9F0B3A61", "Jane@Example.com", "jane@example.com", true},
		{"invalid:nomail", "", "", false},
		{"mailto:", "", "", false},
		{"mailto:not an address", "", "", false},
		{"Besprechungsteilnehmer", "", "", false},
	} {
		got, ok := address(tt.value, tt.email)
		if got != tt.want || ok != tt.ok {
			t.Errorf("address(%q, %q) = %q, %v, want %q, %v", tt.value, tt.email, got, ok, tt.want, tt.ok)
		}
	}
}

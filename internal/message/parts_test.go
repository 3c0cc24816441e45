package message

import (
	"bytes"
	"io"
	"net/mail"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/emersion/go-message/charset"
)

// collect returns a warn function and the warnings it records.
func collect() (func(string, ...any), *[]string) {
	var ws []string
	return func(f string, a ...any) { ws = append(ws, f) }, &ws
}

func TestDecodeWords(t *testing.T) {
	tests := []struct {
		in, want string
		warns    bool
	}{
		{"plain subject", "plain subject", false},
		{"=?utf-8?Q?caf=C3=A9?=", "café", false},
		{"=?UTF-8?q?caf=c3=a9_cr=C3=A8me?=", "café crème", false},
		{"=?iso-8859-1?Q?a?= =?iso-8859-1?Q?b?=", "ab", false},
		{"=?iso-8859-1?Q?a?=\r\n =?iso-8859-1?Q?b?=", "ab", false},
		{"Re: =?utf-8?B?w6k=?= and text", "Re: é and text", false},
		{"=?utf-8?B?w6k?=", "é", false}, // missing padding
		{"=?UTF-8?B?5pyA57uI?=", "最终", false},
		{"=?UTF-8?B?5py=?= =?UTF-8?B?gOe7iA==?=", "最终", false}, // a character split across words
		{"=?iso-2022-jp?B?GyRCRnxLXDhsGyhC?=", "日本語", false},
		{"=?windows-1252?Q?=80?=", "€", false},
		{"=?utf-8*en?Q?hello?=", "hello", false},
		{"=?x-unknown?Q?abc?= ok", "=?x-unknown?Q?abc?= ok", true},
		{"=?utf-8?X?abc?=", "=?utf-8?X?abc?=", false},
		{"=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated", false},
		{"=?utf-8?Q?bad=ZZescape?=", "bad=ZZescape", false},
		{"raw latin1 \xe9t\xe9", "raw latin1 été", true},
		{"raw utf-8 été", "raw utf-8 été", false},
	}
	for _, tt := range tests {
		warn, ws := collect()
		got := decodeWords(tt.in, warn)
		if got != tt.want || (len(*ws) > 0) != tt.warns {
			t.Errorf("decodeWords(%q) = %q, warnings %q; want %q, warnings %v", tt.in, got, *ws, tt.want, tt.warns)
		}
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		in   string
		want string // "name <addr>" joined by "; "
	}{
		{"a@example.com", " <a@example.com>"},
		{"John Doe <John.Doe@Example.COM>", "John Doe <john.doe@example.com>"},
		{`"Doe, John" <j@x.org>, b@x.org`, "Doe, John <j@x.org>;  <b@x.org>"},
		{"Doe, John <j@x.org>", "Doe, John <j@x.org>"},
		{"John Q. Public <jqp@x.org>", "John Q. Public <jqp@x.org>"},
		{"a@x.org; b@x.org", " <a@x.org>;  <b@x.org>"},
		{"j@x.org (John Doe)", "John Doe <j@x.org>"},
		{"undisclosed-recipients:;", ""},
		{"team: a@x.org, b@x.org;, c@x.org", " <a@x.org>;  <b@x.org>;  <c@x.org>"},
		{"=?utf-8?Q?Ren=C3=A9e?= <r@x.org>", "Renée <r@x.org>"},
		{`"=?utf-8?Q?Ren=C3=A9e?=" <r@x.org>`, "Renée <r@x.org>"},
		{"<r@x.org>", " <r@x.org>"},
		{"Broken <r@x.org", "Broken <r@x.org>"},
		{"mailto:r@x.org", " <r@x.org>"},
		{`"r@x.org" <r@x.org>`, " <r@x.org>"},
		{"not an address", ""},
		{"", ""},
	}
	for _, tt := range tests {
		warn, _ := collect()
		var parts []string
		for _, a := range parseAddressList(tt.in, "To", warn) {
			parts = append(parts, a.Name+" <"+a.Address+">")
		}
		if got := strings.Join(parts, "; "); got != tt.want {
			t.Errorf("parseAddressList(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tue, 4 Mar 2025 09:12:44 +0100", "2025-03-04T09:12:44+01:00"},
		{"Tue, 04 Mar 2025 09:12:44 +0100 (CET)", "2025-03-04T09:12:44+01:00"},
		{"4 Mar 2025 09:12 -0500", "2025-03-04T09:12:00-05:00"},
		{"Tue, 4 Mar 2025 09:12:44 EST", "2025-03-04T09:12:44-05:00"},
		{"Tue, 4 Mar 2025 09:12:44 GMT", "2025-03-04T09:12:44Z"},
		{"Tue, 4 Mar 2025 09:12:44", "2025-03-04T09:12:44Z"},
		{"Tue Mar  4 09:12:44 2025", "2025-03-04T09:12:44Z"},
		{"2025-03-04T09:12:44+02:00", "2025-03-04T09:12:44+02:00"},
		{"Tue, 4 Mar 2025 09:12:44 +0100 CET", "2025-03-04T09:12:44+01:00"},
		{"Tue,4 Mar 2025 09:12:44 +0100", "2025-03-04T09:12:44+01:00"},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || got.Format(time.RFC3339) != tt.want {
			t.Errorf("parseDate(%q) = %v, %v, want %s", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "99 Foo 2025"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, true, want false", bad, got)
		}
	}
}

func TestMsgIDs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"<a@x>", []string{"a@x"}},
		{"<a@x> <b@x>\r\n <c@x>", []string{"a@x", "b@x", "c@x"}},
		{"<a@x>,<b@x>", []string{"a@x", "b@x"}},
		{"a@x", []string{"a@x"}},
		{"<a@x> (comment)", []string{"a@x"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := msgIDs(tt.in); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("msgIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseParams(t *testing.T) {
	tests := []struct {
		in, value, key, want string
	}{
		{`text/plain; charset="UTF-8"; format=flowed`, "text/plain", "charset", "UTF-8"},
		{`Text/HTML;charset=utf-8;;`, "text/html", "charset", "utf-8"},
		{`attachment; filename="a b.pdf"`, "attachment", "filename", "a b.pdf"},
		{`attachment; filename=a b.pdf`, "attachment", "filename", "a b.pdf"},
		{`attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf`, "attachment", "filename", "€ rates.pdf"},
		{`attachment; filename*=iso-8859-1'fr'caf%E9.txt`, "attachment", "filename", "café.txt"},
		{`attachment; filename*0="long "; filename*1="name.txt"`, "attachment", "filename", "long name.txt"},
		{`attachment; filename*1*=%C3%A9.txt; filename*0*=UTF-8''caf`, "attachment", "filename", "café.txt"},
		{`attachment; filename="x.txt"; filename*=UTF-8''y.txt`, "attachment", "filename", "y.txt"},
		{`image/png; name="=?UTF-8?B?w6kucG5n?="`, "image/png", "name", "é.png"},
		{`attachment; filename="unterminated.txt`, "attachment", "filename", "unterminated.txt"},
		{`attachment; filename="a.txt"; filename="b.txt"`, "attachment", "filename", "a.txt"},
		{`multipart/mixed; boundary="----=_Part_1"`, "multipart/mixed", "boundary", "----=_Part_1"},
		{`attachment; filename="C:\Docs\plan.pdf"`, "attachment", "filename", `C:\Docs\plan.pdf`},
		{`attachment; filename="say \"hi\".txt"`, "attachment", "filename", `say "hi".txt`},
	}
	for _, tt := range tests {
		warn, _ := collect()
		v, params := parseParams(tt.in, warn)
		if v != tt.value || params[tt.key] != tt.want {
			t.Errorf("parseParams(%q) = %q, %s=%q; want %q, %q", tt.in, v, tt.key, params[tt.key], tt.value, tt.want)
		}
	}
	if got := baseName(`C:\Docs\plan.pdf`); got != "plan.pdf" {
		t.Errorf("baseName = %q, want plan.pdf", got)
	}
}

func TestTransferDecoders(t *testing.T) {
	tests := []struct {
		cte, in, want string
		broken        bool
	}{
		{"base64", "aGVsbG8gd29ybGQ=", "hello world", false},
		{"base64", "aGVs\r\nbG8g\r\nd29y\r\nbGQ=", "hello world", false},
		{"BASE64", "aGVsbG8gd29ybGQ", "hello world", false},
		{"base64", "aGVs!bG8*", "hello", true},
		{"base64", "aGk=aGk=", "hihi", false},
		{"base64", "a", "", true},
		{"quoted-printable", "caf=C3=A9 =3D ok", "café = ok", false},
		{"quoted-printable", "soft=\r\nbreak", "softbreak", false},
		{"quoted-printable", "soft=  \r\nbreak", "softbreak", false},
		{"quoted-printable", "lower=c3=a9", "loweré", false},
		{"quoted-printable", "trailing   \r\nnext", "trailing\r\nnext", false},
		{"quoted-printable", "bad=ZZ and =4", "bad=ZZ and =4", true},
		{"quoted-printable", "end=", "end", false},
		{"quoted-printable", "a=\nb=0Ac", "ab\nc", false},
		{"7bit", "as is=41", "as is=41", false},
		{"", "as is", "as is", false},
	}
	for _, tt := range tests {
		// One byte at a time, so that escapes split across reads are covered.
		d, _ := transferDecoder(tt.cte, iotest.OneByteReader(strings.NewReader(tt.in)))
		got, err := io.ReadAll(d)
		if err != nil || string(got) != tt.want || d.broken() != tt.broken {
			t.Errorf("%s decode of %q = %q, broken %v, %v; want %q, broken %v", tt.cte, tt.in, got, d.broken(), err, tt.want, tt.broken)
		}
	}
	if _, known := transferDecoder("x-uuencode", strings.NewReader("")); known {
		t.Errorf("transferDecoder(x-uuencode) known = true, want false")
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		in, label, want string
		warns           bool
	}{
		{"ascii", "", "ascii", false},
		{"caf\xc3\xa9", "utf-8", "café", false},
		{"caf\xe9", "utf-8", "café", true},
		{"caf\xc3\xa9 and \xe9", "UTF-8", "café and é", true},
		{"caf\xe9", "", "café", true},
		{"caf\xe9", "us-ascii", "café", true},
		{"caf\xe9 \x80", "iso-8859-1", "café €", false},
		{"caf\xc3\xa9", "iso-8859-1", "café", true},
		{"\xcf\xf0\xe8\xe2\xe5\xf2", "windows-1251", "Привет", false},
		{"\xf0\xd2\xc9\xd7\xc5\xd4", "KOI8-R", "Привет", false},
		{"\x93\xfa\x96\x7b", "cp932", "日本", false},
		{"\x1b$BF|K\\\x1b(B", "iso-2022-jp", "日本", false},
		{"\xc4\xe3\xba\xc3", "gb2312", "你好", false},
		{"\xa7A\xa6n", "big5", "你好", false},
		{"\xbe\xc8\xb3\xe7", "ks_c_5601-1987", "안녕", false},
		{"abc\xe9", "x-unknown", "abcé", true},
		{"abc", "\"utf-8\"", "abc", false},
	}
	for _, tt := range tests {
		warn, ws := collect()
		got := decodeText([]byte(tt.in), tt.label, "text", warn)
		if got != tt.want || (len(*ws) > 0) != tt.warns {
			t.Errorf("decodeText(%q, %q) = %q, warnings %q; want %q, warnings %v", tt.in, tt.label, got, *ws, tt.want, tt.warns)
		}
	}
	if got := normalizeNewlines("\ufeffa\r\nb\rc\x00d\x07\n"); got != "a\nb\ncd\n" {
		t.Errorf("normalizeNewlines = %q, want %q", got, "a\nb\ncd\n")
	}
}

func TestDecodeFlowed(t *testing.T) {
	tests := []struct {
		in    string
		delsp bool
		want  string
	}{
		{"one \ntwo\n", false, "one two\n"},
		{"one \ntwo\n", true, "onetwo\n"},
		{"a \nb \nc\n\nd\n", false, "a b c\n\nd\n"},
		{"> quoted \n> more\nnew\n", false, "> quoted more\nnew\n"},
		{">> deep \n>> er\n> shallow\n", false, ">> deep er\n> shallow\n"},
		{"> a \nb\n", false, "> a \nb\n"},
		{" From stuffed\n", false, "From stuffed\n"},
		{"text\n-- \nsig\n", false, "text\n-- \nsig\n"},
		{">\n", false, ">\n"},
	}
	for _, tt := range tests {
		if got := decodeFlowed(tt.in, tt.delsp); got != tt.want {
			t.Errorf("decodeFlowed(%q, %v) = %q, want %q", tt.in, tt.delsp, got, tt.want)
		}
	}
}

func TestAutoReplySubject(t *testing.T) {
	auto := []string{
		"Automatic reply: Your commitments", "Auto: Your commitments", "Out of Office: Plan",
		"Out of office", "Out of Office AutoReply: Plan", "[Auto-Reply] Plan", "Autoreply: Plan",
		"Abwesenheitsnotiz: Plan", "Automatische Antwort: Plan", "Réponse automatique : Plan",
		"Respuesta automática: Plan", "Risposta automatica: Plan", "Resposta automática: Plan",
		"Automatisch antwoord: Plan", "Autosvar: Plan", "Automatiskt svar: Plan", "Automatisk svar: Plan",
		"Automaattinen vastaus: Plan", "Odpowiedź automatyczna: Plan", "Automatická odpověď: Plan",
		"Автоматический ответ: План", "Автоответ: План", "自動応答: 計画", "自動返信：計画", "自动回复: 计划",
		"自動回覆：計畫", "자동 회신: 계획", "Αυτόματη απάντηση: Σχέδιο", "Otomatik yanıt: Plan",
		"Automatikus válasz: Terv", "Răspuns automat: Plan", "OOO: back Monday", "Absent: Plan",
		"Fuera de la oficina: Plan", "Fuori ufficio: Plan",
	}
	for _, s := range auto {
		if autoReplySubject(s) == "" {
			t.Errorf("autoReplySubject(%q) = \"\", want a reason", s)
		}
	}
	human := []string{
		"Out of office next week - can we move our session?", "Re: Automatic reply settings",
		"Autosave broke my draft", "Absentee policy", "Re: Your commitments", "Automatically yours",
		"Auto insurance renewal", "",
	}
	for _, s := range human {
		if r := autoReplySubject(s); r != "" {
			t.Errorf("autoReplySubject(%q) = %q, want \"\"", s, r)
		}
	}
}

func TestAutoReplyHeaders(t *testing.T) {
	tests := []struct {
		header string
		auto   bool
	}{
		{"Auto-Submitted: auto-replied", true},
		{"Auto-Submitted: auto-generated (vacation)", true},
		{"Auto-Submitted: No", false},
		{"Auto-Submitted: no (human)", false},
		{"X-Autoreply: yes", true},
		{"X-Autorespond: Out of office", true},
		{"X-Autogenerated: Reply", true},
		{"Precedence: bulk", true},
		{"Precedence: junk", true},
		{"Precedence: auto_reply", true},
		{"Precedence: list", true},
		{"Precedence: first-class", false},
		{"X-Auto-Response-Suppress: All", false},
		{"List-Id: <leaders.lists.example.org>", false},
		{"Return-Path: <>", true},
		{"Return-Path: <a@example.org>", false},
	}
	for _, tt := range tests {
		m, err := Read(strings.NewReader(tt.header+"\r\nSubject: hi\r\n\r\nbody"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if m.AutoReply != tt.auto {
			t.Errorf("Read(%q).AutoReply = %v (%s), want %v", tt.header, m.AutoReply, m.AutoReplyReason, tt.auto)
		}
	}
}

func TestParseDeliveryStatus(t *testing.T) {
	in := "Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; A@Example.org\nAction: failed\nStatus: 5.1.1\n" +
		"Final-Recipient: rfc822;<b@example.org>\nAction: delayed\nStatus: 4.4.1\n\n" +
		"Original-Recipient: rfc822;c@example.org\nStatus: 5.0.0\n"
	got := parseDeliveryStatus(in)
	if len(got) != 3 {
		t.Fatalf("parseDeliveryStatus() = %+v, want 3 recipients", got)
	}
	want := []struct {
		addr   string
		failed bool
	}{{"a@example.org", true}, {"b@example.org", false}, {"c@example.org", true}}
	for i, w := range want {
		if got[i].addr() != w.addr || got[i].failed() != w.failed {
			t.Errorf("recipient %d = %q failed %v, want %q failed %v", i, got[i].addr(), got[i].failed(), w.addr, w.failed)
		}
	}
}

func TestMultipartCombine(t *testing.T) {
	alt := combine("alternative", []texts{
		{plain: "first", hasPlain: true},
		{plain: "  ", hasPlain: true},
		{html: "<p>h</p>", hasHTML: true},
	})
	if alt.plain != "first" || alt.html != "<p>h</p>" {
		t.Errorf("combine(alternative) = %+v, want the non-empty plain and the html", alt)
	}
	mixed := combine("mixed", []texts{{plain: "a\n", hasPlain: true}, {plain: "b", hasPlain: true}})
	if mixed.plain != "a\n\nb" {
		t.Errorf("combine(mixed) plain = %q, want %q", mixed.plain, "a\n\nb")
	}
}

func TestBrokenMultipart(t *testing.T) {
	const h = "Subject: s\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
	tests := []struct {
		name, in, text, warning string
	}{
		{"well formed", h + "pre\r\n--b\r\n\r\nfirst\r\n--b\r\n\r\nsecond\r\n--b--\r\nepilogue", "first\n\nsecond", ""},
		{"LF after CRLF", h + "--b\r\nContent-Type: text/plain\r\n\r\nfirst\n--b\nContent-Type: text/plain\n\nsecond\n--b--\n", "first\n\nsecond", ""},
		{"white space after boundary", h + "--b  \r\n\r\nfirst\r\n--b--\t\r\n", "first", ""},
		{"junk line in part header", h + "--b\r\nContent-Type: text/plain\r\njunk\r\n\r\nfirst\r\n--b\r\n\r\nsecond\r\n--b--", "junk\n\nfirst\n\nsecond", "not ended by an empty line"},
		{"part without header", h + "--b\r\nno header here\r\n--b--\r\n", "no header here", "part without header"},
		{"empty part", h + "--b\r\n--b\r\n\r\nx\r\n--b--", "x", ""},
		{"no closing boundary", h + "--b\r\n\r\nfirst\r\nmore", "first\nmore", "closing boundary"},
		{"cut inside part header", h + "--b\r\nContent-Type: text/pl", "", "closing boundary"},
		{"boundary prefix is data", h + "--b\r\n\r\n--bx is text\r\n--b--", "--bx is text", ""},
		{"no boundary at all", h + "just text\r\n", "just text\n", "not found"},
		{"closing boundary without line end", h + "--b\r\n\r\nfirst\r\n--b--", "first", ""},
	}
	for _, tt := range tests {
		m, err := Read(strings.NewReader(tt.in), Options{})
		if err != nil {
			t.Errorf("%s: Read() error = %v", tt.name, err)
			continue
		}
		ws := strings.Join(m.Warnings, "|")
		if m.Text != tt.text || tt.warning != "" && !strings.Contains(ws, tt.warning) {
			t.Errorf("%s: Text, Warnings = %q, %q; want %q, a warning with %q", tt.name, m.Text, ws, tt.text, tt.warning)
		}
	}
}

// TestParseDateFast checks that the fast path gives what net/mail.ParseDate
// gives, on the Date fields of the fixtures and on forms near its edges.
func TestParseDateFast(t *testing.T) {
	dates := []string{
		"Tue, 4 Mar 2025 09:12:44 +0100",
		"Tue, 04 Mar 2025 09:12:44 +0100 (CET)",
		"Tue, 04 Mar 2025 09:12:44 +0100  (CET)  ",
		"4 Mar 2025 09:12:44 -0500",
		"04 Mar 2025 09:12:44 +0000",
		"Tue, 4 Mar 2025 09:12 +0100",
		"Tue, 4 Mar 25 09:12:44 +0100",
		"Tue, 4 Mar 2025 09:12:44 +0100 (a (nested) comment)",
		"Tue, 4 Mar 2025 09:12:44 +0100 (\\) quoted)",
		"Tue, 4 Mar 2025 09:12:44 +0100 CET",
		"Tue, 4 Mar 2025 09:12:44 -0000",
		"Tue, 4 Mar 2025 09:12:44 +01",
		"Tue,4 Mar 2025 09:12:44 +0100",
		"tue, 4 mar 2025 09:12:44 +0100",
		"2025-03-04 09:12:44 +0100",
		"Tue, 4 Mar 2025 09:12:44 GMT",
		"Tue, 31 Feb 2025 09:12:44 +0100",
		"Tue, 4 Mar 2025 25:12:44 +0100",
		"(comment) Tue, 4 Mar 2025 09:12:44 +0100",
	}
	for _, path := range emlFiles(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Read(bytes.NewReader(raw), Options{})
		if err != nil {
			continue
		}
		dates = append(dates, m.Header.Get("Date"))
		for _, a := range m.Attached {
			dates = append(dates, a.Header.Get("Date"))
		}
	}
	fast := 0
	for _, d := range dates {
		d = strings.TrimSpace(d)
		got, ok := parseDateFast(d)
		if !ok {
			continue
		}
		fast++
		want, err := mail.ParseDate(d)
		if err != nil || !got.Equal(want) || got.Location().String() != want.Location().String() || got.Format(time.RFC3339Nano) != want.Format(time.RFC3339Nano) {
			t.Errorf("parseDateFast(%q) = %v, want %v (err %v)", d, got, want, err)
		}
	}
	if fast < len(dates)/2 {
		t.Errorf("fast path read %d of %d dates, want most", fast, len(dates))
	}
}

// TestCharmapsDecodeAsReader checks that the charsets convert decodes byte
// by byte decode as the reader of charset.Reader does.
func TestCharmapsDecodeAsReader(t *testing.T) {
	all := make([]byte, 0, 256+16)
	for c := range 256 {
		all = append(all, byte(c))
	}
	all = append(all, "caf\xe9 \xe0 \r\n"...)
	for label := range charmaps {
		got, ok := convert(label, all)
		r, err := charset.Reader(label, bytes.NewReader(all))
		if err != nil {
			t.Fatalf("charset.Reader(%q): %v", label, err)
		}
		out, _ := io.ReadAll(r)
		if want := strings.ToValidUTF8(string(out), "\uFFFD"); !ok || got != want {
			t.Errorf("convert(%q) = %q, %v, want %q", label, got, ok, want)
		}
	}
}

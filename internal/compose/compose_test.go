package compose

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"
)

const tok = "aebagbafaydqqcikbmgq2dqnbyhe4tcmrsbusdiijsg4ytm"

func sample() Message {
	return Message{
		From:             mail.Address{Name: "Northwind Coaching", Address: "coach@mail.northwind.example"},
		To:               []mail.Address{{Name: "Sam Lee", Address: "sam@example.com"}},
		IntakeDomain:     "in.northwind.example",
		ReplyToken:       tok,
		UnsubscribeToken: "u" + tok[1:],
		UnsubscribeURL:   "https://abc123.lambda-url.eu-west-1.on.aws/unsubscribe",
		Subject:          "Before our session on Tuesday",
		Date:             time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC),
		MessageID:        "prompt.s1.l1@mail.northwind.example",
		References:       []string{"invite.s1@mail.northwind.example", "brief.s0@mail.northwind.example"},
		Text:             "Hi Sam,\n\nWhat's the most important thing to work on today?\n\n-- \nNorthwind Coaching\n",
		HTML:             "<!DOCTYPE html><html><body><p>Hi Sam,</p><p>What’s the most important thing to work on today?</p></body></html>\n",
	}
}

func build(t *testing.T, m Message) []byte {
	t.Helper()
	raw, err := Build(m)
	if err != nil {
		t.Fatalf("Build = %v", err)
	}
	return raw
}

// parsed is a built message read back with go-message.
type parsed struct {
	header     gomail.Header
	text, html string
	textType   string
	htmlType   string
	encodings  []string
}

func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	r, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("go-message CreateReader = %v", err)
	}
	defer r.Close()
	p := parsed{header: r.Header}
	for {
		part, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("NextPart = %v", err)
		}
		h, ok := part.Header.(*gomail.InlineHeader)
		if !ok {
			t.Fatalf("part header %T, want an inline part", part.Header)
		}
		body, err := io.ReadAll(part.Body)
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		ct, params, _ := h.ContentType()
		p.encodings = append(p.encodings, h.Get("Content-Transfer-Encoding"))
		switch ct {
		case "text/plain":
			p.text, p.textType = string(body), ct+"; charset="+params["charset"]
		case "text/html":
			p.html, p.htmlType = string(body), ct+"; charset="+params["charset"]
		default:
			t.Errorf("unexpected part %s", ct)
		}
	}
	return p
}

func TestBuildHeaders(t *testing.T) {
	m := sample()
	raw := build(t, m)
	p := parse(t, raw)
	h := p.header

	ct, _, err := h.ContentType()
	if err != nil || ct != "multipart/alternative" {
		t.Errorf("Content-Type = %q (%v), want multipart/alternative", ct, err)
	}
	if got := h.Get("Mime-Version"); got != "1.0" {
		t.Errorf("MIME-Version = %q, want 1.0", got)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Northwind Coaching" || from[0].Address != m.From.Address {
		t.Errorf("From = %v (%v), want %v", from, err, m.From)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Sam Lee" || to[0].Address != "sam@example.com" {
		t.Errorf("To = %v (%v), want Sam Lee <sam@example.com>", to, err)
	}
	replyTo, err := h.AddressList("Reply-To")
	if want := "reply+" + tok + "@in.northwind.example"; err != nil || len(replyTo) != 1 || replyTo[0].Address != want {
		t.Errorf("Reply-To = %v (%v), want %s", replyTo, err, want)
	}
	if subject, err := h.Subject(); err != nil || subject != m.Subject {
		t.Errorf("Subject = %q (%v), want %q", subject, err, m.Subject)
	}
	if date, err := h.Date(); err != nil || !date.Equal(m.Date) {
		t.Errorf("Date = %v (%v), want %v", date, err, m.Date)
	}
	if id, err := h.MessageID(); err != nil || id != m.MessageID {
		t.Errorf("Message-ID = %q (%v), want %q", id, err, m.MessageID)
	}
	if ids, err := h.MsgIDList("In-Reply-To"); err != nil || len(ids) != 1 || ids[0] != m.References[1] {
		t.Errorf("In-Reply-To = %q (%v), want [%s]", ids, err, m.References[1])
	}
	if ids, err := h.MsgIDList("References"); err != nil || strings.Join(ids, " ") != strings.Join(m.References, " ") {
		t.Errorf("References = %q (%v), want %q", ids, err, m.References)
	}
	wantList := "<https://abc123.lambda-url.eu-west-1.on.aws/unsubscribe?t=" + m.UnsubscribeToken + ">, " +
		"<mailto:reply+" + m.UnsubscribeToken + "@in.northwind.example?subject=unsubscribe>"
	for key, want := range map[string]string{
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
		"List-Unsubscribe":         wantList,
		"List-Unsubscribe-Post":    "List-Unsubscribe=One-Click",
	} {
		if got := h.Get(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if norm(p.text) != m.Text {
		t.Errorf("text part = %q, want %q", p.text, m.Text)
	}
	if norm(p.html) != m.HTML {
		t.Errorf("html part = %q, want %q", p.html, m.HTML)
	}
	if p.textType != "text/plain; charset=utf-8" || p.htmlType != "text/html; charset=utf-8" {
		t.Errorf("part types = %q, %q, want text/plain and text/html in utf-8", p.textType, p.htmlType)
	}
	if strings.Join(p.encodings, ",") != "quoted-printable,quoted-printable" {
		t.Errorf("part encodings = %q, want quoted-printable for both", p.encodings)
	}
	// Order matters in multipart/alternative: the last part is preferred.
	if bytes.Index(raw, []byte("text/plain")) > bytes.Index(raw, []byte("text/html")) {
		t.Errorf("text/html comes before text/plain; want the HTML part last (preferred)")
	}
	checkWire(t, raw)
}

// checkWire checks the raw bytes as SMTP carries them: 7-bit, CRLF line
// ends only, no line over 998 octets (RFC 5322 section 2.1.1), and a
// header section that net/mail reads too.
func checkWire(t *testing.T, raw []byte) {
	t.Helper()
	for i, c := range raw {
		if c >= 0x80 || c == 0 {
			t.Fatalf("byte %d is %#x: want 7-bit ASCII", i, c)
		}
		if c == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d", i)
		}
		if c == '\r' && (i+1 == len(raw) || raw[i+1] != '\n') {
			t.Fatalf("bare CR at byte %d", i)
		}
	}
	for _, line := range bytes.Split(raw, []byte("\r\n")) {
		if len(line) > 998 {
			t.Fatalf("line of %d octets: %.60q…", len(line), line)
		}
	}
	if _, err := mail.ReadMessage(bytes.NewReader(raw)); err != nil {
		t.Fatalf("net/mail ReadMessage = %v", err)
	}
}

func TestBuildStdlibView(t *testing.T) {
	m := sample()
	m.From.Name = "Zoë’s Coaching, Ltd. \"Northwind\""
	m.To = []mail.Address{{Name: "Łukasz Nowak", Address: "lukasz@example.pl"}, {Address: "zoe@example.com"}}
	m.Subject = "Recap of Tuesday’s session — Zoë, 東京 " + strings.Repeat("long words wrap ", 12)
	raw := build(t, m)
	checkWire(t, raw)
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != strings.TrimSpace(m.Subject) {
		t.Errorf("net/mail Subject = %q (%v), want %q", subject, err, strings.TrimSpace(m.Subject))
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != m.From.Name {
		t.Errorf("net/mail From = %v (%v), want name %q", from, err, m.From.Name)
	}
	to, err := msg.Header.AddressList("To")
	if err != nil || len(to) != 2 || to[0].Name != "Łukasz Nowak" || to[1].Address != "zoe@example.com" {
		t.Errorf("net/mail To = %v (%v)", to, err)
	}
	if !strings.Contains(string(raw), "=?utf-8?") {
		t.Errorf("want RFC 2047 encoded-words for the non-ASCII subject and names")
	}
}

func TestBuildOptionalHeaders(t *testing.T) {
	m := sample()
	m.ReplyToken, m.UnsubscribeToken, m.UnsubscribeURL, m.References = "", "", "", nil
	h := parse(t, build(t, m)).header
	for _, key := range []string{"Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post", "In-Reply-To", "References"} {
		if h.Has(key) {
			t.Errorf("%s = %q, want it absent", key, h.Get(key))
		}
	}
	for _, key := range []string{"Auto-Submitted", "X-Auto-Response-Suppress", "Message-Id", "Date"} {
		if !h.Has(key) {
			t.Errorf("%s absent, want it on every message", key)
		}
	}
}

func TestUnsubscribeURL(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"https://u.example/unsub", "<https://u.example/unsub?t=" + tok + ">"},
		{"https://u.example/unsub?lang=en", "<https://u.example/unsub?lang=en&t=" + tok + ">"},
		{"https://u.example/unsub?t=old", "<https://u.example/unsub?t=" + tok + ">"},
		{"http://127.0.0.1:8026/unsubscribe", "<http://127.0.0.1:8026/unsubscribe?t=" + tok + ">"},
		{"http://localhost:8026/u", "<http://localhost:8026/u?t=" + tok + ">"},
		// Angle brackets and spaces cannot close the entry early: they are escaped.
		{"https://u.example/a>, <https://evil.example/", "<https://u.example/a%3E,%20%3Chttps://evil.example/?t=" + tok + ">"},
	}
	for _, test := range tests {
		m := sample()
		m.UnsubscribeToken, m.UnsubscribeURL = tok, test.url
		h := parse(t, build(t, m)).header
		if got := h.Get("List-Unsubscribe"); !strings.HasPrefix(got, test.want+", <mailto:") {
			t.Errorf("URL %q: List-Unsubscribe = %q, want it to start with %q", test.url, got, test.want)
		}
	}
}

// TestInjection puts line breaks and control characters everywhere a
// caller's data goes. Names and the subject are folded, everything else is
// refused; either way no header is added.
func TestInjection(t *testing.T) {
	inject := "x\r\nBcc: victim@example.com\r\n\r\n<html>owned"
	m := sample()
	m.From.Name = inject
	m.To[0].Name = inject + "\x00\x1b\u2028\u202e"
	m.Subject = inject + "\n\tSubject: second\r"
	raw := build(t, m)
	checkWire(t, raw)
	h := parse(t, raw).header
	for _, key := range []string{"Bcc", "Cc"} {
		if h.Has(key) {
			t.Errorf("header %s injected: %q", key, h.Get(key))
		}
	}
	if n := len(h.Values("Subject")); n != 1 {
		t.Errorf("%d Subject fields, want 1", n)
	}
	subject, _ := h.Subject()
	if want := "x Bcc: victim@example.com <html>owned Subject: second"; subject != want {
		t.Errorf("Subject = %q, want %q", subject, want)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "x Bcc: victim@example.com <html>owned" {
		t.Errorf("From = %v (%v), want the name on one line", from, err)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "sam@example.com" {
		t.Errorf("To = %v (%v), want the one address", to, err)
	}

	refused := map[string]func(*Message){
		"from address CRLF":   func(m *Message) { m.From.Address = "coach@example.com\r\nBcc: v@example.com" },
		"to address CRLF":     func(m *Message) { m.To[0].Address = "sam@example.com\r\nBcc: v@example.com" },
		"to with name syntax": func(m *Message) { m.To[0].Address = "Sam <sam@example.com>" },
		"to list":             func(m *Message) { m.To[0].Address = "sam@example.com, v@example.com" },
		"to non-ASCII":        func(m *Message) { m.To[0].Address = "zoë@example.com" },
		"to no domain":        func(m *Message) { m.To[0].Address = "sam" },
		"to bad domain":       func(m *Message) { m.To[0].Address = "sam@exa_mple.com" },
		"to literal domain":   func(m *Message) { m.To[0].Address = "sam@[127.0.0.1]" },
		"no recipients":       func(m *Message) { m.To = nil },
		"message id CRLF":     func(m *Message) { m.MessageID = "a@b\r\nBcc: v@example.com" },
		"message id brackets": func(m *Message) { m.MessageID = "<a@b>" },
		"message id no at":    func(m *Message) { m.MessageID = "ab" },
		"message id empty":    func(m *Message) { m.MessageID = "" },
		"reference with >":    func(m *Message) { m.References = []string{"a@b> <c@d"} },
		"reference CRLF":      func(m *Message) { m.References = []string{"a@b\r\nX: y"} },
		"too many references": func(m *Message) {
			m.References = strings.Split(strings.Repeat("a@b ", MaxReferences+1), " ")[:MaxReferences+1]
		},
		"reply token CRLF":      func(m *Message) { m.ReplyToken = "abc\r\nBcc: v@example.com" },
		"reply token upper":     func(m *Message) { m.ReplyToken = strings.ToUpper(tok) },
		"reply token too long":  func(m *Message) { m.ReplyToken = strings.Repeat("a", 59) },
		"unsub token with @":    func(m *Message) { m.UnsubscribeToken = "abc@evil.example" },
		"intake domain CRLF":    func(m *Message) { m.IntakeDomain = "in.example\r\nBcc: v@example.com" },
		"intake domain empty":   func(m *Message) { m.IntakeDomain = "" },
		"unsub URL CRLF":        func(m *Message) { m.UnsubscribeURL = "https://u.example/\r\nBcc: v@example.com" },
		"unsub URL plain http":  func(m *Message) { m.UnsubscribeURL = "http://u.example/unsub" },
		"unsub URL relative":    func(m *Message) { m.UnsubscribeURL = "/unsub" },
		"unsub URL javascript":  func(m *Message) { m.UnsubscribeURL = "javascript:alert(1)" },
		"unsub URL userinfo":    func(m *Message) { m.UnsubscribeURL = "https://user:pw@u.example/" },
		"unsub URL missing":     func(m *Message) { m.UnsubscribeURL = "" },
		"subject only controls": func(m *Message) { m.Subject = "\r\n\t\x00" },
		"no date":               func(m *Message) { m.Date = time.Time{} },
	}
	for name, change := range refused {
		m := sample()
		change(&m)
		raw, err := Build(m)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Build = %v, want %v", name, err, ErrInvalid)
		}
		if raw != nil {
			t.Errorf("%s: Build returned %d bytes with its error", name, len(raw))
		}
	}
}

// TestLookalikeEncodedWords checks that ASCII text shaped like an RFC 2047
// encoded-word reads back as written, not decoded into something else.
func TestLookalikeEncodedWords(t *testing.T) {
	m := sample()
	m.Subject = "=?utf-8?q?Your_account_is_closed?="
	m.From.Name = "=?utf-8?b?U3VwcG9ydA==?= team"
	p := parse(t, build(t, m))
	if got, _ := p.header.Subject(); got != m.Subject {
		t.Errorf("Subject = %q, want %q", got, m.Subject)
	}
	from, err := p.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != m.From.Name {
		t.Errorf("From = %v (%v), want name %q", from, err, m.From.Name)
	}
	in := strings.Repeat("aé東😀", 30)
	var whole strings.Builder
	dec := new(mime.WordDecoder)
	for _, w := range strings.Fields(encodeWords(in)) {
		if len(w) > 75 {
			t.Errorf("encoded-word of %d characters, want at most 75", len(w))
		}
		// Each word decodes on its own to whole characters.
		d, err := dec.Decode(w)
		if err != nil || !utf8.ValidString(d) {
			t.Errorf("encoded-word %q decodes to %q (%v): want whole UTF-8 characters", w, d, err)
		}
		whole.WriteString(d)
	}
	if whole.String() != in {
		t.Errorf("encodeWords does not round-trip: %q", whole.String())
	}
}

func TestLongSubjectAndName(t *testing.T) {
	m := sample()
	m.Subject = strings.Repeat("ü", 2000)
	m.From.Name = strings.Repeat("é", 500)
	raw := build(t, m)
	checkWire(t, raw)
	h := parse(t, raw).header
	subject, _ := h.Subject()
	if len(subject) > MaxSubjectLen || !strings.HasPrefix(m.Subject, subject) || len(subject) < MaxSubjectLen-1 {
		t.Errorf("Subject of %d bytes, want the first %d bytes at most, cut at a character", len(subject), MaxSubjectLen)
	}
	from, _ := h.AddressList("From")
	if len(from) != 1 || len(from[0].Name) > MaxNameLen || !strings.HasPrefix(m.From.Name, from[0].Name) {
		t.Errorf("From name of %d bytes, want at most %d", len(from[0].Name), MaxNameLen)
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"},
		{"aé", 3, "aé"},
		{"東京", 4, "東"},
		{"東京", 2, ""},
	}
	for _, test := range tests {
		if got := cut(test.s, test.n); got != test.want {
			t.Errorf("cut(%q, %d) = %q, want %q", test.s, test.n, got, test.want)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	m := sample()
	m.Text = strings.Repeat(m.Text, 20)
	m.HTML = strings.Repeat(m.HTML, 20)
	for b.Loop() {
		if _, err := Build(m); err != nil {
			b.Fatal(err)
		}
	}
}

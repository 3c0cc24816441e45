package message

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/htmltext"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.json golden files")

// golden is the JSON form of a reading kept in testdata.
type golden struct {
	MessageID         string       `json:"message_id"`
	InReplyTo         string       `json:"in_reply_to,omitempty"`
	References        []string     `json:"references,omitempty"`
	From              string       `json:"from"`
	To                []string     `json:"to,omitempty"`
	Cc                []string     `json:"cc,omitempty"`
	ReplyTo           []string     `json:"reply_to,omitempty"`
	Date              string       `json:"date"`
	Subject           string       `json:"subject"`
	AutoReply         bool         `json:"auto_reply"`
	AutoReplyReason   string       `json:"auto_reply_reason,omitempty"`
	Bounce            bool         `json:"bounce"`
	BouncedRecipients []string     `json:"bounced_recipients,omitempty"`
	TransientBounces  []string     `json:"transient_bounces,omitempty"`
	Text              string       `json:"text"`
	HTML              string       `json:"html,omitempty"`
	BodyText          string       `json:"body_text"`
	ReplyOnlyHTML     string       `json:"html_text_without_quotes,omitempty"`
	Calendars         []string     `json:"calendars,omitempty"`
	Attachments       []Attachment `json:"attachments,omitempty"`
	Attached          []golden     `json:"attached,omitempty"`
	Warnings          []string     `json:"warnings,omitempty"`
}

func addr(a mail.Address) string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

func addrs(as []mail.Address) []string {
	var out []string
	for _, a := range as {
		out = append(out, addr(a))
	}
	return out
}

func toGolden(m *Message) golden {
	g := golden{
		MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
		From: addr(m.From), To: addrs(m.To), Cc: addrs(m.Cc), ReplyTo: addrs(m.ReplyTo),
		Subject: m.Subject, AutoReply: m.AutoReply, AutoReplyReason: m.AutoReplyReason,
		Bounce: m.Bounce, BouncedRecipients: m.BouncedRecipients, TransientBounces: m.TransientBounces,
		Text: m.Text, HTML: m.HTML, BodyText: m.BodyText(),
		Attachments: m.Attachments, Warnings: m.Warnings,
	}
	if !m.Date.IsZero() {
		g.Date = m.Date.Format(time.RFC3339)
	}
	if m.HTML != "" {
		g.ReplyOnlyHTML = htmltext.Convert(m.HTML, htmltext.Options{DropQuotes: true})
	}
	for _, c := range m.Calendars {
		g.Calendars = append(g.Calendars, string(c))
	}
	for _, a := range m.Attached {
		g.Attached = append(g.Attached, toGolden(a))
	}
	return g
}

func emlFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.eml: %v", err)
	}
	return files
}

func TestGolden(t *testing.T) {
	for _, path := range emlFiles(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Read(bytes.NewReader(raw), Options{})
			if err != nil {
				t.Fatalf("Read(%s) error = %v", path, err)
			}
			got, err := json.MarshalIndent(toGolden(m), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			want := strings.TrimSuffix(path, ".eml") + ".json"
			if *update {
				if err := os.WriteFile(want, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			w, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/message -update)", err)
			}
			if !bytes.Equal(got, w) {
				t.Errorf("Read(%s) differs from %s (run with -update to rewrite):\ngot:\n%s", path, want, got)
			}
		})
	}
}

// TestGoldenFacts checks, independently of the golden files, the facts each
// fixture was written to show, so that -update cannot bless a regression.
func TestGoldenFacts(t *testing.T) {
	read := func(name string) *Message {
		t.Helper()
		raw, err := os.ReadFile(filepath.Join("testdata", name+".eml"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := Read(bytes.NewReader(raw), Options{})
		if err != nil {
			t.Fatalf("Read(%s) error = %v", name, err)
		}
		return m
	}
	contains := func(name, field, got, want string) {
		t.Helper()
		if !strings.Contains(got, want) {
			t.Errorf("%s: %s = %q, want it to contain %q", name, field, got, want)
		}
	}
	hasWarning := func(name string, m *Message, want string) {
		t.Helper()
		for _, w := range m.Warnings {
			if strings.Contains(w, want) {
				return
			}
		}
		t.Errorf("%s: Warnings = %q, want one containing %q", name, m.Warnings, want)
	}

	texts := []struct{ name, subject, text string }{
		{"gmail-reply-utf8", "Re: Your commitments — week 10", "1 done — the hiring plan"},
		{"outlook-desktop-windows1252", "RE: Session notes", "That’s right – I’ll talk to the CFO"},
		{"latin1-8bit-french", "Décisions de la séance", "J'ai décidé de déléguer la préparation du comité à Élodie."},
		{"windows1251-base64-russian", "Итоги сессии", "Я решила поговорить с финансовым директором"},
		{"koi8r-qp-russian", "Ответ: задачи", "2 ещё нет, бюджет заморожен"},
		{"shiftjis-base64-japanese", "セッションのまとめ", "来週までに採用計画を取締役会に提出することにしました。"},
		{"iso2022jp-7bit-japanese", "Re: 次回のセッション", "木曜日で大丈夫です。"},
		{"gb18030-chinese", "会议纪要", "决定：下周一之前完成预算审查。"},
		{"big5-qp-chinese", "回覆：承諾事項", "3 放棄"},
		{"euckr-outlook-korean", "회의 결과", "다음 주까지 채용 계획을 완료하겠습니다."},
		{"broken-charset-lie-utf8", "Re: séance", "J'ai décidé de parler à l'équipe lundi. € 40k budget confirmé."},
		{"broken-charset-lie-latin1", "Decisione", "parlerò con il direttore finanziario entro venerdì. Così"},
		{"broken-base64", "Broken base64", "The plan is approved. Action: send the minutes by Monday"},
		{"broken-boundary-not-found", "Boundary mismatch", "Action: share the plan with the team by Friday."},
		{"broken-header-no-blank-line", "No separator", "Decision taken: we hire two engineers."},
		{"broken-unknown-charset", "=?x-unknown?Q?H=E4lsningar?= och mål", "Målet är klart."},
		{"mbox-lf-split-words", "最终决定", "LF line endings."},
		{"apple-mail-flowed", "Re: Next session", "reorganisation plan and the notes from my talk with Jonas.\n"},
		{"thunderbird-flowed", "Re: Reflection questions", "Die Entscheidung fällt mir schwer"},
		{"apple-mixed-inline-image", "Whiteboard", "from today:\n\nThe top row"},
	}
	for _, tt := range texts {
		m := read(tt.name)
		if m.Subject != tt.subject {
			t.Errorf("%s: Subject = %q, want %q", tt.name, m.Subject, tt.subject)
		}
		contains(tt.name, "BodyText()", m.BodyText(), tt.text)
	}

	m := read("gmail-reply-utf8")
	if m.From.Address != "renee.dupre@gmail.com" || m.From.Name != "Renée Dupré" {
		t.Errorf("gmail-reply-utf8: From = %+v, want Renée Dupré <renee.dupre@gmail.com>", m.From)
	}
	if m.InReplyTo != "coach-42@coachmail.example" || len(m.References) != 2 {
		t.Errorf("gmail-reply-utf8: InReplyTo, References = %q, %q", m.InReplyTo, m.References)
	}
	if got := htmltext.Convert(m.HTML, htmltext.Options{DropQuotes: true}); strings.Contains(got, "committed") {
		t.Errorf("gmail-reply-utf8: quote kept with DropQuotes: %q", got)
	}

	m = read("outlook-desktop-windows1252")
	if m.From.Name != "O'Brien, Siobhan" || len(m.Cc) != 1 {
		t.Errorf("outlook-desktop-windows1252: From, Cc = %+v, %+v", m.From, m.Cc)
	}
	if m.AutoReply {
		t.Errorf("outlook-desktop-windows1252: AutoReply = true (%s), want false: X-Auto-Response-Suppress is no marker", m.AutoReplyReason)
	}
	if got := htmltext.Convert(m.HTML, htmltext.Options{DropQuotes: true}); strings.Contains(got, "COO") || !strings.Contains(got, "Costs: €12k.") {
		t.Errorf("outlook-desktop-windows1252: DropQuotes text = %q", got)
	}

	m = read("html-only-newsletter")
	body := m.BodyText()
	contains("html-only-newsletter", "BodyText()", body, "- Agree on the outcome, not the method")
	contains("html-only-newsletter", "BodyText()", body, "Outcome | Low")
	contains("html-only-newsletter", "BodyText()", body, "our site — or reply & tell us.")
	for _, hidden := range []string{"Three habits of leaders", "track()", "Digest", ".x{"} {
		if strings.Contains(body, hidden) {
			t.Errorf("html-only-newsletter: BodyText() contains hidden %q", hidden)
		}
	}
	if m.AutoReply {
		t.Errorf("html-only-newsletter: AutoReply = true (%s), want false: List-Id alone is no marker", m.AutoReplyReason)
	}

	m = read("attachments-rfc2231")
	wantAtt := []Attachment{
		{"Relatório março.pdf", "application/pdf", 3009, false},
		{"IMG_0042.JPG", "image/jpeg", 5004, true},
		{"actions.csv", "text/csv", 40, false},
	}
	if len(m.Attachments) != len(wantAtt) {
		t.Fatalf("attachments-rfc2231: Attachments = %+v, want %+v", m.Attachments, wantAtt)
	}
	for i, a := range m.Attachments {
		if a != wantAtt[i] {
			t.Errorf("attachments-rfc2231: Attachments[%d] = %+v, want %+v", i, a, wantAtt[i])
		}
	}
	if strings.Contains(m.Text, "who,what") || strings.Contains(m.Text, "PDF") {
		t.Errorf("attachments-rfc2231: attachment content in Text: %q", m.Text)
	}

	m = read("forward-as-attachment")
	if len(m.Attached) != 1 || m.Attached[0].From.Address != "lena.hoffmann@example.de" ||
		!strings.Contains(m.Attached[0].Text, "Jonas leads the new unit") {
		t.Errorf("forward-as-attachment: Attached = %+v", m.Attached)
	}
	contains("forward-as-attachment", "Text", m.Text, "Notes for Lena's file")

	for _, name := range []string{"outlook-calendar-invite", "gmail-calendar-invite"} {
		m = read(name)
		if len(m.Calendars) != 1 || !strings.Contains(string(m.Calendars[0]), "BEGIN:VEVENT") {
			t.Errorf("%s: Calendars = %q, want one VEVENT", name, m.Calendars)
		}
	}

	m = read("tnef-winmail")
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "winmail.dat" {
		t.Errorf("tnef-winmail: Attachments = %+v", m.Attachments)
	}
	hasWarning("tnef-winmail", m, "TNEF")

	bounces := []struct {
		name string
		want []string
	}{
		{"dsn-postfix", []string{"leader@gone.example"}},
		{"dsn-exchange", []string{"first.leader@contoso.example", "second.leader@contoso.example"}},
		{"dsn-gmail", []string{"nobody@nonexistent.example"}},
		{"bounce-qmail", []string{"former.leader@old.example"}},
	}
	for _, tt := range bounces {
		m = read(tt.name)
		if !m.Bounce || strings.Join(m.BouncedRecipients, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: Bounce, BouncedRecipients = %v, %q, want true, %q", tt.name, m.Bounce, m.BouncedRecipients, tt.want)
		}
	}
	m = read("dsn-delayed")
	if m.Bounce || !m.AutoReply {
		t.Errorf("dsn-delayed: Bounce, AutoReply = %v, %v, want false, true", m.Bounce, m.AutoReply)
	}

	auto := map[string]bool{
		"autoreply-exchange-en": true, "autoreply-german-subject": true,
		"autoreply-french-autosubmitted": true, "autoreply-spanish-xautoreply": true,
		"autoreply-japanese-subject": true, "autoreply-gmail-vacation": true,
		"autoreply-swedish-precedence": true, "mdn-read-receipt": true,
		"not-autoreply-list-id": false, "gmail-reply-utf8": false, "iphone-reply": false,
	}
	for name, want := range auto {
		if m := read(name); m.AutoReply != want {
			t.Errorf("%s: AutoReply = %v (%s), want %v", name, m.AutoReply, m.AutoReplyReason, want)
		}
	}

	hasWarning("broken-charset-lie-utf8", read("broken-charset-lie-utf8"), "not valid UTF-8")
	hasWarning("broken-charset-lie-utf8", read("broken-charset-lie-utf8"), "broken quoted-printable")
	hasWarning("broken-charset-lie-latin1", read("broken-charset-lie-latin1"), "is UTF-8")
	hasWarning("broken-base64", read("broken-base64"), "broken base64")
	hasWarning("broken-truncated-multipart", read("broken-truncated-multipart"), "closing boundary")
	hasWarning("broken-boundary-not-found", read("broken-boundary-not-found"), "not found")
	hasWarning("broken-header-no-blank-line", read("broken-header-no-blank-line"), "empty line")
	hasWarning("broken-unknown-charset", read("broken-unknown-charset"), "unknown charset")
	hasWarning("broken-deep-nesting", read("broken-deep-nesting"), "nested deeper")

	m = read("uncommon-headers-and-dates")
	if got := m.Date.Format(time.RFC3339); got != "2025-04-08T10:00:00-07:00" {
		t.Errorf("uncommon-headers-and-dates: Date = %s, want 2025-04-08T10:00:00-07:00", got)
	}
	if got := strings.Join(addrs(m.Cc), "; "); got != "a@example.com; B. Person <b@example.com>; Charlie C <c@example.com>" {
		t.Errorf("uncommon-headers-and-dates: Cc = %q", got)
	}
	if m.From.Name != "Smith, John" || m.From.Address != "john.smith@example.com" || len(m.To) != 0 {
		t.Errorf("uncommon-headers-and-dates: From, To = %+v, %+v", m.From, m.To)
	}
	if m.MessageID != "without-brackets@example.com" || len(m.References) != 3 {
		t.Errorf("uncommon-headers-and-dates: MessageID, References = %q, %q", m.MessageID, m.References)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		want error
	}{
		{"empty", "", Options{}, ErrNotMessage},
		{"blank lines", "\r\n\r\n\n", Options{}, ErrNotMessage},
		{"no header", "Hello, this is just text.\nMore text.\n", Options{}, ErrNotMessage},
		{"binary", "\x00\x01\x02\xff\xfe", Options{}, ErrNotMessage},
		{"too large", "Subject: x\r\n\r\n" + strings.Repeat("a", 2000), Options{MaxSize: 1000}, ErrTooLarge},
	}
	for _, tt := range tests {
		m, err := Read(strings.NewReader(tt.in), tt.opts)
		if !errors.Is(err, tt.want) || m != nil {
			t.Errorf("%s: Read() = %v, %v, want nil, %v", tt.name, m, err, tt.want)
		}
	}
	if ErrTooLarge.Error() != "message: too large" {
		t.Errorf("ErrTooLarge = %q, want %q", ErrTooLarge, "message: too large")
	}
}

func TestReadMinimal(t *testing.T) {
	tests := []struct {
		name, in, text string
	}{
		{"header only", "Subject: hi", ""},
		{"header and empty body", "Subject: hi\r\n\r\n", ""},
		{"bare LF", "Subject: hi\n\nbody\n", "body\n"},
		{"mbox line", "From someone Mon Jan  1 00:00:00 2024\nSubject: hi\n\nbody", "body"},
		{"exact size limit", "Subject: hi\n\n12345", "12345"},
	}
	for _, tt := range tests {
		m, err := Read(strings.NewReader(tt.in), Options{MaxSize: int64(len(tt.in))})
		if err != nil {
			t.Errorf("%s: Read() error = %v", tt.name, err)
			continue
		}
		if m.Subject != "hi" || m.Text != tt.text {
			t.Errorf("%s: Subject, Text = %q, %q, want %q, %q", tt.name, m.Subject, m.Text, "hi", tt.text)
		}
	}
}

func TestLimits(t *testing.T) {
	many := "Subject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
	for range 20 {
		many += "--b\r\nContent-Type: application/octet-stream\r\n\r\nxx\r\n"
	}
	many += "--b--\r\n"
	m, err := Read(strings.NewReader(many), Options{MaxParts: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 5 || !strings.Contains(strings.Join(m.Warnings, "|"), "more than 5 parts") {
		t.Errorf("MaxParts 5: %d attachments, warnings %q, want 5 and a warning", len(m.Attachments), m.Warnings)
	}

	header := "Subject: big\r\n" + strings.Repeat("X-Filler: "+strings.Repeat("y", 100)+"\r\n", 100) + "From: late@example.com\r\n\r\nbody"
	m, err = Read(strings.NewReader(header), Options{MaxHeaderBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "big" || m.From.Address != "" || m.Text != "body" {
		t.Errorf("MaxHeaderBytes 2000: Subject, From, Text = %q, %q, %q, want big, \"\", body", m.Subject, m.From.Address, m.Text)
	}

	nested := "Subject: nest\r\nContent-Type: message/rfc822\r\n\r\n"
	for range 5 {
		nested += "Subject: inner\r\nContent-Type: message/rfc822\r\n\r\n"
	}
	nested += "Subject: last\r\n\r\ntext"
	m, err = Read(strings.NewReader(nested), Options{MaxDepth: 3})
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for cur := m; len(cur.Attached) > 0; cur = cur.Attached[0] {
		depth++
	}
	if depth != 3 {
		t.Errorf("MaxDepth 3: attached depth = %d, want 3", depth)
	}

	m, err = Read(strings.NewReader("Subject: x\r\n\r\n"+strings.Repeat("a", 5000)), Options{MaxTextBytes: 1000})
	if err != nil || len(m.Text) != 1000 || !strings.Contains(strings.Join(m.Warnings, "|"), "longer than 1000 bytes") {
		t.Errorf("MaxTextBytes 1000: Read() = %d bytes of text, %q, %v, want 1000 and a warning", len(m.Text), m.Warnings, err)
	}

	m, err = Read(strings.NewReader("Subject: x\r\n\r\n"+strings.Repeat("a", 5000)), Options{MaxSize: -1})
	if err != nil || len(m.Text) != 5000 {
		t.Errorf("MaxSize -1: Read() = %d bytes of text, %v, want 5000, nil", len(m.Text), err)
	}
}

// errReader fails after its data.
type errReader struct {
	data string
	err  error
}

func (e *errReader) Read(p []byte) (int, error) {
	if e.data == "" {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

func TestReadPropagatesReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Read(&errReader{data: "Subject: x\r\n\r\nbody", err: boom}, Options{})
	if !errors.Is(err, boom) {
		t.Errorf("Read(failing reader) error = %v, want it to wrap %v", err, boom)
	}
}

func TestBodyText(t *testing.T) {
	tests := []struct {
		m    Message
		want string
	}{
		{Message{Text: "plain", HTML: "<p>html</p>"}, "plain"},
		{Message{Text: " \n", HTML: "<p>html</p>"}, "html"},
		{Message{HTML: "<p>a<br>b</p>"}, "a\nb"},
		{Message{}, ""},
	}
	for _, tt := range tests {
		if got := tt.m.BodyText(); got != tt.want {
			t.Errorf("BodyText(%q, %q) = %q, want %q", tt.m.Text, tt.m.HTML, got, tt.want)
		}
	}
}

func TestPermanentStatus(t *testing.T) {
	for status, want := range map[string]bool{
		"5.1.1": true, "5.1.10": true, "5.2.1": true, "5.4.4": true, "5.4.1": true, "5.0.0": true, "": true, "garbled": true,
		"5.2.2": false, "5.2.3": false, "5.3.4": false, "5.7.1": false, "5.5.0": false, "4.2.2": false, "4.4.7": false,
		" 5.1.1 (user unknown)": true,
	} {
		if got := permanentStatus(status); got != want {
			t.Errorf("permanentStatus(%q) = %v, want %v", status, got, want)
		}
	}
}

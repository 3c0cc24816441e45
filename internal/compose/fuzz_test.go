package compose

import (
	"bytes"
	"errors"
	"net/mail"
	"testing"
)

// FuzzBuild builds messages whose display names, subject and bodies are
// arbitrary: Build must not panic, and whatever it builds must parse back
// with exactly the headers it writes, the subject and names on one line,
// and the bodies intact up to line ends.
func FuzzBuild(f *testing.F) {
	f.Add("Northwind Coaching", "Sam Lee", "Before our session on Tuesday", "Hi Sam,\n", "<p>Hi</p>")
	f.Add("x\r\nBcc: v@example.com", "\x00", "=?utf-8?q?evil?=\r\nX: y", "\r\n.\r\n", "")
	f.Add("Zoë’s \"Coaching\"", "東京", "Recap — Zoë", "a=b\n", "<a href=x>")
	f.Fuzz(func(t *testing.T, fromName, toName, subject, text, html string) {
		m := sample()
		m.From.Name, m.To[0].Name, m.Subject, m.Text, m.HTML = fromName, toName, subject, text, html
		raw, err := Build(m)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Build = %v, want nil or %v", err, ErrInvalid)
			}
			return
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("net/mail ReadMessage = %v", err)
		}
		want := map[string]bool{
			"From": true, "To": true, "Reply-To": true, "Subject": true, "Date": true,
			"Message-Id": true, "In-Reply-To": true, "References": true,
			"Auto-Submitted": true, "X-Auto-Response-Suppress": true,
			"List-Unsubscribe": true, "List-Unsubscribe-Post": true,
			"Mime-Version": true, "Content-Type": true,
		}
		for key, values := range msg.Header {
			if !want[key] || len(values) != 1 {
				t.Fatalf("header %s = %q: not one of ours, or repeated", key, values)
			}
		}
		if len(msg.Header) != len(want) {
			t.Fatalf("%d header fields, want %d", len(msg.Header), len(want))
		}
		p := parse(t, raw)
		if got, want := mustSubject(t, p), cut(oneLine(subject), MaxSubjectLen); got != want {
			t.Fatalf("Subject = %q, want %q", got, want)
		}
		from, err := p.header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != cut(oneLine(fromName), MaxNameLen) {
			t.Fatalf("From = %v (%v), want name %q", from, err, cut(oneLine(fromName), MaxNameLen))
		}
		if norm(p.text) != norm(text) || norm(p.html) != norm(html) {
			t.Fatalf("bodies changed: text %q → %q, html %q → %q", text, p.text, html, p.html)
		}
	})
}

func mustSubject(t *testing.T, p parsed) string {
	t.Helper()
	s, err := p.header.Subject()
	if err != nil {
		t.Fatalf("Subject: %v", err)
	}
	return s
}

// norm makes line ends comparable: in a text part every line end, CRLF or
// a lone CR or LF, travels as CRLF.
func norm(s string) string {
	b := bytes.ReplaceAll([]byte(s), []byte("\r\n"), []byte("\n"))
	return string(bytes.ReplaceAll(b, []byte("\r"), []byte("\n")))
}

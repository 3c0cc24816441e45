package forward

import (
	"net/mail"
	"strings"
	"testing"
	"time"
)

func TestParseNotForward(t *testing.T) {
	tests := []struct {
		name, subject, body string
	}{
		{"empty", "", ""},
		{"plain", "Notes", "We agreed on three actions.\nFrom now on, Alex runs the stand-up."},
		{"reply quote under Re", "Re: Plan", "Fine by me.\n\n-----Original Message-----\nFrom: Alex <alex@example.com>\nSent: Monday, November 23, 2026 9:00 AM\nTo: Sam <sam@example.com>\nSubject: Plan\n\nOK?"},
		{"bare block under Re", "AW: Plan", "Passt.\n\nVon: Alex <alex@example.com>\nGesendet: Montag, 23. November 2026 09:00\nAn: Sam <sam@example.com>\nBetreff: Plan\n\nOK?"},
		{"attribution without Fwd", "Plan", "Fine.\n\nOn Mon, Nov 23, 2026 at 9:00 AM Alex <alex@example.com> wrote:\n> OK?"},
		{"one header line", "Fwd: x", "From: the board, with love\n\nnothing else"},
		{"rule only", "", "text\n________________________________\nmore text"},
	}
	for _, tt := range tests {
		res, ok := Parse(tt.subject, tt.body)
		if ok || len(res.Forwarded) != 0 {
			t.Errorf("%s: Parse = %+v, %v, want no forward", tt.name, res, ok)
		}
	}
}

func TestParseExplicitSeparatorUnderReply(t *testing.T) {
	// An explicit forward separator counts even in a reply.
	body := "See below.\n\n---------- Forwarded message ---------\nFrom: Alex <alex@example.com>\nDate: Mon, Nov 23, 2026 at 9:00 AM\nSubject: Plan\nTo: Sam <sam@example.com>\n\nThe plan."
	res, ok := Parse("Re: Plan", body)
	if !ok || len(res.Forwarded) != 1 {
		t.Fatalf("Parse = %+v, %v, want one forward", res, ok)
	}
	if got, want := res.Forwarded[0].From, (mail.Address{Name: "Alex", Address: "alex@example.com"}); got != want {
		t.Errorf("From = %v, want %v", got, want)
	}
	if got, want := res.Message, "See below."; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
}

func TestParseInLocation(t *testing.T) {
	body := "---------- Forwarded message ---------\nFrom: Alex <alex@example.com>\nDate: Wed, Nov 25, 2026 at 10:02 AM\nSubject: Plan\nTo: Sam <sam@example.com>\n\nThe plan."
	ny := time.FixedZone("EST", -5*3600)
	res, ok := ParseIn("Fwd: Plan", body, ny)
	if !ok {
		t.Fatal("ParseIn: no forward")
	}
	want := time.Date(2026, 11, 25, 15, 2, 0, 0, time.UTC)
	if got := res.Forwarded[0].Date; !got.Equal(want) {
		t.Errorf("Date = %v, want %v", got, want)
	}
	if res, _ := ParseIn("Fwd: Plan", body, nil); !res.Forwarded[0].Date.Equal(time.Date(2026, 11, 25, 10, 2, 0, 0, time.UTC)) {
		t.Errorf("ParseIn(nil loc) Date = %v, want UTC", res.Forwarded[0].Date)
	}
}

func TestParseUnreadableDateKeepsText(t *testing.T) {
	body := "---------- Forwarded message ---------\nFrom: Alex <alex@example.com>\nDate: sometime last week\nSubject: Plan\n\nThe plan."
	res, ok := Parse("Fwd: Plan", body)
	if !ok {
		t.Fatal("Parse: no forward")
	}
	m := res.Forwarded[0]
	if !m.Date.IsZero() || m.DateText != "sometime last week" {
		t.Errorf("Date, DateText = %v, %q, want zero, %q", m.Date, m.DateText, "sometime last week")
	}
}

func TestParseSeparatorWithoutHeaders(t *testing.T) {
	res, ok := Parse("", "Look:\n\nBegin forwarded message:\n\nThe notes, pasted.")
	if !ok || len(res.Forwarded) != 1 {
		t.Fatalf("Parse = %+v, %v, want one forward", res, ok)
	}
	if got, want := res.Forwarded[0].Body, "The notes, pasted."; got != want {
		t.Errorf("Body = %q, want %q", got, want)
	}
}

func TestParseWrappedRecipients(t *testing.T) {
	body := "________________________________\nFrom: Alex <alex@example.com>\nSent: Wednesday, November 25, 2026 10:02\nTo: Sam <sam@example.com>; Ann <ann@example.com>;\n    Bob <bob@example.com>\nSubject: Plan\n\nThe plan."
	res, ok := Parse("FW: Plan", body)
	if !ok {
		t.Fatal("Parse: no forward")
	}
	var got []string
	for _, a := range res.Forwarded[0].To {
		got = append(got, a.Address)
	}
	if want := "sam@example.com ann@example.com bob@example.com"; strings.Join(got, " ") != want {
		t.Errorf("To = %v, want %s", got, want)
	}
}

func TestParseBounds(t *testing.T) {
	one := "---------- Forwarded message ---------\nFrom: A <a@example.com>\nDate: Wed, 25 Nov 2026 10:02:00 +0000\nSubject: s\n\nbody\n\n"
	res, ok := Parse("Fwd: s", strings.Repeat(one, MaxMessages+20))
	if !ok || len(res.Forwarded) != MaxMessages {
		t.Fatalf("got %d messages, want %d", len(res.Forwarded), MaxMessages)
	}
	last := res.Forwarded[MaxMessages-1].Body
	if n := strings.Count(last, "Forwarded message"); n != 20 {
		t.Errorf("last body holds %d further separators, want 20", n)
	}

	huge := "Fwd text\n" + strings.Repeat("x", MaxBodySize)
	res, ok = Parse("Fwd: s", one+huge)
	if !ok {
		t.Fatal("Parse(huge): no forward")
	}
	if n := len(res.Forwarded[0].Body); n > MaxBodySize {
		t.Errorf("body of %d bytes, want at most %d", n, MaxBodySize)
	}

	res, ok = Parse("Fwd: s", strings.Repeat("\n", 2*maxLines)+one)
	if ok {
		t.Errorf("a forward after %d lines was read, want it left unexamined", 2*maxLines)
	}
}

func TestParseQuotedInsideBody(t *testing.T) {
	// A reply quoted inside the forwarded message stays in its body.
	body := "---------- Forwarded message ---------\nFrom: Alex <alex@example.com>\nDate: Wed, Nov 25, 2026 at 10:02 AM\nSubject: Re: Plan\nTo: Sam <sam@example.com>\n\nYes.\n\nOn Tue, Nov 24, 2026 at 9:00 AM Sam <sam@example.com> wrote:\n> Is the plan ready?"
	res, ok := Parse("Fwd: Re: Plan", body)
	if !ok || len(res.Forwarded) != 1 {
		t.Fatalf("Parse = %+v, %v, want one forward", res, ok)
	}
	want := "Yes.\n\nOn Tue, Nov 24, 2026 at 9:00 AM Sam <sam@example.com> wrote:\n> Is the plan ready?"
	if got := res.Forwarded[0].Body; got != want {
		t.Errorf("Body = %q, want %q", got, want)
	}
}

func TestParseBlankLinesInBlock(t *testing.T) {
	// HTML converted to text can put each field in its own paragraph.
	body := "________________________________\n\nFrom: Alex <alex@example.com>\n\nSent: Wednesday, November 25, 2026 10:02\n\nTo: Sam <sam@example.com>\n\nSubject: Plan\n\nThe plan."
	res, ok := Parse("FW: Plan", body)
	if !ok {
		t.Fatal("Parse: no forward")
	}
	m := res.Forwarded[0]
	if m.Subject != "Plan" || m.Body != "The plan." || len(m.To) != 1 || m.Date.IsZero() {
		t.Errorf("Parse = %+v, want subject Plan, body \"The plan.\", one To, a date", m)
	}
}

func TestParseAttributionAfterSeparator(t *testing.T) {
	body := "Смотри ниже.\n\n-------- Пересылаемое сообщение --------\n25.11.2026, 10:02, \"Иван Петров\" <Ivan@example.ru>:\n\nРешение: делегировать отчёт.\n\n-------- Конец пересылаемого сообщения --------\n"
	res, ok := Parse("Fwd: Отчёт", body)
	if !ok || len(res.Forwarded) != 1 {
		t.Fatalf("Parse = %+v, %v, want one forward", res, ok)
	}
	m := res.Forwarded[0]
	if want := (mail.Address{Name: "Иван Петров", Address: "ivan@example.ru"}); m.From != want {
		t.Errorf("From = %v, want %v", m.From, want)
	}
	if want := time.Date(2026, 11, 25, 10, 2, 0, 0, time.UTC); !m.Date.Equal(want) {
		t.Errorf("Date(%q) = %v, want %v", m.DateText, m.Date, want)
	}
	if want := "Решение: делегировать отчёт."; m.Body != want {
		t.Errorf("Body = %q, want %q", m.Body, want)
	}
	if want := "Отчёт"; m.Subject != want {
		t.Errorf("Subject = %q, want %q", m.Subject, want)
	}
}

func TestParseGmailBoldName(t *testing.T) {
	// Gmail's text part marks the sender's name with asterisks.
	body := "---------- Forwarded message ---------\nFrom: *Alex Morgan* <alex@example.com>\nDate: Wed, Nov 25, 2026 at 10:02 AM\nSubject: Plan\nTo: Sam <sam@example.com>\n\nThe plan."
	res, _ := Parse("Fwd: Plan", body)
	if len(res.Forwarded) != 1 || res.Forwarded[0].From.Name != "Alex Morgan" {
		t.Errorf("Parse = %+v, want From name Alex Morgan", res)
	}
}

func TestParseProtonDate(t *testing.T) {
	body := "------- Forwarded Message -------\nFrom: Alex <alex@example.com>\nDate: On Wednesday, November 25th, 2026 at 10:02 AM\nSubject: Plan\nTo: Sam <sam@example.com>\n\nThe plan."
	res, _ := Parse("Fwd: Plan", body)
	if want := time.Date(2026, 11, 25, 10, 2, 0, 0, time.UTC); len(res.Forwarded) != 1 || !res.Forwarded[0].Date.Equal(want) {
		t.Errorf("Parse = %+v, want date %v", res, want)
	}
}

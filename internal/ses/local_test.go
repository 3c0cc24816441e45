package ses_test

import (
	"context"
	"errors"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/compose"
	"github.com/coachmail/coachmail/internal/ses"
	"github.com/coachmail/coachmail/internal/sestest"
	"github.com/coachmail/coachmail/internal/token"
	"github.com/coachmail/coachmail/templates"
)

// TestSendLocal sends a composed prompt through the SDK to the local SES
// server and reads it back as the server's MIME parser saw it.
func TestSendLocal(t *testing.T) {
	endpoint := sestest.Start(t)
	ctx := context.Background()
	sender := ses.New(sestest.Client(endpoint), "coachmail-test")

	tm, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	email, err := tm.Prompt(templates.Prompt{
		LeaderName: "Zoë", CoachName: "Alex Morgan", Practice: "Northwind Coaching",
		SessionStart: time.Date(2026, 3, 3, 14, 0, 0, 0, time.UTC),
		Commitments:  []string{"Talk to Priya <about> the reorg & more", "Draft the hiring plan"},
	})
	if err != nil {
		t.Fatal(err)
	}
	kr, err := token.NewKeyring("k1", map[string][]byte{"k1": []byte("0123456789abcdef0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	expires := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	reply, _ := kr.Sign(token.Token{ID: token.NewID(), Purpose: token.Prompt, Expires: expires})
	unsub, _ := kr.Sign(token.Token{ID: token.NewID(), Purpose: token.Unsubscribe, Expires: expires})
	msg := compose.Message{
		From:             mail.Address{Name: "Northwind Coaching", Address: "coach@mail.northwind.example"},
		To:               []mail.Address{{Name: "Zoë Ng", Address: "zoe@example.com"}},
		IntakeDomain:     "in.northwind.example",
		ReplyToken:       reply,
		UnsubscribeToken: unsub,
		UnsubscribeURL:   "https://unsub.northwind.example/u",
		Subject:          email.Subject + " — Zoë",
		Date:             time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC),
		MessageID:        "prompt.s1@mail.northwind.example",
		Text:             email.Text,
		HTML:             email.HTML,
	}
	raw, err := compose.Build(msg)
	if err != nil {
		t.Fatal(err)
	}
	id, err := sender.Send(ctx, msg.From.Address, []string{"zoe@example.com"}, raw)
	if err != nil {
		t.Fatalf("Send = %v", err)
	}

	got, err := sestest.Messages(ctx, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("server holds %d messages, want 1", len(got))
	}
	m := got[0]
	if m.MessageID != id {
		t.Errorf("stored message id = %q, want Send's %q", m.MessageID, id)
	}
	if want := `"Northwind Coaching" <coach@mail.northwind.example>`; m.From != want {
		t.Errorf("From = %q, want %q", m.From, want)
	}
	if want := "reply+" + reply + "@in.northwind.example"; len(m.ReplyTo) != 1 || !strings.Contains(m.ReplyTo[0], want) {
		t.Errorf("Reply-To = %q, want %q", m.ReplyTo, want)
	}
	if len(m.Destination.To) != 1 || m.Destination.To[0] != `"Zoë Ng" <zoe@example.com>` {
		t.Errorf(`To = %q, want ["Zoë Ng" <zoe@example.com>]`, m.Destination.To)
	}
	if m.Subject != msg.Subject {
		t.Errorf("Subject = %q, want %q", m.Subject, msg.Subject)
	}
	if strings.TrimRight(m.Body.Text, "\n") != strings.TrimRight(email.Text, "\n") {
		t.Errorf("text body = %q, want %q", m.Body.Text, email.Text)
	}
	if strings.TrimSpace(m.Body.HTML) != strings.TrimSpace(email.HTML) {
		t.Errorf("HTML body differs from the template's:\n%s", m.Body.HTML)
	}
	for _, want := range []string{"  1. Talk to Priya <about> the reorg & more", "  2. Draft the hiring plan", "Hi Zoë,"} {
		if !strings.Contains(m.Body.Text, want) {
			t.Errorf("text body lacks %q", want)
		}
	}
	if !strings.Contains(m.Body.HTML, "Talk to Priya &lt;about&gt; the reorg &amp; more") {
		t.Errorf("HTML body lacks the escaped commitment")
	}

	if err := sestest.Clear(ctx, endpoint); err != nil {
		t.Fatal(err)
	}
	if got, err := sestest.Messages(ctx, endpoint); err != nil || len(got) != 0 {
		t.Errorf("after Clear: %d messages (%v), want none", len(got), err)
	}
}

// TestSendLocalErrors checks the classification of the real server's
// answers: a message it refuses is permanent, a server that is not there
// is temporary.
func TestSendLocalErrors(t *testing.T) {
	endpoint := sestest.Start(t)
	ctx := context.Background()

	sender := ses.New(sestest.Client(endpoint), "")
	_, err := sender.Send(ctx, "coach@example.com", []string{"sam@example.com"}, []byte("Subject: no From header\r\n\r\nbody\r\n"))
	if !errors.Is(err, ses.ErrPermanent) {
		t.Errorf("Send of a message without From = %v, want %v", err, ses.ErrPermanent)
	}

	// A port nobody listens on: the connection is refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	_, err = ses.New(sestest.Client(closed), "").Send(ctx, "coach@example.com", []string{"sam@example.com"}, []byte("From: coach@example.com\r\n\r\nx\r\n"))
	if !errors.Is(err, ses.ErrTemporary) {
		t.Errorf("Send to a closed port = %v, want %v", err, ses.ErrTemporary)
	}
}

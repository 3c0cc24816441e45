package reading

import (
	"context"
	"fmt"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/forward"
	"github.com/coachmail/coachmail/internal/reply"
	"github.com/coachmail/coachmail/tools/peerbench/corpus"
)

// corpusTarget is the share of the shared corpus, wrapped into whole
// messages, whose reading must match what the package tests expect of the
// bare fixture (the same target as theirs).
const corpusTarget = 0.97

func replyCorpus(t testing.TB) []corpus.Reply {
	t.Helper()
	rs, err := corpus.Replies(filepath.Join("..", "reply", "testdata", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func forwardCorpus(t testing.TB) []corpus.Forward {
	t.Helper()
	cs, err := corpus.Forwards(context.Background(), filepath.Join("..", "forward"))
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestReplyCorpus wraps every fixture of the shared email-reply-parser
// corpus as a leader's reply to a prompt (quoted-printable, base64 or 8bit
// in turn) and checks the whole reading: it is a plain reply from the
// leader, its reply text is exactly what package reply extracts from the
// bare fixture (nothing is lost or added on the way through MIME), and it
// is the text a person reads there (package reply's want files).
func TestReplyCorpus(t *testing.T) {
	rs := replyCorpus(t)
	pass := 0
	for i, r := range rs {
		rd, err := ReadBytes(corpus.ReplyMessage(r, i), Options{})
		if err != nil {
			t.Errorf("%s: Read: %v", r.Name, err)
			continue
		}
		if rd.From != "dana.whitfield@northwind.example" || rd.AutoReply || rd.Bounce || len(rd.Attachments) != 0 || rd.Invite != nil {
			t.Errorf("%s: from %q, auto_reply %v, bounce %v, %d attachments, invite %v; want a plain reply from the leader",
				r.Name, rd.From, rd.AutoReply, rd.Bounce, len(rd.Attachments), rd.Invite)
		}
		if want := reply.Extract(strings.ReplaceAll(r.Input, "\r\n", "\n")); rd.ReplyText != want {
			t.Errorf("%s (%s): reply_text differs from reply.Extract of the bare fixture:\n%s\n--- want ---\n%s",
				r.Name, corpus.EncodingFor(i), rd.ReplyText, want)
		}
		if rd.ReplyText == r.Want {
			pass++
		} else {
			t.Logf("%s: reply_text is not what a person reads:\n%s\n--- want ---\n%s", r.Name, rd.ReplyText, r.Want)
		}
	}
	rate := float64(pass) / float64(len(rs))
	t.Logf("reply corpus as whole messages: %d/%d = %.1f%%", pass, len(rs), 100*rate)
	if rate < corpusTarget {
		t.Errorf("reply corpus pass rate %.1f%%, want at least %.0f%%", 100*rate, 100*corpusTarget)
	}
}

// TestForwardCorpus wraps every case of the shared email-forward-parser
// corpus as a coach's forward to the notes address (its subject fixture as
// Subject where it has one) and checks the reading's forwarded entries
// against package forward's corpus expectations, the same fields by the
// same rules, plus the instant of each first forwarded Date. The reading
// must also agree field for field with forward.Parse on the bare fixture.
func TestForwardCorpus(t *testing.T) {
	cs := forwardCorpus(t)
	pass := 0
	for i, c := range cs {
		rd, err := ReadBytes(corpus.ForwardMessage(c, i), Options{})
		if err != nil {
			t.Errorf("%s: Read: %v", c.Name, err)
			continue
		}
		errs := c.Check(gotForward(rd))
		if len(rd.Forwarded) > 0 && c.Date != "" {
			want, err := time.Parse(time.RFC3339, c.Date)
			if err != nil {
				t.Fatalf("%s: bad expected date %q", c.Name, c.Date)
			}
			if got, err := time.Parse(time.RFC3339, rd.Forwarded[0].Date); err != nil || !got.Equal(want) {
				errs = append(errs, "date = "+rd.Forwarded[0].Date+", want "+c.Date)
			}
		}
		if len(errs) == 0 {
			pass++
		} else {
			t.Logf("%s:\n  %s", c.Name, strings.Join(errs, "\n  "))
		}
		res, ok := forward.Parse(strings.TrimSpace(c.Subject), c.Body)
		if msg := sameAsParse(rd, res, ok); msg != "" {
			t.Errorf("%s (%s): reading differs from forward.Parse of the bare fixture: %s", c.Name, corpus.EncodingFor(i), msg)
		}
	}
	rate := float64(pass) / float64(len(cs))
	t.Logf("forward corpus as whole messages: %d/%d = %.1f%%", pass, len(cs), 100*rate)
	if rate < corpusTarget {
		t.Errorf("forward corpus pass rate %.1f%%, want at least %.0f%%", 100*rate, 100*corpusTarget)
	}
}

// gotForward is what a reading found in a forward, in the corpus's terms.
func gotForward(rd *Reading) corpus.Got {
	g := corpus.Got{Forwarded: len(rd.Forwarded) > 0, Message: rd.ForwarderText}
	if !g.Forwarded {
		return g
	}
	f := rd.Forwarded[0]
	g.From = mail.Address{Address: f.From}
	g.To, g.Cc = bare(f.To), bare(f.Cc)
	g.Subject, g.Body, g.DateText = f.Subject, f.Text, f.Date
	for _, e := range rd.Forwarded {
		g.Nested = append(g.Nested, e.From)
	}
	return g
}

func bare(list []string) []mail.Address {
	out := make([]mail.Address, 0, len(list))
	for _, a := range list {
		out = append(out, mail.Address{Address: a})
	}
	return out
}

// sameAsParse says how rd's forwarded entries differ from what
// forward.Parse read in the bare fixture, or "" when they agree.
func sameAsParse(rd *Reading, res forward.Result, ok bool) string {
	if !ok {
		if len(rd.Forwarded) != 0 {
			return "reading found a forward, forward.Parse none"
		}
		return ""
	}
	if len(rd.Forwarded) != len(res.Forwarded) {
		return fmt.Sprintf("forwarded entries: reading %d, forward.Parse %d", len(rd.Forwarded), len(res.Forwarded))
	}
	if rd.ForwarderText != res.Message {
		return fmt.Sprintf("forwarder text %q, forward.Parse %q", rd.ForwarderText, res.Message)
	}
	for i, f := range res.Forwarded {
		g := rd.Forwarded[i]
		want := Forwarded{From: strings.ToLower(f.From.Address), To: lower(f.To), Cc: lower(f.Cc), Subject: f.Subject, Text: f.Body}
		if !f.Date.IsZero() {
			want.Date = f.Date.Format(time.RFC3339)
		}
		if g.From != want.From || strings.Join(g.To, ",") != strings.Join(want.To, ",") ||
			strings.Join(g.Cc, ",") != strings.Join(want.Cc, ",") || g.Subject != want.Subject || g.Text != want.Text || g.Date != want.Date {
			return fmt.Sprintf("entry %d: reading %+v, forward.Parse %+v", i, g, want)
		}
	}
	return ""
}

func lower(list []mail.Address) []string {
	out := []string{}
	for _, a := range list {
		if a.Address != "" {
			out = append(out, strings.ToLower(a.Address))
		}
	}
	return out
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/coaching"
	"github.com/coachmail/coachmail/internal/outbox"
	"github.com/coachmail/coachmail/internal/reading"
)

// TestLoad runs a small load, 10 leaders × 5 sessions, end to end: on the
// embedded store, and on DynamoDB Local as well when tools/dynamodb-local
// runs one (make test).
func TestLoad(t *testing.T) {
	stores := map[string]string{"embedded": ""}
	if ep := os.Getenv(endpointEnv); ep != "" {
		stores["dynamodb-local"] = ep
	}
	for name, endpoint := range stores {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			cfg := config{Leaders: 10, Sessions: 5, Clients: 3, Workers: 4, Endpoint: endpoint, Timeout: 2 * time.Minute}
			res, err := run(context.Background(), cfg, &out)
			if err != nil || res.Errors != 0 {
				t.Fatalf("run(%+v) = %d errors, %v; output:\n%s", cfg, res.Errors, err, out.String())
			}
			var got []string
			for _, p := range res.Phases {
				got = append(got, fmt.Sprintf("%s %d/%d", p.Name, p.Count, p.Errors))
				if p.Count > 0 && (p.Elapsed <= 0 || len(p.Times) != p.Count) {
					t.Errorf("phase %s: %d messages, %d times, elapsed %s; want a time for each", p.Name, p.Count, len(p.Times), p.Elapsed)
				}
			}
			want := []string{"setup: add session 50/0", "dispatch: prompt to outbox 50/0", "replies: SMTP to stored 50/0"}
			if !slices.Equal(got, want) {
				t.Errorf("phases = %q, want %q", got, want)
			}
			for _, line := range []string{
				"check: every due prompt sent once: 50 records sent, outbox 50, unique Message-IDs 50, each to its leader; a second dispatch sent 0",
				"check: every reply stored once: 50 replies accepted, 50 focus answers, 50 sessions answered once, 0 twice or more, 0 missing, 0 without their reply's words, 0 with the quoted prompt; 0 quarantined; 50 raw messages kept",
				"errors: 0",
			} {
				if !strings.Contains(out.String(), line+"\n") {
					t.Errorf("output lacks %q:\n%s", line, out.String())
				}
			}
		})
	}
}

func TestCheckSent(t *testing.T) {
	email := func(id string, kind coaching.EmailKind, state coaching.EmailState, msgID string) coaching.ScheduledEmail {
		return coaching.ScheduledEmail{ID: id, Kind: kind, State: state, MessageID: msgID}
	}
	msg := func(id, to string) outbox.Message {
		return outbox.Message{MessageID: id, Envelope: outbox.Envelope{To: []string{to}}}
	}
	want := map[string]string{"s1": "a@x.example", "s2": "b@x.example", "s3": "c@x.example", "s4": "d@x.example", "s5": "e@x.example"}
	records := map[string][]coaching.ScheduledEmail{
		"s1": {email("p1", coaching.EmailPrompt, coaching.EmailSent, "m1"), email("b1", coaching.EmailBrief, coaching.EmailPending, "")},
		"s2": {email("p2", coaching.EmailPrompt, coaching.EmailSent, "m2"), email("b2", coaching.EmailBrief, coaching.EmailPending, "")},
		"s3": {email("p3", coaching.EmailPrompt, coaching.EmailClaimed, "m3"), email("b3", coaching.EmailBrief, coaching.EmailPending, "")},
		"s4": {email("p4", coaching.EmailPrompt, coaching.EmailSent, "m4"), email("b4", coaching.EmailBrief, coaching.EmailSent, "m4b")},
		"s5": {email("p5", coaching.EmailPrompt, coaching.EmailSent, "m5"), email("b5", coaching.EmailBrief, coaching.EmailPending, "")},
	}
	msgs := []outbox.Message{
		msg("m1", "A@x.example"),
		msg("m2", "b@x.example"), msg("m2", "b@x.example"), // sent twice
		msg("m4", "d@x.example"), msg("m4b", "coach@x.example"), // a brief before its time
		msg("m5", "a@x.example"), // to someone else
		msg("m9", "z@x.example"), // no record
	}
	var failures []string
	sent := checkSent(want, records, msgs, func(f string, args ...any) { failures = append(failures, fmt.Sprintf(f, args...)) })
	for _, w := range []string{
		"session s2: prompt <m2> is in the outbox 2 times",
		"session s3: prompt p3 is claimed, want sent",
		"session s4: brief b4 is sent before it is due",
		"session s5: prompt <m5> went to [a@x.example], want e@x.example",
		"outbox holds <m9> 1 times, which no record says was sent",
		"outbox holds <m4b> 1 times",
	} {
		if !slices.ContainsFunc(failures, func(f string) bool { return strings.Contains(f, w) }) {
			t.Errorf("failures lack %q; got:\n%s", w, strings.Join(failures, "\n"))
		}
	}
	if len(failures) != 6 {
		t.Errorf("%d failures, want 6:\n%s", len(failures), strings.Join(failures, "\n"))
	}
	if got := sent["s1"]; got != "m1" {
		t.Errorf("sent[s1] = %q, want m1 (addresses compare without case)", got)
	}

	failures = nil
	checkSent(map[string]string{"s1": "a@x.example"}, map[string][]coaching.ScheduledEmail{"s1": records["s1"]}, msgs[:1],
		func(f string, args ...any) { failures = append(failures, fmt.Sprintf(f, args...)) })
	if len(failures) != 0 {
		t.Errorf("a clean dispatch fails: %q", failures)
	}
}

func TestCheckAnswers(t *testing.T) {
	exp := func(marker string) expected {
		return expected{leaderID: "l1", marker: marker, quoted: []string{"What's the most important thing to work on today?"}}
	}
	fa := func(session, text string) coaching.FocusAnswer {
		return coaching.FocusAnswer{SessionID: session, LeaderID: "l1", Text: text, MessageID: "in-" + session}
	}
	want := map[string]expected{"s1": exp("Atlas-1"), "s2": exp("Beacon-2"), "s3": exp("Cobalt-3"), "s4": exp("Delta-4"), "s5": exp("Ember-5"), "s6": exp("Falcon-6")}
	got := []coaching.FocusAnswer{
		fa("s1", "The Atlas-1 rollout."),
		fa("s2", "The Beacon-2 rollout."), fa("s2", "The Beacon-2 rollout."),
		fa("s4", "The Delta-4 rollout.\n\nOn Sun, Robin wrote:\n> What's the most important thing to work on today?"),
		fa("s5", "The Falcon-6 rollout."),
		{SessionID: "s6", LeaderID: "l2", Text: "Falcon-6", MessageID: "in-s6"},
		fa("zz", "not ours"),
	}
	var failures []string
	c := checkAnswers(want, got, func(f string, args ...any) { failures = append(failures, fmt.Sprintf(f, args...)) })
	if wantC := (answerCounts{once: 4, more: 1, missing: 1, wrong: 1, quoted: 1}); c != wantC {
		t.Errorf("checkAnswers counts = %+v, want %+v", c, wantC)
	}
	for _, w := range []string{
		`session "zz", which is not one of the load's`,
		"session s2: 2 focus answers stored",
		"session s3: no focus answer stored",
		"session s4: focus answer", "holds the prompt's line",
		"session s5: focus answer \"The Falcon-6 rollout.\" does not name Ember-5",
		"session s6: focus answer of leader l2, want l1",
	} {
		if !slices.ContainsFunc(failures, func(f string) bool { return strings.Contains(f, w) }) {
			t.Errorf("failures lack %q; got:\n%s", w, strings.Join(failures, "\n"))
		}
	}
}

func TestStats(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	if got, want := stats(ds), (summaryStats{p50: 50 * time.Millisecond, p99: 99 * time.Millisecond}); got != want {
		t.Errorf("stats(1..100 ms) = %+v, want %+v", got, want)
	}
	if ds[0] != 100*time.Millisecond {
		t.Errorf("stats sorted its argument")
	}
	if got, want := stats([]time.Duration{3 * time.Second}), (summaryStats{p50: 3 * time.Second, p99: 3 * time.Second}); got != want {
		t.Errorf("stats(3s) = %+v, want %+v", got, want)
	}
	if got := stats(nil); got != (summaryStats{}) {
		t.Errorf("stats(nil) = %+v, want zeros", got)
	}
}

// TestReplyStyles reads each client's reply back as the inbound handler
// does: the text taken as the answer must be the leader's, without the
// quoted prompt, and the reply must thread to the prompt.
func TestReplyStyles(t *testing.T) {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	l := leader{name: "Dana Lee", email: "dana.lee.3@harbourworks.example", zone: "America/New_York", loc: loc}
	p := prompt{
		From: "Northwind Coaching <coaching@coachmail.localhost>", ReplyTo: "reply+abcdefghijklmnop@coachmail.localhost",
		Subject: "Before our session on Monday", MessageID: "prompt-1@coachmail.localhost", Refs: []string{"earlier-0@coachmail.localhost"},
		Date: time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC),
		Text: "Hi Dana,\n\nWe meet on Monday 7 December at 10:00 EST. I always open with one question, so here it is early:\n\n    What's the most important thing to work on today?\n\nA few lines are plenty; just reply to this email.\n\nRobin Ellis\n",
		HTML: "<p>Hi Dana,</p><p>We meet on Monday 7 December at 10:00 EST. I always open with one question, so here it is early:</p><blockquote>What&#39;s the most important thing to work on today?</blockquote><p>A few lines are plenty; just reply to this email.</p><p>Robin Ellis</p>",
	}
	at := time.Date(2026, 12, 6, 16, 0, 0, 0, time.UTC)
	for n, st := range styles {
		t.Run(st.name, func(t *testing.T) {
			text, marker := answer(n + 1)
			m := compose(p, l, text, n, at)
			if m.from != l.email || m.rcpt != p.ReplyTo {
				t.Errorf("envelope = %s → %s, want %s → %s", m.from, m.rcpt, l.email, p.ReplyTo)
			}
			rd, err := reading.ReadBytes(m.raw, reading.Options{Now: at})
			if err != nil {
				t.Fatalf("read %s reply: %v\n%s", st.name, err, m.raw)
			}
			if rd.From != l.email || rd.Message.InReplyTo != p.MessageID || !slices.Equal(rd.Message.References, append(p.Refs, p.MessageID)) {
				t.Errorf("From %q, In-Reply-To %q, References %q; want %s, %s, %v then it", rd.From, rd.Message.InReplyTo, rd.Message.References, l.email, p.MessageID, p.Refs)
			}
			if rd.Subject != "Re: "+p.Subject {
				t.Errorf("Subject = %q, want %q", rd.Subject, "Re: "+p.Subject)
			}
			if !strings.Contains(rd.ReplyText, marker) {
				t.Errorf("reply text %q lacks %s", rd.ReplyText, marker)
			}
			for _, q := range promptLines(p.Text) {
				if strings.Contains(rd.ReplyText, q) {
					t.Errorf("reply text %q holds the prompt's line %q", rd.ReplyText, q)
				}
			}
			if len(rd.Warnings) > 0 {
				t.Logf("warnings: %q", rd.Warnings)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	ok := config{Leaders: 1, Sessions: 1, Clients: 1, Workers: 1, Timeout: time.Minute}
	for _, c := range []struct {
		change func(*config)
		valid  bool
	}{
		{func(*config) {}, true},
		{func(c *config) { c.Endpoint = "http://127.0.0.1:8000" }, true},
		{func(c *config) { c.Endpoint = "http://localhost:8000" }, true},
		{func(c *config) { c.Endpoint = "http://[::1]:8000" }, true},
		{func(c *config) { c.Endpoint = "https://dynamodb.eu-west-1.amazonaws.com" }, false},
		{func(c *config) { c.Endpoint = "http://10.0.0.5:8000" }, false},
		{func(c *config) { c.Leaders = 0 }, false},
		{func(c *config) { c.Clients = 0 }, false},
		{func(c *config) { c.Timeout = 0 }, false},
	} {
		cfg := ok
		c.change(&cfg)
		if err := cfg.validate(); (err == nil) != c.valid {
			t.Errorf("validate(%+v) = %v, want valid %v", cfg, err, c.valid)
		}
	}
}

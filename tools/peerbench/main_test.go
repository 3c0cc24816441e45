package main

import (
	"bytes"
	"context"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coachmail/coachmail/internal/reading"
	"github.com/coachmail/coachmail/tools/peerbench/corpus"
)

func TestScoreReplies(t *testing.T) {
	replies := []corpus.Reply{{Name: "a", Want: "Hi\n\nThanks"}, {Name: "b", Want: "Yes"}}
	var r row
	outputs := []string{"Hi  \r\nThanks\r\n", "No"}
	scoreReplies(&r, replies, func(i int) string { return outputs[i] })
	if r.pass != 1 || r.n != 2 || strings.Join(r.failures, ",") != "b" {
		t.Errorf("scoreReplies = %d/%d, failures %v; want 1/2, failures [b]", r.pass, r.n, r.failures)
	}
}

// TestForwardViews checks that the three views of a forward (forward.Parse,
// a reading, a peer's JSON) are judged alike on a real corpus case.
func TestForwardViews(t *testing.T) {
	cases, err := corpus.Forwards(context.Background(), filepath.Join("..", "..", "internal", "forward"))
	if err != nil {
		t.Fatal(err)
	}
	var c corpus.Forward
	for _, fc := range cases {
		if fc.Name == "gmail_en_body_variant_2" {
			c = fc
		}
	}
	if c.Body == "" {
		t.Fatal("gmail_en_body_variant_2 not in the corpus")
	}
	rd, err := reading.ReadBytes(corpus.ForwardMessage(c, 0), reading.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if errs := c.Check(gotFromReading(rd)); len(errs) != 0 {
		t.Errorf("reading of %s: %v", c.Name, errs)
	}
	peer := peerForwardResult{Forwarded: true, Message: c.Message, From: peerAddress(*c.From), Subject: c.WantSubject, Body: c.Text + "\n", Date: "Wed, Oct 27, 2021"}
	for _, a := range c.To {
		peer.To = append(peer.To, peerAddress(a))
	}
	for _, a := range c.Cc {
		peer.Cc = append(peer.Cc, peerAddress(a))
	}
	if errs := c.Check(gotFromPeer(peer)); len(errs) != 0 {
		t.Errorf("peer view of the expectation: %v", errs)
	}
	peer.From = peerAddress(mail.Address{Name: "Someone", Address: c.From.Address})
	if errs := c.Check(gotFromPeer(peer)); len(errs) == 0 {
		t.Errorf("a peer's wrong From name passes, want a failure")
	}
	if errs := c.Check(gotFromReading(nil)); len(errs) == 0 {
		t.Errorf("no reading passes, want a failure")
	}
}

func TestPrintTable(t *testing.T) {
	var b bytes.Buffer
	printTable(&b, []row{
		{tool: "ours", task: "reply", pass: 9, n: 10, nsPerMsg: 10_000},
		{tool: "peer", task: "reply", pass: 5, n: 10, nsPerMsg: 250_000},
	})
	out := b.String()
	for _, want := range []string{"9/10 = 90.0%", "5/10 = 50.0%", "100000", "4000", "25.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestRunStartup(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"-startup"}, &out, &errOut); code != 0 || out.Len() != 0 {
		t.Errorf("run -startup = %d, %q, %q; want 0 and nothing", code, out.String(), errOut.String())
	}
	if code := run(context.Background(), []string{"-nope"}, &out, &errOut); code != 2 {
		t.Errorf("run -nope = %d, want 2", code)
	}
}

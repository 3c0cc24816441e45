package reading

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coachmail/coachmail/internal/message"
)

var listed = []string{"Draft the hiring plan", "Talk to Priya about the budget", "Block two hours for strategy"}

// TestStatusText covers how answers written under quoted commitments get
// the number of the commitment they answer, and when nothing is added.
func TestStatusText(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{
			name: "inline answers under numbered quotes",
			body: "On Wed, Sam wrote:\n> What matters most?\n\nMarco.\n\n> 1. Draft the hiring plan\n\nDone.\n\n> 2. Talk to Priya about the budget\n\nNot yet, she is away.\n",
			want: "Marco.\n\n1 Done.\n\n2 Not yet, she is away.",
		},
		{
			name: "inline answers under quoted texts of the list",
			body: "> Draft the hiring plan\ndone\n> Block two hours for strategy\ndropped\n",
			want: "1 done\n\n3 dropped",
		},
		{
			name: "bottom-posted under a list is about the whole prompt",
			body: "On Wed, Sam wrote:\n> 1. Draft the hiring plan\n> 2. Talk to Priya about the budget\n\nAll done, and I want to talk about Marco.\n",
			want: "",
		},
		{
			name: "top-posted",
			body: "1 done, 2 not yet\n\nOn Wed, Sam wrote:\n> 1. Draft the hiring plan\n",
			want: "",
		},
		{
			name: "a number beyond the list is not a reference",
			body: "> 7. Something else\nok\n> 1. Draft the hiring plan\ndone\n",
			want: "ok\n\n1 done",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const sentinel = "(reply text)"
			got := statusText(&message.Message{Text: tc.body}, sentinel, listed)
			want := tc.want
			if want == "" {
				want = sentinel
			}
			if got != want {
				t.Errorf("statusText(%q) = %q, want %q", tc.body, got, want)
			}
		})
	}
}

// TestReadInlineStatus reads a whole inline reply: the status updates come
// from the answers between the quoted commitments.
func TestReadInlineStatus(t *testing.T) {
	raw := "From: Dana <dana@example.com>\r\nTo: reply+abc@in.example\r\nSubject: Re: prompt\r\nDate: Wed, 11 Mar 2026 20:00:00 +0000\r\n\r\n" +
		"> 1. Draft the hiring plan\r\n\r\nDone, sent on Monday.\r\n\r\n> 2. Talk to Priya about the budget\r\n\r\nNot yet.\r\n\r\n> 3. Block two hours for strategy\r\n\r\nDropped.\r\n"
	rd, err := ReadBytes([]byte(raw), Options{Commitments: listed})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(rd.StatusUpdates)
	want := "[{1 done sent on Monday} {2 not_done } {3 dropped }]"
	if got != want {
		t.Errorf("status updates = %s, want %s", got, want)
	}
	if rd.ReplyText != "Done, sent on Monday.\n\nNot yet.\n\nDropped." {
		t.Errorf("reply text = %q, want the three answers", rd.ReplyText)
	}
}

// TestReadInviteHasNoNotes checks that an invitation's text yields neither
// outcomes nor status updates, whatever it says.
func TestReadInviteHasNoNotes(t *testing.T) {
	raw := "From: Sam <sam@example.com>\r\nTo: notes@in.example\r\nSubject: Moved\r\nDate: Thu, 12 Mar 2026 10:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n1 done. Will send the agenda by Friday.\r\n" +
		"--b\r\nContent-Type: text/calendar; method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:u1\r\nDTSTART:20260319T100000Z\r\nDTEND:20260319T110000Z\r\nORGANIZER:mailto:sam@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n--b--\r\n"
	rd, err := ReadBytes([]byte(raw), Options{Commitments: listed})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Invite == nil || rd.Invite.UID != "u1" {
		t.Fatalf("invite = %+v, want UID u1", rd.Invite)
	}
	if len(rd.Items) != 0 || len(rd.StatusUpdates) != 0 {
		t.Errorf("items %v, status updates %v; want none for an invitation", rd.Items, rd.StatusUpdates)
	}
}

// TestReadNotAMessage checks the one failure Read has: input that is not a
// message at all.
func TestReadNotAMessage(t *testing.T) {
	for _, in := range []string{"", "\x00\x01\x02 binary", strings.Repeat("no header line here ", 10)} {
		rd, err := Read(strings.NewReader(in), Options{})
		if err == nil {
			t.Errorf("Read(%q) = %+v, want an error", in, rd)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("Read(%q) error %q, want one line", in, err)
		}
	}
}

// TestReadNowForUndated checks that due dates of a message without a Date
// are resolved against Options.Now.
func TestReadNowForUndated(t *testing.T) {
	raw := "From: Sam <sam@example.com>\r\nTo: notes@in.example\r\nSubject: notes\r\n\r\nAction: send the plan by Friday.\r\n"
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC) // a Tuesday
	rd, err := ReadBytes([]byte(raw), Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if rd.Date != "" {
		t.Errorf("date = %q, want empty for a message without Date", rd.Date)
	}
	if len(rd.Items) != 1 || rd.Items[0].Due != "2026-03-13" {
		t.Errorf("items = %+v, want one action due 2026-03-13", rd.Items)
	}
}

// TestSkipNotes reads the outcomes only when asked, the same ones, once.
func TestSkipNotes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "notes-forwarded-late-outlook.eml"))
	if err != nil {
		t.Fatal(err)
	}
	full, err := ReadBytes(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Items) == 0 {
		t.Fatal("the fixture yields no items")
	}
	lazy, err := ReadBytes(raw, Options{SkipNotes: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(lazy.Items) != 0 {
		t.Fatalf("Items with SkipNotes = %v, want none before ReadItems", lazy.Items)
	}
	lazy.ReadItems()
	lazy.ReadItems()
	if !reflect.DeepEqual(lazy.Items, full.Items) {
		t.Errorf("Items after ReadItems = %v, want %v", lazy.Items, full.Items)
	}
}

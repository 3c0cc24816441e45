package reading

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coachmail/coachmail/tools/peerbench/corpus"
)

// FuzzRead feeds arbitrary bytes to Read, seeded with every whole message
// of testdata and a sample of the wrapped shared corpus. Read must not
// panic; it either fails with a one-line error or returns a reading whose
// lists are never null, whose texts are valid UTF-8 and which encodes to
// JSON.
func FuzzRead(f *testing.F) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	rs, err := corpus.Replies(filepath.Join("..", "reply", "testdata", "corpus"))
	if err != nil {
		f.Fatal(err)
	}
	for i := 0; i < len(rs); i += 9 {
		f.Add(corpus.ReplyMessage(rs[i], i))
	}
	f.Add([]byte("From: a@b\r\n\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x--"))
	commitments := []string{"Draft the hiring plan", "Talk to Priya"}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := ReadBytes(data, Options{Commitments: commitments})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q is not one line", err)
			}
			return
		}
		if rd.To == nil || rd.Cc == nil || rd.Forwarded == nil || rd.Items == nil || rd.StatusUpdates == nil || rd.Attachments == nil || rd.Warnings == nil {
			t.Errorf("a list of the reading is null: %+v", rd)
		}
		for _, s := range []string{rd.ReplyText, rd.Subject, rd.ForwarderText, rd.NotesText} {
			if !utf8.ValidString(s) {
				t.Errorf("text %q is not valid UTF-8", s)
			}
		}
		if rd.Invite != nil && rd.Invite.Attendees == nil {
			t.Errorf("invite attendees are null")
		}
		if _, err := json.Marshal(rd); err != nil {
			t.Errorf("reading does not encode: %v", err)
		}
	})
}

package corpus

import (
	"bytes"
	"context"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
)

func TestReplies(t *testing.T) {
	rs, err := Replies(filepath.Join("..", "..", "..", "internal", "reply", "testdata", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 90 {
		t.Errorf("Replies: %d fixtures, want 90", len(rs))
	}
	for i, r := range rs {
		if r.Input == "" || strings.HasSuffix(r.Want, "\n") && r.Want != "" {
			t.Errorf("%s: input %d bytes, want ends in newline %v", r.Name, len(r.Input), strings.HasSuffix(r.Want, "\n"))
		}
		m, err := mail.ReadMessage(bytes.NewReader(ReplyMessage(r, i)))
		if err != nil {
			t.Errorf("ReplyMessage(%s) is not a message: %v", r.Name, err)
			continue
		}
		if got := m.Header.Get("Content-Transfer-Encoding"); got != string(EncodingFor(i)) {
			t.Errorf("ReplyMessage(%s) encoding = %q, want %q", r.Name, got, EncodingFor(i))
		}
	}
}

func TestForwards(t *testing.T) {
	cs, err := Forwards(context.Background(), filepath.Join("..", "..", "..", "internal", "forward"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 190 {
		t.Errorf("Forwards: %d cases, want at least 190", len(cs))
	}
	notFwd, nested, withSubject := 0, 0, 0
	for i, c := range cs {
		if c.Body == "" {
			t.Errorf("%s: empty body", c.Name)
		}
		if c.NotForward {
			notFwd++
		} else if c.WantSubject == "" || c.Text == "" {
			t.Errorf("%s: no expected subject or text", c.Name)
		}
		if c.NestedFrom != nil {
			nested++
		}
		if c.SubjectFile != "" {
			withSubject++
			m, err := mail.ReadMessage(bytes.NewReader(ForwardMessage(c, i)))
			if err != nil {
				t.Fatalf("ForwardMessage(%s): %v", c.Name, err)
			}
			got, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			if want := strings.TrimSpace(c.Subject); err != nil || got != want {
				t.Errorf("ForwardMessage(%s) Subject = %q, want %q", c.Name, got, want)
			}
		}
	}
	if notFwd == 0 || nested == 0 || withSubject == 0 {
		t.Errorf("Forwards: %d replies, %d nested, %d with subject; want some of each", notFwd, nested, withSubject)
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a\r\nb  \r\n", "a\nb"},
		{"\n\na\n\n\n\nb\n\n", "a\nb"},
		{"a \t\n \nb", "a\nb"},
		{"  indented\r\n", "  indented"},
		{"", ""},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLarge(t *testing.T) {
	const size = 40_000_000
	m := Large(size)
	if d := len(m) - size; d < -size/100 || d > size/100 {
		t.Errorf("Large(%d) is %d bytes, want within 1%%", size, len(m))
	}
	if _, err := mail.ReadMessage(bytes.NewReader(m)); err != nil {
		t.Errorf("Large is not a message: %v", err)
	}
	for _, n := range LargeAttachments {
		if !bytes.Contains(m, []byte(`filename="`+n+`"`)) {
			t.Errorf("Large lacks attachment %s", n)
		}
	}
}

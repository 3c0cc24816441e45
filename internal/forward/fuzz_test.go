package forward

import (
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics and keeps its promises on any
// subject and body: valid UTF-8 out, at most MaxMessages messages, no more
// text out than went in, the same reading twice.
func FuzzParse(f *testing.F) {
	for _, c := range corpusCases() {
		f.Add(readFixture(f, c.subject), readFixture(f, c.body))
	}
	own, _ := filepath.Glob(filepath.Join("testdata", "own", "*.txt"))
	for _, file := range own {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		head, body, _ := strings.Cut(string(data), "\n")
		f.Add(strings.TrimPrefix(head, "Subject: "), body)
	}
	f.Add("Fwd: x", "On 1/2/2026 10:00, A <a@b> wrote:\n> hi")
	f.Add("", "----- Forwarded Message ----- From: a@bTo: cDw dSubject: e\nbody")
	f.Fuzz(func(t *testing.T, subject, body string) {
		res, ok := Parse(subject, body)
		if ok != (len(res.Forwarded) > 0) {
			t.Fatalf("ok = %v with %d messages", ok, len(res.Forwarded))
		}
		if len(res.Forwarded) > MaxMessages {
			t.Fatalf("%d messages, want at most %d", len(res.Forwarded), MaxMessages)
		}
		total := len(res.Message)
		texts := []string{res.Message}
		for _, m := range res.Forwarded {
			total += len(m.Body)
			texts = append(texts, m.Body, m.Subject, m.DateText, m.From.Name, m.From.Address)
			for _, a := range append(append([]mail.Address(nil), m.To...), m.Cc...) {
				texts = append(texts, a.Name, a.Address)
			}
		}
		for _, s := range texts {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in output %q", s)
			}
		}
		if in := len(normalise(body)); total > in {
			t.Fatalf("%d bytes of text out of %d in", total, in)
		}
		again, _ := Parse(subject, body)
		if !reflect.DeepEqual(res, again) {
			t.Fatalf("two readings differ:\n%+v\n%+v", res, again)
		}
	})
}

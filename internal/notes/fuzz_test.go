package notes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExtract checks what must hold for any notes: no panic, at most
// MaxItems items, known kinds, clean one-line valid UTF-8 texts, no
// duplicates, due dates only on actions, well formed and not before the
// reference day, and no word of a private observation line added after the
// notes in any item.
func FuzzExtract(f *testing.F) {
	for _, tc := range extractCases {
		f.Add(tc.text, int64(0))
	}
	files, _ := filepath.Glob("testdata/*.txt")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b), int64(86400*3))
		}
	}
	f.Fuzz(func(t *testing.T, text string, shift int64) {
		ref := wedRef.Add(time.Duration(shift%(86400*800)) * time.Second)
		for _, it := range Extract(text+"\nObs: she seemed qxsecret\n", ref) {
			if strings.Contains(strings.ToLower(it.Text), "qxsecret") {
				t.Fatalf("private observation in item %q", it.Text)
			}
		}
		got := Extract(text, ref)
		if len(got) > MaxItems {
			t.Fatalf("Extract gave %d items, more than %d", len(got), MaxItems)
		}
		seen := map[string]bool{}
		for _, it := range got {
			switch it.Kind {
			case Decision, Reframe, Action:
			default:
				t.Fatalf("kind %q", it.Kind)
			}
			if it.Text == "" || strings.ContainsAny(it.Text, "\n\r") || !utf8.ValidString(it.Text) {
				t.Fatalf("text %q", it.Text)
			}
			if strings.TrimSpace(it.Text) != it.Text {
				t.Fatalf("text %q not trimmed", it.Text)
			}
			k := dedupKey(it.Text)
			if seen[k] {
				t.Fatalf("duplicate %q", it.Text)
			}
			seen[k] = true
			if it.Due == "" {
				continue
			}
			if it.Kind != Action {
				t.Fatalf("%s %q has a due date", it.Kind, it.Text)
			}
			due, err := time.ParseInLocation("2006-01-02", it.Due, ref.Location())
			if err != nil {
				t.Fatalf("due %q: %v", it.Due, err)
			}
			// Only a date written with its year may lie in the past.
			if due.Before(day(ref)) && !strings.ContainsAny(it.Text, "0123456789") {
				t.Fatalf("due %s before ref %s for %q", it.Due, ref, it.Text)
			}
		}
	})
}

package status

import (
	"strings"
	"testing"
)

// FuzzParse checks what must hold for any reply: no panic, references within
// the list, one update per reference in order, known statuses, one-line
// comments; and IsUnsubscribe's shortcut never changes its answer.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add(tc.text, strings.Join(tc.commitments, "\n"))
	}
	f.Fuzz(func(t *testing.T, text, list string) {
		var commitments []string
		if list != "" {
			commitments = strings.Split(list, "\n")
		}
		got := Parse(text, commitments)
		last := 0
		for _, u := range got {
			if u.Ref <= last {
				t.Fatalf("Parse(%q) refs out of order or repeated: %+v", text, got)
			}
			last = u.Ref
			if u.Ref < 1 || (len(commitments) > 0 && u.Ref > len(commitments)) || u.Ref > maxUnlisted && len(commitments) == 0 {
				t.Fatalf("Parse(%q) ref %d outside the list of %d", text, u.Ref, len(commitments))
			}
			switch u.Status {
			case Done, NotDone, Dropped:
			default:
				t.Fatalf("Parse(%q) status %q", text, u.Status)
			}
			if strings.Contains(u.Comment, "\n") {
				t.Fatalf("Parse(%q) comment spans lines: %q", text, u.Comment)
			}
		}
		if got, want := isUnsubscribe(text, true), isUnsubscribe(text, false); got != want {
			t.Fatalf("IsUnsubscribe(%q) = %v with the shortcut, %v without", text, got, want)
		}
		rw, rest := Rewords(text, len(commitments))
		seen := map[int]bool{}
		for _, r := range rw {
			if r.Ref < 1 || r.Ref > len(commitments) || seen[r.Ref] || r.Text == "" || strings.Contains(r.Text, "\n") {
				t.Fatalf("Rewords(%q, %d) = %+v", text, len(commitments), rw)
			}
			seen[r.Ref] = true
		}
		if len(rest) > len(text) || (len(rw) == 0 && rest != text) {
			t.Fatalf("Rewords(%q) rest = %q", text, rest)
		}
	})
}

package coaching

import (
	"fmt"
	"slices"
	"testing"
)

func TestSessionRef(t *testing.T) {
	ref := SessionRef("01JD9ZK4N1Q7W2X3Y4Z5A6B7C8")
	if len(ref) != 8 || ref[:2] != "S-" {
		t.Fatalf("SessionRef = %q, want S- and six characters", ref)
	}
	if again := SessionRef("01JD9ZK4N1Q7W2X3Y4Z5A6B7C8"); again != ref {
		t.Errorf("SessionRef is not stable: %q then %q", ref, again)
	}
	// Distinct for distinct sessions: 2,000 ids, more than a coach has in
	// the window references are looked for in (the ids are fixed, so this
	// does not depend on chance from run to run).
	seen := map[string]string{}
	for i := range 2000 {
		id := fmt.Sprintf("01JD9ZK4N1Q7W2X3Y4Z5A%05d", i)
		r := SessionRef(id)
		if prev, ok := seen[r]; ok {
			t.Fatalf("sessions %s and %s share reference %s", prev, id, r)
		}
		seen[r] = id
		if got := FindSessionRefs("Fwd: Brief: Dana, Mon 7 Dec 10:00 [" + r + "]"); !slices.Equal(got, []string{r}) {
			t.Fatalf("FindSessionRefs of a subject with %s = %q", r, got)
		}
	}
}

func TestFindSessionRefs(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Fwd: Brief: Dana Lee, Mon 7 Dec 10:00 [S-4K7QMZ]", []string{"S-4K7QMZ"}},
		{"notes s-4k7qmz", []string{"S-4K7QMZ"}},
		{"Notes S-4K7OMZ and S-1L1IO0, again S-4K7QMZ", []string{"S-4K70MZ", "S-111100", "S-4K7QMZ"}},
		{"RE: [S-4K7QMZ] notes", []string{"S-4K7QMZ"}},
		{"S-4K7QMZX is longer, XS-4K7QMZ is inside a word, S-4K7QM is short", nil},
		{"S-4K7UMZ has a U", nil},
		{"Session notes", nil},
	} {
		if got := FindSessionRefs(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("FindSessionRefs(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

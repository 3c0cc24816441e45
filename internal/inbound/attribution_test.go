package inbound

import (
	"slices"
	"testing"

	"github.com/coachmail/coachmail/internal/coaching"
)

func TestNamedLeaders(t *testing.T) {
	leaders := []coaching.Leader{
		{ID: "sam", Name: "Sam Lee"}, {ID: "zoe", Name: "Zoë Ng"}, {ID: "al1", Name: "Alex Kim"}, {ID: "al2", Name: "Alex Moreau"},
		{ID: "will", Name: "Will Ortiz"}, {ID: "nameless"},
	}
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"Sam to draft the roles memo by Friday", []string{"sam"}},
		{"ZOË decided to hire a COO", []string{"zoe"}},
		{"Sam and Zoë co-write the offsite agenda", []string{"sam", "zoe"}},
		{"Alex Kim will talk to the board", []string{"al1"}},
		{"Alex will talk to the board", nil}, // two Alexes: a first name alone is not enough
		{"Everyone sends their 360 feedback by Monday", nil},
		{"Samantha's team owns pricing", nil}, // not a whole word
		{"She will block two mornings a week", nil},
		{"Follow up with alex moreau's CFO", []string{"al2"}},
		{"sam will draft the memo", nil},                     // a first name counts with its capital
		{"Will talk to the board before Friday", []string{}}, // "Will" is also a word: only "Will Ortiz" names him
		{"Will Ortiz talks to the board", []string{"will"}},
		{"Sam will draft the memo", []string{"sam"}},
	} {
		var got []string
		for _, l := range namedLeaders(tt.text, leaders) {
			got = append(got, l.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("namedLeaders(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

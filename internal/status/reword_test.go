package status

import (
	"reflect"
	"testing"
)

func TestRewords(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		n          int
		want       []Reword
		rest       string
	}{
		{"english, change to", "Thanks!\nChange 2 to: talk to the CFO after the board meeting\n1 done", 3,
			[]Reword{{2, "talk to the CFO after the board meeting"}}, "Thanks!\n1 done"},
		{"hash and quotes", `- Please reword #1 as "Share the hiring plan with the team by Friday"`, 2,
			[]Reword{{1, "Share the hiring plan with the team by Friday"}}, ""},
		{"should read", "3 should read: block two mornings, not two afternoons", 3,
			[]Reword{{3, "block two mornings, not two afternoons"}}, ""},
		{"arrow", "2 → Talk to Priya in person", 2, []Reword{{2, "Talk to Priya in person"}}, ""},
		{"replace with", "replace commitment 1 with: weekly 1:1s with each direct report", 1,
			[]Reword{{1, "weekly 1:1s with each direct report"}}, ""},
		{"french", "Merci de changer le 2 en : parler au DAF avant le conseil", 2,
			[]Reword{{2, "parler au DAF avant le conseil"}}, ""},
		{"german", "Bitte ändere 1 in: Den Einstellungsplan bis Freitag teilen", 1,
			[]Reword{{1, "Den Einstellungsplan bis Freitag teilen"}}, ""},
		{"spanish", "Cambia el 2 por: hablar con el CFO el lunes", 2,
			[]Reword{{2, "hablar con el CFO el lunes"}}, ""},
		{"the last wins", "change 1 to: a\nchange 1 to: b", 1, []Reword{{1, "b"}}, ""},
		{"beyond the list", "change 4 to: something", 3, nil, "change 4 to: something"},
		{"a status is not a rewording", "2: not yet, budget frozen\n1 done", 2, nil, "2: not yet, budget frozen\n1 done"},
		{"a sentence mentioning change", "I want to change how I run 1:1s", 2, nil, "I want to change how I run 1:1s"},
		{"no list", "change 1 to: x", 0, nil, "change 1 to: x"},
		{"one-to-ones", "Change 1:1s to weekly", 2, nil, "Change 1:1s to weekly"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, rest := Rewords(tt.text, tt.n)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Rewords(%q) = %+v, want %+v", tt.text, got, tt.want)
			}
			if rest != tt.rest {
				t.Errorf("Rewords(%q) rest = %q, want %q", tt.text, rest, tt.rest)
			}
		})
	}
}

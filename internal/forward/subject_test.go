package forward

import "testing"

func TestIsForwardSubject(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Fwd: Session notes", true},
		{"FW: Session notes", true},
		{"Fw[2]: Session notes", true},
		{"fwd : Session notes", true},
		{"TR: Notes de séance", true},
		{"WG: Sitzungsnotizen", true},
		{"RV: Notas", true},
		{"I: Note", true},
		{"Doorst: Notities", true},
		{"VS: Noter", true},
		{"VB: Anteckningar", true},
		{"VL: Muistiinpanot", true},
		{"PD: Notatki", true},
		{"ENC: Notas", true},
		{"Πρθ: Σημειώσεις", true},
		{"İLT: Notlar", true},
		{"Redir.: Note", true},
		{"[EXTERNAL] FW: Session notes", true},
		{"転送: 議事録", true},
		{"Re: Session notes", false},
		{"AW: Sitzungsnotizen", false},
		{"Re: Fwd: Session notes", false},
		{"Session notes", false},
		{"Forward planning", false},
		{"Info: nothing", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsForwardSubject(tt.in); got != tt.want {
			t.Errorf("IsForwardSubject(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestForwardedSubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Fwd: Session notes", "Session notes"},
		{"FW: Fwd: Session notes", "Fwd: Session notes"},
		{"[EXTERNAL] TR: Notes", "Notes"},
		{"Notes", "Notes"},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := forwardedSubject(tt.in); got != tt.want {
			t.Errorf("forwardedSubject(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package reply

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The patterns that leadWord and leadDate implement by hand.
var (
	leadWordRE = regexp.MustCompile(`(?i)^(?:on|le|am|el|il|in data|il giorno|em|op|den|på|w dniu|dnia|dne|el día)[\s,]`)
	leadDateRE = regexp.MustCompile(`^(?:\d|\pL{1,12}\.?,?\s+\d)`)
)

var leadSamples = []string{
	"On Mon, 3 Mar 2025 at 09:00, A <a@b.c> wrote:", "ON TUESDAY", "on", "on,", "Le 3 mars 2026 à 10:00, Sam a écrit :",
	"Am 02.03.2026 um 14:00 schrieb Alex:", "El día 3 de marzo", "EL DÍA 3", "el  día 3", "Il giorno 3 marzo", "In data 3 marzo",
	"in data", "W dniu 3 marca", "Dnia 3 marca", "Dne 3. března", "Den 3. mars", "På tirsdag", "PÅ tirsdag", "Op 3 maart",
	"2017-11-24 16:32 GMT+01:00 Name <x@y>:", "30.09.2017, Sam", "Wednesday, 17 November 2026", "tir. 18. apr. 2026",
	"ср, 30 апр. 2026", "Abcdefghijklm 3", "Abcdefghijkl 3", "Abc.,\t3", "Abc. , 3", "Abc 3", "Abc", "In the meantime",
	"Only", "", " on Monday", "3", "Ünïcödé 4",
}

// TestLead checks leadWord and leadDate against the patterns they stand for,
// on the samples and on every line of the shared corpus.
func TestLead(t *testing.T) {
	lines := append([]string{}, leadSamples...)
	names, err := filepath.Glob(filepath.Join("testdata", "corpus", "input", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	for _, l := range lines {
		checkLead(t, l)
	}
}

func checkLead(t *testing.T, s string) {
	t.Helper()
	if got, want := leadWord(s), leadWordRE.MatchString(s); got != want {
		t.Errorf("leadWord(%q) = %v, want %v", s, got, want)
	}
	if got, want := leadDate(s), leadDateRE.MatchString(s); got != want {
		t.Errorf("leadDate(%q) = %v, want %v", s, got, want)
	}
}

func FuzzLead(f *testing.F) {
	for _, s := range leadSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkLead(t, s)
	})
}

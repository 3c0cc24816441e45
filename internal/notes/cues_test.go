package notes

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

// plainCues is what cues.match must return, computed the slow way: every
// plain phrase compared word by word and every pattern searched for in
// the whole sentence, without gates.
func plainCues(low string) cueBits {
	ws := cueWords(low)
	var got cueBits
	for _, c := range []*cueSet{decisionCue, undecided, reframeCue, strongActionOther, notFuture, weakAction, wish, nextStep, social} {
		for _, p := range c.phrases {
			if re := plainPatterns()[p]; re != nil {
				if re.MatchString(low) {
					got |= c.bit
				}
				continue
			}
			pw := cueWords(p)
			for i := 0; i+len(pw) <= len(ws); i++ {
				if slices.Equal(ws[i:i+len(pw)], pw) {
					got |= c.bit
				}
			}
		}
	}
	return got
}

// plainPatterns are the cue phrases that hold a regular expression,
// compiled as the whole-sentence search that cues.match stands for.
var plainPatterns = sync.OnceValue(func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, c := range []*cueSet{decisionCue, undecided, reframeCue, strongActionOther, notFuture, weakAction, wish, nextStep, social} {
		for _, p := range c.phrases {
			if strings.ContainsAny(p, `\()[]{}|?*+.^$`) {
				m[p] = regexp.MustCompile(`(?:^|[^\p{L}\p{N}])(?:` + p + `)(?:[^\p{L}\p{N}]|$)`)
			}
		}
	}
	return m
})

// cueSentences are sentences that hold cues of every list, in the
// languages of the lexicon, with the traps of word boundaries.
var cueSentences = []string{
	"she decided to move the staff meeting.",
	"it's not a people problem, it's a priorities problem",
	"the team isn't slow, they are waiting for permission.",
	"he recognized that the board wants options, not answers",
	"il va parler au daf lundi.",
	"je parlerai au daf, et l'on verra.",
	"elle s'est engagée à écrire le plan",
	"sie wird mit dem cfo sprechen",
	"ella hablará con el director. voy a llamar a ana",
	"vou ligar para o diretor amanhã; ela falará com o cfo",
	"ik ga de cfo bellen. we zullen zien",
	"lei parlerà con il direttore",
	"ce n'est pas un problème de personnes, c'est un problème de priorités",
	"das ist kein teamproblem, sondern ein prioritätsproblem",
	"have a great weekend! here are my quick notes from today",
	"obrigada pela sessão, laat het me weten",
	"no es un problema de talento, es de claridad",
	"she shifted her focus from fixing to asking",
	"from \"i must fix it\" to \"i make sure it gets fixed\"",
	"the real issue is trust",
	"your job is to build judgment in the team, not to be the last line of defence.",
	"the goal is progress, not perfection; your role as ceo is to set direction",
	"it's less about the plan and more about who owns it",
	"la vraie question est de savoir; die eigentliche frage ist, wem sie vertraut",
	"son rôle est de faire grandir l'équipe, pas de tout contrôler. tu trabajo es formar criterio, no ser",
	"the team is stretched, so she'll hire a contractor",
	"xjob is it, not", "your jobs is", "the real questions are",
	"xon va parler", "cardón va", "1je parlerai",
	"",
}

// TestCueIndex checks that the word index, the gates and the anchored
// patterns find exactly what plain matching finds, on the sentences above
// and every line of the golden notes.
func TestCueIndex(t *testing.T) {
	sentences := append([]string{}, cueSentences...)
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sentences = append(sentences, strings.Split(string(data), "\n")...)
	}
	for _, tc := range extractCases {
		sentences = append(sentences, strings.Split(tc.text, "\n")...)
	}
	matched := 0
	for _, s := range sentences {
		low := lowerMatch(s)
		got, want := cues.match(low)&^strongActionGateBit, plainCues(low)
		if got != want {
			t.Errorf("cues.match(%q) = %09b, want %09b", low, got, want)
		}
		if got != 0 {
			matched++
		}
	}
	if matched < len(cueSentences)-4 {
		t.Errorf("only %d of %d sentences hold cues: the test sentences no longer test", matched, len(sentences))
	}
}

// TestStrongActionGate checks that every sentence strongActionEN matches
// holds its gate.
func TestStrongActionGate(t *testing.T) {
	for _, s := range []string{"She'll talk to the CFO", "WILL CALL ALEX", "Maya is going to send it",
		"Then, after the board, he plans to resign", "I Shall Return", "They committed to ship"} {
		if !strongActionEN.MatchString(s) {
			t.Fatalf("strongActionEN does not match %q: the test needs a new sentence", s)
		}
		if cues.match(lowerMatch(s))&strongActionGateBit == 0 {
			t.Errorf("%q matches strongActionEN but not its gate", s)
		}
	}
	if cues.match("she talked to the cfo")&strongActionGateBit != 0 {
		t.Errorf("the gate of strongActionEN holds for a sentence without its verbs")
	}
}

func TestLitScanner(t *testing.T) {
	sc := newLitScanner([]string{"he", "she", "his", "hers", "ß"})
	var set litSet
	found := sc.scan("ushers straße", &set, nil)
	var got []string
	for _, id := range found {
		for l, n := range sc.ids {
			if n == id {
				got = append(got, l)
			}
		}
	}
	slices.Sort(got)
	if want := []string{"he", "hers", "she", "ß"}; !slices.Equal(got, want) {
		t.Errorf("scan found %q, want %q", got, want)
	}
	if set.has(sc.ids["his"]) {
		t.Errorf("scan found %q, which the text does not hold", "his")
	}
}

func TestGateOf(t *testing.T) {
	tests := []struct {
		expr   string
		starts []string
	}{
		{`recadr\w*`, []string{"recadr"}},
		{`(?:vou|vai) \p{L}+(?:ar|er|ir)`, []string{"vou ", "vai "}},
		{`recogni[sz]ed that`, []string{"recognised that", "recognized that"}},
		{`[^,;.]{3,}, not (?:a|an)`, nil},
	}
	for _, tc := range tests {
		g := gateOf(tc.expr)
		if !slices.Equal(g.starts, tc.starts) {
			t.Errorf("gateOf(%q).starts = %q, want %q", tc.expr, g.starts, tc.starts)
		}
		if len(g.clauses) == 0 {
			t.Errorf("gateOf(%q) has no clause", tc.expr)
		}
	}
}

// FuzzCueIndex checks that the fast matching agrees with plain matching
// on any text.
func FuzzCueIndex(f *testing.F) {
	for _, s := range cueSentences {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2000 {
			return
		}
		low := lowerMatch(s)
		if got, want := cues.match(low)&^strongActionGateBit, plainCues(low); got != want {
			t.Errorf("cues.match(%q) = %09b, want %09b", low, got, want)
		}
	})
}

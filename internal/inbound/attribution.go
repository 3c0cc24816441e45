package inbound

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coachmail/coachmail/internal/coaching"
)

// namedLeaders returns the leaders of a group session that an outcome's
// text names: by full name (whole words, any case), or by a first name no
// other leader of the session shares, written with its capital or in
// capitals ("Sam to draft the roles memo", "ZOË decided..."). A first
// name that is also a common word ("Will", "Mark", "May") counts only in
// full. An outcome that names nobody, or uses only pronouns, is the
// group's.
func namedLeaders(text string, leaders []coaching.Leader) []coaching.Leader {
	first := map[string]int{} // first names, lower-cased, and how many share each
	for _, l := range leaders {
		if f := firstNameOf(l.Name); f != "" {
			first[strings.ToLower(f)]++
		}
	}
	lower := strings.ToLower(text)
	var out []coaching.Leader
	for _, l := range leaders {
		full := strings.ToLower(strings.Join(strings.Fields(l.Name), " "))
		if full == "" {
			continue
		}
		f := firstNameOf(l.Name)
		byFirst := f != "" && first[strings.ToLower(f)] == 1 && !wordNames[strings.ToLower(f)] &&
			(hasWord(text, f) || hasWord(text, strings.ToUpper(f)))
		if hasWord(lower, full) || byFirst {
			out = append(out, l)
		}
	}
	return out
}

// wordNames are first names that are also common words in the languages
// notes are written in: alone, they say nothing about who is meant.
var wordNames = map[string]bool{
	"will": true, "mark": true, "may": true, "june": true, "april": true, "august": true, "grant": true,
	"hope": true, "joy": true, "bill": true, "pat": true, "art": true, "rose": true, "frank": true,
	"faith": true, "dawn": true, "summer": true, "chase": true, "sue": true, "max": true, "ray": true,
	"jack": true, "page": true, "drew": true, "miles": true, "sunny": true, "rich": true, "guy": true,
	"rob": true, "don": true, "lane": true, "reed": true, "wade": true, "young": true, "ben": true,
	"eve": true, "iris": true, "ivy": true, "holly": true, "amber": true, "autumn": true, "angel": true,
	"noel": true, "constance": true, "prudence": true, "patience": true, "grace": true,
	"charity": true, "destiny": true, "sol": true, "luz": true, "paz": true, "rocío": true, "blanca": true,
}

// firstNameOf returns the first word of a display name as written, or ""
// when it is too short to be told from an ordinary word.
func firstNameOf(name string) string {
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return ""
	}
	f := strings.Trim(fields[0], ",.")
	if utf8.RuneCountInString(f) < 2 {
		return ""
	}
	return f
}

// hasWord reports whether word occurs in text as a whole word: not inside
// a longer run of letters or digits.
func hasWord(text, word string) bool {
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], word)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		from = i + 1
	}
	return false
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

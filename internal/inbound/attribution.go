package inbound

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coachmail/coachmail/internal/coaching"
)

// namedLeaders returns the leaders of a group session that an outcome's
// text names: by full name, or by a first name no other leader of the
// session shares ("Sam to draft the roles memo", "Zoë decided..."). Names
// match whole words, in any case. An outcome that names nobody, or uses
// only pronouns, is the group's.
func namedLeaders(text string, leaders []coaching.Leader) []coaching.Leader {
	first := map[string]int{} // first names, lower-cased, and how many share each
	for _, l := range leaders {
		if f := firstNameOf(l.Name); f != "" {
			first[f]++
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
		if hasWord(lower, full) || (f != "" && first[f] == 1 && hasWord(lower, f)) {
			out = append(out, l)
		}
	}
	return out
}

// firstNameOf returns the lower-cased first word of a display name, or ""
// when it is too short to be told from an ordinary word.
func firstNameOf(name string) string {
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return ""
	}
	f := strings.ToLower(strings.Trim(fields[0], ",."))
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

package reply

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameInput bounds, in bytes, each name or From field that Options
// carries; names are short, and the caller may pass a hostile header.
const maxNameInput = 512

// maxNameWords bounds how many words of the sender's names are kept.
const maxNameWords = 24

// sender holds the words of the sender's names, lower-cased, to tell a
// sign-off that is only the name. A nil sender knows no name.
type sender struct {
	words map[string]bool
}

// nameParticles are titles and particles that names carry but that do not
// sign a message alone ("Dr", "von"); they may stand beside a name word.
var nameParticles = setOf("dr", "prof", "mr", "mrs", "ms", "miss", "mx", "sir", "ing", "dipl", "mag",
	"von", "van", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "das", "al", "el", "bin", "ter")

// newSender reads the sender's name words from opts, or returns nil when
// it has none.
func newSender(opts Options) *sender {
	if opts.From == "" && len(opts.Names) == 0 {
		return nil
	}
	s := &sender{words: map[string]bool{}}
	s.addFrom(opts.From)
	for _, n := range opts.Names {
		s.addName(n)
	}
	if len(s.words) == 0 {
		return nil
	}
	return s
}

// addFrom adds the words of a From field's display name, or of its
// address's local part ("sam.rivera@...") when it has no display name.
func (s *sender) addFrom(from string) {
	from = strings.TrimSpace(clip(from))
	if from == "" {
		return
	}
	name, addr := from, ""
	if a, err := mail.ParseAddress(from); err == nil {
		name, addr = a.Name, a.Address
	} else if k := strings.IndexByte(from, '<'); k >= 0 {
		name, addr = from[:k], strings.Trim(from[k:], "<> ")
	} else if strings.Contains(from, "@") {
		name, addr = "", from
	}
	if strings.Contains(name, "@") {
		name = ""
	}
	if strings.TrimSpace(name) != "" {
		s.addName(name)
		return
	}
	local, _, _ := strings.Cut(addr, "@")
	s.addName(strings.Map(func(r rune) rune {
		if r == '.' || r == '_' || r == '+' || unicode.IsDigit(r) {
			return ' '
		}
		return r
	}, local))
}

// addName adds the words of one name: "Rivera, Sam" gives "rivera" and
// "sam", "Jean-Pierre" gives "jean-pierre", "jean" and "pierre". What a
// display name puts in brackets ("Sam Rivera (Northwind)") is not a name.
func (s *sender) addName(name string) {
	name = clip(name)
	var b strings.Builder
	depth := 0
	for _, r := range name {
		switch r {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth = max(depth-1, 0)
		default:
			if depth == 0 {
				b.WriteRune(r)
			}
		}
	}
	for _, w := range strings.FieldsFunc(b.String(), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '-' && r != '\'' && r != '’'
	}) {
		w = strings.ToLower(strings.Trim(w, "-'’"))
		s.add(w)
		if strings.Contains(w, "-") {
			for _, part := range strings.Split(w, "-") {
				s.add(part)
			}
		}
	}
}

func (s *sender) add(w string) {
	if w != "" && len(s.words) < maxNameWords {
		s.words[w] = true
	}
}

// clip cuts s to maxNameInput bytes, on a rune boundary.
func clip(s string) string {
	if len(s) <= maxNameInput {
		return s
	}
	s = s[:maxNameInput]
	for len(s) > 0 {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size != 1 {
			break
		}
		s = s[:len(s)-1]
	}
	return s
}

// signs reports whether a line signs the message with the sender's name:
// the name or part of it ("Sam", "Sam R.", "- Sam", "-S"), maybe after a
// closing on the same line ("Thanks, Sam", "LG Jonas").
func (s *sender) signs(t string) bool {
	if s == nil || len(t) > 120 {
		return false
	}
	if s.isName(t) {
		return true
	}
	// A closing and the name on one line, split at a comma or between
	// words.
	if head, tail, ok := strings.Cut(t, ","); ok {
		return valediction(head) && s.isName(tail)
	}
	words := strings.Fields(t)
	for k := 1; k < len(words) && k <= 4; k++ {
		if valediction(strings.Join(words[:k], " ")) && s.isName(strings.Join(words[k:], " ")) {
			return true
		}
	}
	return false
}

// isName reports whether t is only the sender's name, or part of it, as a
// sign-off writes it: one to four words, each a word of the name, an
// initial of one ("R.") or a particle, at least one of them a whole word of
// the name. An initial alone signs only after a dash ("-S"): "- A" or "OK"
// may be the last item of a list.
func (s *sender) isName(t string) bool {
	rest := strings.TrimLeft(strings.TrimSpace(t), "-–—~/ \t")
	dashed := len(rest) < len(strings.TrimSpace(t))
	rest = strings.TrimRight(rest, ",.! \t")
	words := strings.Fields(rest)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	whole := false
	for _, w := range words {
		w = strings.TrimSuffix(w, ".")
		lw := strings.ToLower(w)
		switch {
		case lw == "":
			return false
		case s.words[lw] && !nameParticles[lw]:
			whole = true
		case nameParticles[lw] && s.words[lw]:
		case s.initial(w):
		default:
			return false
		}
	}
	return whole || (dashed && len(words) == 1 && s.initial(strings.TrimSuffix(words[0], ".")))
}

// initial reports whether w is one capital letter that begins a word of the
// sender's name.
func (s *sender) initial(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if size != len(w) || !unicode.IsUpper(r) {
		return false
	}
	r = unicode.ToLower(r)
	for n := range s.words {
		if first, _ := utf8.DecodeRuneInString(n); first == r {
			return true
		}
	}
	return false
}

package forward

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// subjectKind is what a subject's leading prefix says about the message.
type subjectKind uint8

const (
	subjectNone subjectKind = iota
	subjectForward
	subjectReply
)

// forwardPrefixes are the subject prefixes clients add when forwarding,
// folded, without the colon. "VS" is Danish and Norwegian for forward (and
// Finnish for reply; the forward reading is kept, as Finnish Outlook marks
// forwards "VL").
var forwardPrefixes = []string{
	"fwd", "fw", "fwrd", "fwdt", "fwd2",
	"tr", "trans", "transf", // French
	"wg", "wtr", "wtrlt", // German
	"rv", "reenv", // Spanish
	"i", "inoltro", // Italian
	"enc", "encaminhar", // Portuguese
	"doorst",                                         // Dutch
	"vs", "vb", "vl", "videresend", "vidarebefordra", // Nordic
	"pd", "przekaż", // Polish
	"př", "přep", "presl", // Czech, Slovak
	"prosl", "proslijedi", // Croatian
	"tov", "továbbítás", // Hungarian
	"redir",                // Romanian
	"i̇lt", "ilt", "i̇let", // Turkish
	"πρθ", "προώθηση", // Greek
	"пересл", "переслать", "пересилання", "прсл", // Russian, Ukrainian
	"edasi", "fs", "posr", "prs", // Estonian, Icelandic, Slovenian, Lithuanian
	"転送", "转发", "轉寄", "轉發", "전달",
}

// replyPrefixes are the subject prefixes clients add when replying.
var replyPrefixes = []string{
	"re", "aw", "sv", "antw", "antwort", "odp", "ris", "r", "rif", "res", "ref", "réf",
	"rép", "rép.", "vá", "válasz", "ynt", "yanıt", "απ", "σχετ", "отв", "ответ", "відп",
	"odg", "atb", "ats", "vast", "svar", "答复", "回复", "回覆", "返信", "답장", "회신",
}

var (
	forwardPrefixIndex = stringSet(forwardPrefixes)
	replyPrefixIndex   = stringSet(replyPrefixes)
)

func stringSet(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[fold(s)] = true
	}
	return m
}

// IsForwardSubject reports whether subject starts, after any bracketed tags
// such as "[EXTERNAL]", with a forward prefix: "Fwd:", "Fw:", "TR:", "WG:",
// "RV:", "I:", "Doorst:", "VS:", "VB:", "PD:", "ENC:", "Πρθ:" and their
// kin, in any case, with or without a counter ("Fw[2]:"). "Re: Fwd: x" is a
// reply, not a forward.
func IsForwardSubject(subject string) bool {
	return subjectKindOf(subject) == subjectForward
}

func subjectKindOf(subject string) subjectKind {
	kind, _ := leadingPrefix(subject)
	return kind
}

// forwardedSubject is the subject of the message forwarded under subject:
// subject without its leading forward prefix.
func forwardedSubject(subject string) string {
	kind, rest := leadingPrefix(subject)
	if kind == subjectForward {
		return strings.TrimFunc(rest, isSpace)
	}
	return strings.TrimFunc(subject, isSpace)
}

// leadingPrefix finds the first reply or forward prefix of subject, skipping
// bracketed tags, and returns its kind and the text after it.
func leadingPrefix(subject string) (subjectKind, string) {
	s := subject
	s = cut(s, 1000)
	for tags := 0; tags < 5; tags++ {
		s = strings.TrimLeftFunc(s, isSpace)
		if strings.HasPrefix(s, "[") {
			if j := strings.IndexByte(s, ']'); j > 0 && j < 60 {
				s = s[j+1:]
				continue
			}
		}
		break
	}
	// The prefix word: letters (and a trailing dot) before the colon.
	i := 0
	for i < len(s) && i < 40 {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && r != '.' && r != '\u0307' {
			break
		}
		i += size
	}
	if i == 0 {
		return subjectNone, subject
	}
	word := fold(strings.TrimSuffix(s[:i], "."))
	rest := s[i:]
	// An optional counter: "Re[2]:", "Fw(3):", "RE 2:" is not taken.
	if strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "(") {
		if j := strings.IndexAny(rest, "])"); j > 0 && j < 6 {
			rest = rest[j+1:]
		}
	}
	rest = strings.TrimLeft(rest, " ")
	switch {
	case strings.HasPrefix(rest, ":"):
		rest = rest[1:]
	case strings.HasPrefix(rest, "："):
		rest = rest[len("："):]
	default:
		return subjectNone, subject
	}
	switch {
	case forwardPrefixIndex[word]:
		return subjectForward, rest
	case replyPrefixIndex[word]:
		return subjectReply, rest
	}
	return subjectNone, subject
}

// lookupFold looks s up in a map keyed by folded strings, without
// allocating for short ASCII keys (most labels and separator lines).
func lookupFold[V any](m map[string]V, s string) (V, bool) {
	var buf [128]byte
	if len(s) <= len(buf) && isASCII(s) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		v, ok := m[string(buf[:len(s)])]
		return v, ok
	}
	v, ok := m[fold(s)]
	return v, ok
}

// fold lower-cases s for comparing words, treating the Turkish dotted capital
// I as a plain i.
func fold(s string) string {
	if strings.ContainsRune(s, 'İ') || strings.ContainsRune(s, '\u0307') {
		s = strings.ReplaceAll(s, "İ", "i")
		s = strings.ReplaceAll(s, "\u0307", "")
	}
	return strings.ToLower(s)
}

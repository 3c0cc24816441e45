package forward

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxInline bounds the text examined for header fields run together on one
// line.
const maxInline = 4096

// inlineLabel is a label to look for inside a line.
type inlineLabel struct {
	text  string
	field field
	langs []string
}

// inlineLabels indexes every label by its lower-cased first rune, longest
// first, so that "De la" wins over "De". Built once, never written after
// package initialisation.
var inlineLabels = buildInlineLabels()

func buildInlineLabels() map[rune][]inlineLabel {
	seen := make(map[string]bool)
	idx := make(map[rune][]inlineLabel)
	for _, set := range headerLabels {
		for _, name := range set.names {
			name = strings.TrimSuffix(name, ":")
			if seen[name] {
				continue
			}
			seen[name] = true
			info := labelIndex[fold(name)]
			r, _ := utf8.DecodeRuneInString(name)
			r = unicode.ToLower(r)
			idx[r] = append(idx[r], inlineLabel{text: name, field: info.field, langs: info.langs})
		}
	}
	for r := range idx {
		list := idx[r]
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].text) > len(list[j].text) })
	}
	return idx
}

// parseInline reads header fields that Yahoo runs together after its
// separator: `From: John <john@example.com>To: "Ann" <ann@example.com>Sent:
// Tuesday, November 2, 2021, 09:26:50 AM GMT+1Subject: Hello`. A label is
// recognised where it is followed by a colon, or, glued to the previous
// value and capitalised, by a space (some locales drop the colon). The
// subject runs to the end of the line.
func parseInline(s string) (header, bool) {
	var h header
	if len(s) > maxInline {
		s = s[:maxInline]
	}
	type hit struct {
		at, end int // label start, value start
		f       field
		langs   []string
	}
	var hits []hit
	for p := 0; p < len(s); {
		r, size := utf8.DecodeRuneInString(s[p:])
		if len(hits) > 0 && hits[len(hits)-1].f == fieldSubject {
			break
		}
		if l, end, ok := inlineLabelAt(s, p, r, &h, len(hits) == 0); ok {
			hits = append(hits, hit{at: p, end: end, f: l.field, langs: l.langs})
			// Mark the field as seen so that a colon-less label is not
			// taken twice.
			h.has[l.field] = true
			p = end
			continue
		}
		if len(hits) == 0 {
			return header{}, false // the line must start with a label
		}
		p += size
	}
	if len(hits) < 2 {
		return header{}, false
	}
	h = header{}
	for k, x := range hits {
		end := len(s)
		if k+1 < len(hits) {
			end = hits[k+1].at
		}
		h.set(x.f, strings.TrimFunc(s[x.end:end], isSpace), x.langs)
	}
	return h, h.has[fieldFrom] || h.has[fieldSubject]
}

// inlineLabelAt reports whether a label starts at s[p:], and where its value
// starts.
func inlineLabelAt(s string, p int, r rune, h *header, first bool) (inlineLabel, int, bool) {
	// A label after a space (or first on the line) is only taken with its
	// colon; one glued to the previous value may lack it.
	glued := false
	if p > 0 && !first {
		prev, _ := utf8.DecodeLastRuneInString(s[:p])
		glued = !isSpace(prev)
	}
	for _, l := range inlineLabels[unicode.ToLower(r)] {
		n := len(l.text)
		if p+n > len(s) || !strings.EqualFold(s[p:p+n], l.text) {
			continue
		}
		q := p + n
		// Colon, possibly after one space ("De : John").
		c := q
		if c < len(s) && s[c] == ' ' {
			c++
		}
		if c < len(s) && s[c] == ':' {
			return l, c + 1, true
		}
		if strings.HasPrefix(s[c:], "：") {
			return l, c + len("："), true
		}
		// Without a colon: only glued to the previous value, capitalised,
		// followed by a space, for a field not seen yet.
		if glued && l.field != fieldOther && !h.has[l.field] && unicode.IsUpper(r) &&
			q < len(s) && s[q] == ' ' {
			return l, q + 1, true
		}
	}
	return inlineLabel{}, 0, false
}

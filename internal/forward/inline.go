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

// maxInlineColons bounds the colons examined there: a header line has a
// dozen (times included).
const maxInlineColons = 64

// inlineLabel is a label to look for inside a line.
type inlineLabel struct {
	text  string
	field field
	langs []string
}

// inlineLabels indexes every label by its lower-cased first rune, longest
// first, so that "De la" wins over "De"; labelLengths lists the byte lengths
// of all labels, longest first. Built once, never written after package
// initialisation.
var inlineLabels, labelLengths = buildInlineLabels()

func buildInlineLabels() (map[rune][]inlineLabel, []int) {
	seen := make(map[string]bool)
	lengths := make(map[int]bool)
	idx := make(map[rune][]inlineLabel)
	for _, set := range headerLabels {
		for _, name := range set.names {
			name = strings.TrimSuffix(name, ":")
			if seen[name] {
				continue
			}
			seen[name] = true
			lengths[len(name)] = true
			lengths[len(fold(name))] = true
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
	var ls []int
	for n := range lengths {
		ls = append(ls, n)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ls)))
	return idx, ls
}

// inlineHit is a label found inside a line.
type inlineHit struct {
	at, end int // label start, value start
	f       field
	langs   []string
}

// parseInline reads header fields that Yahoo runs together after its
// separator: `From: John <john@example.com>To: "Ann" <ann@example.com>Sent:
// Tuesday, November 2, 2021, 09:26:50 AM GMT+1Subject: Hello`. Labels are
// found before each colon; some locales drop the colon of a label glued to
// the previous value ("...>Dw Ann <ann@example.com>"), so a capitalised
// label glued there and followed by a space is taken too, for a field not
// seen yet. The first label must open the line; the subject runs to its
// end.
func parseInline(s string) (header, bool) {
	s = cut(s, maxInline)
	var hits []inlineHit
	var seen [fieldOther + 1]bool
	for c, colons := 0, 0; c < len(s) && colons < maxInlineColons; colons++ {
		i := strings.IndexAny(s[c:], ":：")
		if i < 0 {
			break
		}
		c += i
		w := 1
		if s[c] != ':' {
			w = len("：")
		}
		if h, ok := labelBefore(s, c); ok {
			h.end = c + w
			if len(hits) == 0 && strings.TrimFunc(s[:h.at], isSpace) != "" {
				return header{}, false // the line must start with a label
			}
			if len(hits) == 0 || h.at >= hits[len(hits)-1].end {
				// Colon-less labels glued inside the previous value.
				if len(hits) > 0 {
					prev := hits[len(hits)-1]
					hits = append(hits, gluedLabels(s, prev.end, h.at, &seen)...)
				}
				hits = append(hits, h)
				seen[h.f] = true
				if h.f == fieldSubject {
					break
				}
			}
		}
		c += w
	}
	if len(hits) == 0 {
		return header{}, false
	}
	if last := hits[len(hits)-1]; last.f != fieldSubject {
		hits = append(hits, gluedLabels(s, last.end, len(s), &seen)...)
	}
	if len(hits) < 2 {
		return header{}, false
	}
	var h header
	for k, x := range hits {
		end := len(s)
		if k+1 < len(hits) {
			end = hits[k+1].at
		}
		h.set(x.f, strings.TrimFunc(s[x.end:end], isSpace), x.langs)
	}
	return h, h.has[fieldFrom] || h.has[fieldSubject]
}

// labelBefore finds the longest label ending just before the colon at c
// (one space may sit between them).
func labelBefore(s string, c int) (inlineHit, bool) {
	end := c
	if end > 0 && s[end-1] == ' ' {
		end--
	}
	for _, n := range labelLengths {
		start := end - n
		if start < 0 || !utf8.RuneStart(s[start]) {
			continue
		}
		if info, ok := lookupFold(labelIndex, s[start:end]); ok {
			return inlineHit{at: start, f: info.field, langs: info.langs}, true
		}
	}
	return inlineHit{}, false
}

// gluedLabels finds colon-less labels in s[from:to]: capitalised, glued to
// the text before them, followed by a space, for fields not seen yet.
func gluedLabels(s string, from, to int, seen *[fieldOther + 1]bool) []inlineHit {
	var hits []inlineHit
	for p := from; p < to; {
		r, size := utf8.DecodeRuneInString(s[p:])
		if p > from && unicode.IsUpper(r) {
			prev, _ := utf8.DecodeLastRuneInString(s[:p])
			if !isSpace(prev) {
				for _, l := range inlineLabels[unicode.ToLower(r)] {
					n := len(l.text)
					if l.field == fieldOther || seen[l.field] || p+n >= to || s[p+n] != ' ' ||
						!strings.EqualFold(s[p:p+n], l.text) {
						continue
					}
					hits = append(hits, inlineHit{at: p, end: p + n + 1, f: l.field, langs: l.langs})
					seen[l.field] = true
					p += n + 1
					size = 0
					break
				}
			}
		}
		p += size
	}
	return hits
}

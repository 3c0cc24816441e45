package forward

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// attributionHeader reads the author and date of a reply-style attribution
// line, in any of the word orders clients use:
//
//	On 28/10/2021 12:46, "John Doe" <john@example.com> wrote:
//	Le 28/10/2021 12:46, « John Doe » <john@example.com> a écrit :
//	28/10/2021 12:46 időpontban John Doe (john@example.com) ezt írta:
//	John Doe <john@example.com> kirjoitti 28/10/2021 12.46:
//	On July 19, 2022 at 3:36 PM, John Doe wrote:
func attributionHeader(t string) header {
	var h header
	t = stripMailto(t)
	start, end, addr := findAnchor(t)
	var name string
	nameStart := start
	if start >= 0 {
		name, nameStart = nameBefore(t[:start])
	} else {
		name, nameStart, end = nameWithoutAddress(t)
	}
	list := appendAddress(nil, name, addr)
	if len(list) > 0 {
		h.fromAddr = list[0]
		h.has[fieldFrom] = true
	}
	seg := t[:max(nameStart, 0)]
	if !strings.ContainsAny(seg, "0123456789") && end >= 0 && end <= len(t) {
		seg = t[end:]
	}
	if dt := dateSpan(seg); dt != "" {
		h.date = dt
		h.has[fieldDate] = true
	}
	return h
}

// findAnchor locates the address in an attribution: "<addr>", "(addr)",
// "(<addr>)" or a bare "addr". It returns the span and the address, or -1.
func findAnchor(t string) (int, int, string) {
	at := strings.IndexByte(t, '@')
	if at < 0 {
		return -1, -1, ""
	}
	for _, p := range [][2]byte{{'<', '>'}, {'(', ')'}, {'[', ']'}} {
		open := strings.LastIndexByte(t[:at], p[0])
		if open < 0 {
			continue
		}
		closeAt := strings.IndexByte(t[at:], p[1])
		if closeAt < 0 {
			continue
		}
		closeAt += at
		inner := t[open+1 : closeAt]
		if strings.ContainsAny(inner, " \t") {
			continue
		}
		start, end := open, closeAt+1
		// "(<addr>)": take the parentheses too.
		if p[0] == '<' && start > 0 && t[start-1] == '(' && end < len(t) && t[end] == ')' {
			start, end = start-1, end+1
		}
		return start, end, inner
	}
	// A bare address: the word holding the '@'.
	s := at
	for s > 0 && !isASCIISpace(t[s-1]) {
		s--
	}
	e := at
	for e < len(t) && !isASCIISpace(t[e]) {
		e++
	}
	return s, e, strings.TrimRight(t[s:e], ",:;")
}

// nameBefore finds the display name that ends the text before an address: a
// quoted string, or the capitalised words before it.
func nameBefore(before string) (string, int) {
	b := strings.TrimRightFunc(before, func(r rune) bool { return isSpace(r) || r == '(' })
	if b == "" {
		return "", len(before)
	}
	last, size := utf8.DecodeLastRuneInString(b)
	if isQuoteRune(last) {
		inner := b[:len(b)-size]
		for i := len(inner); i > 0; {
			r, sz := utf8.DecodeLastRuneInString(inner[:i])
			i -= sz
			if isQuoteRune(r) {
				return inner[i+sz:], i
			}
		}
	}
	// Walk back over capitalised words, stopping at a time, a number, a
	// lower-case word ("heeft", "időpontban"), "AM"/"PM" or punctuation.
	start := len(b)
	words := 0
	for i := len(b); i > 0 && words < 6; {
		j := i
		for j > 0 {
			r, sz := utf8.DecodeLastRuneInString(b[:j])
			if isSpace(r) {
				break
			}
			j -= sz
		}
		w := b[j:i]
		if !nameWord(w) {
			break
		}
		start, words = j, words+1
		if strings.HasSuffix(b[:j], ",") {
			break
		}
		for j > 0 {
			r, sz := utf8.DecodeLastRuneInString(b[:j])
			if !isSpace(r) {
				break
			}
			j -= sz
		}
		i = j
	}
	if words == 0 {
		return "", len(before)
	}
	return b[start:], start
}

// nameWord reports whether w can be part of a display name.
func nameWord(w string) bool {
	if w == "" || strings.ContainsAny(w, "0123456789:,") {
		return false
	}
	switch strings.ToLower(w) {
	case "am", "pm", "a.m.", "p.m.":
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || (unicode.IsLetter(r) && !unicode.IsLower(r))
}

// nameWithoutAddress finds the name in an attribution that prints none:
// the capitalised words after the last comma, "On ..., John Doe wrote:".
func nameWithoutAddress(t string) (string, int, int) {
	i := strings.LastIndexByte(t, ',')
	if i < 0 {
		return "", -1, -1
	}
	rest := t[i+1:]
	words := strings.Fields(rest)
	var name []string
	for _, w := range words {
		if !nameWord(w) || len(name) >= 6 {
			break
		}
		name = append(name, w)
	}
	if len(name) == 0 {
		return "", -1, -1
	}
	n := strings.Join(name, " ")
	at := i + 1 + strings.Index(rest, name[0])
	return n, at, at + len(n)
}

// dateSpan cuts the date out of a piece of attribution: from the first
// number, month or weekday word to the last number, keeping a following
// "AM"/"PM" or zone.
func dateSpan(seg string) string {
	type word struct {
		s          string
		start, end int
	}
	var words []word
	for i := 0; i < len(seg) && len(words) < 40; {
		for i < len(seg) && isASCIISpace(seg[i]) {
			i++
		}
		j := i
		for j < len(seg) && !isASCIISpace(seg[j]) {
			j++
		}
		if j > i {
			words = append(words, word{seg[i:j], i, j})
		}
		i = j
	}
	first, last := -1, -1
	for k, w := range words {
		if first < 0 && dateWord(w.s) {
			first = k
		}
		if first >= 0 && strings.ContainsAny(w.s, "0123456789") {
			last = k
		}
	}
	if first < 0 || last < 0 {
		return ""
	}
	for last+1 < len(words) {
		w := fold(strings.Trim(words[last+1].s, ",.:;()"))
		_, zone := zoneOffsets[w]
		if w == "am" || w == "pm" || zone {
			last++
			continue
		}
		break
	}
	return strings.Trim(seg[words[first].start:words[last].end], ",:; ")
}

// attributionFrom is the author an attribution names.
func (h *header) attributionFrom() (mail.Address, bool) {
	return h.fromAddr, h.fromAddr != (mail.Address{})
}
